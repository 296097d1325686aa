"""Safe text for Streamlit: Markdown-escaped labels, entity links and pickers shared by the explorer pages."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import streamlit as st

from graph.views.backends import LoadedGraph
from graph.views.explore import entity_caption as caption_of

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
    """``Label — Type · developers · decade`` for a picker option or a search hit (tells namesakes apart)."""
    return caption_of(data.graph, entity_id)


def ambiguity_note(data: LoadedGraph, typed: str, types: Iterable[str] | None = None) -> None:
    """When ``typed`` is the exact name of several entities (an acronym such as EFT), say so and list them all."""
    meanings = data.names.lookup(typed, types) if typed.strip() else []
    if len(meanings) > 1:
        st.warning(f"“{escape_markdown(typed.strip())}” has {len(meanings)} meanings: " + "; ".join(
            escape_markdown(entity_caption(data, m.id)) for m in meanings) + ". Choose the one you mean.")


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


def url_note(name: str, value: str, problem: str, used: object) -> None:
    """Say that the URL's ``name=value`` was not usable and what is shown instead (a caption, never an error)."""
    shown = value if len(value) <= 60 else value[:57] + "…"
    st.caption(f"The link's {escape_markdown(name)}={escape_markdown(repr(shown))} {escape_markdown(problem)}; "
               f"showing {escape_markdown(str(used))} instead.")


def int_param(name: str, default: int, low: int, high: int) -> int:
    """The query parameter ``name`` as a whole number from ``low`` to ``high`` (the page's control's range).

    Missing -> ``default``; malformed (``depth=abc``) or out of range (``depth=9``) -> ``default`` plus a note.
    """
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        url_note(name, raw, "is not a whole number", default)
        return default
    if not low <= value <= high:
        url_note(name, raw, f"is outside {low}-{high}", default)
        return default
    return value


def choice_param(name: str, options: Sequence[str], default: str) -> str:
    """The query parameter ``name`` when it is one of ``options``; else ``default`` (with a note when it was set)."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    if raw in options:
        return raw
    url_note(name, raw, "is not one of the choices", default)
    return default


def entity_param(data: LoadedGraph, name: str, default: str | None) -> str | None:
    """The query parameter ``name`` when it is an entity id of the graph; else ``default`` (noted when it was set)."""
    raw = st.query_params.get(name)
    if raw is None or raw in data.graph:
        return raw if raw is not None else default
    url_note(name, raw, "is not an entity of this graph",
             caption_of(data.graph, default) if default else "no entity")
    return default


def list_param(name: str, options: Iterable[str]) -> list[str]:
    """The comma-separated query parameter ``name``, keeping only known ``options`` (unknown parts noted)."""
    known = set(options)
    parts = [part for part in st.query_params.get(name, "").split(",") if part]
    unknown = [part for part in parts if part not in known]
    if unknown:
        url_note(name, ",".join(unknown), "names nothing known", "the rest")
    return list(dict.fromkeys(part for part in parts if part in known))


def entity_link(entity_id: str, label: str, page: str = ENTITY_PAGE) -> None:
    """A link that opens an entity (its id goes in the URL and the browser history, so the view is shareable)."""
    link_list([anchor(page_href(page, entity=entity_id), label)])


def entity_picker(data: LoadedGraph, label: str, key: str, current: str | None,
                  types: Iterable[str] | None = None, allow_empty: bool = False) -> str | None:
    """Type part of a name, then choose among the matches; returns the chosen entity id (or None)."""
    typed = st.text_input(label, key=f"{key}-search", placeholder="type part of a name or acronym")
    hits = [hit.id for hit in data.search.search(typed, 25, types)] if typed.strip() else []
    if typed.strip() and not hits:  # a misspelling: offer the closest names instead
        hits = [hit.id for hit in data.search.suggest(typed, 5, types)]
        if hits:
            st.caption("No exact match; closest names below.")
    ambiguity_note(data, typed, types)
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
