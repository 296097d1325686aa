"""Interactive maps: choose part of the networkx view, place and style it in Python, render offline HTML."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape as escape_html
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.collector import cyclic_gc_paused
from graph.files import write_atomically
from graph.views.datings import datings_by_source
from graph.views.lineage import RELATION_PHRASES
from graph.views.neighbourhood import select_neighbourhood
from ontology.names import normalise_name
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES
from ontology.vocabulary import vocabulary

if TYPE_CHECKING:
    from pyvis.network import Network

LAYOUTS: tuple[str, ...] = ("lineage", "force", "radial")

# Class styles: Okabe-Ito colours (readable for colour-blind viewers), a distinct shape per class.
_CLASS_LOOKS: dict[str, dict[str, str]] = {
    "Modality": {"color": "#0072B2", "shape": "box", "font": "#ffffff"},
    "Theory": {"color": "#D55E00", "shape": "hexagon", "font": "#1a1a1a"},
    "Theorist": {"color": "#E69F00", "shape": "ellipse", "font": "#1a1a1a"},
    "Population": {"color": "#009E73", "shape": "dot", "font": "#1a1a1a"},
    "Condition": {"color": "#CC79A7", "shape": "triangle", "font": "#1a1a1a"},
    "Goal": {"color": "#F0E442", "shape": "star", "font": "#1a1a1a"},
    "Technique": {"color": "#56B4E9", "shape": "square", "font": "#1a1a1a"},
    "Concept": {"color": "#999999", "shape": "diamond", "font": "#1a1a1a"},
    "TreatmentPhase": {"color": "#8C6D31", "shape": "triangleDown", "font": "#1a1a1a"},
}
DEFAULT_CLASS_STYLE: dict[str, str] = {"color": "#DDDDDD", "shape": "dot", "font": "#1a1a1a"}
# Every entity class of therapy.ttl, in its order: the look above, or the default for a class added since.
CLASS_STYLES: dict[str, dict[str, str]] = {cls.name: _CLASS_LOOKS.get(cls.name, DEFAULT_CLASS_STYLE)
                                           for cls in vocabulary().classes}
CLASS_PLURALS: dict[str, str] = {cls.name: cls.plural for cls in vocabulary().classes}  # tkg:pluralLabel

# Edge styles: lineage relations stand out (colour, dash pattern); descriptive relations are thin and grey.
_RELATION_LOOKS: dict[str, dict[str, Any]] = {
    "subtypeOf": {"color": "#0072B2", "dashes": False, "width": 3},
    "derivedFrom": {"color": "#0072B2", "dashes": [10, 6], "width": 3},
    "groundedIn": {"color": "#D55E00", "dashes": [10, 6], "width": 2},
    "developedBy": {"color": "#E69F00", "dashes": False, "width": 2},
    "studentOf": {"color": "#8C6D31", "dashes": [12, 4, 2, 4], "width": 2},
    "influencedBy": {"color": "#8C6D31", "dashes": [2, 5], "width": 2},
    "collaboratedWith": {"color": "#8C6D31", "dashes": [2, 5], "width": 1},
    "servesPopulation": {"color": "#8fb8a8", "dashes": False, "width": 1},
    "addressesCondition": {"color": "#d3a9c4", "dashes": False, "width": 1},
    "hasGoal": {"color": "#c9c27a", "dashes": False, "width": 1},
    "usesTechnique": {"color": "#98c5e0", "dashes": False, "width": 1},
    "involvesConcept": {"color": "#bbbbbb", "dashes": False, "width": 1},
    "hasPhase": {"color": "#b59e6e", "dashes": [4, 4], "width": 1},
}
DEFAULT_RELATION_STYLE: dict[str, Any] = {"color": "#999999", "dashes": False, "width": 1}
# Every relation of therapy.ttl: the look above, or the default for a relation added since.
RELATION_STYLES: dict[str, dict[str, Any]] = {relation.name: _RELATION_LOOKS.get(relation.name, DEFAULT_RELATION_STYLE)
                                              for relation in vocabulary().relations}

LINEAGE_BAND_RELATIONS = ("subtypeOf", "derivedFrom", "groundedIn")
MENTOR_RELATIONS = ("studentOf", "influencedBy", "collaboratedWith")
TYPE_BAND_ORDER = ("Concept", "Technique", "Goal", "Condition", "Population", "TreatmentPhase")
YEAR_SCALES = (8, 12, 16, 24, 32, 48, 64, 96)  # candidate pixels per year for the lineage layout
SCREEN = (1600, 900)  # the screen shape the lineage layout aims to fill
LANE_HEIGHT = 58
LABEL_INSIDE_SHAPES = ("box", "ellipse")
UNDIRECTED_RELATIONS = tuple(r.name for r in vocabulary().relations if r.symmetric)  # drawn without an arrow head
BAND_GAP = 90
LABEL_FONT_SIZE = 20
LABEL_SCALE_RANGE = (0.4, 4.0)  # the label scales a map accepts, the same bounds as the page's + and - keys
TOOLTIP_SENTENCE_CHARS = 220  # a node tooltip shows the description's first sentence, cut at a word to this length
EVIDENCE_SNIPPET_CHARS = 200  # an edge tooltip shows its first evidence quote, cut at a word to this length
LARGE_MAP_EDGES = 1500  # above this many edges: straight edges, edges hidden while dragging
CROWDED_MAP_EDGES = 15000  # above this many edges: descriptive relations start hidden (one tick shows them)
# Relations that describe rather than trace lineage: not followed by lineage, and pointing at a class lineage never
# reaches (populations, conditions, goals, techniques, concepts, phases).
DESCRIPTIVE_RELATIONS = tuple(r.name for r in vocabulary().relations if not r.lineage
                              and r.range not in {lineage.range for lineage in vocabulary().lineage_relations})


COLOUR_BY: tuple[str, ...] = ("class", "family", "decade")
SIZE_BY: tuple[str, ...] = ("none", "degree", "betweenness", "descendants")
# Okabe-Ito and Paul Tol's bright/muted qualitative colours for families (distinct for colour-blind viewers), then
# grey for the rest; a sequential light-to-dark ramp (viridis stops) for decades.
FAMILY_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733",
                  "#44AA99", "#999933", "#AA4499", "#332288")
OTHER_COLOUR = "#C8C8C8"
DECADE_RAMP = ("#FDE725", "#B5DE2B", "#6ECE58", "#35B779", "#1F9E89", "#26828E", "#31688E", "#3E4989",
               "#482878", "#440154")
SIZE_RANGE = (1.0, 2.2)  # label and shape size factor, least to most: encodings only ever make labels larger
BETWEENNESS_SAMPLE = 300  # above this many entities betweenness is estimated from this many sources (seeded)


class MapError(ValueError):
    """A map request that cannot be honoured (unknown class or relation, focus missing, bad layout)."""


@dataclass(frozen=True)
class StoryStep:
    """One stop of a presentation: the entity to focus, a caption for the room, speaker notes for the presenter
    view, and optionally the only relations and classes to show while the step is on (empty: no change)."""

    id: str
    caption: str = ""
    notes: str = ""
    relations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapRequest:
    """What part of the graph to map and how to lay it out."""

    focus: str | None = None
    depth: int = 2
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    layout: str = "lineage"
    title: str = "therapy-kg map"
    story: tuple[StoryStep, ...] = ()
    max_nodes: int | None = None  # stop adding entities at this many (see select_neighbourhood)
    source_titles: Mapping[str, str] = field(default_factory=dict)  # source id -> title, for tooltips and captions
    colour_by: str = "class"  # one of COLOUR_BY
    size_by: str = "none"  # one of SIZE_BY
    label_scale: float = 1.0  # every label's font size times this (LABEL_SCALE_RANGE); + and - on the page still work


@dataclass
class GraphMap:
    """A positioned, styled map: vis.js node and edge records plus legend, axis and story, ready to render."""

    title: str
    layout: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: dict[str, Any]  # classes, relations (lists), colours (list), size (dict): see legend_entries
    story: list[dict[str, Any]]
    guides: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False  # the request's max_nodes cut the neighbourhood short
    focus: str | None = None  # the entity the page opens on (the request's focus)
    source_titles: Mapping[str, str] = field(default_factory=dict)  # source id -> title (edge tooltips)
    opening: list[str] = field(default_factory=list)  # without a focus: the entities the page opens on if the
    # whole map would be too small to read (the densest family, see opening_entities)


# ---------------------------------------------------------------- choosing what to show


def _parse_choices(names: Iterable[str], by_key: dict[str, str], what: str, valid: Iterable[str]) -> tuple[str, ...]:
    """Comma-separated user choices mapped through ``by_key`` (case-insensitive); unknown ones raise MapError."""
    chosen: list[str] = []
    for raw in names:
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            if part.casefold() not in by_key:
                raise MapError(f"unknown {what} '{part}'; choose from {', '.join(valid)}")
            chosen.append(by_key[part.casefold()])
    return tuple(dict.fromkeys(chosen))


def parse_class_names(names: Iterable[str]) -> tuple[str, ...]:
    """Class names from user input (``Modality``, ``modality``, ``modalities`` or ``phase``), validated."""
    by_key = {name.casefold(): name for name in TYPE_PREFIXES}
    by_key.update({prefix.casefold(): name for name, prefix in TYPE_PREFIXES.items()})
    by_key.update({plural.casefold(): name for name, plural in CLASS_PLURALS.items()})
    return _parse_choices(names, by_key, "class", TYPE_PREFIXES)


def parse_relation_names(names: Iterable[str]) -> tuple[str, ...]:
    """Relation local names from user input (case-insensitive), validated against the ontology's list."""
    return _parse_choices(names, {name.casefold(): name for name in ENTITY_RELATIONS}, "relation", ENTITY_RELATIONS)


