"""Pushing to the live Neo4j: counts and properties match, a second push changes nothing, prune, round trip."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from neo4j import Driver

from graph.sinks.neo4j import check_round_trip, push_to_neo4j, read_from_neo4j, sorted_evidence
from graph.views.kg import KnowledgeGraph, load_graph
from tests.conftest import KITCHEN_SINK
from tests.neo4j.conftest import count

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def sink_graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The kitchen-sink content (every class and relation), built by the real pipeline."""
    return load_graph(tmp_path_factory.mktemp("neo4j-sink-store"), [KITCHEN_SINK])


def test_push_creates_every_node_and_relationship(driver: Driver, sink_graph: KnowledgeGraph) -> None:
    graph = sink_graph.nx
    report = push_to_neo4j(graph, driver, batch_size=3)
    assert (report.nodes.created, report.nodes.updated, report.nodes.unchanged) == (graph.number_of_nodes(), 0, 0)
    assert report.relationships.created == graph.number_of_edges() > 0
    assert count(driver, "MATCH (n:Entity) RETURN count(n)") == graph.number_of_nodes()
    assert count(driver, "MATCH (:Entity)-[r]->(:Entity) RETURN count(r)") == graph.number_of_edges()
    for node_type in {data["type"] for _, data in graph.nodes(data=True)}:
        expected = sum(1 for _, data in graph.nodes(data=True) if data["type"] == node_type)
        # the label comes from the fixed list, so pasting it into this test query is safe
        assert count(driver, f"MATCH (n:Entity:{node_type}) RETURN count(n)") == expected
    assert report.batches > len(graph) // 3


def test_pushed_properties_match_the_embedded_graph(driver: Driver, sink_graph: KnowledgeGraph) -> None:
    push_to_neo4j(sink_graph.nx, driver)
    records, _, _ = driver.execute_query(
        "MATCH (m:Modality {id: $id}) RETURN m.label AS label, m.aliases AS aliases, m.introduced AS introduced, "
        "m.introducedYear AS year, m.introducedPrecision AS precision, m.sources AS sources, m.iri AS iri",
        id="modality/dyadic-developmental-psychotherapy")
    ddp = records[0]
    assert ddp["label"] == "Dyadic Developmental Psychotherapy" and ddp["aliases"] == ["DDP"]
    assert (ddp["introduced"], ddp["year"], ddp["precision"]) == ("1990s", 1990, "decade")
    assert ddp["sources"] == ["kitchen-sink"]
    assert ddp["iri"].endswith("/modality/dyadic-developmental-psychotherapy")
    records, _, _ = driver.execute_query(
        "MATCH (:Modality {id: $id})-[r:DEVELOPED_BY]->(t:Theorist) RETURN t.id AS theorist, r.sources AS sources",
        id="modality/mentalization-based-treatment")
    assert [(r["theorist"], r["sources"]) for r in records] == [("theorist/peter-fonagy", ["kitchen-sink"])]
    for node_id, data in sink_graph.nx.nodes(data=True):  # every node's label, aliases and years
        records, _, _ = driver.execute_query(
            "MATCH (n:Entity {id: $id}) RETURN n.label AS label, coalesce(n.aliases, []) AS aliases, "
            "n.birthYear AS born, n.phaseOrder AS phase", id=node_id)
        got = records[0]
        assert (got["label"], got["aliases"], got["born"], got["phase"]) == (
            data["label"], sorted(data["aliases"]), data["birth_year"], data["phase_order"])


def test_round_trip_is_lossless(driver: Driver, sink_graph: KnowledgeGraph) -> None:
    push_to_neo4j(sink_graph.nx, driver)
    result = check_round_trip(sink_graph.nx, driver)
    assert result.lossless, result.differences
    assert result.actual_counts == result.expected_counts
    assert result.actual_counts["[:DEVELOPED_BY]"] == sum(
        1 for *_, k in sink_graph.nx.edges(keys=True) if k == "developedBy")


def test_second_push_changes_nothing(driver: Driver, sink_graph: KnowledgeGraph) -> None:
    graph = sink_graph.nx
    push_to_neo4j(graph, driver, batch_size=4)
    _, summary_before, _ = driver.execute_query("MATCH (n) RETURN count(n)")
    again = push_to_neo4j(graph, driver, batch_size=4)
    assert (again.nodes.created, again.nodes.updated, again.nodes.unchanged) == (0, 0, graph.number_of_nodes())
    assert (again.relationships.created, again.relationships.updated) == (0, 0)
    assert again.relationships.unchanged == graph.number_of_edges()
    assert (again.nodes.stale, again.relationships.stale) == (0, 0)
    assert count(driver, "MATCH (n) RETURN count(n)") == graph.number_of_nodes()
    assert count(driver, "MATCH ()-[r]->() RETURN count(r)") == graph.number_of_edges()


