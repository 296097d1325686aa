"""Neo4j push benchmark: ours against a plain batched UNWIND and LOAD CSV, same items, same server, one run.

Usage: NEO4J_URI=... NEO4J_PASSWORD=... python -m benchmarks.bench_neo4j [--modalities 20000] [--batch-size 2000]
       [--work-dir DIR] [--no-check]

Builds (or reuses) the deterministic synthetic corpus (benchmarks/synthetic.py) into an Oxigraph store, validated
as ``tkg`` builds it, and empties the target database (it must be a throwaway one, such as the server from
.ci/neo4j/start; LOAD CSV reads files from this machine, so the server must run here too). Then, each into an empty
database with the uniqueness constraint on ``:Entity(id)`` and the label index already in place:

  1. ours: ``push_to_neo4j(kg.store)``: reads nodes and relationships from the store with SPARQL, plans, writes,
     checks for stale items; everything timed; and ours given the records ready-made, as the baselines get them;
  2. UNWIND: the obvious batched ``UNWIND $rows ... CREATE`` (20 lines below), given the records ready-made
     (reading the store is not timed for it);
  3. LOAD CSV: ``LOAD CSV WITH HEADERS ... CALL { CREATE ... } IN TRANSACTIONS OF <batch-size> ROWS``, one file per
     label and relationship type, written beforehand (not timed): only the server's work is timed;
  4. CLI: ``tkg neo4j push`` in a new process, end to end (interpreter start, opening the store, reading it,
     pushing, the stale check);
  5. ours again: a second push of the same graph (every item compared, all unchanged);
  6. with ``--baseline-code DIR``: that checkout's ``tkg neo4j push`` as in 4 (a before/after in the same rounds).

After an untimed warm-up (one push, one LOAD CSV), ``--rounds`` rounds run 1-4 (and 6) in a rotated order, then 5; the
table gives each method's median. Every method must leave the same graph: counts per label and type and a
fingerprint of every property are compared with ours, and ours is read back in full and compared with the
networkx view (``--no-check`` skips that).
The load average is printed beside the figures: client and server share this machine's cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from neo4j import Driver, ManagedTransaction

from benchmarks.synthetic import write_corpus
from graph.sinks.neo4j import (
    DEFAULT_BATCH_SIZE,
    ENTITY_LABEL,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    PushItems,
    batched,
    check_round_trip,
    ensure_schema,
    open_driver,
    push_items,
    push_to_neo4j,
)
from graph.views.kg import load_graph

REPOSITORY = Path(__file__).resolve().parent.parent
OURS = "ours: push_to_neo4j(store)"
READY = "ours, given the records (push only)"
CLI = "ours: tkg neo4j push (CLI, end to end)"
AGAIN = "ours: second push (all unchanged)"
LOAD_CSV = "baseline: LOAD CSV"
LIST_SEPARATOR = "|"
NODE_COLUMNS = ("id", "iri", "label", "aliases", "description", "introduced", "introducedYear", "introducedPrecision",
                "birthYear", "deathYear", "phaseOrder", "sources", "datingYear", "datingPrecision", "datingSource")
RELATIONSHIP_COLUMNS = ("source", "target", "sources", "evidenceText", "evidenceStart", "evidenceEnd", "evidenceSource")
INTEGERS = {"introducedYear", "birthYear", "deathYear", "phaseOrder"}
INTEGER_LISTS = {"datingYear", "evidenceStart", "evidenceEnd"}
STRING_LISTS = {"aliases", "sources", "datingPrecision", "datingSource", "evidenceText", "evidenceSource"}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg gives them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wipe(driver: Driver) -> None:
    """Empty the database in chunks (the schema stays)."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


# ---- baseline 1: the plain batched UNWIND anyone would write -------------------------------------------------------

def unwind_nodes(tx: ManagedTransaction, label: str, rows: list[dict]) -> None:
    """One batch of nodes: ``rows`` are ``{"id", "properties"}`` (label from the fixed list, values as parameters)."""
    tx.run(f"UNWIND $rows AS row CREATE (n:{ENTITY_LABEL}:{label}) SET n = row.properties", rows=rows).consume()


def unwind_relationships(tx: ManagedTransaction, rel_type: str, rows: list[dict]) -> None:
    """One batch of relationships: ``rows`` are ``{"source", "target", "properties"}``."""
    tx.run(f"UNWIND $rows AS row MATCH (a:{ENTITY_LABEL} {{id: row.source}}) MATCH (b:{ENTITY_LABEL} "
           f"{{id: row.target}}) CREATE (a)-[r:{rel_type}]->(b) SET r = row.properties", rows=rows).consume()


