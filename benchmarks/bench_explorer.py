"""Explorer benchmark: render time of every page (AppTest, warm) on the bundled graph and a synthetic corpus.

Usage: python -m benchmarks.bench_explorer [--size 20000] [--repeat 3] [--store-root DIR] [--no-browser]
       python -m benchmarks.bench_explorer --first-page-rounds 3 [--baseline-code OLD_CHECKOUT] [--size 20000]

For each corpus it loads the graph once (the first render, reported as "first load"), then per page times
* ``same view``: a fresh browser session opening a view already rendered (graph and query caches warm), and
* ``new view``: a fresh session opening a view nobody opened yet (graph warm, page results computed afresh),
as the median of ``--repeat`` runs. Targets from issue 8: < 1 s on the bundled graph, < 3 s on 20,000 modalities.
The baseline beside them is what a render would cost without the cached graph: loading the store and building
the networkx view and search index on every request.

Then, on the bundled graph and (with ``--size``) the synthetic one, the same pages in Debian's headless Chromium
(Playwright) against a real `streamlit run`: time to the first meaningful paint, from navigation start to the moment
the page's main content (the entity's fact table, the family tree, the map's title in its frame ...) is on screen.
"Server's first page" is the page `tkg explore` opens (``/``, painted when its search box is on screen) right
after the server answers its health check: its first run opens the store, with the view saved beside its build
(saved first, as `tkg explore` does), once the search box is drawn. "First visit" is a new browser profile (empty
HTTP cache, new Streamlit session) opening a view nobody opened yet; "warm" reopens that view in the same profile
(scripts cached by the browser, results cached by the server). Targets from issue 14: first visit < 1.5 s, warm
< 0.5 s; from issue 17: the server's first page < 1 s bundled, < 2 s at 20,000.

``--first-page-rounds N`` times only the server's first page, N rounds of fresh servers in rotated order: the
one-title floor, this code and, with ``--baseline-code``, an earlier checkout of the repository (e.g. from
``git archive``) over stores it builds itself, so before and after are measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import URLError

from streamlit.testing.v1 import AppTest

from benchmarks.synthetic import write_corpus
from graph.cli.explore import streamlit_command
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.processes import stop_process
from graph.serve.endpoint import free_loopback_port
from graph.views.explore import SearchIndex
from graph.views.kg import load_graph
from graph.views.persisted_view import explorer_view, save_view_if_missing

APP = Path(__file__).resolve().parent.parent / "explorer" / "streamlit_app.py"

# page -> (params of a view rendered twice, params of views rendered once each)
BUNDLED_VIEWS: dict[str, tuple[dict[str, str], list[dict[str, str]]]] = {
    "search": ({"entity": "modality/mentalization-based-treatment"},
               [{"entity": "theory/attachment-theory"}, {"entity": "theorist/john-bowlby"},
                {"entity": "condition/borderline-personality-disorder"}]),
    "lineage": ({"entity": "modality/mentalization-based-treatment", "from": "theorist/peter-fonagy",
                 "to": "theorist/john-bowlby"},
                [{"entity": "modality/dyadic-developmental-psychotherapy"}, {"entity": "theory/attachment-theory"},
                 {"entity": "modality/emotionally-focused-therapy"}]),
    "map": ({"focus": "modality/mentalization-based-treatment"},
            [{"focus": "theory/attachment-theory"}, {"focus": "modality/dyadic-developmental-psychotherapy"},
             {"focus": "theorist/john-bowlby"}]),
    "compare": ({"m": "modality/mentalization-based-treatment,modality/dyadic-developmental-psychotherapy"},
                [{"m": "modality/mentalization-based-treatment,modality/emotionally-focused-therapy"},
                 {"m": "modality/dyadic-developmental-psychotherapy,modality/emotionally-focused-therapy,"
                       "modality/circle-of-security"},
                 {"m": "modality/attachment-focused-psychotherapy,modality/circle-of-security"}]),
    "sparql": ({"example": "lineage-of-a-modality"},
               [{"example": "modalities-by-decade"}, {"example": "founders-of-theories"},
                {"example": "where-does-a-fact-come-from"}]),
    "sources": ({"source": "bretherton-1992"},
                [{"source": "seed-attachment-focused"}, {"source": "adler-1927"}, {}]),
}


CHROMIUM = "/usr/bin/chromium"
FIRST_PAGE_MARKER = "[data-testid=stTextInput] input"  # the search box of the page `tkg explore` opens (``/``)
# page -> (URL path with its query, what marks its main content as painted: a CSS selector, optionally inside the
# page's first frame, and the views opened for a first visit)
BROWSER_VIEWS: dict[str, tuple[str, str, list[str]]] = {
    "start": ("start", "a[href*='dialectical-behaviour-therapy']", [""]),
    "search/entity": ("", "[data-testid=stDataFrame]", [
        "entity=modality/mentalization-based-treatment", "entity=theorist/john-bowlby",
        "entity=modality/dialectical-behaviour-therapy"]),
    "lineage": ("lineage", ".tkg-tree svg", [
        "entity=theory/attachment-theory", "entity=modality/dyadic-developmental-psychotherapy",
        "entity=theorist/sigmund-freud"]),
    "timeline": ("timeline", "h3", [""]),
    "map": ("map", "iframe >> #map-title", [
        "focus=modality/mentalization-based-treatment&depth=1", "focus=theory/attachment-theory&depth=1",
        "focus=theorist/john-bowlby&depth=1"]),
    "compare": ("compare", "text=What they all share", [
        "m=modality/mentalization-based-treatment,modality/dyadic-developmental-psychotherapy",
        "m=modality/emotionally-focused-therapy,modality/circle-of-security",
        "m=modality/schema-therapy,modality/theraplay"]),
    "sparql": ("sparql", "[data-testid=stDataFrame]", [
        "example=modalities-by-decade", "example=founders-of-theories", "example=lineage-of-a-modality"]),
    "sources": ("sources", "[data-testid=stDataFrame]", ["source=bretherton-1992", "source=adler-1927"]),
}


def wait_for_server(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    """Return once ``url`` answers; raise when the server exits or does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer {url} within {seconds:.0f} s")


