"""Pushing straight from the Oxigraph store to the live Neo4j: the same nodes and relationships as a push of the
networkx view, CREATE into an empty database, and a retried CREATE batch that is not written twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph.sinks.neo4j import (
    check_round_trip,
    ensure_schema,
    push_batches,
    push_items,
    push_to_neo4j,
    run_batch,
)
from graph.views.kg import KnowledgeGraph, load_graph
from tests.conftest import KITCHEN_SINK
from tests.neo4j.conftest import count, wipe

pytestmark = pytest.mark.neo4j

PAGES = Path(__file__).resolve().parents[2] / "tests" / "resources" / "pages"


@pytest.fixture(scope="module")
def paged_graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The kitchen-sink content plus a page, so some relationships carry evidence and several sources."""
    return load_graph(tmp_path_factory.mktemp("neo4j-store-push"), [KITCHEN_SINK], pages=[PAGES / "a-mbt-notes.md"])


def snapshot(driver: Driver) -> tuple[list, list]:
    """Every entity node (labels, properties) and relationship (ends, type, properties), sorted."""
    nodes, _, _ = driver.execute_query("MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p "
                                       "ORDER BY id")
    rels, _, _ = driver.execute_query("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                                      "properties(r) AS p ORDER BY a, t, b")
    return ([(r["id"], sorted(r["labels"]), r["p"]) for r in nodes], [(r["a"], r["t"], r["b"], r["p"]) for r in rels])


def test_store_push_creates_what_the_view_push_merges(driver: Driver, paged_graph: KnowledgeGraph) -> None:
    graph = paged_graph.nx
    first = push_to_neo4j(paged_graph.store, driver, batch_size=3)
    assert (first.nodes.created, first.relationships.created) == (graph.number_of_nodes(), graph.number_of_edges())
    assert check_round_trip(graph, driver).lossless
    from_store = snapshot(driver)
    assert any("evidenceText" in p for *_, p in from_store[1])
    again = push_to_neo4j(graph, driver, batch_size=3)  # the view's push finds every item as the store's wrote it
    assert (again.nodes.unchanged, again.relationships.unchanged) == (graph.number_of_nodes(), graph.number_of_edges())
    assert again.nodes.created + again.nodes.updated + again.relationships.created + again.relationships.updated == 0
    wipe(driver)
    push_to_neo4j(graph, driver, batch_size=5)
    assert snapshot(driver) == from_store
    third = push_to_neo4j(paged_graph.store, driver, batch_size=5)
    assert (third.nodes.unchanged, third.relationships.unchanged) == (graph.number_of_nodes(), graph.number_of_edges())
    assert (third.nodes.stale, third.relationships.stale) == (0, 0)


def test_a_retried_create_batch_is_not_written_twice(driver: Driver, paged_graph: KnowledgeGraph) -> None:
    ensure_schema(driver)
    batches = list(push_batches(push_items(paged_graph.store), batch_size=4, create=True))
    assert all("CREATE (" in b.query and "MERGE (" in b.retry_query and b.creates for b in batches)
    elements: dict[str, str] = {}
    with driver.session() as session:
        for batch in batches:  # relationships found by the element ids their nodes' batches returned
            assert session.execute_write(run_batch, batch, [0], elements) == {"created": len(batch.rows)}
        assert len(elements) == paged_graph.nx.number_of_nodes()
        before = snapshot(driver)
        for batch in batches:  # as the driver's retry would after a commit whose answer was lost
            assert session.execute_write(run_batch, batch, [1], elements) == {"unchanged": len(batch.rows)}
    assert elements == {}  # a retried node batch forgets its element ids: its first try may have been rolled back
    assert snapshot(driver) == before
    assert count(driver, "MATCH (:Entity)-[r]->(:Entity) RETURN count(r)") == paged_graph.nx.number_of_edges()
    wipe(driver)
    with driver.session() as session:  # without element ids, relationships are found through the id index
        for batch in batches:
            assert session.execute_write(run_batch, batch, [0]) == {"created": len(batch.rows)}
    assert snapshot(driver) == before


def test_store_push_prunes_what_the_store_lost(driver: Driver, paged_graph: KnowledgeGraph) -> None:
    push_to_neo4j(paged_graph.store, driver)
    driver.execute_query("MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) CREATE (a)-[:HAS_GOAL]->(b), "
                         "(:Entity:Goal {id: 'goal/not-in-the-graph', label: 'gone'})",
                         a="modality/mentalization-based-treatment", b="theorist/peter-fonagy")
    kept = push_to_neo4j(paged_graph.store, driver)
    assert (kept.nodes.stale, kept.relationships.stale) == (1, 1)
    pruned = push_to_neo4j(paged_graph.store, driver, prune=True)
    assert (pruned.nodes.deleted, pruned.relationships.deleted) == (1, 1)
    assert check_round_trip(paged_graph.nx, driver).lossless