def push_unwind(driver: Driver, nodes: dict[str, list[dict]], relationships: dict[str, list[dict]],
                batch_size: int) -> None:
    """Nodes per label, then relationships per type, one managed transaction per batch."""
    with driver.session() as session:
        for label, rows in nodes.items():
            for chunk in batched(rows, batch_size):
                session.execute_write(unwind_nodes, label, chunk)
        for relation, rows in relationships.items():
            for chunk in batched(rows, batch_size):
                session.execute_write(unwind_relationships, RELATIONSHIP_TYPES[relation], chunk)


# ---- baseline 2: LOAD CSV ------------------------------------------------------------------------------------------

def csv_cell(name: str, value: object) -> str:
    """A property as one CSV cell: lists joined by ``|`` (refused if a value holds one), missing as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        texts = [str(item) for item in value]
        if any(LIST_SEPARATOR in text for text in texts):
            raise ValueError(f"{name}: a list value contains {LIST_SEPARATOR!r}; LOAD CSV could not split it")
        return LIST_SEPARATOR.join(texts)
    return str(value)


def write_csv_files(folder: Path, nodes: dict[str, list[dict]], relationships: dict[str, list[dict]]) -> list[Path]:
    """One CSV file per label (``nodes-<Label>.csv``) and per relation (``rels-<relation>.csv``); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for prefix, groups, columns in (("nodes", nodes, NODE_COLUMNS), ("rels", relationships, RELATIONSHIP_COLUMNS)):
        for name, rows in groups.items():
            path = folder / f"{prefix}-{name}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                for row in rows:
                    values = {**row["properties"], "source": row.get("source"), "target": row.get("target")}
                    writer.writerow([csv_cell(column, values.get(column)) for column in columns])
            paths.append(path)
    return paths


def csv_value(column: str) -> str:
    """The Cypher expression turning one CSV cell back into the property's value (empty cell: null, not set)."""
    cell = f"row.{column}"
    if column in INTEGERS:
        return f"toInteger({cell})"
    if column in INTEGER_LISTS:
        return f"[x IN split({cell}, '{LIST_SEPARATOR}') | toInteger(x)]"
    if column in STRING_LISTS:
        return f"split({cell}, '{LIST_SEPARATOR}')"
    return cell


def load_csv_query(kind: str, name: str, batch_size: int) -> str:
    """LOAD CSV of one file into new nodes of one label or new relationships of one type, committed every
    ``batch_size`` rows (labels and types from the fixed lists; the file URL is the parameter ``$url``)."""
    if kind == "nodes":
        sets = ", ".join(f"n.{c} = {csv_value(c)}" for c in NODE_COLUMNS if c not in ("id", "iri", "label"))
        write = f"CREATE (n:{ENTITY_LABEL}:{name} {{id: row.id, iri: row.iri, label: row.label}}) SET {sets}"
    else:
        sets = ", ".join(f"r.{c} = {csv_value(c)}" for c in RELATIONSHIP_COLUMNS if c not in ("source", "target"))
        write = (f"MATCH (a:{ENTITY_LABEL} {{id: row.source}}) MATCH (b:{ENTITY_LABEL} {{id: row.target}}) "
                 f"CREATE (a)-[r:{RELATIONSHIP_TYPES[name]}]->(b) SET {sets}")
    return (f"LOAD CSV WITH HEADERS FROM $url AS row CALL (row) {{ {write} }} "
            f"IN TRANSACTIONS OF {int(batch_size)} ROWS")


def push_load_csv(driver: Driver, folder: Path, nodes: dict[str, list[dict]], relationships: dict[str, list[dict]],
                  batch_size: int) -> None:
    """Every node file, then every relationship file, through LOAD CSV (auto-commit, as CALL IN TRANSACTIONS needs)."""
    with driver.session() as session:
        for kind, groups, prefix in (("nodes", nodes, "nodes"), ("relationships", relationships, "rels")):
            for name in groups:
                url = (folder / f"{prefix}-{name}.csv").resolve().as_uri()
                session.run(load_csv_query(kind, name, batch_size), url=url).consume()


# ---- what every method must leave -------------------------------------------------------------------------------

