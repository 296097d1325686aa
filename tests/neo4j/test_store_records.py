"""Neo4j records read straight from the Oxigraph store equal those made from the networkx view (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.synthetic import write_corpus
from graph.sinks.neo4j import neo4j_records_from_networkx, plan_size, push_items, push_plan
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.networkx_view import networkx_from_store
from ontology.namespace import entity_base, sparql_prologue
from ontology.vocabulary import ONTOLOGY_IRI
from tests.conftest import KITCHEN_SINK

REPOSITORY = Path(__file__).resolve().parents[2]
PAGES = REPOSITORY / "tests" / "resources" / "pages"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def by_key(nodes: list[dict], relationships: list[dict]) -> tuple[dict, dict]:
    return ({node["id"]: node for node in nodes},
            {(r["source"], r["relation"], r["target"]): r for r in relationships})


def assert_store_records_equal_view_records(kg: KnowledgeGraph) -> tuple[dict, dict]:
    items = push_items(kg.store)
    from_store = by_key(items.nodes, [r for relation in items.relationship_counts
                                      for r in items.relationships(relation)])
    from_view = by_key(*neo4j_records_from_networkx(kg.nx))
    assert from_store[0] == from_view[0]
    assert from_store[1] == from_view[1]
    assert len(from_store[0]) == kg.nx.number_of_nodes() and len(from_store[1]) == kg.nx.number_of_edges()
    counted = {relation: sum(1 for key in from_view[1] if key[1] == relation) for relation in items.relationship_counts}
    assert items.relationship_counts == counted
    return from_store


def test_bundled_graph(kg: KnowledgeGraph) -> None:
    nodes, relationships = assert_store_records_equal_view_records(kg)
    ddp = nodes["modality/dyadic-developmental-psychotherapy"]["properties"]
    assert ddp["label"] == "Dyadic Developmental Psychotherapy" and "DDP" in ddp["aliases"]
    assert len(ddp["datingYear"]) == len(ddp["datingPrecision"]) == len(ddp["datingSource"]) >= 1
    assert len(relationships) > 1000


def test_kitchen_sink_with_pages_keeps_the_evidence(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("store-records")
    page = folder / "ddp-notes.txt"  # disagrees with the kitchen sink: a second dating, a second source per fact
    page.write_text("Dyadic Developmental Psychotherapy\n\nDyadic Developmental Psychotherapy (DDP) was developed by "
                    "Ann Example in 1975.\n")
    kg = load_graph(folder / "store", [KITCHEN_SINK], pages=[page, PAGES / "a-mbt-notes.md"])
    nodes, relationships = assert_store_records_equal_view_records(kg)
    with_evidence = [r["properties"] for r in relationships.values() if "evidenceText" in r["properties"]]
    assert with_evidence, "the pages' facts carry evidence"
    for properties in with_evidence:
        assert len(properties["evidenceText"]) == len(properties["evidenceStart"]) == len(properties["evidenceSource"])
    assert any(len(r["properties"]["sources"]) > 1 for r in relationships.values())


def test_synthetic_graph_and_plan(tmp_path: Path) -> None:
    corpus = write_corpus(60, tmp_path / "corpus")
    kg = load_graph(tmp_path / "store", [corpus], validate=False)
    assert_store_records_equal_view_records(kg)
    for batch_size in (1, 7, 2000):
        plan = push_plan(kg.store, batch_size)
        assert plan_size(push_items(kg.store), batch_size) == len(plan)
        assert [(b.kind, b.name, b.query, len(b.rows)) for b in plan] == [
            (b.kind, b.name, b.query, len(b.rows)) for b in push_plan(kg.nx, batch_size)]


def _add_in_source(kg: KnowledgeGraph, source: str, subject: str, predicate: str,
                   obj: ox.NamedNode | ox.Literal) -> None:
    """State one more triple in a source graph and in the union default graph, as a build would."""
    triple = (ox.NamedNode(entity_base() + subject), ox.NamedNode(predicate), obj)
    kg.store.add(ox.Quad(*triple, ox.NamedNode(entity_base() + "source/" + source)))
    kg.store.add(ox.Quad(*triple, ox.DefaultGraph()))


@pytest.mark.parametrize("second", ["same label", "other label", "other definition"])
def test_a_node_stated_by_two_sources(tmp_path: Path, second: str) -> None:
    """The same type and label in a second source only adds the source; another label or definition makes the
    view's choice depend on its query, and the store's records still equal the view's."""
    kg = load_graph(tmp_path / "store", [KITCHEN_SINK], validate=False, in_memory=True)
    ddp = "modality/dyadic-developmental-psychotherapy"
    _add_in_source(kg, "second-opinion", ddp, RDF_TYPE, ox.NamedNode(ONTOLOGY_IRI + "#Modality"))
    label = "Dyadic Developmental Psychotherapy" if second == "same label" else "DDP (second opinion)"
    _add_in_source(kg, "second-opinion", ddp, SKOS + "prefLabel", ox.Literal(label))
    if second == "other definition":
        _add_in_source(kg, "second-opinion", ddp, SKOS + "definition", ox.Literal("Another definition."))
    nodes, _ = by_key(*neo4j_records_from_networkx(networkx_from_store(kg.store, sparql_prologue())))
    items = push_items(kg.store)
    assert {node["id"]: node for node in items.nodes} == nodes
    assert "second-opinion" in nodes[ddp]["properties"]["sources"]
    assert len(nodes[ddp]["properties"]["sources"]) == 2


