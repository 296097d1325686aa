"""`tkg explore` stops its Streamlit child when it is stopped (SIGTERM, SIGHUP): no orphaned server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph.views.persisted_view import VIEW_FILE
from tests.conftest import KITCHEN_SINK

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_stopping_tkg_explore_stops_streamlit(tmp_path: Path, signum: int) -> None:
    port = free_port()
    log = tmp_path / "explore.log"
    with open(log, "w") as output:
        explore = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "--store", str(tmp_path / "store"), "--content", str(KITCHEN_SINK),
             "explore", "--headless", "--port", str(port)], stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
            assert explore.poll() is None, log.read_text()
        streamlit = children(explore.pid)
        assert len(streamlit) == 1, log.read_text()
        assert "Saved the explorer's view of the graph beside its build" in log.read_text()  # once, for the app
        assert (tmp_path / "store" / "current" / VIEW_FILE).is_file()
        explore.send_signal(signum)
        explore.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and alive(streamlit[0]):
            time.sleep(0.1)
        assert not alive(streamlit[0])
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
    finally:
        if explore.poll() is None:
            os.killpg(explore.pid, signal.SIGKILL)
            explore.wait()


def test_the_entity_count_printed_needs_no_networkx_view(kg) -> None:  # noqa: ANN001
    from graph.cli.explore import entity_count
    from graph.views.kg import load_graph

    fresh = load_graph(kg.store_dir)
    count = entity_count(fresh)
    assert "nx" not in fresh.__dict__  # counted without building the networkx view
    assert count == kg.nx.number_of_nodes() > 50
