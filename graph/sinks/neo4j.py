"""Neo4j sink: writes the graph (read straight from its store) to a Neo4j server in batched, idempotent transactions.

Property-graph mapping (what ``tkg neo4j push`` writes):

* Every entity is one node with the label ``:Entity`` plus the label of its ontology class (``:Modality``,
  ``:Theory``, ``:Theorist``, ``:Population``, ``:Condition``, ``:Goal``, ``:Technique``, ``:Concept``,
  ``:TreatmentPhase``). Properties: ``id`` (the entity id, e.g. ``modality/mentalization-based-treatment``; unique),
  ``iri`` (its full IRI), ``label``, ``aliases`` (list), ``description``, ``introduced`` ("1987", "1990s", or
  "1980s / 1993 (sources disagree)"), ``introducedYear`` (int: the earliest dating's year, for ordering) and
  ``introducedPrecision`` ("year" or "decade": the earliest dating's), ``birthYear``, ``deathYear``, ``phaseOrder``
  (ints) and ``sources`` (list of source ids). Every source's dating is kept as parallel lists, earliest first:
  ``datingYear`` (ints), ``datingPrecision`` ("year" or "decade") and ``datingSource`` (source ids), so position
  ``i`` of the three lists is one dating. Missing values are left out, not stored as null.
* Every fact between two entities is one relationship whose type is the relation in upper snake case
  (``developedBy`` -> ``DEVELOPED_BY``, ``subtypeOf`` -> ``SUBTYPE_OF``, ... see :data:`RELATIONSHIP_TYPES`),
  carrying its provenance: ``sources`` (list of source ids) and, for facts read from pages, the evidence as
  parallel lists ``evidenceText``, ``evidenceStart``, ``evidenceEnd``, ``evidenceSource``.
* Schema first: a uniqueness constraint on ``:Entity(id)`` and an index on ``:Entity(label)`` (``IF NOT EXISTS``).

Labels and relationship types are written into query text only from the fixed lists below (never from data); every
value travels as a query parameter. Pure query builders come first; the functions that talk to a server follow.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.collector import cyclic_gc_paused
from graph.views.datings import sorted_datings
from ontology.namespace import entity_base, sparql_prologue
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

# The driver imports numpy, pandas and pyarrow whenever they are installed (neo4j._optional_deps), for data frames
# and array parameters this sink never uses: 0.5-0.6 s of CPU at the start of every `tkg neo4j` command. They are
# hidden while the driver is imported here and visible again right after (a process that has already imported them,
# such as the explorer's, keeps them for the driver too).
_HIDDEN = [name for name in ("numpy", "pandas", "pyarrow") if name not in sys.modules]
for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]  # None in sys.modules: "import x" raises ImportError
try:
    from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, Session
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        ServiceUnavailable,
        SessionExpired,
    )
finally:
    for _name in _HIDDEN:
        if _name in sys.modules and sys.modules[_name] is None:
            del sys.modules[_name]

# ---- networkx <-> Neo4j records (the mapping documented above) ----

NEO4J_NODE_PROPERTIES: dict[str, str] = {  # networkx node attribute -> Neo4j node property
    "label": "label", "aliases": "aliases", "description": "description", "introduced": "introduced",
    "introduced_year": "introducedYear", "introduced_precision": "introducedPrecision", "birth_year": "birthYear",
    "death_year": "deathYear", "phase_order": "phaseOrder", "sources": "sources",
}
NEO4J_LIST_ATTRIBUTES = ("aliases", "sources")
NEO4J_DATING_PROPERTIES: dict[str, str] = {  # dating field -> Neo4j node property (parallel lists)
    "year": "datingYear", "precision": "datingPrecision", "source": "datingSource",
}
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
    datings = sorted_datings(data.get("datings") or ())
    if datings:
        for field, name in NEO4J_DATING_PROPERTIES.items():
            properties[name] = [dict(dating)[field] for dating in datings]
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
        columns = [properties.get(name) or [] for name in NEO4J_DATING_PROPERTIES.values()]
        attributes["datings"] = sorted_datings(dict(zip(NEO4J_DATING_PROPERTIES, values, strict=True))
                                               for values in zip(*columns, strict=True))
        graph.add_node(properties["id"], **attributes)
    for source, relation, target, properties in relationships:
        columns = [properties.get(name) or [] for name in NEO4J_EVIDENCE_PROPERTIES.values()]
        evidence = [dict(zip(NEO4J_EVIDENCE_PROPERTIES, values, strict=True)) for values in zip(*columns, strict=True)]
        graph.add_edge(source, target, key=relation, relation=relation, sources=list(properties.get("sources") or []),
                       evidence=evidence)
    return graph


ENTITY_LABEL = "Entity"
NODE_LABELS: tuple[str, ...] = tuple(TYPE_PREFIXES)  # one label per ontology class, the class's local name


def relationship_type(relation: str) -> str:
    """The Neo4j relationship type of a core relation: ``developedBy`` -> ``DEVELOPED_BY``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", relation).upper()


