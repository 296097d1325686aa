"""Map benchmark: HTML generation time and time-to-stable in headless Chromium, ours vs pyvis (two rows).

Usage: python -m benchmarks.bench_maps [--sizes 200,2000,10000] [--repeat 3] [--timeout 90]

Pages open in a 1920x1080 window (a projector). Besides generation time, first frame and time-to-stable it
reports the *first readable frame*: the first drawn frame whose labels are at least 14 px tall (ours:
``therapyMap.labelPixels()``; pyvis: vis.js' default 14-unit label times the zoom), the label height once the
page is still, and the HTML file size.

Graphs come from ``benchmarks.synthetic`` corpora built through the real pipeline (``load_graph``); the
200-node map is the modalities, theories and theorists of a small corpus (the synthetic vocabulary alone has
240 entities). Baseline: ``pyvis.network.Network(directed=True, cdn_resources="in_line")`` + ``from_nx`` +
``generate_html`` with default physics, given the same nodes with label, group and plain-text title; a second
pyvis row is given our nodes with our positions and physics off (the fair comparison for drawing).
Time-to-stable is measured inside the page from navigation start (``performance.now()``) to the first of ten
consecutive animation frames in which no sampled node moved; external requests are blocked (and counted) so
the baseline is not charged for CDN timeouts.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from benchmarks.synthetic import write_corpus
from graph.sinks.maps import MapRequest, build_map, node_tooltip, render_map_html, write_map
from graph.views.kg import load_graph
from graph.views.neighbourhood import select_neighbourhood

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SMALL_TYPES = ("Modality", "Theory", "Theorist")

STABILITY_WATCH = """
window.__stableAt = null;
window.__firstDrawAt = null;
window.__firstFrameAt = null;
window.__readableAt = null;
(function () {
  const restore = CanvasRenderingContext2D.prototype.restore;
  CanvasRenderingContext2D.prototype.restore = function () {
    restore.call(this);
    if (window.__firstDrawAt === null && this.canvas.closest && this.canvas.closest(".vis-network")) {
      window.__firstDrawAt = performance.now();
    }
  };
})();
(function () {
  let last = null, same = 0, firstSame = 0, sawDraw = false;
  function sample() {
    const net = window.network;
    if (window.__firstDrawAt !== null && window.__firstFrameAt === null) {
      if (sawDraw) {  // the frame after drawing began has finished
        window.__firstFrameAt = performance.now();
        console.debug("tkg-bench first-frame " + window.__firstFrameAt);
      }
      sawDraw = true;
    }
    if (window.__firstFrameAt !== null && window.__readableAt === null && net && net.getScale) {
      // readable: labels at least 14 px tall (ours: therapyMap.labelPixels(); pyvis: vis.js' 14-unit labels)
      const pixels = window.therapyMap ? window.therapyMap.labelPixels() : net.getScale() * 14;
      if (pixels >= 14) {
        window.__readableAt = window.__firstFrameAt;
        console.debug("tkg-bench readable " + performance.now() + " " + pixels);
      }
    }
    if (net && net.body && net.body.nodeIndices && net.body.nodeIndices.length) {
      const ids = net.body.nodeIndices;
      const stride = Math.max(1, Math.floor(ids.length / 300));
      let key = "";
      for (let i = 0; i < ids.length; i += stride) { const n = net.body.nodes[ids[i]]; key += n.x + "," + n.y + ";"; }
      if (key === last) {
        same += 1;
        if (same === 1) firstSame = performance.now();
        if (same >= 10) {
          window.__stableAt = firstSame;
          console.debug("tkg-bench stable " + firstSame + " " + ids.length);
          const still = window.therapyMap ? window.therapyMap.labelPixels() : net.getScale() * 14;
          console.debug("tkg-bench label " + still);  // label height once still
          return;
        }
      } else { same = 0; last = key; }
    }
    requestAnimationFrame(sample);
  }
  requestAnimationFrame(sample);
})();
"""


def synthetic_total(modalities: int, small: bool) -> int:
    """Entities a synthetic corpus of ``modalities`` yields (only modalities, theories, theorists if small)."""
    theorists, theories = max(10, modalities // 4), max(5, min(40, modalities // 50))
    return modalities + theorists + theories + (0 if small else 240)


def corpus_graph(nodes: int, work: Path) -> tuple[nx.MultiDiGraph, MapRequest]:
    """The networkx view of a synthetic corpus sized to about ``nodes`` entities, and the request that maps it."""
    small = nodes < 400
    modalities = min(range(1, nodes + 1), key=lambda m: abs(synthetic_total(m, small) - nodes))
    content = write_corpus(modalities, work / f"corpus-{modalities}")
    kg = load_graph(store_dir=work / f"store-{modalities}", content=[content])
    request = MapRequest(types=SMALL_TYPES if small else (), title=f"Synthetic map, {nodes} entities")
    return kg.nx, request


def ours(graph: nx.MultiDiGraph, request: MapRequest) -> tuple[str, int]:
    """Our page and its entity count."""
    graph_map = build_map(graph, request)
    return render_map_html(graph_map), len(graph_map.nodes)


def pyvis_defaults(graph: nx.MultiDiGraph, request: MapRequest) -> tuple[str, int]:
    """What a pyvis user gets by default: from_nx, default physics, inline resources."""
    from pyvis.network import Network

    chosen = select_neighbourhood(graph, request.focus, request.depth, request.types, request.relations).graph
    plain = nx.MultiDiGraph()
    for node, data in chosen.nodes(data=True):
        plain.add_node(node, label=data["label"], group=data["type"], title=node_tooltip(chosen, node))
    for u, v, key in chosen.edges(keys=True):
        plain.add_edge(u, v, key=key, title=key)
    network = Network(directed=True, cdn_resources="in_line")
    network.from_nx(plain)
    return network.generate_html(), len(network.nodes)


def pyvis_positioned(graph: nx.MultiDiGraph, request: MapRequest) -> tuple[str, int]:
    """pyvis given what ours computes (the same nodes, our positions, labels, groups and titles) with physics off:
    the fair baseline for drawing, since only the layout work is then left to ours."""
    from pyvis.network import Network

    graph_map = build_map(graph, request)
    network = Network(directed=True, cdn_resources="in_line")
    for node in graph_map.nodes:
        network.add_node(node["id"], label=node.get("label", node["id"]), group=node.get("group"),
                         title=node.get("title"), x=node.get("x"), y=node.get("y"), physics=False)
    for edge in graph_map.edges:
        network.add_edge(edge["from"], edge["to"], title=edge.get("title") or edge.get("relation"))
    network.toggle_physics(False)
    return network.generate_html(), len(network.nodes)


def timed(make, repeat: int) -> tuple[float, str, int]:
    """Median wall time of ``make()`` over ``repeat`` runs, with its last result."""
    times, result = [], ("", 0)
    for _ in range(repeat):
        started = time.perf_counter()
        result = make()
        times.append(time.perf_counter() - started)
    return statistics.median(times), *result


@dataclass
class PageTimes:
    """What one page load measured: seconds from navigation start (None: not within the timeout)."""

    first_frame: float | None
    readable: float | None  # the first frame whose labels are at least 14 px tall (1920x1080)
    stable: float | None
    blocked: int  # external requests blocked
    drawn: int  # nodes in the network
    label_px: float | None  # label height (CSS px) once still


def time_to_stable(browser: object, path: Path, timeout: float) -> PageTimes:
    """Times from navigation start to the first drawn frame, the first readable frame and until nodes stop
    moving, in a 1920x1080 window (a projector), with external requests blocked and counted."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[attr-defined]
    blocked: list[str] = []

    def block(route: object) -> None:
        blocked.append(route.request.url)  # type: ignore[attr-defined]
        route.abort()  # type: ignore[attr-defined]

    context.route("http*://**/*", block)
    page = context.new_page()
    # The page reports through console messages, which arrive even when its main thread is busy for minutes
    # afterwards (a page.evaluate would wait for it).
    reports: dict[str, list[str]] = {}

    def listen(message: object) -> None:
        words = message.text.split()  # type: ignore[attr-defined]
        if words and words[0] == "tkg-bench":
            reports[words[1]] = words[2:]

    page.on("console", listen)
    page.add_init_script(STABILITY_WATCH)
    page.goto(path.as_uri(), wait_until="commit")
    deadline = time.monotonic() + timeout
    while "stable" not in reports and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    if "stable" in reports and "label" not in reports:
        page.wait_for_timeout(500)
    context.close()  # type: ignore[attr-defined]
    first_draw = float(reports["first-frame"][0]) / 1000 if "first-frame" in reports else None
    stable = float(reports["stable"][0]) / 1000 if "stable" in reports else None
    drawn = int(reports["stable"][1]) if "stable" in reports else -1
    readable = first_draw if "readable" in reports else None
    label = float(reports["label"][0]) if "label" in reports else None
    return PageTimes(first_draw, readable, stable, len(blocked), drawn, label)


