"""One neighbourhood selector for maps and the explorer: steps out, filters while walking, a cap, sorted output."""

from __future__ import annotations

import networkx as nx

from graph.sinks.maps import MapRequest, build_map
from graph.views.kg import KnowledgeGraph
from graph.views.neighbourhood import select_neighbourhood

MBT = "modality/mentalization-based-treatment"


def test_steps_out_match_networkx_distances(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    for depth in (0, 1, 2, 3):
        reached = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), MBT, cutoff=depth)
        part = select_neighbourhood(graph, MBT, depth)
        assert set(part.graph.nodes) == set(reached) and not part.truncated
    part = select_neighbourhood(graph, MBT, 1).graph
    assert list(part.nodes) == sorted(part.nodes)
    assert list(part.edges(keys=True)) == sorted(part.edges(keys=True))
    assert set(part.edges(keys=True)) == {(u, v, k) for u, v, k in graph.edges(keys=True) if {u, v} <= set(part)}


def test_class_and_relation_filters_apply_while_walking(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    theory = "theory/attachment-theory"
    theorists = {n for n, d in graph.nodes(data=True) if d["type"] == "Theorist"} | {theory}
    walkable = nx.Graph((u, v) for u, v, k in graph.edges(keys=True)
                        if {u, v} <= theorists and k in ("developedBy", "studentOf", "influencedBy"))
    expected = set(nx.single_source_shortest_path_length(walkable, theory, cutoff=3))
    part = select_neighbourhood(graph, theory, 3, types=["Theorist"],
                                relations=["developedBy", "studentOf", "influencedBy"]).graph
    assert set(part.nodes) == expected and len(expected) == 11
    assert {k for _, _, k in part.edges(keys=True)} <= {"developedBy", "studentOf", "influencedBy"}


def test_the_cap_cuts_breadth_first_and_says_so(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    hub = max(sorted(graph.nodes), key=graph.degree)
    first_ring = set(graph.successors(hub)) | set(graph.predecessors(hub))
    cap = len(first_ring) + 11  # the hub, its neighbours, and ten entities two steps out
    whole = select_neighbourhood(graph, hub, 2)
    capped = select_neighbourhood(graph, hub, 2, max_nodes=cap)
    assert whole.graph.number_of_nodes() > cap and not whole.truncated
    assert capped.graph.number_of_nodes() == cap and capped.truncated
    assert first_ring < set(capped.graph.nodes) < set(whole.graph.nodes)  # nearer entities come first


def test_maps_use_the_same_selection(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    for request in (MapRequest(focus=MBT, depth=2, max_nodes=40), MapRequest(focus=MBT, depth=1, types=("Theorist",)),
                    MapRequest(types=("Theory",), relations=("derivedFrom",))):
        part = select_neighbourhood(graph, request.focus, request.depth, request.types, request.relations,
                                    max_nodes=request.max_nodes)
        graph_map = build_map(graph, request)
        assert [n["id"] for n in graph_map.nodes] == list(part.graph.nodes)
        assert len(graph_map.edges) == part.graph.number_of_edges()
        assert graph_map.truncated == part.truncated
    assert build_map(graph, MapRequest(focus=MBT, depth=2, max_nodes=40)).truncated
