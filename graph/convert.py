"""Conversions between representations, in one place: Oxigraph terms <-> rdflib terms, RDF -> networkx."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox
import rdflib

from graph.records import ENTITY_RELATIONS, TYPE_PREFIXES
from ontology.namespace import entity_base, entity_id_of

if TYPE_CHECKING:
    from pyvis.network import Network

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    """The rdflib equivalent of an Oxigraph term (RDF 1.2 triple terms have none and are refused)."""
    if isinstance(term, ox.Triple):
        raise TypeError("triple terms (RDF 1.2) cannot be converted to rdflib")
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string; rdflib keeps them apart
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def oxigraph_term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph equivalent of an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def rdflib_dataset(store: ox.Store) -> rdflib.Dataset:
    """An rdflib Dataset over an Oxigraph store, without copying (oxrdflib), for rdflib-based tools."""
    from oxrdflib import OxigraphStore

    return rdflib.Dataset(store=OxigraphStore(store=store))


def rdflib_graph_from_quads(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads of all named graphs into one rdflib Graph (for SHACL validation and rdflib tools)."""
    graph = rdflib.Graph()
    add = graph.add
    for quad in quads:
        add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | int | None:
    """A plain Python value for a result term: IRIs under our base become entity ids, integers become int."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        base = entity_base()
        return entity_id_of(term.value) if term.value.startswith(base) else term.value
    if isinstance(term, ox.Literal) and term.datatype.value.endswith(
        ("#integer", "#int", "#long", "#positiveInteger", "#nonNegativeInteger", "#gYear")
    ):
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return term.value


NODE_QUERY = """
SELECT ?node ?type ?label
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
       (SAMPLE(?definition) AS ?description)
       (MIN(?year) AS ?introducedYear) (SAMPLE(?precision) AS ?introducedPrecision)
       (MIN(?born) AS ?birthYear) (MIN(?died) AS ?deathYear) (MIN(?order) AS ?phaseOrder)
       (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR="\\u001f") AS ?graphs)
