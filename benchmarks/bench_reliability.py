"""Reliability benchmark: hostile pages, malformed YAML, endpoint abuse and kill -9 during builds, counted per family.

Usage: python -m benchmarks.bench_reliability [--mutations 60] [--kills 5] [--seed 13]

Not a test: it tries every hostile-input family of issue 13 against the real CLI and endpoint and prints, per
family, the inputs tried, how many were refused (a refused build, an HTTP error status), crashes (a traceback, a
signal, a hang past its time limit, or an HTTP 5xx other than a 503 for an overrun), corrupted stores (a store that
no longer opens, answers or counts the same after the input; or a refused build that changed what is served) and
unclear errors (a refusal whose message does not name the file, or an HTTP error with no readable message), then a
total line and the load average. Every input that counts against a column is listed by name under the table. A
full run takes two to three minutes on two loaded cores.

- pages: `tkg build PAGE` in-process on a fresh copy of a kitchen-sink store per page (binary, empty, a huge
  single line, a line over the size limit, UTF-16 without a BOM, invalid UTF-8, Latin-1, a FIFO, a folder, a
  symlink to /dev/zero, deeply nested HTML, a NUL inside HTML);
- yaml: `tkg build` in-process on one store, for every malformed case of issue 13 and ``--mutations`` random
  mutations (fixed ``--seed``) of tests/resources/content/kitchen-sink.yaml;
- endpoint: `tkg serve --port 0` on that store and ~25 abusive requests (SERVICE to loopback and private hosts, deep
  nesting, a 20 KB GET, wrong or missing content types, a 700 KB query, a cartesian product, updates, invalid UTF-8);
- kill -9: `tkg build --force` of the bundled content killed after a seeded random delay, then `tkg stats` and a
  query on the same store must answer as before; leftover ``.partial-*`` folders are counted after a final build.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.pipeline.store import current_build, open_read_only
from graph.processes import stop_process

ROOT = Path(__file__).resolve().parents[1]
KITCHEN_SINK = ROOT / "tests" / "resources" / "content" / "kitchen-sink.yaml"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass
class Family:
    """What one family of hostile inputs did: inputs tried and the names of those that crashed, corrupted or
    gave an unclear error."""

    name: str
    tried: int = 0
    crashes: list[str] = field(default_factory=list)
    corrupted: list[str] = field(default_factory=list)
    unclear: list[str] = field(default_factory=list)
    seconds: float = 0.0
    refused: int = 0  # inputs answered with an error (a refused build, an HTTP 4xx/5xx)
    note: str = ""


def tkg(*args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in its own process group; a hang past ``timeout`` kills the group and returns
    exit code -9 with "timed out" on stderr."""
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace", cwd=cwd, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return subprocess.CompletedProcess(process.args, -9, out, err + f"\ntimed out after {timeout} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def crashed(returncode: int, stderr: str) -> bool:
    """A traceback, a signal or a hang (see :func:`tkg`)."""
    return returncode < 0 or "Traceback (most recent call last)" in stderr


def store_fingerprint(store: Path) -> tuple[str, int] | None:
    """(served build folder, triples counted by a query on it), or None when the store does not open or answer."""
    build = current_build(store)
    if build is None:
        return None
    try:
        solutions = open_read_only(build).query(COUNT_QUERY)
        count = int(next(iter(solutions))["n"].value)  # type: ignore[index, union-attr, arg-type]
    except (OSError, ValueError, StopIteration):
        return None
    return build.path.name, count


# ----------------------------------------------------------------------------------------------------- pages


