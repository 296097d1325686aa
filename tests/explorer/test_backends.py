"""Backends and safety: the explorer over a remote SPARQL endpoint and over Neo4j, backend choice, escaping."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from explorer.markup import escape_markdown
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.pipeline.resolve import PageResolver
from graph.serve.endpoint import free_loopback_port
from graph.sinks.neo4j import open_driver, push_to_neo4j
from graph.views.backends import LoadedGraph, chosen_backend, load_embedded, run_remote_sparql, run_sparql, with_page
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.persisted_view import VIEW_FILE, explorer_view, has_saved_view
from loaders.registry import load_page
from tests.conftest import served
from tests.explorer.conftest import BACKEND_VARIABLES, link_labels, run_app_page

MBT = "modality/mentalization-based-treatment"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEVELOPED_BY_FONAGY = "SELECT ?m WHERE { ?m tkg:developedBy id:theorist\\/peter-fonagy } ORDER BY ?m"
HOSTILE_LABEL = '<script>alert("x")</script> *Bold* [link](http://example.org) :red[red]'


run_page = run_app_page  # against whatever backend the environment configures


def test_backend_choice_follows_the_environment() -> None:
    assert chosen_backend({}) == "embedded"
    assert chosen_backend({"NEO4J_URI": "bolt://127.0.0.1:7687"}) == "embedded"
    assert chosen_backend({"NEO4J_URI": "bolt://x:1", "TKG_EXPLORER_BACKEND": "neo4j"}) == "neo4j"
    assert chosen_backend({"TKG_EXPLORER_BACKEND": "neo4j"}) == "embedded"  # no server configured
    assert chosen_backend({"TKG_SPARQL_ENDPOINT": "http://127.0.0.1:7878/query"}) == "sparql"
    assert chosen_backend({"TKG_SPARQL_ENDPOINT": "http://h/q", "TKG_EXPLORER_BACKEND": "embedded"}) == "embedded"


def test_markdown_escaping_leaves_no_markup() -> None:
    escaped = escape_markdown(HOSTILE_LABEL)
    for char in "<>*[]():":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == char), char
    assert escaped.replace("\\", "") == HOSTILE_LABEL


@pytest.fixture
def hostile_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeGraph:
    """A tiny graph whose labels and description try to inject markup."""
    content = tmp_path / "hostile.yaml"
    content.write_text(f"""
sources:
  - id: hostile-source
    title: "A source titled <img src=x onerror=alert(1)>"
    kind: reference
entities:
  - id: modality/hostile
    type: Modality
    label: '{HOSTILE_LABEL}'
    description: "Read <b>this</b> and ![img](http://example.org/x.png) first."
    source: hostile-source
    developedBy: [theorist/someone]
  - id: theorist/someone
    type: Theorist
    label: "Some <i>One</i>"
    source: hostile-source
