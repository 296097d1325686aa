"""SPARQL on the embedded store with a time limit: queries run in worker processes killed when they overrun."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pebble import ProcessExpired, ProcessPool

from graph.pipeline.store import BuildInfo, open_read_only
from graph.terms import python_value
from graph.views.kg import KnowledgeGraph

SPARQL_TIMEOUT = 5.0  # seconds one interactive query may run, in the explorer and at the endpoint (tkg serve)
MAX_RESULT_ROWS = 5000  # rows of one answer kept for display; the rest is cut and the answer marked truncated
SPARQL_WORKERS = 2  # worker processes per graph evaluating queries (each holds the graph in memory)
# Niceness of the workers (nice(2)): they copy the graph into memory as the explorer starts (about 12 s of CPU
# each at 20,000 modalities), and on a 2-core machine that took most of the CPU from the first pages.
WORKER_NICENESS = 10


@dataclass(frozen=True)
class StoreSnapshot:
    """A graph another process can rebuild: a finished build folder on disk plus quads added on top, named by
    ``token`` (the graph's fingerprint, or a digest of it and the added pages)."""

    token: str
    build: Path  # a build folder written by graph.pipeline.store
    added: bytes = b""  # N-Quads added to the build (pages added in a session)

    def load(self) -> KnowledgeGraph:
        """The graph in memory: the build copied into RAM, the added quads loaded on top."""
        info = BuildInfo(self.token, 0, 0.0, self.build)
        store = ox.Store()
        store.bulk_extend(open_read_only(info).quads_for_pattern(None, None, None))
        if self.added:
            store.bulk_extend(ox.parse(self.added, format=ox.RdfFormat.N_QUADS))
        return KnowledgeGraph(store, info, self.build)


@dataclass
class SparqlOutcome:
    """What a query produced: a table (columns, rows of plain values), a boolean, or an error message; how long
    it took in seconds, and whether rows past ``MAX_RESULT_ROWS`` were cut."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, str | int | None]] = field(default_factory=list)
    boolean: bool | None = None
    error: str | None = None
    truncated: bool = False
    seconds: float = 0.0


# ---------------------------------------------------------------- embedded SPARQL in worker processes

_worker_graphs: OrderedDict[str, KnowledgeGraph] = OrderedDict()  # in a worker: the graphs it has loaded
WORKER_GRAPHS = 4  # graphs one worker keeps loaded (the shared graph and recent session graphs)


def _worker_graph(snapshot: StoreSnapshot) -> KnowledgeGraph:
    """In a worker: the graph of ``snapshot``, loaded on first use and kept for the next queries."""
    kg = _worker_graphs.get(snapshot.token)
    if kg is None:
        kg = _worker_graphs[snapshot.token] = snapshot.load()
        while len(_worker_graphs) > WORKER_GRAPHS:
            _worker_graphs.popitem(last=False)
    _worker_graphs.move_to_end(snapshot.token)
    return kg


def _start_worker(base: StoreSnapshot) -> None:
    """In a new worker, before it takes a query: die at once on SIGTERM, lower its priority
    (:data:`WORKER_NICENESS`), and load the shared graph.

    Pebble's own SIGTERM handler runs Python cleanup, which waits while Oxigraph evaluates in Rust; so a worker
    stopped at the time limit would linger for pebble's grace period. Loading here keeps it out of the limit.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # pages render first; a query waits only while the server is busy
    _worker_graph(base)


def evaluate(kg: KnowledgeGraph, query: str, max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
    """Run ``query`` on ``kg``: SELECT rows as plain values (entity IRIs as ids), ASK as a boolean, CONSTRUCT and
    DESCRIBE as subject/predicate/object rows; at most ``max_rows`` rows. Errors propagate."""
    started = time.perf_counter()
    results = kg.query(query)
    if isinstance(results, ox.QueryBoolean):
        return SparqlOutcome(boolean=bool(results), seconds=time.perf_counter() - started)
    outcome = SparqlOutcome()
    if isinstance(results, ox.QuerySolutions):
        outcome.columns = [v.value for v in results.variables]
        for row in results:
            if len(outcome.rows) >= max_rows:
                outcome.truncated = True
                break
            outcome.rows.append({name: python_value(row[name]) for name in outcome.columns})
    else:
        outcome.columns = ["subject", "predicate", "object"]
        for triple in results:
            if len(outcome.rows) >= max_rows:
                outcome.truncated = True
                break
            outcome.rows.append({"subject": python_value(triple.subject), "predicate": python_value(triple.predicate),
                                 "object": python_value(triple.object)})
    outcome.seconds = time.perf_counter() - started
    return outcome


def _ready() -> None:
    """In a worker: nothing; scheduling it starts the pool."""


def _evaluate_snapshot(snapshot: StoreSnapshot, query: str, max_rows: int) -> SparqlOutcome:
    """In a worker: evaluate on the snapshot's graph; every failure becomes the outcome's message."""
    try:
        return evaluate(_worker_graph(snapshot), query, max_rows)
    except Exception as error:  # noqa: BLE001 - syntax and evaluation errors are messages for the reader
        return SparqlOutcome(error=str(error) or type(error).__name__)


class SparqlWorkers:
    """Worker processes that evaluate SPARQL on snapshots of one graph, each query stopped at its time limit.

    Oxigraph cannot interrupt a query in-process, so queries run in a pebble process pool; a worker whose query
    overruns is killed and replaced. Workers start with ``spawn`` (never a fork of a threaded server such as
    Streamlit's), at :meth:`start` or the first query, each loading the shared graph before it takes queries.
    A program that uses them must guard its main module (``if __name__ == "__main__":``), as ``spawn`` asks.
    """

    def __init__(self, base: StoreSnapshot, workers: int = SPARQL_WORKERS):
        self.base = base
        self.workers = workers
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def _running_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None or not self._pool.active:
                self._pool = ProcessPool(max_workers=self.workers, initializer=_start_worker, initargs=(self.base,),
                                         context=multiprocessing.get_context("spawn"))
            return self._pool

    def start(self) -> None:
        """Start the workers now, in the background, so the first query finds them ready."""
        self._running_pool().schedule(_ready)

    def run(self, snapshot: StoreSnapshot, query: str, timeout: float = SPARQL_TIMEOUT,
            max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
        """Evaluate ``query`` on ``snapshot`` in a worker; past ``timeout`` seconds the worker is killed and the
        outcome says the query was stopped."""
        started = time.perf_counter()
        future = self._running_pool().schedule(_evaluate_snapshot, args=(snapshot, query, max_rows), timeout=timeout)
        try:
            return future.result()
        except TimeoutError:
            return SparqlOutcome(error=f"the query took longer than {timeout:g} s and was stopped",
                                 seconds=time.perf_counter() - started)
        except ProcessExpired as error:
            return SparqlOutcome(error=f"the query process ended without an answer (exit code {error.exitcode})",
                                 seconds=time.perf_counter() - started)
        except BrokenProcessPool as error:  # the workers cannot start (e.g. the build folder is gone)
            return SparqlOutcome(error=f"the query processes could not start: {error}",
                                 seconds=time.perf_counter() - started)

    def close(self) -> None:
        """Stop the workers (they start again on the next query)."""
        with self._lock:
            if self._pool is not None:
                self._pool.stop()
                self._pool.join()
                self._pool = None
