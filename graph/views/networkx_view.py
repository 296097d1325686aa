"""The networkx view of a built graph: entities as nodes, core relations as keyed edges with sources and evidence."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.terms import python_value, solutions
from graph.views.datings import introduced_text, sorted_datings
from ontology.namespace import entity_base, entity_id_of
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

NODE_QUERY = """
SELECT ?node ?type ?label
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
       (SAMPLE(?definition) AS ?description)
       (MIN(?born) AS ?birthYear) (MIN(?died) AS ?deathYear) (MIN(?order) AS ?phaseOrder)
       (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR="\\u001f") AS ?graphs)
WHERE {
  GRAPH ?g { ?node a ?class ; skos:prefLabel ?label . }
  VALUES (?class ?type) { %s }
  OPTIONAL { ?node skos:altLabel ?alias }
  OPTIONAL { ?node skos:definition ?definition }
  OPTIONAL { ?node tkg:birthYear ?born }
  OPTIONAL { ?node tkg:deathYear ?died }
  OPTIONAL { ?node tkg:phaseOrder ?order }
}
GROUP BY ?node ?type ?label
"""

# Each source's dating of an entity: year, precision and source stay on one row (never MIN of one, SAMPLE of another).
DATING_QUERY = """
SELECT ?node ?year ?precision ?source WHERE {
  ?dating a tkg:Dating ; tkg:dates ?node ; tkg:year ?year ; tkg:precision ?precision ; prov:wasDerivedFrom ?source .
}
"""

EDGE_QUERY = """
SELECT ?s ?p ?o ?g ?quote ?start ?end WHERE {
  GRAPH ?g { ?s ?p ?o }
  VALUES ?p { %s }
  OPTIONAL { GRAPH ?g { ?e a tkg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                         tkg:quote ?quote ; tkg:startOffset ?start ; tkg:endOffset ?end } }
}
"""


def networkx_from_store(store: ox.Store, prologue: str) -> nx.MultiDiGraph:
    """Build the networkx view (entities as nodes, core relations as keyed edges) from an Oxigraph store.

    The store's default graph is the union of its named graphs, as every store of ours holds it (a build, a
    remote snapshot, a session's pages: :func:`graph.pipeline.build.with_union_default_graph`); the queries read
    it directly. (Oxigraph's union-of-graphs mode on top of it matched each triple twice, once per copy, so a
    five-pattern join returned every dating 32 times: 3.5 s of CPU instead of 0.1 s at 5,000 modalities.)

    Dates on a node: ``datings`` lists every source's ``{"year", "precision", "source"}`` (earliest first; see
    :mod:`graph.views.datings`), ``introduced`` is their text ("1990s", "1987", or "1980s / 1993 (sources
    disagree)"), ``introduced_year`` and ``introduced_precision`` are the earliest dating's (the sort year).

    Types, relation names and source ids are interned: one string each instead of one per node or fact (275,000
    facts at 20,000 modalities), which also keeps the view saved beside the build (:mod:`graph.views.persisted_view`)
    smaller and quicker to read.
    """
    base = entity_base()
    source_prefix = base + "source/"
    graph = nx.MultiDiGraph()
    classes = " ".join(f'(tkg:{name} "{name}")' for name in TYPE_PREFIXES)
    datings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in solutions(store.query(prologue + DATING_QUERY)):
        year, source = python_value(row["year"]), row["source"].value
        if isinstance(year, int) and row["node"].value.startswith(base) and source.startswith(source_prefix):
            datings[entity_id_of(row["node"].value, base)].append(
                {"year": year, "precision": row["precision"].value.rsplit("_", 1)[-1],
                 "source": source[len(source_prefix):]})
    for row in solutions(store.query(prologue + NODE_QUERY % classes)):
        node_id = entity_id_of(row["node"].value, base)
        sources = [sys.intern(g[len(source_prefix):]) for g in row["graphs"].value.split("\x1f")
                   if g.startswith(source_prefix)]
        if node_id in graph:  # labelled in several sources: keep the first label, merge sources
            graph.nodes[node_id]["sources"] = sorted(set(graph.nodes[node_id]["sources"]) | set(sources))
            continue
        dated = sorted_datings(datings.get(node_id, ()))
        first = dated[0] if dated else None
        aliases = [a for a in row["aliases"].value.split("\x1f") if a] if row["aliases"] else []
        graph.add_node(
            node_id,
            type=sys.intern(row["type"].value),
            label=row["label"].value,
            aliases=sorted(aliases),
            description=row["description"].value if row["description"] else None,
            datings=dated,
            introduced=introduced_text(dated),
            introduced_year=first["year"] if first else None,
            introduced_precision=first["precision"] if first else None,
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
        relation = sys.intern(row["p"].value.rsplit("#", 1)[-1])
        source_id = sys.intern(row["g"].value[len(source_prefix):])
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
