"""SERVICE is refused by default in `tkg serve`, `tkg query` and the explorer; an allow-list opens it."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.views.backends import load_embedded, run_sparql
from graph.views.kg import KnowledgeGraph
from graph.views.sparql_guard import (
    MAX_NESTING,
    QueryRefused,
    check_query,
    checked_at_c_speed,
    lexical_scan,
    parse_allow_list,
)
from tests.sparql.conftest import RunningEndpoint, start_endpoint, stop_endpoint

REMOTE_ANSWER = {"head": {"vars": ["name"]},
                 "results": {"bindings": [{"name": {"type": "literal", "value": "from the remote endpoint"}}]}}


class FakeRemote(BaseHTTPRequestHandler):
    """A remote SPARQL endpoint that answers every query with one row."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps(REMOTE_ANSWER).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def remote() -> Iterator[int]:
    """The port of a fake remote SPARQL endpoint on loopback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRemote)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the probe goes


def federated(port: int, silent: bool = False) -> str:
    silently = "SILENT " if silent else ""
    return f"SELECT ?name WHERE {{ SERVICE {silently}<http://127.0.0.1:{port}/sparql> {{ ?x ?y ?name }} }}"


def get(endpoint: RunningEndpoint, query: str) -> tuple[int, dict[str, str], bytes]:
    url = endpoint.query_url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ---------------------------------------------------------------- the guard itself


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * WHERE { SERVICE <http://x.org/s> { ?s ?p ?o } }", (2, True)),
    ("select * where { service<http://x.org/s>{ ?s ?p ?o } }", (2, True)),
    ('SELECT ?service WHERE { ?service ex:service "SERVICE" . <http://service.org/> ?p ?o } # SERVICE', (1, False)),
    ("SELECT * WHERE { ?s ?p '''quoted ''service'' (((''' FILTER(?s < 3) }", (2, False)),
    ("SELECT * WHERE { ?s ?p ?o FILTER((?o > 1)) }", (3, False)),
    ("SELECT * WHERE " + "{ ?s ?p ?o " * 300 + "}" * 300, (300, False)),
    ("SELECT * WHERE { ?s ?p '" + "(" * 300 + "' }", (1, False)),
])
def test_lexical_scan_sees_keywords_and_brackets_outside_strings_iris_and_comments(
        query: str, expected: tuple[int, bool]) -> None:
    assert lexical_scan(query) == expected
    if checked_at_c_speed(query):  # the endpoint then checks on its event loop: the scan must find nothing to refuse
        assert expected[0] <= MAX_NESTING and expected[1] is False


def test_service_is_refused_by_default_naming_the_option() -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }")
    assert "--allow-service HOST[:PORT]" in refused.value.message
    assert check_query('SELECT * WHERE { ?s ?p "SERVICE" }') is False


def test_allow_list_is_parsed_from_the_real_query() -> None:
    allowed = parse_allow_list(["data.example.org:8890", "127.0.0.1:9999"])
    assert allowed == (("data.example.org", 8890), ("127.0.0.1", 9999))
    assert check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9999/q> { ?s ?p ?o } }", allowed) is True
    # a prefixed name is resolved by the parser before the check
    query = "PREFIX r: <http://127.0.0.1:9998/> SELECT * WHERE { SERVICE r:q { ?s ?p ?o } }"
    with pytest.raises(QueryRefused, match="127.0.0.1:9998"):
        check_query(query, allowed)
    with pytest.raises(QueryRefused, match="variable"):
        check_query("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", allowed)
    with pytest.raises(QueryRefused, match="only http"):
        check_query("SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }", allowed)
    with pytest.raises(ValueError, match="--allow-service"):
        parse_allow_list(["host:notaport"])


def test_a_listed_name_that_resolves_to_loopback_is_refused() -> None:
    name = socket.gethostname()
    if not socket.gethostbyname(name).startswith("127."):
        pytest.skip("this machine's name does not resolve to loopback")
    with pytest.raises(QueryRefused, match="internal address 127"):
        check_query(f"SELECT * WHERE {{ SERVICE <http://{name}:80/q> {{ ?s ?p ?o }} }}", parse_allow_list([name]))


def test_pathological_nesting_is_refused_before_it_reaches_oxigraph(kg: KnowledgeGraph) -> None:
    deep = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
    with pytest.raises(QueryRefused, match=f"10000 deep; the limit is {MAX_NESTING}"):
        kg.query(deep)  # Oxigraph itself would die with SIGSEGV at ~3,000
    fine = "SELECT (COUNT(*) AS ?n) WHERE " + "{" * 50 + " ?s a tkg:Modality " + "}" * 50
    assert int(kg.select(fine)[0]["n"]) > 0  # type: ignore[arg-type]


# ---------------------------------------------------------------- the three entry points


def test_knowledge_graph_and_explorer_refuse_service(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryRefused):
        kg.query(federated(closed_port()))
    loaded = load_embedded(kg.store_dir, [BUNDLED_CONTENT])  # the explorer's SPARQL page: its worker processes
    try:
        outcome = run_sparql(loaded, federated(closed_port()))
    finally:
        assert loaded.workers is not None
        loaded.workers.close()
    assert outcome.error is not None and "--allow-service HOST[:PORT]" in outcome.error


def test_tkg_query_refuses_service_and_allows_listed_hosts(bundled_store: Path, remote: int) -> None:
    runner = CliRunner()
    refused = runner.invoke(main, ["--store", str(bundled_store), "query", federated(remote)])
    assert refused.exit_code == 2 and "--allow-service" in refused.output and refused.exception is not None
    allowed = runner.invoke(main, ["--store", str(bundled_store), "query", "--allow-service", f"127.0.0.1:{remote}",
                                   "--format", "csv", federated(remote)])
    assert allowed.exit_code == 0, allowed.output
    assert allowed.output.splitlines() == ["name", "from the remote endpoint"]
    port = closed_port()
    failing = runner.invoke(main, ["--store", str(bundled_store), "query", "--allow-service", f"127.0.0.1:{port}",
                                   federated(port)])
    assert failing.exit_code == 1 and "error: the query failed" in failing.output
    assert "Traceback" not in failing.output


def test_endpoint_refuses_service_by_default(endpoint: RunningEndpoint) -> None:
    status, _, body = get(endpoint, federated(closed_port()))
    assert status == 400 and b"--allow-service HOST[:PORT]" in body


@pytest.fixture(scope="module")
def federating_endpoint(bundled_store: Path, remote: int) -> Iterator[tuple[RunningEndpoint, int]]:
    """`tkg serve` allowing the fake remote and one closed loopback port."""
    dead = closed_port()
    running = start_endpoint(bundled_store, "--allow-service", f"127.0.0.1:{remote}",
                             "--allow-service", f"127.0.0.1:{dead}")
    try:
        yield running, dead
    finally:
        stop_endpoint(running.process)


def test_endpoint_federates_with_listed_hosts_only(federating_endpoint: tuple[RunningEndpoint, int],
                                                    remote: int) -> None:
    endpoint, _ = federating_endpoint
    status, headers, body = get(endpoint, federated(remote))
    assert status == 200
    assert [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["from the remote endpoint"]
    assert get(endpoint, federated(remote))[1].get("X-Cache") != "hit"  # remote answers are never cached
    status, _, body = get(endpoint, federated(closed_port()))
    assert status == 400 and b"federated queries are off by default" in body


def test_failing_remote_is_never_a_200_nor_cached(federating_endpoint: tuple[RunningEndpoint, int]) -> None:
    endpoint, dead = federating_endpoint
    for _ in range(2):
        status, headers, body = get(endpoint, federated(dead))
        assert status == 502 and b"SERVICE" in body and headers.get("X-Cache") != "hit"
        assert b"Connection refused" not in body and b"127.0.0.1:" not in body.split(b"SERVICE", 1)[0]
    status, _, body = get(endpoint, federated(dead, silent=True))  # SILENT: the remote's failure is an empty part
    assert status == 200 and json.loads(body)["results"]["bindings"] == [{}]