def hostile_pages(folder: Path) -> Iterator[Path]:
    """Write each hostile page into ``folder`` and yield it."""
    rng = random.Random(13)
    pages: dict[str, bytes] = {
        "binary.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "empty.txt": b"",
        "whitespace.md": b" \n\t\n" * 100,
        "single-line.txt": b"Mentalization-Based Treatment was developed by Peter Fonagy. " * 4000,  # 244 KB
        "over-the-limit.txt": b"x" * (5 * 1024 * 1024 + 1),
        "utf16-no-bom.txt": "Schema therapy was developed by Jeffrey Young.\n".encode("utf-16-le"),
        "invalid-utf8.txt": b"Gestalt therapy \xff\xfe\xc3\x28 was developed by Fritz Perls.\n",
        "latin1.txt": "Caf\u00e9 therapy was developed by Ren\u00e9 Dupont in 1990.\n".encode("latin-1"),
        "nested.html": b"<html><body>" + b"<div>" * 10000 + b"Play therapy" + b"</div>" * 10000 + b"</body></html>",
        "nul-in-html.html": b"<html><body><p>Art therapy\x00 was developed by Margaret Naumburg.</p></body></html>",
        "broken-markup.html": b"<html><body><p>Drama therapy <b><i>was developed</p></div></span><script>",
    }
    for name, data in pages.items():
        path = folder / name
        path.write_bytes(data)
        yield path
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    yield fifo
    (folder / "folder.txt").mkdir()
    yield folder / "folder.txt"
    zero = folder / "dev-zero.txt"
    zero.symlink_to("/dev/zero")
    yield zero


class Overrun(Exception):
    """An in-process build ran past its alarm: counted as a hang (a crash)."""


def _alarm(_signal: int, _frame: object) -> None:
    raise Overrun


def run_pages(work: Path, store: Path) -> Family:
    """Each hostile page through `tkg build PAGE` (in-process, 90 s alarm) on a fresh copy of the kitchen-sink
    store; a refusal must name the page (as given, or the file its symlink resolves to) and leave the store as
    it was."""
    family = Family("pages")
    folder = work / "pages"
    folder.mkdir()
    runner = CliRunner()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for n, page in enumerate(hostile_pages(folder)):
            family.tried += 1
            copy = work / f"pages-store-{n}"
            shutil.copytree(store, copy, symlinks=True)
            before = store_fingerprint(copy)
            signal.alarm(90)
            try:
                result = runner.invoke(main, ["--store", str(copy), "--content", str(KITCHEN_SINK), "build",
                                              str(page)])
            except Overrun:
                family.crashes.append(f"{page.name}: still running after 90 s")
                continue
            finally:
                signal.alarm(0)
            output = result.output + result.stderr
            if (result.exception is not None and not isinstance(result.exception, SystemExit)) \
                    or "Traceback" in output:
                family.crashes.append(f"{page.name} ({type(result.exception).__name__}: {result.exception})")
                continue
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            family.refused += result.exit_code != 0
            names = (str(page), str(page.resolve()))
            if result.exit_code != 0 and not any(name in line for line in errors for name in names):
                family.unclear.append(f"{page.name}: {errors[:1]}")
            after = store_fingerprint(copy)
            if after is None or (result.exit_code != 0 and after != before):
                family.corrupted.append(page.name)
            if n == 0 and not answers(copy, KITCHEN_SINK):
                family.corrupted.append(f"{page.name}: stats and query afterwards")
            shutil.rmtree(copy, ignore_errors=True)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return family


def answers(store: Path, content: Path) -> bool:
    """`tkg stats` and a query on ``store`` both exit 0 and give their usual output."""
    stats = tkg("--store", str(store), "--content", str(content), "stats")
    query = tkg("--store", str(store), "--content", str(content), "query", "--format", "csv",
                "SELECT ?l WHERE { ?m skos:prefLabel ?l } ORDER BY ?l LIMIT 1")
    return (stats.returncode == 0 and "SHACL: conforms" in stats.stdout and query.returncode == 0
            and len(query.stdout.splitlines()) == 2)


# ----------------------------------------------------------------------------------------------------- yaml


