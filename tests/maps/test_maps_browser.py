"""Maps in a real headless Chromium: drawn completely, offline, silent, safe, still, and presentable."""

from __future__ import annotations

import pytest

from graph.sinks.maps import MapRequest, StoryStep, build_map, generate_map_html, render_map_html
from graph.views.kg import KnowledgeGraph

pytestmark = [pytest.mark.browser]


# True when an entity's shape and label lie inside the map area, clear of the story caption panel when shown.
IN_VIEW = """(id) => { const b = network.getBoundingBox(id); const a = network.canvasToDOM({x: b.left, y: b.top});
    const z = network.canvasToDOM({x: b.right, y: b.bottom}); const r = document.getElementById('map')
    .getBoundingClientRect(); const inside = a.x >= 0 && a.y >= 0 && z.x <= r.width && z.y <= r.height;
    const panel = document.getElementById('story'); if (!inside || panel.hidden) return inside;
    const p = panel.getBoundingClientRect(); const under = !(a.x + r.left > p.right || z.x + r.left < p.left
    || a.y + r.top > p.bottom || z.y + r.top < p.top); return !under; }"""


def test_whole_map_draws_every_node_offline_and_quietly(seed_kg: KnowledgeGraph, open_map) -> None:
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest()))
    page = opened.page
    assert page.evaluate("window.tkgMap.nodes.length") == seed_kg.nx.number_of_nodes()
    assert page.evaluate("window.network.body.data.nodes.length") == seed_kg.nx.number_of_nodes()
    assert page.evaluate("window.tkgMap.edges.length") == seed_kg.nx.number_of_edges()
    assert page.evaluate("Object.keys(window.network.getPositions()).length") == seed_kg.nx.number_of_nodes()
    assert opened.requests == [opened.url], "the page asked for something outside itself"
    assert opened.problems == []


def test_edge_tooltips_state_the_fact_and_its_source(seed_kg: KnowledgeGraph, open_map) -> None:
    ddp, hughes = seed_kg.resolve("DDP"), seed_kg.resolve("Daniel Hughes")
    page = open_map(generate_map_html(seed_kg.nx, MapRequest())).page
    title = page.evaluate("""([a, b]) => tkgMap.edges.get({filter: (e) => e.from === a && e.to === b
        && e.relation === 'developedBy'})[0].title""", [ddp, hughes])
    sources = ", ".join(seed_kg.nx.edges[ddp, hughes, "developedBy"]["sources"])
    assert title.splitlines() == ["Dyadic Developmental Psychotherapy was developed by Daniel Hughes",
                                  f"Source: {sources}"]


def test_positions_are_those_computed_in_python_and_hold_still(seed_kg: KnowledgeGraph, open_map) -> None:
    graph_map = build_map(seed_kg.nx, MapRequest(layout="lineage"))
    opened = open_map(render_map_html(graph_map))
    first = opened.page.evaluate("window.network.getPositions()")
    opened.page.wait_for_timeout(700)
    later = opened.page.evaluate("window.network.getPositions()")
    assert first == later
    expected = {n["id"]: (n["x"], n["y"]) for n in graph_map.nodes}
    assert {k: (v["x"], v["y"]) for k, v in later.items()} == expected
    assert opened.page.evaluate("window.network.physics.physicsEnabled") is False


def test_hostile_text_stays_text_in_map_tooltip_details_and_search(hostile_kg: KnowledgeGraph, open_map) -> None:
    payload = "<img src=x onerror=alert(1)>"
    opened = open_map(generate_map_html(hostile_kg.nx, MapRequest(title=f"Map {payload}")))
    page = opened.page
    assert page.title() == f"Map {payload}"
    assert page.inner_text("#map-title") == f"Map {payload}"
    # hover the hostile node: vis.js shows its tooltip
    where = page.evaluate("""() => { const p = network.getPositions(['modality/hostile-therapy'])
        ['modality/hostile-therapy']; const d = network.canvasToDOM(p);
        const r = document.getElementById('map').getBoundingClientRect(); return [d.x + r.left, d.y + r.top]; }""")
    page.mouse.move(where[0], where[1])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tooltip = page.eval_on_selector("div.vis-tooltip",  # innerText turns line breaks into <br>, nothing else
                                    "el => [el.innerText, el.querySelectorAll(':not(br)').length]")
    assert tooltip[0].startswith("Hostile <img src=x onerror=alert(1)> Therapy (Modality)")
    assert "</script><script>alert(3)</script>" in tooltip[0] and tooltip[1] == 0
    # click it: the details panel shows the same text as text
    page.mouse.click(where[0], where[1])
    assert page.inner_text("#details-text").startswith("Hostile <img src=x onerror=alert(1)> Therapy")
    assert page.evaluate("document.body.dataset.highlight") == "modality/hostile-therapy"
    # search by the alias, which is itself markup
    page.fill("#search", "onerror=alert(2)")
    assert page.inner_text("#search-results button") == "Hostile <img src=x onerror=alert(1)> Therapy"
    assert page.evaluate("document.querySelectorAll('img, b, #details-text *, #search-results b').length") == 0
    edge_title = page.evaluate("tkgMap.edges.get({filter: (e) => e.relation === 'developedBy'})[0].title")
    assert edge_title.startswith("Hostile <img src=x onerror=alert(1)> Therapy was developed by Ada Test")
    assert page.evaluate("window.__ran") == []  # no injected alert() ever ran
    assert opened.problems == [] and opened.requests == [opened.url]


