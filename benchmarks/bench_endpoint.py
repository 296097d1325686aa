"""Endpoint benchmark: `tkg serve` vs plain `oxigraph serve-read-only` vs an rdflib HTTP endpoint, 16 clients.

Usage: python -m benchmarks.bench_endpoint [--modalities 20000] [--clients 16] [--seconds 10] [--skip-rdflib]

The graph is the bundled content plus the synthetic corpus (so the example queries find their seed entities and
every whole-graph query runs at full size). The mixed workload cycles through the example queries of
ontology/queries and the four synthetic query shapes of benchmarks/bench_core.py; the anchored subset keeps the
queries that start from one named entity, judged from their text (never from their speed); the lineage subset the
two lineage-path queries. Each client starts at a different point of the cycle. Each workload runs on ours (answer
cache off) and on raw Oxigraph over the same files back to back; then ours with a warm cache; then rdflib. Prints
throughput, p50/p99 latency, errors, raw/ours, x rdflib and the load average per run, and each query's
single-client latency on ours and on raw Oxigraph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.bench_core import QUERIES as SHAPES
from benchmarks.synthetic import write_corpus
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.processes import stop_process
from graph.serve.endpoint import free_loopback_port
from graph.views.kg import load_graph
from ontology.example_queries import example_queries
from ontology.namespace import entity_iri, sparql_prologue

RDFLIB_SERVER = r'''
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs
import pyoxigraph as ox
from graph.terms import rdflib_graph_from_quads

# Plain rdflib: one in-memory Graph holding the union of the sources (an rdflib Dataset keeping the named graphs
# answered none of its first 16 requests within 70 s here). Queries using GRAPH ?g fail on it and count as errors.
store = ox.Store.read_only(sys.argv[1])
graph = rdflib_graph_from_quads(q for q in store if isinstance(q.graph_name, ox.NamedNode))
prologue = sys.argv[3]
lock = threading.Lock()  # rdflib's SPARQL parser is not thread-safe; queries run one at a time (the GIL would anyway)

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        query = body if self.headers.get("Content-Type", "").startswith("application/sparql-query") \
            else parse_qs(body)["query"][0]
        try:
            with lock:
                payload = graph.query(prologue + query).serialize(format="json")
            status = 200
        except Exception as error:
            payload, status = str(error).encode(), 400
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
print("ready", flush=True)
server.serve_forever()
'''


@dataclass
class LoadResult:
    """What one timed run measured."""

    name: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    per_query: dict[str, list[float]] = field(default_factory=dict)
    workload: str = ""
    load: float = 0.0  # 1-minute load average when the run ended
    cached: bool = False
    server_cpu_s: float = float("nan")  # CPU seconds the server's processes used during the run

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_s / self.completed if self.completed else float("nan")

    @property
    def completed(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


ANCHOR = re.compile(r'skos:(?:prefLabel|altLabel)[^.;{}]*?"[^"]+"|<https://w3id\.org/therapy-kg/id/[^>]+>|\bid:[a-z]')


def anchored_by_shape(text: str) -> bool:
    """Whether a query starts from one named entity, judged from its text alone (a label or alias given as a
    string, or an entity IRI), never from how fast it ran."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return ANCHOR.search(body) is not None


def workload(leaf: str, root: str) -> list[tuple[str, str]]:
    """(name, query) pairs: the example queries, then the four synthetic shapes."""
    examples = [(example.stem, example.text) for example in example_queries()]
    shapes = [(f"shape: {label}", template % {"leaf": entity_iri(leaf), "root": entity_iri(root)})
              for label, template in SHAPES.items()]
    return examples + shapes


async def run_load(name: str, url: str, queries: list[tuple[str, str]], clients: int, seconds: float,
                   request_timeout: float) -> LoadResult:
    """``clients`` concurrent clients, each sending the next query of the cycle as soon as its last one returns."""
    result = LoadResult(name, seconds)
    deadline = time.perf_counter() + seconds
    timeout = aiohttp.ClientTimeout(total=request_timeout)

    async def client(index: int, session: aiohttp.ClientSession) -> None:
        position = index * max(1, len(queries) // clients)
        while time.perf_counter() < deadline:
            label, text = queries[position % len(queries)]
            position += 1
            started = time.perf_counter()
            try:
                async with session.post(url, data=text.encode("utf-8"), timeout=timeout,
                                        headers={"Content-Type": "application/sparql-query",
                                                 "Accept": "application/sparql-results+json"}) as response:
                    body = await response.read()
                    ok = response.status == 200
            except (TimeoutError, aiohttp.ClientError) as error:
                ok, body = False, repr(error).encode()
            finished = time.perf_counter()
            if finished > deadline and ok:
                return  # finished after the window: not counted
            if ok:
                elapsed = (finished - started) * 1000
                result.latencies_ms.append(elapsed)
                result.per_query.setdefault(label, []).append(elapsed)
            else:
                result.errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(f"{label}: {body[:160]!r}")

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(client(i, session)) for i in range(clients)]
        done, pending = await asyncio.wait(tasks, timeout=seconds + request_timeout + 5)
        for task in pending:  # requests still running long after the window (rdflib): abandoned, not counted
            task.cancel()
    return result


