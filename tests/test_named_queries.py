"""Named SPARQL queries (kg/queries/*.rq), parameters as bindings, and ``kg query NAME``."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import kg
from kg.cli import cli
from kg.errors import QueryError
from kg.graph import IDENTITY_GRAPH
from kg.ontology import KG
from kg.query import QUERY_DIR, load_graph, named_queries, named_query, run_query, to_dataframe

EXPECTED = {"who-met-whom", "timeline", "facts-with-evidence", "entities-by-class", "neighbourhood",
            "aliases-and-merges"}
INJECTIONS = [
    'x" } ; DROP ALL ; { "',
    'Sergei Shoigu" } UNION { ?node rdfs:label ?label } #',
    "Sergei Shoigu' } UNION { ?node rdfs:label ?label } #",
    '"""} ?node ?p ?o . { """',
    "}",
]


@pytest.fixture(scope="module")
def out_dir(seeds_build):
    return seeds_build[1]


@pytest.fixture(scope="module")
def graph(out_dir):
    return load_graph(out_dir)


def rows(result):
    names = [str(v) for v in result.vars]
    return [{n: (None if r[i] is None else str(r[i])) for i, n in enumerate(names)} for r in result]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"KG_SPACY_MODEL": None})


# ---------------------------------------------------------------- the files


def test_the_named_queries_are_shipped():
    assert EXPECTED <= set(named_queries())
    assert {p.stem for p in QUERY_DIR.glob("*.rq")} == set(named_queries())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_query_starts_with_a_description_line(name):
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# ") and len(first) > 30, first
    q = named_queries()[name]
    assert q.description == first[2:].strip()
    assert ("parameter" in q.description.lower()), "the description says which parameters it takes"


def test_parameters_come_from_the_description():
    assert named_queries()["neighbourhood"].params == ("entity",)
    for name in EXPECTED - {"neighbourhood"}:
        assert named_queries()[name].params == (), name


def test_named_queries_never_contain_python_formatting():
    for q in named_queries().values():
        assert "{entity}" not in q.text and "%s" not in q.text and "{}" not in q.text


# ---------------------------------------------------------------- golden-ish, seeds


@pytest.mark.parametrize("name", sorted(EXPECTED - {"neighbourhood"}))
def test_every_query_answers_on_the_seeds(graph, name):
    assert len(rows(named_query(graph, name))) > 0


def test_who_met_whom_has_kim_and_shoigu_once(graph):
    found = [r for r in rows(named_query(graph, "who-met-whom"))
             if {r["person"], r["metWith"]} == {"Kim Jong Un", "Sergei Shoigu"}]
    assert len(found) == 1, found
    pair = found[0]
    assert int(pair["meetings"]) >= 1
    assert pair["places"] and ("Vladivostok" in pair["places"] or "Knevichi" in pair["places"])


def test_who_met_whom_lists_each_pair_once_and_never_self(graph):
    result = rows(named_query(graph, "who-met-whom"))
    pairs = [frozenset((r["a"], r["b"])) for r in result]
    assert len(pairs) == len(set(pairs))
    assert all(r["a"] != r["b"] for r in result)


def test_aliases_and_merges_lists_yevmenov_by_fuzzy_name(graph):
    result = rows(named_query(graph, "aliases-and-merges"))
    yev = [r for r in result if {r["label"], r["alias"]} == {"Nikolai Evmenov", "Nikolai Yevmenov"}]
    assert len(yev) == 1, result
    assert yev[0]["rule"] == "fuzzy-name"
    assert 0 < float(yev[0]["score"]) <= 1 and yev[0]["context"]


def test_timeline_is_ordered_by_date_undated_last(graph):
    result = rows(named_query(graph, "timeline"))
    dates = [r["date"] for r in result]
    dated = [d for d in dates if d]
    assert dated, "the seeds have at least one grounded event date"
    assert dates[:len(dated)] == dated, "dated events come first"
    assert dated == sorted(dated)
    classes = {r["class"] for r in result}
    assert {"Meeting", "Visit", "Inspection"} <= classes
    assert all(r["agents"] or r["participants"] for r in result)


def test_facts_with_evidence_carry_sentence_modality_and_attribution(graph):
    result = rows(named_query(graph, "facts-with-evidence"))
    assert all(r["sentence"] and r["modality"] and r["article"] for r in result)
    met = [r for r in result if (r["subject"], r["predicate"], r["object"]) == ("Kim Jong Un", "met", "Sergei Shoigu")]
    assert any(r["attribution"] == "Russian state media" for r in met), met
    assert all("Kim" in r["sentence"] for r in met)
    assert not any(r["predicate"] == "" for r in result), "event-typing evidence is left out"


def test_entities_by_class_counts_match_the_identity_graph(graph):
    result = {r["class"]: int(r["entities"]) for r in rows(named_query(graph, "entities-by-class"))}
    ident = graph.graph(IDENTITY_GRAPH)
    labelled = {s for s in ident.subjects(RDFS.label, None)}
    assert sum(result.values()) == len(labelled)
    assert result["Person"] >= 3
    counts = list(result.values())
    assert counts == sorted(counts, reverse=True)


def test_neighbourhood_by_label_and_by_alt_label(graph):
    by_label = rows(named_query(graph, "neighbourhood", entity="Sergei Shoigu"))
    assert {(r["direction"], r["predicate"], r["otherLabel"]) for r in by_label} >= {
        ("out", "met", "Kim Jong Un"), ("in", "met", "Kim Jong Un")}
    assert all(r["label"] == "Sergei Shoigu" for r in by_label)
    assert all(int(r["evidence"]) >= 1 and r["sentence"] for r in by_label)
    by_alt = rows(named_query(graph, "neighbourhood", entity="Shoigu"))
    strip = lambda rs: sorted(tuple(sorted((k, v) for k, v in r.items() if k != "entity")) for r in rs)  # noqa: E731
    assert strip(by_alt) == strip(by_label)


def test_neighbourhood_of_an_unknown_name_is_empty(graph):
    assert rows(named_query(graph, "neighbourhood", entity="Nobody At All")) == []


# ---------------------------------------------------------------- parameters are bindings


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_is_a_plain_literal(graph, value):
    before = len(graph)
    assert rows(named_query(graph, "neighbourhood", entity=value)) == []
    assert len(graph) == before


def test_a_name_with_quotes_and_braces_matches_itself(tmp_path):
    """The value is compared as a literal: an entity really named like an injection is found."""
    name = 'Evil "} Corp\' ; DROP ALL'
    ds = Dataset(default_union=True)
    ident = ds.graph(IDENTITY_GRAPH)
    evil, other = URIRef("https://w3id.org/kg-news/id/organization/evil"), URIRef("https://w3id.org/kg-news/id/country/x")
    for node, label, cls in ((evil, name, KG.Organization), (other, "Xland", KG.Country)):
        ident.add((node, RDF.type, cls))
        ident.add((node, RDFS.label, Literal(label)))
    ds.graph(URIRef("https://w3id.org/kg-news/id/article/0")).add((evil, KG.basedIn, other))
    found = rows(named_query(ds, "neighbourhood", entity=name))
    assert [(r["label"], r["predicate"], r["otherLabel"]) for r in found] == [(name, "basedIn", "Xland")]
    assert rows(named_query(ds, "neighbourhood", entity='Evil "')) == []


def test_free_text_queries_take_bindings_too(graph):
    q = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    assert len(rows(run_query(graph, q, {"name": "Sergei Shoigu"}))) == 1
    assert rows(run_query(graph, q, {"name": INJECTIONS[0]})) == []


@pytest.mark.parametrize("name, params, message", [
    ("no-such-query", {}, "no named query"),
    ("who-met-whom", {"entity": "x"}, "no parameter entity"),
    ("neighbourhood", {}, "needs the parameter entity"),
    ("neighbourhood", {"entity": "x", "other": "y"}, "no parameter other"),
])
def test_named_query_errors(graph, name, params, message):
    with pytest.raises(QueryError, match=message):
        named_query(graph, name, **params)


def test_evaluation_errors_are_query_errors_not_tracebacks(graph):
    # rdflib fails while *iterating* DISTINCT aggregates over unbound values; run_query evaluates
    # eagerly so the failure is a QueryError at the call, not an exception later in a loop.
    q = ("SELECT ?e (GROUP_CONCAT(DISTINCT STR(?p)) AS ?ps) WHERE { ?e kg:evidence ?x . "
         "OPTIONAL { ?e kg:place ?p } } GROUP BY ?e")
    try:
        result = run_query(graph, q)
    except QueryError:
        return
    list(result)  # if this rdflib version evaluates it fine, iterating must be fine too


def test_to_dataframe(graph):
    pd = pytest.importorskip("pandas")
    df = to_dataframe(named_query(graph, "entities-by-class"))
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["class", "entities"]
    assert df["entities"].dtype.kind == "i"


def test_public_api_exports(graph):
    assert kg.named_query is named_query and kg.named_queries is named_queries
    assert kg.to_dataframe is to_dataframe
    assert {"named_query", "named_queries", "to_dataframe"} <= set(kg.__all__)


# ---------------------------------------------------------------- the command line


def test_cli_list():
    result = invoke("query", "--list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(named_queries())
    for name, q in named_queries().items():
        assert any(line.startswith(name) and q.description in line for line in lines)


def test_cli_named_query_csv(out_dir):
    result = invoke("query", "who-met-whom", "--out", out_dir, "--format", "csv")
    assert result.exit_code == 0, result.output + result.stderr
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert any({r["person"], r["metWith"]} == {"Kim Jong Un", "Sergei Shoigu"} for r in table)


def test_cli_named_query_with_param(out_dir):
    result = invoke("query", "neighbourhood", "--param", "entity=Sergei Shoigu", "--out", out_dir,
                    "--format", "csv")
    assert result.exit_code == 0, result.output + result.stderr
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert ("out", "met", "Kim Jong Un") in {(r["direction"], r["predicate"], r["otherLabel"]) for r in table}


@pytest.mark.parametrize("value", INJECTIONS)
def test_cli_injection_is_harmless(out_dir, value):
    result = invoke("query", "neighbourhood", "--param", f"entity={value}", "--out", out_dir)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.strip().endswith("(0 rows)")


def test_cli_shipped_name_with_rq_suffix(out_dir):
    result = invoke("query", "entities-by-class.rq", "--out", out_dir)
    assert result.exit_code == 0, result.output + result.stderr
    assert "Person" in result.output


@pytest.mark.parametrize("args, code, message", [
    (["who-met"], 2, "no named query 'who-met'"),
    (["neighbourhood"], 2, "needs the parameter entity"),
    (["who-met-whom", "--param", "entity=x"], 2, "no parameter entity"),
    (["neighbourhood", "--param", "entity"], 2, "NAME=VALUE"),
    ([], 2, "--list"),
])
def test_cli_errors(out_dir, args, code, message):
    result = invoke("query", *args, "--out", out_dir)
    assert result.exit_code == code, result.output + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_meeting_that_may_happen_is_not_counted_but_is_on_the_timeline(tmp_path):
    import kg

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "Lavrov in Beijing\nPublished: 2024-04-09\n\n"
        "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Tuesday.\n"
        "Sergei Lavrov may visit Pyongyang next month to meet North Korean leader Kim Jong Un.\n",
        encoding="utf-8")
    g = kg.build([src], tmp_path / "out", store="memory", html=False).dataset
    pairs = {frozenset((r["person"], r["metWith"])) for r in rows(named_query(g, "who-met-whom"))}
    assert frozenset(("Sergei Lavrov", "Wang Yi")) in pairs
    assert frozenset(("Sergei Lavrov", "Kim Jong Un")) not in pairs
    timeline = rows(named_query(g, "timeline"))
    assert {(r["class"], r["modality"]) for r in timeline} >= {("Meeting", "asserted"), ("Meeting", "hedged")}
    met = [r for r in timeline if r["participants"] == "Wang Yi"]
    assert met and met[0]["date"] == "2024-04-09"
