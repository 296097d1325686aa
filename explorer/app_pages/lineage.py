"""Lineage page: the family tree of a modality or theory, its timeline by decade, and the path between two entities."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from explorer.data import current_data
from explorer.family_chart import chart_png, chart_svg, family_chart
from explorer.markup import LINEAGE_PAGE, choice_param, entity_param, entity_picker, escape_markdown, page_href
from graph.views.explore import family_tree, label_of, path_in_words, timeline_by_decade, tree_outline

TREE_LIMIT = 150
SIBLINGS_SHOWN = 8  # a larger sibling group shows its first 8 and a "+ n more" box until "show all" is on

data = current_data()
graph = data.graph
st.title("Lineage")
st.caption("Where an approach came from (its parents, theories and founders) and what grew out of it.")

current = entity_param(data, "entity", next(
    (n for n in ("modality/mentalization-based-treatment", "theory/attachment-theory") if n in graph), None))
chosen = entity_picker(data, "Modality or theory", "lineage", current, types=("Modality", "Theory", "Theorist"))
if chosen and chosen != st.query_params.get("entity"):
    st.query_params["entity"] = chosen

if chosen:
    up = family_tree(graph, chosen, "up", TREE_LIMIT)
    down = family_tree(graph, chosen, "down", TREE_LIMIT)
    st.subheader(f"Family tree of {escape_markdown(label_of(graph, chosen))}")
    show_all = choice_param("all", ("0", "1"), "0") == "1"
    chart = family_chart(graph, chosen, None if show_all else SIBLINGS_SHOWN, TREE_LIMIT)
    controls = st.columns([2, 1, 1], vertical_alignment="center")
    with controls[0]:
        wanted = st.toggle("Show all relatives (large sibling groups are folded after 8)", value=show_all,
                           key=f"lineage-all-{chosen}", disabled=not (chart.hidden or show_all))
    if wanted != show_all:
        if wanted:
            st.query_params["all"] = "1"
        else:
            del st.query_params["all"]
        st.rerun()
    slug = chosen.rsplit("/", 1)[-1]
    with controls[1]:
        st.download_button("Download SVG", lambda: chart_svg(chart), f"family-tree-{slug}.svg", "image/svg+xml",
                           on_click="ignore", icon=":material/download:")
    with controls[2]:
        st.download_button("Download PNG", lambda: chart_png(chart), f"family-tree-{slug}.png", "image/png",
                           on_click="ignore", icon=":material/download:")
    root: str = chosen
    st.markdown('<div class="tkg-tree" style="overflow-x:auto">' + chart_svg(
        chart, lambda box: page_href(LINEAGE_PAGE, entity=root, all="1") if box.kind == "more"
        else page_href(LINEAGE_PAGE, entity=box.id, all="1" if show_all else "")) + "</div>",
                unsafe_allow_html=True)
    if chart.hidden:
        st.caption(f"{chart.hidden:,} more relatives are folded away; “Show all relatives” draws them, "
                   "and the outline below lists every one.")
    else:
        st.caption("The same tree in words: the Ancestors and Descendants outlines below.")
    ancestors, descendants = st.columns(2)
    with ancestors:
        st.markdown("**Ancestors** (origins, theories, founders)")
        st.text(tree_outline(graph, chosen, up, "up") if up else "none recorded")
        if len(up) >= TREE_LIMIT:
            st.caption(f"first {TREE_LIMIT} shown")
    with descendants:
        st.markdown("**Descendants** (what grew from it)")
        st.text(tree_outline(graph, chosen, down, "down") if down else "none recorded")
        if len(down) >= TREE_LIMIT:
            st.caption(f"first {TREE_LIMIT} shown")

    st.subheader("Timeline by decade")
    family = [chosen, *(line.id for line in up), *(line.id for line in down)]
    timeline = timeline_by_decade(graph, family)
    counts = {decade: len(labels) for decade, labels in timeline if decade != "undated"}
    if counts:
        st.bar_chart({"entities": counts}, x_label="decade", y_label="entities introduced or born")
    st.dataframe([{"decade": decade, "count": len(labels), "who / what": ", ".join(labels)}
                  for decade, labels in timeline], hide_index=True, width="stretch")

st.subheader("How are two entities connected?")
start_column, end_column = st.columns(2)
with start_column:
    start = entity_picker(data, "From", "path-from", entity_param(data, "from", None))
with end_column:
    end = entity_picker(data, "To", "path-to", entity_param(data, "to", None))
if start and end:
    if st.query_params.get("from") != start:
        st.query_params["from"] = start
    if st.query_params.get("to") != end:
        st.query_params["to"] = end
    try:
        sentences = path_in_words(graph, start, end)
    except nx.NetworkXNoPath:
        st.warning(escape_markdown(f"{label_of(graph, start)} and {label_of(graph, end)} are not connected "
                                   "in this graph."))
    else:
        if not sentences:
            st.info("That is the same entity.")
        else:
            st.markdown("\n".join(f"{number}. {escape_markdown(sentence)}"
                                  for number, sentence in enumerate(sentences, start=1)))
