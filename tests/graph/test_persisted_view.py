"""The explorer's view saved beside a build: equal to a fresh one, rebuilt when stale or damaged (with a warning)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from graph.views.explore import families_of, family_of
from graph.views.kg import KnowledgeGraph
from graph.views.persisted_view import (
    VIEW_FILE,
    ViewStale,
    build_view,
    explorer_view,
    has_saved_view,
    read_view,
    save_view,
    save_view_if_missing,
    view_key,
)


def elsewhere(kg: KnowledgeGraph, folder: Path, fingerprint: str | None = None) -> KnowledgeGraph:
    """The bundled graph with its build folder (where the view is saved) moved to ``folder``: the shared build's
    own file is left alone; nothing of the view is cached yet."""
    build = replace(kg.build, path=folder, fingerprint=fingerprint or kg.build.fingerprint)
    return KnowledgeGraph(kg.store, build, kg.store_dir)


def test_saved_view_equals_a_fresh_one_on_the_bundled_graph(kg: KnowledgeGraph, tmp_path: Path) -> None:
    built, read = explorer_view(elsewhere(kg, tmp_path))
    assert not read and (tmp_path / VIEW_FILE).is_file()
    saved, read = explorer_view(elsewhere(kg, tmp_path))
    assert read
    fresh = build_view(elsewhere(kg, tmp_path / "fresh"))
    assert nx.utils.graphs_equal(saved.graph, fresh.graph)
    assert saved.graph.number_of_nodes() == fresh.graph.number_of_nodes() > 500
    assert list(saved.graph.edges(keys=True, data=True)) == list(fresh.graph.edges(keys=True, data=True))
    dbt = "modality/dialectical-behaviour-therapy"
    assert saved.graph.nodes[dbt] == fresh.graph.nodes[dbt]
    assert saved.graph.nodes[dbt]["introduced"] == fresh.graph.nodes[dbt]["introduced"]
    assert (saved.sources, saved.notes, saved.details) == (fresh.sources, fresh.notes, fresh.details)
    assert saved.search.search("attachment") == fresh.search.search("attachment")
    assert [h.id for h in saved.search.suggest("Bowlbey")][:1] == ["theorist/john-bowlby"]
    assert saved.search.suggest("Frued") == fresh.search.suggest("Frued")
    assert saved.names.resolve("MBT") == fresh.names.resolve("MBT") == "modality/mentalization-based-treatment"


def test_reading_the_view_sets_the_graphs_networkx_view(kg: KnowledgeGraph, tmp_path: Path) -> None:
    explorer_view(elsewhere(kg, tmp_path))
    reader = elsewhere(kg, tmp_path)
    view, read = explorer_view(reader)
    assert read and reader.nx is view.graph and reader.names is view.names


def test_a_stale_fingerprint_forces_a_rebuild(kg: KnowledgeGraph, tmp_path: Path) -> None:
    save_view(build_view(elsewhere(kg, tmp_path)), tmp_path / VIEW_FILE, "0" * 24)  # another build's view
    assert not has_saved_view(elsewhere(kg, tmp_path))
    with pytest.raises(ViewStale, match="is stale \\(fingerprint changed\\)"):
        read_view(tmp_path / VIEW_FILE, kg.build.fingerprint)
    view, read = explorer_view(elsewhere(kg, tmp_path))
    assert not read and view.graph.number_of_nodes() == kg.nx.number_of_nodes()
    assert has_saved_view(elsewhere(kg, tmp_path))  # saved again under the build's fingerprint
    assert explorer_view(elsewhere(kg, tmp_path))[1]


def test_a_view_of_other_code_is_stale(kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explorer_view(elsewhere(kg, tmp_path))
    monkeypatch.setattr("graph.views.persisted_view.VIEW_FORMAT", 0)
    assert view_key(kg.build.fingerprint)["format"] == 0
    assert not explorer_view(elsewhere(kg, tmp_path))[1]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_corrupt_file_is_rebuilt_with_a_message(kg: KnowledgeGraph, tmp_path: Path, damage: str) -> None:
    explorer_view(elsewhere(kg, tmp_path))
    path = tmp_path / VIEW_FILE
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "garbage": b"\x80\x05not a pickle at all", "empty": b""}
                     [damage])
    warnings: list[str] = []
    view, read = explorer_view(elsewhere(kg, tmp_path), warnings.append)
    assert not read and view.graph.number_of_nodes() == kg.nx.number_of_nodes()
    assert len(warnings) == 1 and str(path) in warnings[0] and "is unreadable" in warnings[0]
    assert "rebuilding the explorer's view" in warnings[0]
    assert explorer_view(elsewhere(kg, tmp_path), warnings.append)[1] and len(warnings) == 1  # repaired


def test_an_unwritable_folder_warns_and_still_gives_the_view(kg: KnowledgeGraph, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    view, read = explorer_view(elsewhere(kg, blocker), warnings.append)
    assert not read and view.graph.number_of_nodes() == kg.nx.number_of_nodes()
    assert len(warnings) == 1 and "cannot save the explorer's view" in warnings[0] and str(blocker) in warnings[0]


def test_families_of_gives_family_of_for_every_modality_and_cycles(kg: KnowledgeGraph) -> None:
    modalities = sorted(n for n, d in kg.nx.nodes(data=True) if d.get("type") == "Modality")
    families = families_of(kg.nx, modalities)
    assert list(families) == modalities and families == {m: family_of(kg.nx, m) for m in modalities}
    assert families["modality/mentalization-based-treatment"] == family_of(kg.nx,
                                                                           "modality/mentalization-based-treatment")
    assert len(set(families.values())) < len(modalities) - 20  # families gather many approaches
    looped = nx.MultiDiGraph()  # a -> b -> c -> a, d -> b: each walk stops where its own cycle closes
    for child, parent in (("a", "b"), ("b", "c"), ("c", "a"), ("d", "b")):
        looped.add_edge(child, parent, key="subtypeOf")
    assert families_of(looped, "dabc") == {n: family_of(looped, n) for n in "dabc"} == {
        "d": "a", "a": "c", "b": "a", "c": "b"}


def test_tkg_explore_saves_the_view_once_and_keeps_no_copy(kg: KnowledgeGraph, tmp_path: Path) -> None:
    first = elsewhere(kg, tmp_path)
    assert save_view_if_missing(first) and "nx" not in first.__dict__ and "names" not in first.__dict__
    again = elsewhere(kg, tmp_path)
    assert not save_view_if_missing(again) and "nx" not in again.__dict__  # nothing built the second time