def painted_ms(browser: Any, url: str, marker: str, context: Any = None) -> float:
    """Milliseconds from navigation start to ``marker`` being visible on ``url`` (a new page; a new browser
    profile unless ``context`` is given). ``iframe >> sel`` waits for ``sel`` inside the page's first frame."""
    owner = context or browser.new_context(viewport={"width": 1440, "height": 900})
    page = owner.new_page()
    try:
        page.goto(url)
        if " >> " in marker:
            frame, inner = marker.split(" >> ", 1)
            page.frame_locator(frame).first.locator(inner).wait_for(state="visible", timeout=120_000)
        else:
            page.locator(marker).first.wait_for(state="visible", timeout=120_000)
        return float(page.evaluate("performance.now()"))
    finally:
        page.close()
        if context is None:
            owner.close()


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far, its children excluded (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class FirstPage:
    """The server's first page: milliseconds to its first meaningful paint, and the CPU seconds the server process
    spent meanwhile (the script's first run: imports, loading the graph, rendering; worker processes excluded).
    The CPU figure moves far less with the machine's load than the wall time."""

    ms: float
    cpu: float


def first_page(browser: Any, server: subprocess.Popen, url: str, marker: str) -> FirstPage:
    """Paint ``url`` as the server's first page (see :class:`FirstPage`)."""
    before = cpu_seconds(server.pid)
    ms = painted_ms(browser, url, marker)
    return FirstPage(ms, cpu_seconds(server.pid) - before)


@contextmanager
def served_in_chromium(command: list[str], port: int, env: dict[str, str] | None = None,
                       cwd: Path | None = None) -> Iterator[tuple[Any, subprocess.Popen]]:
    """Run a `streamlit run` ``command`` on ``port`` (in folder ``cwd``) and yield a headless Chromium and the
    server process; both stop on exit."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_server(f"http://127.0.0.1:{port}/_stcore/health", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                yield browser, server
            finally:
                browser.close()
    finally:
        stop_process(server)


def visits_ms(browser: Any, url: str, marker: str, repeat: int) -> tuple[float, list[float]]:
    """A first visit in a new browser profile, then ``repeat`` warm reopenings in that profile (ms)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        first = painted_ms(browser, url, marker, context)
        return first, [painted_ms(browser, url, marker, context) for _ in range(repeat)]
    finally:
        context.close()


def synthetic_browser_views() -> dict[str, tuple[str, str, list[str]]]:
    """The Chromium views on the synthetic corpus: the start page, entity pages (one a hub), a lineage, the timeline."""
    m = "modality/synthetic-modality-"
    return {
        "start": ("start", "a[href*='synthetic-modality-']", [""]),
        "search/entity": ("", "[data-testid=stDataFrame]", [
            f"entity={m}12345", f"entity={m}777", "entity=population/synthetic-population-22"]),
        "lineage": ("lineage", ".tkg-tree svg", [f"entity={m}12345", f"entity={m}18000", f"entity={m}777"]),
        "timeline": ("timeline", "h3", [""]),
    }


def browser_timings(store: Path, repeat: int, content: list[Path] | None = None,
                    views: dict[str, tuple[str, str, list[str]]] | None = None
                    ) -> tuple[FirstPage, dict[str, tuple[float, float, float]]]:
    """In Chromium against `streamlit run` over ``store`` (built from ``content``, the bundled content when None):
    the server's first page (graph loaded), then per page of ``views`` (default :data:`BROWSER_VIEWS`) the first
    visit median, worst first visit and warm median, in milliseconds."""
    views = views or BROWSER_VIEWS
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("TKG_EXPLORER_BACKEND", "TKG_SPARQL_ENDPOINT",
                                                            "TKG_EXPLORER_CONTENT")}
    env["TKG_STORE"] = str(store)
    if content:
        env["TKG_EXPLORER_CONTENT"] = os.pathsep.join(str(p) for p in content)
    figures: dict[str, tuple[float, float, float]] = {}
    with served_in_chromium(streamlit_command(port, "127.0.0.1"), port, env) as (browser, server):
        cold = first_page(browser, server, f"{base}/", FIRST_PAGE_MARKER)
        for page, (path, marker, paths) in views.items():
            first: list[float] = []
            warm: list[float] = []
            for query in paths[:max(repeat, 1)]:
                visit, reopened = visits_ms(browser, f"{base}/{path}" + (f"?{query}" if query else ""), marker,
                                            repeat)
                first.append(visit)
                warm.extend(reopened)
            figures[page] = (statistics.median(first), max(first), statistics.median(warm))
            print(f"  ... {page}: first visit {figures[page][0]:.0f} ms, warm {figures[page][2]:.0f} ms", flush=True)
    return cold, figures


