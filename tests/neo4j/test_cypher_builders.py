"""The pure side of the Neo4j sink: query text, batching, the record mapping and the graph comparison (no server)."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from graph.sinks.neo4j import (
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    SCHEMA_STATEMENTS,
    batched,
    compare_graphs,
    neo4j_records_from_networkx,
    networkx_from_neo4j_records,
    node_merge_query,
    push_plan,
    relationship_delete_query,
    relationship_merge_query,
    relationship_type,
)
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

HOSTILE = "Ann's \"quoted\" `back`ticked}) DETACH DELETE n // Ærøskøbing – 東京"


def tiny_graph(label: str = "Mentalization-Based Treatment") -> nx.MultiDiGraph:
    """Two entities and one fact with evidence, in the shape of KnowledgeGraph.nx."""
    graph = nx.MultiDiGraph()
    blank = {"description": None, "introduced": None, "introduced_year": None, "introduced_precision": None,
             "birth_year": None, "death_year": None, "phase_order": None}
    graph.add_node("modality/mbt", **{**blank, "type": "Modality", "label": label, "aliases": ["MBT"],
                                      "introduced": "1990s / 2004 (sources disagree)", "introduced_year": 1990,
                                      "introduced_precision": "decade", "sources": ["b", "a"],
                                      "datings": [{"year": 2004, "precision": "year", "source": "b"},
                                                  {"year": 1990, "precision": "decade", "source": "a"}]})
    graph.add_node("theorist/peter-fonagy", **{**blank, "type": "Theorist", "label": "Peter Fonagy", "aliases": [],
                                               "birth_year": 1952, "sources": ["a"]})
    graph.add_edge("modality/mbt", "theorist/peter-fonagy", key="developedBy", relation="developedBy",
                   sources=["page-2", "a"],
                   evidence=[{"text": "Fonagy developed MBT.", "start": 40, "end": 61, "source": "page-2"},
                             {"text": "MBT was developed by Fonagy.", "start": 3, "end": 31, "source": "page-2"}])
    return graph


def test_relationship_types_are_upper_snake_case_of_every_core_relation() -> None:
    assert relationship_type("developedBy") == "DEVELOPED_BY"
    assert relationship_type("addressesCondition") == "ADDRESSES_CONDITION"
    assert set(RELATIONSHIP_TYPES) == set(ENTITY_RELATIONS)
    assert all(re.fullmatch(r"[A-Z]+(_[A-Z]+)*", t) for t in RELATIONSHIP_TYPES.values())
    assert len(set(RELATIONSHIP_TYPES.values())) == len(ENTITY_RELATIONS)


def test_node_labels_are_the_ontology_classes() -> None:
    assert tuple(TYPE_PREFIXES) == NODE_LABELS


def test_node_query_uses_fixed_labels_and_parameters_only() -> None:
    query = node_merge_query("Modality")
    assert query.startswith("UNWIND $rows AS row")
    assert "MERGE (node:Entity {id: row.id})" in query
    assert "SET node = row.properties, node:Modality" in query
    assert "REMOVE node:Theory:Theorist:Population:Condition:Goal:Technique:Concept:TreatmentPhase" in query


def test_builders_refuse_labels_and_types_outside_the_ontology() -> None:
    for bad in ("Person", "Modality) DETACH DELETE n //", "modality", ""):
        with pytest.raises(ValueError, match="not an ontology class"):
            node_merge_query(bad)
    for bad in ("DEVELOPED_BY", "knows", "developedBy]->() DETACH DELETE n //"):
        with pytest.raises(ValueError, match="not a core relation"):
            relationship_merge_query(bad)
        with pytest.raises(ValueError, match="not a core relation"):
            relationship_delete_query(bad)


def test_relationship_query_merges_between_matched_entities() -> None:
    query = relationship_merge_query("subtypeOf")
    assert "MATCH (source:Entity {id: row.source})" in query
    assert "MATCH (target:Entity {id: row.target})" in query
    assert "MERGE (source)-[relationship:SUBTYPE_OF]->(target)" in query
    assert "SET relationship = row.properties" in query


def test_no_data_value_ever_reaches_query_text() -> None:
    graph = tiny_graph(label=HOSTILE)
    plan = push_plan(graph, batch_size=1)
    texts = "\n".join(batch.query for batch in plan)
    for value in (HOSTILE, "DETACH DELETE n //", "Fonagy developed", "modality/mbt", "page-2"):
        assert value not in texts
    assert any(row["properties"].get("label") == HOSTILE for batch in plan for row in batch.rows)


def test_plan_groups_by_class_then_relation_in_batches_of_the_given_size() -> None:
    graph = nx.MultiDiGraph()
    for i in range(5):
        graph.add_node(f"goal/g{i}", type="Goal", label=f"G{i}", aliases=[], sources=["s"])
        graph.add_node(f"modality/m{i}", type="Modality", label=f"M{i}", aliases=[], sources=["s"])
        graph.add_edge(f"modality/m{i}", f"goal/g{i}", key="hasGoal", relation="hasGoal", sources=["s"], evidence=[])
    plan = push_plan(graph, batch_size=2)
    assert [(b.kind, b.name, len(b.rows)) for b in plan] == [
        ("nodes", "Modality", 2), ("nodes", "Modality", 2), ("nodes", "Modality", 1),
        ("nodes", "Goal", 2), ("nodes", "Goal", 2), ("nodes", "Goal", 1),
        ("relationships", "hasGoal", 2), ("relationships", "hasGoal", 2), ("relationships", "hasGoal", 1)]


def test_batched_rejects_a_zero_size_and_keeps_every_item() -> None:
    with pytest.raises(ValueError):
        list(batched([{}], 0))
    items = [{"n": i} for i in range(7)]
    chunks = list(batched(items, 3))
    assert [len(c) for c in chunks] == [3, 3, 1] and [i for c in chunks for i in c] == items


def test_records_leave_out_missing_values_and_sort_provenance() -> None:
    nodes, relationships = neo4j_records_from_networkx(tiny_graph())
    mbt = next(n for n in nodes if n["id"] == "modality/mbt")
    assert mbt["type"] == "Modality"
    assert mbt["properties"] == {"id": "modality/mbt", "iri": "https://w3id.org/therapy-kg/id/modality/mbt",
                                 "label": "Mentalization-Based Treatment", "aliases": ["MBT"],
                                 "introduced": "1990s / 2004 (sources disagree)", "introducedYear": 1990,
                                 "introducedPrecision": "decade", "sources": ["a", "b"],
                                 "datingYear": [1990, 2004], "datingPrecision": ["decade", "year"],
                                 "datingSource": ["a", "b"]}
    fonagy = next(n for n in nodes if n["id"] == "theorist/peter-fonagy")
    assert "aliases" not in fonagy["properties"] and fonagy["properties"]["birthYear"] == 1952
    (fact,) = relationships
    assert fact["relation"] == "developedBy"
    assert fact["properties"] == {"sources": ["a", "page-2"],
                                  "evidenceText": ["MBT was developed by Fonagy.", "Fonagy developed MBT."],
                                  "evidenceStart": [3, 40], "evidenceEnd": [31, 61],
                                  "evidenceSource": ["page-2", "page-2"]}


def test_records_convert_back_to_an_equal_graph() -> None:
    graph = tiny_graph(label=HOSTILE)
    nodes, relationships = neo4j_records_from_networkx(graph)
    back = networkx_from_neo4j_records(((n["type"], n["properties"]) for n in nodes),
                                       ((r["source"], r["relation"], r["target"], r["properties"])
                                        for r in relationships))
    assert compare_graphs(graph, back).lossless
    assert back.nodes["modality/mbt"]["datings"] == [{"year": 1990, "precision": "decade", "source": "a"},
                                                     {"year": 2004, "precision": "year", "source": "b"}]


def test_compare_graphs_names_each_kind_of_difference() -> None:
    graph = tiny_graph()
    other = tiny_graph()
    other.nodes["modality/mbt"]["label"] = "Something else"
    other.edges["modality/mbt", "theorist/peter-fonagy", "developedBy"]["evidence"] = []
    other.add_node("goal/extra", type="Goal", label="Extra", aliases=[], sources=["a"])
    other.nodes["modality/mbt"]["datings"] = [{"year": 1990, "precision": "year", "source": "a"},
                                              {"year": 2004, "precision": "year", "source": "b"}]
    result = compare_graphs(graph, other)
    assert not result.lossless
    assert ":Goal: 0 in the graph, 1 in Neo4j" in result.differences
    assert any("node modality/mbt: label is 'Something else' in Neo4j" in d for d in result.differences)
    assert "modality/mbt -developedBy-> theorist/peter-fonagy: provenance differs" in result.differences
    assert "node goal/extra: in Neo4j only" in result.differences
    assert any(d.startswith("node modality/mbt: datings is [{'year': 1990, 'precision': 'year'")
               for d in result.differences)


def test_schema_statements_are_idempotent_and_cover_the_id() -> None:
    assert all(" IF NOT EXISTS " in statement for statement in SCHEMA_STATEMENTS)
    assert "FOR (n:Entity) REQUIRE n.id IS UNIQUE" in SCHEMA_STATEMENTS[0]
