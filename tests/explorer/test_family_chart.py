"""The lineage page's family-tree drawing: layout, readable sizes, escaping, and the SVG and PNG files."""

from __future__ import annotations

import io
import re

import networkx as nx
from PIL import Image

from explorer.family_chart import BOX_WIDTH, LABEL_PX, NOTE_PX, chart_png, chart_svg, family_chart
from graph.views.kg import KnowledgeGraph

ATTACHMENT = "theory/attachment-theory"


def test_attachment_theory_fits_a_1440_wide_screen_at_readable_sizes(kg: KnowledgeGraph) -> None:
    chart = family_chart(kg.nx, ATTACHMENT)
    assert chart.width <= 980  # the main column's width at 1440x900 with the sidebar open
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', chart_svg(chart))}
    assert sizes == {LABEL_PX, NOTE_PX} and min(sizes) >= 11
    by_id = {box.id: box for box in chart.boxes if box.kind != "more"}
    root, bowlby = by_id[ATTACHMENT], by_id["theorist/john-bowlby"]
    assert bowlby.x < root.x < by_id["modality/circle-of-security"].x  # origins left, offspring right
    assert bowlby.note == "developed Attachment Theory"
    assert by_id["modality/circle-of-security"].note == "is grounded in Attachment Theory"
    more = [box for box in chart.boxes if box.kind == "more"]
    assert [(box.id, box.hidden) for box in more] == [(ATTACHMENT, 10)] and chart.hidden == 11
    # no two boxes of a column overlap
    for column in {box.column for box in chart.boxes}:
        stacked = sorted((box.y, box.y + box.height) for box in chart.boxes if box.column == column)
        assert all(bottom <= top for (_, bottom), (top, _) in zip(stacked, stacked[1:], strict=False))


def test_show_all_draws_every_relative_once(kg: KnowledgeGraph) -> None:
    chart = family_chart(kg.nx, ATTACHMENT, max_children=None)
    assert chart.hidden == 0 and not [box for box in chart.boxes if box.kind == "more"]
    assert len(chart.boxes) == 1 + 4 + 19 and len(chart.lines) == 4 + 19


def test_hostile_labels_stay_text_and_long_words_are_cut_to_the_box() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("theory/x", label="<script>alert('x')</script> & co", type="Theory")
    graph.add_node("modality/y", label="Supercalifragilisticexpialidocioustherapyforeverybody", type="Modality")
    graph.add_edge("modality/y", "theory/x", key="groundedIn")
    svg = chart_svg(family_chart(graph, "theory/x"), lambda box: f"lineage?entity={box.id}&x=<1>")
    assert "<script>" not in svg and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in svg
    assert 'href="lineage?entity=modality/y&amp;x=&lt;1&gt;"' in svg
    long_word = [box for box in family_chart(graph, "theory/x").boxes if box.id == "modality/y"][0]
    assert len(long_word.label_lines) > 1 and long_word.label_lines[0].endswith("-")


def test_png_is_the_svg_drawing_at_twice_the_size(kg: KnowledgeGraph) -> None:
    chart = family_chart(kg.nx, ATTACHMENT)
    image = Image.open(io.BytesIO(chart_png(chart)))
    assert image.format == "PNG" and image.size == (round(chart.width * 2), round(chart.height * 2))
    root = next(box for box in chart.boxes if box.kind == "root")
    # the entity's box is filled with its dark blue in the middle of its left edge's padding
    assert image.getpixel((round((root.x + 3) * 2), round((root.y + root.height / 2) * 2))) == (11, 79, 138)
    assert image.size[0] > BOX_WIDTH * 2