XSD = "http://www.w3.org/2001/XMLSchema#"
AWKWARD_TERMS = [
    ox.Literal('quote " backslash \\ tab \t newline \n return \r, controls \x00\x01\x08\x0c\x7f, \u2028 é 😀'),
    ox.Literal('ends in a quote "'), ox.Literal('"@en'), ox.Literal('\\"'), ox.Literal(""), ox.Literal("a\x1fb"),
    ox.Literal("hi", language="en-GB"), ox.Literal("1987", datatype=ox.NamedNode(XSD + "gYear")),
    *(ox.Literal("7", datatype=ox.NamedNode(XSD + name)) for name in (
        "integer", "int", "long", "short", "byte", "unsignedInt", "positiveInteger", "nonNegativeInteger",
        "decimal", "double", "float", "string")),
    ox.Literal("-0012", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("abc", datatype=ox.NamedNode(XSD + "int")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), ox.Literal("x", datatype=ox.NamedNode("http://e/t")),
    ox.NamedNode(entity_base() + "modality/ddp"), ox.NamedNode("http://example.org/é?q=1#f"), ox.BlankNode("b1"),
]


def test_terms_read_from_tsv_equal_pyoxigraph_terms() -> None:
    """Every term as the store's TSV answer writes it gives the value pyoxigraph's term object gives, and the
    Python value graph.terms.python_value gives (integer datatypes to int, entity IRIs to ids)."""
    from graph.sinks.neo4j_store import TYPED_VALUE_QUERY, term_value, tsv_lines, tsv_python_value
    from graph.terms import python_value

    store = ox.Store()
    for number, term in enumerate(AWKWARD_TERMS):
        store.add(ox.Quad(ox.NamedNode(f"http://e/s{number:02}"), ox.NamedNode("http://e/p"), term))
    lines = tsv_lines(store, TYPED_VALUE_QUERY.replace("?node %s ?value", "?node <http://e/p> ?value")
                      + " ORDER BY ?node")
    objects = [term for _, term in sorted((quad.subject.value, quad.object) for quad in store)]
    assert len(lines) == len(objects) == len(AWKWARD_TERMS)
    for line, term in zip(lines, objects, strict=True):
        node, written, datatype = line.split("\t")
        assert term_value(written) == term.value, line
        assert tsv_python_value(written, datatype) == python_value(term), line
    assert tsv_python_value("") is None
    with pytest.raises(ValueError, match="malformed term"):
        term_value('"unterminated')