def test_search_filter_and_neighbourhood_highlight(seed_kg: KnowledgeGraph, open_map) -> None:
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest()))
    page = opened.page
    page.fill("#search", "ddp")
    page.click("#search-results button")
    ddp = seed_kg.resolve("DDP")
    assert page.evaluate("document.body.dataset.focus") == ddp
    assert page.evaluate("network.getSelectedNodes()") == [ddp]
    neighbours = {*seed_kg.nx.successors(ddp), *seed_kg.nx.predecessors(ddp)}
    dimmed = page.evaluate("tkgMap.nodes.get().filter(n => n.color.background.startsWith('rgba')).length")
    assert dimmed == seed_kg.nx.number_of_nodes() - 1 - len(neighbours)
    theorists = sum(1 for _, d in seed_kg.nx.nodes(data=True) if d["type"] == "Theorist")
    page.get_by_label("Theorists").uncheck()
    assert page.evaluate("tkgMap.nodeView.length") == seed_kg.nx.number_of_nodes() - theorists
    assert page.evaluate("network.body.nodeIndices.length") == seed_kg.nx.number_of_nodes() - theorists
    page.get_by_label("Theorists").check()
    developed = sum(1 for *_, k in seed_kg.nx.edges(keys=True) if k == "developedBy")
    page.get_by_label("was developed by").uncheck()
    assert page.evaluate("tkgMap.edgeView.length") == seed_kg.nx.number_of_edges() - developed
    assert opened.problems == []


def test_story_steps_move_the_focus(seed_kg: KnowledgeGraph, open_map) -> None:
    names = ["John Bowlby", "Mary Ainsworth", "attachment theory", "DDP"]
    story = tuple(StoryStep(seed_kg.resolve(n)) for n in names)
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest(story=story)))
    page = opened.page
    assert page.is_visible("#present") and not page.is_visible("#story")

    def settle() -> None:
        page.wait_for_function("() => !document.body.dataset.moving", timeout=5000)  # vis.js: animationFinished

    def in_view(entity_id: str) -> bool:  # shape and label inside the map, clear of the caption panel
        return page.evaluate(IN_VIEW, entity_id)

    for step, expected in enumerate(story, start=1):
        page.keyboard.press("ArrowRight" if step % 2 else "PageDown")
        settle()
        assert page.evaluate("tkgMap.step") == step
        assert page.evaluate("network.getSelectedNodes()") == [expected.id]
        assert in_view(expected.id)
        assert page.inner_text("#story-title") == seed_kg.entity(expected.id)["label"]
        assert page.inner_text("#story-count") == f"Step {step} of {len(story)}"
    page.keyboard.press("ArrowRight")  # past the end: stays on the last stop
    settle()
    assert page.evaluate("tkgMap.step") == len(story)
    page.keyboard.press("ArrowLeft")
    settle()
    assert page.evaluate("network.getSelectedNodes()") == [story[-2].id]
    assert in_view(story[-2].id)
    assert page.evaluate(f"therapyMap.focus({story[0].id!r})") is True
    settle()
    assert in_view(story[0].id) and page.evaluate("therapyMap.focused") == story[0].id
    assert page.evaluate("network.getSelectedNodes()") == [story[0].id]
    page.keyboard.press("Escape")
    settle()
    assert page.evaluate("tkgMap.step") == 0 and not page.is_visible("#story")
    assert opened.problems == [] and opened.requests == [opened.url]


