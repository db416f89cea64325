"""The ``kg`` command line (click's CliRunner, plus one real subprocess)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kg.cli import cli
from kg.ontology import KG

ARTICLE = (
    "General Marcus Holloway met Foreign Minister Hiroshi Tanaka in Geneva on Tuesday.\n"
    "On Wednesday, Holloway inspected the Su-57 at the Plesetsk cosmodrome.\n"
)
OTHER_ARTICLE = "Governor Maria Fernandez visited the Plesetsk cosmodrome on Monday.\n"
HOLLOWAY = URIRef("https://w3id.org/kg-news/id/person/marcus-holloway")
TANAKA = URIRef("https://w3id.org/kg-news/id/person/hiroshi-tanaka")
MET_QUERY = "SELECT ?a ?b WHERE { ?a kg:met ?b } ORDER BY ?a ?b"


@pytest.fixture(scope="module", autouse=True)
def _html_export():
    """graph.html is written by kg.export.html; while that module does not exist
    yet, stand in a no-op so the rest of ``kg build`` can be tested."""
    if importlib.util.find_spec("kg.export.html") is not None:
        yield
        return
    stub = types.ModuleType("kg.export.html")
    stub.write_html = lambda dataset, path, **kw: Path(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, "kg.export.html", stub)
        yield


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], env={"KG_SPACY_MODEL": None})


def one_error_line(result):
    """The single stderr line of a failed command; no traceback anywhere."""
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: "), lines[0]
    return lines[0]


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One article built into an output folder, shared by the query/eval tests."""
    root = tmp_path_factory.mktemp("built")
    write(root / "in" / "summit.txt", ARTICLE)
    result = CliRunner().invoke(cli, ["build", str(root / "in"), "--out", str(root / "out")],
                                env={"KG_SPACY_MODEL": None})
    assert result.exit_code == 0, result.output + result.stderr
    return root / "out"


# ---------------------------------------------------------------- help


def test_help_in_a_real_subprocess():
    proc = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for command in ("build", "query", "eval"):
        assert command in proc.stdout
    assert proc.stderr == ""


def test_subcommand_help(runner):
    for cmd in (["build"], ["query"], ["eval", "gold"]):
        result = run(runner, *cmd, "--help")
        assert result.exit_code == 0
        assert "--out" in result.output


# ---------------------------------------------------------------- build


def test_build_writes_turtle_and_trig(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    out = tmp_path / "out"
    result = run(runner, "build", tmp_path / "in", "--out", out)
    assert result.exit_code == 0, result.output + result.stderr
    assert "articles read: 1" in result.output
    assert "skipped" not in result.output
    assert (out / "graph.ttl").is_file() and (out / "graph.trig").is_file()
    g = Graph().parse(out / "graph.ttl", format="turtle")
    assert (HOLLOWAY, KG.met, TANAKA) in g
    assert len(list(g.subjects(RDF.type, KG.Article))) == 1
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(c.identifier) for c in ds.graphs()}
    assert any("/article/" in n for n in names)
    assert any(n.endswith("/graph/identity") for n in names)


