"""One list of suffixes, the loader registry's: folders of pages and of content, and `tkg build --help` agree."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.corpus import content_files, expand_pages
from graph.views.kg import load_graph
from loaders.registry import FORMATS, extensions
from tests.conftest import KITCHEN_SINK

PAGES = Path(__file__).resolve().parents[1] / "resources" / "pages"


def test_the_registry_lists_each_kind_once() -> None:
    assert extensions("page") == (".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".xhtml",
                                  ".shtml")
    assert extensions("content") == (".yaml", ".yml")
    assert set(extensions("page")) == {e for f in FORMATS.values() if f.kind == "page" for e in f.extensions}


def test_a_folder_holding_an_xhtml_page_adds_the_same_facts_as_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = folder / "cbt-saved-page.xhtml"
    shutil.copy(PAGES / "cbt-saved-page.html", page)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not a page")
    assert expand_pages([folder]) == [page]
    by_folder = load_graph(tmp_path / "store-folder", [KITCHEN_SINK], pages=[folder])
    by_file = load_graph(tmp_path / "store-file", [KITCHEN_SINK], pages=[page])

    def facts(graph):  # noqa: ANN001, ANN202
        return sorted((u, k, v, tuple(d["sources"])) for u, v, k, d in graph.edges(keys=True, data=True))

    from_page = [fact for fact in facts(by_file.nx) if "page-cbt-saved-page" in fact[3]]
    assert len(from_page) >= 3
    assert facts(by_folder.nx) == facts(by_file.nx)
    assert by_folder.build.quads == by_file.build.quads


def test_a_folder_finds_every_registered_page_suffix_and_content_suffix(tmp_path: Path) -> None:
    for number, suffix in enumerate([*extensions("page"), ".XHTML", ".pdf", ".yaml"]):
        (tmp_path / f"page-{number:02d}{suffix}").write_text("Schema therapy was developed by Jeffrey Young.")
    assert [p.suffix for p in expand_pages([tmp_path])] == [*extensions("page"), ".XHTML"]
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a.yaml", "b.yml", "c.txt"):
        (content / name).write_text("sources: []\n")
    assert [p.name for p in content_files([content])] == ["a.yaml", "b.yml"]


def test_build_help_lists_the_registry_suffixes() -> None:
    help_text = " ".join(CliRunner().invoke(main, ["build", "--help"]).output.split())
    assert f"A therapy page ({', '.join(extensions('page'))}) or folder" in help_text