def test_crowded_map_opens_with_descriptive_relations_unticked(seed_kg: KnowledgeGraph, open_map,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.sinks.maps

    monkeypatch.setattr(graph.sinks.maps, "CROWDED_MAP_EDGES", seed_kg.nx.number_of_edges() - 1)
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest()))
    page = opened.page
    lineage = sum(1 for *_, k in seed_kg.nx.edges(keys=True) if k not in graph.sinks.maps.DESCRIPTIVE_RELATIONS)
    assert page.evaluate("tkgMap.edgeView.length") == lineage
    assert not page.get_by_label("uses").is_checked() and page.get_by_label("was developed by").is_checked()
    page.get_by_label("uses").check()
    techniques = sum(1 for *_, k in seed_kg.nx.edges(keys=True) if k == "usesTechnique")
    assert page.evaluate("tkgMap.edgeView.length") == lineage + techniques
    assert opened.problems == []


def test_a_step_shows_only_its_relations_and_classes(seed_kg: KnowledgeGraph, open_map) -> None:
    ddp, bowlby = seed_kg.resolve("DDP"), seed_kg.resolve("John Bowlby")
    story = (StoryStep(ddp, relations=("developedBy",)), StoryStep(bowlby, types=("Theory",)))
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest(story=story)))
    page = opened.page
    developed = sum(1 for *_, k in seed_kg.nx.edges(keys=True) if k == "developedBy")
    theories = sum(1 for _, d in seed_kg.nx.nodes(data=True) if d["type"] == "Theory")
    page.evaluate("therapyMap.step(1)")
    assert page.evaluate("tkgMap.edgeView.length") == developed
    assert page.evaluate("tkgMap.nodeView.length") == seed_kg.nx.number_of_nodes()
    page.evaluate("therapyMap.step(2)")  # theories only, and the step's own entity
    assert page.evaluate("tkgMap.edgeView.length") == seed_kg.nx.number_of_edges()
    assert page.evaluate("tkgMap.nodeView.getIds().sort()") == sorted(
        [bowlby, *(n for n, d in seed_kg.nx.nodes(data=True) if d["type"] == "Theory")])
    assert theories >= 1
    page.evaluate("therapyMap.step(0)")
    assert page.evaluate("tkgMap.nodeView.length") == seed_kg.nx.number_of_nodes()
    assert opened.problems == []


def test_presenter_view_follows_the_audience_view_both_ways(seed_kg: KnowledgeGraph, open_map) -> None:
    ddp, bowlby, ainsworth = seed_kg.resolve("DDP"), seed_kg.resolve("John Bowlby"), seed_kg.resolve("Mary Ainsworth")
    story = (StoryStep(bowlby, "It starts here", notes="Ask the room <b>first</b>"),
             StoryStep(ainsworth, "The Strange Situation"), StoryStep(ddp))
    opened = open_map(generate_map_html(seed_kg.nx, MapRequest(story=story)))
    page = opened.page
    with page.expect_popup() as popup_info:
        page.keyboard.press("P")
    presenter = popup_info.value
    assert presenter.inner_text("#p-count") == "Whole map (3 steps)"
    assert presenter.inner_text("#p-next-title") == "Next: John Bowlby"
    page.keyboard.press("PageDown")  # the clicker on the audience window
    assert presenter.inner_text("#p-count") == "Step 1 of 3"
    assert presenter.inner_text("#p-title") == "John Bowlby"
    assert presenter.inner_text("#p-notes") == "Ask the room <b>first</b>"  # text, never markup
    assert presenter.evaluate("document.querySelectorAll('b, script').length") == 0
    assert presenter.inner_text("#p-next-title") == "Next: Mary Ainsworth"
    assert presenter.inner_text("#p-next-caption") == "The Strange Situation"
    presenter.keyboard.press("PageDown")  # the clicker on the presenter window moves the audience view
    assert page.evaluate("therapyMap.currentStep") == 2
    assert page.inner_text("#story-title") == "Mary Ainsworth"
    assert presenter.inner_text("#p-notes") == "(no notes for this step)"
    presenter.keyboard.press("PageUp")
    assert page.evaluate("therapyMap.currentStep") == 1 and presenter.inner_text("#p-title") == "John Bowlby"
    presenter.keyboard.press("b")  # black screen from the presenter's keyboard
    assert page.is_visible("#blackout") and presenter.is_visible("#p-black")
    page.keyboard.press("B")
    assert not page.is_visible("#blackout") and not presenter.is_visible("#p-black")
    presenter.wait_for_function("() => Number(document.body.dataset.elapsed) >= 1", timeout=5000)
    assert presenter.inner_text("#p-clock").startswith("Elapsed 0:0")
    assert opened.problems == [] and opened.requests == [opened.url]
