"""Fixtures for map tests: a small seed-shaped graph and a graph with hostile text (the browser is shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

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