FLOOR_APP = 'import streamlit as st\n\nst.title("Hello")\n'  # the least a Streamlit page can do


def streamlit_floor(repeat: int) -> tuple[FirstPage, float, float]:
    """The baseline: a one-title Streamlit app served and painted the same way (its server's first page, first visit
    median, warm median; ms).

    Whatever Streamlit itself costs (its JavaScript bundle, the websocket, one script run) is in every page of
    ours too, so our figures are read beside this floor."""
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    first: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "hello.py"
        app.write_text(FLOOR_APP, encoding="utf-8")
        command = streamlit_command(port, "127.0.0.1")
        command[command.index("run") + 1] = str(app)
        with served_in_chromium(command, port) as (browser, server):
            cold = first_page(browser, server, base, "h1")
            for _ in range(max(repeat, 1)):
                visit, reopened = visits_ms(browser, base, "h1", repeat)
                first.append(visit)
                warm.extend(reopened)
    return cold, statistics.median(first), statistics.median(warm)


@dataclass(frozen=True)
class Served:
    """One explorer to paint as a server's first page: the repository whose ``explorer/streamlit_app.py`` is run
    (with its own code on PYTHONPATH), over ``store`` built from ``content`` (the bundled content when None)."""

    name: str
    code: Path
    store: Path
    content: list[Path] | None = None
    app: str | None = None  # another app's source, served instead (the one-title floor)


REPO = Path(__file__).resolve().parent.parent


def served_first_page(served: Served) -> FirstPage:
    """A new `streamlit run` of ``served`` and its first page (``/``) in a new Chromium (see :class:`FirstPage`)."""
    port = free_loopback_port()
    command = streamlit_command(port, "127.0.0.1")
    folder = tempfile.TemporaryDirectory()
    app = served.code / "explorer" / "streamlit_app.py"
    if served.app is not None:
        app = Path(folder.name) / "app.py"
        app.write_text(served.app, encoding="utf-8")
    command[command.index("run") + 1] = str(app)
    env = {k: v for k, v in os.environ.items() if k not in ("TKG_EXPLORER_BACKEND", "TKG_SPARQL_ENDPOINT",
                                                            "TKG_EXPLORER_CONTENT")}
    env["PYTHONPATH"] = str(served.code)
    env["TKG_STORE"] = str(served.store)
    if served.content:
        env["TKG_EXPLORER_CONTENT"] = os.pathsep.join(str(p) for p in served.content)
    marker = "h1" if served.app is not None else FIRST_PAGE_MARKER
    # Run in the checkout's folder: `python -m streamlit` puts the working folder first on sys.path, before
    # PYTHONPATH, so from here another checkout would import this one's packages.
    with folder, served_in_chromium(command, port, env, cwd=served.code) as (browser, server):
        return first_page(browser, server, f"http://127.0.0.1:{port}/", marker)


