"""Backends for long-lived readers such as the explorer: the embedded store, a remote SPARQL endpoint or Neo4j."""

from __future__ import annotations

import hashlib
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import rdflib
from rdflib.query import Result
from SPARQLWrapper import CONSTRUCT, DESCRIBE, JSON, POST, TURTLE, SPARQLWrapper

from graph.pipeline.store import BuildInfo
from graph.terms import oxigraph_term, python_value
from graph.views.explore import SearchIndex, SourceInfo, provenance_tables
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.persisted_view import ExplorerView, ViewSummary, explorer_view, saved_summary
from graph.views.sparql_workers import MAX_RESULT_ROWS, SPARQL_TIMEOUT, SparqlOutcome, SparqlWorkers, StoreSnapshot
from ontology.names import NameIndex
from ontology.records import Extraction

SNAPSHOT_QUERY = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def chosen_backend(environ: Mapping[str, str]) -> str:
    """``embedded`` by default; ``neo4j`` if NEO4J_URI is set and TKG_EXPLORER_BACKEND=neo4j; ``sparql`` if
    TKG_SPARQL_ENDPOINT is set (and the backend is not forced to something else)."""
    wanted = environ.get("TKG_EXPLORER_BACKEND", "").strip().lower()
    if wanted == "neo4j" and environ.get("NEO4J_URI"):
        return "neo4j"
    if wanted in ("", "sparql") and environ.get("TKG_SPARQL_ENDPOINT"):
        return "sparql"
    return "embedded"


# ---------------------------------------------------------------- remote SPARQL


def _sparql_client(url: str, query: str, timeout: float) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, round(timeout)))
    client.setQuery(query)
    return client


