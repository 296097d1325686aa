"""Fixtures for map tests: the seed graph, a graph with hostile text, and a real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.kg import KnowledgeGraph, load_graph
from tests.conftest import SEED_CONTENT

HOSTILE_CONTENT = Path(__file__).resolve().parent / "resources" / "hostile.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def seed_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The attachment seed content (Bowlby, Ainsworth, attachment theory and its modalities), built."""
    return load_graph(tmp_path_factory.mktemp("seed-store"), [SEED_CONTENT])


@pytest.fixture(scope="session")
def hostile_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """A tiny graph whose label, alias, description and source title contain HTML and script."""
    return load_graph(tmp_path_factory.mktemp("hostile-store"), [HOSTILE_CONTENT])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
