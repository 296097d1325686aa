"""Start page: what the graph holds, the families of approaches as a navbox, questions to try, a relation glossary."""

from __future__ import annotations

import html
from collections import Counter

import networkx as nx
import streamlit as st

from explorer.data import current_data
from explorer.markup import LINEAGE_PAGE, anchor, escape_markdown, link_list, page_href
from graph.views.explore import approaches_by_decade, families_of, label_of
from graph.views.lineage import RELATION_PHRASES

FAMILIES_SHOWN = 30  # family rows drawn at first and per "show more" (the bundled graph has 13)
MEMBERS_SHOWN = 24  # links per family row; the rest are one link away, on the family's lineage page
LONERS_SHOWN = 200  # approaches in no family listed in the expander (the bundled graph has 69)
MORE_FAMILIES = "start-families-shown"  # st.session_state key: how many family rows this session shows


@st.cache_data(show_spinner=False, max_entries=8)
def family_navbox(token: str, _graph: nx.MultiDiGraph) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The families of approaches, largest first, as ``(family, members sorted by label)``, and the approaches in
    no family sorted by label; computed once per graph (about 4,000 families at 20,000 modalities)."""
    dated, undated = approaches_by_decade(_graph)
    members: dict[str, list[str]] = {}
    for node, family in families_of(_graph, [n for _, ids in dated for n in ids] + undated).items():
        members.setdefault(family, []).append(node)
    rows = []
    for family, ids in sorted(members.items(), key=lambda item: (-len(item[1]), label_of(_graph, item[0]).casefold())):
        if len(ids) < 2:
            continue
        rows.append((family, sorted((n for n in ids if n != family), key=lambda n: label_of(_graph, n).casefold())))
    loners = sorted((ids[0] for ids in members.values() if len(ids) == 1),
                    key=lambda n: label_of(_graph, n).casefold())
    return rows, loners


def navbox_row(graph: nx.MultiDiGraph, family: str, members: list[str]) -> str:
    """One navbox row: the family, then its first :data:`MEMBERS_SHOWN` members, each a link; a longer family
    ends in a link to its lineage page, which shows every member."""
    shown = " · ".join(anchor(page_href(entity=n), label_of(graph, n)) for n in members[:MEMBERS_SHOWN])
    rest = len(members) - MEMBERS_SHOWN
    more = anchor(page_href(LINEAGE_PAGE, entity=family), f"{rest:,} more", before=" · ") if rest > 0 else ""
    return anchor(page_href(entity=family), label_of(graph, family), after=": ") + shown + more


@st.cache_data(show_spinner=False, max_entries=8)
def relation_examples(token: str, _graph: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """Each relation's first fact in (subject, object) order, found in one pass over the facts, once per graph."""
    examples: dict[str, tuple[str, str]] = {}
    for subject, obj, relation in _graph.edges(keys=True):
        if relation not in examples or (subject, obj) < examples[relation]:
            examples[relation] = (subject, obj)
    return examples


data = current_data()
graph = data.graph
st.title("The therapy knowledge graph")
counts = Counter(str(d.get("type") or "other") for _, d in graph.nodes(data=True))
entities, facts = data.counts
st.markdown(escape_markdown(f"{entities:,} entities and {facts:,} facts from "
                            f"{len(data.sources):,} sources: ") + ", ".join(
    f"{count:,} {escape_markdown(kind)}" for kind, count in counts.most_common()) + ".")

st.subheader("Try these")
tries = [
    (page_href(entity="modality/mentalization-based-treatment"), "Where did Mentalization-Based Treatment come from?"),
    (page_href(LINEAGE_PAGE, entity="theory/attachment-theory"), "What grew from attachment theory?"),
    (page_href(LINEAGE_PAGE, **{"from": "modality/dialectical-behaviour-therapy", "to": "theorist/sigmund-freud"}),
     "How is DBT connected to Freud?"),
    (page_href("app_pages/timeline.py"), "Which approaches appeared in each decade?"),
    (page_href(q="EFT"), "Which therapies are called EFT?"),
]
link_list([anchor(href, question) for href, question in tries])

st.subheader("Families of approaches")
family_rows, loners = family_navbox(data.token, graph)
# A navbox, not a directory: the largest families first, more on request (at 20,000 modalities all 4,000 rows took
# seconds to draw and made the page unreadable).
shown = min(len(family_rows), max(FAMILIES_SHOWN, int(st.session_state.get(MORE_FAMILIES, FAMILIES_SHOWN))))
link_list([navbox_row(graph, family, members) for family, members in family_rows[:shown]])
if shown < len(family_rows):
    st.caption(f"The {shown:,} largest of {len(family_rows):,} families; every approach is also found by search.")
    if st.button(f"Show {min(FAMILIES_SHOWN, len(family_rows) - shown):,} more families", key="more-families"):
        st.session_state[MORE_FAMILIES] = shown + FAMILIES_SHOWN
        st.rerun()
if loners:
    with st.expander(f"{len(loners):,} approaches in no family"):
        link_list([anchor(page_href(entity=n), label_of(graph, n)) for n in loners[:LONERS_SHOWN]])
        if len(loners) > LONERS_SHOWN:
            st.caption(f"The first {LONERS_SHOWN} by name; search finds the other {len(loners) - LONERS_SHOWN:,}.")

st.subheader("What the relations mean")
examples = relation_examples(data.token, graph)
glossary = []
for relation, phrase in RELATION_PHRASES.items():
    if relation in examples:
        subject, obj = examples[relation]
        glossary.append(f"<b>{html.escape(phrase)}</b> ({html.escape(relation)}): "
                        + anchor(page_href(entity=subject), label_of(graph, subject), after=f" {phrase} ")
                        + anchor(page_href(entity=obj), label_of(graph, obj)))
link_list(glossary)