# ---------------------------------------------------------------- layouts (pure, deterministic)


def placement_years(graph: nx.MultiDiGraph) -> dict[str, float]:
    """A year for every node to sit at on a time axis.

    Dated entities use their earliest dating (a decade sits at its middle), theorists without one sit
    thirty years after their birth. Undated entities take their place from relatives: ten years after the
    lineage they grew from, ten before what grew from them, or the mean of any dated neighbour. Whatever is
    left goes in a column before the earliest year. Tooltips show only recorded years: this is placement.
    """
    years: dict[str, float] = {}
    for node, data in graph.nodes(data=True):
        if isinstance(data.get("introduced_year"), int):
            offset = 5 if data.get("introduced_precision") == "decade" else 0
            years[node] = data["introduced_year"] + offset
        elif data.get("type") == "Theorist" and isinstance(data.get("birth_year"), int):
            years[node] = data["birth_year"] + 30
    lineage_edges = [(u, v) for u, v, key in graph.edges(keys=True) if key in RELATION_STYLES
                     and key in (*LINEAGE_BAND_RELATIONS, "developedBy", "studentOf", "influencedBy")]
    for _ in range(6):  # propagate along lineage a few hops, then let descriptive neighbours average
        guesses: dict[str, list[float]] = defaultdict(list)
        for child, origin in lineage_edges:
            if child not in years and origin in years:
                guesses[child].append(years[origin] + 10)
            if origin not in years and child in years:
                guesses[origin].append(years[child] - 10)
        if not guesses:
            break
        years.update({node: sum(values) / len(values) for node, values in sorted(guesses.items())})
    for _ in range(2):
        guesses = defaultdict(list)
        for u, v in graph.edges():
            if u not in years and v in years:
                guesses[u].append(years[v])
            if v not in years and u in years:
                guesses[v].append(years[u])
        years.update({node: sum(values) / len(values) for node, values in sorted(guesses.items())})
    earliest = min(years.values(), default=2000.0)
    for node in graph.nodes:
        years.setdefault(node, earliest - 15)
    return years


