"""Shared fixtures: the bundled graph built once per session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import BUNDLED_CONTENT
from graph.kg import KnowledgeGraph, load_graph

KITCHEN_SINK = Path(__file__).resolve().parent / "resources" / "content" / "kitchen-sink.yaml"
SEED_CONTENT = KITCHEN_SINK  # small stand-alone content in the seed's shape (content/attachment.yaml links to the rest)
SEED_PAGE = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "attachment-focused-psychotherapy.txt"


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the build of the bundled content."""
    return tmp_path_factory.mktemp("bundled-store")


@pytest.fixture(scope="session")
def kg(bundled_store: Path) -> KnowledgeGraph:
    """The bundled content, built and validated."""
    return load_graph(bundled_store, [BUNDLED_CONTENT])
