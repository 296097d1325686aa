"""Counts per class and relation and the SHACL result of a built graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.convert import rdflib_graph_from_quads
from graph.rdf import ONTOLOGY_GRAPH
from graph.records import ENTITY_RELATIONS, LITERAL_RELATIONS, TYPE_PREFIXES
from graph.validate import validate_graph

if TYPE_CHECKING:
    from graph.kg import KnowledgeGraph

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . VALUES ?class { %s } } GROUP BY ?class
"""
RELATION_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { %s } } } GROUP BY ?p
"""


def graph_stats(kg: KnowledgeGraph, validate: bool = True) -> dict[str, Any]:
    """Entity counts per class, fact counts per relation, number of sources and quads, SHACL conformance."""
    class_names = [*TYPE_PREFIXES, "Source"]
    classes = {row["class"].value.rsplit("#", 1)[-1]: int(row["n"].value)
               for row in kg.query(CLASS_COUNTS % " ".join(f"tkg:{c}" for c in class_names))}
    relation_names = [*ENTITY_RELATIONS, *LITERAL_RELATIONS]
    relations = {row["p"].value.rsplit("#", 1)[-1]: int(row["n"].value)
                 for row in kg.query(RELATION_COUNTS % " ".join(f"tkg:{r}" for r in relation_names))}
    report: dict[str, Any] = {
        "quads": kg.build.quads,
        "sources": classes.pop("Source", 0),
        "classes": {name: classes.get(name, 0) for name in TYPE_PREFIXES},
        "relations": {name: relations.get(name, 0) for name in relation_names},
    }
    if validate:
        data = rdflib_graph_from_quads(q for q in kg.store.quads_for_pattern(None, None, None)
                                       if q.graph_name != ONTOLOGY_GRAPH)
        conforms, violations = validate_graph(data)
        report["shacl"] = {"conforms": conforms, "violations": len(violations),
                           "first": [str(v) for v in violations[:10]]}
    return report