def family_bands(graph: nx.MultiDiGraph, years: Mapping[str, float]) -> dict[str, str]:
    """The horizontal band each node belongs to in the lineage layout.

    Modalities and theories belong to the family of their oldest root along subtypeOf/derivedFrom/groundedIn
    (a band is named after that root's id); theorists join the family of the earliest thing they developed, or
    of their teachers and influences; every other class gets a band of its own.
    """
    parents: dict[str, list[str]] = defaultdict(list)
    for u, v, key in graph.edges(keys=True):
        if key in LINEAGE_BAND_RELATIONS:
            parents[u].append(v)
    root_of: dict[str, str] = {}

    def root(node: str) -> str:
        if node in root_of:
            return root_of[node]
        seen, stack, roots = {node}, [node], []
        while stack:
            current = stack.pop()
            ups = [p for p in parents.get(current, []) if p not in seen]
            if not parents.get(current):
                roots.append(current)
            for parent in ups:
                seen.add(parent)
                stack.append(parent)
        found = min(roots or [node], key=lambda r: (years.get(r, 0.0), r))
        root_of[node] = found
        return found

    band: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if data.get("type") in ("Modality", "Theory"):
            band[node] = "family:" + root(node)
    for node, data in sorted(graph.nodes(data=True)):
        if data.get("type") != "Theorist":
            continue
        developed = sorted((u for u, _, key in graph.in_edges(node, keys=True)
                            if key == "developedBy" and u in band), key=lambda u: (years.get(u, 0.0), u))
        if developed:
            band[node] = band[developed[0]]
    for _ in range(3):  # teachers, influences, collaborators
        for node, data in sorted(graph.nodes(data=True)):
            if data.get("type") == "Theorist" and node not in band:
                mentors = sorted(other for _, other, key in graph.out_edges(node, keys=True)
                                 if key in MENTOR_RELATIONS and other in band)
                mentors += sorted(other for other, _, key in graph.in_edges(node, keys=True)
                                  if key in MENTOR_RELATIONS and other in band)
                if mentors:
                    band[node] = band[mentors[0]]
    for node, data in graph.nodes(data=True):
        band.setdefault(node, "type:" + str(data.get("type")))
    return band


def _label_width(label: str) -> float:
    return 24 + 0.6 * LABEL_FONT_SIZE * len(label)


def lineage_positions(graph: nx.MultiDiGraph) -> tuple[dict[str, tuple[int, int]], dict[str, Any]]:
    """Time left to right (x by placement year), families stacked top to bottom, in lanes.

    Returns positions and the guides the page draws behind the map: year ticks and band titles.
    """
    years = placement_years(graph)
    bands = family_bands(graph, years)
    members: dict[str, list[str]] = defaultdict(list)
    for node, band in bands.items():
        members[band].append(node)

    def band_key(band: str) -> tuple[int, float, str]:
        if band.startswith("family:"):
            return (0, min(years[n] for n in members[band]), band)
        kind = band.split(":", 1)[1]
        order = TYPE_BAND_ORDER.index(kind) if kind in TYPE_BAND_ORDER else len(TYPE_BAND_ORDER)
        return (1 if kind == "Theorist" else 2, float(order), band)

    origin = math.floor(min(years.values(), default=2000.0) / 10) * 10  # keep coordinates small
    ordered = sorted(members, key=band_key)
    type_rank = {name: i for i, name in enumerate(CLASS_STYLES)}
    for band in ordered:
        members[band].sort(key=lambda n: (years[n], type_rank.get(graph.nodes[n].get("type"), 99), n))
    widths = {n: _label_width(str(graph.nodes[n].get("label", n))) for n in graph.nodes}
    label_below = {n for n, d in graph.nodes(data=True)
                   if CLASS_STYLES.get(str(d.get("type")), {}).get("shape") not in LABEL_INSIDE_SHAPES}

    def place(per_year: float) -> tuple[dict[str, tuple[int, int]], list[dict[str, Any]], float, float]:
        positions: dict[str, tuple[int, int]] = {}
        band_titles: list[dict[str, Any]] = []
        top, right = 0.0, 0.0
        for band in ordered:
            lane_ends: list[float] = []
            for node in members[band]:
                x = (years[node] - origin) * per_year
                half = widths[node] / 2
                below = node in label_below  # a label under its shape reaches into the next lane
                lane = _free_lane(lane_ends, x - half, 2 if below else 1)
                while len(lane_ends) < lane + (2 if below else 1):
                    lane_ends.append(-math.inf)
                lane_ends[lane] = x + half
                if below:
                    lane_ends[lane + 1] = x + half
                right = max(right, x + half)
                positions[node] = (round(x), round(top + lane * LANE_HEIGHT))
            if band.startswith("family:"):
                root = band.split(":", 1)[1]
                title = f"{graph.nodes[root].get('label', root)} family" if root in graph else root
            else:
                title = CLASS_PLURALS.get(band.split(":", 1)[1], band.split(":", 1)[1])
            band_titles.append({"title": title, "top": round(top - LANE_HEIGHT / 2, 1),
                                "bottom": round(top + (len(lane_ends) - 0.5) * LANE_HEIGHT, 1)})
            top += len(lane_ends) * LANE_HEIGHT + BAND_GAP
        return positions, band_titles, right + 400, top  # 400: room for band titles on the left

    def screen_scale(candidate: tuple[Any, Any, float, float]) -> float:
        return min(SCREEN[0] / max(candidate[2], 1.0), SCREEN[1] / max(candidate[3], 1.0))

    # The time scale that lets the whole map fill a projector screen best (wider when years are sparse).
    candidates = [place(per_year) for per_year in YEAR_SCALES]
    best = max(range(len(candidates)), key=lambda i: (round(screen_scale(candidates[i]), 4), i))
    positions, band_titles, _, top = candidates[best]
    per_year = YEAR_SCALES[best]
    recorded = [y for n, y in years.items() if _recorded_year(graph.nodes[n]) is not None]
    ticks: list[dict[str, float]] = []
    if recorded:
        first, last = min(years.values()), max(years.values())
        span = max(last - first, 1)
        step = next(s for s in (5, 10, 25, 50, 100, 250) if span / s <= 16)
        start = math.floor(first / step) * step
        ticks = [{"x": float((year - origin) * per_year), "year": year}
                 for year in range(int(start), int(last) + step, step)]
    # perYear and origin let the page place its own ticks for the zoom it is at (so they never overlap)
    return positions, {"ticks": ticks, "bands": band_titles, "height": top, "perYear": per_year,
                       "origin": origin}


