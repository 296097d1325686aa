"""Neo4j push benchmark: our batched UNWIND/MERGE push vs one transaction per node or relationship, live server.

Usage: NEO4J_URI=... NEO4J_PASSWORD=... python -m benchmarks.bench_neo4j [--modalities 20000] [--batch-size 2000]
       [--naive-seconds 60]

Builds the deterministic synthetic corpus (benchmarks/synthetic.py), empties the target database (it must be a
throwaway one, such as the server from .ci/neo4j/start), then:
  1. ours: ``push_to_neo4j`` into the empty database, end to end (plan, schema, batches, stale check);
  2. ours again: the same graph a second time (everything unchanged);
  3. naive: one auto-retried write transaction per item, same constraint, same records. It is timed on a sample
     (nodes, then relationships spread over every relation) for ``--naive-seconds``, and its full time is
     estimated from the measured per-item rates, because running it on the whole corpus takes far longer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from neo4j import Driver, ManagedTransaction

from benchmarks.synthetic import write_corpus
from graph.sinks.neo4j import (
    DEFAULT_BATCH_SIZE,
    RELATIONSHIP_TYPES,
    ensure_schema,
    neo4j_records_from_networkx,
    open_driver,
    push_to_neo4j,
)
from graph.views.kg import load_graph


def wipe(driver: Driver) -> None:
    """Empty the database in chunks."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def naive_node(tx: ManagedTransaction, node: dict) -> None:
    """One node, the obvious way (label from the fixed list, values as parameters)."""
    tx.run(f"MERGE (n:Entity {{id: $id}}) SET n = $properties, n:{node['type']}",
           id=node["id"], properties=node["properties"]).consume()


def naive_relationship(tx: ManagedTransaction, rel: dict) -> None:
    """One relationship, the obvious way."""
    tx.run(f"MATCH (a:Entity {{id: $source}}) MATCH (b:Entity {{id: $target}}) "
           f"MERGE (a)-[r:{RELATIONSHIP_TYPES[rel['relation']]}]->(b) SET r = $properties",
           source=rel["source"], target=rel["target"], properties=rel["properties"]).consume()


def time_naive(driver: Driver, items: list[dict], write: Callable[[ManagedTransaction, dict], None],
               budget: float) -> tuple[int, float]:
    """Write items one transaction each until done or ``budget`` seconds pass; (items written, seconds)."""
    started = time.perf_counter()
    done = 0
    with driver.session() as session:
        for item in items:
            session.execute_write(write, item)
            done += 1
            if time.perf_counter() - started > budget:
                break
    return done, time.perf_counter() - started


def spread(items: list[dict], size: int) -> list[dict]:
    """About ``size`` items taken evenly across the list (so every relation is represented)."""
    step = max(1, len(items) // max(1, size))
    return items[::step][:size]


def main() -> None:
    """Run the benchmark and print our figures beside the naive baseline."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modalities", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--naive-seconds", type=float, default=60.0, help="time budget for the naive sample")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "tkg-bench-neo4j")
    args = parser.parse_args()
    uri, password = os.environ.get("NEO4J_URI"), os.environ.get("NEO4J_PASSWORD")
    if not uri or not password:
        sys.exit("set NEO4J_URI and NEO4J_PASSWORD (e.g. eval \"$(.ci/neo4j/start)\"); the database is emptied")

    started = time.perf_counter()
    corpus = write_corpus(args.modalities, args.work_dir / f"corpus-{args.modalities}")
    graph = load_graph(args.work_dir / f"store-{args.modalities}", [corpus], validate=False).nx
    n_nodes, n_rels = graph.number_of_nodes(), graph.number_of_edges()
    print(f"corpus: {args.modalities} modalities -> {n_nodes:,} nodes + {n_rels:,} relationships "
          f"= {n_nodes + n_rels:,} items (built in {time.perf_counter() - started:.0f} s)")
    from neo4j._codec.packstream import v1 as packstream

    packing = "Rust (neo4j-rust-ext)" if getattr(packstream, "_rust_pack", None) else "pure Python"
    print(f"server: {uri}; driver packing: {packing}; batch size {args.batch_size}; {os.cpu_count()} CPUs")

    driver = open_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), password)
    wipe(driver)
    ours = push_to_neo4j(graph, driver, batch_size=args.batch_size)
    again = push_to_neo4j(graph, driver, batch_size=args.batch_size)
    assert ours.nodes.created == n_nodes and ours.relationships.created == n_rels
    assert again.nodes.unchanged == n_nodes and again.relationships.unchanged == n_rels

    wipe(driver)
    ensure_schema(driver)
    nodes, relationships = neo4j_records_from_networkx(graph)
    node_sample = spread(nodes, 100_000)
    done_nodes, node_seconds = time_naive(driver, node_sample, naive_node, args.naive_seconds / 2)
    # the relationships need every end node: write the nodes the naive sample did not reach, the fast way
    rest = graph.copy()
    rest.remove_edges_from(list(rest.edges(keys=True)))
    push_to_neo4j(rest, driver, batch_size=args.batch_size)
    rel_sample = spread(relationships, 100_000)
    done_rels, rel_seconds = time_naive(driver, rel_sample, naive_relationship, args.naive_seconds / 2)
    driver.close()

    node_rate, rel_rate = done_nodes / node_seconds, done_rels / rel_seconds
    naive_total = n_nodes / node_rate + n_rels / rel_rate
    naive_rate = (n_nodes + n_rels) / naive_total
    print()
    print(f"{'method':<44}{'seconds':>10}{'items/s':>12}{'vs naive':>10}")
    print(f"{'naive, 1 transaction per item (estimated)':<44}{naive_total:>10.1f}{naive_rate:>12,.0f}{1:>9.1f}x")
    print(f"{'  measured: nodes':<44}{node_seconds:>10.1f}{node_rate:>12,.0f}   ({done_nodes:,} nodes)")
    print(f"{'  measured: relationships':<44}{rel_seconds:>10.1f}{rel_rate:>12,.0f}   ({done_rels:,} rels)")
    print(f"{'ours, batched UNWIND/MERGE, empty database':<44}{ours.seconds:>10.1f}{ours.items_per_second:>12,.0f}"
          f"{naive_total / ours.seconds:>9.1f}x")
    print(f"{'ours, second push (all unchanged)':<44}{again.seconds:>10.1f}{again.items_per_second:>12,.0f}"
          f"{naive_total / again.seconds:>9.1f}x")
    print()
    target_ok = ours.items_per_second >= 10_000 and naive_total / ours.seconds >= 20
    print(f"targets (>= 10,000 items/s and >= 20x naive): {'met' if target_ok else 'NOT met'}")


if __name__ == "__main__":
    main()