def single_client_latencies(url: str, queries: list[tuple[str, str]], repeat: int = 3) -> dict[str, float]:
    """Median latency (ms) of each query sent alone."""
    medians = {}
    for label, text in queries:
        times = []
        for _ in range(repeat):
            request = urllib.request.Request(url, data=text.encode("utf-8"),
                                             headers={"Content-Type": "application/sparql-query",
                                                      "Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                times.append((time.perf_counter() - started) * 1000)
            except OSError:
                times.append(float("nan"))
        medians[label] = statistics.median(times)
    return medians


def wait_for(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    stop_process(process, grace=20, whole_group=True)


def process_tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and its descendants (live ones, and reaped ones
    through their parent's ``cutime``), from /proc: our proxy plus its Oxigraph workers, or Oxigraph alone. Unlike
    wall-clock rates it moves little with the load other programs put on the machine."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(value) for value in fields[11:15]) / tick  # own + reaped children's
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


def load_average() -> float:
    """The 1-minute load average, printed beside every run (the machine is shared)."""
    return os.getloadavg()[0]


def report(results: list[LoadResult], baseline: LoadResult | None) -> None:
    """The table: each of our runs against raw Oxigraph's run of the same workload just before or after it (the
    row naming it), and every row against rdflib's run of the same workload."""
    print(f"\n{'endpoint':<44}{'requests':>9}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>9}{'errors':>7}"
          f"{'raw/ours':>9}{'CPU ms/req':>11}{'x rdflib':>10}{'load':>6}")
    for result in results:
        raw = next((r for r in results if r.name.startswith(RAW) and r.workload == result.workload), None)
        lib = next((r for r in results if r.name.startswith(RDFLIB) and r.workload == result.workload), baseline)
        versus_raw = (f"{raw.throughput / result.throughput:>9.2f}" if raw and result.throughput and raw is not result
                      and not result.name.startswith(RDFLIB) else f"{'-':>9}")
        ratio = (f"{result.throughput / lib.throughput:>10.1f}" if lib and lib.throughput else f"{'-':>10}")
        if result.cached:
            ratio = versus_raw = f"{'(cached)':>10}"  # cache hits against uncached engines would not be fair
        print(f"{result.name + ', ' + result.workload:<44}{result.completed:>9}{result.throughput:>9.1f}"
              f"{result.percentile(0.5):>8.1f}{result.percentile(0.99):>9.1f}{result.errors:>7}{versus_raw}"
              f"{result.cpu_ms_per_request:>11.2f}{ratio}{result.load:>6.1f}")
        for sample in result.error_samples:
            print(f"    error: {sample}")


OURS, OURS_CACHED, RAW, RDFLIB = "tkg serve, cache off", "tkg serve, warm cache", "oxigraph serve-read-only", "rdflib"


def started_endpoint(store_dir: Path, corpus: Path, timeout: float, cache_mb: int, log: Path
                     ) -> tuple[subprocess.Popen[bytes], str]:
    """`tkg serve --port 0` on the benchmark's store; the process and its query URL once it answers."""
    ours = start([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "--content", str(BUNDLED_CONTENT),
                  "--content", str(corpus), "serve", "--port", "0", "--timeout", str(timeout),
                  "--cache-mb", str(cache_mb)], log)
    for _ in range(600):
        text = log.read_text()
        if "SPARQL endpoint: " in text:
            url = text.split("SPARQL endpoint: ", 1)[1].split()[0]
            wait_for(url)
            return ours, url
        if ours.poll() is not None:
            break
        time.sleep(0.2)
    stop(ours)
    raise RuntimeError(f"tkg serve did not come up: {log.read_text()}")


def main() -> None:
    """Build (or reuse) the store, then load each workload on ours and on raw Oxigraph back to back."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modalities", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="tkg serve --timeout")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "tkg-bench-endpoint")
    parser.add_argument("--baseline-seconds", type=float, default=60.0,
                        help="window for rdflib (longer: its queries take seconds each)")
    parser.add_argument("--skip-rdflib", action="store_true")
    args = parser.parse_args()

    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    corpus = write_corpus(args.modalities, work / f"synthetic-{args.modalities}")
    started = time.perf_counter()
    kg = load_graph(work / f"store-{args.modalities}", [BUNDLED_CONTENT, corpus])
    print(f"graph: bundled content + {args.modalities} synthetic modalities, {kg.build.quads} quads "
          f"({'built' if kg.rebuilt else 'reused'} in {time.perf_counter() - started:.1f} s); "
          f"{args.clients} clients, {args.seconds:g} s per run, loopback HTTP, {os.cpu_count()} CPUs")
    queries = workload(f"modality/synthetic-modality-{args.modalities - 1}", "modality/synthetic-modality-0")
    anchored = [(label, text) for label, text in queries if anchored_by_shape(text)]
    lineage = [(label, text) for label, text in queries if "lineage" in label]
    workloads = {"mixed": queries, f"anchored ({len(anchored)})": anchored, f"lineage ({len(lineage)})": lineage}
    print("workloads: " + "; ".join(f"{name}: {', '.join(label for label, _ in chosen)}"
                                     for name, chosen in workloads.items() if chosen is not queries))
    store_dir = work / f"store-{args.modalities}"
    location = kg.build.path / "oxigraph"
    del kg
    results: list[LoadResult] = []

    def measure(name: str, url: str, chosen: list[tuple[str, str]], label: str, seconds: float,
                server: subprocess.Popen[bytes]) -> LoadResult:
        cpu = process_tree_cpu_seconds(server.pid)
        result = asyncio.run(run_load(name, url, chosen, args.clients, seconds, 60))
        result.server_cpu_s = process_tree_cpu_seconds(server.pid) - cpu
        result.workload, result.load = label, load_average()
        results.append(result)
        return result

    ours, url = started_endpoint(store_dir, corpus, args.timeout, 0, work / "serve-0.log")
    port = free_loopback_port()
    plain = start(["oxigraph", "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                  work / "oxigraph.log")
    raw_url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(raw_url)
        alone = single_client_latencies(url, queries)
        raw_alone = single_client_latencies(raw_url, [(label, sparql_prologue() + text) for label, text in queries])
        for label, chosen in workloads.items():  # ours then raw, back to back, for each workload
            measure(OURS, url, chosen, label, args.seconds, ours)
            measure(RAW, raw_url, [(q, sparql_prologue() + text) for q, text in chosen], label, args.seconds, plain)
    finally:
        stop(ours)
        stop(plain)

    cached, url = started_endpoint(store_dir, corpus, args.timeout, 64, work / "serve-64.log")
    try:
        single_client_latencies(url, queries, repeat=1)  # warm: every query asked once before timing
        measure(OURS_CACHED, url, queries, "mixed", args.seconds, cached).cached = True
    finally:
        stop(cached)

    baseline = None
    if not args.skip_rdflib:
        port = free_loopback_port()
        server_script = work / "rdflib_server.py"
        server_script.write_text(RDFLIB_SERVER)
        env_path = str(Path(__file__).resolve().parent.parent)
        rdflib_server = subprocess.Popen(
            [sys.executable, str(server_script), str(location), str(port), sparql_prologue()],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "PYTHONPATH": env_path})
        try:
            assert rdflib_server.stdout is not None
            rdflib_server.stdout.readline()
            rdflib_url = f"http://127.0.0.1:{port}/query"
            for label in list(workloads)[:2]:
                result = measure(f"{RDFLIB} ({args.baseline_seconds:g} s)", rdflib_url, workloads[label], label,
                                 args.baseline_seconds, rdflib_server)
                baseline = baseline or result
        finally:
            os.killpg(rdflib_server.pid, signal.SIGKILL)
            rdflib_server.wait()

    report(results, baseline)
    print("\nsingle-client latency, median of 3 (ms), ours and raw Oxigraph; ours under load (mixed):")
    for label, ms in alone.items():
        under_load = sorted(results[0].per_query.get(label, []))
        p99 = under_load[int(0.99 * (len(under_load) - 1))] if under_load else float("nan")
        print(f"  {label:<46}{ms:>9.1f}{raw_alone.get(label, float('nan')):>9.1f}   n={len(under_load):<6} p99 "
              f"under load {p99:.1f}")
    print(json.dumps({f"{r.name}, {r.workload}": {
        "requests": r.completed, "req_per_s": round(r.throughput, 1), "p50_ms": round(r.percentile(0.5), 1),
        "p99_ms": round(r.percentile(0.99), 1), "errors": r.errors,
        "cpu_ms_per_request": round(r.cpu_ms_per_request, 3), "load": round(r.load, 2)} for r in results}))


if __name__ == "__main__":
    main()
