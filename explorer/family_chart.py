"""The lineage page's family tree as a drawing: a left-to-right layout that stays readable, as SVG and PNG."""

from __future__ import annotations

import html
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
from PIL import Image, ImageDraw, ImageFont

from graph.views.explore import INVERSE_PHRASES, label_of
from graph.views.lineage import RELATION_PHRASES, LineageStep, lineage_of

# Sizes in CSS pixels. Generations are columns (ancestors left of the entity, descendants right of it) and siblings
# stack downwards, so a generation of any size widens nothing: labels keep LABEL_PX however many siblings there are.
LABEL_PX = 13  # entity names; WCAG has no minimum, the lineage issue asks for >= 11 px at 1440x900
NOTE_PX = 11  # the relation sentence under each name
BOX_WIDTH = 164
COLUMN_GAP = 34
ROW_GAP = 8
PADDING = 7
MARGIN = 6
LINE_GAP = 3
MAX_LABEL_LINES = 4
MAX_NOTE_LINES = 2
FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"
# Colours: text contrast on its fill is >= 7:1 (WCAG AAA); lines and borders >= 3:1 on white (WCAG 1.4.11).
ROOT_FILL, ROOT_TEXT = "#0b4f8a", "#ffffff"
BOX_FILL, BOX_BORDER, BOX_TEXT, NOTE_TEXT = "#eef3f8", "#6d8aa8", "#1a1a1a", "#3d3d3d"
MORE_FILL = "#ffffff"
EDGE_COLOUR = "#767676"


@dataclass
class ChartBox:
    """One box of the drawing: an entity (or the ``+ n more`` of a collapsed sibling group) and where it sits."""

    id: str  # entity id; for a "more" box, the id of the parent whose other children it stands for
    label: str
    note: str  # the fact that links it to its neighbour nearer the entity, as a sentence ("is grounded in X")
    column: int  # 0 the entity, -n ancestors, +n descendants
    kind: str = "entity"  # "root", "entity" or "more"
    hidden: int = 0  # for a "more" box: how many siblings it stands for
    children: list[ChartBox] = field(default_factory=list)
    label_lines: list[str] = field(default_factory=list)
    note_lines: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0


@dataclass
class FamilyChart:
    """A laid-out family tree: boxes, the elbow lines joining them (``(x1, y1, x2, y2)`` from left box to right
    box), the drawing's size in CSS pixels and how many relatives collapsed groups leave out."""

    title: str
    boxes: list[ChartBox]
    lines: list[tuple[float, float, float, float]]
    width: float
    height: float
    hidden: int


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at ``size`` pixels: used to measure text for wrapping and to draw the PNG."""
    return ImageFont.load_default(size=size)


def _wrap(text: str, size: int, width: float, max_lines: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` px wide at ``size`` px, the last one ellipsised.

    Widths are measured with Pillow's bundled sans-serif font and kept 8% short of ``width``, because the browser
    draws the SVG with the reader's Helvetica/Arial, whose widths differ a little.
    """
    font = _font(size)
    room = width * 0.92
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
        while font.getlength(current) > room and len(current) > 1:  # one word longer than the box: cut it
            cut = len(current)
            while cut > 1 and font.getlength(current[:cut] + "-") > room:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > room:
            last = last[:-1].rstrip()
        lines = [*lines[:max_lines - 1], last + "…"]
    return lines


def _side(graph: nx.MultiDiGraph, root: ChartBox, direction: str, max_children: int | None,
          limit: int) -> tuple[int, int]:
    """Hang ``root``'s ancestors (``up``) or descendants (``down``) under it; returns (boxes added, relatives hidden).

    Each relative appears once, under the entity through which breadth-first search first reached it
    (:func:`graph.views.lineage.lineage_of`); beyond ``max_children`` siblings a group ends in one "more" box.
    """
    steps = lineage_of(graph, root.id, direction)
    children: dict[str, list[LineageStep]] = defaultdict(list)
    for step in steps:
        children[step.parent].append(step)
    sign = -1 if direction == "up" else 1
    added = 0
    pending = [root]
    while pending:
        box = pending.pop(0)
        group = children.get(box.id, [])
        shown = group if max_children is None or len(group) <= max_children else group[:max_children]
        for step in shown:
            if added >= limit:
                break
            parent_label = label_of(graph, step.parent)
            note = (f"{INVERSE_PHRASES.get(step.via, step.via)} {parent_label}" if direction == "up"
                    else f"{RELATION_PHRASES.get(step.via, step.via)} {parent_label}")
            child = ChartBox(step.id, label_of(graph, step.id), note, box.column + sign)
            box.children.append(child)
            pending.append(child)
            added += 1
        left_out = len(group) - sum(1 for child in box.children if child.kind == "entity")
        if left_out > 0:
            box.children.append(ChartBox(box.id, f"+ {left_out} more", "show all to see them", box.column + sign,
                                         kind="more", hidden=left_out))
    return added, len(steps) - added


