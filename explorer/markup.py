"""Safe text for Streamlit: Markdown-escaped labels, entity links and pickers shared by the explorer pages."""

from __future__ import annotations

import re
from collections.abc import Iterable

import streamlit as st

from graph.views.backends import LoadedGraph
from graph.views.explore import label_of

ENTITY_PAGE = "app_pages/search.py"
LINEAGE_PAGE = "app_pages/lineage.py"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def escape_markdown(text: object) -> str:
    """Text that Markdown shows literally: every punctuation mark that could format, link or embed is escaped.

    Streamlit never renders raw HTML in Markdown without ``unsafe_allow_html`` (which we never pass); escaping
    also stops a label from turning into a link, an image, a heading or a colour directive.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def entity_caption(data: LoadedGraph, entity_id: str) -> str:
    """``Label (Type)`` for a picker option."""
    node = data.graph.nodes.get(entity_id, {})
    return f"{label_of(data.graph, entity_id)} ({node.get('type', '?')})"


def entity_link(entity_id: str, label: str, page: str = ENTITY_PAGE) -> None:
    """A link that opens an entity (its id goes in the URL, so the view is shareable)."""
    st.page_link(page, label=escape_markdown(label), query_params={"entity": entity_id})


def entity_picker(data: LoadedGraph, label: str, key: str, current: str | None,
                  types: Iterable[str] | None = None, allow_empty: bool = False) -> str | None:
    """Type part of a name, then choose among the matches; returns the chosen entity id (or None)."""
    typed = st.text_input(label, key=f"{key}-search", placeholder="type part of a name or acronym")
    hits = [hit.id for hit in data.search.search(typed, 25, types)] if typed.strip() else []
    options: list[str | None] = [None] if allow_empty else []
    if hits:
        options.extend(hits)
    elif current and current in data.graph:
        options.append(current)
    if not options:
        st.caption("No match yet: type a name above.")
        return None
    # keep the current choice when it is among the options; otherwise take the best match
    chosen_before = current is not None and current in options
    index = options.index(current) if chosen_before else (1 if allow_empty and hits else 0)
    return st.selectbox(f"{label}: choose", options, index=index, label_visibility="collapsed",
                        format_func=lambda i: "—" if i is None else entity_caption(data, i))
