"""The explorer's Streamlit glue: the configured backend loaded once per server, cached results, a session's pages."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import streamlit as st

from graph.views.backends import (
    LoadedGraph,
    SparqlOutcome,
    chosen_backend,
    load_embedded,
    load_neo4j,
    load_remote_sparql,
    run_sparql,
    with_page,
)
from graph.views.explore import SourceContribution, source_contributions, source_facts
from ontology.records import Extraction

SESSION_GRAPH = "session_data"  # st.session_state key of this browser session's graph (with its added pages)


@st.cache_resource(show_spinner="Loading the knowledge graph…", max_entries=4)
def configured_data(backend: str, store: str, content: str, endpoint: str, neo4j_uri: str) -> LoadedGraph:
    """The graph for one configuration, loaded once per server process (the arguments are the cache key)."""
    if backend == "sparql":
        return load_remote_sparql(endpoint)
    if backend == "neo4j":
        database = os.environ.get("NEO4J_DATABASE") or "neo4j"
        return load_neo4j(lambda: neo4j_graph(neo4j_uri, database), neo4j_uri, database)
    folders = [Path(p) for p in content.split(os.pathsep) if p] or None
    return load_embedded(Path(store) if store else None, folders)


def neo4j_graph(uri: str, database: str) -> nx.MultiDiGraph:
    """The graph in Neo4j at ``uri`` (credentials NEO4J_USER, NEO4J_PASSWORD), read through the Neo4j sink.

    The sink is imported here, on the Neo4j backend only: the driver (and the pandas it pulls in) took 1.2-1.5 s of
    every server's first page on the embedded store, which never uses it."""
    from graph.sinks.neo4j import open_driver, read_from_neo4j

    driver = open_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), database)
    try:
        return read_from_neo4j(driver, database)
    finally:
        driver.close()


def base_data() -> LoadedGraph:
    """The graph the environment configures (TKG_STORE, TKG_EXPLORER_CONTENT, TKG_SPARQL_ENDPOINT, NEO4J_URI)."""
    env = os.environ
    return configured_data(chosen_backend(env), env.get("TKG_STORE", ""), env.get("TKG_EXPLORER_CONTENT", "").strip(),
                           env.get("TKG_SPARQL_ENDPOINT", ""), env.get("NEO4J_URI", ""))


def current_data() -> LoadedGraph:
    """The graph this browser session sees: the shared graph, or its session copy with uploaded pages added."""
    session = st.session_state.get(SESSION_GRAPH)
    return session if session is not None else base_data()


def add_to_session(data: LoadedGraph, extraction: Extraction, page_name: str) -> None:
    """From now on this browser session sees ``data`` plus the page (the shared graph is never changed)."""
    st.session_state[SESSION_GRAPH] = with_page(data, extraction, page_name)


def forget_session_pages() -> None:
    """This browser session sees the shared graph again."""
    st.session_state.pop(SESSION_GRAPH, None)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_source_table(token: str, _data: LoadedGraph) -> list[SourceContribution]:
    """What every source contributes, computed once per graph."""
    return source_contributions(_data.graph, _data.sources)


def source_table(data: LoadedGraph) -> list[SourceContribution]:
    """What every source of ``data`` contributes (cached by graph token)."""
    return cached_source_table(data.token, data)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_source_facts(token: str, source_id: str, _data: LoadedGraph) -> list[tuple[str, str, str, str]]:
    """The facts one source states (first 500), computed once per graph and source."""
    return source_facts(_data.graph, source_id)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def cached_sparql(token: str, query: str, _data: LoadedGraph) -> SparqlOutcome:
    """A query's outcome, computed once per (graph, query text) and shared by every session."""
    return run_sparql(_data, query)


def sparql_outcome(data: LoadedGraph, query: str) -> SparqlOutcome:
    """A query's outcome for the current graph (cached; session graphs have their own token)."""
    return cached_sparql(data.token, query, data)