def _walk(box: ChartBox) -> list[ChartBox]:
    """``box`` and every box hanging under it, depth first."""
    out = [box]
    for child in box.children:
        out.extend(_walk(child))
    return out


def _measure(box: ChartBox) -> None:
    inner = BOX_WIDTH - 2 * PADDING
    box.label_lines = _wrap(box.label, LABEL_PX, inner, MAX_LABEL_LINES)
    box.note_lines = _wrap(box.note, NOTE_PX, inner, MAX_NOTE_LINES) if box.note else []
    box.height = (2 * PADDING + len(box.label_lines) * (LABEL_PX + LINE_GAP)
                  + len(box.note_lines) * (NOTE_PX + LINE_GAP))


def _place(box: ChartBox, top: float) -> tuple[float, float]:
    """Tidy-tree placement: leaves stack downwards from ``top``, a parent sits at the middle of its children.

    Returns (the box's vertical centre, the bottom of its subtree).
    """
    if not box.children:
        box.y = top
        return top + box.height / 2, top + box.height
    cursor = top
    centres = []
    bottom = top
    for child in box.children:
        centre, bottom = _place(child, cursor)
        centres.append(centre)
        cursor = bottom + ROW_GAP
    centre = (centres[0] + centres[-1]) / 2
    if centre - box.height / 2 < top:  # the parent is taller than its children's span: move them down
        shift = top - (centre - box.height / 2)
        for below in _walk(box)[1:]:
            below.y += shift
        centre += shift
        bottom += shift
    box.y = centre - box.height / 2
    return centre, max(bottom, box.y + box.height)


def family_chart(graph: nx.MultiDiGraph, entity_id: str, max_children: int | None = 8,
                 limit: int = 120) -> FamilyChart:
    """Lay out the family tree of ``entity_id``: its ancestors in columns to the left, descendants to the right.

    Sibling groups larger than ``max_children`` show their first ``max_children`` (in the order of
    :func:`graph.views.lineage.lineage_of`) and a "+ n more" box; ``None`` shows every sibling. At most ``limit``
    relatives are drawn on each side. Raises ``KeyError`` for an id not in the graph.
    """
    up_root = ChartBox(entity_id, label_of(graph, entity_id), "", 0, kind="root")
    down_root = ChartBox(entity_id, up_root.label, "", 0, kind="root")
    _, hidden_up = _side(graph, up_root, "up", max_children, limit)
    _, hidden_down = _side(graph, down_root, "down", max_children, limit)
    for box in [*_walk(up_root), *_walk(down_root)]:
        _measure(box)
    up_centre, up_bottom = _place(up_root, MARGIN)
    down_centre, down_bottom = _place(down_root, MARGIN)
    # line the two sides up on the entity's box
    low, shift = (up_root, down_centre - up_centre) if up_centre < down_centre else (down_root, up_centre - down_centre)
    for box in _walk(low):
        box.y += shift
    boxes = [*_walk(up_root)[1:], *_walk(down_root)]
    left_column = min(box.column for box in boxes)
    for box in boxes:
        box.x = MARGIN + (box.column - left_column) * (BOX_WIDTH + COLUMN_GAP)
    up_root.x, up_root.y = down_root.x, down_root.y
    lines: list[tuple[float, float, float, float]] = []
    for root in (up_root, down_root):
        for box in _walk(root):
            for child in box.children:
                left, right = (child, box) if child.column < box.column else (box, child)
                lines.append((left.x + BOX_WIDTH, left.y + left.height / 2, right.x, right.y + right.height / 2))
    height = max(up_bottom + (shift if low is up_root else 0), down_bottom + (shift if low is down_root else 0))
    width = MARGIN * 2 + (max(box.column for box in boxes) - left_column + 1) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP
    return FamilyChart(f"Family tree of {up_root.label}", boxes, lines, width, height + MARGIN,
                       hidden_up + hidden_down)


def _elbow(line: tuple[float, float, float, float]) -> str:
    x1, y1, x2, y2 = line
    middle = x1 + COLUMN_GAP / 2
    return f"M{x1:.1f} {y1:.1f}H{middle:.1f}V{y2:.1f}H{x2:.1f}"