def figure(value: float | None, timeout: float) -> str:
    return f"{value:8.2f}" if value is not None else f"  >{timeout:.0f}"


def main() -> None:
    """Run every size and print ours beside pyvis defaults, with ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,2000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for a page to settle")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for size in (int(s) for s in args.sizes.split(",")):
            graph, request = corpus_graph(size, work)
            repeat = args.repeat if size <= 2000 else 1
            for name, make in (("ours", ours), ("pyvis defaults", pyvis_defaults),
                               ("pyvis positioned", pyvis_positioned)):
                generation, html, nodes = timed(lambda make=make, g=graph, r=request: make(g, r), repeat)
                page = work / f"{name.split()[0]}-{size}.html"
                write_map(page, html)
                times = time_to_stable(browser, page, args.timeout)
                rows.append((size, name, nodes, generation, times.stable, times.blocked, times.drawn, len(html),
                             times.first_frame, times))
                print(f"  measured {name} at {size}: generation {generation:.2f} s, first draw "
                      f"{times.first_frame}, readable {times.readable}, stable {times.stable}", flush=True)
        browser.close()
    print(f"\n{'size':>6} {'map':<15} {'nodes':>6} {'drawn':>6} {'HTML MB':>8} {'generate s':>10} "
          f"{'1st draw s':>10} {'readable s':>10} {'stable s':>9} {'label px':>9} {'ext. req.':>9}")
    for size, name, nodes, generation, stable, blocked, drawn, length, first_draw, times in rows:
        still = f"{times.label_px:.1f}" if times.label_px is not None else "-"
        print(f"{size:>6} {name:<15} {nodes:>6} {drawn:>6} {length / 1e6:>8.2f} {generation:>10.2f} "
              f"{figure(first_draw, args.timeout):>10} {figure(times.readable, args.timeout):>10} "
              f"{figure(stable, args.timeout):>9} {still:>9} {blocked:>9}")
    print("\nRatios (pyvis defaults / ours; higher means ours is faster):")
    for size in sorted({r[0] for r in rows}):
        mine = next(r for r in rows if r[0] == size and r[1] == "ours")
        base = next(r for r in rows if r[0] == size and r[1] != "ours")
        generate = base[3] / mine[3] if mine[3] else float("nan")
        if mine[4] is None:
            settle = "ours did not settle"
        elif base[4] is None:
            settle = f"> {args.timeout / mine[4]:.0f}x (pyvis did not settle within {args.timeout:.0f} s)"
        else:
            settle = f"{base[4] / mine[4]:.1f}x"
        draw = (f"{base[8] / mine[8]:.1f}x" if base[8] and mine[8]
                else f"pyvis drew nothing within {args.timeout:.0f} s")
        print(f"  {size:>6} entities: generation {generate:.2f}x, first draw {draw}, time-to-stable {settle}")
        fair = next((r for r in rows if r[0] == size and r[1] == "pyvis positioned"), None)
        if fair and mine[4] and fair[4]:
            print(f"  {size:>6} entities, pyvis given our positions with physics off: generation "
                  f"{fair[3] / mine[3]:.2f}x, time-to-stable {fair[4] / mine[4]:.1f}x")


if __name__ == "__main__":
    main()
