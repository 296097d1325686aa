"""The explorer's start-up: a current build is served without importing the build pipeline, the first page's search
box is drawn before the graph's modules are imported and the saved view read, and the start page's navbox stays a
navbox on a large graph."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.synthetic import write_corpus
from graph.pipeline import corpus
from graph.pipeline.currency import BUNDLED_CONTENT, CONTENT_SUFFIXES, content_files, unchanged_build
from graph.pipeline.store import current_build, register_pages
from graph.views.backends import load_embedded
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.persisted_view import VIEW_FILE, read_summary, save_view_if_missing
from loaders import registry
from tests.explorer.conftest import APP, BACKEND_VARIABLES, links, run_app_page

ROOT = Path(__file__).resolve().parents[2]
# Run in a fresh interpreter: the server's first page (``/``), then what that process imported and loaded.
# ``order``: when the search box was drawn, beside the first import of each of LATE_MODULES.
LATE_MODULES = ("explorer.data", "graph.views.backends", "networkx", "rdflib", "pyoxigraph")
FIRST_PAGE = f"""
import json, sys
import streamlit
from streamlit.testing.v1 import AppTest
order = []

class FirstImports:
    def find_spec(self, name, path=None, target=None):
        if name in {LATE_MODULES!r} and name not in order:
            order.append(name)
        return None

sys.meta_path.insert(0, FirstImports())
drawn = streamlit.text_input
def text_input(*args, **kwargs):
    order.append("search box")
    return drawn(*args, **kwargs)
