"""Maps on a projector (Chromium at 1920x1080): readable labels from the first frame, a label-size control."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.sinks.maps import MapRequest, StoryStep, build_map, render_map_html, write_map
from graph.views.kg import KnowledgeGraph

pytestmark = [pytest.mark.browser]

PROJECTOR = {"width": 1920, "height": 1080}
READABLE_PX = 14  # the least label height (CSS px) a room reads from the back, as issue 15 asks


@pytest.fixture
def projector(browser: object, tmp_path: Path) -> Iterator:
    """Open a map's HTML at 1920x1080; yields an opener returning the page and its problems (console, errors)."""
    contexts: list[object] = []

    def opener(html: str) -> tuple[object, list[str]]:
        path = tmp_path / f"map-{len(contexts)}.html"
        write_map(path, html)
        context = browser.new_context(viewport=PROJECTOR)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=15000)
        return page, problems

    yield opener
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


def test_three_map_kinds_open_readable_on_a_projector(kg: KnowledgeGraph, projector) -> None:
    attachment, mbt = kg.resolve("attachment theory"), kg.resolve("MBT")
    kinds = {
        "lineage": MapRequest(focus=attachment, depth=2, types=("Modality", "Theory", "Theorist")),
        "neighbourhood": MapRequest(focus=mbt, depth=1, layout="radial"),
        "whole graph": MapRequest(),
    }
    for kind, request in kinds.items():
        graph_map = build_map(kg.nx, request)
        page, problems = projector(render_map_html(graph_map))
        pixels = page.evaluate("therapyMap.labelPixels()")
        assert pixels >= READABLE_PX, f"{kind}: labels open {pixels} px tall"
        if request.focus:  # the focus is on screen, with its label
            assert page.evaluate("""(id) => { const p = network.canvasToDOM(network.getPosition(id));
                const r = document.getElementById('map').getBoundingClientRect();
                return p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height; }""", request.focus), kind
        else:  # the densest family: the opening view shows many of its entities, not an empty stretch
            shown = page.evaluate("""() => { const r = document.getElementById('map').getBoundingClientRect();
                return Object.values(network.getPositions()).map((p) => network.canvasToDOM(p))
                .filter((p) => p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height).length; }""")
            assert shown >= 20, f"whole graph opens on {shown} entities"
        assert problems == [], kind
    page.evaluate("therapyMap.whole()")  # the whole-map button still shows everything, smaller
    page.wait_for_function("() => !document.body.dataset.moving", timeout=20000)  # vis.js animates by frames
    assert page.evaluate("therapyMap.labelPixels()") < pixels


def test_plus_and_minus_change_the_label_size(kg: KnowledgeGraph, projector) -> None:
    page, problems = projector(render_map_html(build_map(kg.nx, MapRequest(focus=kg.resolve("MBT"), depth=1))))
    before = page.evaluate("therapyMap.labelPixels()")
    page.keyboard.press("+")
    assert page.evaluate("therapyMap.labelPixels()") == pytest.approx(before * 1.2, abs=0.2)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert page.evaluate("therapyMap.labelPixels()") == pytest.approx(before / 1.2, abs=0.2)
    assert page.evaluate("therapyMap.labelSize()") == pytest.approx(1 / 1.2)
    assert problems == []


# True when an entity's shape and label lie inside the map area and clear of the story caption panel.
IN_VIEW = """(id) => { const b = network.getBoundingBox(id); const a = network.canvasToDOM({x: b.left, y: b.top});
    const z = network.canvasToDOM({x: b.right, y: b.bottom}); const r = document.getElementById('map')
    .getBoundingClientRect(); const inside = a.x >= 0 && a.y >= 0 && z.x <= r.width && z.y <= r.height;
    const p = document.getElementById('story').getBoundingClientRect(); const under = !(a.x + r.left > p.right
    || z.x + r.left < p.left || a.y + r.top > p.bottom || z.y + r.top < p.top); return inside && !under; }"""


def test_story_steps_fit_what_they_are_about(kg: KnowledgeGraph, projector) -> None:
    attachment, mbt, bowlby = kg.resolve("attachment theory"), kg.resolve("MBT"), kg.resolve("John Bowlby")
    parents = sorted(v for _, v, key in kg.nx.out_edges(mbt, keys=True) if key in ("subtypeOf", "derivedFrom"))
    caption = ("Mentalization-based treatment grew from attachment theory, within attachment-focused "
               "psychotherapy and psychodynamic psychotherapy")
    story = (StoryStep(bowlby), StoryStep(mbt, caption))
    graph_map = build_map(kg.nx, MapRequest(focus=attachment, depth=2, types=("Modality", "Theory", "Theorist"),
                                            story=story))
    assert graph_map.story[1]["shows"] == [attachment, *parents]  # the caption's names, in order of mention
    page, problems = projector(render_map_html(graph_map))
    for step, expected in ((1, [bowlby]), (2, [mbt, attachment, *parents])):
        page.evaluate(f"therapyMap.step({step})")
        page.wait_for_function("() => !document.body.dataset.moving", timeout=20000)
        for entity in expected:
            assert page.evaluate(IN_VIEW, entity), f"step {step}: {entity} is cut off or under the caption"
        ticks = page.evaluate("therapyMap.yearTicks()")  # the year axis stays in sight, labels apart
        assert len(ticks) >= 2, f"step {step}: no year axis in view"
        gaps = [b["x"] - a["x"] for a, b in itertools.pairwise(ticks)]
        assert min(gaps) >= 80 and [t["year"] for t in ticks] == sorted(t["year"] for t in ticks)
    assert problems == []


def test_year_ticks_never_overlap_at_any_zoom(kg: KnowledgeGraph, projector) -> None:
    graph_map = build_map(kg.nx, MapRequest(focus=kg.resolve("MBT"), depth=1, layout="lineage"))
    page, problems = projector(render_map_html(graph_map))
    for scale in (0.05, 0.2, 0.6, 1.5, 4.0):
        page.evaluate(f"network.moveTo({{scale: {scale}}})")
        ticks = page.evaluate("therapyMap.yearTicks()")
        assert ticks, f"no year labels at scale {scale}"
        gaps = [b["x"] - a["x"] for a, b in itertools.pairwise(ticks)]
        assert not gaps or min(gaps) >= 80, f"year labels {min(gaps):.0f} px apart at scale {scale}"
    assert problems == []
