"""Map page: the interactive vis-network map of the maps module, embedded, with its filters and an offline download."""

from __future__ import annotations

import streamlit as st

from explorer.data import current_data
from explorer.markup import (
    anchor,
    choice_param,
    entity_caption,
    entity_param,
    entity_picker,
    escape_markdown,
    int_param,
    list_param,
    page_href,
)
from graph.sinks.maps import CLASS_STYLES, LAYOUTS, MapError, MapRequest, build_map, render_map_html
from graph.views.backends import LoadedGraph
from graph.views.explore import label_of
from graph.views.lineage import RELATION_PHRASES
from graph.views.neighbourhood import select_neighbourhood
from ontology.records import ENTITY_RELATIONS

MAX_MAP_NODES = 300


@st.cache_data(show_spinner="Drawing the map…", max_entries=32)
def map_html(token: str, focus: str, depth: int, types: tuple[str, ...], relations: tuple[str, ...], layout: str,
             label_percent: int, _data: LoadedGraph) -> tuple[str, int, bool]:
    """The map page for one set of filters and a label size (per cent of the maps' own): HTML, entity count, and
    whether the neighbourhood was cut short."""
    graph = _data.graph
    request = MapRequest(focus=focus, depth=depth, types=types, relations=relations, layout=layout,
                         title=f"therapy-kg: around {label_of(graph, focus)}", max_nodes=MAX_MAP_NODES,
                         label_scale=label_percent / 100)
    graph_map = build_map(graph, request)
    return render_map_html(graph_map), len(graph_map.nodes), graph_map.truncated


@st.cache_data(show_spinner=False, max_entries=32)
def map_outline(token: str, focus: str, depth: int, types: tuple[str, ...], relations: tuple[str, ...],
                _data: LoadedGraph) -> tuple[list[str], list[str]]:
    """The map in words, its text alternative (WCAG 1.1.1): one HTML link per entity (with type, developers and
    decade) and one sentence per fact ("X is grounded in Y", names linked), for the same selection as the map."""
    graph = _data.graph
    chosen = select_neighbourhood(graph, focus, depth, types, relations, max_nodes=MAX_MAP_NODES).graph
    entities = [anchor(page_href(entity=node), entity_caption(_data, node))
                for node in sorted(chosen.nodes, key=lambda n: label_of(graph, n).casefold())]
    facts = [anchor(page_href(entity=subject), label_of(graph, subject)) + " "
             + anchor(page_href(entity=obj), label_of(graph, obj),
                      before=f"{RELATION_PHRASES.get(relation, relation)} ")
             for subject, obj, relation in sorted(chosen.edges(keys=True), key=lambda e: (
                 label_of(graph, e[0]).casefold(), e[2], label_of(graph, e[1]).casefold()))]
    return entities, facts


data = current_data()
graph = data.graph
st.title("Map")
fallback = next((n for n in ("modality/mentalization-based-treatment", "theory/attachment-theory") if n in graph),
                next(iter(graph.nodes), None))
current = entity_param(data, "focus", fallback)
first_row, second_row = st.columns([2, 1]), st.columns(2)
with first_row[0]:
    focus = entity_picker(data, "Centre the map on", "map-focus", current)
with first_row[1]:
    depth = st.slider("Steps out from it", 0, 4, int_param("depth", 2, 0, 4))
    layout_param = choice_param("layout", LAYOUTS, LAYOUTS[0])
    layout = st.selectbox("Layout", LAYOUTS, index=LAYOUTS.index(layout_param),
                          help="lineage: time left to right, families top to bottom; force: springs; radial: rings")
    labels = st.slider("Label size (%)", 60, 200, int_param("labels", 100, 60, 200), step=10,
                       help="Bigger names for a projector, smaller to see more at once (+ and - on the map too)")
with second_row[0]:
    types = st.multiselect("Only these classes (none = all)", list(CLASS_STYLES),
                           default=list_param("types", CLASS_STYLES))
with second_row[1]:
    relations = st.multiselect("Only these relations (none = all)", list(ENTITY_RELATIONS),
                               default=list_param("relations", ENTITY_RELATIONS))

if focus:
    wanted = {"focus": focus, "depth": str(depth), "types": ",".join(types), "relations": ",".join(relations),
              "layout": layout, "labels": str(labels) if labels != 100 else ""}
    for name, value in wanted.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]
    try:
        html, shown, truncated = map_html(data.token, focus, depth, tuple(types), tuple(relations), layout, labels,
                                          data)
    except MapError as error:
        st.error(escape_markdown(str(error)))
    else:
        st.caption(f"{shown:,} entities around {escape_markdown(label_of(graph, focus))}."
                   + (f" Cut at {MAX_MAP_NODES} entities: lower the steps or filter classes to see a part in full."
                      if truncated else ""))
        st.download_button("Download this map (one HTML file, works offline)", html.encode("utf-8"),
                           file_name=f"therapy-kg-{focus.replace('/', '-')}.html", mime="text/html",
                           icon=":material/download:")
        if hasattr(st, "iframe"):  # Streamlit >= 1.5x: the successor of components.v1.html
            st.iframe(html, height=720)
        else:
            import streamlit.components.v1 as components

            components.html(html, height=720, scrolling=False)
        entities, facts = map_outline(data.token, focus, depth, tuple(types), tuple(relations), data)
        with st.expander(f"The map in words: {len(entities):,} entities and {len(facts):,} facts"):
            st.markdown("**Entities**")
            st.markdown('<ul class="tkg-map-entities">' + "".join(f"<li>{item}</li>" for item in entities)
                        + "</ul>", unsafe_allow_html=True)
            st.markdown("**Facts**")
            st.markdown('<ul class="tkg-map-facts">' + "".join(f"<li>{item}</li>" for item in facts) + "</ul>",
                        unsafe_allow_html=True)
