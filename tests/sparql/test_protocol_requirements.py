"""W3C SPARQL 1.1 Protocol (query side) and Service Description, one test per requirement, against `tkg serve`."""

from __future__ import annotations

import gzip
import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from graph.serve.endpoint import GZIP_MIN_BYTES
from graph.views.kg import KnowledgeGraph
from ontology.namespace import entity_base
from tests.sparql.conftest import RunningEndpoint, start_endpoint, stop_endpoint

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
MBT = entity_base() + "modality/mentalization-based-treatment"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DDP_DEVELOPER = ('SELECT ?name WHERE { ?m skos:altLabel "DDP" ; tkg:developedBy ?who . '
                 "?who skos:prefLabel ?name }")


def call(endpoint: RunningEndpoint, method: str = "GET", path: str = "/query", params: dict[str, str] | None = None,
         body: bytes | None = None, headers: dict[str, str] | None = None,
         ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One raw HTTP request (no header added for us: no Accept unless given); status, headers, body."""
    host = urllib.parse.urlsplit(endpoint.base_url).netloc
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        query_string = ("?" + urllib.parse.urlencode(params)) if params else ""
        connection.request(method, path + query_string, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def select_values(body: bytes, name: str) -> list[str]:
    return [b[name]["value"] for b in json.loads(body)["results"]["bindings"] if name in b]


JSON_ACCEPT = {"Accept": "application/sparql-results+json"}


# ---------------------------------------------------------------- 2.1 query operation


def test_query_via_get(endpoint: RunningEndpoint) -> None:  # 2.1.1
    status, headers, body = call(endpoint, params={"query": DDP_DEVELOPER}, headers=JSON_ACCEPT)
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


def test_query_via_post_urlencoded(endpoint: RunningEndpoint) -> None:  # 2.1.2
    status, _, body = call(endpoint, "POST", body=urllib.parse.urlencode({"query": DDP_DEVELOPER}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded", **JSON_ACCEPT})
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


def test_query_via_post_directly(endpoint: RunningEndpoint) -> None:  # 2.1.3
    status, _, body = call(endpoint, "POST", body=DDP_DEVELOPER.encode(),
                           headers={"Content-Type": "application/sparql-query", **JSON_ACCEPT})
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


def a_source_graph(endpoint: RunningEndpoint) -> tuple[str, int]:
    """A source's named graph and how many triples it holds."""
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
             f'"{entity_base()}source/")) }} GROUP BY ?g ORDER BY DESC(?n) ?g LIMIT 1')
    _, _, body = call(endpoint, params={"query": query}, headers=JSON_ACCEPT)
    row = json.loads(body)["results"]["bindings"][0]
    return row["g"]["value"], int(row["n"]["value"])


def test_default_graph_uri_sets_the_default_graph(endpoint: RunningEndpoint) -> None:  # 2.1.4
    graph, size = a_source_graph(endpoint)
    status, _, body = call(endpoint, params={"query": COUNT_TRIPLES, "default-graph-uri": graph}, headers=JSON_ACCEPT)
    assert status == 200 and select_values(body, "n") == [str(size)]
    _, _, whole = call(endpoint, params={"query": COUNT_TRIPLES}, headers=JSON_ACCEPT)
    assert int(select_values(whole, "n")[0]) > size  # without it: the union of all sources


def test_named_graph_uri_sets_the_named_graphs(endpoint: RunningEndpoint) -> None:  # 2.1.4
    graph, _ = a_source_graph(endpoint)
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = call(endpoint, "POST", params={"named-graph-uri": graph}, body=query.encode(),
                           headers={"Content-Type": "application/sparql-query", **JSON_ACCEPT})
    assert status == 200 and select_values(body, "g") == [graph]


def test_malformed_query_is_400_as_text(endpoint: RunningEndpoint) -> None:  # 2.1.4 failure responses
    status, headers, body = call(endpoint, params={"query": "SELECT ?x WHERE { ?x ?y }"}, headers=JSON_ACCEPT)
    assert status == 400 and headers["Content-Type"].startswith("text/plain") and b"error at 1:" in body


