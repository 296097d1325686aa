"""Map generation without a browser: selection, layouts, styling, determinism, offline and escaped HTML."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import graph.sinks.maps
from graph.sinks.maps import (
    CLASS_STYLES,
    LABEL_FONT_SIZE,
    MapError,
    MapRequest,
    StoryStep,
    build_map,
    force_positions,
    generate_map_html,
    legend_entries,
    lineage_positions,
    node_tooltip,
    parse_class_names,
    parse_relation_names,
    placement_years,
    pyvis_network_from_nx,
    radial_positions,
    render_map_html,
    script_safe_json,
    styled_view,
    write_map,
)
from graph.views.kg import KnowledgeGraph
from graph.views.neighbourhood import select_neighbourhood

PAYLOAD = "<img src=x onerror=alert(1)>"


def map_data(html: str) -> dict:
    """The JSON the page feeds to vis.js."""
    return json.loads(HTMLParser(html).css_first("script#map-data").text())


def test_whole_map_holds_every_entity_and_fact(seed_kg: KnowledgeGraph) -> None:
    graph_map = build_map(seed_kg.nx, MapRequest())
    assert {n["id"] for n in graph_map.nodes} == set(seed_kg.nx.nodes)
    assert len(graph_map.edges) == seed_kg.nx.number_of_edges()
    assert {(e["from"], e["to"], e["relation"]) for e in graph_map.edges} == set(seed_kg.nx.edges(keys=True))


def test_focus_and_depth_keep_the_neighbourhood(seed_kg: KnowledgeGraph) -> None:
    graph = seed_kg.nx
    bowlby = seed_kg.resolve("John Bowlby")
    neighbours = set(graph.successors(bowlby)) | set(graph.predecessors(bowlby))
    one_step = select_neighbourhood(graph, bowlby, depth=1).graph
    assert set(one_step.nodes) == neighbours | {bowlby}
    two_steps = select_neighbourhood(graph, bowlby, depth=2).graph
    second = {m for n in neighbours for m in (*graph.successors(n), *graph.predecessors(n))}
    assert set(two_steps.nodes) == neighbours | second | {bowlby}


def test_type_and_relation_filters(seed_kg: KnowledgeGraph) -> None:
    chosen = select_neighbourhood(seed_kg.nx, types=("Modality", "Theorist"), relations=("developedBy",)).graph
    assert {d["type"] for _, d in chosen.nodes(data=True)} == {"Modality", "Theorist"}
    assert {k for _, _, k in chosen.edges(keys=True)} == {"developedBy"}
    wanted = {n for n, d in seed_kg.nx.nodes(data=True) if d["type"] in ("Modality", "Theorist")}
    expected = {(u, v) for u, v, k in seed_kg.nx.edges(keys=True) if k == "developedBy" and {u, v} <= wanted}
    assert set(chosen.edges()) == expected


def test_story_entities_survive_filters(seed_kg: KnowledgeGraph) -> None:
    theory = seed_kg.resolve("attachment theory")
    chosen = select_neighbourhood(seed_kg.nx, types=("Theorist",), keep=[theory]).graph
    assert theory in chosen
    assert all(d["type"] == "Theorist" for n, d in chosen.nodes(data=True) if n != theory)


def test_user_names_for_classes_and_relations() -> None:
    assert parse_class_names(["modality,Theorists", "phase"]) == ("Modality", "Theorist", "TreatmentPhase")
    assert parse_relation_names(["subtypeof", "derivedFrom,subtypeOf"]) == ("subtypeOf", "derivedFrom")
    with pytest.raises(MapError, match="unknown class 'Therapists'.*Modality"):
        parse_class_names(["Therapists"])
    with pytest.raises(MapError, match="unknown relation 'inventedBy'.*developedBy"):
        parse_relation_names(["inventedBy"])


def test_bad_requests_are_refused(seed_kg: KnowledgeGraph) -> None:
    with pytest.raises(MapError, match="layout 'spiral'"):
        build_map(seed_kg.nx, MapRequest(layout="spiral"))
    with pytest.raises(MapError, match="modality/nothing"):
        build_map(seed_kg.nx, MapRequest(focus="modality/nothing"))


def test_lineage_layout_reads_left_to_right_in_time(seed_kg: KnowledgeGraph) -> None:
    graph = seed_kg.nx
    positions, guides = lineage_positions(graph)
    ids = [seed_kg.resolve(n) for n in ("John Bowlby", "Mary Ainsworth", "attachment theory", "DDP")]
    xs = [positions[i][0] for i in ids]
    assert xs == sorted(xs) and len(set(xs)) == 4  # 1907+30, 1913+30, the 1950s, the 1990s
    assert {n: positions[n] for n in graph} == positions  # every node placed
    years = [tick["year"] for tick in guides["ticks"]]
    assert years == sorted(years) and years[0] <= 1937 and years[-1] >= 1995
    # Bowlby, Ainsworth and attachment theory share the attachment family band with its modalities.
    band_of = {n: next(b["title"] for b in guides["bands"] if b["top"] <= positions[n][1] <= b["bottom"])
               for n in ids}
    assert set(band_of.values()) == {"Attachment Theory family"}


def test_lineage_lanes_keep_labels_apart(seed_kg: KnowledgeGraph) -> None:
    positions, _ = lineage_positions(seed_kg.nx)
    by_row: dict[float, list[tuple[float, str]]] = {}
    for node, (x, y) in positions.items():
        by_row.setdefault(y, []).append((x, seed_kg.nx.nodes[node]["label"]))
    for row in by_row.values():
        row.sort()
        for (x1, a), (x2, b) in zip(row, row[1:], strict=False):
            assert x2 - x1 >= 0.6 * LABEL_FONT_SIZE * (len(a) + len(b)) / 2 - 1, (a, b)


def test_placement_years_use_recorded_years_first(seed_kg: KnowledgeGraph) -> None:
    years = placement_years(seed_kg.nx)
    assert years[seed_kg.resolve("DDP")] == 1995  # "1990s": the middle of the decade
    assert years[seed_kg.resolve("John Bowlby")] == 1907 + 30


def test_layouts_are_deterministic_and_complete(seed_kg: KnowledgeGraph) -> None:
    graph = seed_kg.nx
    for compute in (lambda: force_positions(graph), lambda: radial_positions(graph, None),
                    lambda: lineage_positions(graph)[0]):
        first, second = compute(), compute()
        assert first == second
        assert set(first) == set(graph.nodes)
        assert len(set(first.values())) == len(first)  # no two entities on the same spot


def test_radial_layout_puts_focus_in_the_middle(seed_kg: KnowledgeGraph) -> None:
    theory = seed_kg.resolve("attachment theory")
    positions = radial_positions(seed_kg.nx, theory)
    assert positions[theory] == (0, 0)
    radius = {n: round((x * x + y * y) ** 0.5) for n, (x, y) in positions.items()}
    neighbours = {*seed_kg.nx.successors(theory), *seed_kg.nx.predecessors(theory)}
    first_ring = min(r for r in radius.values() if r > 0)
    assert {n for n, r in radius.items() if r == first_ring} == neighbours
    assert all(radius[n] > first_ring for n in seed_kg.nx if n not in neighbours | {theory})


def test_same_request_same_page(seed_kg: KnowledgeGraph) -> None:
    request = MapRequest(layout="force", story=(StoryStep(seed_kg.resolve("Mary Ainsworth")),))
    assert generate_map_html(seed_kg.nx, request) == generate_map_html(seed_kg.nx, request)


def test_styles_by_class_and_relation(seed_kg: KnowledgeGraph) -> None:
    data = map_data(generate_map_html(seed_kg.nx, MapRequest()))
    groups = data["options"]["groups"]
    assert {n["group"] for n in data["nodes"]} <= set(groups)
    for name, style in CLASS_STYLES.items():
        assert groups[name]["shape"] == style["shape"] and groups[name]["color"]["background"] == style["color"]
        assert groups[name]["font"]["size"] >= 18  # readable on a projector
    assert len({g["shape"] for g in groups.values()}) == len(groups)  # every class its own shape
    relations = {r["name"]: r for r in data["legend"]["relations"]}
    assert relations["subtypeOf"]["dashes"] is False and relations["groundedIn"]["dashes"] != False  # noqa: E712
    assert relations["collaboratedWith"]["arrows"] == "" and relations["developedBy"]["arrows"] == "to"
    legend_classes = {c["name"]: c["count"] for c in data["legend"]["classes"]}
    theorists = sum(1 for _, d in seed_kg.nx.nodes(data=True) if d["type"] == "Theorist")
    assert legend_classes["Theorist"] == theorists
    assert data["options"]["physics"] == {"enabled": False}


def test_tooltips_are_plain_text_with_years_developers_and_source(seed_kg: KnowledgeGraph) -> None:
    ddp = seed_kg.resolve("DDP")
    text = node_tooltip(seed_kg.nx, ddp)
    assert text.splitlines()[0] == "Dyadic Developmental Psychotherapy (Modality)"
    assert "Introduced: 1990s" in text and "Developed by: Daniel Hughes" in text
    assert "Also called: DDP" in text
    assert "Source: " + ", ".join(seed_kg.entity(ddp)["sources"]) in text.splitlines()


def test_page_is_self_contained(seed_kg: KnowledgeGraph) -> None:
    html = generate_map_html(seed_kg.nx, MapRequest())
    tree = HTMLParser(html)
    assert not tree.css("link"), "no stylesheet links"
    assert all("src" not in tag.attributes for tag in tree.css("script, img, iframe, audio, video, source"))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in html  # none of the CDNs pyvis' own template loads from
    policy = tree.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    for script in tree.css("script"):
        if script.attributes.get("type") == "application/json":
            continue
        digest = base64.b64encode(hashlib.sha256(script.text().encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy  # every script we ship is allowed by hash, nothing else is


def test_hostile_text_is_never_markup(hostile_kg: KnowledgeGraph) -> None:
    html = generate_map_html(hostile_kg.nx, MapRequest(title=f"Title {PAYLOAD}"))
    assert PAYLOAD not in html and "<script>alert" not in html and "alert(3)</script>" not in html
    tree = HTMLParser(html)
    assert not tree.css("img") and not tree.css("b")
    assert tree.css_first("title").text() == f"Title {PAYLOAD}"  # escaped, so it reads back as text
    assert len(tree.css("script")) == 3  # data, vis-network, ours: the description opened none
    data = map_data(html)
    hostile = next(n for n in data["nodes"] if n["id"] == "modality/hostile-therapy")
    assert hostile["label"] == "Hostile <img src=x onerror=alert(1)> Therapy"
    assert hostile["aliases"] == ["<img src=x onerror=alert(2)>"]
    assert "</script><script>alert(3)</script>" in hostile["title"]


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- x", "a\u2028b\u2029c", "&amp;"])
def test_script_safe_json_round_trips(text: str) -> None:
    encoded = script_safe_json({"value": text})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == {"value": text}


def test_pyvis_network_holds_the_styled_view(seed_kg: KnowledgeGraph) -> None:
    positions, _ = lineage_positions(seed_kg.nx)
    network = pyvis_network_from_nx(styled_view(seed_kg.nx, positions), heading="Seed")
    nodes, edges, heading, *_ = network.get_network_data()
    assert network.num_nodes() == seed_kg.nx.number_of_nodes() and network.num_edges() == len(edges)
    assert len(edges) == seed_kg.nx.number_of_edges() and heading == "Seed"
    bowlby = network.get_node(seed_kg.resolve("John Bowlby"))
    assert (bowlby["x"], bowlby["y"]) == positions[seed_kg.resolve("John Bowlby")]
    assert {(e["from"], e["to"], e["relation"]) for e in edges} == set(seed_kg.nx.edges(keys=True))


def test_write_map_replaces_atomically(tmp_path: Path, seed_kg: KnowledgeGraph) -> None:
    target = tmp_path / "maps" / "seed.html"
    html = render_map_html(build_map(seed_kg.nx, MapRequest()))
    write_map(target, "old")
    write_map(target, html)
    assert target.read_text(encoding="utf-8") == html
    assert [p.name for p in target.parent.iterdir()] == ["seed.html"]  # no temporary files left behind


def test_crowded_maps_open_with_descriptive_relations_hidden(seed_kg: KnowledgeGraph,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown = lambda legend: {r["name"]: r["shown"] for r in legend["relations"]}  # noqa: E731
    assert all(shown(legend_entries(seed_kg.nx)).values())
    monkeypatch.setattr(graph.sinks.maps, "CROWDED_MAP_EDGES", seed_kg.nx.number_of_edges() - 1)
    crowded = shown(legend_entries(seed_kg.nx))
    assert crowded["developedBy"] and crowded["subtypeOf"]
    assert not crowded["usesTechnique"] and not crowded["servesPopulation"]
    assert shown(legend_entries(seed_kg.nx, ["usesTechnique"]))["usesTechnique"]  # asked for by name
