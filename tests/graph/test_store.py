"""The store under readers and rebuilds: immutable builds, leases, pruning, stale partial folders, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from graph.pipeline.store import BUILDS, current_build, lease_build, remove_stale_partials
from graph.views.kg import load_graph
from tests.conftest import KITCHEN_SINK
from tests.sparql.conftest import start_endpoint, stop_endpoint

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a tkg:Modality }"
ROOT = Path(__file__).resolve().parents[2]


def tkg(store: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph.cli", "--store", str(store), "--content", str(KITCHEN_SINK),
                           *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def modality_count(store: Path) -> int:
    return int(load_graph(store, [KITCHEN_SINK]).select(COUNT)[0]["n"] or 0)


def test_forced_rebuild_with_the_same_fingerprint_leaves_the_live_build_in_place(tmp_path: Path) -> None:
    store = tmp_path / "store"
    reader = load_graph(store, [KITCHEN_SINK])
    before = reader.select(COUNT)
    rebuilt = load_graph(store, [KITCHEN_SINK], force=True)
    assert rebuilt.build.fingerprint == reader.build.fingerprint
    assert rebuilt.build.path != reader.build.path  # a new immutable folder, never the live one rewritten
    assert (reader.build.path / "meta.json").exists()
    assert reader.select(COUNT) == before  # the first reader still reads its build


def test_pruning_skips_leased_builds_and_removes_the_rest(tmp_path: Path) -> None:
    store = tmp_path / "store"
    reader = load_graph(store, [KITCHEN_SINK])
    expected = reader.select(COUNT)
    for _ in range(4):
        load_graph(store, [KITCHEN_SINK], force=True).lease.release()  # type: ignore[union-attr]
    builds = sorted(p.name for p in (store / BUILDS).iterdir())
    assert reader.build.path.name in builds  # leased: kept past the newest two
    assert len(builds) == 3  # the leased one, the current one and the one before it
    assert reader.select(COUNT) == expected
    reader.lease.release()  # type: ignore[union-attr]
    load_graph(store, [KITCHEN_SINK], force=True)
    assert reader.build.path.name not in {p.name for p in (store / BUILDS).iterdir()}


def test_a_lease_on_a_pruned_build_moves_to_the_current_one(tmp_path: Path) -> None:
    store = tmp_path / "store"
    old = load_graph(store, [KITCHEN_SINK])
    old.lease.release()  # type: ignore[union-attr]
    for _ in range(3):
        load_graph(store, [KITCHEN_SINK], force=True).lease.release()  # type: ignore[union-attr]
    assert not old.build.path.exists()
    lease, leased = lease_build(store, old.build)
    with lease:
        assert leased == current_build(store)


def test_stale_partial_folders_of_dead_processes_are_removed_on_the_next_build(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_graph(store, [KITCHEN_SINK])
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = store / BUILDS / f"abc-1.partial-{gone.pid}"
    live = store / BUILDS / f"abc-2.partial-{os.getpid()}"
    for folder in (stale, live):
        (folder / "oxigraph").mkdir(parents=True)
        (folder / "oxigraph" / "000001.sst").write_bytes(b"x" * 1000)
    load_graph(store, [KITCHEN_SINK], force=True)
    assert not stale.exists()
    assert live.exists()  # this process is alive: its folder may be a build in progress
    assert remove_stale_partials(store / BUILDS) == []


def test_a_killed_build_leaves_nothing_after_the_next_build(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert tkg(store, "build").returncode == 0
    killed = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), "--content",
                               str(KITCHEN_SINK), "build", "--force"], env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(".partial-" in p.name for p in (store / BUILDS).iterdir()):
        time.sleep(0.005)
    killed.kill()
    killed.wait()
    assert tkg(store, "build", "--force").returncode == 0
    assert not [p.name for p in (store / BUILDS).iterdir() if ".partial-" in p.name]


def test_concurrent_queries_during_forced_rebuilds_never_fail(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert tkg(store, "build").returncode == 0
    expected = tkg(store, "query", COUNT, "--format", "csv").stdout
    assert expected.splitlines()[1] == "4"
    stop = time.monotonic() + 600

    def rebuild_repeatedly() -> int:
        rounds = 0
        while time.monotonic() < stop and not done:
            assert tkg(store, "build", "--force").returncode == 0
            rounds += 1
        return rounds

    done = False
    with ThreadPoolExecutor(max_workers=9) as pool:
        builder = pool.submit(rebuild_repeatedly)
        answers = list(pool.map(lambda _: tkg(store, "query", COUNT, "--format", "csv"), range(100)))
        done = True
        rounds = builder.result()
    failures = [a.stderr for a in answers if a.returncode != 0 or a.stdout != expected]
    assert failures == []
    assert rounds >= 2


def test_serve_across_three_rebuilds_then_a_runaway_query_recovers_its_spare(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert tkg(store, "build").returncode == 0
    running = start_endpoint(store, "--timeout", "1.5", "--max-memory-mb", "1500")  # serves the bundled content
    query = urllib.parse.urlencode({"query": COUNT})
    request = urllib.request.Request(running.query_url + "?" + query, headers={"Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            before = answer.read().decode()
        assert int(before.splitlines()[1]) > 50
        served = current_build(store)
        for _ in range(3):
            assert tkg(store, "build", "--force").returncode == 0
        assert served is not None and served.path.exists()  # leased by the endpoint: not pruned
        runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?f ?l"
        for _ in range(2):  # the second runaway runs on the replacement, cut by a recovered spare
            with pytest.raises(urllib.error.HTTPError) as raised:
                urllib.request.urlopen(running.query_url + "?" + urllib.parse.urlencode({"query": runaway}),
                                       timeout=60)
            assert raised.value.code == 503
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(oxigraph_children(running.process.pid)) != 2:
                time.sleep(0.1)
            assert len(oxigraph_children(running.process.pid)) == 2  # the active worker and a fresh spare
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.read().decode() == before
    finally:
        stop_endpoint(running.process)


def oxigraph_children(pid: int) -> list[int]:
    """Live `oxigraph` processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        if name == "oxigraph" and fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_an_in_memory_graph_keeps_its_build_on_disk_for_its_query_workers(tmp_path: Path) -> None:
    store = tmp_path / "store"
    explorer = load_graph(store, [KITCHEN_SINK], in_memory=True)  # the explorer's graph; its workers reopen the build
    for _ in range(3):
        load_graph(store, [KITCHEN_SINK], force=True).lease.release()  # type: ignore[union-attr]
    assert (explorer.build.path / "oxigraph").is_dir()
