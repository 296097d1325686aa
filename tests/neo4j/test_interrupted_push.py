"""A server stopped in the middle of a push: a clear error, and the next push completes the graph (own server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synthetic import write_corpus
from graph.sinks.neo4j import Batch, Neo4jPushInterrupted, check_round_trip, open_driver, push_to_neo4j
from graph.views.kg import load_graph
from tests.neo4j.conftest import Neo4jServer

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
START, STOP = REPO / ".ci" / "neo4j" / "start", REPO / ".ci" / "neo4j" / "stop"


class OwnServer:
    """A second test server on a fixed port whose store survives a stop, so it can be restarted mid-test."""

    def __init__(self, run_dir: Path, password: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.env = {**os.environ, "NEO4J_RUN_DIR": str(run_dir), "NEO4J_PORT": str(self.port),
                    "NEO4J_KEEP_DATA": "1", "NEO4J_PASSWORD": password}

    def start(self) -> None:
        """Start (or restart on the same store) and wait until Bolt answers."""
        result = subprocess.run([str(START)], env=self.env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"export NEO4J_URI={self.uri} NEO4J_USER=neo4j"

    def stop(self) -> None:
        """Clean shutdown (SIGTERM), keeping the store."""
        subprocess.run([str(STOP)], env=self.env, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture
def own_server(tmp_path: Path, neo4j_server: Neo4jServer) -> Iterator[OwnServer]:
    """A restartable server of our own (the shared one must not be stopped under other tests)."""
    server = OwnServer(tmp_path / "neo4j-run", neo4j_server.password)
    server.start()
    yield server
    server.env["NEO4J_KEEP_DATA"] = "0"
    server.stop()


def test_server_stopped_mid_push(own_server: OwnServer, neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    corpus = write_corpus(300, tmp_path / "corpus")
    graph = load_graph(tmp_path / "store", [corpus], validate=False).nx
    batch_size, stop_after = 50, 4
    assert graph.number_of_nodes() > batch_size * stop_after

    committed: list[Batch] = []

    def stop_the_server(batch: Batch) -> None:
        committed.append(batch)
        if len(committed) == stop_after:
            own_server.stop()

    driver = open_driver(own_server.uri, neo4j_server.user, neo4j_server.password, retry_seconds=2)
    with pytest.raises(Neo4jPushInterrupted) as interrupted:
        push_to_neo4j(graph, driver, batch_size=batch_size, on_batch=stop_the_server, server=own_server.uri)
    driver.close()
    message = str(interrupted.value)
    assert f"lost the connection to Neo4j at {own_server.uri} during batch {stop_after + 1} of" in message
    assert "run the same push again" in message
    assert len(committed) == stop_after

    own_server.start()  # same port, same store
    env = {**os.environ, "NEO4J_PASSWORD": neo4j_server.password}
    result = subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(tmp_path / "store"),
                             "--content", str(corpus), "neo4j", "push", "--uri", own_server.uri,
                             "--batch-size", str(batch_size), "--check"],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    kept = batch_size * stop_after  # the first batches are all nodes, and they survived the stop
    assert (f"nodes: {graph.number_of_nodes() - kept} created, 0 updated, {kept} unchanged"
            in result.stdout), result.stdout
    assert f"relationships: {graph.number_of_edges()} created, 0 updated, 0 unchanged" in result.stdout
    assert "round trip: lossless" in result.stdout

    driver = open_driver(own_server.uri, neo4j_server.user, neo4j_server.password)
    assert check_round_trip(graph, driver).lossless
    driver.close()
