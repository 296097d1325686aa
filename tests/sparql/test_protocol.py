"""The endpoint as researchers' tools see it: SPARQLWrapper against `tkg serve` over the bundled graph."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import rdflib
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.serve.endpoint import MAX_BODY
from graph.views.kg import KnowledgeGraph
from ontology.namespace import entity_base
from tests.sparql.conftest import SERVE_TIMEOUT, RunningEndpoint

DDP_DEVELOPER = """PREFIX tkg: <https://w3id.org/therapy-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE { ?m skos:altLabel "DDP" ; tkg:developedBy ?who . ?who skos:prefLabel ?name }"""
DESCRIBE_MBT = "DESCRIBE ?m WHERE { ?m skos:altLabel \"MBT\" }"
CONSTRUCT_SUBTYPES = """CONSTRUCT { ?m tkg:subtypeOf ?parent } WHERE {
  ?m tkg:subtypeOf ?parent . ?parent skos:prefLabel "Attachment-Focused Psychotherapy" }"""
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?f ?l"


def client(endpoint: RunningEndpoint, query: str, fmt: str = JSON, method: str = GET) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint.query_url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def raw_post(endpoint: RunningEndpoint, body: bytes, content_type: str, accept: str = "application/json",
             path: str = "/query", method: str = "POST") -> tuple[int, bytes]:
    request = urllib.request.Request(endpoint.base_url + path, data=body, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def ddp_developer_is_answered(endpoint: RunningEndpoint) -> bool:
    result = client(endpoint, DDP_DEVELOPER).query().convert()
    return [b["name"]["value"] for b in result["results"]["bindings"]] == ["Daniel Hughes"]


@pytest.mark.parametrize("method", [GET, POST, POSTDIRECTLY])
def test_select_as_json_by_get_and_post(endpoint: RunningEndpoint, method: str) -> None:
    sparql = client(endpoint, DDP_DEVELOPER)
    sparql.setRequestMethod(POSTDIRECTLY if method == POSTDIRECTLY else "urlencoded")
    sparql.setMethod(GET if method == GET else POST)
    result = sparql.query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Daniel Hughes"]


def test_select_as_xml(endpoint: RunningEndpoint) -> None:
    document = client(endpoint, DDP_DEVELOPER, XML).query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["Daniel Hughes"]
    ET.fromstring(document.toxml())  # well-formed


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_select_as_csv_and_tsv(endpoint: RunningEndpoint, fmt: str, delimiter: str) -> None:
    text = client(endpoint, DDP_DEVELOPER, fmt).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0] == (["name"] if fmt == CSV else ["?name"])
    assert rows[1][0] in ("Daniel Hughes", '"Daniel Hughes"')


def test_ask_as_json(endpoint: RunningEndpoint) -> None:
    result = client(endpoint, 'ASK { ?m skos:altLabel "MBT" ; tkg:addressesCondition ?c . '
                              '?c skos:prefLabel "Borderline personality disorder" }').query().convert()
    assert result["boolean"] is True


def test_construct_as_turtle(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    graph = client(endpoint, CONSTRUCT_SUBTYPES, TURTLE).query().convert()
    graph = graph if isinstance(graph, rdflib.Graph) else rdflib.Graph().parse(data=graph, format="turtle")
    base = entity_base()
    children = {str(s)[len(base):] for s in graph.subjects()}
    expected = {s for s, t, k in kg.nx.edges(keys=True)
                if k == "subtypeOf" and t == "modality/attachment-focused-psychotherapy"}
    assert children == expected and len(expected) >= 5


def test_construct_as_ntriples(endpoint: RunningEndpoint) -> None:
    sparql = client(endpoint, CONSTRUCT_SUBTYPES)
    sparql.addCustomHttpHeader("Accept", "application/n-triples")
    response = sparql.query().response
    assert response.headers["Content-Type"].startswith("application/n-triples")
    graph = rdflib.Graph().parse(data=response.read().decode("utf-8"), format="nt")
    assert (rdflib.URIRef(entity_base() + "modality/dyadic-developmental-psychotherapy"),
            rdflib.URIRef("https://w3id.org/therapy-kg/ontology#subtypeOf"),
            rdflib.URIRef(entity_base() + "modality/attachment-focused-psychotherapy")) in graph


def test_describe_as_jsonld(endpoint: RunningEndpoint) -> None:
    result = client(endpoint, DESCRIBE_MBT, JSONLD).query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="json-ld")
    mbt = rdflib.URIRef(entity_base() + "modality/mentalization-based-treatment")
    developers = set(graph.objects(mbt, rdflib.URIRef("https://w3id.org/therapy-kg/ontology#developedBy")))
    assert rdflib.URIRef(entity_base() + "theorist/peter-fonagy") in developers


def test_unsupported_result_format_is_406(endpoint: RunningEndpoint) -> None:
    status, body = raw_post(endpoint, DDP_DEVELOPER.encode(), "application/sparql-query", accept="image/png")
    assert status == 406


def test_malformed_query_is_400_with_the_parser_message(endpoint: RunningEndpoint) -> None:
    with pytest.raises(QueryBadFormed) as raised:
        client(endpoint, "SELECT ?x WHERE {\n  ?x a tkg:Modality .\n  FILTER(\n}").query()
    message = str(raised.value)
    assert "error at 4:" in message  # the position in the query as sent, not after our predeclared prefixes
    with pytest.raises(QueryBadFormed) as again:  # the second time the rewritten query comes from the endpoint's cache
        client(endpoint, "SELECT ?x WHERE {\n  ?x a tkg:Modality .\n  FILTER(\n}").query()
    assert "error at 4:" in str(again.value)
    assert ddp_developer_is_answered(endpoint)


