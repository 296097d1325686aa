"""The SPARQL endpoint: Oxigraph's read-only server behind a thin proxy adding prefixes, a landing page, hard timeouts.

Oxigraph's own server (``oxigraph serve-read-only``) does the SPARQL 1.1 Protocol work: parsing, evaluation over the
union of the named graphs (``--union-default-graph``), content negotiation (SPARQL JSON/XML/CSV/TSV, Turtle,
N-Triples, JSON-LD ...), read-only refusal of updates and Graph Store writes. Measured on 0.5.13, its
``--timeout-s`` is cooperative only: a sort or aggregate over a runaway join is not interrupted (one ran for 80 s
and 24 GB before the kernel stopped it) and a cancelled streaming answer arrives as ``200 OK`` with a truncated
body. So this proxy adds what it lacks:

* a hard timeout: each answer is awaited for at most ``timeout`` seconds; a query still running then is answered
  ``503`` and its Oxigraph process is replaced by a warm spare and killed (other queries it was running are
  retried on the spare - they are reads, so retrying is safe); a worker that grows past ``max_memory_mb`` is
  replaced the same way;
* our prefixes (``tkg:``, ``skos:``, ``id:`` ...) predeclared for queries that do not declare them, with parser
  error positions mapped back to the query as sent;
* a body limit (``max_body``, 1 MB) and a UTF-8 check answered with clear 413/400 messages;
* an answer cache (``cache_mb``; the served build never changes, so cached answers cannot go stale);
* a landing page for browsers: the YASGUI editor Oxigraph bundles (served from this host, no CDN) preloaded with
  our example queries, plus the VoID description at ``/.well-known/void``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import json
import logging
import os
import re
import signal
import socket
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web
from aiohttp.http_exceptions import HttpProcessingError

from graph.views.sparql_guard import QueryRefused, check_query, checked_at_c_speed
from graph.views.sparql_workers import SPARQL_TIMEOUT
from ontology.example_queries import ExampleQuery
from ontology.namespace import PREFIXES, entity_base

MAX_BODY = 1_000_000
DEFAULT_TIMEOUT = SPARQL_TIMEOUT
DEFAULT_MAX_MEMORY_MB = 2048
QUERY_PATHS = ("/query", "/sparql", "/query/", "/sparql/")
MAX_GET_QUERY = 8192  # bytes of URL query string; longer queries must be POSTed (SPARQL 1.1 Protocol 2.1.4)
INLINE_GUARD_CHARS = 65_536  # queries up to this size with the guard's fast path are checked on the event loop
REWRITE_CACHE_SIZE, REWRITE_CACHE_CHARS = 1024, 16_384  # rewritten queries remembered: at most ~34 MB
GZIP_MIN_BYTES = 1_024  # smaller answers go uncompressed: gzip would save a few bytes at a cost in CPU per request
DEFAULT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.1"  # Turtle for CONSTRUCT/DESCRIBE
YASGUI_ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
SPARQL_MEDIA_QUERY = "application/sparql-query"
SPARQL_MEDIA_UPDATE = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"
READ_ONLY_MESSAGE = "This endpoint is read-only: SPARQL UPDATE and Graph Store writes are refused."
_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_ERROR_POSITION = re.compile(r"error at (\d+):(\d+)")


class RequestProblem(Exception):
    """A request we answer ourselves with an HTTP error status and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class EndpointConfig:
    """How to serve: which store, where, and the limits."""

    location: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = DEFAULT_TIMEOUT
    max_body: int = MAX_BODY
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    oxigraph: str = "oxigraph"
    union_default_graph: bool = True
    cache_mb: int = 64
    examples: tuple[ExampleQuery, ...] = field(default_factory=tuple)
    void_for_url: Callable[[str], str] | None = None
    public_url: str | None = None
    allowed_services: tuple[tuple[str, int | None], ...] = ()


# ---------------------------------------------------------------- pure request logic


