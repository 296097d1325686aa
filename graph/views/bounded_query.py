"""SPARQL on a build in a child process under a time limit and a memory cap, in SPARQL-standard result formats."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

# SPARQL 1.1 Query Results JSON, XML, CSV and TSV (W3C Recommendations) for SELECT/ASK; RDF syntaxes for graphs
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
SOLUTION_FORMATS = ("table", *RESULT_FORMATS)
XSD = "http://www.w3.org/2001/XMLSchema#"
BARE_DATATYPES = {f"{XSD}integer", f"{XSD}decimal", f"{XSD}double", f"{XSD}boolean"}  # Turtle's unquoted forms
SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/]*")
ROOT = Path(__file__).resolve().parents[2]
EXIT_SYNTAX, EXIT_FORMAT, EXIT_FAILED = 2, 3, 4


class QueryStopped(Exception):
    """The query ran past its time limit or memory cap, or failed in the engine; the message says which."""


class QueryRefused(Exception):
    """The query text is not valid SPARQL, or the format does not fit the query form (``kind`` tells which)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class QueryLimits:
    """How long (seconds of wall time) and how much address space (MB) one query may use."""

    timeout: float = 30.0
    max_memory_mb: int = 2048


def compact_iri(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for an IRI under a known prefix (longest namespace first), else ``<iri>``; a ``/`` in the
    local part is escaped (``id:modality\\/x``) as SPARQL and Turtle require, so a cell can be pasted into a query."""
    for prefix, namespace in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace):]
        if iri.startswith(namespace) and SIMPLE_LOCAL.fullmatch(local) and not local.endswith((".", "/")):
            return f"{prefix}:{local.replace('/', chr(92) + '/')}"
    return f"<{iri}>"


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, prefixes: dict[str, str]) -> str:
    """A table cell in Turtle's spirit, so kinds stay apart: IRIs as ``id:modality\\/x`` or ``<iri>``, blank nodes as
    ``_:b``, strings quoted (``"modality/x"``), language tags (``"x"@de``) and datatypes (``"1950"^^xsd:gYear``)
    kept; integers, decimals, doubles and booleans bare as in Turtle; '' for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value, prefixes)
    if isinstance(term, ox.Literal):
        quoted = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        datatype = term.datatype.value
        if datatype == f"{XSD}string":
            return quoted
        if datatype in BARE_DATATYPES:
            return term.value
        return f"{quoted}^^{compact_iri(datatype, prefixes)}"
    return str(term)


def solutions_table(results: ox.QuerySolutions, prefixes: dict[str, str]) -> str:
    """SELECT results as an aligned text table (cells from :func:`term_text`) ending in a row count."""
    names = [v.value for v in results.variables]
    cells = [[term_text(row[name], prefixes) for name in names] for row in results]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def render(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str,
           prefixes: dict[str, str]) -> bytes:
    """The results in ``fmt``: table/json/xml/csv/tsv for SELECT and ASK (a table of ASK is ``true``/``false``),
    ttl/nt/jsonld for CONSTRUCT and DESCRIBE (``table``, the default, means Turtle there). Raises QueryRefused
    ("format") when the format does not fit the query form."""
    if isinstance(results, ox.QueryTriples):
        fmt = "ttl" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise QueryRefused("format", f"--format {fmt} is for SELECT/ASK; CONSTRUCT and DESCRIBE take "
                                         f"{'|'.join(GRAPH_FORMATS)}")
        used = {p: ns for p, ns in prefixes.items() if fmt == "ttl"}
        return ox.serialize(results, format=GRAPH_FORMATS[fmt], prefixes=used or None) or b""
    if fmt in GRAPH_FORMATS:
        raise QueryRefused("format", f"--format {fmt} is for CONSTRUCT/DESCRIBE; SELECT and ASK take "
                                     f"{'|'.join(SOLUTION_FORMATS)}")
    if fmt == "table":
        if isinstance(results, ox.QueryBoolean):
            return b"true\n" if bool(results) else b"false\n"
        return solutions_table(results, prefixes).encode("utf-8")
    return results.serialize(format=RESULT_FORMATS[fmt]) or b""


def _limit_child(max_memory_mb: int) -> None:
    """In the child, before exec: cap its address space and have Linux kill it if the parent dies."""
    limit = max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_bounded(location: Path, query: str, prefixes: dict[str, str], fmt: str, limits: QueryLimits) -> bytes:
    """Run ``query`` on the Oxigraph store at ``location`` (opened read-only) in a child process and return the
    rendered results (see :func:`render`).

    The child is killed when ``limits.timeout`` seconds pass (QueryStopped) and cannot grow past
    ``limits.max_memory_mb`` MB of address space (its allocation fails: QueryStopped). Invalid SPARQL or a format
    that does not fit raises QueryRefused. KeyboardInterrupt (Ctrl-C) kills the child at once and propagates.
    The caller must hold a lease on the build (:func:`graph.pipeline.store.lease_build`).
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    request = json.dumps({"location": str(location), "query": query, "prefixes": prefixes, "format": fmt})
    child = subprocess.Popen([sys.executable, "-m", "graph.views.bounded_query"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True,
                             preexec_fn=lambda: _limit_child(limits.max_memory_mb))
    try:
        out, err = child.communicate(request.encode("utf-8"), timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise QueryStopped(f"query stopped after {limits.timeout:g} s (raise the limit with --timeout)") from None
    except BaseException:
        child.kill()
        child.wait()
        raise
    message = err.decode("utf-8", errors="replace").strip()
    if child.returncode == 0:
        return out
    if child.returncode == EXIT_SYNTAX:
        raise QueryRefused("syntax", message)
    if child.returncode == EXIT_FORMAT:
        raise QueryRefused("format", message)
    if child.returncode < 0 or "memory allocation" in message or "MemoryError" in message:
        raise QueryStopped(f"query stopped: it needed more than {limits.max_memory_mb} MB of memory "
                           "(raise the cap with --max-memory-mb)")
    raise QueryStopped(f"the query failed: {message.splitlines()[-1] if message else f'exit {child.returncode}'}")


def _child_main() -> int:
    """The child's side: read the request from stdin, write the rendered results to stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it kills us on Ctrl-C
    request = json.loads(sys.stdin.read())
    store = ox.Store.read_only(request["location"])
    try:
        results = store.query(request["query"], prefixes=request["prefixes"])
        body = render(results, request["format"], request["prefixes"])
    except SyntaxError as error:
        sys.stderr.write(str(error))
        return EXIT_SYNTAX
    except QueryRefused as error:
        sys.stderr.write(str(error))
        return EXIT_FORMAT
    except MemoryError:
        sys.stderr.write("MemoryError")
        return EXIT_FAILED
    except (OSError, ValueError, RuntimeError) as error:
        sys.stderr.write(str(error))
        return EXIT_FAILED
    sys.stdout.buffer.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