RELATIONSHIP_TYPES: dict[str, str] = {relation: relationship_type(relation) for relation in ENTITY_RELATIONS}
RELATIONS_BY_TYPE: dict[str, str] = {rel_type: relation for relation, rel_type in RELATIONSHIP_TYPES.items()}

SCHEMA_STATEMENTS: tuple[str, ...] = (
    f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE",
    f"CREATE INDEX entity_label IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.label)",
)

DEFAULT_BATCH_SIZE = 2000
DEFAULT_WORKERS = 1  # 2 is ~10% faster on 2 cores but dense nodes then deadlock and retry
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
OUTCOMES = ("created", "updated", "unchanged")


class Neo4jUnavailable(Exception):
    """The server cannot be used at all: unreachable, wrong credentials, unknown database (a user error)."""


class Neo4jPushInterrupted(Exception):
    """The server stopped answering part-way through a push; committed batches stay, a new push completes them."""


# ---- pure query builders -------------------------------------------------------------------------------------


def _checked_label(node_type: str) -> str:
    if node_type not in NODE_LABELS:
        raise ValueError(f"{node_type!r} is not an ontology class (expected one of {', '.join(NODE_LABELS)})")
    return node_type


def _checked_relationship_type(relation: str) -> str:
    if relation not in RELATIONSHIP_TYPES:
        raise ValueError(f"{relation!r} is not a core relation (expected one of {', '.join(RELATIONSHIP_TYPES)})")
    return RELATIONSHIP_TYPES[relation]


def node_merge_query(node_type: str) -> str:
    """Cypher that merges a batch ``$rows`` of ``{id, properties}`` as ``:Entity:<node_type>`` nodes.

    Rows whose node already has exactly these properties and label are not written at all; the query returns
    one ``(outcome, count)`` row per outcome (created / updated / unchanged).
    """
    label = _checked_label(node_type)
    other_labels = "".join(f":{other}" for other in NODE_LABELS if other != label)
    return (
        "UNWIND $rows AS row\n"
        f"OPTIONAL MATCH (existing:{ENTITY_LABEL} {{id: row.id}})\n"
        "WITH row, CASE\n"
        "  WHEN existing IS NULL THEN 'created'\n"
        f"  WHEN existing:{label} AND properties(existing) = row.properties THEN 'unchanged'\n"
        "  ELSE 'updated' END AS outcome\n"
        "FOREACH (_ IN CASE outcome WHEN 'unchanged' THEN [] ELSE [1] END |\n"
        f"  MERGE (node:{ENTITY_LABEL} {{id: row.id}})\n"
        f"  SET node = row.properties, node:{label}\n"
        f"  REMOVE node{other_labels})\n"
        "RETURN outcome, count(*) AS count"
    )


def relationship_merge_query(relation: str) -> str:
    """Cypher that merges a batch ``$rows`` of ``{source, target, properties}`` as relationships of one type.

    Returns ``(outcome, count)`` rows like :func:`node_merge_query`; a row whose end nodes are missing is dropped
    by the MATCH and therefore missing from the counts (the caller checks the total).
    """
    rel_type = _checked_relationship_type(relation)
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (source:{ENTITY_LABEL} {{id: row.source}})\n"
        f"MATCH (target:{ENTITY_LABEL} {{id: row.target}})\n"
        f"OPTIONAL MATCH (source)-[existing:{rel_type}]->(target)\n"
        "WITH row, source, target, CASE\n"
        "  WHEN existing IS NULL THEN 'created'\n"
        "  WHEN properties(existing) = row.properties THEN 'unchanged'\n"
        "  ELSE 'updated' END AS outcome\n"
        "FOREACH (_ IN CASE outcome WHEN 'unchanged' THEN [] ELSE [1] END |\n"
        f"  MERGE (source)-[relationship:{rel_type}]->(target)\n"
        "  SET relationship = row.properties)\n"
        "RETURN outcome, count(*) AS count"
    )


def node_create_query(node_type: str) -> str:
    """Cypher that creates a batch ``$rows`` of ``{id, properties}`` as new ``:Entity:<node_type>`` nodes.

    Only for a database without entity nodes (the first push): no lookup of existing nodes, so it is faster than
    :func:`node_merge_query`; the uniqueness constraint on ``:Entity(id)`` still refuses a duplicate. Returns one
    ``(id, element)`` row per node created: its element id, which :func:`relationship_element_create_query` uses.
    """
    label = _checked_label(node_type)
    return (
        "UNWIND $rows AS row\n"
        f"CREATE (node:{ENTITY_LABEL}:{label})\n"
        "SET node = row.properties\n"
        "RETURN row.id AS id, elementId(node) AS element"
    )