def _free_lane(lane_ends: list[float], start: float, rows: int) -> int:
    """The first lane (and, for two rows, the one below it) whose last label ends before ``start``."""
    count = len(lane_ends)
    for lane in range(count):
        if lane_ends[lane] <= start and (rows == 1 or lane + 1 >= count or lane_ends[lane + 1] <= start):
            return lane
    return count


def _recorded_year(data: Mapping[str, Any]) -> int | None:
    year = data.get("introduced_year")
    return year if isinstance(year, int) else None


def force_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """A seeded spring layout, computed once in Python (the page never runs physics)."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    if simple.number_of_nodes() == 0:
        return {}
    iterations = 50 if simple.number_of_nodes() <= 2000 else 25
    raw = nx.spring_layout(simple, seed=7, iterations=iterations)
    scale = 140 * math.sqrt(simple.number_of_nodes())
    return {n: (round(float(x) * scale), round(float(y) * scale)) for n, (x, y) in raw.items()}


def radial_positions(graph: nx.MultiDiGraph, centre: str | None) -> dict[str, tuple[int, int]]:
    """Rings by distance from ``centre`` (or the best-connected entity); children sit near their parents."""
    if graph.number_of_nodes() == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from(graph.edges())
    if centre is None:
        centre = min(simple.nodes, key=lambda n: (-simple.degree(n), n))
    distance = nx.single_source_shortest_path_length(simple, centre)
    outer = max(distance.values(), default=0) + 1
    rings: dict[int, list[str]] = defaultdict(list)
    for node in simple.nodes:
        rings[distance.get(node, outer)].append(node)
    positions: dict[str, tuple[int, int]] = {centre: (0, 0)}
    angle_of: dict[str, float] = {centre: 0.0}
    radius = 0.0
    type_rank = {name: i for i, name in enumerate(CLASS_STYLES)}
    for ring in sorted(r for r in rings if r > 0):
        nodes = rings[ring]

        def parent_angle(node: str, ring: int = ring) -> float:
            near = [angle_of[p] for p in simple.neighbors(node) if distance.get(p, outer) == ring - 1]
            return min(near) if near else 0.0

        nodes.sort(key=lambda n: (parent_angle(n), type_rank.get(graph.nodes[n].get("type"), 99), n))
        radius = max(radius + 320, len(nodes) * 90 / (2 * math.pi))
        for index, node in enumerate(nodes):
            angle = 2 * math.pi * index / len(nodes)
            angle_of[node] = angle
            positions[node] = (round(radius * math.cos(angle)), round(radius * math.sin(angle)))
    return positions


# ---------------------------------------------------------------- styling


def node_tooltip(graph: nx.MultiDiGraph, node: str, source_titles: Mapping[str, str] | None = None) -> str:
    """Plain-text tooltip: name and class, years (each source's date when they differ), developers, aliases,
    one-line description, sources (by title where ``source_titles`` knows one, else by id)."""
    titles = source_titles or {}
    data = graph.nodes[node]
    lines = [f"{data.get('label', node)} ({data.get('type', '?')})"]
    if data.get("introduced"):
        lines.append(f"Introduced: {data['introduced']}")
        by_source = datings_by_source(data.get("datings") or [])
        if len(by_source) > 1:  # which source gives which date, so a disagreement stays readable
            lines.extend(f"  {value}: {', '.join(sources)}" for value, sources in by_source)
    born, died = data.get("birth_year"), data.get("death_year")
    if born or died:
        lines.append(f"Lived: {born or '?'}–{died or ''}")
    developers = sorted(graph.nodes[v].get("label", v) for _, v, key in graph.out_edges(node, keys=True)
                        if key == "developedBy")
    if developers:
        lines.append("Developed by: " + ", ".join(developers))
    if data.get("aliases"):
        lines.append("Also called: " + ", ".join(data["aliases"]))
    description = (data.get("description") or "").strip()
    if description:
        sentence = description.split(". ")[0].rstrip(".") + "."
        lines.append(textwrap.shorten(sentence, TOOLTIP_SENTENCE_CHARS, placeholder=" ..."))
    if data.get("sources"):
        lines.append("Source: " + ", ".join(titles.get(source, source) for source in data["sources"]))
    return "\n".join(lines)


def evidence_snippet(data: Mapping[str, Any]) -> str | None:
    """The first evidence quote of a fact, shortened at a word boundary for a tooltip (None if it has none)."""
    evidence = data.get("evidence") or []
    if not evidence:
        return None
    return textwrap.shorten(str(evidence[0].get("text", "")), EVIDENCE_SNIPPET_CHARS, placeholder=" ...")


def styled_view(graph: nx.MultiDiGraph, positions: Mapping[str, tuple[int, int]],
                source_titles: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes are compact vis.js records.

    Nodes carry place, label, class (its style lives once in the options' ``groups``), aliases and tooltip text.
    Edges carry their relation, source ids and first evidence quote; the page styles them from the legend and
    writes their tooltip (``<from> <relation phrase> <to>``, sources, evidence) as text. Keeping per-item data
    this small keeps a 10,000-entity page a few megabytes instead of tens.
    """
    view = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        x, y = positions[node]
        view.add_node(node, label=str(data.get("label", node)), group=str(data.get("type", "")), x=x, y=y,
                      title=node_tooltip(graph, node, source_titles), aliases=list(data.get("aliases") or []))
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        record: dict[str, Any] = {"relation": key, "sources": list(data.get("sources") or [])}
        snippet = evidence_snippet(data)
        if snippet:
            record["quote"] = snippet
        view.add_edge(u, v, key=key, **record)
    return view


def class_groups() -> dict[str, dict[str, Any]]:
    """vis.js ``groups``: one style per class (shape, colours, projector-sized label)."""
    groups: dict[str, dict[str, Any]] = {}
    for name, style in CLASS_STYLES.items():
        inside = style["shape"] in LABEL_INSIDE_SHAPES
        group: dict[str, Any] = {
            "shape": style["shape"],
            "color": {"background": style["color"], "border": "#333333",
                      "highlight": {"background": style["color"], "border": "#000000"},
                      "hover": {"background": style["color"], "border": "#000000"}},
            "font": {"size": LABEL_FONT_SIZE, "color": style["font"] if inside else "#1a1a1a",
                     "strokeWidth": 0 if inside else 4, "strokeColor": "#ffffff"},
        }
        if not inside:
            group["size"] = 16
        groups[name] = group
    return groups


def map_options(edge_count: int) -> dict[str, Any]:
    """vis.js options: physics off, no layout work in the page, interaction tuned for projectors and size."""
    large = edge_count > LARGE_MAP_EDGES
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
        "edges": {"smooth": False if large else {"type": "curvedCW", "roundness": 0.08},
                  "arrowStrikethrough": False, "selectionWidth": 1.5},
        "nodes": {"borderWidth": 1, "margin": {"top": 8, "right": 10, "bottom": 8, "left": 10}},
        "groups": class_groups(),
    }