def default_prefixes() -> dict[str, str]:
    """The prefixes every endpoint query may use undeclared: ours plus ``id:`` for entities."""
    return {**PREFIXES, "id": entity_base()}


def add_missing_prefixes(query: str, prefixes: dict[str, str]) -> tuple[str, int]:
    """Prepend PREFIX lines for the prefixes the query does not declare; returns the query and the lines added."""
    declared = {(match.group(1) or "") for match in _PREFIX_DECLARATION.finditer(query)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in declared]
    if not lines:
        return query, 0
    return "\n".join(lines) + "\n" + query, len(lines)


def add_base(query: str, base: str) -> tuple[str, int]:
    """Prepend ``BASE <base>`` so relative IRIs and ``IRI("x")`` resolve against the public endpoint URL, not the
    hidden worker's; a BASE the query declares itself still wins (it comes later). Returns query, lines added."""
    if not base:
        return query, 0
    return f"BASE <{base}>\n{query}", 1


def shift_error_positions(message: str, lines_added: int) -> str:
    """Map Oxigraph's ``error at LINE:COLUMN`` back to the query the client sent."""
    if not lines_added:
        return message
    return _ERROR_POSITION.sub(lambda m: f"error at {int(m.group(1)) - lines_added}:{m.group(2)}", message)


def decode_utf8(data: bytes, what: str) -> str:
    """Bytes as UTF-8 text, or a 400 naming the first bad byte and its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start:error.start + 1].hex()
        raise RequestProblem(400, f"{what} is not valid UTF-8: byte 0x{bad} at offset {error.start} "
                                  f"({error.reason})") from None


def parse_form(data: bytes, what: str) -> list[tuple[str, str]]:
    """URL-encoded parameters, strictly UTF-8 after percent-decoding."""
    text = decode_utf8(data, what)
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise RequestProblem(400, f"{what} is not valid UTF-8 after percent-decoding: {error.reason} "
                                  f"(byte 0x{error.object[error.start:error.start + 1].hex()})") from None


@dataclass(frozen=True)
class QueryRequest:
    """A protocol request reduced to what Oxigraph needs: the query and its dataset parameters."""

    query: str
    dataset: tuple[tuple[str, str], ...]


def read_protocol_request(method: str, content_type: str, url_params: list[tuple[str, str]],
                          body: bytes) -> QueryRequest | None:
    """Interpret a SPARQL 1.1 Protocol query request; None when it carries no query; updates are refused."""
    params = list(url_params)
    media = content_type.split(";", 1)[0].strip().lower()
    query: str | None = None
    if method == "POST":
        if media == SPARQL_MEDIA_UPDATE:
            raise RequestProblem(403, READ_ONLY_MESSAGE)
        if media == SPARQL_MEDIA_QUERY:
            query = decode_utf8(body, "the query body")
        elif media == FORM_MEDIA:
            params += parse_form(body, "the form body")
        elif not media and body:
            raise RequestProblem(415, f"a POST body needs a Content-Type header: send {SPARQL_MEDIA_QUERY} (the "
                                      f"query as the body) or {FORM_MEDIA} (query=...)")
        elif body:
            raise RequestProblem(415, f"unsupported Content-Type {media!r}: send {SPARQL_MEDIA_QUERY} or {FORM_MEDIA}")
    if any(name == "update" for name, _ in params):
        raise RequestProblem(403, READ_ONLY_MESSAGE)
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise RequestProblem(400, "more than one query parameter given")
    if queries:
        if query is not None:
            raise RequestProblem(400, "the query is given both as the body and as a parameter")
        query = queries[0]
    if query is None:
        return None
    dataset = tuple((n, v) for n, v in params if n in ("default-graph-uri", "named-graph-uri"))
    return QueryRequest(query, dataset)


def wants_html(accept: str) -> bool:
    """Whether a request comes from a browser (HTML preferred over SPARQL results)."""
    return "text/html" in accept.lower()


def landing_page(examples: Iterable[ExampleQuery], prefixes: dict[str, str], timeout: float) -> str:
    """The HTML page a browser gets: YASGUI (bundled by Oxigraph, served locally) with our example queries, each
    a button named after its file whose tooltip is the query's whole description."""
    examples = list(examples)
    buttons = "\n".join(
        f'<li><button type="button" data-example="{html.escape(example.stem)}" '
        f'title="{html.escape(example.description or example.title)}">'
        f"{html.escape(example.stem.replace('-', ' '))}</button></li>"
        for example in examples)
    payload = json.dumps({example.stem: example.text for example in examples}).replace("</", "<\\/")
    prefix_list = json.dumps(prefixes).replace("</", "<\\/")
    prefix_rows = "".join(f"<code>{html.escape(p)}:</code> " for p in prefixes)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>therapy-kg SPARQL endpoint</title>
