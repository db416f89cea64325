"""kg show, kg path, kg stats: read the built graph and print what it says."""

from __future__ import annotations

import click

from . import OUT, cli

SNIPPET = 160


def _graph(out):
    from ..query import load_graph

    return load_graph(out)


def _snippet(text: str, width: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _source(ev) -> str:
    parts = [ev.title or "untitled article"]
    if ev.date:
        parts.append(ev.date)
    if ev.attribution:
        parts.append(f"according to {ev.attribution}")
    if ev.modality and ev.modality != "asserted":
        parts.append(ev.modality)
    return ", ".join(parts)


def _echo_evidence(evidence, limit, width, indent="      "):
    for ev in evidence[:limit] if limit else evidence:
        click.echo(f'{indent}"{_snippet(ev.sentence, width)}"')
        click.echo(f"{indent}  ({_source(ev)})")
    if limit and len(evidence) > limit:
        click.echo(f"{indent}(+{len(evidence) - limit} more sentence{'s' if len(evidence) - limit != 1 else ''})")


@cli.command()
@click.argument("entity")
@OUT
@click.option("--evidence", "limit", default=1, show_default=True, type=click.IntRange(0),
              help="Sentences shown per fact (0: all).")
def show(entity, out, limit):
    """Print the card of ENTITY: names, class, positions, facts in and out with evidence, events.

    \b
    ENTITY is a name (canonical or any other name, any case) or an IRI.
    Example: kg show "Sergei Shoigu" --out out
    """
    from ..analytics import entity_card

    card = entity_card(_graph(out), entity)
    ent = card.entity
    click.echo(f"{ent.label}  ({ent.cls or 'untyped'})")
    click.echo(f"  iri:         {ent.iri}")
    if card.other_names:
        click.echo(f"  other names: {', '.join(card.other_names)}")
    if card.positions:
        click.echo(f"  positions:   {', '.join(card.positions)}")
    for m in card.merges:
        score = f" {m.score:g}" if m.score is not None else ""
        context = f": {m.context}" if m.context else ""
        click.echo(f"  merged:      {m.alias!r} by {m.rule}{score}{context}")
    click.echo(f"facts out ({len(card.facts_out)}):")
    for f in card.facts_out:
        click.echo(f"  {f.predicate} -> {f.object.label} ({f.object.cls or 'untyped'})"
                   f"  [{len(f.evidence)} sentence{'s' if len(f.evidence) != 1 else ''}]")
        _echo_evidence(f.evidence, limit, SNIPPET)
    click.echo(f"facts in ({len(card.facts_in)}):")
    for f in card.facts_in:
        click.echo(f"  {f.subject.label} ({f.subject.cls or 'untyped'}) {f.predicate} ->"
                   f"  [{len(f.evidence)} sentence{'s' if len(f.evidence) != 1 else ''}]")
        _echo_evidence(f.evidence, limit, SNIPPET)
    if card.events:
        click.echo(f"events ({len(card.events)}):")
        for e in card.events:
            when = e.date or (f"'{e.date_text}'" if e.date_text else "undated")
            others = ", ".join(o.label for o in e.others)
            click.echo(f"  {when}  {e.cls or 'Event'} as {e.role}" + (f" with {others}" if others else ""))


@cli.command()
@click.argument("source")
@click.argument("target")
@OUT
@click.option("--evidence", "limit", default=2, show_default=True, type=click.IntRange(0),
              help="Sentences shown per fact (0: all).")
def path(source, target, out, limit):
    """Print the shortest chain of facts from SOURCE to TARGET, with the evidence of each hop.

    \b
    Facts are followed in either direction; '<-p-' marks a fact read backwards.
    Exits 1 when no chain connects them.
    Example: kg path "Kim Jong Un" Kalibr --out out
    """
    from ..analytics import shortest_path

    hops = shortest_path(_graph(out), source, target)
    if not hops:
        click.echo(f"{source} and {target} are the same entity")
        return
    click.echo(f"{hops[0].source.label} to {hops[-1].target.label}: {len(hops)} hop{'s' if len(hops) != 1 else ''}")
    for i, hop in enumerate(hops, 1):
        click.echo(f"{i}. {hop}")
        for f in hop.facts:
            arrow = f"{f.subject.label} {f.predicate} {f.object.label}"
            click.echo(f"   {arrow}  [{len(f.evidence)} sentence{'s' if len(f.evidence) != 1 else ''}]")
            _echo_evidence(f.evidence, limit, 400)


@cli.command()
@OUT
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Central entities listed.")
def stats(out, top):
    """Print counts by class and predicate, and the most central entities.

    \b
    Degree: distinct neighbours; betweenness: normalised, facts taken in either direction.
    Example: kg stats --out out
    """
    from ..analytics import graph_stats

    st = graph_stats(_graph(out), top=top)
    click.echo(f"articles: {st.articles}  evidence records: {st.evidence}")

    def counts(title, counter):
        click.echo(f"{title}: {sum(counter.values())}")
        for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            click.echo(f"  {name:20} {n:6}")

    counts("entities", st.entities)
    counts("facts", st.facts)
    counts("events", st.events)
    click.echo(f"most central (top {top}):")
    width = max([len(c.label) for c in st.central] + [6])
    click.echo(f"  {'entity':{width}}  {'class':12}  degree  betweenness")
    for c in st.central:
        click.echo(f"  {c.label:{width}}  {(c.cls or '-'):12}  {c.degree:6}  {c.betweenness:11.4f}")