def run_remote_sparql(url: str, query: str, timeout: float = SPARQL_TIMEOUT,
                      max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
    """Send ``query`` to the SPARQL endpoint at ``url`` (SPARQLWrapper) and read the answer with rdflib's parsers
    (SPARQL JSON results; Turtle for CONSTRUCT and DESCRIBE): rows of plain values as the embedded store gives
    them (entity IRIs as ids), at most ``max_rows``. Network, HTTP and syntax errors, and answers slower than
    ``timeout`` seconds, become the outcome's message."""
    started = time.perf_counter()
    client = _sparql_client(url, query, timeout)
    try:
        if client.queryType in (CONSTRUCT, DESCRIBE):
            client.setReturnFormat(TURTLE)
            graph = rdflib.Graph().parse(data=client.query().response.read(), format="turtle")
            columns = ["subject", "predicate", "object"]
            terms: Iterable[Sequence[rdflib.term.Node | None]] = iter(graph)
        else:
            result = Result.parse(client.query().response, format="json")
            if result.type == "ASK":
                return SparqlOutcome(boolean=bool(result.askAnswer), seconds=time.perf_counter() - started)
            variables = list(result.vars or [])
            columns = [str(v) for v in variables]
            terms = ([row.get(v) for v in variables] for row in result.bindings)
    except Exception as error:  # noqa: BLE001 - network, HTTP, syntax and parse errors all become a message
        return SparqlOutcome(error=str(error).strip() or type(error).__name__, seconds=time.perf_counter() - started)
    outcome = SparqlOutcome(columns=columns, seconds=time.perf_counter() - started)
    for row in terms:
        if len(outcome.rows) >= max_rows:
            outcome.truncated = True
            break
        outcome.rows.append({name: None if term is None else python_value(oxigraph_term(term))
                             for name, term in zip(columns, row, strict=True)})
    return outcome


# ---------------------------------------------------------------- loading a backend


@dataclass
class LoadedGraph:
    """One loaded graph as the explorer's pages use it: the explorer's view of it (networkx view, name and search
    indexes, provenance tables: :class:`ExplorerView`, read on first use), which backend it came from, and where
    its SPARQL runs (the embedded store's workers, a remote endpoint, or nowhere for Neo4j).

    ``load_view`` gives the view; it is called once, on the first use of :attr:`view` (or of the attributes that
    stand for its fields: ``graph``, ``names``, ``search``, ``sources``, ``notes``, ``details``). ``summary``, when
    known without the view (saved beside the build), gives :attr:`counts` without reading it: the first page
    (search box and counts) is drawn before the view is read (0.7-1.0 s of CPU at 20,000 modalities)."""

    load_view: Callable[[], ExplorerView]
    backend: str
    token: str
    description: str
    kg: KnowledgeGraph | None = None
    endpoint_url: str | None = None
    snapshot: StoreSnapshot | None = None
    workers: SparqlWorkers | None = None
    session_pages: list[str] = field(default_factory=list)
    summary: ViewSummary | None = None
    _view: ExplorerView | None = field(default=None, init=False, repr=False, compare=False)
    _loading: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @property
    def view(self) -> ExplorerView:
        """The view, loaded on first use (once, even when several sessions ask at the same moment)."""
        view = self._view
        if view is None:
            with self._loading:
                if self._view is None:  # not loaded by another session's request meanwhile
                    self._view = self.load_view()
                view = self._view
        return view

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx view (:attr:`ExplorerView.graph`)."""
        return self.view.graph

    @property
    def names(self) -> NameIndex:
        """The name index (:attr:`ExplorerView.names`)."""
        return self.view.names

    @property
    def search(self) -> SearchIndex:
        """The search index (:attr:`ExplorerView.search`)."""
        return self.view.search

    @property
    def sources(self) -> dict[str, SourceInfo]:
        """Sources by id (:attr:`ExplorerView.sources`)."""
        return self.view.sources

    @property
    def notes(self) -> dict[tuple[str, str, str], list[str]]:
        """Statement notes (:attr:`ExplorerView.notes`)."""
        return self.view.notes

    @property
    def details(self) -> dict[str, list[tuple[str, str, str]]]:
        """Literal details by entity (:attr:`ExplorerView.details`)."""
        return self.view.details

    @cached_property
    def counts(self) -> tuple[int, int]:
        """``(entities, facts)``: the graph's nodes and edges, from the saved summary when there is one, else
        counted once (networkx counts a multigraph's edges by walking every node: 0.3 s at 20,000 modalities)."""
        if self.summary is not None:
            return self.summary.entities, self.summary.facts
        return self.graph.number_of_nodes(), self.graph.number_of_edges()


def _ready(view: ExplorerView) -> Callable[[], ExplorerView]:
    return lambda: view


def loaded_from_kg(kg: KnowledgeGraph, backend: str, token: str, description: str, endpoint_url: str | None = None,
                   snapshot: StoreSnapshot | None = None, workers: SparqlWorkers | None = None) -> LoadedGraph:
    """Wrap a KnowledgeGraph: build the search index and read sources, notes and details by SPARQL."""
    sources, notes, details = provenance_tables(kg)
    view = ExplorerView(kg.nx, kg.names, SearchIndex(kg.nx, kg.names), sources, notes, details)
    return LoadedGraph(_ready(view), backend=backend, token=token, description=description, kg=kg,
                       endpoint_url=endpoint_url, snapshot=snapshot, workers=workers)


def load_embedded(store_dir: Path | None, content: list[Path] | None,
                  on_warning: Callable[[str], None] | None = None) -> LoadedGraph:
    """The embedded store (built first if stale) with the view saved beside its build
    (:func:`graph.views.persisted_view.explorer_view`: read when saved for this build, else built and saved);
    SPARQL runs in worker processes on the build, started here (see :class:`SparqlWorkers`).

    The store stays on disk (read-only, leased): with the view saved, this process queries it only to add a
    session's pages and for the Sources page's review, and copying it into RAM would cost 12 s at 20,000
    modalities before the first page. Warnings (a view file unreadable or unsaveable) go to ``on_warning``.
    """
    kg = load_graph(store_dir, content, on_warning=on_warning)
    snapshot = StoreSnapshot(kg.build.fingerprint, kg.build.path)
    workers = SparqlWorkers(snapshot)

    def load_view() -> ExplorerView:
        view, _ = explorer_view(kg, on_warning)
        workers.start()  # warmed once the view is in, not while the first page is drawn (their start costs CPU)
        return view

    summary = saved_summary(kg)
    # Not saved (or stale, unreadable): built and saved now, with any warning, as before.
    loader = load_view if summary is not None else _ready(load_view())
    return LoadedGraph(loader, backend="embedded", token=kg.build.fingerprint,
                       description=f"embedded store ({kg.build.quads:,} quads)", kg=kg, snapshot=snapshot,
                       workers=workers, summary=summary)


def load_remote_sparql(url: str, timeout: float = SPARQL_TIMEOUT) -> LoadedGraph:
    """Snapshot a remote SPARQL endpoint's named graphs into RAM (at least 60 s allowed for the download); SPARQL
    queries still go to the endpoint."""
    started = time.perf_counter()
    response = _sparql_client(url, SNAPSHOT_QUERY, max(timeout, 60)).query()
    result = Result.parse(response.response, format="json")
    default = ox.DefaultGraph()
    quads = []
    for row in result.bindings:
        s, p, o, g = (oxigraph_term(row[rdflib.Variable(name)]) for name in ("s", "p", "o", "g"))
        quads.append(ox.Quad(s, p, o, g))  # type: ignore[arg-type]
        quads.append(ox.Quad(s, p, o, default))  # type: ignore[arg-type]
    store = ox.Store()
    store.bulk_extend(quads)
    count = len(result.bindings)
    token = "sparql-" + hashlib.sha256(f"{url}|{count}".encode()).hexdigest()[:16]
    build = BuildInfo(token, count, time.perf_counter() - started, Path(tempfile.gettempdir()))
    kg = KnowledgeGraph(store, build, Path(tempfile.gettempdir()))
    return loaded_from_kg(kg, "sparql", token, f"SPARQL endpoint {url} ({count:,} quads)", url)


def load_neo4j(read_graph: Callable[[], nx.MultiDiGraph], uri: str, database: str = "neo4j") -> LoadedGraph:
    """The graph pushed to Neo4j at ``uri``, as ``read_graph`` returns it (``graph.sinks.neo4j.read_from_neo4j``
    over an open driver; views do not import sinks, so the caller passes it in).

    Neo4j holds entities and facts (with their sources and evidence) but not source titles or literal details,
    so sources are listed by id and SPARQL is not offered on this backend.
    """
    graph = read_graph()
    names = NameIndex((n, d.get("type", ""), d.get("label", n), d.get("aliases", []))
                      for n, d in graph.nodes(data=True))
    token = "neo4j-" + hashlib.sha256(f"{uri}|{graph.number_of_nodes()}|{graph.number_of_edges()}".encode()
                                      ).hexdigest()[:16]
    view = ExplorerView(graph, names, SearchIndex(graph, names), {}, {}, {})
    return LoadedGraph(_ready(view), backend="neo4j", token=token, description=f"Neo4j at {uri} (database {database})")


# ---------------------------------------------------------------- a session's own pages


def extraction_quads(extraction: Extraction) -> list[ox.Quad]:
    """The quads a build would write for one page extraction (the pipeline's own mapping), each also in the
    default graph; the ontology's quads come along, and repeat what every store already holds.

    The pipeline is imported here, on a session's first upload: at the top it cost every explorer server's first
    page 0.6-1.9 s (it imports the page extractor)."""
    from graph.pipeline.build import generate_quads, with_union_default_graph
    from graph.pipeline.corpus import assemble

    return list(with_union_default_graph(generate_quads(assemble([], [extraction]))))


def with_page(loaded: LoadedGraph, extraction: Extraction, page_name: str) -> LoadedGraph:
    """A new graph: ``loaded`` plus one page's extraction, under its own token (``loaded`` is left untouched).

    Raises ValueError on the Neo4j backend, which holds no RDF store to add to.
    """
    if loaded.kg is None:
        raise ValueError("adding pages needs the embedded store or a SPARQL endpoint backend, not Neo4j")
    quads = extraction_quads(extraction)
    store = ox.Store()
    store.bulk_extend(loaded.kg.store.quads_for_pattern(None, None, None))
    store.bulk_extend(quads)
    token = hashlib.sha256(f"{loaded.token}|{page_name}|{extraction.source.id}".encode()).hexdigest()[:24]
    kg = KnowledgeGraph(store, replace(loaded.kg.build, fingerprint=token), loaded.kg.store_dir)
    snapshot = None
    if loaded.snapshot is not None:
        added = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        snapshot = StoreSnapshot(token, loaded.snapshot.build, loaded.snapshot.added + added)
    updated = loaded_from_kg(kg, loaded.backend, token, loaded.description + f" + {page_name}",
                             loaded.endpoint_url, snapshot, loaded.workers)
    updated.session_pages = [*loaded.session_pages, page_name]
    return updated


# ---------------------------------------------------------------- running SPARQL on whichever backend


READ_ONLY_MESSAGE = ("the graph is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP ...) are not run "
                     "here; ask with SELECT, ASK, CONSTRUCT or DESCRIBE")


def is_sparql_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL 1.1 Update (parses as an update, not as a query), by rdflib's SPARQL grammar.

    The grammar is imported on first use, as :mod:`graph.views.sparql_guard` does: building it took 0.4 s of every
    explorer server's first page, which asks no SPARQL."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parseQuery(text)
    except Exception:  # noqa: BLE001 - any parse failure: try the update grammar
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - neither: a malformed query, reported by the engine that runs it
            return False
        return True
    return False


def run_sparql(loaded: LoadedGraph, query: str, timeout: float = SPARQL_TIMEOUT,
               max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
    """Run ``query`` where ``loaded``'s graph answers SPARQL: its remote endpoint, or the embedded store's
    workers; the Neo4j backend answers with a message, and an update with :data:`READ_ONLY_MESSAGE`."""
    if is_sparql_update(query):
        return SparqlOutcome(error=READ_ONLY_MESSAGE)
    if loaded.endpoint_url:
        return run_remote_sparql(loaded.endpoint_url, query, timeout, max_rows)
    if loaded.snapshot is None or loaded.workers is None:
        return SparqlOutcome(error="SPARQL is not available on the Neo4j backend; use the embedded store or "
                                   "set TKG_SPARQL_ENDPOINT")
    return loaded.workers.run(loaded.snapshot, query, timeout, max_rows)