streamlit.text_input = text_input
app = AppTest.from_file({str(APP)!r}, default_timeout=120)
app.run()
assert not app.exception, [e.value for e in app.exception]
from explorer.data import base_data
data = base_data()
print(json.dumps({{
    "search box": [box.label for box in app.text_input],
    "sidebar": [str(c.value) for c in app.sidebar.caption],
    "imported": sorted(m for m in sys.modules if m.startswith(("graph.pipeline", "loaders"))),
    "view read": data._view is not None,
    "order": order,
}}))
"""


def first_page_process(store: Path, content: list[Path] | None = None) -> dict[str, object]:
    """What a new process serving ``store`` does on the explorer's first page (see :data:`FIRST_PAGE`)."""
    env = {k: v for k, v in os.environ.items() if k not in BACKEND_VARIABLES}
    env.update(PYTHONPATH=str(ROOT), TKG_STORE=str(store))
    if content:
        env["TKG_EXPLORER_CONTENT"] = os.pathsep.join(map(str, content))
    result = subprocess.run([sys.executable, "-c", FIRST_PAGE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_first_page_of_a_current_build_imports_no_pipeline_and_reads_no_view(kg: KnowledgeGraph) -> None:
    save_view_if_missing(load_graph(kg.store_dir, [BUNDLED_CONTENT]))
    seen = first_page_process(kg.store_dir)
    assert seen["search box"] == ["Name, acronym or alias"]
    summary = read_summary(kg.build.path / VIEW_FILE, kg.build.fingerprint)
    assert (summary.entities, summary.facts) == (kg.nx.number_of_nodes(), kg.nx.number_of_edges())
    assert f"{summary.entities:,} entities, {summary.facts:,} facts." in " ".join(map(str, seen["sidebar"]))  # type: ignore[arg-type]
    assert seen["imported"] == ["graph.pipeline", "graph.pipeline.currency", "graph.pipeline.store"]
    assert seen["view read"] is False
    # The search box is drawn before the graph's modules are imported (0.3-0.5 s of CPU): it is on screen first.
    assert seen["order"][0] == "search box" and sorted(seen["order"][1:]) == sorted(LATE_MODULES), seen["order"]


@pytest.fixture
def own_copy(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A copy of the bundled content and a store built from it: ``(store, content)``."""
    content = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, content)
    store = tmp_path / "store"
    load_graph(store, [content])
    yield store, content


def test_stale_content_is_rebuilt_through_the_pipeline(own_copy: tuple[Path, Path]) -> None:
    store, content = own_copy
    build = current_build(store)
    assert build is not None and unchanged_build(store, [content]) == build
    assert not load_graph(store, [content]).rebuilt
    first = sorted(content.rglob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert unchanged_build(store, [content]) is None
    rebuilt = load_graph(store, [content])
    assert rebuilt.rebuilt and rebuilt.build.fingerprint != build.fingerprint
    assert unchanged_build(store, [content]) == current_build(store)
    (content / "added.yml").write_text("sources: []\n", encoding="utf-8")  # a new content file is a change too
    assert unchanged_build(store, [content]) is None
    seen = first_page_process(store, [content])  # the explorer rebuilds it, importing the pipeline to do so
    assert "graph.pipeline.build" in seen["imported"] and seen["view read"] is True  # type: ignore[operator]
    assert unchanged_build(store, [content]) == current_build(store)


def test_registered_pages_and_unreadable_folders_leave_the_decision_to_the_pipeline(
        own_copy: tuple[Path, Path], tmp_path: Path) -> None:
    store, content = own_copy
    assert unchanged_build(store, [tmp_path / "no-such-folder"]) is None
    page = tmp_path / "page.txt"
    page.write_text("Schema therapy was developed by Jeffrey Young.\n", encoding="utf-8")
    register_pages(store, [page])
    assert unchanged_build(store, [content]) is None


def test_content_listing_and_bundled_folder_match_the_pipelines(tmp_path: Path) -> None:
    assert set(registry.extensions("content")) == CONTENT_SUFFIXES
    assert BUNDLED_CONTENT == corpus.BUNDLED_CONTENT
    mixed = tmp_path / "mixed"
    (mixed / "sub").mkdir(parents=True)
    for name in ("a.yaml", "B.YML", "sub/c.yml", "notes.txt", "d.json", "sub/e.yaml~"):
        (mixed / name).write_text("[]\n", encoding="utf-8")
    for folders in ([BUNDLED_CONTENT], [mixed], [mixed / "a.yaml", BUNDLED_CONTENT]):
        assert list(content_files(folders)) == corpus.content_files(folders)


def test_the_view_is_read_on_first_use_once(kg: KnowledgeGraph) -> None:
    save_view_if_missing(load_graph(kg.store_dir, [BUNDLED_CONTENT]))
    loaded = load_embedded(kg.store_dir, [BUNDLED_CONTENT])
    try:
        assert loaded.counts == (kg.nx.number_of_nodes(), kg.nx.number_of_edges()) and loaded._view is None
        view = loaded.view
        assert loaded.graph is view.graph and loaded.search is view.search and loaded.view is view
        assert loaded.names.resolve("MBT") == "modality/mentalization-based-treatment"
    finally:
        if loaded.workers is not None:
            loaded.workers.close()


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A synthetic corpus of 700 modalities (more families than the start page shows at first) and its store."""
    root = tmp_path_factory.mktemp("synthetic-700")
    folder = write_corpus(700, root / "corpus")
    load_graph(root / "store", [folder])
    return root / "store", folder


def test_the_start_page_shows_the_largest_families_then_more_on_request(
        large_store: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.app_pages.start import FAMILIES_SHOWN, MEMBERS_SHOWN

    store, folder = large_store
    for name in BACKEND_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TKG_STORE", str(store))
    monkeypatch.setenv("TKG_EXPLORER_CONTENT", str(folder))
    app = run_app_page("start")
    navbox = next(str(b.value) for b in app.markdown if "synthetic-modality" in str(b.value))
    rows = re.findall(r'<div style="margin-left:0.0em">(.*?)</div>', navbox)
    assert len(rows) == FAMILIES_SHOWN
    caption = next(str(c.value) for c in app.caption if "largest of" in str(c.value))
    total = int(re.search(r"largest of ([\d,]+) families", caption)[1].replace(",", ""))  # type: ignore[index]
    assert total > FAMILIES_SHOWN
    longest = rows[0]  # the largest family first: its members beyond MEMBERS_SHOWN are one link away
    assert longest.count("<a href") == 1 + MEMBERS_SHOWN + 1 and "more</a>" in longest
    more = [found for found in links(app) if found[0].endswith(" more")]
    assert more and more[0][1] == "lineage"
    app.button(key="more-families").click().run()
    navbox = next(str(b.value) for b in app.markdown if "synthetic-modality" in str(b.value))
    assert len(re.findall(r'<div style="margin-left:0.0em">', navbox)) == min(total, 2 * FAMILIES_SHOWN)