def test_update_is_refused(endpoint: RunningEndpoint) -> None:
    sparql = client(endpoint, 'INSERT DATA { <urn:x:a> <urn:x:b> "c" }', method=POST)
    with pytest.raises(urllib.error.HTTPError) as raised:
        sparql.query()
    assert raised.value.code == 403 and b"read-only" in raised.value.read()
    status, _ = raw_post(endpoint, b'INSERT DATA { <urn:x:a> <urn:x:b> "c" }', "application/sparql-update")
    assert status == 403
    status, _ = raw_post(endpoint, b"<urn:x:a> <urn:x:b> <urn:x:c> .", "application/n-triples",
                         path="/store?default", method="PUT")
    assert status == 403
    assert not client(endpoint, "ASK { <urn:x:a> ?p ?o }").query().convert()["boolean"]


def test_runaway_query_is_cut_at_the_timeout_and_the_server_stays_healthy(endpoint: RunningEndpoint) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        runaway = pool.submit(lambda: client(endpoint, RUNAWAY, method=POST).query())
        time.sleep(0.3)
        assert ddp_developer_is_answered(endpoint)  # others are served while it runs
        with pytest.raises(urllib.error.HTTPError) as raised:
            runaway.result(timeout=60)
        elapsed = time.monotonic() - started
    assert raised.value.code == 503 and b"timed out" in raised.value.read()
    assert elapsed < SERVE_TIMEOUT + 1.5
    for _ in range(5):
        assert ddp_developer_is_answered(endpoint)


def test_one_megabyte_query_body_is_answered(endpoint: RunningEndpoint) -> None:
    head = 'SELECT ?m WHERE { VALUES ?label { "Dyadic Developmental Psychotherapy" '
    tail = "}\n ?m skos:prefLabel ?label }"
    filler_count = (MAX_BODY - len(head) - len(tail)) // 13
    query = head + "".join(f'"pad{i:07d}" ' for i in range(filler_count)) + tail
    query += " " * (MAX_BODY - len(query.encode()))
    assert len(query.encode()) == MAX_BODY
    sparql = client(endpoint, query, method=POST)
    sparql.setRequestMethod(POSTDIRECTLY)
    result = sparql.query().convert()
    assert [b["m"]["value"] for b in result["results"]["bindings"]] == [
        entity_base() + "modality/dyadic-developmental-psychotherapy"]
    status, body = raw_post(endpoint, (query + " ").encode(), "application/sparql-query")
    assert status == 413 and str(MAX_BODY).encode() in body
    assert ddp_developer_is_answered(endpoint)


def test_non_utf8_bytes_are_a_clear_400(endpoint: RunningEndpoint) -> None:
    status, body = raw_post(endpoint, b'SELECT * WHERE { ?s ?p "\xff\xfe" }', "application/sparql-query")
    assert status == 400 and b"not valid UTF-8" in body and b"0xff at offset 24" in body
    status, body = raw_post(endpoint, b"query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%22%FF%22%7D",
                            "application/x-www-form-urlencoded")
    assert status == 400 and b"not valid UTF-8" in body
    assert ddp_developer_is_answered(endpoint)


def test_concurrent_clients_all_get_right_answers(endpoint: RunningEndpoint) -> None:
    def many(_: int) -> list[bool]:
        return [ddp_developer_is_answered(endpoint) for _ in range(15)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = [ok for batch in pool.map(many, range(16)) for ok in batch]
    assert len(outcomes) == 240 and all(outcomes)


def test_browser_gets_the_offline_query_editor_with_our_examples(endpoint: RunningEndpoint) -> None:
    request = urllib.request.Request(endpoint.base_url + "/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        page = response.read().decode("utf-8")
    assert "lineage-of-a-modality" in page and "most-influential-theorists" in page
    assert "https://" not in page.split("<script>")[0].split("<body>")[0]  # no CDN: scripts and styles are local
    assert 'src="./yasgui.min.js"' in page
    with urllib.request.urlopen(endpoint.base_url + "/yasgui.min.js", timeout=10) as response:
        assert response.status == 200 and len(response.read()) > 100_000


def test_void_description(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    graph = rdflib.Graph().parse(endpoint.base_url + "/.well-known/void", format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(entity_base() + "dataset")
    assert graph.value(dataset, void.sparqlEndpoint) == rdflib.URIRef(endpoint.query_url)
    distinct = client(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g "
                                "{ ?s ?p ?o } FILTER(?g != <https://w3id.org/therapy-kg/ontology>) } }"
                      ).query().convert()["results"]["bindings"][0]["n"]["value"]
    assert int(graph.value(dataset, void.triples)) == int(distinct)
    assert rdflib.URIRef(entity_base() + "modality/dyadic-developmental-psychotherapy") in set(
        graph.objects(dataset, void.exampleResource))


def test_cors_preflight(endpoint: RunningEndpoint) -> None:
    request = urllib.request.Request(endpoint.query_url, method="OPTIONS")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_results_are_valid_json(endpoint: RunningEndpoint) -> None:
    status, body = raw_post(endpoint, DDP_DEVELOPER.encode(), "application/sparql-query")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["name"]


def test_repeated_query_is_answered_from_the_cache_with_the_same_answer(endpoint: RunningEndpoint) -> None:
    query = DDP_DEVELOPER + "  # cache probe"
    first = raw_post(endpoint, query.encode(), "application/sparql-query")
    request = urllib.request.Request(endpoint.query_url, data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("X-Cache") == "hit"
        assert (response.status, response.read()) == first
