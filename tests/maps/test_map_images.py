"""Static maps: SVG drawn in Python from the map's positions, PNG and a one-page PDF handout through Chromium."""

from __future__ import annotations

import itertools
import os
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.sinks.map_images import TICK_GAP, render_pdf, render_png, render_svg
from graph.sinks.maps import MapRequest, StoryStep, build_map
from graph.views.kg import KnowledgeGraph
from tests.conftest import SEED_CONTENT

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_svg_is_the_same_layout_with_every_label(seed_kg: KnowledgeGraph) -> None:
    story = (StoryStep(seed_kg.resolve("John Bowlby"), "It starts here"), StoryStep(seed_kg.resolve("DDP")))
    graph_map = build_map(seed_kg.nx, MapRequest(title="Attachment", story=story))
    drawing = render_svg(graph_map)
    root = ET.fromstring(drawing.svg)
    entities = {g.get("data-id"): g for g in root.iter(f"{SVG}g") if g.get("class") == "entity"}
    assert set(entities) == {n["id"] for n in graph_map.nodes}
    for node in graph_map.nodes:  # each label drawn at its entity's x, as the page places it
        label = entities[node["id"]].find(f"{SVG}text")
        assert label is not None and label.text == node["label"] and float(label.get("x", "")) == node["x"]
    assert "Attachment" in texts(drawing.svg)
    badges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "step"]
    assert [g.find(f"{SVG}text").text for g in badges] == ["1", "2"]  # type: ignore[union-attr]
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "year-axis")
    xs = [float(t.get("x", "")) for t in axis.iter(f"{SVG}text")]
    assert len(xs) >= 2 and all(b - a >= TICK_GAP for a, b in itertools.pairwise(xs))


def test_svg_keeps_hostile_text_as_text(hostile_kg: KnowledgeGraph) -> None:
    drawing = render_svg(build_map(hostile_kg.nx, MapRequest(title="Map <script>alert(1)</script>")))
    root = ET.fromstring(drawing.svg)
    assert "Hostile <img src=x onerror=alert(1)> Therapy" in texts(drawing.svg)
    assert "Map <script>alert(1)</script>" in texts(drawing.svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("img", "script", "foreignObject")]


@pytest.mark.browser
def test_png_and_pdf_are_real_files(seed_kg: KnowledgeGraph) -> None:
    story = (StoryStep(seed_kg.resolve("John Bowlby"), "It starts here"), StoryStep(seed_kg.resolve("DDP")))
    graph_map = build_map(seed_kg.nx, MapRequest(story=story))
    drawing = render_svg(graph_map)
    png = render_png(drawing)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert (width, height) == (round(drawing.width), round(drawing.height))
    pdf = render_pdf(graph_map)
    assert pdf[:5] == b"%PDF-" and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one page: the handout


@pytest.mark.browser
def test_cli_formats_from_option_or_suffix_with_umask_permissions(tmp_path: Path) -> None:
    store = tmp_path / "store"
    old = os.umask(0o022)
    try:
        for name, args, magic in (("map.svg", [], b"<svg"), ("map.png", [], b"\x89PNG"),
                                  ("handout.out", ["--format", "pdf"], b"%PDF-")):
            out = tmp_path / name
            result = CliRunner().invoke(main, ["--store", str(store), "--content", str(SEED_CONTENT), "map",
                                               "--story", "Bowlby, DDP", "--out", str(out), *args])
            assert result.exit_code == 0, result.output
            assert out.read_bytes().startswith(magic), name
            assert out.stat().st_mode & 0o777 == 0o644, name
    finally:
        os.umask(old)
