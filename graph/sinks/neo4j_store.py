"""Neo4j node and relationship records read straight from the Oxigraph store (SPARQL, streamed per relation).

The records are exactly those :func:`graph.sinks.neo4j.neo4j_records_from_networkx` makes from the networkx view
(:func:`graph.views.networkx_view.networkx_from_store`), by the same rules (a node labelled in several sources
keeps its first row's label and type and merges every row's sources; an edge's sources are the named graphs that
state it; evidence is matched in the graph that states the fact), without building the networkx graph first.
Nodes are read with one simple query per class and per property (the view's dating query imported; its node query
only when a node has several types, labels or single values, where the view's choice depends on that query);
relationships one relation at a time (facts as SPARQL TSV grouped by object and source graph, evidence apart), so at
most one relation's facts are held while they become rows.
``tests/neo4j/test_store_records.py`` checks that both ways give equal records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from graph.terms import python_value, solutions
from graph.views.datings import introduced_text, sorted_datings
from graph.views.networkx_view import DATING_QUERY, NODE_QUERY
from ontology.namespace import entity_base, sparql_prologue
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

_SEPARATOR = "\x1f"  # GROUP_CONCAT's separator in NODE_QUERY
_SINGLE_VALUED = ("birthYear", "deathYear", "phaseOrder")  # node properties with at most one value

# One relation's facts, and their evidence, as EDGE_QUERY of the networkx view reads them (each fact with every
# source graph stating it; evidence only in the graph that states the fact), in two queries instead of one OPTIONAL
# join. Facts come grouped by object and graph, their subjects' IRIs joined by spaces (an IRI holds no space, quote
# or backslash: RFC 3987): each object and graph is written out once per group instead of once per fact.
FACT_QUERY = """
SELECT ?o ?g (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?subjects)
WHERE { GRAPH ?g { ?s tkg:%s ?o } FILTER(isIRI(?s)) }
GROUP BY ?o ?g
"""
EVIDENCE_QUERY = """
SELECT ?s ?o ?g ?quote ?start ?end WHERE {
  GRAPH ?g { ?s tkg:%s ?o . ?e a tkg:Evidence ; rdf:subject ?s ; rdf:predicate tkg:%s ; rdf:object ?o ;
                          tkg:quote ?quote ; tkg:startOffset ?start ; tkg:endOffset ?end }
}
"""
# Nodes: one query per class (type and label in the same source graph, as the view's node query joins them) and one
# per property, over the union default graph like the view's OPTIONALs.
LABEL_QUERY = "SELECT ?node ?label ?g WHERE { GRAPH ?g { ?node a tkg:%s ; skos:prefLabel ?label } }"
VALUE_QUERY = "SELECT ?node ?value WHERE { ?node %s ?value }"
VALUE_PREDICATES = {"aliases": "skos:altLabel", "description": "skos:definition", "birthYear": "tkg:birthYear",
                    "deathYear": "tkg:deathYear", "phaseOrder": "tkg:phaseOrder"}
RELATION_COUNT_QUERY = "SELECT (COUNT(*) AS ?count) WHERE { ?s tkg:%s ?o }"  # the union default graph


def node_records_from_store(store: ox.Store, prologue: str | None = None) -> list[dict]:
    """Every entity as a Neo4j node record ``{"id", "type", "properties"}`` (shapes: :mod:`graph.sinks.neo4j`).

    Properties hold no None and no empty list (Neo4j stores no nulls); ``aliases``, ``sources`` are sorted and
    the datings are parallel lists, earliest first. Order: by class (as :data:`ontology.records.TYPE_PREFIXES`
    lists them), then as the store gives them.

    Read with one simple query per class (type and label stated in the same source graph) and one per property,
    joined here: the view's single ``GROUP BY`` query with five ``OPTIONAL`` joins took twice the CPU at 20,000
    modalities. A node with several (type, label) pairs or several values of a single-valued property
    (definition, birth and death year, phase order) makes the view's choice depend on its query (first row,
    ``SAMPLE``, ``MIN``): then every node is read with that query itself, so both pushes stay identical.
    Raises ValueError for a typed, labelled node whose IRI is not under the entity base.
    """
    prologue = prologue if prologue is not None else sparql_prologue()
    base = entity_base()
    source_prefix = base + "source/"
    datings: dict[str, list[dict]] = defaultdict(list)
    for row in solutions(store.query(prologue + DATING_QUERY)):
        year, node, source = python_value(row["year"]), row["node"].value, row["source"].value
        if isinstance(year, int) and node.startswith(base) and source.startswith(source_prefix):
            datings[node[len(base):]].append({"year": year, "precision": row["precision"].value.rsplit("_", 1)[-1],
                                              "source": source[len(source_prefix):]})
    # node IRI -> (type, label, graph IRIs): one entry per node unless the node is ambiguous (see above)
    labelled: dict[str, tuple[str, ox.Literal, list[str]]] = {}
    for node_type in TYPE_PREFIXES:  # class names from the ontology, not from input
        for row in solutions(store.query(prologue + LABEL_QUERY % node_type)):
            node_iri, label, graph = row["node"].value, row["label"], row["g"].value
            found = labelled.get(node_iri)
            if found is None:
                labelled[node_iri] = (node_type, label, [graph])
            elif found[0] != node_type or found[1] != label:
                return _node_records_from_view_query(store, prologue, datings)
            elif graph not in found[2]:
                found[2].append(graph)
    values: dict[str, dict[str, set[ox.NamedNode | ox.BlankNode | ox.Literal]]] = {}
    for name, predicate in VALUE_PREDICATES.items():
        found_values: dict[str, set[ox.NamedNode | ox.BlankNode | ox.Literal]] = defaultdict(set)
        for row in solutions(store.query(prologue + VALUE_QUERY % predicate)):
            found_values[row["node"].value].add(row["value"])
        if name != "aliases" and any(len(terms) > 1 for node, terms in found_values.items() if node in labelled):
            return _node_records_from_view_query(store, prologue, datings)
        values[name] = found_values
    records: list[dict] = []
    for node_iri, (node_type, label, graphs) in labelled.items():
        if not node_iri.startswith(base):
            raise ValueError(f"{node_iri} is not under {base}")
        node_id = node_iri[len(base):]
        # as the view reads GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\x1f"): distinct terms, split on the separator
        aliases = sorted(part for term in values["aliases"].get(node_iri, ()) for part in term.value.split(_SEPARATOR)
                         if part)
        description = _single(values["description"], node_iri)
        properties = _node_properties(
            node_id, node_iri, label.value, aliases, description.value if description is not None else None,
            {name: python_value(_single(values[name], node_iri)) for name in _SINGLE_VALUED},
            {g[len(source_prefix):] for g in graphs if g.startswith(source_prefix)}, datings.get(node_id, ()),
        )
        records.append({"id": node_id, "type": node_type, "properties": properties})
    return records


def _single(found: dict[str, set[ox.NamedNode | ox.BlankNode | ox.Literal]],
            node_iri: str) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """The one value a node has for a single-valued property (the caller has checked there is at most one)."""
    terms = found.get(node_iri)
    return next(iter(terms)) if terms else None


def _node_properties(node_id: str, node_iri: str, label: str, aliases: list[str], description: str | None,
                     singles: dict[str, object], sources: set[str], datings: Iterable[dict]) -> dict[str, object]:
    """A node's Neo4j properties as the networkx view gives them: id, IRI, label, aliases, description, the
    introduction (text, first year and precision, every dating with its source), life years and phase order, and the
    source ids that state it; empty values are left out."""
    properties: dict[str, object] = {"id": node_id, "iri": node_iri, "label": label}
    if aliases:
        properties["aliases"] = aliases
    if description is not None:
        properties["description"] = description
    dated = sorted_datings(datings)
    if dated:
        properties["introduced"] = introduced_text(dated)
        properties["introducedYear"] = dated[0]["year"]
        properties["introducedPrecision"] = dated[0]["precision"]
    properties.update((name, value) for name, value in singles.items() if value is not None)
    if sources:
        properties["sources"] = sorted(sources)
    if dated:
        properties["datingYear"] = [d["year"] for d in dated]
        properties["datingPrecision"] = [d["precision"] for d in dated]
        properties["datingSource"] = [d["source"] for d in dated]
    return properties


def _node_records_from_view_query(store: ox.Store, prologue: str, datings: dict[str, list[dict]]) -> list[dict]:
    """The node records read with the networkx view's own node query (``GROUP BY`` node, type and label; the first
    row of each node wins): for graphs where a node has several types or labels, or several values of a
    single-valued property, so that the push keeps exactly the view's choice."""
    base = entity_base()
    source_prefix = base + "source/"
    classes = " ".join(f'(tkg:{name} "{name}")' for name in TYPE_PREFIXES)
    records: dict[str, dict] = {}
    for row in solutions(store.query(prologue + NODE_QUERY % classes)):
        node_iri = row["node"].value
        if not node_iri.startswith(base):
            raise ValueError(f"{node_iri} is not under {base}")
        node_id = node_iri[len(base):]
        sources = {g[len(source_prefix):] for g in row["graphs"].value.split(_SEPARATOR) if g.startswith(source_prefix)}
        record = records.get(node_id)
        if record is not None:  # labelled in several sources: keep the first row, merge the sources
            merged = sorted(set(record["properties"].get("sources", ())) | sources)
            if merged:
                record["properties"]["sources"] = merged
            continue
        aliases = sorted(a for a in row["aliases"].value.split(_SEPARATOR) if a) if row["aliases"] else []
        properties = _node_properties(
            node_id, node_iri, row["label"].value, aliases,
            row["description"].value if row["description"] is not None else None,
            {name: python_value(row[name]) for name in _SINGLE_VALUED}, sources, datings.get(node_id, ()),
        )
        records[node_id] = {"id": node_id, "type": row["type"].value, "properties": properties}
    return list(records.values())


