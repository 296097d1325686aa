"""Backends and safety: the explorer over a remote SPARQL endpoint and over Neo4j, backend choice, escaping."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.data import chosen_backend
from explorer.markup import escape_markdown
from graph.serve.endpoint import free_loopback_port
from graph.views.kg import KnowledgeGraph, load_graph
from tests.conftest import served
from tests.explorer.conftest import BACKEND_VARIABLES, run_app_page

MBT = "modality/mentalization-based-treatment"
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
    assert app.markdown[0].value == escape_markdown("Read <b>this</b> and ![img](http://example.org/x.png) first.")
    links = [link.value for link in app.get("page_link")]
    assert escape_markdown("Some <i>One</i>") in links
    assert all("<" not in label.replace("\\<", "") for label in links)
    lineage = run_page("lineage", entity="modality/hostile")
    assert all("unsafe_allow_html" not in str(m.proto) for m in lineage.markdown)



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
    links = [link.value.replace("\\", "") for link in app.get("page_link")]
    assert "Peter Fonagy" in links and "Borderline personality disorder" in links
    sparql = run_page("sparql", example="where-does-a-fact-come-from")
    assert len(sparql.dataframe[0].value) >= 1
    sparql.text_area[0].input("SELECT ?x WHERE { ?x ?y }").run()
    assert sparql.error[0].value.startswith("The query did not run:")


@pytest.mark.neo4j
def test_explorer_reads_neo4j(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.sinks.neo4j import open_driver, push_to_neo4j

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
    links = [link.value.replace("\\", "") for link in app.get("page_link")]
    assert "Peter Fonagy" in links and "Borderline personality disorder" in links
    lineage = run_page("lineage", entity=MBT)
    assert "Attachment Theory" in "\n".join(t.value for t in lineage.text)
    sparql = run_page("sparql")
    assert "not available on the Neo4j backend" in sparql.error[0].value