def legend_entries(graph: nx.MultiDiGraph, requested: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
    """Classes and relations present in the map, in the ontology's order, with their styles and counts.

    On crowded maps the descriptive relations (populations, conditions, goals, techniques, concepts, phases)
    start hidden, unless asked for by name: the lineage stays legible and the page stays quick; one tick in the
    legend brings them back.
    """
    requested = set(requested)
    crowded = graph.number_of_edges() > CROWDED_MAP_EDGES
    class_counts: dict[str, int] = defaultdict(int)
    for _, data in graph.nodes(data=True):
        class_counts[str(data.get("type"))] += 1
    relation_counts: dict[str, int] = defaultdict(int)
    for _, _, key in graph.edges(keys=True):
        relation_counts[key] += 1
    classes = [{"name": name, "plural": CLASS_PLURALS[name], "count": class_counts[name],
                **CLASS_STYLES[name]} for name in CLASS_STYLES if class_counts.get(name)]
    relations = [{"name": name, "phrase": RELATION_PHRASES.get(name, name), "count": relation_counts[name],
                  "shown": not (crowded and name in DESCRIPTIVE_RELATIONS and name not in requested),
                  "arrows": "" if name in UNDIRECTED_RELATIONS else "to",
                  **RELATION_STYLES.get(name, {"color": "#999999", "dashes": False, "width": 1})}
                 for name in ENTITY_RELATIONS if relation_counts.get(name)]
    return {"classes": classes, "relations": relations}


def build_map(graph: nx.MultiDiGraph, request: MapRequest) -> GraphMap:
    """Choose, place and style the requested part of the graph; pure and deterministic.

    Raises MapError for an unknown layout, class, relation, encoding or entity, or a ``label_scale`` outside
    :data:`LABEL_SCALE_RANGE`."""
    with cyclic_gc_paused():
        return _build_map(graph, request)


def _build_map(graph: nx.MultiDiGraph, request: MapRequest) -> GraphMap:
    if request.layout not in LAYOUTS:
        raise MapError(f"unknown layout '{request.layout}'; choose from {', '.join(LAYOUTS)}")
    if not LABEL_SCALE_RANGE[0] <= request.label_scale <= LABEL_SCALE_RANGE[1]:
        raise MapError(f"label scale {request.label_scale:g} is outside {LABEL_SCALE_RANGE[0]:g}-"
                       f"{LABEL_SCALE_RANGE[1]:g}")
    stops = story_ids(request.story)
    for entity_id in [*([request.focus] if request.focus else []), *stops]:
        if entity_id not in graph:
            raise MapError(f"'{entity_id}' is not in the graph")
    selection = select_neighbourhood(graph, request.focus or None, request.depth, request.types, request.relations,
                                     keep=stops, max_nodes=request.max_nodes)
    chosen = selection.graph
    guides: dict[str, Any] = {}
    if request.layout == "lineage":
        positions, guides = lineage_positions(chosen)
    elif request.layout == "force":
        positions = force_positions(chosen)
    else:
        positions = radial_positions(chosen, request.focus)
    if request.colour_by not in COLOUR_BY:
        raise MapError(f"unknown colour encoding '{request.colour_by}'; choose from {', '.join(COLOUR_BY)}")
    if request.size_by not in SIZE_BY:
        raise MapError(f"unknown size encoding '{request.size_by}'; choose from {', '.join(SIZE_BY)}")
    network = pyvis_network_from_nx(styled_view(chosen, positions, request.source_titles), heading=request.title)
    legend: dict[str, Any] = dict(legend_entries(chosen, request.relations))
    colours, legend["colours"] = colour_encoding(chosen, request.colour_by)
    factors, legend["size"] = size_encoding(chosen, request.size_by)
    groups = class_groups()
    for record in network.nodes:
        node = record["id"]
        year = _recorded_year(chosen.nodes[node])
        if year is not None:
            record["yr"] = year
        elif chosen.nodes[node].get("type") == "Theorist" and isinstance(chosen.nodes[node].get("birth_year"), int):
            record["yr"] = chosen.nodes[node]["birth_year"] + 30  # as the lineage layout places theorists
        elif request.layout == "lineage":  # undated: placed beside relatives, marked with a dashed outline
            record["shapeProperties"] = {"borderDashes": [6, 4]}
            record["borderWidth"] = 2
        group = groups.get(str(record.get("group")), {})
        if node in colours:
            record["color"] = {"background": colours[node], "border": "#333333",
                               "highlight": {"background": colours[node], "border": "#000000"},
                               "hover": {"background": colours[node], "border": "#000000"}}
            if group.get("font", {}).get("strokeWidth") == 0:  # label drawn on the fill: keep it legible
                record["font"] = {"color": "#ffffff" if _luminance(colours[node]) < 0.35 else "#1a1a1a"}
        if factors.get(node, 1.0) != 1.0:
            record["font"] = {**record.get("font", {}), "size": round(LABEL_FONT_SIZE * factors[node], 1)}
            if "size" in group:
                record["size"] = round(group["size"] * factors[node], 1)
    if request.label_scale != 1.0:  # a bigger or smaller label size chosen before the page opens
        for record in network.nodes:
            size = record.get("font", {}).get("size", LABEL_FONT_SIZE)
            record["font"] = {**record.get("font", {}), "size": round(size * request.label_scale, 1)}
    story = [story_record(chosen, step) for step in request.story]
    return GraphMap(title=request.title, layout=request.layout, nodes=network.nodes, edges=network.edges,
                    legend=legend, story=story, guides=guides,
                    options=map_options(chosen.number_of_edges()), truncated=selection.truncated,
                    focus=request.focus or None, source_titles=dict(request.source_titles),
                    opening=[] if request.focus else opening_entities(chosen, guides, positions))


DESCRIPTIVE_CLASSES = frozenset(r.range for r in vocabulary().relations if r.name in DESCRIPTIVE_RELATIONS)
def _luminance(colour: str) -> float:
    """Relative luminance (0 black - 1 white) of ``#rrggbb``, as WCAG 2.x defines it."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def colour_encoding(graph: nx.MultiDiGraph, by: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Per-entity fill colours and their legend for ``--colour-by``: ``class`` gives none (the class styles stay);
    ``family`` colours each lineage family (:func:`family_bands`; largest first) from :data:`FAMILY_PALETTE`, the
    rest grey; ``decade`` colours by the decade of the recorded year (theorists: birth + 30) on
    :data:`DECADE_RAMP`, undated grey. Legend entries are ``{"name", "color", "count"}``."""
    if by == "class":
        return {}, []
    if by == "family":
        bands = family_bands(graph, placement_years(graph))
        families: dict[str, list[str]] = defaultdict(list)
        for node, band in bands.items():
            if band.startswith("family:"):
                families[band].append(node)
        ranked = sorted(families, key=lambda band: (-len(families[band]), band))
        colours: dict[str, str] = {}
        legend: list[dict[str, Any]] = []
        for index, band in enumerate(ranked[:len(FAMILY_PALETTE)]):
            root = band.split(":", 1)[1]
            legend.append({"name": f"{graph.nodes[root].get('label', root)} family", "color": FAMILY_PALETTE[index],
                           "count": len(families[band])})
            colours.update({node: FAMILY_PALETTE[index] for node in families[band]})
        rest = [node for node in graph.nodes if node not in colours]
        colours.update({node: OTHER_COLOUR for node in rest})
        if rest:
            legend.append({"name": "other families and classes", "color": OTHER_COLOUR, "count": len(rest)})
        return colours, legend
    decades: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        year = _recorded_year(data)
        if year is None and data.get("type") == "Theorist" and isinstance(data.get("birth_year"), int):
            year = data["birth_year"] + 30
        if year is not None:
            decades[node] = year // 10 * 10
    present = sorted(set(decades.values()))
    shade = {decade: DECADE_RAMP[round(i * (len(DECADE_RAMP) - 1) / max(len(present) - 1, 1))]
             for i, decade in enumerate(present)}
    colours = {node: shade[decade] for node, decade in decades.items()}
    counts: dict[int, int] = defaultdict(int)
    for decade in decades.values():
        counts[decade] += 1
    legend = [{"name": f"{decade}s", "color": shade[decade], "count": counts[decade]} for decade in present]
    undated = [node for node in graph.nodes if node not in decades]
    colours.update({node: OTHER_COLOUR for node in undated})
    if undated:
        legend.append({"name": "undated", "color": OTHER_COLOUR, "count": len(undated)})
    return colours, legend


def size_encoding(graph: nx.MultiDiGraph, by: str) -> tuple[dict[str, float], dict[str, Any]]:
    """Per-entity size factors in :data:`SIZE_RANGE` (linear in the measure, least to most) and the legend
    for ``--size-by``: ``degree`` (facts touching the entity), ``betweenness`` (networkx betweenness centrality
    of the undirected simple graph, normalised; estimated from :data:`BETWEENNESS_SAMPLE` seeded sources on
    larger maps), ``descendants`` (entities that reach it along subtypeOf/derivedFrom/groundedIn: what grew from
    it). ``none``: no factors, no legend."""
    if by == "none" or graph.number_of_nodes() == 0:
        return {}, {}
    if by == "degree":
        measure: dict[str, float] = {node: float(graph.degree(node)) for node in graph.nodes}
        label = "facts touching the entity (degree)"
    elif by == "betweenness":
        simple = nx.Graph(graph)
        sample = BETWEENNESS_SAMPLE if simple.number_of_nodes() > BETWEENNESS_SAMPLE else None
        measure = nx.betweenness_centrality(simple, k=sample, seed=7 if sample else None)
        label = "betweenness centrality (on the paths between others)"
    else:
        lineage = nx.DiGraph()
        lineage.add_nodes_from(graph.nodes)
        lineage.add_edges_from((u, v) for u, v, key in graph.edges(keys=True) if key in LINEAGE_BAND_RELATIONS)
        measure = {node: float(len(nx.ancestors(lineage, node))) for node in lineage.nodes}
        label = "descendants (what grew from it along subtype, derived from, grounded in)"
    low, high = min(measure.values()), max(measure.values())
    span = high - low
    factors = {node: round(SIZE_RANGE[0] + (SIZE_RANGE[1] - SIZE_RANGE[0]) * ((value - low) / span if span else 0.0), 3)
               for node, value in measure.items()}
    top = max(measure, key=lambda node: (measure[node], node))
    return factors, {"by": by, "label": label, "least": round(low, 4), "most": round(high, 4),
                     "largest": str(graph.nodes[top].get("label", top))}


CAPTION_NAME_CHARS = 3  # names shorter than this (after normalising) are not looked for in captions


def named_in(graph: nx.MultiDiGraph, text: str, exclude: str = "") -> list[str]:
    """Entities of ``graph`` that ``text`` names, in order of first mention, ``exclude`` left out.

    Names are compared as whole words with case, accents and punctuation folded (:func:`normalise_name`); longer
    names win over names inside them ("mentalization-based treatment" is not also "mentalization"); entities of
    the descriptive classes (populations, conditions, goals, techniques, concepts, phases) count only by their
    label, not by an alias (so "their parents" does not name *Parents and caregivers*)."""
    folded = f" {normalise_name(text)} "
    if not folded.strip():
        return []
    spans: list[tuple[int, int, str]] = []
    for node, data in graph.nodes(data=True):
        names = [data.get("label", node)]
        if str(data.get("type")) not in DESCRIPTIVE_CLASSES:
            names += list(data.get("aliases") or [])
        for name in names:
            key = normalise_name(str(name))
            if len(key) < CAPTION_NAME_CHARS:
                continue
            start = folded.find(f" {key} ")
            while start >= 0:
                spans.append((start + 1, start + 1 + len(key), node))
                start = folded.find(f" {key} ", start + 1)
    taken: list[tuple[int, int]] = []
    first: dict[str, int] = {}
    for begin, end, node in sorted(spans, key=lambda span: (span[0] - span[1], span[0], span[2])):
        if any(begin < other_end and other_begin < end for other_begin, other_end in taken):
            continue
        taken.append((begin, end))
        first[node] = min(begin, first.get(node, begin))
    return sorted((n for n in first if n != exclude), key=lambda n: (first[n], n))


def story_record(graph: nx.MultiDiGraph, step: StoryStep) -> dict[str, Any]:
    """A story step as the page reads it: entity, caption, notes, relations and classes to show, and ``shows``:
    the entities its caption names (see :func:`named_in`), which the step's view fits beside the entity."""
    record: dict[str, Any] = {"id": step.id, "caption": step.caption,
                              "shows": named_in(graph, step.caption, exclude=step.id)}
    if step.notes:
        record["notes"] = step.notes
    if step.relations:
        record["relations"] = list(step.relations)
    if step.types:
        record["types"] = list(step.types)
    return record


def opening_entities(graph: nx.MultiDiGraph, guides: Mapping[str, Any],
                     positions: Mapping[str, tuple[int, int]]) -> list[str]:
    """What a map without a focus opens on when the whole of it would be too small to read: in the lineage
    layout the family band with the most entities (ties: the upper band), elsewhere the best-connected entity
    (most facts, ties by id) with its neighbours. Sorted ids; empty for an empty graph."""
    if graph.number_of_nodes() == 0:
        return []
    bands = [band for band in guides.get("bands", []) if str(band.get("title", "")).endswith(" family")]
    if bands:
        def members(band: Mapping[str, Any]) -> list[str]:
            return [n for n, (_, y) in positions.items() if band["top"] <= y <= band["bottom"]]

        densest = max(bands, key=lambda band: (len(members(band)), -band["top"]))
        return sorted(members(densest))
    hub = min(graph.nodes, key=lambda n: (-graph.degree(n), n))
    return sorted({hub, *graph.successors(hub), *graph.predecessors(hub)})


# ---------------------------------------------------------------- rendering one self-contained page


@cache
def asset_text(name: str) -> str:
    """A vendored or hand-written file from graph/sinks/map_assets."""
    return resources.files("graph.sinks").joinpath("map_assets", name).read_text(encoding="utf-8")


def script_safe_json(value: object) -> str:
    """JSON that cannot end a <script> element or open a comment: <, >, & and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header id="bar">
  <h1 id="map-title">{title}</h1>
  <label class="search"><span>Find</span><input id="search" type="search" autocomplete="off"
    placeholder="name or alias" aria-label="Find an entity by name"></label>
  <ul id="search-results" hidden></ul>
  <button id="fit" type="button" title="Show the whole map (0)">Whole map</button>
  <button id="present" type="button" hidden title="Presentation: right arrow / Page Down / space = next,
left arrow / Page Up = back, Esc = leave; P = presenter view (notes, next step, time), B = black screen,
F = full screen">Present ▶</button>
</header>
<main id="map" aria-label="Map"></main>
<section id="timeline" hidden aria-label="Time slider"><button id="timeline-play" type="button"
  title="Reveal decade by decade">▶</button>
  <input id="timeline-decade" type="range" min="0" max="0" step="1" aria-label="Show approaches up to this decade">
  <output id="timeline-label"></output></section>
<aside id="legend" aria-label="Legend and filters">
  <h2>Classes</h2><ul id="legend-classes"></ul>
  <h2>Relations</h2><ul id="legend-relations"></ul>
  <div id="legend-encoding" hidden><h2 id="legend-colour-title">Colour</h2><ul id="legend-colours"></ul>
  <p id="legend-size"></p></div>
  <p class="hint">Click an entity to highlight its neighbours; click the background to clear.
  Untick a class or relation to hide it.</p>
</aside>
<section id="details" hidden aria-live="polite">
  <button id="details-close" type="button" aria-label="Close">×</button>
  <pre id="details-text"></pre></section>
<div id="blackout" hidden></div>
<section id="story" hidden aria-live="polite"><div id="story-count"></div><div id="story-title"></div>
  <div id="story-caption"></div></section>
<script id="map-data" type="application/json">{data}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""


def render_map_html(graph_map: GraphMap) -> str:
    """One self-contained HTML page: vis-network, our code and the data inlined; no request leaves the file.

    A Content-Security-Policy allows only the page's own scripts (by hash) and forbids every fetch, so even an
    entity name that smuggled markup could neither run nor phone home. All data is JSON in a non-executable
    script element and reaches the page through textContent and canvas text only.
    """
    with cyclic_gc_paused():
        return _render_map_html(graph_map)


def _render_map_html(graph_map: GraphMap) -> str:
    vis, app = asset_text("vis-network.min.js"), asset_text("map.js")
    sources = sorted({source for edge in graph_map.edges for source in edge.get("sources", [])})
    number = {source: index for index, source in enumerate(sources)}
    edges = [{"from": e["from"], "to": e["to"], "relation": e["relation"],
              "s": [number[source] for source in e.get("sources", [])],
              **({"quote": e["quote"]} if e.get("quote") else {})} for e in graph_map.edges]
    data = {"title": graph_map.title, "layout": graph_map.layout, "nodes": graph_map.nodes, "edges": edges,
            "sources": [graph_map.source_titles.get(source, source) for source in sources],
            "legend": graph_map.legend, "story": graph_map.story, "guides": graph_map.guides,
            "options": graph_map.options, "focus": graph_map.focus, "opening": graph_map.opening}
    csp = ("default-src 'none'; script-src " + _csp_hash(vis) + " " + _csp_hash(app)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return PAGE.format(csp=csp, title=escape_html(graph_map.title), css=asset_text("map.css"),
                       data=script_safe_json(data), vis=vis, app=app)


def generate_map_html(graph: nx.MultiDiGraph, request: MapRequest) -> str:
    """The whole pipeline, pure: networkx view -> positioned, styled map -> HTML string."""
    return render_map_html(build_map(graph, request))


def write_map(path: Path, html: str) -> None:
    """Write the page atomically with the umask's permissions (:func:`graph.files.write_atomically`): a reader
    never sees half a file, a failure leaves the old one."""
    write_atomically(path, html)


def story_ids(steps: Sequence[StoryStep]) -> list[str]:
    """The entity ids of a story, in order."""
    return [step.id for step in steps]


def pyvis_network_from_nx(graph: nx.MultiDiGraph, heading: str = "") -> Network:
    """A directed pyvis Network holding the nodes and edges of a styled networkx view, in the graph's order.

    Node and edge attributes are taken as vis.js records (label, x, y, shape, color, title, ...); edges need
    an ``id`` attribute if several share a pair of nodes. Filled directly rather than through ``add_node`` and
    ``add_edge``, whose per-item membership checks make large maps quadratic; the data is what pyvis holds.
    """
    from pyvis.network import Network  # noqa: F811 (imported lazily: only maps need pyvis)

    network = Network(directed=True, heading=heading, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        network.nodes.append({"id": node, **data})
        network.node_ids.append(node)
        network.node_map[node] = network.nodes[-1]
    for source, target, data in graph.edges(data=True):
        network.edges.append({"from": source, "to": target, **data})
    return network
