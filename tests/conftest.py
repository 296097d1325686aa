"""Shared fixtures: the bundled graph built once per session, the seed page, and one real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.processes import stop_process
from graph.views.kg import KnowledgeGraph, load_graph
from ontology.namespace import entity_base

REPOSITORY = Path(__file__).resolve().parent.parent
KITCHEN_SINK = REPOSITORY / "tests" / "resources" / "content" / "kitchen-sink.yaml"
SEED_CONTENT = KITCHEN_SINK  # small stand-alone content in the seed's shape (content/attachment.yaml links to the rest)
SEED_PAGE_IN_SHARED = Path("shared") / "seeds" / "attachment-focused-psychotherapy.txt"


def seed_page_path() -> Path:
    """The real seed page, ``<repository>/../shared/seeds/attachment-focused-psychotherapy.txt``.

    It is not part of the repository. When it is absent the calling test is skipped with the reason, except under
    ``CI=true``, where its absence fails the test: CI provides the page, so a missing one there is a broken setup.
    """
    path = REPOSITORY.parent / SEED_PAGE_IN_SHARED
    if path.is_file():
        return path
    reason = f"the seed page ../{SEED_PAGE_IN_SHARED} is not here; CI provides it"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason}, but it is missing under CI=true (looked for {path})")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seed_page() -> Path:
    """The real seed page (see :func:`seed_page_path`): skipped when absent, failed when absent under CI=true."""
    return seed_page_path()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the build of the bundled content."""
    return tmp_path_factory.mktemp("bundled-store")


@pytest.fixture(scope="session")
def kg(bundled_store: Path) -> KnowledgeGraph:
    """The bundled content, built and validated."""
    return load_graph(bundled_store, [BUNDLED_CONTENT])


@pytest.fixture
def base_iri(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    """Publish under another base IRI for one test: ``base_iri("https://example.org/kg/")`` sets TKG_BASE_IRI and
    returns the base now in force; the environment and the once-read setting are restored afterwards."""

    def use(base: str) -> str:
        monkeypatch.setenv("TKG_BASE_IRI", base)
        entity_base.cache_clear()
        return entity_base()

    yield use
    monkeypatch.undo()
    entity_base.cache_clear()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright; one per session (Playwright's sync API allows one)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def wait_for_http(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait until ``url`` answers 200, failing the test if ``server`` exits or time runs out (see ``log``)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up (server exit code {server.poll()}); see {log}")
        time.sleep(0.3)


@contextmanager
def served(command: list[str], health_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    """Run a server process for the duration of the block: started, waited for, then stopped (output in ``log``)."""
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for_http(health_url, server, log)
            yield
        finally:
            stop_process(server)
