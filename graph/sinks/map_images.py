"""Static maps for slides and handouts: SVG drawn in Python from a map's positions; PNG and PDF through Chromium."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape as escape_html
from pathlib import Path
from typing import Any

from graph.sinks.maps import LABEL_FONT_SIZE, LABEL_INSIDE_SHAPES, GraphMap, class_groups

FORMATS: tuple[str, ...] = ("html", "svg", "png", "pdf")
CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright's own download is used when this is absent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
MAX_IMAGE_PX = 8000  # the longer side of a PNG, in pixels: larger maps are scaled down to it
PAD = 60  # canvas units of free space around the drawing
TITLE_HEIGHT = 70
TICK_GAP = 90  # canvas units between year labels at least (after scaling to the image)
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)


class ImageError(RuntimeError):
    """A static image that cannot be made here (no Chromium for PNG or PDF)."""


@dataclass(frozen=True)
class Drawing:
    """An SVG document and its size in canvas units (1 unit = 1 CSS px at scale 1)."""

    svg: str
    width: float
    height: float


def _label_width(label: str, size: float) -> float:
    return 0.58 * size * len(label)


def _node_box(node: dict[str, Any], groups: dict[str, dict[str, Any]]) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of a node's shape and label, in canvas units (an estimate of vis.js' drawing)."""
    group = groups.get(str(node.get("group")), {})
    size = float((node.get("font") or {}).get("size") or LABEL_FONT_SIZE)
    width = _label_width(str(node.get("label", "")), size)
    x, y = float(node["x"]), float(node["y"])
    if group.get("shape") in LABEL_INSIDE_SHAPES:
        half_w, half_h = width / 2 + 14, size / 2 + 9
        return x - half_w, y - half_h, x + half_w, y + half_h
    radius = float(node.get("size") or group.get("size") or 16)
    half_w = max(radius, width / 2)
    return x - half_w, y - radius, x + half_w, y + radius + size + 6


def render_svg(graph_map: GraphMap, numbered: bool = True, heading: bool = True) -> Drawing:
    """The map as one SVG document: the same positions, class shapes and colours (or the map's colour encoding),
    relation colours and dashes, labels as text (escaped by ElementTree), band titles and a year axis whose labels
    are at least :data:`TICK_GAP` apart; with ``numbered``, story steps get numbered badges (the handout's key);
    with ``heading``, the map's title on top."""
    groups = class_groups()
    nodes = graph_map.nodes
    boxes = {n["id"]: _node_box(n, groups) for n in nodes}
    guides = graph_map.guides or {}
    bands = guides.get("bands", [])
    title_width = max((len(b["title"]) * 15.0 for b in bands), default=0.0)
    left = min((b[0] for b in boxes.values()), default=0.0) - PAD - (title_width + 30 if bands else 0.0)
    right = max((b[2] for b in boxes.values()), default=100.0) + PAD
    top = min((b[1] for b in boxes.values()), default=0.0) - PAD - TITLE_HEIGHT - (50 if guides.get("ticks") else 0)
    bottom = max((b[3] for b in boxes.values()), default=100.0) + PAD
    width, height = right - left, bottom - top
    svg = ET.Element(f"{{{SVG_NS}}}svg", {"viewBox": f"{left:.0f} {top:.0f} {width:.0f} {height:.0f}",
                                         "width": f"{width:.0f}", "height": f"{height:.0f}",
                                         "font-family": "DejaVu Sans, Arial, sans-serif"})
    ET.SubElement(svg, f"{{{SVG_NS}}}title").text = graph_map.title
    ET.SubElement(svg, f"{{{SVG_NS}}}rect", {"x": f"{left:.0f}", "y": f"{top:.0f}", "width": f"{width:.0f}",
                                             "height": f"{height:.0f}", "fill": "#ffffff"})
    _draw_guides(svg, guides, left, right, top + TITLE_HEIGHT, bottom)
    relations = {r["name"]: r for r in graph_map.legend.get("relations", [])}
    defs = ET.SubElement(svg, f"{{{SVG_NS}}}defs")
    for name, style in relations.items():
        marker = ET.SubElement(defs, f"{{{SVG_NS}}}marker", {
            "id": f"arrow-{name}", "viewBox": "0 0 10 10", "refX": "10", "refY": "5", "markerWidth": "14",
            "markerHeight": "14", "orient": "auto-start-reverse", "markerUnits": "userSpaceOnUse"})
        ET.SubElement(marker, f"{{{SVG_NS}}}path", {"d": "M0,0 L10,5 L0,10 z", "fill": style["color"]})
    position = {n["id"]: (float(n["x"]), float(n["y"])) for n in nodes}
    edge_layer = ET.SubElement(svg, f"{{{SVG_NS}}}g", {"fill": "none"})
    for edge in graph_map.edges:
        style = relations.get(edge["relation"])
        if style is None or not style.get("shown", True):
            continue
        (x1, y1), (x2, y2) = position[edge["from"]], position[edge["to"]]
        x2c, y2c = _clip(boxes[edge["to"]], x1, y1, x2, y2)
        attributes = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2c:.1f}", "y2": f"{y2c:.1f}",
                      "stroke": style["color"], "stroke-width": str(style.get("width", 1)), "stroke-opacity": "0.85"}
        if isinstance(style.get("dashes"), list):
            attributes["stroke-dasharray"] = " ".join(str(d) for d in style["dashes"])
        if style.get("arrows"):
            attributes["marker-end"] = f"url(#arrow-{edge['relation']})"
        ET.SubElement(edge_layer, f"{{{SVG_NS}}}line", attributes)
    node_layer = ET.SubElement(svg, f"{{{SVG_NS}}}g")
    for node in nodes:
        _draw_node(node_layer, node, groups)
    if numbered:
        for number, step in enumerate(graph_map.story, start=1):
            if step["id"] in boxes:
                box = boxes[step["id"]]
                badge = ET.SubElement(svg, f"{{{SVG_NS}}}g", {"class": "step"})
                ET.SubElement(badge, f"{{{SVG_NS}}}circle", {"cx": f"{box[0] - 4:.1f}", "cy": f"{box[1] - 4:.1f}",
                                                             "r": "17", "fill": "#14202e"})
                text = ET.SubElement(badge, f"{{{SVG_NS}}}text", {
                    "x": f"{box[0] - 4:.1f}", "y": f"{box[1] + 3:.1f}", "font-size": "20", "font-weight": "bold",
                    "fill": "#ffffff", "text-anchor": "middle"})
                text.text = str(number)
    if heading:
        title = ET.SubElement(svg, f"{{{SVG_NS}}}text", {"x": f"{left + PAD:.0f}", "y": f"{top + 48:.0f}",
                                                         "font-size": "36", "font-weight": "bold", "fill": "#1a1a1a"})
        title.text = graph_map.title
    return Drawing(ET.tostring(svg, encoding="unicode"), width, height)