def malformed_cases(text: str) -> dict[str, str]:
    """The malformed and accepted-but-wrong inputs of issue 13, each a variant of the kitchen-sink ``text``."""
    bowlby = "    label: John Bowlby\n"
    return {
        "syntax error": text + "\nbroken: [unclosed\n",
        "tab indentation": text.replace(bowlby, "\tlabel: John Bowlby\n"),
        "unclosed quote": text.replace("label: John Bowlby", 'label: "John Bowlby'),
        "duplicate key": text.replace(bowlby, bowlby + "    label: Jon Bowlby\n"),
        "NUL escape in a label": text.replace("label: John Bowlby", 'label: "John\\0 Bowlby"'),
        "raw control character": text.replace("label: John Bowlby", "label: John\x07Bowlby"),
        "subtypeOf itself": text.replace("subtypeOf: [modality/attachment-focused-psychotherapy]\n    groundedIn: "
                                         "[theory/attachment-theory]\n    introduced: 1990s",
                                         "subtypeOf: [modality/dyadic-developmental-psychotherapy]\n    groundedIn: "
                                         "[theory/attachment-theory]\n    introduced: 1990s"),
        "derivedFrom cycle": text.replace("label: Psychodynamic Psychotherapy, source: kitchen-sink}",
                                          "label: Psychodynamic Psychotherapy, source: kitchen-sink, "
                                          "derivedFrom: [modality/mentalization-based-treatment]}"),
        "studentOf itself": text.replace("studentOf: [theorist/mary-ainsworth]", "studentOf: [theorist/daniel-hughes]"),
        "studentOf cycle": text.replace("influencedBy: [theorist/john-bowlby]", "influencedBy: [theorist/john-bowlby]"
                                        "\n    studentOf: [theorist/daniel-hughes]"),
        "born after death": text.replace("birthYear: 1907", "birthYear: 1995"),
        "birthYear on a modality": text.replace("    introduced: 1990s\n",
                                                "    introduced: 1990s\n    birthYear: 1950\n"),
        "developedBy on a theorist": text.replace("    birthYear: 1907\n",
                                                  "    birthYear: 1907\n    developedBy: [theorist/mary-ainsworth]\n"),
        "year 0": text.replace("birthYear: 1907", "birthYear: 0"),
        "year -5": text.replace("birthYear: 1907", "birthYear: -5"),
        "year 3000": text.replace("deathYear: 1990", "deathYear: 3000"),
        "year 99999": text.replace("deathYear: 1990", "deathYear: 99999"),
        "unquoted 0050": text.replace("birthYear: 1907", "birthYear: 0050"),
        "url with a space": text.replace("kind: book, author", "kind: book, url: http://exa mple.org/x, author"),
        "mixed int/str keys": text.replace(bowlby, bowlby + "    1: one\n    two words: two\n"),
        "list for a scalar": text.replace("label: John Bowlby", "label: [John, Bowlby]"),
        "mapping for text": text.replace('typicalDuration: "6 to 12 months"', "typicalDuration: {value: {a: 1}}"),
        "list for an author": text.replace("author: A. Tester", "author: [A, B]"),
        "list for a note": text.replace('note: "dated only to the decade here"', "note: [a]"),
        "date for a year": text.replace("birthYear: 1907", "birthYear: 2001-01-01"),
        "top-level list": "- a\n- b\n",
        "binary": "\x00\x01\x02",
        "alias bomb": ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"),
        "recursive alias": text.replace("aliases: [DDP]", "aliases: &r [DDP, *r]"),
        "undefined alias": text.replace("aliases: [DDP]", "aliases: *nowhere"),
    }


MUTATION_CHARACTERS = [":", "-", "[", "]", "{", "}", '"', "'", "\t", "&", "*", "#", "\n", " ", "!", "|", ">", "%",
                       "@", "`", "\x00", "\u2028", "0", "?", ","]


