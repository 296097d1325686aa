"""`tkg neo4j push / check` as a user runs them: counts, idempotence, and exit code 2 with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from graph.serve.endpoint import free_loopback_port
from graph.views.kg import load_graph
from tests.conftest import KITCHEN_SINK
from tests.neo4j.conftest import Neo4jServer

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[2]


def tkg(store: Path, *args: str, password: str | None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line with the password only in the environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NEO4J_PASSWORD", "NEO4J_URI")}
    environment.update(env)
    if password is not None:
        environment["NEO4J_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store), "--content", str(KITCHEN_SINK),
                           "neo4j", *args], capture_output=True, text=True, cwd=REPO, env=environment, timeout=300)



def test_push_twice_then_check(driver: Driver, neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    graph = load_graph(tmp_path / "store", [KITCHEN_SINK]).nx
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    first = tkg(tmp_path / "store", "push", "--uri", neo4j_server.uri, "--user", neo4j_server.user,
                "--batch-size", "5", password=neo4j_server.password)
    assert first.returncode == 0, first.stderr
    assert f"nodes: {nodes} created, 0 updated, 0 unchanged" in first.stdout
    assert f"relationships: {edges} created, 0 updated, 0 unchanged" in first.stdout
    second = tkg(tmp_path / "store", "push", "--check", password=neo4j_server.password,
                 NEO4J_URI=neo4j_server.uri, NEO4J_USER=neo4j_server.user)
    assert second.returncode == 0, second.stderr
    assert f"nodes: 0 created, 0 updated, {nodes} unchanged" in second.stdout
    assert f"relationships: 0 created, 0 updated, {edges} unchanged" in second.stdout
    assert "round trip: lossless" in second.stdout
    check = tkg(tmp_path / "store", "check", "--uri", neo4j_server.uri, "--user", neo4j_server.user,
                password=neo4j_server.password)
    assert check.returncode == 0 and "round trip: lossless" in check.stdout
    modalities = sum(1 for _, data in graph.nodes(data=True) if data["type"] == "Modality")
    assert f"{':Modality':<26}{modalities:>8}{modalities:>8}" in check.stdout


def test_check_fails_when_neo4j_differs(driver: Driver, neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    assert tkg(tmp_path / "store", "push", "--uri", neo4j_server.uri, password=neo4j_server.password).returncode == 0
    driver.execute_query("MATCH (n:Entity {id: 'theorist/peter-fonagy'}) SET n.label = 'Someone else'")
    check = tkg(tmp_path / "store", "check", "--uri", neo4j_server.uri, password=neo4j_server.password)
    assert check.returncode == 1
    assert "node theorist/peter-fonagy: label is 'Someone else' in Neo4j, 'Peter Fonagy' in the graph" in check.stderr


def test_wrong_password_exits_2_without_echoing_it(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    wrong = "not-the-password-4711"
    result = tkg(tmp_path / "store", "push", "--uri", neo4j_server.uri, password=wrong)
    assert result.returncode == 2
    assert "wrong user name or password" in result.stderr
    assert wrong not in result.stderr + result.stdout
    assert neo4j_server.password not in result.stderr + result.stdout


def test_unreachable_server_exits_2(tmp_path: Path, neo4j_server: Neo4jServer) -> None:
    uri = f"bolt://127.0.0.1:{free_loopback_port()}"
    result = tkg(tmp_path / "store", "push", "--uri", uri, password=neo4j_server.password)
    assert result.returncode == 2
    assert f"cannot reach Neo4j at {uri}" in result.stderr and "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_password_and_bad_uri_exit_2(tmp_path: Path, neo4j_server: Neo4jServer) -> None:
    missing = tkg(tmp_path / "store", "push", "--uri", neo4j_server.uri, password=None)
    assert missing.returncode == 2 and "set NEO4J_PASSWORD" in missing.stderr
    bad = tkg(tmp_path / "store", "push", "--uri", "http://127.0.0.1:7474", password=neo4j_server.password)
    assert bad.returncode == 2 and "expected a Bolt URI" in bad.stderr
    nodb = tkg(tmp_path / "store", "check", "--uri", neo4j_server.uri, "--database", "nosuchdb",
               password=neo4j_server.password)
    assert nodb.returncode == 2 and "has no database 'nosuchdb'" in nodb.stderr


def test_password_is_not_an_option(tmp_path: Path, neo4j_server: Neo4jServer) -> None:
    result = tkg(tmp_path / "store", "push", "--uri", neo4j_server.uri, "--password", "x", password=None)
    assert result.returncode == 2 and "No such option '--password'" in result.stderr
