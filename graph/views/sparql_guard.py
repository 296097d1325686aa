"""One check every SPARQL entry point runs first: SERVICE only to allow-listed hosts, and sane nesting."""

# `tkg serve`, `tkg query` and the explorer's SPARQL page all evaluate with Oxigraph, which would follow any
# ``SERVICE <url>`` (loopback and private addresses included: a port scanner from a read-only endpoint) and which
# overflows its stack on a few thousand nested brackets (``{{{{...`` or ``((((...``), killing the process. So:
#
# * a lexical scan (strings, IRIs and comments skipped, as the SPARQL 1.1 grammar's terminals define them) measures the
#   bracket nesting and finds whether the keyword ``SERVICE`` occurs at all; no keyword, no federation;
# * when it does, the query is parsed for real (rdflib's SPARQL 1.1 parser and algebra) to find every SERVICE target;
#   each must be an IRI whose ``host[:port]`` is on the allow-list (``--allow-service``), and a listed host name must
#   not resolve to a loopback, private, link-local or reserved address unless that address itself is listed.
#

from __future__ import annotations

import ipaddress
import re
import socket
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

MAX_NESTING = 256  # Oxigraph 0.5.13 overflows its stack (SIGSEGV) at about 3,000 nested groups
ALLOW_OPTION = "--allow-service HOST[:PORT]"
_TOKENS = re.compile(r"""
    '''(?:[^'\\]|\\.|'(?!''))*'''      # long strings
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'              # short strings
  | "(?:[^"\\\n\r]|\\.)*"
  | <[^<>"{}|^`\\\x00-\x20]*>          # IRIREF
  | \#[^\n\r]*                         # comment
  | [({\[]                             # openers
  | [)}\]]                             # closers
  | [^'"<\#(){}\[\]]+                 # a run of anything else (names, variables, operators, space)
  | .                                  # a lone quote or < that starts no string or IRI
""", re.VERBOSE | re.DOTALL)
_SERVICE_WORD = re.compile(r"(?<![\w:?$.\-])service(?![\w:.\-])", re.IGNORECASE)  # not ?service, ex:service


class QueryRefused(ValueError):
    """A query this installation will not run; ``message`` says why and which option would change that."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def checked_at_c_speed(query: str) -> bool:
    """Whether :func:`check_query` takes its fast path on ``query`` (no SERVICE keyword candidate, too few brackets
    to nest past MAX_NESTING): a few string scans in C, microseconds up to about 100 KB, so a server may run it on
    its event loop instead of handing it to a thread."""
    return ("service" not in query.lower()
            and query.count("(") + query.count("{") + query.count("[") <= MAX_NESTING)


def lexical_scan(query: str) -> tuple[int, bool]:
    """The deepest bracket nesting of ``query`` (or, when that cannot exceed MAX_NESTING, the count of opening
    brackets, a bound on it) and whether the keyword SERVICE occurs (outside strings, IRIs and comments; keywords
    are case-insensitive, SPARQL 1.1 section 19.1)."""
    look_for_service = "service" in query.lower()
    openers = query.count("(") + query.count("{") + query.count("[")
    if not look_for_service and openers <= MAX_NESTING:
        return openers, False  # a bound on the depth, found at C speed: most queries stop here
    depth = deepest = 0
    service = False
    for match in _TOKENS.finditer(query):
        token = match.group()
        if token in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif token in ")}]":
            depth = max(0, depth - 1)
        elif look_for_service and not service and token[0] not in "'\"<#" and _SERVICE_WORD.search(token):
            service = True
    return deepest, service


def _service_targets(query: str, prefixes: Mapping[str, str], base: str | None) -> list[str | None]:
    """Every SERVICE target of a parsed query: the IRI, or None for a variable. Raises ValueError when rdflib
    cannot parse the query."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def walk(node: object, out: list[str | None]) -> list[str | None]:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                out.append(str(term) if isinstance(term, URIRef) else None)
            for value in node.values():
                walk(value, out)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value, out)
        return out

    outcome: dict[str, object] = {}

    def parse() -> None:  # pyparsing recurses deeply: run it with room to do so
        try:
            algebra = translateQuery(parseQuery(query), base=base, initNs=dict(prefixes)).algebra
            outcome["targets"] = walk(algebra, [])
        except Exception as error:  # noqa: BLE001 - any parser failure means "could not check"
            outcome["error"] = error

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 60_000))
    previous_stack = threading.stack_size(512 * 1024 * 1024)
    try:
        worker = threading.Thread(target=parse, name="sparql-guard")
        worker.start()
    finally:
        threading.stack_size(previous_stack)
    worker.join()
    if "error" in outcome:
        raise ValueError(str(outcome["error"]).splitlines()[0] if str(outcome["error"]) else "parse error")
    return outcome["targets"]  # type: ignore[return-value]


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified)