def relationship_records_from_store(store: ox.Store, relation: str, prologue: str | None = None) -> Iterator[dict]:
    """The facts of one core relation as relationship records ``{"source", "target", "relation", "properties"}``.

    ``properties`` holds ``sources`` (sorted source ids) and, for facts with evidence, the parallel lists
    ``evidenceText``, ``evidenceStart``, ``evidenceEnd``, ``evidenceSource`` sorted by (source, start, end, text).
    Raises ValueError for a relation that is not one of :data:`ontology.records.ENTITY_RELATIONS`.
    """
    if relation not in ENTITY_RELATIONS:
        raise ValueError(f"{relation!r} is not a core relation")
    prologue = prologue if prologue is not None else sparql_prologue()
    base = entity_base()
    source_prefix = base + "source/"
    iri_base, cut, graph_cut = "<" + base, len(base) + 1, len(source_prefix) + 1
    edges: dict[tuple[str, str], list[str]] = {}
    # SPARQL TSV, written by Oxigraph in one piece: several times cheaper than a Python object per term.
    # Objects and graphs are IRIs (``<...>``, never a tab or a newline inside), the subjects one plain literal
    # (``"iri iri ..."``, nothing to unescape); facts whose ends are not entities are skipped, as in the view.
    results = solutions(store.query(prologue + FACT_QUERY % relation))  # relation: from the fixed list
    table = (results.serialize(format=ox.QueryResultsFormat.TSV) or b"").decode("utf-8").split("\n")
    for line in table[1:]:
        if not line:
            continue
        obj, graph_name, subjects = line.split("\t")
        if not obj.startswith(iri_base):
            continue
        if not (subjects.startswith('"') and subjects.endswith('"')) or "\\" in subjects:
            raise ValueError(f"tkg:{relation}: unexpected subject list {subjects[:200]!r} from the store")
        target, source_id = obj[cut:-1], graph_name[graph_cut:-1]
        for subject in subjects[1:-1].split(" "):
            if not subject.startswith(base):
                continue
            sources = edges.setdefault((subject[len(base):], target), [])
            if source_id not in sources:
                sources.append(source_id)
    evidence: dict[tuple[str, str], list[tuple[str, int, int, str]]] = defaultdict(list)
    for row in solutions(store.query(prologue + EVIDENCE_QUERY % (relation, relation))):
        subject, obj = row["s"].value, row["o"].value
        if subject.startswith(base) and obj.startswith(base):
            evidence[(subject[len(base):], obj[len(base):])].append(
                (row["g"].value[len(source_prefix):], int(row["start"].value), int(row["end"].value),
                 row["quote"].value))
    for (source, target), sources in edges.items():
        properties: dict[str, object] = {}
        if sources:
            properties["sources"] = sorted(sources)
        quoted = evidence.get((source, target))
        if quoted:
            quoted.sort()
            properties["evidenceText"] = [e[3] for e in quoted]
            properties["evidenceStart"] = [e[1] for e in quoted]
            properties["evidenceEnd"] = [e[2] for e in quoted]
            properties["evidenceSource"] = [e[0] for e in quoted]
        yield {"source": source, "target": target, "relation": relation, "properties": properties}


def relationship_count_in_store(store: ox.Store, relation: str, prologue: str | None = None) -> int:
    """How many facts of one core relation the store's default graph (the union of its sources, where each fact is
    stated once) holds: what :func:`relationship_records_from_store` yields, counted by Oxigraph without reading
    them out (for a progress bar). Raises ValueError for a relation that is not a core relation."""
    if relation not in ENTITY_RELATIONS:
        raise ValueError(f"{relation!r} is not a core relation")
    prologue = prologue if prologue is not None else sparql_prologue()
    for row in solutions(store.query(prologue + RELATION_COUNT_QUERY % relation)):  # relation: from the fixed list
        return int(row["count"].value)
    return 0