FINGERPRINT_NODES = (
    f"MATCH (n:{ENTITY_LABEL}) UNWIND [l IN labels(n) WHERE l <> '{ENTITY_LABEL}'] AS label "
    "RETURN label, count(*) AS count, sum(size(keys(n))) AS keys, sum(size(n.label)) AS labelChars, "
    "sum(size(coalesce(n.description, ''))) AS descriptionChars, sum(coalesce(n.introducedYear, 0)) AS years, "
    "sum(size(coalesce(n.aliases, []))) AS aliases, sum(size(coalesce(n.sources, []))) AS sources, "
    "sum(reduce(t = 0, y IN coalesce(n.datingYear, []) | t + y)) AS datings, "
    "sum(coalesce(n.birthYear, 0) + coalesce(n.deathYear, 0) + coalesce(n.phaseOrder, 0)) AS numbers "
    "ORDER BY label")
FINGERPRINT_RELATIONSHIPS = (
    f"MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) "
    "RETURN type(r) AS type, count(*) AS count, sum(size(keys(r))) AS keys, "
    "sum(size(coalesce(r.sources, []))) AS sources, sum(size(coalesce(r.evidenceText, []))) AS evidence, "
    "sum(size(a.id) + size(b.id)) AS ends ORDER BY type")


def fingerprint(driver: Driver) -> list[dict]:
    """Counts per label and type with sums over every property: equal graphs give equal fingerprints."""
    nodes, _, _ = driver.execute_query(FINGERPRINT_NODES)
    relationships, _, _ = driver.execute_query(FINGERPRINT_RELATIONSHIPS)
    return [record.data() for record in [*nodes, *relationships]]


def client_cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the CLI runs as a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(step: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, client CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), client_cpu()
    step()
    return time.perf_counter() - wall, client_cpu() - cpu


