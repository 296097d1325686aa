"""Endpoint benchmark: `tkg serve` vs plain Oxigraph server vs an rdflib-backed HTTP endpoint, 16 clients, 10 s.

Usage: python -m benchmarks.bench_endpoint [--modalities 20000] [--clients 16] [--seconds 10]

The graph is the bundled content plus the synthetic corpus (so the example queries find their seed entities and
every whole-graph query runs at full size). The workload cycles through the example queries of ontology/queries
and the four synthetic query shapes of benchmarks/bench_core.py; each client starts at a different point of the
cycle. Prints throughput, p50/p99 latency and errors per endpoint, the ratio to the rdflib baseline, and each
query's single-client latency on ours.
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
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def report(results: list[LoadResult], baseline: LoadResult | None) -> None:
    """The table; subset rows are compared with rdflib's run of the same subset."""
    subset_baseline = next((r for r in reversed(results) if r.name.startswith("  same")), None)
    print(f"\n{'endpoint':<34}{'requests':>9}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'x rdflib':>10}")
    for result in results:
        against = subset_baseline if result.name.startswith("  same") else baseline
        ratio = (f"{result.throughput / against.throughput:>10.1f}" if against and against.throughput
                 else f"{'-':>10}")
        if "cache" in result.name and "cache off" not in result.name:
            ratio = f"{'(cached)':>10}"  # cache hits against uncached rdflib would not be a fair ratio
        print(f"{result.name:<34}{result.completed:>9}{result.throughput:>10.1f}{result.percentile(0.5):>9.1f}"
              f"{result.percentile(0.99):>9.1f}{result.errors:>8}{ratio}")
        for sample in result.error_samples:
            print(f"    error: {sample}")


def main() -> None:
    """Build (or reuse) the store, then load each endpoint in turn."""
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
          f"{args.clients} clients, {args.seconds:g} s per endpoint, loopback HTTP, {os.cpu_count()} CPUs")
    queries = workload(f"modality/synthetic-modality-{args.modalities - 1}", "modality/synthetic-modality-0")
    store_dir = work / f"store-{args.modalities}"
    location = kg.build.path / "oxigraph"
    del kg
    results: list[LoadResult] = []

    alone: dict[str, float] = {}
    for cache_mb, name in ((0, "tkg serve, answer cache off"), (64, "tkg serve, default, warm answer cache")):
        log = work / f"serve-{cache_mb}.log"
        ours = start([sys.executable, "-m", "graph.cli", "--store", str(store_dir), "--content",
                      str(BUNDLED_CONTENT), "--content", str(corpus), "serve", "--port", "0", "--timeout",
                      str(args.timeout), "--cache-mb", str(cache_mb)], log)
        try:
            url = None
            for _ in range(600):
                text = log.read_text()
                if "SPARQL endpoint: " in text:
                    url = text.split("SPARQL endpoint: ", 1)[1].split()[0]
                    break
                time.sleep(0.2)
            assert url, log.read_text()
            wait_for(url)
            if not cache_mb:
                alone = single_client_latencies(url, queries)
            else:
                single_client_latencies(url, queries, repeat=1)  # warm: every query asked once before timing
            results.append(asyncio.run(run_load(name, url, queries, args.clients, args.seconds, 60)))
            if not cache_mb:
                anchored = [(label, text) for label, text in queries if anchored_by_shape(text)]
                results.append(asyncio.run(run_load(f"  same, {len(anchored)} entity-anchored queries", url,
                                                    anchored, args.clients, args.seconds, 60)))
        finally:
            stop(ours)

    port = free_loopback_port()
    plain = start(["oxigraph", "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                  work / "oxigraph.log")
    try:
        wait_for(f"http://127.0.0.1:{port}/query")
        prefixed = [(label, sparql_prologue() + text) for label, text in queries]
        results.append(asyncio.run(run_load("oxigraph serve-read-only (direct)", f"http://127.0.0.1:{port}/query",
                                            prefixed, args.clients, args.seconds, 60)))
    finally:
        stop(plain)

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
            baseline = asyncio.run(run_load(f"rdflib over HTTP ({args.baseline_seconds:g} s window)", rdflib_url,
                                            queries, args.clients, args.baseline_seconds, 60))
            results.append(baseline)
            anchored = [(label, text) for label, text in queries if anchored_by_shape(text)]
            results.append(asyncio.run(run_load(f"  same, {len(anchored)} anchored queries, rdflib", rdflib_url,
                                                anchored, args.clients, args.baseline_seconds, 60)))
        finally:
            os.killpg(rdflib_server.pid, signal.SIGKILL)
            rdflib_server.wait()

    report(results, baseline)
    print("\nsingle-client latency on tkg serve (median of 3, ms); requests per query under load:")
    for label, ms in alone.items():
        under_load = results[0].per_query.get(label, [])
        print(f"  {label:<46}{ms:>9.1f}   n={len(under_load):<6} p99 under load "
              f"{(sorted(under_load)[int(0.99 * (len(under_load) - 1))] if under_load else float('nan')):.1f}")
    print(json.dumps({r.name: {"requests": r.completed, "req_per_s": round(r.throughput, 1),
                               "p50_ms": round(r.percentile(0.5), 1), "p99_ms": round(r.percentile(0.99), 1),
                               "errors": r.errors} for r in results}))


if __name__ == "__main__":
    main()
