"""kg eval gold | conll04."""

from __future__ import annotations

import sys

import click

from . import OUT, _Group, cli

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
    from ..evaluate import read_gold, score_gold
    from ..graph import union_graph
    from ..query import load_graph

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

    from ..evaluate import predict_conll04, read_conll04, score_conll04
    from ..export import atomic_write
    from ..nlp import load_nlp

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