WHERE {
  GRAPH ?g { ?node a ?class ; skos:prefLabel ?label . }
  VALUES (?class ?type) { %s }
  OPTIONAL { ?node skos:altLabel ?alias }
  OPTIONAL { ?node skos:definition ?definition }
  OPTIONAL { ?node tkg:introduced ?year . OPTIONAL { ?node tkg:introducedPrecision ?precision } }
  OPTIONAL { ?node tkg:birthYear ?born }
  OPTIONAL { ?node tkg:deathYear ?died }
  OPTIONAL { ?node tkg:phaseOrder ?order }
}
GROUP BY ?node ?type ?label
"""

EDGE_QUERY = """
SELECT ?s ?p ?o ?g ?quote ?start ?end WHERE {
  GRAPH ?g { ?s ?p ?o }
  VALUES ?p { %s }
  OPTIONAL { GRAPH ?g { ?e a tkg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                         tkg:quote ?quote ; tkg:startOffset ?start ; tkg:endOffset ?end } }
}
"""


def solutions(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """Narrow a query result to SELECT solutions, or fail clearly."""
    if not isinstance(results, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return results


def networkx_from_store(store: ox.Store, prologue: str) -> nx.MultiDiGraph:
    """Build the networkx view (entities as nodes, core relations as keyed edges) from an Oxigraph store."""
    base = entity_base()
    source_prefix = base + "source/"
    graph = nx.MultiDiGraph()
    classes = " ".join(f'(tkg:{name} "{name}")' for name in TYPE_PREFIXES)
    for row in solutions(store.query(prologue + NODE_QUERY % classes, use_default_graph_as_union=True)):
        node_id = entity_id_of(row["node"].value, base)
        sources = [g[len(source_prefix):] for g in row["graphs"].value.split("\x1f") if g.startswith(source_prefix)]
        if node_id in graph:  # labelled in several sources: keep the first label, merge sources
            graph.nodes[node_id]["sources"] = sorted(set(graph.nodes[node_id]["sources"]) | set(sources))
            continue
        year = python_value(row["introducedYear"])
        precision = row["introducedPrecision"].value.rsplit("_", 1)[-1] if row["introducedPrecision"] else None
        introduced = None
        if isinstance(year, int):
            introduced = f"{year}s" if precision == "decade" else str(year)
        aliases = [a for a in row["aliases"].value.split("\x1f") if a] if row["aliases"] else []
        graph.add_node(
            node_id,
            type=row["type"].value,
            label=row["label"].value,
            aliases=sorted(aliases),
            description=row["description"].value if row["description"] else None,
            introduced=introduced,
            introduced_year=year if isinstance(year, int) else None,
            introduced_precision=precision,
            birth_year=python_value(row["birthYear"]),
            death_year=python_value(row["deathYear"]),
            phase_order=python_value(row["phaseOrder"]),
            sources=sorted(sources),
        )
    relations = " ".join(f"tkg:{name}" for name in ENTITY_RELATIONS)
    for row in solutions(store.query(prologue + EDGE_QUERY % relations)):
        subject, obj = row["s"].value, row["o"].value
        if not (subject.startswith(base) and obj.startswith(base)):
            continue
        source, target = entity_id_of(subject, base), entity_id_of(obj, base)
        relation = row["p"].value.rsplit("#", 1)[-1]
        source_id = row["g"].value[len(source_prefix):]
        if graph.has_edge(source, target, key=relation):
            data = graph.edges[source, target, relation]
        else:
            graph.add_edge(source, target, key=relation, relation=relation, sources=[], evidence=[])
            data = graph.edges[source, target, relation]
        if source_id not in data["sources"]:
            data["sources"].append(source_id)
        if row["quote"] is not None:
            data["evidence"].append({"text": row["quote"].value, "start": int(row["start"].value),
                                     "end": int(row["end"].value), "source": source_id})
    return graph


def pyvis_network_from_nx(graph: nx.MultiDiGraph, heading: str = "") -> Network:
    """A directed pyvis Network holding the nodes and edges of a styled networkx view, in the graph's order.

    Node and edge attributes are taken as vis.js records (label, x, y, shape, color, title, ...); edges need
    an ``id`` attribute if several share a pair of nodes. Filled directly rather than through ``add_node`` and
    ``add_edge``, whose per-item membership checks make large maps quadratic; the data is what pyvis holds.
    """
    from pyvis.network import Network  # noqa: F811 (imported lazily: only maps need pyvis)

    network = Network(directed=True, heading=heading, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        network.nodes.append({"id": node, **data})
        network.node_ids.append(node)
        network.node_map[node] = network.nodes[-1]
    for source, target, data in graph.edges(data=True):
        network.edges.append({"from": source, "to": target, **data})
    return network


# ---- networkx <-> Neo4j records (the property-graph mapping itself is documented in graph/neo4j_sink.py) ----

NEO4J_NODE_PROPERTIES: dict[str, str] = {  # networkx node attribute -> Neo4j node property
    "label": "label", "aliases": "aliases", "description": "description", "introduced": "introduced",
    "introduced_year": "introducedYear", "introduced_precision": "introducedPrecision", "birth_year": "birthYear",
    "death_year": "deathYear", "phase_order": "phaseOrder", "sources": "sources",
}
NEO4J_LIST_ATTRIBUTES = ("aliases", "sources")
NEO4J_EVIDENCE_PROPERTIES: dict[str, str] = {  # evidence field -> Neo4j relationship property (parallel lists)
    "text": "evidenceText", "start": "evidenceStart", "end": "evidenceEnd", "source": "evidenceSource",
}


def sorted_evidence(evidence: Iterable[dict]) -> list[dict]:
    """Evidence records in a canonical order (source, offsets, text), so equal graphs give equal records."""
    return sorted(evidence, key=lambda e: (e["source"], e["start"], e["end"], e["text"]))


def neo4j_node_record(node_id: str, data: dict) -> dict:
    """One node as ``{"id", "type", "properties"}``; None and empty lists are left out (Neo4j stores no nulls)."""
    properties: dict[str, object] = {"id": node_id, "iri": entity_base() + node_id}
    for attribute, name in NEO4J_NODE_PROPERTIES.items():
        value = data.get(attribute)
        if attribute in NEO4J_LIST_ATTRIBUTES:
            value = sorted(value or [])
        if value is not None and value != []:
            properties[name] = value
    return {"id": node_id, "type": data["type"], "properties": properties}


def neo4j_relationship_record(source: str, target: str, data: dict) -> dict:
    """One edge as ``{"source", "target", "relation", "properties"}``: its sources, its evidence as parallel lists."""
    properties: dict[str, object] = {}
    if data.get("sources"):
        properties["sources"] = sorted(data["sources"])
    evidence = data.get("evidence")
    if evidence:
        evidence = sorted_evidence(evidence)
        for field, name in NEO4J_EVIDENCE_PROPERTIES.items():
            properties[name] = [item[field] for item in evidence]
    return {"source": source, "target": target, "relation": data["relation"], "properties": properties}


def neo4j_records_from_networkx(graph: nx.MultiDiGraph) -> tuple[list[dict], list[dict]]:
    """Node and relationship records for Neo4j from the networkx view (in the view's order)."""
    nodes = [neo4j_node_record(node_id, data) for node_id, data in graph.nodes(data=True)]
    relationships = [neo4j_relationship_record(s, t, data) for s, t, data in graph.edges(data=True)]
    return nodes, relationships


def networkx_from_neo4j_records(nodes: Iterable[tuple[str, dict]],
                                relationships: Iterable[tuple[str, str, str, dict]]) -> nx.MultiDiGraph:
    """The networkx view (same attributes as :func:`networkx_from_store`) from records read back from Neo4j.

    ``nodes`` are ``(type, properties)``; ``relationships`` are ``(source id, relation, target id, properties)``.
    """
    graph = nx.MultiDiGraph()
    for node_type, properties in nodes:
        attributes: dict[str, object] = {"type": node_type}
        for attribute, name in NEO4J_NODE_PROPERTIES.items():
            value = properties.get(name)
            attributes[attribute] = list(value or []) if attribute in NEO4J_LIST_ATTRIBUTES else value
        graph.add_node(properties["id"], **attributes)
    for source, relation, target, properties in relationships:
        columns = [properties.get(name) or [] for name in NEO4J_EVIDENCE_PROPERTIES.values()]
        evidence = [dict(zip(NEO4J_EVIDENCE_PROPERTIES, values, strict=True)) for values in zip(*columns, strict=True)]
        graph.add_edge(source, target, key=relation, relation=relation, sources=list(properties.get("sources") or []),
                       evidence=evidence)
    return graph
