"""kg serve: a real server process answering the SPARQL 1.1 Protocol, read-only."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from rdflib import Graph

import kg
from kg.cli import cli
from kg.endpoint import Endpoint, ServeError, _negotiate, _SERVICE, _UPDATE, make_server
from kg.query import keywords
from kg.query import named_queries, named_query

MET = "SELECT ?a ?b WHERE { ?x kg:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b } ORDER BY ?a ?b"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def out_dir(seeds_build):
    return seeds_build[1]


@pytest.fixture(scope="module")
def server(out_dir):
    """``kg serve --port 0`` as a subprocess; yields its /query URL, read from its first line."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(out_dir), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    if not line or not line[0].startswith("kg serve: http://"):
        proc.kill()
        pytest.fail(f"kg serve did not start: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}")
    url = line[0].split()[2]
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def request(url, *, data=None, headers=None, method=None):
    """(status, content type, body text) for any status."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8")


def get(url, query, accept=None, **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(f"{url}?{qs}", headers={"Accept": accept} if accept else {})


def bindings(body):
    data = json.loads(body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


# ---------------------------------------------------------------- queries


def test_listens_on_localhost_by_default(server):
    assert urllib.parse.urlsplit(server).hostname == "127.0.0.1"
    assert urllib.parse.urlsplit(server).path == "/query"


def test_get_json(server):
    status, ctype, body = get(server, MET)
    assert status == 200, body
    assert ctype.startswith("application/sparql-results+json")
    rows = bindings(body)
    assert {"a": "Kim Jong Un", "b": "Sergei Shoigu"} in rows
    assert len(rows) == len({tuple(r.items()) for r in rows}), "the default graph is a set of triples"


def test_post_sparql_query_body(server):
    status, _, body = request(server, data=MET.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and {"a": "Kim Jong Un", "b": "Sergei Shoigu"} in bindings(body)


def test_post_form(server):
    data = urllib.parse.urlencode({"query": MET}).encode()
    status, _, body = request(server, data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and {"a": "Kim Jong Un", "b": "Sergei Shoigu"} in bindings(body)


@pytest.mark.parametrize("accept, ctype, sep", [("text/csv", "text/csv", ","),
                                                ("text/tab-separated-values", "text/tab-separated-values", "\t")])
def test_csv_and_tsv_by_accept(server, accept, ctype, sep):
    status, got, body = get(server, MET, accept=accept)
    assert status == 200 and got.startswith(ctype)
    rows = list(csv.reader(io.StringIO(body), delimiter=sep))
    assert rows[0] in (["a", "b"], ["?a", "?b"])
    assert any("Kim Jong Un" in r[0] for r in rows[1:])


def test_format_parameter_and_ask_and_construct(server):
    status, ctype, body = get(server, MET, format="csv")
    assert status == 200 and ctype.startswith("text/csv")
    status, _, body = get(server, "ASK { ?s kg:met ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, ctype, body = get(server, "CONSTRUCT { ?s kg:met ?o } WHERE { ?s kg:met ?o }")
    assert status == 200 and ctype.startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) >= 2


def test_named_graphs_are_kept(server):
    status, _, body = get(server, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and int(bindings(body)[0]["n"]) == 3  # two articles + the identity graph


@pytest.mark.parametrize("name", sorted(n for n, q in named_queries().items() if not q.params))
def test_named_queries_answer_as_in_kg_query(server, out_dir, name):
    status, _, body = get(server, named_queries()[name].text)
    assert status == 200, body
    expected = list(named_query(kg.load_graph(out_dir), name))
    assert len(bindings(body)) == len(expected)


def test_bad_query_is_400(server):
    status, ctype, body = get(server, "SELEC ?x")
    assert status == 400 and ctype.startswith("text/plain") and "bad SPARQL query" in body


def test_missing_query_is_400_and_unknown_path_404(server):
    assert request(server)[0] == 400
    assert request(server.replace("/query", "/nowhere"))[0] == 404


def test_front_page_is_a_form_without_external_resources(server):
    status, ctype, body = request(server.replace("/query", "/"))
    assert status == 200 and ctype.startswith("text/html")
    assert "<form" in body and "who-met-whom" in body
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', body), "no external resources"
    assert "<script" not in body


def test_service_is_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 400 and "SERVICE" in body


# ---------------------------------------------------------------- read-only


def _count(server):
    return int(bindings(get(server, COUNT)[2])[0]["n"])


@pytest.mark.parametrize("how", ["update-endpoint-form", "update-endpoint-body", "update-content-type",
                                 "update-form-field", "update-as-query-get", "update-as-query-post",
                                 "prefixed-update"])
def test_updates_are_refused(server, how):
    before = _count(server)
    drop = "DROP ALL"
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    update_url = server.replace("/query", "/update")
    if how == "update-endpoint-form":
        status = request(update_url, data=urllib.parse.urlencode({"update": drop}).encode(), headers=form)[0]
    elif how == "update-endpoint-body":
        status = request(update_url, data=insert.encode(), headers={"Content-Type": "application/sparql-update"})[0]
    elif how == "update-content-type":
        status = request(server, data=insert.encode(), headers={"Content-Type": "application/sparql-update"})[0]
    elif how == "update-form-field":
        status = request(server, data=urllib.parse.urlencode({"update": drop}).encode(), headers=form)[0]
    elif how == "update-as-query-get":
        status = get(server, drop)[0]
    elif how == "update-as-query-post":
        status = request(server, data=insert.encode(), headers={"Content-Type": "application/sparql-query"})[0]
    else:
        status = get(server, "PREFIX ex: <http://example.org/>\n# a comment\nINSERT DATA { ex:a ex:b ex:c }")[0]
    assert status == 403
    assert _count(server) == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(server, method):
    status = request(server, data=b"x", method=method, headers={"Content-Type": "text/turtle"})[0]
    assert status == 405


# ---------------------------------------------------------------- units


@pytest.mark.parametrize("text, is_update", [
    ("DROP ALL", True), ("  insert data { <a:b> <a:c> <a:d> }", True),
    ("PREFIX ex: <http://e/> BASE <http://b/> DELETE WHERE { ?s ?p ?o }", True),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("LOAD <http://example.org/x>", True),
    ("SELECT * WHERE { ?s ?p 'INSERT' }", False), ("# DROP ALL\nSELECT * WHERE { ?s ?p ?o }", False),
    ("SELECT ?drop WHERE { ?drop ?p ?o }", False), ("ASK { <http://x/DELETE> ?p ?o }", False),
])
def test_update_detection(text, is_update):
    assert bool(_UPDATE.match(keywords(text))) is is_update


@pytest.mark.parametrize("text, has_service", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True), ("SELECT * { service silent <http://x/> {} }", True),
    ("SELECT * { ?s ?p 'SERVICE' }", False), ("SELECT ?service { ?service ?p ?o }", False),
    ("SELECT * { ?s ex:SERVICE ?o }", False), ("SELECT * { ?s ?p ?o } # SERVICE", False),
])
def test_service_detection(text, has_service):
    assert bool(_SERVICE.search(keywords(text))) is has_service


@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"), ("*/*", "application/sparql-results+json"),
    ("text/csv", "text/csv"), ("text/*", "text/csv"),
    ("application/sparql-results+xml;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+json"),
    ("image/png", "application/sparql-results+json"),
])
def test_negotiation(accept, expected):
    from kg.endpoint import _RESULT_TYPES

    assert _negotiate(accept, _RESULT_TYPES, "application/sparql-results+json") == expected


def test_port_in_use_is_a_one_line_error(out_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(ServeError, match=f"cannot listen on 127.0.0.1:{port}"):
            make_server(kg.load_graph(out_dir), "127.0.0.1", port)


def test_endpoint_in_process(out_dir):
    ep = Endpoint(kg.load_graph(out_dir))
    status, ctype, body = ep.answer(MET)
    assert status == 200 and {"a": "Kim Jong Un", "b": "Sergei Shoigu"} in bindings(body.decode())
    assert ep.answer("DROP ALL")[0] == 403


def test_serve_without_a_built_graph(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--out", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no built graph" in result.stderr
