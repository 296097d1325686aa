"""Safe text for Streamlit: Markdown-escaped labels, entity links and pickers shared by the explorer pages."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import streamlit as st

from graph.views.backends import LoadedGraph
from graph.views.explore import label_of

ENTITY_PAGE = "app_pages/search.py"
LINEAGE_PAGE = "app_pages/lineage.py"
# URL paths of the pages (streamlit_app.py's url_path values), relative so a server's base path is kept.
PAGE_PATHS = {ENTITY_PAGE: "./", LINEAGE_PAGE: "lineage", "app_pages/map.py": "map",
              "app_pages/compare.py": "compare", "app_pages/timeline.py": "timeline"}
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


def page_href(page: str = ENTITY_PAGE, **params: str) -> str:
    """The relative URL of a page with query parameters: ``lineage?entity=modality%2Fx`` (percent-encoded)."""
    query = urlencode({name: value for name, value in params.items() if value})
    return PAGE_PATHS.get(page, "./") + (f"?{query}" if query else "")


def anchor(href: str, label: str, before: str = "", after: str = "") -> str:
    """HTML of one link that opens in the same tab (``target=_self``), so the browser's history records it.

    A real ``<a href>`` changes the URL and adds a history entry; Back and Forward then reload the earlier view
    from its URL. Every piece of text is HTML-escaped (``before``/``after`` are plain text around the link).
    """
    return (f'{html.escape(before)}<a href="{html.escape(href, quote=True)}" target="_self">'
            f"{html.escape(label)}</a>{html.escape(after)}")


def link_list(items: Sequence[str], indents: Sequence[int] | None = None) -> None:
    """One Markdown block of links (each item from :func:`anchor`), one per line, indented by ``indents`` levels.

    The block is raw HTML (a ``<div>`` on one line), so Markdown never reinterprets an escaped label.
    """
    if not items:
        return
    depths = indents or [0] * len(items)
    rows = "".join(f'<div style="margin-left:{1.2 * depth:.1f}em">{item}</div>'
                   for item, depth in zip(items, depths, strict=True))
    st.markdown(f'<div class="tkg-links">{rows}</div>', unsafe_allow_html=True)


def entity_link(entity_id: str, label: str, page: str = ENTITY_PAGE) -> None:
    """A link that opens an entity (its id goes in the URL and the browser history, so the view is shareable)."""
    link_list([anchor(page_href(page, entity=entity_id), label)])


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