def _host_port(iri: str) -> tuple[str, int]:
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryRefused(f"SERVICE <{iri}> is refused: only http(s) services on allow-listed hosts can be queried")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise QueryRefused(f"SERVICE <{iri}> is refused: its port is not a number") from None
    return parts.hostname.lower(), port


def parse_allow_list(entries: Iterable[str]) -> tuple[tuple[str, int | None], ...]:
    """``HOST[:PORT]`` entries (``[v6]:PORT`` for IPv6) as (host, port or None for any port); raises ValueError
    naming a malformed entry."""
    parsed = []
    for entry in entries:
        parts = urlsplit("//" + entry.strip())
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"--allow-service {entry!r}: the port is not a number in 0-65535") from None
        if not parts.hostname or parts.path or parts.query or parts.username:
            raise ValueError(f"--allow-service {entry!r}: expected HOST or HOST:PORT")
        parsed.append((parts.hostname.lower(), port))
    return tuple(parsed)


def _check_target(iri: str | None, allowed: Sequence[tuple[str, int | None]]) -> None:
    if iri is None:
        raise QueryRefused("SERVICE with a variable target is refused: its host cannot be checked against "
                           f"the allow-list ({ALLOW_OPTION})")
    host, port = _host_port(iri)
    if not any(host == h and (p is None or p == port) for h, p in allowed):
        raise QueryRefused(f"SERVICE <{iri}> is refused: federated queries are off by default; allow this "
                           f"host with {ALLOW_OPTION} (e.g. --allow-service {host}:{port})")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return  # an address listed as such is allowed, private or not
    except ValueError:
        pass
    if host == "localhost":
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except OSError as error:
        raise QueryRefused(f"SERVICE <{iri}> is refused: {host} does not resolve ({error})") from None
    internal = sorted(a for a in addresses if _is_internal(str(a)))
    if internal:
        raise QueryRefused(f"SERVICE <{iri}> is refused: {host} resolves to the internal address "
                           f"{internal[0]}; list that address itself with {ALLOW_OPTION} to allow it")


def check_query(query: str, allowed_services: Sequence[tuple[str, int | None]] = (),
                prefixes: Mapping[str, str] | None = None, base: str | None = None) -> bool:
    """Raise QueryRefused if ``query`` nests deeper than MAX_NESTING or calls a SERVICE not on the allow-list
    (from :func:`parse_allow_list`); returns whether the query is federated (its answer depends on a remote
    and must not be cached)."""
    depth, mentions_service = lexical_scan(query)
    if depth > MAX_NESTING:
        raise QueryRefused(f"the query nests brackets {depth} deep; the limit is {MAX_NESTING} "
                           "(deeper queries would crash the query engine)")
    if not mentions_service:
        return False
    if not allowed_services:
        raise QueryRefused("SERVICE (federated query) is refused: it is off by default; an operator can allow "
                           f"chosen remote endpoints with {ALLOW_OPTION}")
    try:
        targets = _service_targets(query, prefixes or {}, base)
    except ValueError as error:
        raise QueryRefused(f"the query uses SERVICE and could not be parsed to check its targets: {error}") from None
    for target in targets:
        _check_target(target, allowed_services)
    return bool(targets)