""", encoding="utf-8")
    kg = load_graph(tmp_path / "store", [content])
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TKG_STORE", str(kg.store_dir))
    monkeypatch.setenv("TKG_EXPLORER_CONTENT", str(content))
    return kg


def test_labels_with_markup_are_shown_as_text(hostile_graph: KnowledgeGraph) -> None:
    app = run_page("search", entity="modality/hostile", q="script")
    assert app.header[0].value == escape_markdown(HOSTILE_LABEL)
    description = escape_markdown("Read <b>this</b> and ![img](http://example.org/x.png) first.")
    assert description in [m.value for m in app.markdown]
    assert "Some <i>One</i>" in link_labels(app)  # the label, HTML-escaped in the link and shown as text
    raw = "".join(m.value for m in app.markdown if "unsafe" in str(m.proto) or "<a " in m.value)
    assert "<i>" not in raw and "<script>" not in raw and "&lt;i&gt;" in raw
    lineage = run_page("lineage", entity="modality/hostile")
    assert all("unsafe_allow_html" not in str(m.proto) for m in lineage.markdown)



@pytest.fixture(scope="module")
def embedded(kg: KnowledgeGraph) -> Iterator[LoadedGraph]:
    """The bundled store loaded as the explorer loads it, with its SPARQL worker processes (stopped afterwards)."""
    loaded = load_embedded(kg.store_dir, [BUNDLED_CONTENT])
    yield loaded
    assert loaded.workers is not None
    loaded.workers.close()


def test_embedded_sparql_answers_in_worker_processes(embedded: LoadedGraph, kg: KnowledgeGraph) -> None:
    outcome = run_sparql(embedded, DEVELOPED_BY_FONAGY)
    assert outcome.error is None and outcome.columns == ["m"]
    assert outcome.rows == kg.select(DEVELOPED_BY_FONAGY) and {"m": MBT} in outcome.rows
    assert run_sparql(embedded, "ASK { ?m tkg:developedBy id:theorist\\/peter-fonagy }").boolean is True
    capped = run_sparql(embedded, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=7)
    assert len(capped.rows) == 7 and capped.truncated
    broken = run_sparql(embedded, "SELECT ?x WHERE { ?x ?y }")
    assert broken.error and "1:" in broken.error and not broken.rows


def test_the_embedded_backend_saves_its_view_beside_the_build_and_reads_it(embedded: LoadedGraph,
                                                                          kg: KnowledgeGraph) -> None:
    assert embedded.kg is not None and has_saved_view(embedded.kg)
    assert (embedded.kg.build.path / VIEW_FILE).is_file()
    assert embedded.graph.number_of_nodes() == kg.nx.number_of_nodes() and embedded.kg.nx is embedded.graph
    assert embedded.search.search("Bowlby")[0].id == "theorist/john-bowlby"
    again, read = explorer_view(load_graph(kg.store_dir, [BUNDLED_CONTENT]))
    assert read and nx.utils.graphs_equal(again.graph, embedded.graph)


def test_a_runaway_query_is_stopped_at_its_limit_and_the_workers_go_on(embedded: LoadedGraph) -> None:
    run_sparql(embedded, "ASK {}")  # the workers are up and hold the graph
    started = time.perf_counter()
    stopped = run_sparql(embedded, RUNAWAY, timeout=1.0)
    elapsed = time.perf_counter() - started
    assert stopped.error == "the query took longer than 1 s and was stopped"
    assert elapsed < 2.5  # killed at once, not after a grace period
    assert {"m": MBT} in run_sparql(embedded, DEVELOPED_BY_FONAGY).rows


def test_a_page_added_in_a_session_is_queried_in_the_session_graph_only(embedded: LoadedGraph,
                                                                           tmp_path: Path) -> None:
    page = tmp_path / "example-page.txt"
    page.write_text("Example Page Therapy\n\nExample Page Therapy was developed by Peter Fonagy in 1991.\n",
                    encoding="utf-8")
    extraction = load_page(page, PageResolver(embedded.names)).extraction
    session = with_page(embedded, extraction, page.name)
    assert session.token != embedded.token and session.session_pages == ["example-page.txt"]
    ask = f"ASK {{ GRAPH id:source\\/{extraction.source.id} {{ ?m tkg:developedBy id:theorist\\/peter-fonagy }} }}"
    assert run_sparql(session, ask).boolean is True
    assert run_sparql(embedded, ask).boolean is False
    assert len(run_sparql(session, DEVELOPED_BY_FONAGY).rows) == len(run_sparql(embedded, DEVELOPED_BY_FONAGY).rows) + 1


@pytest.fixture
def sparql_endpoint(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """`tkg serve` over the bundled store on a loopback port, as the explorer's remote backend."""
    port = free_loopback_port()
    url = f"http://127.0.0.1:{port}/query"
    command = [sys.executable, "-m", "graph.cli", "--store", str(kg.store_dir), "serve", "--port", str(port)]
    environment = {k: v for k, v in os.environ.items() if k not in BACKEND_VARIABLES}
    with served(command, f"{url}?query=ASK%7B%7D", tmp_path / "serve.log", environment):
        for name in BACKEND_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("TKG_SPARQL_ENDPOINT", url)
        yield url


@pytest.mark.slow
def test_explorer_reads_a_remote_sparql_endpoint(sparql_endpoint: str) -> None:
    app = run_page("search", entity=MBT)
    assert "SPARQL endpoint" in app.sidebar.caption[0].value
    assert {"Peter Fonagy", "Borderline personality disorder"} <= set(link_labels(app))
    sparql = run_page("sparql", example="where-does-a-fact-come-from")
    assert len(sparql.dataframe[0].value) >= 1
    sparql.text_area[0].input("SELECT ?x WHERE { ?x ?y }").run()
    assert sparql.error[0].value.startswith("The query did not run:")


@pytest.mark.slow
def test_remote_answers_read_like_embedded_ones(sparql_endpoint: str, kg: KnowledgeGraph) -> None:
    selected = run_remote_sparql(sparql_endpoint, DEVELOPED_BY_FONAGY)
    assert selected.error is None and selected.rows == kg.select(DEVELOPED_BY_FONAGY)  # ids, as embedded
    assert run_remote_sparql(sparql_endpoint, "ASK { ?m tkg:developedBy id:theorist\\/peter-fonagy }").boolean is True
    built = run_remote_sparql(sparql_endpoint, "CONSTRUCT { ?m tkg:developedBy ?t } WHERE { ?m tkg:developedBy ?t "
                                               "FILTER(?m = id:modality\\/mentalization-based-treatment) }")
    assert built.columns == ["subject", "predicate", "object"]
    assert {"subject": MBT, "predicate": "https://w3id.org/therapy-kg/ontology#developedBy",
            "object": "theorist/peter-fonagy"} in built.rows
    capped = run_remote_sparql(sparql_endpoint, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=7)
    assert len(capped.rows) == 7 and capped.truncated


@pytest.mark.neo4j
def test_explorer_reads_neo4j(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.fail("NEO4J_URI is not set: start the test server with .ci/neo4j/start (CI does)")
    database = os.environ.get("NEO4J_DATABASE") or "neo4j"
    driver = open_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), database)
    try:
        push_to_neo4j(kg.nx, driver, database, prune=True)
    finally:
        driver.close()
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TKG_EXPLORER_BACKEND", "neo4j")
    app = run_page("search", entity=MBT)
    assert "Neo4j" in app.sidebar.caption[0].value
    assert {"Peter Fonagy", "Borderline personality disorder"} <= set(link_labels(app))
    lineage = run_page("lineage", entity=MBT)
    assert "Attachment Theory" in "\n".join(t.value for t in lineage.text)
    sparql = run_page("sparql")
    assert "not available on the Neo4j backend" in sparql.error[0].value