def test_build_quiet_prints_nothing(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_missing_model_leaves_no_store_behind(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out", "--model", "no_such_model")
    assert result.exit_code != 0
    assert not (tmp_path / "out" / "store").exists()


def test_build_verbose_prints_stage_timings(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out", "--verbose", "--store", "memory")
    assert result.exit_code == 0
    stages = [line for line in result.stdout.splitlines() if line.startswith("stages: ")]
    assert len(stages) == 1 and "extract" in stages[0] and "export" in stages[0]
    assert not (tmp_path / "out" / "store").exists()  # --store memory leaves no store behind


@pytest.mark.parametrize("name, data", [
    ("binary.txt", b"\x00\x01\x02\x03PK\x03\x04" + bytes(range(256))),
    ("empty.txt", b""),
])
def test_bad_file_is_a_one_line_error(runner, tmp_path, name, data):
    bad = write(tmp_path / name, data)
    out = tmp_path / "out"
    result = run(runner, "build", bad, "--out", out)
    assert result.exit_code != 0
    line = one_error_line(result)
    assert name in line
    assert not (out / "graph.ttl").exists()


def test_bad_file_in_a_folder_names_the_file(runner, tmp_path):
    write(tmp_path / "in" / "a_good.txt", ARTICLE)
    write(tmp_path / "in" / "b_binary.txt", b"\x00\xff\x00\xfe" * 64)
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "b_binary.txt" in one_error_line(result)


def test_missing_path_is_a_one_line_error(runner, tmp_path):
    result = run(runner, "build", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "nope.txt" in one_error_line(result)


def test_keep_going_skips_bad_files(runner, tmp_path):
    write(tmp_path / "in" / "a_good.txt", ARTICLE)
    write(tmp_path / "in" / "b_binary.txt", b"\x00\xff\x00\xfe" * 64)
    write(tmp_path / "in" / "c_empty.txt", b"")
    out = tmp_path / "out"
    result = run(runner, "build", tmp_path / "in", "--out", out, "--keep-going")
    assert result.exit_code == 0, result.output + result.stderr
    assert "articles read: 1" in result.output
    assert "skipped" in result.output
    assert "b_binary.txt" in result.output and "c_empty.txt" in result.output
    assert (out / "graph.ttl").is_file() and (out / "graph.trig").is_file()


def test_keep_going_with_nothing_readable_fails(runner, tmp_path):
    write(tmp_path / "in" / "empty.txt", b"")
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out", "--keep-going")
    assert result.exit_code != 0
    one_error_line(result)


def test_failed_build_keeps_previous_output(runner, tmp_path):
    write(tmp_path / "in1" / "summit.txt", ARTICLE)
    out = tmp_path / "out"
    first = run(runner, "build", tmp_path / "in1", "--out", out)
    assert first.exit_code == 0, first.output + first.stderr
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig")}
    # a different good article plus a bad file: nothing may be written
    write(tmp_path / "in2" / "a_other.txt", OTHER_ARTICLE)
    write(tmp_path / "in2" / "b_empty.txt", b"")
    second = run(runner, "build", tmp_path / "in2", "--out", out)
    assert second.exit_code != 0
    one_error_line(second)
    for name, data in before.items():
        assert (out / name).read_bytes() == data, f"{name} changed after a failed build"


def test_failed_build_with_bad_aliases_keeps_previous_output(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    out = tmp_path / "out"
    assert run(runner, "build", tmp_path / "in", "--out", out).exit_code == 0
    before = (out / "graph.ttl").read_bytes()
    aliases = write(tmp_path / "aliases.tsv", "no tab on this line\n")
    result = run(runner, "build", tmp_path / "in", "--out", out, "--aliases", aliases)
    assert result.exit_code != 0
    assert "aliases.tsv" in one_error_line(result)
    assert (out / "graph.ttl").read_bytes() == before


def test_missing_model_names_pip_install(runner, tmp_path):
    write(tmp_path / "in" / "summit.txt", ARTICLE)
    result = run(runner, "build", tmp_path / "in", "--out", tmp_path / "out", "--model", "no_such_model")
    assert result.exit_code != 0
    line = one_error_line(result)
    assert "no_such_model" in line
    assert "pip install" in line
    assert not (tmp_path / "out" / "graph.ttl").exists()


# ---------------------------------------------------------------- query


def test_query_table(runner, built):
    result = run(runner, "query", MET_QUERY, "--out", built)
    assert result.exit_code == 0, result.stderr
    assert str(HOLLOWAY) in result.output and str(TANAKA) in result.output
    assert "(2 rows)" in result.output  # met is symmetric: both directions


def test_bad_query_exits_2_with_one_line(runner, built):
    result = run(runner, "query", "SELEKT ?x WHERE { ?x ?y ?z }", "--out", built)
    assert result.exit_code == 2
    assert one_error_line(result).startswith("kg: error: bad SPARQL query")
    assert result.stdout == ""


def test_query_with_unknown_prefix_is_a_bad_query(runner, built):
    result = run(runner, "query", "SELECT ?x WHERE { ?x nosuchprefix:p ?z }", "--out", built)
    assert result.exit_code == 2
    assert one_error_line(result).startswith("kg: error: bad SPARQL query")


def test_query_json_is_sparql_results_json(runner, built):
    result = run(runner, "query", MET_QUERY, "--out", built, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["a", "b"]
    bindings = data["results"]["bindings"]
    pairs = {(b["a"]["value"], b["b"]["value"]) for b in bindings}
    assert pairs == {(str(HOLLOWAY), str(TANAKA)), (str(TANAKA), str(HOLLOWAY))}
    assert all(b["a"]["type"] == "uri" for b in bindings)


def test_query_json_ask(runner, built):
    result = run(runner, "query", f"ASK {{ <{HOLLOWAY}> kg:met <{TANAKA}> }}", "--out", built, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["boolean"] is True


def test_query_csv_has_header(runner, built):
    query = "SELECT ?who ?label WHERE { ?who a kg:Person ; rdfs:label ?label } ORDER BY ?label"
    result = run(runner, "query", query, "--out", built, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["who", "label"]
    labels = [r[1] for r in rows[1:] if r]
    assert "Marcus Holloway" in labels and "Hiroshi Tanaka" in labels


def test_query_from_rq_file(runner, built, tmp_path):
    rq = write(tmp_path / "who_met.rq",
               "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
               "SELECT ?name WHERE {\n  ?a <https://w3id.org/kg-news/ontology#met> ?b .\n"
               "  ?b rdfs:label ?name .\n} ORDER BY ?name\n")
    result = run(runner, "query", rq, "--out", built, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip("\n").splitlines() == ["name", "Hiroshi Tanaka", "Marcus Holloway"]


def test_query_from_missing_rq_file(runner, built, tmp_path):
    result = run(runner, "query", tmp_path / "missing.rq", "--out", built)
    assert result.exit_code != 0
    assert "Traceback" not in result.output + result.stderr
    assert "missing.rq" in result.stderr


def test_query_without_built_graph(runner, tmp_path):
    result = run(runner, "query", MET_QUERY, "--out", tmp_path / "never_built")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "never_built" in line
    assert "kg build" in line


def test_query_on_a_corrupt_graph(runner, tmp_path):
    write(tmp_path / "out" / "graph.trig", "this is { not trig @@@")
    result = run(runner, "query", MET_QUERY, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "graph.trig" in one_error_line(result)


# ---------------------------------------------------------------- eval gold


def gold(tmp_path, *lines):
    return write(tmp_path / "gold.tsv", "# tiny gold file\n" + "\n".join(lines) + "\n")


def test_eval_gold_that_holds(runner, built, tmp_path):
    g = gold(tmp_path, "Marcus Holloway\tmet\tHiroshi Tanaka", "Hiroshi Tanaka\tmet\tMarcus Holloway",
             "Su-57\ttype\tAircraft", "Hiroshi Tanaka\ttype\tPerson",
             "Hiroshi Tanaka\tposition\t\"Foreign Minister\"")
    result = run(runner, "eval", "gold", g, "--out", built)
    assert result.exit_code == 0, result.output
    assert "MISSED" not in result.output
    assert result.output.count("found") == 5
    assert "recall: 1.000 (5/5)" in result.output


def test_eval_gold_with_a_miss(runner, built, tmp_path):
    g = gold(tmp_path, "Marcus Holloway\tmet\tHiroshi Tanaka", "Hiroshi Tanaka\tcommands\tSu-57")
    result = run(runner, "eval", "gold", g, "--out", built)
    assert result.exit_code == 1
    missed = [ln for ln in result.output.splitlines() if ln.startswith("MISSED")]
    assert len(missed) == 1 and "commands" in missed[0]
    assert "recall: 0.500 (1/2)" in result.output


def test_eval_gold_min_recall(runner, built, tmp_path):
    g = gold(tmp_path, "Marcus Holloway\tmet\tHiroshi Tanaka", "Hiroshi Tanaka\tcommands\tSu-57")
    assert run(runner, "eval", "gold", g, "--out", built, "--min-recall", "0.5").exit_code == 0


def test_eval_gold_negative_that_holds_is_violated(runner, built, tmp_path):
    g = gold(tmp_path, "Su-57\ttype\tAircraft", "!Marcus Holloway\tmet\tHiroshi Tanaka")
    result = run(runner, "eval", "gold", g, "--out", built)
    assert result.exit_code == 1
    violated = [ln for ln in result.output.splitlines() if ln.startswith("VIOLATED")]
    assert len(violated) == 1 and "Marcus Holloway" in violated[0]
    assert "negatives violated: 1/1" in result.output


def test_eval_gold_negative_that_is_absent(runner, built, tmp_path):
    g = gold(tmp_path, "Su-57\ttype\tAircraft", "!Hiroshi Tanaka\tinspected\tSu-57")
    result = run(runner, "eval", "gold", g, "--out", built)
    assert result.exit_code == 0, result.output
    assert "ok (absent)" in result.output
    assert "VIOLATED" not in result.output


def test_eval_gold_malformed_file(runner, built, tmp_path):
    g = gold(tmp_path, "only\ttwo columns")
    result = run(runner, "eval", "gold", g, "--out", built)
    assert result.exit_code != 0
    line = one_error_line(result)
    assert "gold.tsv" in line and "line 2" in line
