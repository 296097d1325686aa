"""`tkg push --sparql-graph-store` against a real second Oxigraph server started here."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from graph.serve.endpoint import free_loopback_port
from graph.views.kg import KnowledgeGraph
from ontology.namespace import entity_base

pytestmark = pytest.mark.skipif(shutil.which("oxigraph") is None, reason="needs the oxigraph server binary")


@pytest.fixture()
def remote_store(tmp_path: Path) -> Iterator[str]:
    """A writable Oxigraph server on a free loopback port; yields its base URL."""
    port = free_loopback_port()
    process = subprocess.Popen(["oxigraph", "serve", "--location", str(tmp_path / "remote"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the remote Oxigraph server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def remote_select(url: str, query: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(url + "/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return [{k: v["value"] for k, v in row.items()} for row in client.query().convert()["results"]["bindings"]]


def test_push_copies_every_named_graph(kg: KnowledgeGraph, bundled_store: Path, remote_store: str) -> None:
    command = [sys.executable, "-m", "graph.cli", "--store", str(bundled_store), "push",
               "--sparql-graph-store", remote_store + "/store"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    local = {row["g"]: int(row["n"]) for row in kg.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    remote = {row["g"]: int(row["n"]) for row in remote_select(
        remote_store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    local = {(g if g.startswith("http") else entity_base() + g): n for g, n in local.items()}
    assert remote == local
    base = entity_base()
    developers = remote_select(remote_store, f"""SELECT ?who WHERE {{ GRAPH <{base}source/seed-attachment-focused>
        {{ <{base}modality/dyadic-developmental-psychotherapy>
           <https://w3id.org/therapy-kg/ontology#developedBy> ?who }} }}""")
    assert developers == [{"who": entity_base() + "theorist/daniel-hughes"}]
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)  # PUT replaces: idempotent
    assert again.returncode == 0
    assert remote_select(remote_store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"] == str(
        sum(local.values()))


def test_push_to_an_unreachable_store_fails_cleanly(bundled_store: Path, kg: KnowledgeGraph) -> None:
    port = free_loopback_port()
    result = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(bundled_store), "push",
                             "--sparql-graph-store", f"http://127.0.0.1:{port}/store"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "cannot reach graph store" in result.stderr
