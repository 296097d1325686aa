"""Counts per class and relation and the SHACL result of a built graph."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from graph.pipeline.rdf import ONTOLOGY_GRAPH
from graph.pipeline.validate import data_triple_count, run_shacl_on_store
from graph.views.kg import KnowledgeGraph
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS, TYPE_PREFIXES

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . VALUES ?class { %s } } GROUP BY ?class
"""
STORE_COUNTS = """
SELECT
  (SUM(IF(?g = <%(ontology)s>, 1, 0)) AS ?ontology) (SUM(IF(?g != <%(ontology)s>, 1, 0)) AS ?sources)
WHERE { GRAPH ?g { ?s ?p ?o } }
"""
DISTINCT_SOURCE_TRIPLES = """
SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%s>) } }
"""
RELATION_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { %s } } } GROUP BY ?p
"""


def store_counts(store: ox.Store) -> dict[str, int]:
    """One consistent set of counts, all after deduplication (the store holds each quad once):

    ``quads``: every quad stored; ``source_quads``: those in the sources' named graphs (what ``tkg export --format
    nq|trig`` writes); ``ontology_triples``: the ontology's graph (exports leave it out unless
    ``--include-ontology``); ``default_graph_triples``: the materialised union in the default graph;
    ``distinct_triples``: the sources' distinct triples (what ``ttl|nt|jsonld`` exports and VoID's
    ``void:triples`` count). ``quads = source_quads + ontology_triples + default_graph_triples``.
    """
    ontology = ONTOLOGY_GRAPH.value
    row = next(iter(store.query(STORE_COUNTS % {"ontology": ontology})))  # type: ignore[arg-type]
    distinct = next(iter(store.query(DISTINCT_SOURCE_TRIPLES % ontology)))  # type: ignore[arg-type]
    total = len(store)
    named_sources = int(row["sources"].value) if row["sources"] else 0  # type: ignore[index, union-attr]
    named_ontology = int(row["ontology"].value) if row["ontology"] else 0  # type: ignore[index, union-attr]
    return {"quads": total, "source_quads": named_sources, "ontology_triples": named_ontology,
            "default_graph_triples": total - named_sources - named_ontology,
            "distinct_triples": int(distinct["n"].value)}  # type: ignore[index, union-attr]


def graph_stats(kg: KnowledgeGraph, revalidate: bool = False) -> dict[str, Any]:
    """Entity counts per class, fact counts per relation, number of sources and quads, SHACL conformance.

    ``shacl`` is what the build's own SHACL run recorded (``when: at build``; a non-conforming build is never
    written), or, with ``revalidate`` or for a build made without validation, a run on the store now
    (``when: now``). Either way it holds ``conforms``, ``triples`` checked, ``violations`` and the ``first`` ten.

    ``quads`` is the number stored, after deduplication (the same as the build's count); ``counts`` breaks it
    down (:func:`store_counts`).
    """
    class_names = [*TYPE_PREFIXES, "Source"]
    classes = {str(row["class"]).rsplit("#", 1)[-1]: int(row["n"] or 0)
               for row in kg.select(CLASS_COUNTS % " ".join(f"tkg:{c}" for c in class_names))}
    relation_names = [*ENTITY_RELATIONS, *LITERAL_RELATIONS]
    relations = {str(row["p"]).rsplit("#", 1)[-1]: int(row["n"] or 0)
                 for row in kg.select(RELATION_COUNTS % " ".join(f"tkg:{r}" for r in relation_names))}
    report: dict[str, Any] = {
        "quads": len(kg.store),
        "counts": store_counts(kg.store),
        "sources": classes.pop("Source", 0),
        "classes": {name: classes.get(name, 0) for name in TYPE_PREFIXES},
        "relations": {name: relations.get(name, 0) for name in relation_names},
    }
    recorded = kg.build.shacl
    if revalidate or recorded is None:
        report["shacl"] = {**run_shacl_on_store(kg.store, data_triple_count(kg.store)).record(), "when": "now"}
    else:
        report["shacl"] = {**recorded, "when": "at build"}
    return report