def _clip(box: tuple[float, float, float, float], x1: float, y1: float, x2: float, y2: float) -> tuple[float, float]:
    """Where the segment from (x1, y1) to the centre (x2, y2) of ``box`` enters it (the arrow's tip)."""
    dx, dy = x2 - x1, y2 - y1
    half_w, half_h = (box[2] - box[0]) / 2, min((box[3] - box[1]) / 2, 24.0)
    if dx == 0 and dy == 0:
        return x2, y2
    t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    t = min(t, 1.0)
    return x2 - dx * t, y2 - dy * t


def _draw_guides(svg: ET.Element, guides: dict[str, Any], left: float, right: float, top: float,
                 bottom: float) -> None:
    for index, band in enumerate(guides.get("bands", [])):
        if index % 2 == 0:
            ET.SubElement(svg, f"{{{SVG_NS}}}rect", {
                "x": f"{left:.0f}", "y": f"{band['top']:.0f}", "width": f"{right - left:.0f}",
                "height": f"{band['bottom'] - band['top']:.0f}", "fill": "#000000", "fill-opacity": "0.035"})
        title = ET.SubElement(svg, f"{{{SVG_NS}}}text", {
            "x": f"{left + 20:.0f}", "y": f"{(band['top'] + band['bottom']) / 2:.0f}", "font-size": "24",
            "font-weight": "bold", "fill": "#555555", "dominant-baseline": "middle"})
        title.text = band["title"]
    per_year, origin = guides.get("perYear"), guides.get("origin")
    ticks = guides.get("ticks", [])
    if not ticks or not per_year:
        return
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 250, 500) if s * per_year >= TICK_GAP), 1000)
    first_year, last_year = ticks[0]["year"], ticks[-1]["year"]
    year = math.ceil(first_year / step) * step
    axis = ET.SubElement(svg, f"{{{SVG_NS}}}g", {"class": "year-axis", "font-size": "22", "fill": "#444444",
                                                 "text-anchor": "middle"})
    while year <= last_year:
        x = (year - origin) * per_year
        ET.SubElement(axis, f"{{{SVG_NS}}}line", {"x1": f"{x:.1f}", "x2": f"{x:.1f}", "y1": f"{top + 10:.0f}",
                                                  "y2": f"{bottom:.0f}", "stroke": "#000000",
                                                  "stroke-opacity": "0.12"})
        label = ET.SubElement(axis, f"{{{SVG_NS}}}text", {"x": f"{x:.1f}", "y": f"{top:.0f}"})
        label.text = str(year)
        year += step


