"""Fixtures for SPARQL tests: `tkg serve` on the bundled graph, on a loopback port it picks itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.processes import stop_process
from graph.serve.endpoint import die_with_parent
from graph.views.kg import KnowledgeGraph

SERVE_TIMEOUT = 2.0


@dataclass
class RunningEndpoint:
    """A `tkg serve` process and where it listens."""

    process: subprocess.Popen[str]
    base_url: str

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"


def start_endpoint(store: Path, *extra: str) -> RunningEndpoint:
    """Start `tkg serve --port 0` (output to a log file, never an unread pipe) and wait for its URL."""
    log = store.parent / f"{store.name}-serve-{time.monotonic_ns()}.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "--store", str(store), "serve", "--port", "0", *extra],
            stdout=output, stderr=subprocess.STDOUT, text=True, start_new_session=True, preexec_fn=die_with_parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("SPARQL endpoint: "):
                return RunningEndpoint(process, line.split()[2].rsplit("/query", 1)[0])
        if process.poll() is not None:
            raise RuntimeError(f"tkg serve exited early ({process.returncode}): {log.read_text()}")
        time.sleep(0.1)
    stop_endpoint(process)
    raise RuntimeError("tkg serve did not announce its URL in time")


def stop_endpoint(process: subprocess.Popen[str]) -> None:
    """Stop the server (SIGTERM, so it kills its Oxigraph workers), then make sure its process group is gone."""
    stop_process(process, whole_group=True)


@pytest.fixture(scope="session")
def endpoint(kg: KnowledgeGraph, bundled_store: Path) -> Iterator[RunningEndpoint]:
    """`tkg serve` over the bundled graph (built by the shared ``kg`` fixture), with a short query timeout."""
    running = start_endpoint(bundled_store, "--timeout", str(SERVE_TIMEOUT), "--max-memory-mb", "1500")
    try:
        with urllib.request.urlopen(running.query_url + "?query=ASK%7B%7D", timeout=10) as response:
            assert response.status == 200
        yield running
    finally:
        stop_endpoint(running.process)