def prepared_by(code: Path, store: Path, content: list[Path]) -> None:
    """Build ``store`` and save its view with the code at ``code`` (another checkout: its fingerprint differs)."""
    script = ("import sys; from pathlib import Path; from benchmarks.bench_explorer import prepared; "
              "prepared(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])")
    subprocess.run([sys.executable, "-c", script, str(store), *map(str, content)], cwd=code, check=True,
                   env={**os.environ, "PYTHONPATH": str(code)})


def first_page_rounds(servers: list[Served], rounds: int) -> dict[str, list[FirstPage]]:
    """The server's first page of each of ``servers`` (each a fresh server and browser), ``rounds`` times, the
    order rotated every round so a change of load falls on every server alike; prints each round with the load."""
    found: dict[str, list[FirstPage]] = {s.name: [] for s in servers}
    for round_ in range(max(rounds, 1)):
        shift = round_ % len(servers)
        for served in servers[shift:] + servers[:shift]:
            found[served.name].append(served_first_page(served))
        print(f"  ... round {round_ + 1} (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}): "
              + ", ".join(f"{name} {pages[-1].ms:.0f} ms / {pages[-1].cpu:.2f} s CPU" for name, pages in found.items()),
              flush=True)
    return found


def first_page_report(title: str, found: dict[str, list[FirstPage]], target_ms: float) -> None:
    """Print the medians of :func:`first_page_rounds`, the target verdict for the servers of this code."""
    print(f"\nServer's first page in Chromium, {title}: median of {len(next(iter(found.values())))} rounds "
          f"(target < {target_ms:.0f} ms)")
    for name, pages in found.items():
        ms = statistics.median(p.ms for p in pages)
        cpu = statistics.median(p.cpu for p in pages)
        verdict = ("met" if ms < target_ms else "NOT met") if name == "this code" else ""
        print(f"  {name:<22}{ms:>8.0f} ms (range {min(p.ms for p in pages):.0f}-{max(p.ms for p in pages):.0f})"
              f"{cpu:>7.2f} s server CPU (range {min(p.cpu for p in pages):.2f}-{max(p.cpu for p in pages):.2f})"
              f"  {verdict}")


def browser_report(cold: FirstPage, figures: dict[str, tuple[float, float, float]],
                   floor: tuple[FirstPage, float, float] | None = None, name: str = "bundled content") -> None:
    """Print the Chromium table, with the one-title Streamlit app's figures as the floor when measured."""
    print(f"\nChromium, {name} (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}): server's first page "
          f"{cold.ms:.0f} ms, {cold.cpu:.2f} s of the server's CPU")
    if floor is not None:
        print(f"  floor (a one-title Streamlit app, same server flags and browser): server's first page "
              f"{floor[0].ms:.0f} ms ({floor[0].cpu:.2f} s CPU; ours {cold.ms / floor[0].ms:.1f}x, "
              f"{cold.cpu / max(floor[0].cpu, 0.01):.1f}x CPU), first visit {floor[1]:.0f} ms, warm {floor[2]:.0f} ms")
    print(f"  {'page':<15}{'first visit':>13}{'worst first':>13}{'warm':>10}  targets 1500 / 500 ms"
          + ("   x floor (first / warm)" if floor else ""))
    for page, (first, worst, warm) in figures.items():
        verdict = "ok" if worst < 1500 and warm < 500 else "SLOW"
        ratios = f"   {first / floor[1]:.1f}x / {warm / floor[2]:.1f}x" if floor else ""
        print(f"  {page:<15}{first:>11.0f}ms{worst:>11.0f}ms{warm:>8.0f}ms  {verdict}{ratios}")


