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


@st.cache_data(show_spinner=False, max_entries=8)
def family_navbox(token: str, _graph: nx.MultiDiGraph) -> tuple[list[str], list[str]]:
    """The families of approaches as link rows (family: members, largest first) and the approaches in no family,
    computed once per graph (25,000 links at 20,000 modalities)."""
    dated, undated = approaches_by_decade(_graph)
    members: dict[str, list[str]] = {}
    for node, family in families_of(_graph, [n for _, ids in dated for n in ids] + undated).items():
        members.setdefault(family, []).append(node)
    rows = []
    for family, ids in sorted(members.items(), key=lambda item: (-len(item[1]), label_of(_graph, item[0]).casefold())):
        if len(ids) < 2:
            continue
        others = sorted((n for n in ids if n != family), key=lambda n: label_of(_graph, n).casefold())
        rows.append(anchor(page_href(entity=family), label_of(_graph, family), after=": ") + " · ".join(
            anchor(page_href(entity=n), label_of(_graph, n)) for n in others))
    loners = sorted((ids[0] for ids in members.values() if len(ids) == 1),
                    key=lambda n: label_of(_graph, n).casefold())
    return rows, [anchor(page_href(entity=n), label_of(_graph, n)) for n in loners]


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
for row in family_rows:
    link_list([row])
if loners:
    with st.expander(f"{len(loners)} approaches in no family"):
        link_list(loners)

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
