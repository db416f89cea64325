"""Throughput of kg on the Re-DocRED dev texts (about 100,000 words).

Measured in one run, on the same texts and batch size:

a. raw spaCy: ``spacy.load(model).pipe`` (the plain model, none of our components);
b. extraction stage: ``kg.nlp.load_nlp().pipe`` consuming ``doc._.kg``
   (model loading and a short warm-up excluded);
c. the whole ``python -m kg build`` as a subprocess, from process start to the
   written ttl/trig/html, under ``/usr/bin/time -v`` for the peak RSS;
d. the extraction stage with 2 worker processes, as ``kg build --workers 2`` runs it
   (``kg.build.extract_articles``: spaCy's ``n_process=2``, the workers send back only each
   doc's extraction), against b (the wall time includes starting the workers; time to the
   first doc is reported).

The CPU time (user + system) of a and c is reported beside the wall time: the build writes its
store on a second thread while it renders the exports, so its wall time can be below its CPU time.

a, b, c and d are timed ``--repeat`` times (default 2; a and b alternate) and the fastest
run of each counts: on a shared 2-core machine slower runs measure other load, not kg. The
peak RSS is the largest any build reached.

Words are the Re-DocRED tokens. A document's text is its tokens joined with
spaces, sentences joined with " ".

Usage::

    .venv/bin/python benchmarks/throughput.py                 # all 500 docs
    .venv/bin/python benchmarks/throughput.py --limit 50      # quick run
    .venv/bin/python benchmarks/throughput.py --json out.json --profile 100
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/bench/redocred_dev.json"
sys.path.insert(0, str(REPO))


def load_texts(path: Path, limit: int | None) -> tuple[list[str], int]:
    docs = json.loads(Path(path).read_text(encoding="utf-8"))
    if limit:
        docs = docs[:limit]
    texts = [" ".join(" ".join(sent) for sent in d["sents"]) for d in docs]
    words = sum(len(sent) for d in docs for sent in d["sents"])
    return texts, words


def time_pipe(nlp, texts, *, batch_size: int, n_process: int = 1, consume_kg: bool = False) -> dict:
    """Wall time of one ``nlp.pipe`` pass; also the time until the first doc arrives."""
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    first = None
    n = 0
    kg_items = 0
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        if first is None:
            first = time.perf_counter() - t0
        if consume_kg:
            data = doc._.kg
            kg_items += len(data["mentions"]) + len(data["relations"]) + len(data["events"])
        n += 1
    wall = time.perf_counter() - t0
    return {"seconds": wall, "first_doc_seconds": first or 0.0, "docs": n, "kg_items": kg_items,
            "cpu_seconds": time.process_time() - cpu0}


def time_workers(nlp, texts, *, batch_size: int, workers: int) -> dict:
    """Wall time of the build's extraction stage, ``kg.build.extract_articles(..., workers=N)``
    (spaCy's ``n_process``; the workers send back only each doc's extraction)."""
    from kg.build import extract_articles
    from kg.types import Article

    articles = [Article(id=f"{i:016x}", text=text, source=f"doc{i:04d}.txt") for i, text in enumerate(texts)]
    t0 = time.perf_counter()
    first = None
    kg_items = 0
    for ex in extract_articles(nlp, articles, workers=workers, batch_size=batch_size):
        if first is None:
            first = time.perf_counter() - t0
        kg_items += len(ex.mentions) + len(ex.relations) + len(ex.events)
    wall = time.perf_counter() - t0
    return {"seconds": wall, "first_doc_seconds": first or 0.0, "docs": len(articles), "kg_items": kg_items}


_NO_HTML = (
    "import sys, time; t0 = time.perf_counter(); from kg.build import build; "
    "r = build([sys.argv[1]], sys.argv[2], html=False); "
    "print(f'articles read: {r.articles}'); print(f'seconds: {time.perf_counter() - t0:.2f}')"
)


_TIMINGS = (
    "import sys, json, time; t0 = time.perf_counter(); from kg.build import build; t1 = time.perf_counter(); "
    "r = build([sys.argv[1]], sys.argv[2], html=sys.argv[3] == '1'); "
    "print('TIMINGS ' + json.dumps({'import': t1 - t0, **r.timings, 'total_in_build': r.seconds}))"
)


def build_stage_timings(texts, *, html: bool = True) -> dict:
    """``BuildResult.timings`` of a library build in a fresh interpreter (a second, separate build)."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        src = tmp / "in"
        src.mkdir()
        for i, text in enumerate(texts):
            (src / f"doc{i:04d}.txt").write_text(text + "\n", encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        proc = subprocess.run([sys.executable, "-c", _TIMINGS, str(src), str(tmp / "out"), "1" if html else "0"],
                              cwd=REPO, env=env, capture_output=True, text=True)
        m = re.search(r"^TIMINGS (.*)$", proc.stdout, re.M)
        return json.loads(m.group(1)) if m else {"error": proc.stderr[-1000:]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_build(texts, *, workers: int = 1, keep_files: bool = False, html: bool = True,
              gnu_time: bool = True) -> dict:
    """Write the texts as .txt files (not timed), then time ``python -m kg build``.

    ``html=False`` runs ``kg.build.build(..., html=False)`` in a fresh
    interpreter instead of the CLI (the fallback when the HTML export is missing).
    """
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    src, out = tmp / "in", tmp / "out"
    src.mkdir()
    for i, text in enumerate(texts):
        (src / f"doc{i:04d}.txt").write_text(text + "\n", encoding="utf-8")
    if html:
        cmd = [sys.executable, "-m", "kg", "build", str(src), "--out", str(out)]
        if workers > 1:
            cmd += ["--workers", str(workers)]
    else:
        cmd = [sys.executable, "-c", _NO_HTML, str(src), str(out)]
    gnu_time = "/usr/bin/time" if gnu_time and Path("/usr/bin/time").exists() else None
    full = ([gnu_time, "-v"] + cmd) if gnu_time else cmd
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(full, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    res = {"seconds": wall, "returncode": proc.returncode, "command": " ".join(cmd), "html": html}
    if proc.returncode != 0:
        err = proc.stderr.split("Command exited with non-zero status")[0].split("\tCommand being timed")[0]
        res["stderr_tail"] = err[-2000:]
    rss_kb = None
    if gnu_time:
        m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", proc.stderr)
        if m:
            rss_kb = int(m.group(1))
        cpu = [re.search(rf"{kind} time \(seconds\):\s*([\d.]+)", proc.stderr) for kind in ("User", "System")]
        if all(cpu):
            res["cpu_seconds"] = sum(float(c.group(1)) for c in cpu)
        res["rss_source"] = "/usr/bin/time -v"
    if rss_kb is None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        # ru_maxrss of children is the max over all waited-for children (KiB on Linux)
        rss_kb = after if after > before else None
        res["rss_source"] = "getrusage(RUSAGE_CHILDREN)"
    res["peak_rss_mb"] = rss_kb / 1024 if rss_kb else None
    m = re.search(r"^seconds:\s*([\d.]+)", proc.stdout, re.M)
    res["inprocess_seconds"] = float(m.group(1)) if m else None
    m = re.search(r"^articles read:\s*(\d+)", proc.stdout, re.M)
    res["articles"] = int(m.group(1)) if m else None
    res["outputs"] = {p.name: p.stat().st_size for p in sorted(out.glob("graph.*"))} if out.exists() else {}
    res["stdout"] = proc.stdout.strip().splitlines()
    if keep_files:
        res["tmpdir"] = str(tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def component_times(nlp, texts, *, batch_size: int) -> list[tuple[str, float]]:
    """Seconds spent in each pipeline component (tokenizer first), no profiler overhead."""
    out = []
    t = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    out.append(("tokenizer", time.perf_counter() - t))
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        out.append((name, time.perf_counter() - t))
    return out


def profile_extraction(nlp, texts, *, batch_size: int, top: int = 25) -> str:
    """cProfile of the extraction pipe; the top ``top`` kg/ functions by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        doc._.kg
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative")
    kg_dir = re.escape(str(REPO / "kg"))
    stats.print_stats(kg_dir, top)
    # also the whole-pipeline view: top non-kg callers (spaCy components) for context
    buf.write("\n--- top 15 overall (cumulative) ---\n")
    stats.stream = buf
    stats.print_stats(15)
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Re-DocRED json (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (kg build uses 16)")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: kg's default model)")
    ap.add_argument("--warmup", type=int, default=5, help="docs run through each pipeline before timing")
    ap.add_argument("--repeat", type=int, default=2,
                    help="time raw, extraction, kg build and 2 workers this many times; the fastest counts")
    ap.add_argument("--skip-build", action="store_true", help="skip the kg build subprocess")
    ap.add_argument("--build-no-html", action="store_true",
                    help="time kg.build.build(..., html=False) in a subprocess instead of the CLI")
    ap.add_argument("--no-gnu-time", action="store_true",
                    help="peak RSS from getrusage(RUSAGE_CHILDREN) instead of /usr/bin/time -v")
    ap.add_argument("--build-timings", action="store_true",
                    help="also run a second build in a subprocess and report its per-stage timings")
    ap.add_argument("--skip-workers", action="store_true", help="skip the n_process=2 run")
    ap.add_argument("--profile", type=int, default=None, metavar="N",
                    help="profile the extraction stage on N docs (default: 100 docs when extraction/raw < 0.9)")
    ap.add_argument("--components", type=int, default=None, metavar="N",
                    help="time each pipeline component on N docs (done on the profile docs when profiling)")
    ap.add_argument("--no-profile", action="store_true", help="never profile")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the figures as JSON")
    args = ap.parse_args(argv)

    import spacy

    from kg.nlp import load_nlp, model_name

    model = model_name(args.model)
    texts, words = load_texts(args.data, args.limit)
    chars = sum(len(t) for t in texts)
    print(f"data: {args.data}  docs: {len(texts)}  words (tokens): {words}  chars: {chars}")
    print(f"model: {model}  batch size: {args.batch_size}  python {platform.python_version()}  "
          f"spaCy {spacy.__version__}  cpus: {os.cpu_count()}")
    results: dict = {"docs": len(texts), "words": words, "chars": chars, "model": model,
                     "batch_size": args.batch_size, "cpus": os.cpu_count()}
    warm = texts[: args.warmup]
    results["loadavg_start"] = os.getloadavg()

    # (a) raw spaCy and (b) the extraction stage, alternated --repeat times; the fastest run of
    # each counts (timeit's rule: slower runs measure other load on the machine, not the code)
    t = time.perf_counter()
    raw_nlp = spacy.load(model)
    raw_load = time.perf_counter() - t
    list(raw_nlp.pipe(warm, batch_size=args.batch_size))
    t = time.perf_counter()
    nlp = load_nlp(model)
    ext_load = time.perf_counter() - t
    for d in nlp.pipe(warm, batch_size=args.batch_size):
        d._.kg
    raw_runs, ext_runs = [], []
    for k in range(args.repeat):
        raw_runs.append(time_pipe(raw_nlp, texts, batch_size=args.batch_size))
        print(f"  raw spaCy done: {raw_runs[-1]['seconds']:.1f}s")
        ext_runs.append(time_pipe(nlp, texts, batch_size=args.batch_size, consume_kg=True))
        print(f"  extraction stage done: {ext_runs[-1]['seconds']:.1f}s")
    raw = min(raw_runs, key=lambda r: r["seconds"])
    raw.update(load_seconds=raw_load, pipes=raw_nlp.pipe_names, words_per_s=words / raw["seconds"],
               runs=[r["seconds"] for r in raw_runs])
    results["raw"] = raw
    del raw_nlp
    ext = min(ext_runs, key=lambda r: r["seconds"])
    ext.update(load_seconds=ext_load, pipes=nlp.pipe_names, words_per_s=words / ext["seconds"],
               runs=[r["seconds"] for r in ext_runs])
    results["extract"] = ext

    # (c) whole kg build (before (d), so getrusage(RUSAGE_CHILDREN) sees only the build)
    if not args.skip_build:
        # the fastest of --repeat builds counts, as for the stages above; peak memory is the
        # largest any run reached
        builds = [run_build(texts, html=not args.build_no_html, gnu_time=not args.no_gnu_time)
                  for _ in range(args.repeat)]
        b = min(builds, key=lambda r: (r["returncode"] != 0, r["seconds"]))
        b["runs"] = [r["seconds"] for r in builds]
        rss = [r["peak_rss_mb"] for r in builds if r.get("peak_rss_mb")]
        if rss:
            b["peak_rss_mb"] = max(rss)
        if b["returncode"] != 0 and "No module named 'kg.export.html'" in b.get("stderr_tail", ""):
            print("  kg build failed: kg.export.html is missing; re-running the build without HTML")
            failed = b
            b = run_build(texts, html=False, gnu_time=not args.no_gnu_time)
            b["fallback_reason"] = "kg.export.html missing: " + failed["command"] + " failed"
        if b["returncode"] == 0:
            b["words_per_s"] = words / b["seconds"]
        results["build"] = b
        print(f"  kg build done: {b['seconds']:.1f}s (rc {b['returncode']})")

    if args.build_timings and not args.skip_build:
        bt = build_stage_timings(texts, html=results["build"]["html"])
        results["build_stage_seconds"] = bt
        print("  build stage timings done")

    # (d) two worker processes (wall time includes worker start-up)
    if not args.skip_workers:
        w2_runs = [time_workers(nlp, texts, batch_size=args.batch_size, workers=2) for _ in range(args.repeat)]
        w2 = min(w2_runs, key=lambda r: r["seconds"])
        w2["runs"] = [r["seconds"] for r in w2_runs]
        w2["words_per_s"] = words / w2["seconds"]
        w2["note"] = ("wall time of kg.build.extract_articles(workers=2), as kg build --workers 2 runs it, "
                      "including starting the 2 worker processes")
        if w2["kg_items"] != ext["kg_items"]:
            w2["warning"] = f"kg items differ from n_process=1: {w2['kg_items']} vs {ext['kg_items']}"
        results["extract_2proc"] = w2
        print(f"  extraction with 2 workers done: {w2['seconds']:.1f}s")

    results["loadavg_end"] = os.getloadavg()

    # ratios
    ratios = {"extract/raw": ext["words_per_s"] / raw["words_per_s"]}
    if "build" in results and results["build"].get("words_per_s"):
        ratios["build/raw"] = results["build"]["words_per_s"] / raw["words_per_s"]
        ratios["build/extract"] = results["build"]["words_per_s"] / ext["words_per_s"]
    if "extract_2proc" in results:
        ratios["2-proc speed-up"] = ext["seconds"] / results["extract_2proc"]["seconds"]
    results["ratios"] = ratios

    # table
    print()
    print(f"{'stage':44} {'seconds':>9} {'words/s':>9} {'vs raw':>7}")
    print("-" * 72)
    rows = [("a. raw spaCy nlp.pipe (plain model)", raw),
            ("b. extraction stage (load_nlp, doc._.kg)", ext)]
    if "extract_2proc" in results:
        rows.append(("d. extraction, 2 workers (incl. start-up)", results["extract_2proc"]))
    if "build" in results and results["build"].get("words_per_s"):
        rows.append(("c. kg build subprocess (end to end)" if results["build"]["html"]
                     else "c. kg build subprocess (NO html)", results["build"]))
    for label, r in rows:
        print(f"{label:44} {r['seconds']:9.2f} {r['words_per_s']:9.0f} {r['words_per_s'] / raw['words_per_s']:6.2f}x")
    print("-" * 72)
    print(f"model load (excluded above): raw {raw['load_seconds']:.2f}s, kg pipeline {ext['load_seconds']:.2f}s")
    print("runs (fastest counts): raw " + " ".join(f"{x:.1f}" for x in raw["runs"])
          + "s, extraction " + " ".join(f"{x:.1f}" for x in ext["runs"]) + "s"
          + (", 2 workers " + " ".join(f"{x:.1f}" for x in results["extract_2proc"]["runs"]) + "s"
             if "extract_2proc" in results else "")
          + (", kg build " + " ".join(f"{x:.1f}" for x in results["build"]["runs"]) + "s"
             if "runs" in results.get("build", {}) else ""))
    if "extract_2proc" in results:
        w2 = results["extract_2proc"]
        print(f"2 workers: speed-up {ratios['2-proc speed-up']:.2f}x over 1 process; "
              f"first doc after {w2['first_doc_seconds']:.2f}s (1 process: {ext['first_doc_seconds']:.2f}s)")
        if "warning" in w2:
            print(f"  WARNING: {w2['warning']}")
    if "build" in results:
        b = results["build"]
        if b["returncode"] != 0:
            print(f"kg build FAILED (rc {b['returncode']}):\n{b.get('stderr_tail', '')}")
        else:
            rss = f"{b['peak_rss_mb']:.0f} MB" if b["peak_rss_mb"] else "n/a"
            if not b["html"]:
                print("NOTE: the build below wrote ttl + trig only, no HTML"
                      + (f" ({b['fallback_reason']})" if "fallback_reason" in b else ""))
            print(f"kg build: {b['articles']} articles, wall {b['seconds']:.2f}s "
                  f"(in-process {b['inprocess_seconds']}s), peak RSS {rss} (largest of the runs) [{b['rss_source']}]")
            print("  outputs: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in b["outputs"].items()))
            print(f"  build/raw {ratios['build/raw']:.2f}x, build/extract {ratios['build/extract']:.2f}x")
            if b.get("cpu_seconds") and raw.get("cpu_seconds"):
                print(f"  CPU time (user + system): build {b['cpu_seconds']:.2f}s (wall {b['seconds']:.2f}s), "
                      f"raw nlp.pipe {raw['cpu_seconds']:.2f}s (wall {raw['seconds']:.2f}s); "
                      f"build/raw by CPU time {raw['cpu_seconds'] / b['cpu_seconds']:.2f}x")
    if "build_stage_seconds" in results:
        bt = results["build_stage_seconds"]
        print("build stages (second, separate library build; BuildResult.timings): "
              + ", ".join(f"{k} {v:.2f}s" if isinstance(v, float) else f"{k} {v}" for k, v in bt.items()))
    print(f"extraction/raw: {ratios['extract/raw']:.2f}x")
    print("load average (1, 5, 15 min) at start: %.2f %.2f %.2f, at end: %.2f %.2f %.2f"
          % (*results["loadavg_start"], *results["loadavg_end"])
          + ("  -- the machine was busy, figures are noisy" if max(results["loadavg_start"][0], results["loadavg_end"][0]) > 1.5 else ""))

    # profile
    n_prof = args.profile
    if n_prof is None and ratios["extract/raw"] < 0.9:
        n_prof = 100
    if n_prof and not args.no_profile:
        print(f"\nprofile of the extraction stage on {min(n_prof, len(texts))} docs "
              f"(cProfile, cumulative, kg/ functions):")
        report = profile_extraction(nlp, texts[:n_prof], batch_size=args.batch_size)
        print(report)
        results["profile"] = report
    if (n_prof and not args.no_profile) or args.components:
        n_comp = args.components or n_prof
        sub = texts[:n_comp]
        sub_words = sum(len(t.split()) for t in sub)
        comp = component_times(nlp, sub, batch_size=args.batch_size)
        total = sum(sec for _, sec in comp)
        results["components"] = {"docs": len(sub), "seconds": dict(comp)}
        print(f"time per pipeline component on {len(sub)} docs ({sub_words} words, no profiler):")
        for name, sec in comp:
            ours = "  (kg)" if name.startswith("kg_") else ""
            print(f"  {name:16} {sec:7.2f}s {sec / total:6.1%}{ours}")
        kg_sec = sum(sec for name, sec in comp if name.startswith("kg_"))
        print(f"  {'kg_* total':16} {kg_sec:7.2f}s {kg_sec / total:6.1%}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
