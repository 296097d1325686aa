"""Colour and size encodings and the decade time slider, on the attachment seed graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.sinks.maps import (
    OTHER_COLOUR,
    SIZE_RANGE,
    MapError,
    MapRequest,
    build_map,
    colour_encoding,
    generate_map_html,
    size_encoding,
)
from graph.views.kg import KnowledgeGraph


def test_colour_by_decade_follows_recorded_years(seed_kg: KnowledgeGraph) -> None:
    graph = seed_kg.nx
    colours, legend = colour_encoding(graph, "decade")
    attachment, ddp = seed_kg.resolve("attachment theory"), seed_kg.resolve("DDP")
    decade = graph.nodes[attachment]["introduced_year"] // 10 * 10
    entry = next(e for e in legend if e["name"] == f"{decade}s")
    assert colours[attachment] == entry["color"]
    names = [e["name"] for e in legend]
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "undated"
    assert sum(e["count"] for e in legend) == graph.number_of_nodes()
    assert graph.nodes[ddp]["introduced_year"] > graph.nodes[attachment]["introduced_year"]
    assert colours[ddp] != colours[attachment]
    undated = [n for n, d in graph.nodes(data=True) if d.get("introduced_year") is None
               and not (d["type"] == "Theorist" and d.get("birth_year"))]
    assert undated and all(colours[n] == OTHER_COLOUR for n in undated)
    assert colour_encoding(graph, "class") == ({}, [])


def test_colour_by_family_gives_the_attachment_family_one_colour(seed_kg: KnowledgeGraph) -> None:
    colours, legend = colour_encoding(seed_kg.nx, "family")
    ddp, attachment = seed_kg.resolve("DDP"), seed_kg.resolve("attachment theory")
    assert colours[ddp] == colours[attachment] != OTHER_COLOUR
    family = next(e for e in legend if e["color"] == colours[ddp])
    assert family["name"] == f"{seed_kg.entity(attachment)['label']} family"


def test_size_by_descendants_degree_and_betweenness(seed_kg: KnowledgeGraph) -> None:
    graph = seed_kg.nx
    factors, legend = size_encoding(graph, "descendants")
    attachment = seed_kg.resolve("attachment theory")
    assert factors[attachment] == SIZE_RANGE[1] and legend["largest"] == seed_kg.entity(attachment)["label"]
    assert min(factors.values()) == SIZE_RANGE[0]
    factors, legend = size_encoding(graph, "degree")
    hub = max(graph.nodes, key=lambda n: (graph.degree(n), n))
    assert factors[hub] == SIZE_RANGE[1] and legend["most"] == graph.degree(hub)
    factors, legend = size_encoding(graph, "betweenness")
    central = nx.betweenness_centrality(nx.Graph(graph))
    assert max(factors, key=lambda n: (factors[n], n)) == max(central, key=lambda n: (central[n], n))
    assert size_encoding(graph, "none") == ({}, {})


def test_encodings_reach_the_page_and_bad_ones_are_refused(seed_kg: KnowledgeGraph) -> None:
    graph_map = build_map(seed_kg.nx, MapRequest(colour_by="decade", size_by="degree"))
    assert graph_map.legend["colours"] and graph_map.legend["size"]["by"] == "degree"
    hub = max(seed_kg.nx.nodes, key=lambda n: (seed_kg.nx.degree(n), n))
    record = next(n for n in graph_map.nodes if n["id"] == hub)
    assert record["font"]["size"] == pytest.approx(20 * SIZE_RANGE[1])
    with pytest.raises(MapError, match="colour encoding 'mood'"):
        build_map(seed_kg.nx, MapRequest(colour_by="mood"))
    with pytest.raises(MapError, match="size encoding 'fame'"):
        build_map(seed_kg.nx, MapRequest(size_by="fame"))


@pytest.mark.browser
def test_time_slider_reveals_decade_by_decade_and_undated_last(seed_kg: KnowledgeGraph, open_map) -> None:
    graph_map = build_map(seed_kg.nx, MapRequest(layout="lineage"))
    dated = {n["id"]: n["yr"] for n in graph_map.nodes if "yr" in n}
    undated = [n for n in graph_map.nodes if "yr" not in n]
    assert undated and all(n["shapeProperties"] == {"borderDashes": [6, 4]} for n in undated)  # marked
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest(layout="lineage")))
    page = opened.page
    assert page.is_visible("#timeline")
    assert page.evaluate("therapyMap.reveal(1950)") == "1950"
    assert sorted(page.evaluate("tkgMap.nodeView.getIds()")) == sorted(n for n, y in dated.items() if y < 1960)
    assert page.inner_text("#timeline-label") == "Up to the 1950s"
    assert page.evaluate("therapyMap.reveal(null)") == "all"
    assert page.evaluate("tkgMap.nodeView.length") == len(graph_map.nodes)
    assert page.inner_text("#timeline-label") == f"All, with {len(undated)} undated (dashed)"
    page.click("#timeline-play")  # plays from the first decade
    first = min(y // 10 * 10 for y in dated.values())
    assert page.evaluate("document.body.dataset.revealed") == str(first)
    page.click("#timeline-play")  # pause
    assert opened.problems == []