def relationship_create_query(relation: str) -> str:
    """Cypher that creates a batch ``$rows`` of ``{source, target, properties}`` as new relationships of one type.

    Only for a database that had no entity nodes before this push (so no relationship between them can exist);
    end nodes are found through the ``:Entity(id)`` constraint's index. Returns one ``("created", count)`` row; a
    row whose end nodes are missing is dropped by the MATCH and missing from the count (the caller checks it).
    """
    rel_type = _checked_relationship_type(relation)
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (source:{ENTITY_LABEL} {{id: row.source}})\n"
        f"MATCH (target:{ENTITY_LABEL} {{id: row.target}})\n"
        f"CREATE (source)-[relationship:{rel_type}]->(target)\n"
        "SET relationship = row.properties\n"
        "RETURN 'created' AS outcome, count(*) AS count"
    )


def relationship_element_create_query(relation: str) -> str:
    """Like :func:`relationship_create_query`, but ``source`` and ``target`` of each row are the element ids that
    :func:`node_create_query` returned: found by id, not through the ``:Entity(id)`` index, whose seek in a write
    query also takes a lock. Returns one ``("created", count)`` row."""
    rel_type = _checked_relationship_type(relation)
    return (
        "UNWIND $rows AS row\n"
        "MATCH (source) WHERE elementId(source) = row.source\n"
        "MATCH (target) WHERE elementId(target) = row.target\n"
        f"CREATE (source)-[relationship:{rel_type}]->(target)\n"
        "SET relationship = row.properties\n"
        "RETURN 'created' AS outcome, count(*) AS count"
    )


def node_count_query() -> str:
    """Cypher counting ``:Entity`` nodes (answered from Neo4j's count store)."""
    return f"MATCH (node:{ENTITY_LABEL}) RETURN count(node) AS count"


def relationship_count_query(relation: str) -> str:
    """Cypher counting relationships of one core relation that start at an entity (answered from the count store)."""
    rel_type = _checked_relationship_type(relation)
    return f"MATCH (:{ENTITY_LABEL})-[relationship:{rel_type}]->() RETURN count(relationship) AS count"


def node_ids_query() -> str:
    """Cypher returning the ``id`` of every ``:Entity`` node."""
    return f"MATCH (node:{ENTITY_LABEL}) RETURN node.id AS id"


def relationship_ends_query(relation: str) -> str:
    """Cypher returning ``(source, target)`` ids of every relationship of one core relation between entities."""
    rel_type = _checked_relationship_type(relation)
    return (f"MATCH (source:{ENTITY_LABEL})-[:{rel_type}]->(target:{ENTITY_LABEL}) "
            "RETURN source.id AS source, target.id AS target")


def node_delete_query() -> str:
    """Cypher deleting the ``:Entity`` nodes whose ids are in ``$ids`` (with their relationships)."""
    return (f"UNWIND $ids AS id MATCH (node:{ENTITY_LABEL} {{id: id}}) "
            "DETACH DELETE node RETURN count(*) AS count")


def relationship_delete_query(relation: str) -> str:
    """Cypher deleting relationships of one core relation listed in ``$rows`` as ``{source, target}``."""
    rel_type = _checked_relationship_type(relation)
    return (f"UNWIND $rows AS row MATCH (:{ENTITY_LABEL} {{id: row.source}})-[relationship:{rel_type}]->"
            f"(:{ENTITY_LABEL} {{id: row.target}}) DELETE relationship RETURN count(*) AS count")


def read_nodes_query() -> str:
    """Cypher returning every entity node as ``(labels, properties)``."""
    return f"MATCH (node:{ENTITY_LABEL}) RETURN labels(node) AS labels, properties(node) AS properties"


def read_relationships_query() -> str:
    """Cypher returning every core-relation relationship between entities (types passed as ``$types``)."""
    return (f"MATCH (source:{ENTITY_LABEL})-[relationship]->(target:{ENTITY_LABEL}) "
            "WHERE type(relationship) IN $types "
            "RETURN source.id AS source, type(relationship) AS type, target.id AS target, "
            "properties(relationship) AS properties")