def mutate(text: str, rng: random.Random) -> str:
    """One random edit of ``text``: a character deleted or inserted, a line deleted, doubled, swapped, re-indented,
    or the file cut short."""
    lines = text.splitlines(keepends=True)
    kind = rng.randrange(8)
    at = rng.randrange(len(text))
    line = rng.randrange(len(lines))
    if kind == 0:
        return text[:at] + text[at + 1:]
    if kind == 1:
        return text[:at] + rng.choice(MUTATION_CHARACTERS) + text[at:]
    if kind == 2:
        return "".join(lines[:line] + lines[line + 1:])
    if kind == 3:
        return "".join(lines[:line + 1] + lines[line:])
    if kind == 4:
        other = rng.randrange(len(lines))
        lines[line], lines[other] = lines[other], lines[line]
        return "".join(lines)
    if kind == 5:
        lines[line] = " " * rng.choice([1, 3, 5, 8]) + lines[line].lstrip(" ")
        return "".join(lines)
    if kind == 6:
        return text[:at]
    return text.replace(rng.choice(re.findall(r"\b\d{4}\b", text)), rng.choice(["0", "-1", "99999", "0123", "1e3"]), 1)


def run_yaml(work: Path, mutations: int, seed: int) -> Family:
    """Every malformed case and ``mutations`` seeded mutations, each built in-process into one store."""
    family = Family("yaml")
    store = work / "yaml-store"
    folder = work / "yaml-content"
    folder.mkdir()
    path = folder / "kitchen-sink.yaml"
    original = KITCHEN_SINK.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "--content", str(folder), "build"]).exit_code == 0
    rng = random.Random(seed)
    cases = list(malformed_cases(original).items())
    cases += [(f"mutation {n + 1}", mutate(original, rng)) for n in range(mutations)]
    for name, text in cases:
        family.tried += 1
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = store_fingerprint(store)
        result = runner.invoke(main, ["--store", str(store), "--content", str(folder), "build"])
        output = result.output + result.stderr
        if (result.exception is not None and not isinstance(result.exception, SystemExit)) or "Traceback" in output:
            family.crashes.append(f"{name} ({type(result.exception).__name__}: {result.exception})")
            continue
        after = store_fingerprint(store)
        if after is None or (result.exit_code != 0 and after != before):
            family.corrupted.append(name)
        family.refused += result.exit_code != 0
        if result.exit_code != 0:
            problems = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
            if not problems or not all(str(path) in line for line in problems):
                family.unclear.append(f"{name}: {result.stderr.strip().splitlines()[1:2]}")
    path.write_text(original, encoding="utf-8")
    if not answers(store, folder):
        family.corrupted.append("stats and query after the family")
    return family


# ----------------------------------------------------------------------------------------------------- endpoint