def main() -> None:
    """Run the benchmark and print every method's figures with the load average."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modalities", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "tkg-bench-neo4j")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds, each in another order (median)")
    parser.add_argument("--no-check", action="store_true", help="skip reading ours back in full")
    parser.add_argument("--baseline-code", type=Path, default=None,
                        help="another checkout of this repository (e.g. from `git archive`): its `tkg neo4j push` "
                             "is timed in the same rounds, for a before/after in one run")
    args = parser.parse_args()
    uri, password = os.environ.get("NEO4J_URI"), os.environ.get("NEO4J_PASSWORD")
    user = os.environ.get("NEO4J_USER", "neo4j")
    if not uri or not password:
        sys.exit("set NEO4J_URI and NEO4J_PASSWORD (e.g. eval \"$(.ci/neo4j/start)\"); the database is emptied")

    started = time.perf_counter()
    corpus = write_corpus(args.modalities, args.work_dir / f"corpus-{args.modalities}")
    store_dir = args.work_dir / f"store-{args.modalities}"
    kg = load_graph(store_dir, [corpus])  # validated, as the CLI builds it, so the CLI run below reuses it
    items = push_items(kg.store)
    nodes: dict[str, list[dict]] = {label: [] for label in NODE_LABELS}
    for node in items.nodes:
        nodes[node["type"]].append({"id": node["id"], "properties": node["properties"]})
    records = {relation: list(items.relationships(relation)) for relation in items.relationship_counts}
    relationships = {relation: [{"source": r["source"], "target": r["target"], "properties": r["properties"]}
                                for r in found] for relation, found in records.items()}
    n_nodes, n_rels = len(items.nodes), sum(len(rows) for rows in relationships.values())
    ready = PushItems(items.nodes, items.relationship_counts, records.__getitem__)  # read once, pushed many times
    csv_folder = args.work_dir / f"csv-{args.modalities}"
    write_csv_files(csv_folder, nodes, relationships)
    from neo4j._codec.packstream import v1 as packstream

    packing = "Rust (neo4j-rust-ext)" if getattr(packstream, "_rust_pack", None) else "pure Python"
    print(f"corpus: {args.modalities} modalities -> {n_nodes:,} nodes + {n_rels:,} relationships "
          f"= {n_nodes + n_rels:,} items (ready in {time.perf_counter() - started:.0f} s)")
    print(f"server: {uri}; driver packing: {packing}; batch size {args.batch_size}; {os.cpu_count()} CPUs")

    driver = open_driver(uri, user, password)
    ensure_schema(driver)
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    cli = [sys.executable, "-m", "graph.cli", "--content", str(corpus), "neo4j", "push",
           "--uri", uri, "--user", user, "--batch-size", str(args.batch_size)]
    runs: dict[str, list[tuple[float, float, str]]] = {}
    prints: dict[str, list[dict]] = {}

    def run(name: str, step: Callable[[], object], empty: bool = True) -> None:
        if empty:
            wipe(driver)
        before = load_average()
        wall, cpu = timed(step)
        runs.setdefault(name, []).append((wall, cpu, before))
        prints[name] = fingerprint(driver)
        print(f"  {name}: {wall:.1f} s, client CPU {cpu:.1f} s (load {before})", flush=True)

    def cli_push(code: Path = REPOSITORY) -> None:
        # another checkout has its own store: a build's fingerprint covers the absolute paths of the code shaping it
        store = store_dir if code == REPOSITORY else args.work_dir / f"store-{args.modalities}-{code.name}"
        done = subprocess.run([*cli[:3], "--store", str(store), *cli[3:]], capture_output=True, text=True,
                              env={**env, "PYTHONPATH": str(code)}, cwd=code, timeout=3600)
        if done.returncode != 0:
            sys.exit(f"tkg neo4j push ({code}) failed ({done.returncode}): {done.stderr[-2000:]}")

    again: list = []
    methods: list[tuple[str, Callable[[], object]]] = [
        (OURS, lambda: push_to_neo4j(kg.store, driver, batch_size=args.batch_size)),
        (READY, lambda: push_to_neo4j(ready, driver, batch_size=args.batch_size)),
        ("baseline: batched UNWIND", lambda: push_unwind(driver, nodes, relationships, args.batch_size)),
        ("baseline: LOAD CSV", lambda: push_load_csv(driver, csv_folder, nodes, relationships, args.batch_size)),
        (CLI, cli_push),
    ]
    if args.baseline_code:
        baseline = args.baseline_code.resolve()
        methods.append((f"before: tkg neo4j push ({baseline.name}, CLI)", lambda: cli_push(baseline)))
    wipe(driver)
    print("warm-up (not timed): one push and one LOAD CSV, so no method pays for the server's first queries; "
          "the baseline's CLI builds its own store")
    push_to_neo4j(kg.store, driver, batch_size=args.batch_size)
    wipe(driver)
    push_load_csv(driver, csv_folder, nodes, relationships, args.batch_size)
    if args.baseline_code:  # builds the baseline's own store (not timed)
        wipe(driver)
        cli_push(args.baseline_code.resolve())
    for round_number in range(args.rounds):
        print(f"round {round_number + 1} of {args.rounds}")
        shift = round_number % len(methods)  # each round starts with another method
        for name, step in methods[shift:] + methods[:shift]:
            run(name, step)
        run(AGAIN, lambda: again.append(push_to_neo4j(kg.store, driver, batch_size=args.batch_size)), empty=False)
        assert again[-1].nodes.unchanged == n_nodes and again[-1].relationships.unchanged == n_rels, again[-1].lines()

    reference = prints[OURS]
    for name, found in prints.items():
        if found != reference and name != AGAIN:
            sys.exit(f"{name} left a different graph than ours:\n{found}\n!=\n{reference}")
    print("every method left the same graph (counts per label and type, property fingerprint)")
    if not args.no_check:
        result = check_round_trip(kg.nx, driver)
        print(f"ours read back in full and compared with the networkx view: "
              f"{'lossless' if result.lossless else result.differences}")
    driver.close()

    medians = {name: statistics.median(wall for wall, _, _ in found) for name, found in runs.items()}
    print()
    print(f"median of {args.rounds} rounds ({n_nodes + n_rels:,} items); load average (1, 5, 15 min) at each start")
    print(f"{'method':<42}{'seconds':>9}{'items/s':>10}{'client CPU s':>14}{'vs LOAD CSV':>13}   each round's seconds "
          "(load)")
    for name, timings in runs.items():
        wall = medians[name]
        cpu = statistics.median(cpu for _, cpu, _ in timings)
        each = ", ".join(f"{w:.1f} ({load.split()[0]})" for w, _, load in timings)
        print(f"{name:<42}{wall:>9.1f}{(n_nodes + n_rels) / wall:>10,.0f}{cpu:>14.1f}"
              f"{medians[LOAD_CSV] / wall:>12.2f}x   {each}")
    print("(client CPU: the benchmark's process, or the CLI's child process; the server's CPU is not in it)")


if __name__ == "__main__":
    main()