<link href="./yasgui.min.css" rel="stylesheet" type="text/css">
<script src="./yasgui.min.js"></script>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; display: flex; }}
nav {{ width: 17rem; padding: 0.8rem; border-right: 1px solid #ddd; font-size: 0.9rem; }}
nav ul {{ list-style: none; padding: 0; }} nav button {{ width: 100%; text-align: left; margin: 2px 0;
  padding: 4px 6px; background: #f4f6f8; border: 1px solid #d0d7de; border-radius: 4px; cursor: pointer; }}
main {{ flex: 1; min-width: 0; }}
</style>
</head>
<body>
<nav>
<h1 style="font-size:1.1rem">therapy-kg SPARQL</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/query</code>. The default graph is the union of all sources; each
source's facts are also in the named graph <code>{html.escape(entity_base())}source/&lt;id&gt;</code>.
Queries stop after {timeout:g} s. Predeclared prefixes: {prefix_rows}</p>
<p>Dataset description: <a href="/.well-known/void">VoID</a></p>
<h2 style="font-size:1rem">Example queries</h2>
<ul id="examples">
{buttons}
</ul>
</nav>
<main><div id="yasgui"></div></main>
<script>
const EXAMPLES = {payload};
const PREFIXES = {prefix_list};
const endpoint = new URL("query", window.location.href.replace(/[^/]*$/, "")).href;
// YASQE's class and property completers send each keystroke to lov.linkeddata.es: unregister them (a tab's config
// merges the defaults back in, so leaving them out of our config is not enough); prefixes come from this host.
for (const name of ["class", "property"]) {{
  delete Yasgui.Yasqe.Autocompleters[name];
  for (const defaults of [Yasgui.Yasqe.defaults, Yasgui.defaults.yasqe || {{}}]) {{
    if (Array.isArray(defaults.autocompleters)) {{
      defaults.autocompleters = defaults.autocompleters.filter((n) => n !== name);
    }}
  }}
}}
Yasgui.Yasqe.defaults.prefixCcApi = new URL("prefixes.json", endpoint).href;
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: endpoint, method: "POST" }},
  copyEndpointOnNewTab: true, persistenceId: null,
  yasqe: {{ value: EXAMPLES[Object.keys(EXAMPLES)[0]] || "SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10",
            prefixCcApi: new URL("prefixes.json", endpoint).href,  // our prefixes, served here (not prefix.cc)
            autocompleters: ["prefixes", "variables"] }},
}});
document.querySelectorAll("button[data-example]").forEach((button) => {{
  button.addEventListener("click", () => {{
    const tab = yasgui.getTab();
    tab.getYasqe().setValue(EXAMPLES[button.dataset.example]);
  }});
}});
</script>
</body>
</html>
"""


RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD")


def service_description(endpoint_url: str, union_default_graph: bool, federated: bool = False) -> str:
    """The SPARQL 1.1 Service Description of the endpoint as Turtle: sd:endpoint, the query language, result
    formats (W3C format IRIs), features, and the default dataset pointing at its VoID description."""
    formats = "\n".join(f"  sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;" for name in RESULT_FORMATS)
    feature = "  sd:feature sd:UnionDefaultGraph ;\n" if union_default_graph else ""
    root = endpoint_url.rsplit("/", 1)[0]
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint_url}> a sd:Service ;
  sd:endpoint <{endpoint_url}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
{formats}
{feature}{"  sd:feature sd:BasicFederatedQuery ;" + chr(10) if federated else ""}  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] ;
    rdfs:seeAlso <{root}/.well-known/void> ;
    void:sparqlEndpoint <{endpoint_url}> ] .
"""