def abusive_requests(base: str) -> list[tuple[str, Callable[[], tuple[int, str]]]]:
    """(name, request) pairs; each request returns (HTTP status or -1 when the connection failed, body text)."""
    query_url = base + "/query"

    def send(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None) -> Callable[[], tuple[int, str]]:
        def call() -> tuple[int, str]:
            request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    return answer.status, answer.read(4096).decode("utf-8", "replace")
            except urllib.error.HTTPError as error:
                return error.code, error.read(4096).decode("utf-8", "replace")
            except OSError as error:
                return -1, str(error)
        return call

    def get(query: str) -> Callable[[], tuple[int, str]]:
        return send(query_url + "?" + urllib.parse.urlencode({"query": query}))

    def post(query: str, content_type: str | None = "application/sparql-query") -> Callable[[], tuple[int, str]]:
        return send(query_url, query.encode("utf-8"), {"Content-Type": content_type} if content_type else {})

    closed = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    nested = "SELECT * WHERE " + "{" * 10000 + " ?s ?p ?o " + "}" * 10000
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    long_filter = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 'x'"] * 60000) + ") }"
    return [
        ("SERVICE to a closed loopback port (GET)", get(closed)),
        ("SERVICE to a closed loopback port (POST)", post(closed)),
        ("SERVICE to a private address", get(closed.replace("127.0.0.1:9", "10.0.0.1"))),
        ("SERVICE SILENT to localhost", get(closed.replace("SERVICE", "SERVICE SILENT").replace("127.0.0.1",
                                                                                                 "localhost"))),
        ("10,000-deep nesting", post(nested)),
        ("10,000 nested OPTIONALs", post("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 2000 + "}" * 2001)),
        ("20 KB GET", get("SELECT * WHERE { ?s ?p ?o } #" + "x" * 20000)),
        ("700 KB POST query", post(long_filter)),
        ("cartesian product", post(cartesian)),
        ("POST text/plain", post("ASK {}", "text/plain")),
        ("POST application/json", post("ASK {}", "application/json")),
        ("POST multipart", post("ASK {}", "multipart/form-data; boundary=x")),
        ("POST with no content type", post("ASK {}", None)),
        ("POST invalid UTF-8", send(query_url, b"ASK { ?s ?p '\xff\xfe' }", {"Content-Type":
                                                                             "application/sparql-query"})),
        ("form with no query", send(query_url, b"nothing=1", {"Content-Type": "application/x-www-form-urlencoded"})),
        ("INSERT DATA as an update", send(query_url, b"update=INSERT+DATA+%7B%3Ca%3E+%3Cb%3E+%3Cc%3E%7D",
                                          {"Content-Type": "application/x-www-form-urlencoded"})),
        ("INSERT DATA as a query", post("INSERT DATA { <a> <b> <c> }")),
        ("DROP ALL as a query", post("DROP ALL")),
        ("LOAD a URL", post("LOAD <http://127.0.0.1:9/x>")),
        ("syntax error", get("SELECT WHERE {")),
        ("empty query", get("")),
        ("NUL in a query", get("ASK { ?s ?p '\x00' }")),
        ("unknown Accept", send(query_url + "?query=ASK%7B%7D", headers={"Accept": "application/x-nonsense"})),
        ("DELETE method", send(query_url, method="DELETE")),
        ("path traversal", send(base + "/../../etc/passwd")),
        ("huge header", send(query_url + "?query=ASK%7B%7D", headers={"X-Junk": "y" * 60000})),
    ]


def run_endpoint(work: Path, store: Path) -> Family:
    """`tkg serve` on the kitchen-sink store and every abusive request; the server must keep answering after each."""
    family = Family("endpoint")
    log = work / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), "--content",
                                   str(KITCHEN_SINK), "serve", "--port", "0", "--timeout", "3"],
                                  stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    try:
        base = ""
        deadline = time.monotonic() + 120
        while not base and time.monotonic() < deadline and server.poll() is None:
            found = re.search(r"SPARQL endpoint: (\S+)/query", log.read_text())
            base = found.group(1) if found else ""
            time.sleep(0.1)
        if not base:
            family.crashes.append(f"tkg serve did not start: {log.read_text()[-500:]}")
            return family
        count = urllib.parse.urlencode({"query": COUNT_QUERY})
        expected = _get(base + "/query?" + count)
        for name, request in abusive_requests(base):
            family.tried += 1
            status, body = request()
            family.refused += status >= 400
            if status == -1 or (status >= 500 and status != 503) or "Traceback" in body or server.poll() is not None:
                family.crashes.append(f"{name}: {status} {body[:120]!r}")
            elif name.startswith("SERVICE") and status == 200:
                family.crashes.append(f"{name}: answered 200")
            elif status >= 400 and not re.search(r"[A-Za-z]{3,}", body):
                family.unclear.append(f"{name}: {status} with no message")
            if _get(base + "/query?" + count) != expected:
                family.corrupted.append(name)
        if "Traceback" in log.read_text():
            family.crashes.append("a traceback in the server log")
    finally:
        stop_process(server, whole_group=True)
    return family


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/csv"}), timeout=60) as answer:
            return str(answer.read().decode())
    except OSError as error:
        return f"failed: {error}"


# ----------------------------------------------------------------------------------------------------- kill -9


