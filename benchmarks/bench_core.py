"""Core benchmark: build time and SPARQL query times, ours (disk / in-memory) vs raw pyoxigraph vs rdflib.

Usage: python -m benchmarks.bench_core [--sizes 1000,20000] [--repeat 5] [--build-sizes 5000,20000]
Prints one table per corpus (bundled content, then synthetic corpora) with ratios, then the build targets: a cold
`tkg build` per size (wall, CPU, peak RSS of the child) against the floor of bulk-loading the build's own N-Quads
export into pyoxigraph. Every engine is timed alike: one warm-up run, then the median of ``--repeat``; ours and raw
pyoxigraph on the same storage (disk, memory) are timed in alternation, so the machine's load falls on both alike,
and the disk pair's ratio is also given in CPU time. Each query's row ends with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from benchmarks.synthetic import write_corpus
from graph.pipeline.build import build_quads
from graph.pipeline.corpus import BUNDLED_CONTENT, content_files, read_curated
from graph.terms import rdflib_graph_from_quads
from graph.views.kg import load_graph
from ontology.namespace import entity_iri, sparql_prologue

QUERIES: dict[str, str] = {
    "lineage path": """SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
        <%(leaf)s> (tkg:subtypeOf|tkg:derivedFrom)+ ?a }""",
    "descendants count": """SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?d (tkg:subtypeOf|tkg:derivedFrom)+ <%(root)s> }""",
    "group-by aggregate": """SELECT ?decade (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?m a tkg:Modality ; tkg:introduced ?y .
        BIND(FLOOR(xsd:integer(STR(?y)) / 10) * 10 AS ?decade) } GROUP BY ?decade ORDER BY ?decade""",
    "4-way join": """SELECT (COUNT(*) AS ?n) WHERE {
        ?m tkg:developedBy ?t . ?t tkg:studentOf ?teacher .
        ?m tkg:servesPopulation ?p . ?m tkg:groundedIn ?theory }""",
}


def timed(run: Callable[[], list[Any]], repeat: int) -> tuple[float, list[Any]]:
    """Median wall time in ms over ``repeat`` runs after one untimed warm-up run, and the last result."""
    times: list[float] = []
    result = run()
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def timed_alternately(runs: dict[str, Callable[[], list[Any]]], repeat: int
                      ) -> dict[str, tuple[float, float, list[Any]]]:
    """Engines compared with each other, timed in turn: one untimed warm-up run each, then ``repeat`` rounds in
    which each runs once, so a change in the machine's load falls on all of them alike. Per engine: median wall
    ms, median CPU ms of this process (``time.process_time``: Oxigraph evaluates in the calling thread, and CPU time
    leaves out the waits that other programs' load adds) and the last result."""
    results = {name: run() for name, run in runs.items()}
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start, cpu = time.perf_counter(), time.process_time()
            results[name] = run()
            walls[name].append((time.perf_counter() - start) * 1000)
            cpus[name].append((time.process_time() - cpu) * 1000)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]), results[name]) for name in runs}


def rows_of(run_query: Callable[[str], Any], text: str) -> list[Any]:
    """All result rows of one query, materialised (so lazy iterators are timed in full)."""
    return list(run_query(text))


def load_text() -> str:
    """The 1-minute load average, printed beside every timing (the machine is shared)."""
    return f"load average {os.getloadavg()[0]:.2f}"