@dataclass(frozen=True)
class Batch:
    """One transaction's worth of work: a query and the rows it unwinds.

    ``retry_query`` (default: ``query``) is what a retried transaction runs: the idempotent MERGE twin of a CREATE
    query, so a batch whose commit succeeded but whose answer was lost is not written twice. ``creates``: ``query``
    is a CREATE query (:func:`node_create_query` or :func:`relationship_create_query`); ``element_query`` is then
    the relationships' :func:`relationship_element_create_query`, used when every end node's element id is known.
    """

    kind: str  # "nodes" or "relationships"
    name: str  # ontology class or relation
    query: str
    rows: list[dict]
    retry_query: str = ""
    creates: bool = False
    element_query: str = ""


def batched(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """Consecutive runs of at most ``size`` items (from a list or a stream)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield list(items[start:start + size])
        return
    chunk: list[dict] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class PushItems:
    """What a push writes, from the networkx view or straight from the Oxigraph store.

    ``nodes`` are node records (all of them: a graph has tens of thousands); ``relationships(relation)`` streams
    one relation's relationship records; ``relationship_counts`` says how many each relation has (for planning).
    """

    nodes: list[dict]
    relationship_counts: dict[str, int]
    relationships: Callable[[str], Iterable[dict]]


def push_items(graph: nx.MultiDiGraph | ox.Store) -> PushItems:
    """The items of a networkx view (as ``KnowledgeGraph.nx``), or of a built store read directly with SPARQL
    (:mod:`graph.sinks.neo4j_store`; the same records, without building the networkx view)."""
    if isinstance(graph, ox.Store):
        from graph.sinks.neo4j_store import (
            node_records_from_store,
            prefetched_relationships,
            relationship_count_in_store,
        )

        store, prologue = graph, sparql_prologue()
        read_relation = prefetched_relationships(store, prologue)  # the first relations are read meanwhile
        return PushItems(node_records_from_store(store, prologue),
                         {relation: relationship_count_in_store(store, relation, prologue)
                          for relation in ENTITY_RELATIONS},
                         read_relation)
    nodes, relationships = neo4j_records_from_networkx(graph)
    by_relation: dict[str, list[dict]] = {relation: [] for relation in ENTITY_RELATIONS}
    for relationship in relationships:
        by_relation[relationship["relation"]].append(relationship)
    return PushItems(nodes, {relation: len(rows) for relation, rows in by_relation.items()},
                     lambda relation: by_relation[relation])


def _node_row(record: dict) -> dict:
    return {"id": record["id"], "properties": record["properties"]}


def _relationship_row(record: dict) -> dict:
    return {"source": record["source"], "target": record["target"], "properties": record["properties"]}


def push_batches(items: PushItems, batch_size: int = DEFAULT_BATCH_SIZE, create: bool = False) -> Iterator[Batch]:
    """Every batch a push runs, in order: nodes grouped by class, then relationships grouped by relation.

    ``create``: CREATE queries for a database without entity nodes (retried as MERGE), else idempotent MERGE.
    Relationship records are read one relation at a time, as the batches are consumed.
    """
    node_rows: dict[str, list[dict]] = {node_type: [] for node_type in NODE_LABELS}
    for node in items.nodes:  # Cypher reads id / source / target / properties from the rows
        node_rows[_checked_label(node["type"])].append(_node_row(node))
    for node_type, rows in node_rows.items():
        merge = node_merge_query(node_type)
        query = node_create_query(node_type) if create else merge
        for chunk in batched(rows, batch_size):
            yield Batch("nodes", node_type, query, chunk, merge, create)
    for relation in ENTITY_RELATIONS:
        merge = relationship_merge_query(relation)
        query = relationship_create_query(relation) if create else merge
        element_query = relationship_element_create_query(relation) if create else ""
        for chunk in batched(map(_relationship_row, items.relationships(relation)), batch_size):
            yield Batch("relationships", relation, query, chunk, merge, create, element_query)


def plan_size(items: PushItems, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """How many batches :func:`push_batches` yields for ``items`` (from the counts, without reading relationships)."""
    per_type: dict[str, int] = {}
    for node in items.nodes:
        per_type[node["type"]] = per_type.get(node["type"], 0) + 1
    return sum(-(-count // batch_size) for count in [*per_type.values(), *items.relationship_counts.values()])


def push_plan(graph: nx.MultiDiGraph | ox.Store, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Batch]:
    """Every batch an idempotent (MERGE) push of ``graph`` runs, in order: nodes by class, then relationships."""
    return list(push_batches(push_items(graph), batch_size))


# ---- reports ---------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """What a push did to one kind of item."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0  # in Neo4j but no longer in the graph
    deleted: int = 0  # stale items removed by --prune

    @property
    def written(self) -> int:
        """Items the graph has (created + updated + unchanged)."""
        return self.created + self.updated + self.unchanged


@dataclass
class PushReport:
    """Counts for nodes and relationships, batches run and time taken."""

    nodes: Counts = field(default_factory=Counts)
    relationships: Counts = field(default_factory=Counts)
    batches: int = 0
    seconds: float = 0.0

    @property
    def items_per_second(self) -> float:
        """Nodes plus relationships pushed per second."""
        return (self.nodes.written + self.relationships.written) / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        """A human-readable summary."""
        out = []
        for name, counts in (("nodes", self.nodes), ("relationships", self.relationships)):
            line = f"{name}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
            if counts.deleted:
                line += f", {counts.deleted} deleted"
            elif counts.stale:
                line += f", {counts.stale} in Neo4j but not in the graph (--prune removes them)"
            out.append(line)
        out.append(f"{self.batches} batches in {self.seconds:.2f} s ({self.items_per_second:,.0f} items/s)")
        return out


@dataclass
class RoundTrip:
    """The graph read back from Neo4j compared with the embedded one."""

    expected_counts: dict[str, int]
    actual_counts: dict[str, int]
    differences: list[str]

    @property
    def lossless(self) -> bool:
        """True when counts per label and type and every mapped property agree."""
        return not self.differences


def graph_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Node counts per class label and relationship counts per type, keyed like ``:Modality`` / ``[:SUBTYPE_OF]``."""
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        counts[f":{data['type']}"] = counts.get(f":{data['type']}", 0) + 1
    for _, _, relation in graph.edges(keys=True):
        name = f"[:{RELATIONSHIP_TYPES.get(relation, relation)}]"
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def _comparable_node(data: dict) -> dict:
    values = {attribute: data.get(attribute) for attribute in ("type", *NEO4J_NODE_PROPERTIES)}
    for attribute in NEO4J_LIST_ATTRIBUTES:
        values[attribute] = sorted(values[attribute] or [])
    values["datings"] = sorted_datings(data.get("datings") or ())
    return values


def _comparable_edge(data: dict) -> dict:
    return {"sources": sorted(data.get("sources") or []), "evidence": sorted_evidence(data.get("evidence") or [])}


def compare_graphs(expected: nx.MultiDiGraph, actual: nx.MultiDiGraph, limit: int = 20) -> RoundTrip:
    """Compare two networkx views on everything the mapping covers; lists at most ``limit`` differences."""
    differences: list[str] = []
    expected_counts, actual_counts = graph_counts(expected), graph_counts(actual)
    for name in sorted(set(expected_counts) | set(actual_counts)):
        if expected_counts.get(name, 0) != actual_counts.get(name, 0):
            differences.append(f"{name}: {expected_counts.get(name, 0)} in the graph, "
                               f"{actual_counts.get(name, 0)} in Neo4j")
    for node_id, data in expected.nodes(data=True):
        if node_id not in actual:
            differences.append(f"node {node_id}: missing in Neo4j")
            continue
        want, got = _comparable_node(data), _comparable_node(actual.nodes[node_id])
        for attribute in want:
            if want[attribute] != got[attribute]:
                differences.append(f"node {node_id}: {attribute} is {got[attribute]!r} in Neo4j, "
                                   f"{want[attribute]!r} in the graph")
    differences.extend(f"node {node_id}: in Neo4j only" for node_id in actual if node_id not in expected)
    for source, target, relation, data in expected.edges(keys=True, data=True):
        if not actual.has_edge(source, target, key=relation):
            differences.append(f"{source} -{relation}-> {target}: missing in Neo4j")
        elif _comparable_edge(data) != _comparable_edge(actual.edges[source, target, relation]):
            differences.append(f"{source} -{relation}-> {target}: provenance differs")
    differences.extend(f"{s} -{k}-> {t}: in Neo4j only" for s, t, k in actual.edges(keys=True)
                       if not expected.has_edge(s, t, key=k))
    if len(differences) > limit:
        differences = [*differences[:limit], f"... and {len(differences) - limit} more differences"]
    return RoundTrip(expected_counts, actual_counts, differences)


# ---- I/O: talking to the server --------------------------------------------------------------------------------


def open_driver(uri: str, user: str, password: str, database: str = "neo4j",
                retry_seconds: float = 30.0) -> Driver:
    """A driver that has proved it can reach ``uri``, log in and open ``database``; else :class:`Neo4jUnavailable`.

    ``retry_seconds`` bounds how long a batch is retried when the connection drops before the push gives up.
    """
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise Neo4jUnavailable(f"invalid Neo4j URI {uri!r}: expected a Bolt URI such as bolt://host:7687, "
                               "neo4j://host:7687 or neo4j+s://host (for Aura)")
    try:
        driver = GraphDatabase.driver(uri, auth=(user, password), max_transaction_retry_time=retry_seconds,
                                      connection_timeout=10.0, notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as error:
        raise Neo4jUnavailable(f"invalid Neo4j URI {uri!r}: {error} (expected e.g. bolt://host:7687 or "
                               "neo4j://host:7687)") from None
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=database)
    except AuthError:
        driver.close()
        raise Neo4jUnavailable(f"Neo4j at {uri} refused user {user!r}: wrong user name or password "
                               "(the password is read from NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        driver.close()
        raise Neo4jUnavailable(f"cannot reach Neo4j at {uri}: {_first_line(error)}. Is the server running, "
                               "and are the host and Bolt port right?") from None
    except ClientError as error:
        driver.close()
        if error.code and "DatabaseNotFound" in error.code:
            raise Neo4jUnavailable(f"Neo4j at {uri} has no database {database!r}") from None
        raise Neo4jUnavailable(f"Neo4j at {uri} refused the connection: {error.message}") from None
    return driver


def _first_line(error: BaseException) -> str:
    """The useful part of a driver error: the OS reason when there is one, else its first line."""
    text = str(error).strip() or type(error).__name__
    reason = re.search(r"reason (\[Errno [^\]]+\] [^)\n]+)", text)
    return reason.group(1) if reason else text.splitlines()[0].rstrip(":")


def _run_counted(tx: ManagedTransaction, query: str, rows: list[dict]) -> dict[str, int]:
    return {record["outcome"]: record["count"] for record in tx.run(query, rows=rows)}


def _run_count(tx: ManagedTransaction, query: str, parameters: dict[str, Any]) -> int:
    record = tx.run(query, parameters).single()
    return int(record["count"]) if record else 0


def _read_count(tx: ManagedTransaction, query: str) -> int:
    return int(tx.run(query).single(strict=True)["count"])


def _read_all(tx: ManagedTransaction, query: str, parameters: dict[str, Any] | None = None) -> list[Record]:
    return list(tx.run(query, parameters))


def _interrupted(error: BaseException, uri: str, step: str) -> Neo4jPushInterrupted:
    return Neo4jPushInterrupted(
        f"lost the connection to Neo4j at {uri} during {step}: {_first_line(error)}. The batches that had "
        "finished are committed and nothing of an unfinished batch is; run the same push again once the server "
        "is back to complete the graph.")


def ensure_schema(driver: Driver, database: str = "neo4j") -> None:
    """Create the uniqueness constraint and indexes (``IF NOT EXISTS``) and wait until they are online."""
    for statement in SCHEMA_STATEMENTS:
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


def push_to_neo4j(graph: nx.MultiDiGraph | ox.Store | PushItems, driver: Driver, database: str = "neo4j",
                  batch_size: int = DEFAULT_BATCH_SIZE, prune: bool = False,
                  on_batch: Callable[[Batch], None] | None = None,
                  on_plan: Callable[[int], None] | None = None, server: str = "the server",
                  workers: int = DEFAULT_WORKERS) -> PushReport:
    """Write the graph to Neo4j: schema first, then nodes and relationships in batched transactions.

    ``graph`` is the networkx view or the built Oxigraph store itself (``KnowledgeGraph.store``: read with SPARQL,
    relationships streamed one relation at a time, on a helper thread while the server writes the previous batch),
    or :class:`PushItems` already read.
    Idempotent: items already present with the same properties are left untouched and counted as unchanged.
    Into a database without entity nodes it CREATEs instead of MERGEing (nothing to compare with; a retried
    batch runs the MERGE query). With ``prune``, entity nodes and core relationships the graph no longer has are
    deleted afterwards. ``workers`` transactions run at once (all nodes are written before any relationship).
    ``on_plan`` receives the number of batches before the first one runs, ``on_batch`` each batch once committed.
    Raises :class:`Neo4jPushInterrupted` (naming ``server``) when the server goes away part-way.

    Python's cycle collector is paused meanwhile (:func:`graph.collector.cyclic_gc_paused`): the records form no
    cycles, and its full passes over hundreds of thousands of them took a fifth of the client's CPU at 20,000
    modalities.
    """
    with cyclic_gc_paused():
        return _push(graph, driver, database, batch_size, prune, on_batch, on_plan, server, workers)


def _push(graph: nx.MultiDiGraph | ox.Store | PushItems, driver: Driver, database: str, batch_size: int, prune: bool,
          on_batch: Callable[[Batch], None] | None, on_plan: Callable[[int], None] | None, server: str,
          workers: int) -> PushReport:
    """The body of :func:`push_to_neo4j`."""
    started = time.perf_counter()
    items = graph if isinstance(graph, PushItems) else push_items(graph)
    total = plan_size(items, batch_size)
    if on_plan:
        on_plan(total)
    report = PushReport()
    try:
        ensure_schema(driver, database)
        with driver.session(database=database) as session:
            empty = session.execute_read(_read_count, node_count_query()) == 0
    except (ServiceUnavailable, SessionExpired) as error:
        raise _interrupted(error, server, "schema creation") from None
    written: dict[str, int] = dict.fromkeys(ENTITY_RELATIONS, 0)
    batches = _prefetched(push_batches(items, batch_size, create=empty)) if isinstance(graph, ox.Store) \
        else push_batches(items, batch_size, create=empty)
    _run_batches(driver, database, batches, total, workers, report, on_batch, server, written)
    with driver.session(database=database) as session:
        try:
            _find_stale(session, items, written, report, batch_size, prune)
        except (ServiceUnavailable, SessionExpired) as error:
            raise _interrupted(error, server, "pruning" if prune else "the check for stale items") from None
    report.seconds = time.perf_counter() - started
    return report


_END = object()


def _prefetched(batches: Iterator[Batch], depth: int = 3) -> Iterator[Batch]:
    """The same batches, made on a helper thread while this one waits for the server (reading the store overlaps
    with Neo4j's writing; at most ``depth`` batches wait). An error while reading is raised here."""
    waiting: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_END)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, which raises it
            put(error)

    reader = threading.Thread(target=produce, name="neo4j-push-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = waiting.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()


def run_batch(tx: ManagedTransaction, batch: Batch, attempts: list[int],
              elements: dict[str, str] | None = None) -> dict[str, int]:
    """Run one batch in a managed transaction (``session.execute_write(run_batch, batch, [0])``): its outcome counts
    as ``{"created": n, ...}``. ``attempts`` counts the calls; when the driver retries (the list already holds 1 or
    more), the batch's idempotent ``retry_query`` runs instead, so a CREATE batch whose commit went through before
    the connection dropped is not written twice.

    ``elements`` maps entity ids to the element ids of the nodes this push created (filled by node CREATE batches,
    emptied again for a retried one); a relationship CREATE batch whose end nodes are all in it finds them by
    element id (:func:`relationship_element_create_query`), otherwise through the ``:Entity(id)`` index.
    """
    attempts[0] += 1
    if attempts[0] > 1:
        if elements is not None and batch.kind == "nodes":  # the first try may have been rolled back
            for row in batch.rows:
                elements.pop(row["id"], None)
        query = batch.retry_query or batch.query
    elif batch.creates and batch.kind == "nodes":
        created = 0
        for record in tx.run(batch.query, rows=batch.rows):
            created += 1
            if elements is not None:
                elements[record["id"]] = record["element"]
        return {"created": created}
    elif batch.creates and batch.element_query and elements:
        try:
            rows = [{"source": elements[row["source"]], "target": elements[row["target"]],
                     "properties": row["properties"]} for row in batch.rows]
        except KeyError:  # an end node this push did not create: look it up by entity id
            query = batch.query
        else:
            return {record["outcome"]: record["count"] for record in tx.run(batch.element_query, rows=rows)}
    else:
        query = batch.query
    return {record["outcome"]: record["count"] for record in tx.run(query, rows=batch.rows)}


def _write_batch(driver: Driver, database: str, batch: Batch, elements: dict[str, str]) -> dict[str, int]:
    with driver.session(database=database) as session:
        return session.execute_write(run_batch, batch, [0], elements)


def _run_batches(driver: Driver, database: str, batches: Iterator[Batch], total: int, workers: int,
                 report: PushReport, on_batch: Callable[[Batch], None] | None, server: str,
                 written: dict[str, int]) -> None:
    """Run batches one after another, or on ``workers`` threads, and add up their outcomes (``written``: rows per
    relation)."""
    for (number, batch), outcome in _outcomes(driver, database, batches, workers):
        step = f"batch {number} of {total} ({batch.kind}, {batch.name})"
        if isinstance(outcome, (ServiceUnavailable, SessionExpired)):
            raise _interrupted(outcome, server, step) from None
        if isinstance(outcome, BaseException):
            raise outcome
        counts = report.nodes if batch.kind == "nodes" else report.relationships
        for name in OUTCOMES:
            setattr(counts, name, getattr(counts, name) + outcome.get(name, 0))
        if sum(outcome.values()) != len(batch.rows):
            raise Neo4jPushInterrupted(f"{step}: only {sum(outcome.values())} of {len(batch.rows)} rows "
                                       "were written; some end nodes are missing in Neo4j")
        if batch.kind == "relationships":
            written[batch.name] += len(batch.rows)
        report.batches += 1
        if on_batch:
            on_batch(batch)


def _outcomes(driver: Driver, database: str, batches: Iterator[Batch],
              workers: int) -> Iterator[tuple[tuple[int, Batch], dict[str, int] | BaseException]]:
    """Each batch (numbered from 1) with its outcome counts (or the error that stopped it), as they finish; stops at
    the first error. With several workers at most ``2 * workers`` batches are in flight, and every node batch is
    committed before the first relationship batch starts."""
    numbered = enumerate(batches, start=1)
    elements: dict[str, str] = {}  # entity id -> element id of the nodes this push created
    if workers <= 1:  # in this thread: a batch starts only after the previous one was committed and reported
        with driver.session(database=database) as session:
            for number, batch in numbered:
                try:
                    yield (number, batch), session.execute_write(run_batch, batch, [0], elements)
                except (ServiceUnavailable, SessionExpired) as error:
                    yield (number, batch), error
                    return
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neo4j-push") as pool:
        running: dict[Future[dict[str, int]], tuple[int, Batch]] = {}
        try:
            for number, batch in numbered:
                kind_changes = bool(running) and next(iter(running.values()))[1].kind != batch.kind
                while len(running) > (0 if kind_changes else 2 * workers - 1):
                    for finished in _wait_first(running):
                        failure = finished.exception()
                        yield running.pop(finished), failure if failure is not None else finished.result()
                        if failure is not None:
                            return
                running[pool.submit(_write_batch, driver, database, batch, elements)] = (number, batch)
            while running:
                for finished in _wait_first(running):
                    failure = finished.exception()
                    yield running.pop(finished), failure if failure is not None else finished.result()
                    if failure is not None:
                        return
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _wait_first(running: dict[Future[dict[str, int]], tuple[int, Batch]]) -> set[Future[dict[str, int]]]:
    done, _ = wait(running, return_when=FIRST_COMPLETED)
    return done


def _find_stale(session: Session, items: PushItems, written: dict[str, int], report: PushReport, batch_size: int,
                prune: bool) -> None:
    """Count (and with ``prune`` delete) entity nodes and core relationships that the graph no longer has.

    Runs after every item of the graph has been written, so anything beyond the graph's own counts (``written``:
    relationships per relation) is stale; the counts come from Neo4j's count store, and ids are fetched (and the
    graph's relationships read again) only when something has to be deleted.
    """
    for relation in ENTITY_RELATIONS:
        extra = session.execute_read(_read_count, relationship_count_query(relation)) - written[relation]
        if extra <= 0:
            continue
        report.relationships.stale += extra
        if prune:
            wanted = {(record["source"], record["target"]) for record in items.relationships(relation)}
            records = session.execute_read(_read_all, relationship_ends_query(relation))
            stale = sorted({(record["source"], record["target"]) for record in records} - wanted)
            for chunk in batched([{"source": s, "target": t} for s, t in stale], batch_size):
                report.relationships.deleted += session.execute_write(
                    _run_count, relationship_delete_query(relation), {"rows": chunk})
    extra_nodes = session.execute_read(_read_count, node_count_query()) - len(items.nodes)
    if extra_nodes <= 0:
        return
    report.nodes.stale = extra_nodes
    if prune:
        present_ids = {record["id"] for record in session.execute_read(_read_all, node_ids_query())}
        stale_ids = sorted(present_ids - {node["id"] for node in items.nodes})
        for chunk in batched([{"id": i} for i in stale_ids], batch_size):
            report.nodes.deleted += session.execute_write(
                _run_count, node_delete_query(), {"ids": [row["id"] for row in chunk]})


def read_from_neo4j(driver: Driver, database: str = "neo4j") -> nx.MultiDiGraph:
    """The graph stored in Neo4j as a networkx view with the same attributes as ``KnowledgeGraph.nx``.

    This is the read side the explorer can use instead of the embedded store when ``NEO4J_URI`` is set.
    """
    with driver.session(database=database) as session:
        nodes = session.execute_read(_read_all, read_nodes_query())
        relationships = session.execute_read(_read_all, read_relationships_query(),
                                             {"types": list(RELATIONS_BY_TYPE)})
    return networkx_from_neo4j_records(
        ((_class_of(r["labels"]), r["properties"]) for r in nodes),
        ((r["source"], RELATIONS_BY_TYPE[r["type"]], r["target"], r["properties"]) for r in relationships))


def _class_of(labels: Iterable[str]) -> str:
    classes = [label for label in labels if label in NODE_LABELS]
    return classes[0] if len(classes) == 1 else "/".join(sorted(classes)) or "(no class label)"


def check_round_trip(graph: nx.MultiDiGraph, driver: Driver, database: str = "neo4j") -> RoundTrip:
    """Read the graph back from Neo4j and compare it with ``graph`` (counts per label and type, every property)."""
    return compare_graphs(graph, read_from_neo4j(driver, database))