def run_kills(work: Path, kills: int, seed: int) -> Family:
    """``kills`` builds of the bundled content killed with SIGKILL at seeded random moments; after each, `tkg stats`
    and a query must answer as before the kill. A final build must leave no ``.partial-*`` folder."""
    family = Family("kill -9 build")
    store = work / "kill-store"
    content = str(BUNDLED_CONTENT)
    first = tkg("--store", str(store), "--content", content, "build", timeout=300)
    if first.returncode != 0:
        family.crashes.append(f"the first build failed: {first.stderr[-300:]}")
        return family
    expected = store_fingerprint(store)
    rng = random.Random(seed)
    finished_before = 0
    for n in range(kills):
        family.tried += 1
        delay = rng.uniform(0.5, 5.0)
        process = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), "--content", content,
                                    "build", "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        time.sleep(delay)
        finished = process.poll() is not None
        finished_before += finished
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        name = f"kill {n + 1} after {delay:.1f} s" + (" (the build had finished)" if finished else "")
        served = store_fingerprint(store)
        if served is None or served[1] != (expected[1] if expected else -1):
            family.corrupted.append(name)
        if not answers(store, Path(content)):
            family.corrupted.append(f"{name}: stats or query failed")
    family.note = f"{kills - finished_before} of {kills} killed mid-build"
    final = tkg("--store", str(store), "--content", content, "build", "--force", timeout=300)
    partials = list((store / "builds").glob("*.partial-*"))
    if final.returncode != 0 or partials:
        family.corrupted.append(f"final build: exit {final.returncode}, {len(partials)} .partial-* folders left")
    return family


# ----------------------------------------------------------------------------------------------------- report


def report(families: list[Family]) -> str:
    """The table: one line per family, a total line, the load average, then each counted input by name."""
    lines = [f"{'family':<16}{'inputs':>8}{'refused':>9}{'crashes':>9}{'corrupted stores':>18}{'unclear errors':>16}"
             f"{'seconds':>9}"]
    for family in families:
        lines.append(f"{family.name:<16}{family.tried:>8}{family.refused:>9}{len(family.crashes):>9}"
                     f"{len(family.corrupted):>18}{len(family.unclear):>16}{family.seconds:>9.1f}"
                     + (f"  ({family.note})" if family.note else ""))
    lines.append(f"{'total':<16}{sum(f.tried for f in families):>8}{sum(f.refused for f in families):>9}"
                 f"{sum(len(f.crashes) for f in families):>9}"
                 f"{sum(len(f.corrupted) for f in families):>18}{sum(len(f.unclear) for f in families):>16}"
                 f"{sum(f.seconds for f in families):>9.1f}")
    one, five, fifteen = os.getloadavg()
    lines.append(f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores")
    for family in families:
        for column, names in (("crash", family.crashes), ("corrupted", family.corrupted),
                              ("unclear", family.unclear)):
            lines.extend(f"  {family.name} {column}: {name}" for name in names)
    return "\n".join(lines)


def main_cli(argv: list[str] | None = None) -> int:
    """Run every family and print the report; exit 1 when anything crashed or corrupted a store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=60, help="random mutations of the kitchen-sink YAML")
    parser.add_argument("--kills", type=int, default=5, help="builds killed with SIGKILL")
    parser.add_argument("--seed", type=int, default=13, help="seed of the mutations and kill delays")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tkg-reliability-"))
    try:
        store = work / "store"
        first = tkg("--store", str(store), "--content", str(KITCHEN_SINK), "build", timeout=300)
        if first.returncode != 0:
            print(f"the kitchen-sink build failed: {first.stderr}", file=sys.stderr)
            return 1
        endpoint_store = work / "endpoint-store"
        shutil.copytree(store, endpoint_store, symlinks=True)
        families = []
        for run in (lambda: run_pages(work, store), lambda: run_yaml(work, args.mutations, args.seed),
                    lambda: run_endpoint(work, endpoint_store), lambda: run_kills(work, args.kills, args.seed)):
            started = time.perf_counter()
            family = run()
            family.seconds = time.perf_counter() - started
            families.append(family)
            print(f"  {family.name}: done in {family.seconds:.1f} s", file=sys.stderr, flush=True)
        print(report(families))
        return 1 if any(f.crashes or f.corrupted for f in families) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main_cli())
