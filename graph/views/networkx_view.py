"""The networkx view of a built graph: entities as nodes, core relations as keyed edges with sources and evidence."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from graph.terms import python_value, solutions
from ontology.namespace import entity_base, entity_id_of
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

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
