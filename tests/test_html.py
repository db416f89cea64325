"""The self-contained HTML explorer (kg.export.html)."""

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.export import html as kghtml
from kg.export.html import render_html, write_html

KG = Namespace("https://w3id.org/kg-news/ontology#")
ID = Namespace("https://w3id.org/kg-news/id/")

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
MET_SENTENCE = (
    "Kim Jong Un met Sergei Shoigu at the Knevichi airfield near Vladivostok on Saturday, "
    "according to Russian state media."
)
XSS_SENTENCE = f"The unit {XSS_SCRIPT} was reinforced {XSS_IMG} last week."

SHOIGU = ID["person/sergei-shoigu"]
KIM = ID["person/kim-jong-un"]
XSS_PERSON = ID["person/0123456789ab"]
VESSEL = ID["vessel/marshal-shaposhnikov"]
VLADIVOSTOK = ID["city/vladivostok"]
FLEET = ID["militaryunit/pacific-fleet"]
ART1 = ID["article/0123456789abcdef"]
ART2 = ID["article/fedcba9876543210"]
EV_MET = ID["evidence/aaaaaaaaaaaaaaaa"]
EV_MET_REV = ID["evidence/aaaaaaaaaaaaaaab"]
EV_XSS = ID["evidence/bbbbbbbbbbbbbbbb"]
EV_HEDGED = ID["evidence/cccccccccccccccc"]
MEETING = ID["event/dddddddddddddddd"]
MERGE = ID["merge/eeeeeeeeeeeeeeee"]


def _evidence(g, ev, s, p, o, article, sentence, *, attribution=None, modality="asserted"):
    g.add((ev, RDF.type, KG.Evidence))
    g.add((ev, RDF.subject, s))
    g.add((ev, RDF.predicate, p))
    g.add((ev, RDF.object, o))
    g.add((ev, PROV.wasDerivedFrom, article))
    g.add((ev, KG.sentence, Literal(sentence)))
    g.add((ev, KG.charStart, Literal(0)))
    g.add((ev, KG.charEnd, Literal(len(sentence))))
    g.add((ev, KG.extractor, Literal("test-pattern")))
    g.add((ev, KG.modality, Literal(modality)))
    if attribution:
        g.add((ev, KG.attribution, Literal(attribution)))


def make_dataset():
    """A tiny graph in the shape of docs/architecture.md, with hostile strings in it."""
    ds = Dataset()
    ident = ds.graph(ID["graph/identity"])
    for node, cls, label, alts in [
        (SHOIGU, KG.Person, "Sergei Shoigu", ["Shoigu", "Sergei Kuzhugetovich Shoigu"]),
        (KIM, KG.Person, "Kim Jong Un", ["Kim", "Kim Jong-un"]),
        (XSS_PERSON, KG.Person, XSS_SCRIPT, [XSS_IMG]),
        (VESSEL, KG.Vessel, "Marshal Shaposhnikov", ["the frigate"]),
        (VLADIVOSTOK, KG.City, "Vladivostok", []),
        (FLEET, KG.MilitaryUnit, "Pacific Fleet", ["Russia's Pacific Fleet"]),
    ]:
        ident.add((node, RDF.type, cls))
        ident.add((node, RDFS.label, Literal(label)))
        for alt in alts:
            ident.add((node, SKOS.altLabel, Literal(alt)))
    ident.add((VESSEL, RDF.type, KG.Equipment))  # several types: the most specific (Vessel) wins
    ident.add((SHOIGU, KG.position, Literal("Defence Minister of Russia")))
    ident.add((KIM, KG.position, Literal("Supreme Leader of North Korea")))
    ident.add((MERGE, RDF.type, KG.MergeRecord))
    ident.add((MERGE, RDFS.label, Literal("merge of Shoigu into Sergei Shoigu")))

    a1 = ds.graph(ART1)
    a1.add((ART1, RDF.type, KG.Article))
    a1.add((ART1, DCTERMS.title, Literal("Kim inspects Russian warships in Vladivostok")))
    a1.add((ART1, KG.date, Literal("2023-09-16", datatype=XSD.date)))
    a1.add((ART1, KG.sourceFile, Literal("000_kim.txt")))
    a1.add((KIM, KG.met, SHOIGU))
    a1.add((SHOIGU, KG.met, KIM))
    # one record per direction for the same sentence, as kg.graph writes them: shown once
    _evidence(a1, EV_MET, KIM, KG.met, SHOIGU, ART1, MET_SENTENCE, attribution="Russian state media")
    _evidence(a1, EV_MET_REV, SHOIGU, KG.met, KIM, ART1, MET_SENTENCE, attribution="Russian state media")
    a1.add((KIM, KG.inspected, VESSEL))
    a1.add((KIM, KG.visited, VLADIVOSTOK))
    a1.add((VESSEL, KG.partOf, FLEET))
    _evidence(a1, EV_HEDGED, SHOIGU, KG.visited, VLADIVOSTOK, ART1, "Shoigu may have visited the port.", modality="hedged")
    a1.add((MEETING, RDF.type, KG.Meeting))
    a1.add((MEETING, KG.agent, KIM))
    a1.add((MEETING, KG.participant, SHOIGU))
    a1.add((MEETING, KG.place, VLADIVOSTOK))
    a1.add((MEETING, KG.date, Literal("2023-09-16", datatype=XSD.date)))
    a1.add((MEETING, KG.dateText, Literal("On Saturday")))
    a1.add((MEETING, KG.evidence, EV_MET))

    a2 = ds.graph(ART2)
    a2.add((ART2, RDF.type, KG.Article))
    a2.add((ART2, DCTERMS.title, Literal(f"Fleet news {XSS_IMG}")))
    a2.add((ART2, KG.date, Literal("2023-09-17", datatype=XSD.date)))
    a2.add((XSS_PERSON, KG.memberOf, FLEET))
    _evidence(a2, EV_XSS, XSS_PERSON, KG.memberOf, FLEET, ART2, XSS_SENTENCE, attribution=XSS_IMG)
    return ds


