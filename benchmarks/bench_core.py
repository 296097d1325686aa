"""Core benchmark: build time and SPARQL query times, ours (disk / in-memory) vs raw pyoxigraph vs rdflib.

Usage: python -m benchmarks.bench_core [--sizes 1000,20000] [--repeat 5]
Prints one table per corpus (bundled content, then synthetic corpora) with ratios.
"""

from __future__ import annotations

import argparse
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
    """Median wall time in ms over ``repeat`` runs, and the last result."""
    times: list[float] = []
    result: list[Any] = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def rows_of(run_query: Callable[[str], Any], text: str) -> list[Any]:
    """All result rows of one query, materialised (so lazy iterators are timed in full)."""
    return list(run_query(text))


def cold_build_seconds(content: list[Path]) -> float:
    """Wall time of `tkg build` in a fresh process on an empty store (imports included)."""
    with tempfile.TemporaryDirectory() as store:
        args = [sys.executable, "-m", "graph.cli", "--store", store]
        for path in content:
            args += ["--content", str(path)]
        start = time.perf_counter()
        subprocess.run([*args, "build"], check=True, capture_output=True)
        return time.perf_counter() - start


def bench_corpus(name: str, content: list[Path], leaf: str, root: str, repeat: int, rdflib_repeat: int) -> None:
    """Build the corpus three ways and time each query on each engine."""
    print(f"\n=== {name} ===")
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
        print(f"{'query':<20}{'ours disk':>10}{'ours mem':>10}{'raw oxigraph':>14}{'rdflib':>10}"
              f"{'disk/raw':>10}{'mem/raw':>9}{'rdflib/disk':>13}{'rdflib/mem':>12}  answer (times in ms)")
        for label, template in QUERIES.items():
            text = template % {"leaf": entity_iri(leaf), "root": entity_iri(root)}
            ours_ms, ours_result = timed(partial(rows_of, kg.query, text), repeat)
            mem_ms, _ = timed(partial(rows_of, kg_memory.query, text), repeat)
            raw_ms, raw_result = timed(partial(rows_of, raw.query, prologue + text), repeat)
            lib_ms, lib_result = timed(partial(rows_of, memory.query, prologue + text), rdflib_repeat)
            answer = [str(v.value) for v in ours_result[0]] if ours_result else []
            same = ([str(r[0].value) for r in raw_result] == [str(r[0].value) for r in ours_result]
                    and len(lib_result) == len(ours_result))
            print(f"{label:<20}{ours_ms:>10.2f}{mem_ms:>10.2f}{raw_ms:>14.2f}{lib_ms:>10.1f}"
                  f"{ours_ms / raw_ms:>10.2f}{mem_ms / raw_ms:>9.2f}{lib_ms / ours_ms:>13.1f}{lib_ms / mem_ms:>12.1f}"
                  f"  {answer[:2]}{'' if same else '  (ANSWERS DIFFER)'}")


def main() -> None:
    """Run the benchmark over the bundled content and synthetic corpora."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-repeat", type=int, default=1)
    args = parser.parse_args()
    bench_corpus("bundled content", [BUNDLED_CONTENT], "modality/dyadic-developmental-psychotherapy",
                 "modality/attachment-focused-psychotherapy", args.repeat, max(args.rdflib_repeat, 3))
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = write_corpus(size, Path(tempfile.gettempdir()) / f"tkg-synthetic-{size}")
        bench_corpus(f"synthetic, {size} modalities", [folder], f"modality/synthetic-modality-{size - 1}",
                     "modality/synthetic-modality-0", args.repeat, args.rdflib_repeat)


if __name__ == "__main__":
    main()
