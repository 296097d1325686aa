"""The `tkg explore` command: builds the graph if needed, then runs the Streamlit explorer on it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

import click

from graph.cli.context import open_graph
from graph.processes import stop_process
from graph.views.kg import KnowledgeGraph
from graph.views.persisted_view import save_view_if_missing
from ontology.records import TYPE_PREFIXES

APP = Path(__file__).resolve().parents[2] / "explorer" / "streamlit_app.py"


def streamlit_command(port: int, host: str) -> list[str]:
    """The command line that runs the explorer app with Streamlit (no usage statistics sent).

    Streamlit always runs headless: otherwise its first run stops at a prompt for an e-mail address. Its file
    watcher is off (``server.fileWatcherType none``): it only offers to rerun the app when its source is edited,
    and it hashed and watched every module of ours on each new browser session, 0.1-0.2 s of the server's CPU per
    session (measured in Chromium, load average 7-9: 0.37 s of CPU for a new session's `/`, 0.19 s without it).
    """
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
            "--server.address", host, "--server.headless", "true", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]


def open_browser_when_ready(url: str, seconds: float = 60) -> None:
    """Open ``url`` in the user's browser once the app answers (does nothing where no browser exists)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}_stcore/health", timeout=2):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.5)


def explorer_environment(store: Path | None, content: list[Path] | None) -> dict[str, str]:
    """The environment for the app: the same store and content folders as this command."""
    env = dict(os.environ)
    if store is not None:
        env["TKG_STORE"] = str(Path(store).resolve())
    if content:
        env["TKG_EXPLORER_CONTENT"] = os.pathsep.join(str(Path(p).resolve()) for p in content)
    return env


ENTITY_COUNT = """SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE {
  VALUES ?class { %s } ?node a ?class ; skos:prefLabel [] }"""


def entity_count(kg: KnowledgeGraph) -> int:
    """The number of entities (the nodes of ``kg.nx``), counted by one SPARQL query: the app reads the saved
    networkx view itself, so this process never builds or reads it only to print a number."""
    classes = " ".join(f"tkg:{name}" for name in TYPE_PREFIXES)
    count = kg.select(ENTITY_COUNT % classes)[0]["n"]
    return int(count or 0)


@click.command("explore")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port to serve the explorer on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default is reachable from this machine only).")
@click.option("--headless", is_flag=True, help="Do not open a browser window.")
@click.pass_context
def explore(ctx: click.Context, port: int, host: str, headless: bool) -> None:
    """Open the Streamlit explorer (search, lineage, map, compare, SPARQL, sources) over the graph."""

    kg = open_graph(ctx)  # build (or reuse) the store first, so errors show here and the app starts fast
    # The view (networkx graph, search index) is built here only when the build folder does not hold it yet; the
    # app reads the saved file, so nothing is built twice and later starts build nothing.
    if save_view_if_missing(kg, lambda message: click.echo(f"warning: {message}", err=True)):
        click.echo(f"Saved the explorer's view of the graph beside its build ({kg.build.path}).", err=True)
    click.echo(f"Graph ready: {entity_count(kg):,} entities. Explorer on http://{host}:{port}/ "
               "(Ctrl+C to stop)", err=True)
    settings = ctx.obj
    if not headless:
        threading.Thread(target=open_browser_when_ready, args=(f"http://{host}:{port}/",), daemon=True).start()
    code = run_until_stopped(streamlit_command(port, host), explorer_environment(kg.store_dir, settings.content))
    if code not in (0, -2, -15, 130):
        sys.exit(code)


def run_until_stopped(command: list[str], env: dict[str, str], grace: float = 5.0) -> int:
    """Run ``command`` and return its exit code; Ctrl-C, SIGTERM or SIGHUP to this process stop it too.

    The child gets SIGTERM, then SIGKILL after ``grace`` seconds, so no Streamlit server outlives ``tkg
    explore``; Linux also kills it should this process die without a chance to clean up (PR_SET_PDEATHSIG).
    """
    child = subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return child.wait()
    except (KeyboardInterrupt, _Stopped):
        stop_process(child, grace)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Stopped(Exception):
    """This process was asked to stop (SIGTERM or SIGHUP)."""


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