def synthetic_views() -> dict[str, tuple[dict[str, str], list[dict[str, str]]]]:
    """The same pages on the synthetic corpus: deep lineages, a hub shared by ~1,400 modalities."""
    m = "modality/synthetic-modality-"
    return {
        "search": ({"entity": f"{m}12345"},
                   [{"entity": "population/synthetic-population-22"}, {"entity": "theory/synthetic-theory-3"},
                    {"entity": f"{m}19999"}]),
        "lineage": ({"entity": f"{m}12345", "from": f"{m}1", "to": f"{m}19999"},
                    [{"entity": f"{m}777"}, {"entity": "theory/synthetic-theory-7", "from": f"{m}5", "to": f"{m}15000"},
                     {"entity": f"{m}18000"}]),
        "map": ({"focus": f"{m}12345"},
                [{"focus": f"{m}777"}, {"focus": "population/synthetic-population-22", "depth": "1"},
                 {"focus": f"{m}5000", "layout": "force"}]),
        "compare": ({"m": f"{m}1,{m}2"},
                    [{"m": f"{m}3,{m}4,{m}5"}, {"m": f"{m}10,{m}11"}, {"m": f"{m}12,{m}13,{m}14,{m}15"}]),
        "sparql": ({"example": "modalities-by-decade"},
                   [{"example": "founders-of-theories"}, {"example": "lineage-of-a-modality"},
                    {"example": "most-influential-theorists"}]),
        "sources": ({}, [{"source": "synthetic-corpus"}]),
    }


def render(page: str, params: dict[str, str]) -> float:
    """Seconds for one fresh session to render ``page`` with ``params``; fails loudly on any page error."""
    app = AppTest.from_file(str(APP), default_timeout=600)
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(f"app_pages/{page}.py")
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{page} {params}: {app.exception[0].value}")
    return elapsed


def measure(views: dict[str, tuple[dict[str, str], list[dict[str, str]]]], repeat: int) -> tuple[float, dict]:
    """First-load seconds, then per page (same-view median, new-view median) in seconds."""
    first_page, (first_params, _) = next(iter(views.items()))
    first = render(first_page, first_params)
    figures = {}
    for page, (same, fresh) in views.items():
        render(page, same)  # warm this view's cached results
        same_times = [render(page, same) for _ in range(repeat)]
        new_times = [render(page, params) for params in fresh[:max(repeat, 1)]]
        figures[page] = (statistics.median(same_times), statistics.median(new_times), max(new_times))
        print(f"  ... {page}: {figures[page][0]:.3f} s same view, {figures[page][1]:.3f} s new view", flush=True)
    return first, figures