def _draw_node(layer: ET.Element, node: dict[str, Any], groups: dict[str, dict[str, Any]]) -> None:
    group = groups.get(str(node.get("group")), {})
    shape = group.get("shape", "dot")
    colour = (node.get("color") or {}).get("background") or group.get("color", {}).get("background", "#DDDDDD")
    font = {**group.get("font", {}), **(node.get("font") or {})}
    size = float(font.get("size") or LABEL_FONT_SIZE)
    label = str(node.get("label", ""))
    x, y = float(node["x"]), float(node["y"])
    outline = {"fill": colour, "stroke": "#333333", "stroke-width": "1.5"}
    if node.get("shapeProperties", {}).get("borderDashes"):
        outline["stroke-dasharray"] = "6 4"
    shape_group = ET.SubElement(layer, f"{{{SVG_NS}}}g", {"class": "entity", "data-id": str(node["id"])})
    if shape in LABEL_INSIDE_SHAPES:
        half_w, half_h = _label_width(label, size) / 2 + 14, size / 2 + 9
        if shape == "box":
            ET.SubElement(shape_group, f"{{{SVG_NS}}}rect", {
                "x": f"{x - half_w:.1f}", "y": f"{y - half_h:.1f}", "width": f"{2 * half_w:.1f}",
                "height": f"{2 * half_h:.1f}", "rx": "5", **outline})
        else:
            ET.SubElement(shape_group, f"{{{SVG_NS}}}ellipse", {
                "cx": f"{x:.1f}", "cy": f"{y:.1f}", "rx": f"{half_w:.1f}", "ry": f"{half_h:.1f}", **outline})
        text = ET.SubElement(shape_group, f"{{{SVG_NS}}}text", {
            "x": f"{x:.1f}", "y": f"{y:.1f}", "font-size": f"{size:.1f}", "fill": str(font.get("color", "#1a1a1a")),
            "text-anchor": "middle", "dominant-baseline": "central"})
        text.text = label
        return
    radius = float(node.get("size") or group.get("size") or 16)
    if shape in ("dot", "circle"):
        ET.SubElement(shape_group, f"{{{SVG_NS}}}circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": f"{radius:.1f}",
                                                           **outline})
    else:
        ET.SubElement(shape_group, f"{{{SVG_NS}}}polygon", {"points": _polygon(shape, x, y, radius), **outline})
    text = ET.SubElement(shape_group, f"{{{SVG_NS}}}text", {
        "x": f"{x:.1f}", "y": f"{y + radius + size:.1f}", "font-size": f"{size:.1f}", "fill": "#1a1a1a",
        "text-anchor": "middle", "stroke": "#ffffff", "stroke-width": "4", "paint-order": "stroke"})
    text.text = label


def _polygon(shape: str, x: float, y: float, r: float) -> str:
    """Points of a vis.js-like shape of radius ``r`` around (x, y)."""
    corners: list[tuple[float, float]]
    if shape == "square":
        corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
    elif shape == "triangle":
        corners = [(0, -1.15), (1, 0.6), (-1, 0.6)]
    elif shape == "triangleDown":
        corners = [(0, 1.15), (1, -0.6), (-1, -0.6)]
    elif shape == "diamond":
        corners = [(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)]
    elif shape == "hexagon":
        corners = [(math.cos(a), math.sin(a)) for a in (math.pi / 3 * i for i in range(6))]
    elif shape == "star":
        corners = [((1.2 if i % 2 == 0 else 0.5) * math.sin(math.pi / 5 * i),
                    -(1.2 if i % 2 == 0 else 0.5) * math.cos(math.pi / 5 * i)) for i in range(10)]
    else:
        corners = [(math.cos(a), math.sin(a)) for a in (math.pi / 4 * i for i in range(8))]
    return " ".join(f"{x + r * cx:.1f},{y + r * cy:.1f}" for cx, cy in corners)


HANDOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>
@page {{ size: A4 landscape; margin: 10mm; }}
html, body {{ margin: 0; font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; }}
h1 {{ font-size: 16pt; margin: 0 0 2mm; }}
.map {{ height: {map_height}mm; display: flex; justify-content: center; }}
.map svg {{ width: 100%; height: 100%; }}
ol {{ columns: {columns}; column-gap: 8mm; font-size: {key_size}pt; margin: 2mm 0 0; padding-left: 6mm; }}
li {{ break-inside: avoid; margin-bottom: 1mm; }} li b {{ font-weight: 600; }}
</style></head><body><h1>{title}</h1><div class="map">{svg}</div><ol>{key}</ol></body></html>"""


def handout_html(graph_map: GraphMap, drawing: Drawing) -> str:
    """A one-page A4 landscape handout: the title, the numbered map and a numbered key of the story steps (each
    step's entity and caption), all text escaped."""
    labels = {n["id"]: str(n.get("label", n["id"])) for n in graph_map.nodes}
    items = []
    for step in graph_map.story:
        caption = f" — {escape_html(step['caption'])}" if step.get("caption") else ""
        items.append(f"<li><b>{escape_html(labels.get(step['id'], step['id']))}</b>{caption}</li>")
    steps = len(items)
    key_lines = sum(1 + len(step.get("caption", "")) // 110 for step in graph_map.story)
    columns = 1 if key_lines <= 6 else 2 if key_lines <= 16 else 3
    key_size = 10 if key_lines <= 24 else 8
    rows = math.ceil(key_lines / columns) if steps else 0
    map_height = max(90, 175 - rows * 5.5)  # A4 landscape: 190 mm inside the margins, less title and key
    svg = drawing.svg.replace(f'width="{drawing.width:.0f}" height="{drawing.height:.0f}"',
                              'preserveAspectRatio="xMidYMid meet"', 1)
    return HANDOUT.format(title=escape_html(graph_map.title), svg=svg, key="".join(items), columns=columns,
                          key_size=key_size, map_height=f"{map_height:.0f}")


def _browser(playwright: Any) -> Any:
    """Chromium for Playwright: Debian's when installed, else Playwright's own; ImageError if neither starts."""
    try:
        if Path(CHROMIUM).exists():
            return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return playwright.chromium.launch(headless=True, args=CHROMIUM_ARGS)
    except Exception as error:  # Playwright raises its own Error for a missing or broken browser
        raise ImageError(f"PNG and PDF need headless Chromium ({error}); write --format svg instead") from None


def render_png(drawing: Drawing) -> bytes:
    """The SVG drawn by Chromium to a PNG, at 1 canvas unit = 1 pixel, scaled down so that the longer side is at
    most :data:`MAX_IMAGE_PX` pixels. Raises ImageError without Playwright or Chromium."""
    scale = min(1.0, MAX_IMAGE_PX / max(drawing.width, drawing.height, 1.0))
    width, height = max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale))
    svg = drawing.svg.replace(f'width="{drawing.width:.0f}" height="{drawing.height:.0f}"',
                              f'width="{width}" height="{height}"', 1)
    page_html = f'<!DOCTYPE html><html><body style="margin:0">{svg}</body></html>'

    def shoot(browser: Any) -> bytes:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
        page.set_content(page_html)
        return bytes(page.screenshot(full_page=False, type="png"))

    return _with_browser(shoot)


def render_pdf(graph_map: GraphMap) -> bytes:
    """The one-page handout (:func:`handout_html`) printed by Chromium to PDF (A4 landscape; only the first page
    is kept, so a long key is cut rather than spilling). Raises ImageError without Playwright or Chromium."""
    html = handout_html(graph_map, render_svg(graph_map, heading=False))

    def print_pdf(browser: Any) -> bytes:
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())
        page.set_content(html)
        return bytes(page.pdf(prefer_css_page_size=True, print_background=True, page_ranges="1"))

    return _with_browser(print_pdf)


def _with_browser(work: Callable[[Any], bytes]) -> bytes:
    """Run ``work(browser)`` with a fresh headless Chromium, in a thread of its own: Playwright's sync API refuses
    to start where an asyncio loop (or another sync Playwright, as in a test session) already runs."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ImageError("PNG and PDF need Playwright (pip install playwright) and Chromium; "
                         "write --format svg instead") from None

    def run() -> bytes:
        with sync_playwright() as playwright:
            browser = _browser(playwright)
            try:
                return work(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
