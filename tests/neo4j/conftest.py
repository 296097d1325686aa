"""Fixtures for tests against a live Neo4j: the server CI starts (NEO4J_URI), a driver, and an emptied database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from neo4j import Driver

from graph.sinks.neo4j import open_driver


@dataclass(frozen=True)
class Neo4jServer:
    """Where the live test server is and how to log in (the password only ever travels in the environment)."""

    uri: str
    user: str
    password: str


@pytest.fixture(scope="session")
def neo4j_server() -> Neo4jServer:
    """The live server from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD; an error (never a skip) when it is missing."""
    uri = os.environ.get("NEO4J_URI")
    password = os.environ.get("NEO4J_PASSWORD")
    if not uri or not password:
        pytest.fail("NEO4J_URI and NEO4J_PASSWORD must be set: these tests need a live Neo4j. Start one with\n"
                    "  export NEO4J_PASSWORD=<8+ characters>; eval \"$(.ci/neo4j/start)\"\n"
                    "(.ci/run does this), and stop it with .ci/neo4j/stop.", pytrace=False)
    return Neo4jServer(uri, os.environ.get("NEO4J_USER", "neo4j"), password)


@pytest.fixture(scope="session")
def session_driver(neo4j_server: Neo4jServer) -> Iterator[Driver]:
    """One verified driver for the session."""
    driver = open_driver(neo4j_server.uri, neo4j_server.user, neo4j_server.password, retry_seconds=5)
    yield driver
    driver.close()


def wipe(driver: Driver, database: str = "neo4j") -> None:
    """Delete every node and relationship (in chunks, so it also works after a big push)."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def driver(session_driver: Driver) -> Driver:
    """The session's driver over an empty database."""
    wipe(session_driver)
    return session_driver


def count(driver: Driver, cypher: str, **parameters: object) -> int:
    """The single integer a counting query returns."""
    records, _, _ = driver.execute_query(cypher, parameters)
    return int(records[0][0])
