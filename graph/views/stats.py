"""Counts per class and relation and the SHACL result of a built graph."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from graph.pipeline.rdf import ONTOLOGY_GRAPH
from graph.pipeline.validate import run_shacl
from graph.terms import rdflib_graph_from_quads
from graph.views.kg import KnowledgeGraph
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS, TYPE_PREFIXES

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . VALUES ?class { %s } } GROUP BY ?class
"""
RELATION_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { %s } } } GROUP BY ?p
"""


def graph_stats(kg: KnowledgeGraph, revalidate: bool = False) -> dict[str, Any]:
    """Entity counts per class, fact counts per relation, number of sources and quads, SHACL conformance.

    ``shacl`` is what the build's own SHACL run recorded (``when: at build``; a non-conforming build is never
    written), or, with ``revalidate`` or for a build made without validation, a run on the store now
    (``when: now``). Either way it holds ``conforms``, ``triples`` checked, ``violations`` and the ``first`` ten.
    """
    class_names = [*TYPE_PREFIXES, "Source"]
    classes = {str(row["class"]).rsplit("#", 1)[-1]: int(row["n"] or 0)
               for row in kg.select(CLASS_COUNTS % " ".join(f"tkg:{c}" for c in class_names))}
    relation_names = [*ENTITY_RELATIONS, *LITERAL_RELATIONS]
    relations = {str(row["p"]).rsplit("#", 1)[-1]: int(row["n"] or 0)
                 for row in kg.select(RELATION_COUNTS % " ".join(f"tkg:{r}" for r in relation_names))}
    report: dict[str, Any] = {
        "quads": kg.build.quads,
        "sources": classes.pop("Source", 0),
        "classes": {name: classes.get(name, 0) for name in TYPE_PREFIXES},
        "relations": {name: relations.get(name, 0) for name in relation_names},
    }
    recorded = kg.build.shacl
    if revalidate or recorded is None:
        data = rdflib_graph_from_quads(q for q in kg.store.quads_for_pattern(None, None, None)
                                       if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != ONTOLOGY_GRAPH)
        report["shacl"] = {**run_shacl(data).record(), "when": "now"}
    else:
        report["shacl"] = {**recorded, "when": "at build"}
    return report
