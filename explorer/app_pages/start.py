"""Start page: what the graph holds, the families of approaches as a navbox, questions to try, a relation glossary."""

from __future__ import annotations

import html
from collections import Counter

import streamlit as st

from explorer.data import current_data
from explorer.markup import LINEAGE_PAGE, anchor, escape_markdown, link_list, page_href
from graph.views.explore import approaches_by_decade, families_of, label_of
from graph.views.lineage import RELATION_PHRASES

data = current_data()
graph = data.graph
st.title("The therapy knowledge graph")
counts = Counter(str(d.get("type") or "other") for _, d in graph.nodes(data=True))
st.markdown(escape_markdown(f"{graph.number_of_nodes():,} entities and {graph.number_of_edges():,} facts from "
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
dated, undated = approaches_by_decade(graph)
members: dict[str, list[str]] = {}
for node, family in families_of(graph, [n for _, ids in dated for n in ids] + undated).items():
    members.setdefault(family, []).append(node)
for family, ids in sorted(members.items(), key=lambda item: (-len(item[1]), label_of(graph, item[0]).casefold())):
    if len(ids) < 2:
        continue
    others = sorted((n for n in ids if n != family), key=lambda n: label_of(graph, n).casefold())
    link_list([anchor(page_href(entity=family), label_of(graph, family), after=": ") + " · ".join(
        anchor(page_href(entity=n), label_of(graph, n)) for n in others)])
loners = sorted((ids[0] for ids in members.values() if len(ids) == 1), key=lambda n: label_of(graph, n).casefold())
if loners:
    with st.expander(f"{len(loners)} approaches in no family"):
        link_list([anchor(page_href(entity=n), label_of(graph, n)) for n in loners])

st.subheader("What the relations mean")
examples: dict[str, tuple[str, str]] = {}  # each relation's first fact in (subject, object) order, in one pass
for subject, obj, relation in graph.edges(keys=True):
    if relation not in examples or (subject, obj) < examples[relation]:
        examples[relation] = (subject, obj)
glossary = []
for relation, phrase in RELATION_PHRASES.items():
    if relation in examples:
        subject, obj = examples[relation]
        glossary.append(f"<b>{html.escape(phrase)}</b> ({html.escape(relation)}): "
                        + anchor(page_href(entity=subject), label_of(graph, subject), after=f" {phrase} ")
                        + anchor(page_href(entity=obj), label_of(graph, obj)))
link_list(glossary)
