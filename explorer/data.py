"""Cached access for the explorer: picks the backend (embedded, remote SPARQL, Neo4j), loads it once, caches results."""

from __future__ import annotations

import hashlib
import os
import pickle
import select
import signal
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import streamlit as st

from graph.views.explore import (
    SearchIndex,
    SourceContribution,
    SourceInfo,
    provenance_tables,
    source_contributions,
    source_facts,
)
from graph.views.kg import KnowledgeGraph
from ontology.names import NameIndex
from ontology.records import Extraction

SPARQL_TIMEOUT_DEFAULT = 5.0
MAX_RESULT_ROWS = 5000


def sparql_timeout() -> float:
    """Seconds a SPARQL query may run: the endpoint's timeout (``graph.endpoint.DEFAULT_TIMEOUT``)."""
    try:
        from graph.serve.endpoint import DEFAULT_TIMEOUT
    except ImportError:  # the endpoint's optional server dependency missing: same figure, stated here
        return SPARQL_TIMEOUT_DEFAULT
    return float(DEFAULT_TIMEOUT)


@dataclass
class ExplorerData:
    """One loaded graph as the pages use it: networkx view, search, provenance tables, and how to run SPARQL."""

    backend: str
    token: str
    description: str
    graph: nx.MultiDiGraph
    names: NameIndex
    search: SearchIndex
    sources: dict[str, SourceInfo]
    notes: dict[tuple[str, str, str], list[str]]
    details: dict[str, list[tuple[str, str, str]]]
    kg: KnowledgeGraph | None = None
    endpoint_url: str | None = None
    session_pages: list[str] = field(default_factory=list)


def chosen_backend(environ: dict[str, str] | None = None) -> str:
    """``embedded`` by default; ``neo4j`` if NEO4J_URI is set and TKG_EXPLORER_BACKEND=neo4j; ``sparql`` if
    TKG_SPARQL_ENDPOINT is set (and the backend is not forced to something else)."""
    env = os.environ if environ is None else environ
    wanted = env.get("TKG_EXPLORER_BACKEND", "").strip().lower()
    if wanted == "neo4j" and env.get("NEO4J_URI"):
        return "neo4j"
    if wanted in ("", "sparql") and env.get("TKG_SPARQL_ENDPOINT"):
        return "sparql"
    return "embedded"


def explorer_data_from_kg(kg: KnowledgeGraph, backend: str, token: str, description: str,
                          endpoint_url: str | None = None) -> ExplorerData:
    """Wrap a KnowledgeGraph: build the search index and read sources, notes and details by SPARQL."""
    sources, notes, details = provenance_tables(kg)
    return ExplorerData(backend, token, description, kg.nx, kg.names, SearchIndex(kg.nx), sources, notes, details,
                        kg=kg, endpoint_url=endpoint_url)


def _content_from_env() -> list[Path] | None:
    configured = os.environ.get("TKG_EXPLORER_CONTENT", "").strip()
    return [Path(p) for p in configured.split(os.pathsep) if p] if configured else None


def load_embedded() -> ExplorerData:
    """The embedded store (TKG_STORE, content from TKG_EXPLORER_CONTENT or the bundled folder), copied into RAM."""
    from graph.views.kg import load_graph

    store = os.environ.get("TKG_STORE")
    kg = load_graph(Path(store) if store else None, _content_from_env(), in_memory=True)
    return explorer_data_from_kg(kg, "embedded", kg.build.fingerprint, f"embedded store ({kg.build.quads:,} quads)")