def chart_svg(chart: FamilyChart, href: Callable[[ChartBox], str] | None = None) -> str:
    """The chart as one line of standalone SVG (sizes in CSS pixels, every text HTML-escaped).

    With ``href``, each box is a link (``target=_self``) to ``href(box)``: the page keeps the URL and Back.
    """
    def text(box: ChartBox, colour: str, note_colour: str) -> str:
        rows = []
        weight = ' font-weight="bold"' if box.kind == "root" else ""
        y = box.y + PADDING
        # each line but the last ends in a space, so the text read aloud (and the link's accessible name taken from
        # it) has its words apart: "John Bowlby developed Attachment Theory", not "John Bowlbydeveloped ..."
        lines = [(line, LABEL_PX, colour, weight) for line in box.label_lines] + [
            (line, NOTE_PX, note_colour, "") for line in box.note_lines]
        for number, (line, size, fill, bold) in enumerate(lines, start=1):
            y += size
            gap = " " if number < len(lines) else ""
            rows.append(f'<text x="{box.x + PADDING:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"{bold}>'
                        f"{html.escape(line)}{gap}</text>")
            y += LINE_GAP
        return "".join(rows)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width:.0f}" height="{chart.height:.0f}" '
             f'viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" font-family="{html.escape(FONT_FAMILY)}" '
             f'role="group" aria-label="{html.escape(chart.title)}">',
             f"<title>{html.escape(chart.title)}</title>",
             f'<g fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.3">',
             *(f'<path d="{_elbow(line)}"/>' for line in chart.lines), "</g>"]
    for box in chart.boxes:
        fill, border, colour, note_colour = {
            "root": (ROOT_FILL, ROOT_FILL, ROOT_TEXT, ROOT_TEXT),
            "more": (MORE_FILL, BOX_BORDER, BOX_TEXT, NOTE_TEXT),
        }.get(box.kind, (BOX_FILL, BOX_BORDER, BOX_TEXT, NOTE_TEXT))
        dash = ' stroke-dasharray="4 3"' if box.kind == "more" else ""
        shape = (f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_WIDTH}" height="{box.height:.1f}" rx="6" '
                 f'fill="{fill}" stroke="{border}"{dash}/>' + text(box, colour, note_colour))
        if href is not None and box.kind != "root":
            name = f"{box.label} {box.note}".strip()  # the visible text, in full (WCAG 2.5.3, label in name)
            shape = (f'<a href="{html.escape(href(box), quote=True)}" target="_self" style="text-decoration:none" '
                     f'aria-label="{html.escape(name, quote=True)}">{shape}</a>')
        parts.append(f'<g class="tkg-box" data-entity="{html.escape(box.id, quote=True)}">{shape}</g>')
    parts.append("</svg>")
    return "".join(parts)


def chart_png(chart: FamilyChart, scale: int = 2) -> bytes:
    """The chart as a PNG image ``scale`` times its CSS-pixel size (2 = sharp on high-density screens and print)."""
    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for x1, y1, x2, y2 in chart.lines:
        middle = x1 + COLUMN_GAP / 2
        points = [(x1, y1), (middle, y1), (middle, y2), (x2, y2)]
        draw.line([(x * scale, y * scale) for x, y in points], fill=EDGE_COLOUR, width=max(1, round(1.3 * scale)))
    for box in chart.boxes:
        fill, border, colour, note_colour = {
            "root": (ROOT_FILL, ROOT_FILL, ROOT_TEXT, ROOT_TEXT),
            "more": (MORE_FILL, BOX_BORDER, BOX_TEXT, NOTE_TEXT),
        }.get(box.kind, (BOX_FILL, BOX_BORDER, BOX_TEXT, NOTE_TEXT))
        draw.rounded_rectangle([box.x * scale, box.y * scale, (box.x + BOX_WIDTH) * scale,
                                (box.y + box.height) * scale], radius=6 * scale, fill=fill, outline=border,
                               width=scale)
        y = box.y + PADDING
        for line in box.label_lines:
            draw.text(((box.x + PADDING) * scale, (y + LABEL_PX) * scale), line, fill=colour,
                      font=_font(LABEL_PX * scale), anchor="ls")
            y += LABEL_PX + LINE_GAP
        for line in box.note_lines:
            draw.text(((box.x + PADDING) * scale, (y + NOTE_PX) * scale), line, fill=note_colour,
                      font=_font(NOTE_PX * scale), anchor="ls")
            y += NOTE_PX + LINE_GAP
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
