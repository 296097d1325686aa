"""Fixtures for map tests: a small seed-shaped graph and a graph with hostile text (the browser is shared)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.sinks.maps import write_map
from graph.views.kg import KnowledgeGraph, load_graph
from tests.conftest import SEED_CONTENT

HOSTILE_CONTENT = Path(__file__).resolve().parent / "resources" / "hostile.yaml"


@pytest.fixture(scope="session")
def seed_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The attachment seed content (Bowlby, Ainsworth, attachment theory and its modalities), built."""
    return load_graph(tmp_path_factory.mktemp("seed-store"), [SEED_CONTENT])


@pytest.fixture(scope="session")
def hostile_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """A tiny graph whose label, alias, description and source title contain HTML and script."""
    return load_graph(tmp_path_factory.mktemp("hostile-store"), [HOSTILE_CONTENT])




@dataclass
class OpenedMap:
    """A map page open in Chromium, with everything it asked for and everything it complained about."""

    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def open_map(browser: object, tmp_path: Path) -> Iterator:
    pages: list[object] = []

    def opener(html: str, name: str = "map.html") -> OpenedMap:
        path = tmp_path / name
        write_map(path, html)
        context = browser.new_context(viewport={"width": 1400, "height": 850})  # type: ignore[attr-defined]
        page = context.new_page()
        pages.append(context)
        opened = OpenedMap(page, path.as_uri())
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: opened.problems.append(f"console {message.type}: {message.text}")
                if message.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: opened.problems.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: (opened.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.add_init_script("window.__ran = []; window.alert = (m) => window.__ran.push(String(m));")
        page.goto(opened.url)
        page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=15000)
        return opened

    yield opener
    for context in pages:
        context.close()  # type: ignore[attr-defined]