def uncached_baseline(store: Path, content: list[Path], runs: int = 3) -> float:
    """Seconds to open the store into RAM and build the networkx view and search index: the per-render cost
    without st.cache_resource (and what the explorer paid before its first page until the view was saved)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        kg = load_graph(store, content, in_memory=True)
        SearchIndex(kg.nx)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def saved_view_seconds(store: Path, content: list[Path], runs: int = 3) -> tuple[float, float]:
    """Seconds (wall, CPU; medians) to open the store on disk and read the view saved beside its build, as the
    explorer does before its first page (:func:`graph.views.persisted_view.explorer_view`)."""
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        _, read = explorer_view(load_graph(store, content))
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        if not read:
            raise RuntimeError(f"{store}: the view was not read from its file")
    return statistics.median(walls), statistics.median(cpus)


def prepared(store: Path, content: list[Path]) -> None:
    """Build ``store`` if needed and save its view beside the build, as `tkg explore` does before the app starts."""
    save_view_if_missing(load_graph(store, content))


def configure(store: Path, content: list[Path] | None) -> None:
    """Point the explorer (through its environment) at one store and content set."""
    for name in ("TKG_EXPLORER_BACKEND", "TKG_SPARQL_ENDPOINT"):
        os.environ.pop(name, None)
    os.environ["TKG_STORE"] = str(store)
    if content:
        os.environ["TKG_EXPLORER_CONTENT"] = os.pathsep.join(str(p) for p in content)
    else:
        os.environ.pop("TKG_EXPLORER_CONTENT", None)


def report(name: str, target: float, first: float, baseline: float, figures: dict,
           saved: tuple[float, float] | None = None) -> None:
    """Print one corpus's table."""
    print(f"\n{name}: first load (store, saved view, first page) {first:.2f} s")
    print(f"  baseline without the cached graph: {baseline:.2f} s per render (store -> RAM + networkx + index); "
          "'uncached' = baseline + new view")
    if saved is not None:
        print(f"  opening the store and reading the saved view instead: {saved[0]:.2f} s ({saved[1]:.2f} s CPU); "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  {'page':<10}{'same view':>12}{'new view':>12}{'worst new':>12}{'uncached':>12}{'target':>10}")
    for page, (same, new, worst) in figures.items():
        verdict = "ok" if max(same, worst) < target else "SLOW"
        print(f"  {page:<10}{same * 1000:>10.0f}ms{new * 1000:>10.0f}ms{worst * 1000:>10.0f}ms"
              f"{(baseline + new) * 1000:>10.0f}ms{target:>8.0f} s  {verdict}")


def first_page_comparison(args: argparse.Namespace, root: Path, bundled_store: Path, store: Path | None,
                          corpus: Path | None) -> None:
    """The server's first page of this code, the floor and the ``--baseline-code`` checkout (stores of its own,
    under ``root/baseline``), in rotated rounds: bundled content, then the synthetic corpus when built."""
    corpora: list[tuple[str, float, Path, list[Path] | None]] = [("bundled content", 1000, bundled_store, None)]
    if store is not None and corpus is not None:
        corpora.append((f"synthetic corpus, {args.size:,} modalities", 2000, store, [corpus]))
    for title, target, ours, content in corpora:
        servers = [Served("floor (one-title app)", REPO, ours, app=FLOOR_APP)]
        if args.baseline_code is not None:
            theirs = root / "baseline" / ours.name
            prepared_by(args.baseline_code.resolve(), theirs, content or [args.baseline_code.resolve() / "content"])
            servers.append(Served("earlier code", args.baseline_code.resolve(), theirs, content))
        servers.append(Served("this code", REPO, ours, content))
        print(f"\n{title}: load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        first_page_report(title, first_page_rounds(servers, args.first_page_rounds), target)


def main() -> None:
    """Run both corpora and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20000, help="synthetic modalities (0 = bundled only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--store-root", type=Path, default=None,
                        help="keep stores here between runs (the 20,000 build takes a minute or two)")
    parser.add_argument("--no-browser", dest="browser", action="store_false",
                        help="skip the Chromium timings (first meaningful paint)")
    parser.add_argument("--browser-only", action="store_true",
                        help="only the Chromium timings: bundled content, then --size modalities unless 0")
    parser.add_argument("--pages", default="",
                        help="Chromium timings of these pages only (comma-separated names such as start,lineage)")
    parser.add_argument("--first-page-rounds", type=int, default=0,
                        help="only the server's first page, this many rounds (fresh servers), beside the floor and, "
                             "with --baseline-code, an earlier checkout")
    parser.add_argument("--baseline-code", type=Path, default=None,
                        help="an earlier checkout of the repository, served over stores it builds itself")
    args = parser.parse_args()
    root = args.store_root or Path(tempfile.mkdtemp(prefix="tkg-bench-explorer-"))
    root.mkdir(parents=True, exist_ok=True)

    bundled_store = root / "bundled"
    prepared(bundled_store, [BUNDLED_CONTENT])
    corpus = store = None
    if args.size:
        corpus = write_corpus(args.size, root / f"corpus-{args.size}")
        store = root / f"store-{args.size}"
        started = time.perf_counter()
        prepared(store, [corpus])
        print(f"(synthetic store and its saved view built or reused in {time.perf_counter() - started:.1f} s)")
    if args.first_page_rounds:
        first_page_comparison(args, root, bundled_store, store, corpus)
        return
    if args.browser or args.browser_only:
        print(f"load average before the Chromium run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        wanted = [p for p in args.pages.split(",") if p]

        def chosen(views: dict[str, tuple[str, str, list[str]]]) -> dict[str, tuple[str, str, list[str]]]:
            return {page: view for page, view in views.items() if not wanted or page in wanted}

        floor = streamlit_floor(args.repeat)
        browser_report(*browser_timings(bundled_store, args.repeat, views=chosen(BROWSER_VIEWS)), floor=floor)
        if store is not None and corpus is not None:
            browser_report(*browser_timings(store, args.repeat, [corpus], chosen(synthetic_browser_views())),
                           floor=floor, name=f"synthetic corpus, {args.size:,} modalities")
        if args.browser_only:
            return
    configure(bundled_store, None)
    baseline = uncached_baseline(bundled_store, [BUNDLED_CONTENT])
    saved = saved_view_seconds(bundled_store, [BUNDLED_CONTENT])
    first, figures = measure(BUNDLED_VIEWS, args.repeat)
    report("bundled content", 1.0, first, baseline, figures, saved)

    if store is not None and corpus is not None:
        configure(store, [corpus])
        baseline = uncached_baseline(store, [corpus], runs=1)
        saved = saved_view_seconds(store, [corpus], runs=1)
        first, figures = measure(synthetic_views(), args.repeat)
        report(f"synthetic corpus, {args.size:,} modalities", 3.0, first, baseline, figures, saved)


if __name__ == "__main__":
    main()