def load_remote_sparql(url: str, timeout: float) -> ExplorerData:
    """Snapshot a remote SPARQL endpoint's named graphs into RAM; SPARQL queries still go to the endpoint."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from graph.pipeline.store import BuildInfo

    client = SPARQLWrapper(url)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(timeout, 60)))
    client.setQuery("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    started = time.perf_counter()
    answer: Any = client.queryAndConvert()
    bindings: list[dict[str, dict[str, str]]] = answer["results"]["bindings"]
    store = ox.Store()
    default = ox.DefaultGraph()
    quads = []
    for row in bindings:
        s, p, o, g = (_json_term(row[name]) for name in ("s", "p", "o", "g"))
        quads.append(ox.Quad(s, p, o, g))  # type: ignore[arg-type]
        quads.append(ox.Quad(s, p, o, default))  # type: ignore[arg-type]
    store.bulk_extend(quads)
    token = "sparql-" + hashlib.sha256(f"{url}|{len(bindings)}".encode()).hexdigest()[:16]
    build = BuildInfo(token, len(bindings), time.perf_counter() - started, Path(tempfile.gettempdir()))
    kg = KnowledgeGraph(store, build, Path(tempfile.gettempdir()))
    return explorer_data_from_kg(kg, "sparql", token, f"SPARQL endpoint {url} ({len(bindings):,} quads)", url)


def _json_term(value: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])


def load_neo4j() -> ExplorerData:
    """Read the graph pushed to Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) into networkx.

    Neo4j holds entities and facts (with their sources and evidence) but not source titles or literal details,
    so sources are listed by id and SPARQL is not offered on this backend.
    """
    from graph.sinks.neo4j import open_driver, read_from_neo4j

    uri, database = os.environ["NEO4J_URI"], os.environ.get("NEO4J_DATABASE") or "neo4j"
    driver = open_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), database)
    try:
        graph = read_from_neo4j(driver, database)
    finally:
        driver.close()
    names = NameIndex((n, d.get("type", ""), d.get("label", n), d.get("aliases", []))
                      for n, d in graph.nodes(data=True))
    token = "neo4j-" + hashlib.sha256(f"{uri}|{graph.number_of_nodes()}|{graph.number_of_edges()}".encode()
                                      ).hexdigest()[:16]
    return ExplorerData("neo4j", token, f"Neo4j at {uri} (database {database})", graph, names, SearchIndex(graph),
                        {}, {}, {})


@st.cache_resource(show_spinner="Loading the knowledge graph…", max_entries=4)
def configured_data(backend: str, store: str, content: str, endpoint: str, neo4j_uri: str) -> ExplorerData:
    """The graph for one configuration, loaded once per server process (the arguments are the cache key)."""
    del store, content, neo4j_uri  # read from the environment by the loaders; here only to key the cache
    if backend == "sparql":
        return load_remote_sparql(endpoint, sparql_timeout())
    if backend == "neo4j":
        return load_neo4j()
    return load_embedded()


def base_data() -> ExplorerData:
    """The graph the environment configures (TKG_STORE, TKG_EXPLORER_CONTENT, TKG_SPARQL_ENDPOINT, NEO4J_URI)."""
    env = os.environ
    return configured_data(chosen_backend(), env.get("TKG_STORE", ""), env.get("TKG_EXPLORER_CONTENT", ""),
                           env.get("TKG_SPARQL_ENDPOINT", ""), env.get("NEO4J_URI", ""))


@st.cache_data(show_spinner=False, max_entries=8)
def cached_source_table(token: str, _data: ExplorerData) -> list[SourceContribution]:
    """What every source contributes, computed once per graph."""
    return source_contributions(_data.graph, _data.sources)


def source_table(data: ExplorerData) -> list[SourceContribution]:
    """What every source of ``data`` contributes (cached by graph token)."""
    return cached_source_table(data.token, data)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_source_facts(token: str, source_id: str, _data: ExplorerData) -> list[tuple[str, str, str, str]]:
    """The facts one source states (first 500), computed once per graph and source."""
    return source_facts(_data.graph, source_id)


def current_data() -> ExplorerData:
    """The graph this browser session sees: the shared graph, or its session copy with uploaded pages added."""
    session = st.session_state.get("session_data")
    return session if session is not None else base_data()


# ---------------------------------------------------------------- session graph (uploaded pages)


def extraction_quads(extraction: Extraction) -> list[ox.Quad]:
    """The quads of one page extraction (source, entities, facts) plus their union-default-graph copies."""
    from graph.pipeline.build import with_union_default_graph
    from graph.pipeline.rdf import entity_quads, fact_quads, source_quads
    from ontology.namespace import entity_base

    base = entity_base()
    quads: list[ox.Quad] = list(source_quads(extraction.source, base))
    for entity in extraction.entities:
        quads.extend(entity_quads(entity, base))
    for fact in extraction.facts:
        quads.extend(fact_quads(fact, base))
    return list(with_union_default_graph(quads))


def with_page(data: ExplorerData, extraction: Extraction, page_name: str) -> ExplorerData:
    """A new session graph: ``data`` plus one page's extraction (the shared graph is left untouched)."""
    if data.kg is None:
        raise ValueError("adding pages needs the embedded store or a SPARQL endpoint backend, not Neo4j")
    store = ox.Store()
    store.bulk_extend(data.kg.store.quads_for_pattern(None, None, None))
    store.bulk_extend(extraction_quads(extraction))
    token = hashlib.sha256(f"{data.token}|{page_name}|{extraction.source.id}".encode()).hexdigest()[:24]
    kg = KnowledgeGraph(store, replace(data.kg.build, fingerprint=token), data.kg.store_dir)
    updated = explorer_data_from_kg(kg, data.backend, token, data.description + f" + {page_name}",
                                    data.endpoint_url)
    updated.session_pages = [*data.session_pages, page_name]
    return updated


