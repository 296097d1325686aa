"""Fixtures for the explorer tests: the bundled graph, and AppTest runs of the app against it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from graph.views.kg import KnowledgeGraph

APP = Path(__file__).resolve().parents[2] / "explorer" / "streamlit_app.py"
BACKEND_VARIABLES = ("TKG_EXPLORER_BACKEND", "TKG_SPARQL_ENDPOINT", "TKG_EXPLORER_CONTENT")
ANCHOR = re.compile(r'<a href="([^"]*)" target="_self">(.*?)</a>')


def links(app: AppTest) -> list[tuple[str, str, dict[str, str]]]:
    """Every in-app link on the page: ``(label, URL path, query parameters)``, HTML unescaped."""
    found = []
    for text in (str(element.value) for element in app.get("markdown")):
        for href, label in ANCHOR.findall(text):
            url = urlsplit(html.unescape(href))
            found.append((html.unescape(label), url.path,
                          {name: values[0] for name, values in parse_qs(url.query).items()}))
    return found


def link_labels(app: AppTest) -> list[str]:
    """The labels of every in-app link on the page."""
    return [label for label, _, _ in links(app)]


@pytest.fixture
def explorer_env(kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeGraph]:
    """The environment of an explorer over the bundled store (built by the shared ``kg`` fixture)."""
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TKG_STORE", str(kg.store_dir))
    yield kg


def run_app_page(page: str, timeout: float = 180, **params: str) -> AppTest:
    """Run the app on one page with the given query parameters; fails on any uncaught exception."""
    app = AppTest.from_file(str(APP), default_timeout=timeout)
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.fixture
def open_page(explorer_env: KnowledgeGraph) -> Callable[..., AppTest]:
    """Run the app on one page with the given query parameters; fails on any uncaught exception."""

    return run_app_page