def test_two_query_parameters_are_a_400(endpoint: RunningEndpoint) -> None:  # 2.1.4: exactly one query string
    status, _, body = call(endpoint, path="/query?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and b"more than one query" in body


def test_post_without_content_type_is_refused_naming_it(endpoint: RunningEndpoint) -> None:  # 2.1.2/2.1.3
    status, _, body = call(endpoint, "POST", body=DDP_DEVELOPER.encode(), headers=JSON_ACCEPT)
    assert status == 415 and b"Content-Type" in body and b"application/sparql-query" in body


def test_update_through_the_query_operation_is_refused(endpoint: RunningEndpoint) -> None:  # 2.2, read-only
    status, _, body = call(endpoint, "POST", body=b"update=CLEAR+ALL",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body


# ---------------------------------------------------------------- 2.1.5/2.1.6 responses, content negotiation


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_results_are_negotiated(endpoint: RunningEndpoint, accept: str, media: str) -> None:
    status, headers, body = call(endpoint, params={"query": DDP_DEVELOPER}, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media) and b"Daniel Hughes" in body
    assert "Accept" in headers["Vary"]


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+json", b'"boolean":true'),
    ("application/sparql-results+xml", b"<boolean>true</boolean>"),
])
def test_ask_results_are_negotiated(endpoint: RunningEndpoint, accept: str, expected: bytes) -> None:
    status, headers, body = call(endpoint, params={"query": f"ASK {{ <{MBT}> ?p ?o }}"}, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept) and expected in body.replace(b" ", b"")