def make_big_graph(n=1500, seed=7):
    """n Persons; a few hubs, a ring and random extra edges so degrees differ."""
    import random

    rng = random.Random(seed)
    g = Graph()
    people = [ID[f"person/p{i:04d}"] for i in range(n)]
    for i, p in enumerate(people):
        g.add((p, RDF.type, KG.Person if i % 3 else KG.Organization))
        g.add((p, RDFS.label, Literal(f"Entity {i:04d}")))
    for i in range(n):
        g.add((people[i], KG.knows, people[(i + 1) % n]))
    for _ in range(n):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            g.add((people[a], KG.mentions, people[b]))
    for hub in range(5):
        for j in range(40):
            g.add((people[hub], KG.leads, people[rng.randrange(5, n)]))
    return g


def page_data(page):
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "no kg-data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def small_page():
    return render_html(make_dataset(), title="Test <b>graph</b>")


# --------------------------------------------------------------------------- HTML string


def test_page_is_offline_and_inlines_vis(small_page):
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*([^"'\s>]+)""", small_page, re.I)
    assert not [r for r in refs if re.match(r"(?i)(https?:)?//", r)], refs
    assert "http://" not in " ".join(refs) and "https://" not in " ".join(refs)
    assert not re.search(r"<link\b", small_page, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", small_page, re.I)
    import pyvis

    vis_dir = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    vis_js = (vis_dir / "vis-network.min.js").read_text(encoding="utf-8")
    assert vis_js.replace("//# sourceMappingURL=vis-network.min.js.map", "") in small_page
    assert "sourceMappingURL" not in small_page
    assert (vis_dir / "vis-network.css").read_text(encoding="utf-8") in small_page
    assert "Content-Security-Policy" in small_page
    assert small_page.startswith("<!DOCTYPE html>")


def test_untrusted_text_is_escaped(small_page):
    for raw in (XSS_SCRIPT, XSS_IMG, "<b>graph</b>", "onerror=alert(1)>"):
        assert raw not in small_page
    # Every <script opened is one of ours or pyvis's: none injected.
    import pyvis

    vis_js = (Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    outside_vis = small_page.replace(vis_js.replace("//# sourceMappingURL=vis-network.min.js.map", ""), "")
    assert len(re.findall(r"<script\b", outside_vis)) == len(re.findall(r"</script>", outside_vis)) == 5
    assert "Test &lt;b&gt;graph&lt;/b&gt;" in small_page
    data = page_data(small_page)  # ... and the data round-trips to the literal text
    labels = {n["label"] for n in data["nodes"].values()}
    assert XSS_SCRIPT in labels
    sentences = [ev["sentence"] for e in data["edges"].values() for ev in e["evidence"]]
    assert XSS_SENTENCE in sentences
    titles = [ev["article"] for e in data["edges"].values() for ev in e["evidence"]]
    assert f"Fleet news {XSS_IMG}" in titles
    # no hover titles: vis-network may render them as HTML
    assert '"title":' not in small_page.split('id="kg-data"')[1]


def test_nodes_edges_and_classes(small_page):
    data = page_data(small_page)
    by_label = {n["label"]: n for n in data["nodes"].values()}
    assert set(by_label) == {
        "Sergei Shoigu", "Kim Jong Un", XSS_SCRIPT, "Marshal Shaposhnikov", "Vladivostok", "Pacific Fleet",
        "Meeting 2023-09-16",
    }
    assert by_label["Marshal Shaposhnikov"]["class"] == "Vessel"
    assert by_label["Meeting 2023-09-16"]["event"] is True
    assert by_label["Sergei Shoigu"]["names"] == ["Sergei Kuzhugetovich Shoigu", "Shoigu"]
    assert by_label["Sergei Shoigu"]["positions"] == ["Defence Minister of Russia"]
    preds = sorted(e["p"] for e in data["edges"].values())
    assert preds.count("met") == 1  # asserted both ways, drawn once
    assert preds == sorted(["met", "inspected", "visited", "partOf", "memberOf", "agent", "participant", "place"])
    assert "evidence" not in preds  # evidence records are not drawn
    met = next(e for e in data["edges"].values() if e["p"] == "met")
    assert met["symmetric"] and len(met["evidence"]) == 1
    ev = met["evidence"][0]
    assert ev == {
        "iri": str(EV_MET), "sentence": MET_SENTENCE, "article": "Kim inspects Russian warships in Vladivostok",
        "articleIri": str(ART1), "date": "2023-09-16", "source": "000_kim.txt",
        "attribution": "Russian state media", "modality": "asserted",
    }
    agent = next(e for e in data["edges"].values() if e["p"] == "agent")
    assert agent["evidence"][0]["sentence"] == MET_SENTENCE  # event edges show the event's evidence
    shoigu_facts = {(f["p"], f["other"], f["dir"]) for f in by_label["Sergei Shoigu"]["facts"]}
    assert ("met", "Kim Jong Un", "both") in shoigu_facts
    assert ("participant", "Meeting 2023-09-16", "in") in shoigu_facts


def test_legend_and_filters(small_page):
    for cls in ("Person", "Vessel", "City", "MilitaryUnit", "Meeting"):
        assert f'<li class="kg-legend-item" data-class="{cls}">' in small_page
        assert f'class="kg-class-filter" value="{cls}" checked' in small_page
    assert f"background:{kghtml.PALETTE['Person']}" in small_page
    for p in ("met", "inspected", "partOf"):
        assert f'class="kg-pred-filter" value="{p}" checked' in small_page
    assert 'id="kg-search"' in small_page and 'type="search"' in small_page
    assert 'id="kg-panel"' in small_page
    assert 'id="kg-notice"' not in small_page


def test_small_graph_uses_physics():
    html = render_html(make_dataset())
    assert '"physics": {"enabled": true' in html
    data = page_data(html)
    assert data["meta"]["physics"] is True and data["meta"]["truncated"] is False


def test_large_graph_is_truncated_with_precomputed_layout():
    g = make_big_graph(1500)
    t0 = time.perf_counter()
    html = render_html(g)
    elapsed = time.perf_counter() - t0
    print(f"\n1500-entity graph -> {len(html) / 1e6:.2f} MB page in {elapsed:.2f}s")
    assert elapsed < 20
    m = re.search(r'<div id="kg-notice"[^>]*>(.*?)</div>', html)
    assert m and m.group(1) == (
        "Showing the 1000 most connected of 1500 entities; rebuild with --max-nodes to change"
    )
    data = page_data(html)
    assert len(data["nodes"]) == 1000 and data["meta"]["physics"] is False
    assert str(ID["person/p0000"]) in data["nodes"]  # the hubs survive
    assert '"physics": {"enabled": false' in html
    nodes_json = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1)
    nodes = json.loads(nodes_json)
    assert len(nodes) == 1000 and all("x" in n and "y" in n for n in nodes)
    assert all(e["from"] in data["nodes"] and e["to"] in data["nodes"] for e in data["edges"].values())


def test_max_nodes_and_stats(tmp_path):
    stats = write_html(make_big_graph(200), tmp_path / "g.html", max_nodes=50)
    assert stats["nodes"] == 50 and stats["total_nodes"] == 200 and stats["truncated"] is True
    assert stats["layout"] == "physics" and stats["seconds"] >= 0 and stats["edges"] > 0
    assert "Showing the 50 most connected of 200 entities" in (tmp_path / "g.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        render_html(Graph(), max_nodes=0)


def test_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "sub" / "graph.html"
    stats = write_html(make_dataset(), out)
    assert out.exists() and stats["nodes"] == 7 and stats["edges"] == 8 and not stats["truncated"]
    assert stats["bytes"] == out.stat().st_size
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]
    before = out.read_bytes()

    import kg.export as kgexport

    real_fsync = kgexport.os.fsync
    monkeypatch.setattr(kgexport.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        write_html(Graph(), out)
    monkeypatch.setattr(kgexport.os, "fsync", real_fsync)
    assert out.read_bytes() == before  # the old page survives a failed write
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]  # and no temp file is left


def test_plain_graph_and_empty_graph():
    union = Graph()
    for s, p, o, _ in make_dataset().quads((None, None, None, None)):
        union.add((s, p, o))
    assert page_data(render_html(union))["nodes"].keys() == page_data(render_html(make_dataset()))["nodes"].keys()
    empty = render_html(Graph())
    assert 'id="kg-empty"' in empty and page_data(empty)["nodes"] == {}


# --------------------------------------------------------------------------- browser


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    external, dialogs, errors = [], [], []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else external.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(Path(path).resolve().as_uri())
    page.wait_for_function("window.kgReady === true", timeout=30000)
    return page, external, dialogs, errors


@pytest.mark.browser
def test_explorer_in_browser(browser, tmp_path):
    out = tmp_path / "graph.html"
    write_html(make_dataset(), out, title="kg test")
    page, external, dialogs, errors = _open(browser, out)

    assert page.evaluate("kgNetwork.body.data.nodes.length") == 7
    assert page.evaluate("Object.keys(kgNetwork.getPositions()).length") == 7
    # the canvas really has ink on it
    inked = page.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert inked > 1000

    # click the middle of the met edge with the real mouse
    point = page.evaluate(
        """() => { const net = kgNetwork, data = kgExplorer.data;
                   const id = Object.keys(data.edges).find(k => data.edges[k].p === 'met');
                   const e = data.edges[id], pos = net.getPositions([e.from, e.to]);
                   const a = net.canvasToDOM(pos[e.from]), b = net.canvasToDOM(pos[e.to]);
                   const r = document.getElementById('mynetwork').getBoundingClientRect();
                   return {id: id, x: r.left + (a.x + b.x) / 2, y: r.top + (a.y + b.y) / 2}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("document.getElementById('kg-panel').getAttribute('data-kind') === 'edge'")
    assert page.evaluate("kgNetwork.getSelectedEdges()") == [point["id"]]
    panel = page.inner_text("#kg-panel")
    assert MET_SENTENCE in panel
    assert "Kim inspects Russian warships in Vladivostok" in panel and "2023-09-16" in panel
    assert "Russian state media" in panel and "asserted" in panel

    # search by an alternative name
    page.fill("#kg-search", "Shoigu")
    selected = page.evaluate("kgNetwork.getSelectedNodes()")
    assert [page.evaluate(f"kgExplorer.data.nodes[{json.dumps(s)}].label") for s in selected] == ["Sergei Shoigu"]
    panel = page.inner_text("#kg-panel")
    assert "Sergei Shoigu" in panel and "Defence Minister of Russia" in panel and "Sergei Kuzhugetovich Shoigu" in panel

    # hostile text shows up literally, and nothing ran
    page.fill("#kg-search", "onerror")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-panel .kg-name") == XSS_SCRIPT
    assert XSS_IMG in page.inner_text("#kg-panel")
    page.evaluate("id => kgExplorer.showEdge(id)", page.evaluate(
        "Object.keys(kgExplorer.data.edges).find(k => kgExplorer.data.edges[k].p === 'memberOf')"))
    assert XSS_SENTENCE in page.inner_text("#kg-panel")
    assert page.evaluate("document.querySelectorAll('#kg-panel img, #kg-panel script').length") == 0

    # class filter hides nodes (and their edges) through the DataSet
    page.uncheck("input.kg-class-filter[value='Vessel']")
    assert page.evaluate("kgNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.kgClass)") == ["Vessel"]
    assert sorted(page.evaluate("kgNetwork.body.data.edges.get({filter: e => e.hidden}).map(e => e.kgPred)")) == [
        "inspected", "partOf"]
    page.check("input.kg-class-filter[value='Vessel']")
    page.uncheck("input.kg-pred-filter[value='met']")
    assert page.evaluate("kgNetwork.body.data.edges.get({filter: e => e.hidden}).map(e => e.kgPred)") == ["met"]
    page.check("input.kg-pred-filter[value='met']")

    # back to the Shoigu view for the picture
    page.fill("#kg-search", "")
    page.fill("#kg-search", "Shoigu")
    page.wait_for_timeout(600)
    shot = tmp_path / "graph.png"
    page.screenshot(path=str(shot))
    shutil.copy(shot, "/tmp/kg_html_test.png")

    assert dialogs == []
    assert external == []
    assert errors == []
    page.close()


@pytest.mark.browser
def test_large_page_in_browser(browser, tmp_path):
    out = tmp_path / "big.html"
    stats = write_html(make_big_graph(1500), out)
    assert stats["nodes"] == 1000 and stats["layout"] == "precomputed"
    t0 = time.perf_counter()
    page, external, dialogs, errors = _open(browser, out)
    print(f"\n1000 drawn nodes ready in the browser after {time.perf_counter() - t0:.2f}s")
    assert page.evaluate("kgNetwork.body.data.nodes.length") == 1000
    assert page.is_visible("#kg-notice")
    assert page.evaluate("kgNetwork.physics.physicsEnabled") is False
    page.screenshot(path=str(tmp_path / "big.png"))
    shutil.copy(tmp_path / "big.png", "/tmp/kg_html_test_large.png")
    assert external == [] and dialogs == [] and errors == []
    page.close()


# --------------------------------------------------------------------------- straight from the store


def _as_oxigraph(graph):
    """The graph as pyoxigraph quads, as KGStore.exported_quads() gives them."""
    import pyoxigraph as ox

    from kg.store import to_ox

    if hasattr(graph, "quads"):
        return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(c.identifier if hasattr(c, "identifier") else c))
                for s, p, o, c in graph.quads((None, None, None, None))]
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


@pytest.mark.parametrize("make", [make_dataset, lambda: make_big_graph(1200)], ids=["small", "large"])
def test_page_from_oxigraph_terms_equals_page_from_rdflib(make):
    graph = make()
    page = render_html(graph, title="same")
    ox_items = _as_oxigraph(graph)
    assert len(ox_items) > 20
    assert render_html(ox_items, title="same") == page
    assert render_html(list(reversed(ox_items)), title="same") == page  # input order does not matter


def _dense_layout(n, pairs, iterations=kghtml.LAYOUT_ITERATIONS, seed=kghtml.LAYOUT_SEED):
    """Fruchterman-Reingold as written before the sparse attraction: full adjacency matrix."""
    import math

    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.random(n).astype(np.float32)
    y = rng.random(n).astype(np.float32)
    adj = np.zeros((n, n), dtype=np.float32)
    if pairs:
        a = np.array([i for i, _ in pairs], dtype=np.intp)
        b = np.array([j for _, j in pairs], dtype=np.intp)
        adj[a, b] = 1.0
        adj[b, a] = 1.0
    k = np.float32(math.sqrt(1.0 / max(n, 1)))
    k2, inv_k = k * k, np.float32(1.0) / k
    temp = 0.1
    step = temp / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx
        d2 += dy * dy
        np.maximum(d2, np.float32(1e-4), out=d2)
        force = adj * np.sqrt(d2)
        force *= -inv_k
        force += k2 / d2
        kghtml._move(x, y, (dx * force).sum(axis=1), (dy * force).sum(axis=1), temp)
        temp -= step
    return kghtml._pixels(x, y, n)


@pytest.mark.parametrize("n,m", [(1, 0), (2, 1), (7, 0), (320, 500), (600, 2500)])
def test_layout_equals_the_dense_formula_bit_for_bit(n, m):
    import random

    rng = random.Random(n)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
    pairs = [(a, b) for a, b in pairs if a != b] + ([(3, 3), (0, 1), (1, 0)] if n > 3 else [])
    assert kghtml._layout(n, pairs) == _dense_layout(n, pairs)


def _pyvis_generate_html(nodes, edges, options):
    """The page pyvis itself makes from these records (add_node/add_edge, then generate_html)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.options = options
    for node in nodes:
        rest = dict(node)
        nid, label, shape, color = rest.pop("id"), rest.pop("label"), rest.pop("shape"), rest.pop("color")
        net.add_node(nid, label=label, shape=shape, color=color, **rest)
    for edge in edges:
        rest = dict(edge)
        net.add_edge(rest.pop("from"), rest.pop("to"), **rest)
    return net.generate_html()


@pytest.mark.parametrize("make", [make_dataset, lambda: make_big_graph(400), Graph], ids=["small", "large", "empty"])
def test_page_without_importing_pyvis_equals_pyvis_page(make, monkeypatch):
    import subprocess
    import sys

    graph = make()
    ours = render_html(graph, title="same")
    monkeypatch.setattr(kghtml, "_pyvis_page", _pyvis_generate_html)
    assert render_html(graph, title="same") == ours
    # and rendering the page imports neither pyvis nor networkx
    code = ("import sys; from rdflib import Graph; from kg.export.html import render_html; "
            "render_html(Graph()); print(sorted(m for m in ('pyvis', 'networkx', 'IPython') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