# ---------------------------------------------------------------- SPARQL with a hard timeout


@dataclass
class SparqlOutcome:
    """What a query produced: a table (columns, rows), a boolean, or an error message; and how long it took."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    error: str | None = None
    truncated: bool = False
    seconds: float = 0.0


def _evaluate(kg: KnowledgeGraph, query: str, max_rows: int) -> SparqlOutcome:
    from graph.terms import python_value

    results = kg.query(query)
    if isinstance(results, ox.QueryBoolean):
        return SparqlOutcome(boolean=bool(results))
    outcome = SparqlOutcome()
    if isinstance(results, ox.QuerySolutions):
        outcome.columns = [v.value for v in results.variables]
        for row in results:
            if len(outcome.rows) >= max_rows:
                outcome.truncated = True
                break
            outcome.rows.append({name: python_value(row[name]) for name in outcome.columns})
        return outcome
    outcome.columns = ["subject", "predicate", "object"]
    for triple in results:
        if len(outcome.rows) >= max_rows:
            outcome.truncated = True
            break
        outcome.rows.append({"subject": python_value(triple.subject), "predicate": python_value(triple.predicate),
                             "object": python_value(triple.object)})
    return outcome


def run_embedded_sparql(kg: KnowledgeGraph, query: str, timeout: float,
                        max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
    """Evaluate in a forked child process that is killed at the deadline (Oxigraph cannot be interrupted in-process)."""
    started = time.perf_counter()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: evaluate, send the pickled outcome, exit without running any cleanup
        os.close(read_end)
        try:
            try:
                outcome = _evaluate(kg, query, max_rows)
            except Exception as error:  # noqa: BLE001 - every failure becomes a message for the page
                outcome = SparqlOutcome(error=str(error) or type(error).__name__)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_end, "rb") as incoming:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return SparqlOutcome(error=f"the query took longer than {timeout:g} s and was stopped",
                                     seconds=time.perf_counter() - started)
            ready, _, _ = select.select([incoming], [], [], left)
            if ready:
                chunk = os.read(incoming.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    os.waitpid(pid, 0)
    if not chunks:
        return SparqlOutcome(error="the query process ended without an answer", seconds=time.perf_counter() - started)
    outcome = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's output
    outcome.seconds = time.perf_counter() - started
    return outcome


def run_remote_sparql(url: str, query: str, timeout: float, max_rows: int = MAX_RESULT_ROWS) -> SparqlOutcome:
    """Send a query to a SPARQL endpoint with SPARQLWrapper; errors and timeouts become messages."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    started = time.perf_counter()
    client = SPARQLWrapper(url)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(max(1, round(timeout)))
    client.setQuery(query)
    try:
        answer = client.queryAndConvert()
    except Exception as error:  # noqa: BLE001 - network, HTTP and syntax errors all become a message
        return SparqlOutcome(error=str(error).strip() or type(error).__name__, seconds=time.perf_counter() - started)
    outcome = SparqlOutcome(seconds=time.perf_counter() - started)
    if isinstance(answer, dict) and "boolean" in answer:
        outcome.boolean = bool(answer["boolean"])
        return outcome
    if not isinstance(answer, dict):
        outcome.error = "the endpoint answered with something other than SPARQL JSON results"
        return outcome
    outcome.columns = list(answer.get("head", {}).get("vars", []))
    for row in answer.get("results", {}).get("bindings", []):
        if len(outcome.rows) >= max_rows:
            outcome.truncated = True
            break
        outcome.rows.append({name: row[name]["value"] if name in row else None for name in outcome.columns})
    return outcome


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def cached_sparql(token: str, query: str, _data: ExplorerData) -> SparqlOutcome:
    """Run a query once per (graph, query text); the result is cached for everyone."""
    timeout = sparql_timeout()
    if _data.endpoint_url:
        return run_remote_sparql(_data.endpoint_url, query, timeout)
    if _data.kg is None:
        return SparqlOutcome(error="SPARQL is not available on the Neo4j backend; use the embedded store or "
                                   "set TKG_SPARQL_ENDPOINT")
    return run_embedded_sparql(_data.kg, query, timeout)


def run_sparql(data: ExplorerData, query: str) -> SparqlOutcome:
    """A query's outcome for the current graph (cached; session graphs have their own token)."""
    return cached_sparql(data.token, query, data)