def negotiated_accept(accept: str) -> str:
    """The Accept header sent to Oxigraph: none or ``*/*`` becomes SPARQL JSON for SELECT/ASK and Turtle for
    CONSTRUCT/DESCRIBE (Oxigraph alone would pick N-Quads for graphs)."""
    if accept.strip() in ("", "*/*", "*"):
        return DEFAULT_ACCEPT
    return accept


def well_formed(body: bytes, content_type: str) -> bool:
    """Whether an answer parses in its media type (SPARQL results or RDF); types we cannot check count as fine.
    A SERVICE failing mid-answer leaves Oxigraph's ``200 OK`` body truncated with the error text appended."""
    import pyoxigraph as ox

    media = content_type.split(";", 1)[0].strip()
    try:
        results_format = ox.QueryResultsFormat.from_media_type(media)
        rdf_format = ox.RdfFormat.from_media_type(media) if results_format is None else None
        if results_format is not None:
            answer = ox.parse_query_results(body, results_format)
            if isinstance(answer, ox.QuerySolutions):
                for _ in answer:
                    pass
        elif rdf_format is not None:
            for _ in ox.parse(body, rdf_format):
                pass
    except (SyntaxError, ValueError, OSError):
        return False
    return True


CacheKey = tuple[str, tuple[tuple[str, str], ...], str, str]


class ResponseCache:
    """Answers kept by (query, dataset, Accept, base IRI): the served build is immutable, so they never go stale."""

    def __init__(self, budget_bytes: int, largest_bytes: int = 1_000_000):
        self.budget = budget_bytes
        self.largest = largest_bytes
        self.used = 0
        self.hits = 0
        self._entries: OrderedDict[CacheKey, tuple[bytes, str]] = OrderedDict()

    def get(self, key: CacheKey) -> tuple[bytes, str] | None:
        """The cached body and Content-Type, refreshed as most recently used."""
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return entry

    def put(self, key: CacheKey, body: bytes, content_type: str) -> None:
        """Keep an answer (if small enough), evicting the least recently used beyond the budget."""
        if len(body) > self.largest or self.budget <= 0 or key in self._entries:
            return
        self._entries[key] = (body, content_type)
        self.used += len(body)
        while self.used > self.budget and self._entries:
            _, (old, _) = self._entries.popitem(last=False)
            self.used -= len(old)