@pytest.mark.parametrize(("accept", "media", "parser"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    (None, "text/turtle", "turtle"),  # no Accept: Turtle, not N-Quads
    ("*/*", "text/turtle", "turtle"),
])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_graph_results_are_negotiated_with_turtle_by_default(endpoint: RunningEndpoint, form: str,
                                                             accept: str | None, media: str, parser: str) -> None:
    query = (f"CONSTRUCT {{ <{MBT}> ?p ?o }} WHERE {{ <{MBT}> ?p ?o }}" if form == "CONSTRUCT"
             else f"DESCRIBE <{MBT}>")
    status, headers, body = call(endpoint, params={"query": query}, headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(media)
    graph = rdflib.Graph().parse(data=body, format=parser)
    assert (rdflib.URIRef(MBT), rdflib.URIRef("https://w3id.org/therapy-kg/ontology#developedBy"),
            rdflib.URIRef(entity_base() + "theorist/peter-fonagy")) in graph


def test_unacceptable_format_is_406(endpoint: RunningEndpoint) -> None:
    status, _, _ = call(endpoint, params={"query": DDP_DEVELOPER}, headers={"Accept": "image/png"})
    assert status == 406


def test_gzip_when_asked(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 2000"
    _, plain_headers, plain = call(endpoint, params={"query": query}, headers=JSON_ACCEPT)
    status, headers, body = call(endpoint, params={"query": query},
                                 headers={"Accept-Encoding": "gzip", **JSON_ACCEPT})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain_headers
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 3
    assert "Accept-Encoding" in headers["Vary"]
    status, headers, small = call(endpoint, params={"query": DDP_DEVELOPER},  # under GZIP_MIN_BYTES: sent as is
                                  headers={"Accept-Encoding": "gzip", **JSON_ACCEPT})
    assert status == 200 and "Content-Encoding" not in headers and len(small) < GZIP_MIN_BYTES
    assert "Daniel Hughes" in json.loads(small)["results"]["bindings"][0]["name"]["value"]
    assert "Accept-Encoding" in headers["Vary"]


def test_head_is_answered_like_get_without_a_body(endpoint: RunningEndpoint) -> None:
    params = {"query": DDP_DEVELOPER}
    get_status, get_headers, _ = call(endpoint, params=params, headers=JSON_ACCEPT)
    status, headers, body = call(endpoint, "HEAD", params=params, headers=JSON_ACCEPT)
    assert (status, headers["Content-Type"]) == (get_status, get_headers["Content-Type"]) == (
        200, "application/sparql-results+json") and body == b""


@pytest.mark.parametrize("path", ["/query/", "/sparql", "/sparql/"])
def test_trailing_slash_and_sparql_path(endpoint: RunningEndpoint, path: str) -> None:
    status, _, body = call(endpoint, path=path, params={"query": DDP_DEVELOPER}, headers=JSON_ACCEPT)
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


def test_long_get_is_414_naming_post(endpoint: RunningEndpoint) -> None:
    query = DDP_DEVELOPER + " #" + "x" * 9000
    status, _, body = call(endpoint, params={"query": query}, headers=JSON_ACCEPT)
    assert status == 414 and b"POST" in body and b"8192" in body
    status, _, body = call(endpoint, "POST", body=query.encode(),
                           headers={"Content-Type": "application/sparql-query", **JSON_ACCEPT})
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


def test_pathological_nesting_is_a_clear_400(endpoint: RunningEndpoint) -> None:
    query = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
    status, _, body = call(endpoint, "POST", body=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"10000 deep" in body and b"limit is 256" in body
    status, _, body = call(endpoint, params={"query": DDP_DEVELOPER}, headers=JSON_ACCEPT)
    assert status == 200 and select_values(body, "name") == ["Daniel Hughes"]


# ---------------------------------------------------------------- base IRI


def test_relative_iris_resolve_against_the_endpoint_url(endpoint: RunningEndpoint) -> None:
    query = 'SELECT (IRI("x") AS ?made) ?relative WHERE { BIND(<y> AS ?relative) }'
    for _ in range(2):  # the second answer comes from the cache: the same
        _, _, body = call(endpoint, params={"query": query}, headers=JSON_ACCEPT)
        assert select_values(body, "made") == [endpoint.base_url + "/x"]
        assert select_values(body, "relative") == [endpoint.base_url + "/y"]
    _, _, body = call(endpoint, params={"query": "BASE <http://example.org/a/> SELECT (IRI('x') AS ?made) {}"},
                      headers=JSON_ACCEPT)
    assert select_values(body, "made") == ["http://example.org/a/x"]  # the query's own BASE wins


@pytest.fixture(scope="module")
def public_endpoint(bundled_store: Path) -> Iterator[RunningEndpoint]:
    running = start_endpoint(bundled_store, "--public-url", "https://kg.example.org/sparql")
    try:
        yield running
    finally:
        stop_endpoint(running.process)


def test_public_url_is_the_base_iri_and_the_described_endpoint(public_endpoint: RunningEndpoint) -> None:
    _, _, body = call(public_endpoint, params={"query": 'SELECT (IRI("x") AS ?made) {}'}, headers=JSON_ACCEPT)
    assert select_values(body, "made") == ["https://kg.example.org/x"]
    _, _, body = call(public_endpoint, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert set(graph.objects(None, SD.endpoint)) == {rdflib.URIRef("https://kg.example.org/sparql")}


# ---------------------------------------------------------------- Service Description


@pytest.mark.parametrize("path", ["/query", "/query/"])
def test_service_description_at_the_endpoint(endpoint: RunningEndpoint, path: str) -> None:
    status, headers, body = call(endpoint, path=path, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    service = graph.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(endpoint.query_url)
    assert SD.SPARQL11Query in set(graph.objects(service, SD.supportedLanguage))
    formats = set(graph.objects(service, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.Turtle} <= formats
    assert SD.BasicFederatedQuery not in set(graph.objects(service, SD.feature))  # SERVICE is off
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, SD.Dataset) in graph and graph.value(dataset, SD.defaultGraph) is not None
    void = graph.value(dataset, rdflib.RDFS.seeAlso)
    assert void == rdflib.URIRef(endpoint.base_url + "/.well-known/void")
    status, _, _ = call(endpoint, path="/.well-known/void")
    assert status == 200
    status, _, body = call(endpoint, "HEAD", path=path, headers={"Accept": "text/turtle"})
    assert status == 200 and body == b""