def cold_build(content: list[Path], store: Path) -> tuple[float, float, float]:
    """`tkg build` in a fresh process on an empty store (imports included): wall seconds, CPU seconds (user +
    system) and peak RSS in MB, the last two from the child's own rusage (``os.wait4``)."""
    args = [sys.executable, "-m", "graph.cli", "--store", str(store)]
    for path in content:
        args += ["--content", str(path)]
    start = time.perf_counter()
    child = subprocess.Popen([*args, "build"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"tkg build failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cold_build_seconds(content: list[Path]) -> float:
    """Wall time of `tkg build` in a fresh process on an empty store (imports included)."""
    with tempfile.TemporaryDirectory() as store:
        return cold_build(content, Path(store) / "store")[0]


def bulk_load_floor(store_dir: Path, content: list[Path], repeat: int = 3) -> tuple[int, float, float]:
    """The floor a build is compared with: the build's own N-Quads export (`tkg export --format nq`, ontology
    included) bulk-loaded into an empty in-memory pyoxigraph store; (quads, median wall s, median CPU s)."""
    from graph.sinks.exports import generate_rdf
    from graph.views.kg import load_graph

    kg = load_graph(store_dir, content)
    assert not kg.rebuilt  # noqa: S101 - the store just built
    export = generate_rdf(kg.store, "nq", include_ontology=True)
    walls, cpus = [], []
    for _ in range(repeat):
        store = ox.Store()
        start, cpu = time.perf_counter(), time.process_time()
        store.bulk_load(export, format=ox.RdfFormat.N_QUADS)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return len(store), statistics.median(walls), statistics.median(cpus)


def bench_build(sizes: list[int]) -> None:
    """The build targets: per size, a cold `tkg build` against the bulk-load floor, in one run."""
    print(f"\n=== build targets ({load_text()} at start) ===")
    print(f"{'modalities':>10}{'quads':>10}{'build s':>9}{'CPU s':>7}{'peak RSS MB':>13}{'floor s':>9}"
          f"{'floor CPU s':>13}{'wall ratio':>12}{'CPU ratio':>11}  load")
    for size in sizes:
        folder = write_corpus(size, Path(tempfile.gettempdir()) / f"tkg-synthetic-{size}")
        with tempfile.TemporaryDirectory() as store:
            wall, cpu, rss = cold_build([folder], Path(store) / "store")
            loaded = load_text()
            quads, floor, floor_cpu = bulk_load_floor(Path(store) / "store", [folder])
            print(f"{size:>10,}{quads:>10,}{wall:>9.2f}{cpu:>7.2f}{rss:>13.0f}{floor:>9.3f}{floor_cpu:>13.3f}"
                  f"{wall / floor:>12.1f}{cpu / floor_cpu:>11.1f}  {loaded} (build), {load_text()} (floor)")


def bench_corpus(name: str, content: list[Path], leaf: str, root: str, repeat: int, rdflib_repeat: int) -> None:
    """Build the corpus three ways and time each query on each engine (ours on disk and in memory, raw pyoxigraph
    on the same on-disk files and in memory, rdflib in memory)."""
    print(f"\n=== {name} ({load_text()}) ===")
    cold = cold_build_seconds(content)
    start = time.perf_counter()
    quads, _, _ = build_quads(read_curated(content_files(content)), validate=False)
    pipeline_no_shacl = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as store_dir:
        kg = load_graph(Path(store_dir), content)
        start = time.perf_counter()
        kg_memory = load_graph(Path(store_dir), content, in_memory=True)
        memory_open = time.perf_counter() - start
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        start = time.perf_counter()
        raw = ox.Store()
        raw.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        raw_load = time.perf_counter() - start
        start = time.perf_counter()
        memory = rdflib_graph_from_quads(quads)
        rdflib_load = time.perf_counter() - start
        print(f"triples: {len(triples)}")
        print(f"build: ours cold `tkg build` (incl. imports, SHACL, disk store) {cold:.2f} s; "
              f"pipeline without SHACL {pipeline_no_shacl:.2f} s; "
              f"open ours in-memory {memory_open:.2f} s; "
              f"raw pyoxigraph in-memory load {raw_load:.2f} s; rdflib in-memory load {rdflib_load:.2f} s")
        prologue = sparql_prologue()
        raw_disk = ox.Store.read_only(str(kg.build.path / "oxigraph"))  # the same RocksDB files, no layer of ours
        print(f"{'query':<20}{'ours disk':>10}{'raw disk':>10}{'ours mem':>10}{'raw oxigraph':>14}{'rdflib':>10}"
              f"{'disk/raw disk':>15}{'(CPU)':>7}{'disk/raw':>10}{'mem/raw':>9}{'rdflib/disk':>13}{'rdflib/mem':>12}"
              f"  answer (times in ms)")
        for label, template in QUERIES.items():
            text = template % {"leaf": entity_iri(leaf), "root": entity_iri(root)}
            disk = timed_alternately({"ours": partial(rows_of, kg.query, text),
                                      "raw": partial(rows_of, raw_disk.query, prologue + text)}, repeat)
            memory_pair = timed_alternately({"ours": partial(rows_of, kg_memory.query, text),
                                             "raw": partial(rows_of, raw.query, prologue + text)}, repeat)
            (ours_ms, ours_cpu, ours_result), (raw_disk_ms, raw_disk_cpu, _) = disk["ours"], disk["raw"]
            (mem_ms, _, _), (raw_ms, _, raw_result) = memory_pair["ours"], memory_pair["raw"]
            lib_ms, lib_result = timed(partial(rows_of, memory.query, prologue + text), rdflib_repeat)
            answer = [str(v.value) for v in ours_result[0]] if ours_result else []
            same = ([str(r[0].value) for r in raw_result] == [str(r[0].value) for r in ours_result]
                    and len(lib_result) == len(ours_result))
            print(f"{label:<20}{ours_ms:>10.2f}{raw_disk_ms:>10.2f}{mem_ms:>10.2f}{raw_ms:>14.2f}{lib_ms:>10.1f}"
                  f"{ours_ms / raw_disk_ms:>15.2f}{ours_cpu / raw_disk_cpu if raw_disk_cpu else float('nan'):>7.2f}"
                  f"{ours_ms / raw_ms:>10.2f}{mem_ms / raw_ms:>9.2f}{lib_ms / ours_ms:>13.1f}{lib_ms / mem_ms:>12.1f}"
                  f"  {answer[:2]}{'' if same else '  (ANSWERS DIFFER)'}  {load_text()}")


def main() -> None:
    """Run the benchmark over the bundled content and synthetic corpora."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-repeat", type=int, default=None, help="default: --repeat (timed like ours)")
    parser.add_argument("--build-sizes", default="5000,20000", help="sizes for the build targets ('' skips)")
    args = parser.parse_args()
    rdflib_repeat = args.rdflib_repeat or args.repeat
    bench_build([int(s) for s in args.build_sizes.split(",") if s])
    bench_corpus("bundled content", [BUNDLED_CONTENT], "modality/dyadic-developmental-psychotherapy",
                 "modality/attachment-focused-psychotherapy", args.repeat, rdflib_repeat)
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = write_corpus(size, Path(tempfile.gettempdir()) / f"tkg-synthetic-{size}")
        bench_corpus(f"synthetic, {size} modalities", [folder], f"modality/synthetic-modality-{size - 1}",
                     "modality/synthetic-modality-0", args.repeat, rdflib_repeat)


if __name__ == "__main__":
    main()