# ---------------------------------------------------------------- Oxigraph worker processes


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def die_with_parent() -> None:
    """In a worker, just after fork: ask Linux to kill it if the endpoint process dies (no orphaned servers)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class OxigraphWorker:
    """One ``oxigraph serve-read-only`` process on a private loopback port."""

    def __init__(self, config: EndpointConfig):
        self.config = config
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: asyncio.subprocess.Process | None = None
        self.log: IO[bytes] | None = None
        self.retired = False

    async def start(self, wait_seconds: float = 20.0) -> None:
        """Start the process and wait until it accepts connections."""
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the worker's life)
        self.process = await asyncio.create_subprocess_exec(
            self.config.oxigraph, "serve-read-only", "--location", str(self.config.location),
            "--bind", f"127.0.0.1:{self.port}", *(["--union-default-graph"] if self.config.union_default_graph else []),
            "--timeout-s", str(max(1, int(self.config.timeout) + 2)),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=self.log,
            preexec_fn=die_with_parent)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.returncode is not None:
                self.log.seek(0)
                error = self.log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}: {error.strip()}")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            await asyncio.sleep(0.02)
        await self.stop()
        raise RuntimeError(f"oxigraph did not listen on port {self.port} within {wait_seconds:g} s")

    def memory_mb(self) -> float:
        """Resident memory of the process in MB (0 if it is gone)."""
        if self.process is None or self.process.returncode is not None:
            return 0.0
        try:
            pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return 0.0
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6

    async def stop(self) -> None:
        """Kill the process (its queries are abandoned) and reap it."""
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self.log is not None:
            self.log.close()


class WorkerPool:
    """The worker answering queries plus a warm spare that takes over at once when a worker must be killed."""

    def __init__(self, config: EndpointConfig):
        self.config = config
        self.active: OxigraphWorker | None = None
        self.spare: OxigraphWorker | None = None
        self.replacements = 0
        self.closing = False
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start the active worker and the spare."""
        self.active = OxigraphWorker(self.config)
        self.spare = OxigraphWorker(self.config)
        await asyncio.gather(self.active.start(), self.spare.start())

    async def replace(self, worker: OxigraphWorker, reason: str) -> None:
        """Retire ``worker`` (if still active): the spare takes over, the worker is killed, a new spare starts."""
        async with self._lock:
            if worker is not self.active or worker.retired or self.closing:
                return
            worker.retired = True
            self.replacements += 1
            spare = self.spare
            if spare is None or spare.process is None or spare.process.returncode is not None:
                spare = OxigraphWorker(self.config)
                await spare.start()
            self.active, self.spare = spare, None
        await worker.stop()
        task = asyncio.get_running_loop().create_task(self._refill_spare())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refill_spare(self) -> None:
        spare = OxigraphWorker(self.config)
        await spare.start()
        async with self._lock:
            if self.spare is None:
                self.spare = spare
                return
        await spare.stop()

    async def watch_memory(self, interval: float = 0.1) -> None:
        """Replace the active worker whenever it grows past the memory budget; also restart it if it died."""
        while True:
            await asyncio.sleep(interval)
            worker = self.active
            if worker is None:
                continue
            if worker.process is not None and worker.process.returncode is not None:
                await self.replace(worker, "exited")
            elif worker.memory_mb() > self.config.max_memory_mb:
                await self.replace(worker, "memory")

    async def stop(self) -> None:
        """Kill every worker."""
        self.closing = True
        for task in list(self._tasks):
            task.cancel()
        for worker in (self.active, self.spare):
            if worker is not None:
                await worker.stop()


# ---------------------------------------------------------------- the HTTP front