def test_changes_are_counted_and_prune_removes_what_the_graph_lost(driver: Driver,
                                                                   sink_graph: KnowledgeGraph) -> None:
    push_to_neo4j(sink_graph.nx, driver)
    changed: nx.MultiDiGraph = sink_graph.nx.copy()
    changed.nodes["theorist/peter-fonagy"]["label"] = "Peter Fonagy (renamed)"
    changed.remove_edge("modality/mentalization-based-treatment", "theorist/peter-fonagy", key="developedBy")
    changed.remove_node("goal/earned-security")  # with its relationships
    removed_edges = sink_graph.nx.number_of_edges() - changed.number_of_edges()
    changed.add_node("goal/brand-new", type="Goal", label="Brand new goal", aliases=[], sources=["kitchen-sink"],
                     description=None)

    kept = push_to_neo4j(changed, driver)
    assert (kept.nodes.created, kept.nodes.updated, kept.nodes.stale, kept.nodes.deleted) == (1, 1, 1, 0)
    assert kept.relationships.stale == removed_edges  # MBT -DEVELOPED_BY-> Fonagy and the lost goal's links
    assert count(driver, "MATCH (g:Goal {id: 'goal/earned-security'}) RETURN count(g)") == 1

    pruned = push_to_neo4j(changed, driver, prune=True)
    assert (pruned.nodes.created, pruned.nodes.updated) == (0, 0)
    assert (pruned.nodes.deleted, pruned.relationships.deleted) == (1, removed_edges)
    assert count(driver, "MATCH (n:Entity) RETURN count(n)") == changed.number_of_nodes()
    assert count(driver, "MATCH (:Entity)-[r]->(:Entity) RETURN count(r)") == changed.number_of_edges()
    assert removed_edges >= 2
    assert check_round_trip(changed, driver).lossless
    assert read_from_neo4j(driver).nodes["theorist/peter-fonagy"]["label"] == "Peter Fonagy (renamed)"


def test_evidence_from_pages_survives_the_round_trip(driver: Driver, tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    for node_id, node_type, label in (("modality/mbt", "Modality", "Mentalization-Based Treatment"),
                                      ("condition/bpd", "Condition", "Borderline personality disorder")):
        graph.add_node(node_id, type=node_type, label=label, aliases=[], sources=["page"])
    evidence = [{"text": "MBT was first tested with people diagnosed with BPD.", "start": 120, "end": 172,
                 "source": "page"},
                {"text": "It is \"best known\" for BPD — früh erprobt.", "start": 7, "end": 50, "source": "other-page"}]
    graph.add_edge("modality/mbt", "condition/bpd", key="addressesCondition", relation="addressesCondition",
                   sources=["page", "other-page"], evidence=evidence)
    push_to_neo4j(graph, driver)
    back = read_from_neo4j(driver)
    stored = back.edges["modality/mbt", "condition/bpd", "addressesCondition"]["evidence"]
    assert sorted_evidence(stored) == sorted_evidence(evidence)
    assert [e["source"] for e in sorted_evidence(stored)] == ["other-page", "page"]
    assert check_round_trip(graph, driver).lossless


def test_schema_comes_first_and_is_idempotent(driver: Driver, sink_graph: KnowledgeGraph) -> None:
    push_to_neo4j(sink_graph.nx, driver)
    push_to_neo4j(sink_graph.nx, driver)
    records, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties")
    constraints = {r["name"]: (r["type"], r["labelsOrTypes"], r["properties"]) for r in records}
    assert constraints["entity_id"] == ("UNIQUENESS", ["Entity"], ["id"])
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, labelsOrTypes, properties, state WHERE name = 'entity_label' "
        "RETURN labelsOrTypes, properties, state")
    assert [(r["labelsOrTypes"], r["properties"], r["state"]) for r in records] == [(["Entity"], ["label"], "ONLINE")]
    with pytest.raises(Exception, match="already exists"):  # the constraint really guards the ids
        driver.execute_query("CREATE (:Entity {id: 'modality/mentalization-based-treatment'})")