class Endpoint:
    """The aiohttp application in front of the worker pool."""

    def __init__(self, config: EndpointConfig):
        self.config = config
        self.pool = WorkerPool(config)
        self.prefixes = default_prefixes()
        self.session: ClientSession | None = None
        self._assets: dict[str, tuple[bytes, str]] = {}
        self._page = landing_page(config.examples, self.prefixes, config.timeout).encode("utf-8")
        self._watch: asyncio.Task[None] | None = None
        self.void_turtle = ""
        self.base_iri = config.public_url or f"http://{config.host}:{config.port}/query"  # set again once bound
        self.cache = ResponseCache(config.cache_mb * 1_000_000)
        self._rewritten = functools.lru_cache(maxsize=REWRITE_CACHE_SIZE)(self.rewrite)

    def rewrite(self, query: str, base: str) -> tuple[str, int]:
        """The query as sent to Oxigraph: our missing prefixes and ``BASE`` prepended; returns it and the number of
        lines added (for :func:`shift_error_positions`). Short queries are remembered (``REWRITE_CACHE_SIZE``):
        clients repeat the same texts, and the prefix scan was 2-3% of the proxy's samples on cheap queries (py-spy)."""
        query, prefix_lines = add_missing_prefixes(query, self.prefixes)
        query, base_lines = add_base(query, base)
        return query, prefix_lines + base_lines

    def application(self) -> web.Application:
        """The aiohttp application (routes and start/stop hooks)."""
        app = web.Application(client_max_size=self.config.max_body + 1)
        app.router.add_route("*", "/", self.handle_root)
        for path in QUERY_PATHS:
            app.router.add_route("*", path, self.handle_query)
        app.router.add_route("*", "/update", self.handle_refused)
        app.router.add_route("*", "/store", self.handle_store)
        app.router.add_route("GET", "/.well-known/void", self.handle_void)
        app.router.add_route("GET", "/void", self.handle_void)
        app.router.add_route("GET", "/prefixes.json", self.handle_prefixes)
        for path in YASGUI_ASSETS:
            app.router.add_route("GET", path, self.handle_asset)
        app.on_startup.append(self._startup)
        app.on_cleanup.append(self._cleanup)
        return app

    async def _startup(self, _app: web.Application) -> None:
        await self.pool.start()
        self.session = ClientSession(connector=TCPConnector(limit=256, limit_per_host=256),
                                     timeout=ClientTimeout(total=None), auto_decompress=False)
        self._watch = asyncio.get_running_loop().create_task(self.pool.watch_memory())

    async def _cleanup(self, _app: web.Application) -> None:
        if self._watch:
            self._watch.cancel()
        if self.session:
            await self.session.close()
        await self.pool.stop()

    async def handle_root(self, request: web.Request) -> web.StreamResponse:
        """Landing page for browsers; protocol requests sent to ``/`` are answered like ``/query``."""
        if request.method == "GET" and not request.query.get("query") and wants_html(
                request.headers.get("Accept", "")):
            return web.Response(body=self._page, content_type="text/html", charset="utf-8")
        return await self.handle_query(request)

    async def handle_refused(self, _request: web.Request) -> web.StreamResponse:
        """Updates are refused."""
        return text_response(403, READ_ONLY_MESSAGE)

    async def handle_store(self, request: web.Request) -> web.StreamResponse:
        """Graph Store Protocol: reads are passed to Oxigraph, writes refused."""
        if request.method not in ("GET", "HEAD"):
            return text_response(403, READ_ONLY_MESSAGE)
        return await self.forward(request.method, "/store", list(request.query.items()), b"", "",
                                  request.headers.get("Accept", "*/*"), 0)

    async def handle_void(self, request: web.Request) -> web.StreamResponse:
        """The VoID/DCAT description of the dataset, as Turtle."""
        return web.Response(text=self.void_turtle, content_type="text/turtle", charset="utf-8")

    async def handle_prefixes(self, _request: web.Request) -> web.StreamResponse:
        """Our prefixes in prefix.cc's format, for the editor's prefix completion."""
        return web.json_response(self.prefixes, headers=cors_headers())

    async def handle_asset(self, request: web.Request) -> web.StreamResponse:
        """YASGUI's script, style and logo, fetched once from Oxigraph and cached."""
        if request.path not in self._assets:
            assert self.session is not None and self.pool.active is not None
            async with self.session.get(self.pool.active.url + request.path) as upstream:
                self._assets[request.path] = (await upstream.read(),
                                              upstream.headers.get("Content-Type", "application/octet-stream"))
        body, content_type = self._assets[request.path]
        return web.Response(body=body, headers={"Content-Type": content_type, "Cache-Control": "max-age=3600"})

    async def handle_query(self, request: web.Request) -> web.StreamResponse:
        """A SPARQL 1.1 Protocol query (GET, HEAD or POST); without a query, the Service Description (or the
        editor page for browsers)."""
        if request.method == "OPTIONS":
            return web.Response(status=204, headers=cors_headers())
        if request.method not in ("GET", "POST", "HEAD"):
            return text_response(405, f"method {request.method} not allowed: use GET or POST")
        try:
            raw_query = request.rel_url.raw_query_string
            if request.method in ("GET", "HEAD") and len(raw_query) > MAX_GET_QUERY:
                raise RequestProblem(414, f"the URL's query string is {len(raw_query)} bytes, over the "
                                          f"{MAX_GET_QUERY}-byte limit for GET: send long queries with POST "
                                          f"({SPARQL_MEDIA_QUERY} or {FORM_MEDIA})")
            declared = request.content_length
            if declared is not None and declared > self.config.max_body:
                raise RequestProblem(413, f"request body of {declared} bytes exceeds the limit of "
                                          f"{self.config.max_body} bytes")
            try:
                body = await request.read()
            except web.HTTPRequestEntityTooLarge:
                raise RequestProblem(413, f"request body exceeds the limit of {self.config.max_body} bytes") from None
            url_params = parse_form(raw_query.encode("latin-1"), "the URL query string")
            parsed = read_protocol_request(request.method, request.headers.get("Content-Type", ""), url_params,
                                           body)
            if parsed is None:
                if wants_html(request.headers.get("Accept", "")):
                    return web.Response(body=self._page, content_type="text/html", charset="utf-8")
                if request.method in ("GET", "HEAD"):
                    return self.negotiated(request, web.Response(
                        text=service_description(self.base_iri, self.config.union_default_graph,
                                                 bool(self.config.allowed_services)),
                        content_type="text/turtle", charset="utf-8", headers=cors_headers()))
                raise RequestProblem(400, "no query given: pass it as the 'query' parameter or as an "
                                          f"{SPARQL_MEDIA_QUERY} body")
            if len(parsed.query.encode("utf-8")) > self.config.max_body:
                raise RequestProblem(413, f"query exceeds the limit of {self.config.max_body} bytes")
            if len(parsed.query) <= INLINE_GUARD_CHARS and checked_at_c_speed(parsed.query):
                # microseconds: a hand-off to a thread would cost more than the check (and wait for the GIL)
                federated = check_query(parsed.query, self.config.allowed_services, self.prefixes, self.base_iri)
            else:  # ~0.3 s for 1 MB: off the loop
                federated = await asyncio.to_thread(check_query, parsed.query, self.config.allowed_services,
                                                    self.prefixes, self.base_iri)
        except RequestProblem as problem:
            return text_response(problem.status, problem.message)
        except QueryRefused as refused:
            return text_response(refused.status, refused.message)
        if len(parsed.query) <= REWRITE_CACHE_CHARS:
            query, lines_added = self._rewritten(parsed.query, self.base_iri)
        else:
            query, lines_added = self.rewrite(parsed.query, self.base_iri)
        accept = negotiated_accept(request.headers.get("Accept", ""))
        key = (query, parsed.dataset, accept, self.base_iri)
        cached = None if federated else self.cache.get(key)
        if cached is not None:
            return self.negotiated(request, web.Response(
                body=cached[0], headers={"Content-Type": cached[1], "X-Cache": "hit", **cors_headers()}))
        response = await self.forward("POST", "/query", list(parsed.dataset), query.encode("utf-8"),
                                      SPARQL_MEDIA_QUERY, accept, lines_added)
        answer = getattr(response, "body", None)
        content_type = response.headers.get("Content-Type", "application/octet-stream")
        if response.status == 200 and isinstance(answer, bytes):
            if federated:  # a remote may fail mid-answer: check the whole answer, never cache it
                if not well_formed(answer, content_type):
                    return text_response(502, "a SERVICE (remote endpoint) the query calls failed while "
                                              "answering; the partial answer was discarded")
            else:
                self.cache.put(key, answer, content_type)
        return self.negotiated(request, response)

    @staticmethod
    def negotiated(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        """Mark an answer chosen by content negotiation (``Vary``) and gzip it when the client asks."""
        response.headers["Vary"] = "Accept, Accept-Encoding"
        body = getattr(response, "body", None)
        if ("gzip" in request.headers.get("Accept-Encoding", "").lower() and request.method != "HEAD"
                and not (isinstance(body, bytes) and len(body) < GZIP_MIN_BYTES)):
            response.enable_compression(web.ContentCoding.gzip)
        return response

    async def forward(self, method: str, path: str, params: list[tuple[str, str]], body: bytes, content_type: str,
                      accept: str, lines_added: int) -> web.StreamResponse:
        """Send a request to the active worker and return its whole answer, within the timeout.

        If the worker answering is killed meanwhile (another query overran), the request is retried on its
        replacement while time remains.
        """
        assert self.session is not None
        deadline = time.monotonic() + self.config.timeout
        headers = {"Accept": accept or "*/*"}
        if content_type:
            headers["Content-Type"] = content_type
        query_string = ("?" + urlencode(params)) if params else ""
        while True:
            worker = self.pool.active
            assert worker is not None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return timeout_response(self.config.timeout)
            try:
                async with asyncio.timeout(remaining):
                    async with self.session.request(method, worker.url + path + query_string, data=body,
                                                    headers=headers) as upstream:
                        payload = await upstream.read()
                        status = upstream.status
                        upstream_type = upstream.headers.get("Content-Type", "text/plain")
            except TimeoutError:
                await self.pool.replace(worker, "timeout")
                return timeout_response(self.config.timeout)
            except ClientError:
                if worker.retired or worker is not self.pool.active:
                    continue
                await asyncio.sleep(0.01)
                if time.monotonic() >= deadline:
                    return text_response(502, "the query worker failed; please retry")
                continue
            if status >= 400 and upstream_type.startswith("text/plain"):
                message = shift_error_positions(payload.decode("utf-8", errors="replace"), lines_added)
                return text_response(status, message)
            return web.Response(status=status, body=payload,
                                headers={"Content-Type": upstream_type, **cors_headers()})


def cors_headers() -> dict[str, str]:
    """Any origin may read: the data are public and the endpoint is read-only."""
    return {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept"}


def text_response(status: int, message: str) -> web.Response:
    """A plain-text answer (errors and refusals)."""
    return web.Response(status=status, text=message + "\n", content_type="text/plain", charset="utf-8",
                        headers=cors_headers())


def timeout_response(seconds: float) -> web.Response:
    """What a client gets when its query overruns."""
    return text_response(503, f"query timed out: it was stopped after {seconds:g} s (the endpoint's limit); "
                              "narrow it down, e.g. with LIMIT or more specific patterns")


class _ClientErrorLine(logging.Filter):
    """aiohttp answers a malformed request (a header over 8 KB, a broken request line) with a 400, then logs it
    with a traceback as if the server had failed: keep it to one line naming the problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg, record.args = f"{record.getMessage()}: answered 400 ({str(error.message)[:120]})", ()
            record.exc_info, record.exc_text = None, None
        return True


CLIENT_ERROR_LINE = _ClientErrorLine()


async def run_endpoint(config: EndpointConfig, announce: bool = True) -> None:
    """Serve until interrupted; prints the URL (with the real port when ``port`` is 0) once listening. A client's
    malformed HTTP is logged as one line, never a traceback (:class:`_ClientErrorLine`)."""
    logging.getLogger("aiohttp.server").addFilter(CLIENT_ERROR_LINE)
    endpoint = Endpoint(config)
    runner = web.AppRunner(endpoint.application(), access_log=None,  # long GET lines reach us, to be told 414
                           max_line_size=3 * config.max_body + 1024)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port, backlog=512, reuse_address=True)
    await site.start()
    sockets = getattr(site._server, "sockets", None)  # noqa: SLF001 (aiohttp exposes the bound socket only here)
    port = sockets[0].getsockname()[1] if sockets else config.port
    endpoint.base_iri = config.public_url or f"http://{config.host}:{port}/query"
    if config.void_for_url:
        endpoint.void_turtle = config.void_for_url(endpoint.base_iri)
    if announce:
        print(f"SPARQL endpoint: http://{config.host}:{port}/query  (browser: http://{config.host}:{port}/)",
              flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def serve_endpoint(config: EndpointConfig) -> None:
    """Run :func:`run_endpoint` until interrupted, on uvloop's event loop: its transports write and read sockets in
    C (libuv), and socket writes were the largest share of the proxy's CPU under py-spy."""
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(run_endpoint(config))

