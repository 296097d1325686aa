"""`tkg query`: SPARQL over the embedded store, printed as a table, CSV, TSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from graph.cli.context import open_graph
from graph.terms import python_value
from graph.views.sparql_guard import QueryRefused, parse_allow_list
from ontology.example_queries import example_query


def read_query_text(text: str) -> str:
    """The query itself, or the contents of ``@file.rq``; a name not found as a file is looked up among the
    bundled example queries (``@lineage-of-a-modality``). Raises click.BadParameter naming what was not found."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if path.exists():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(f"cannot read query file {path}: {error}") from None
    example = example_query(path.name)
    if example is None:
        raise click.BadParameter(f"no query file {path} (nor {path.stem} among the example queries)")
    return example.text


def format_solutions(results: ox.QuerySolutions, fmt: str) -> str:
    """SELECT results as a text table, CSV, TSV or SPARQL-JSON-like JSON."""
    names = [v.value for v in results.variables]
    rows = [[python_value(row[n]) for n in names] for row in results]
    if fmt == "json":
        return json.dumps([dict(zip(names, row, strict=True)) for row in rows], indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


@click.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format for SELECT results.")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
              help="Allow SERVICE (federated query) to this host (repeatable); refused by default. Loopback and "
                   "private addresses are reached only when listed as such.")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str, allow_service: tuple[str, ...]) -> None:
    """Run a SPARQL query (text, or @file.rq; example queries by name, e.g. @lineage-of-a-modality).

    Prefixes tkg:, skos:, rdfs:, prov:, dct:, schema: and id: are predeclared; the default graph is the union
    of all sources.
    """
    text = read_query_text(sparql)
    try:
        allowed = parse_allow_list(allow_service)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--allow-service") from None
    kg = open_graph(ctx)
    kg.allowed_services = allowed
    try:
        results = kg.query(text)
    except SyntaxError as error:
        click.echo(f"error: invalid SPARQL: {error}", err=True)
        sys.exit(2)
    except QueryRefused as refused:
        click.echo(f"error: {refused.message}", err=True)
        sys.exit(2)
    try:  # evaluation is lazy: a remote SERVICE failing surfaces while the answer is read
        if isinstance(results, ox.QuerySolutions):
            output = format_solutions(results, fmt) + "\n"
        elif isinstance(results, ox.QueryBoolean):
            output = "true\n" if bool(results) else "false\n"
        else:
            output = (ox.serialize(results, format=ox.RdfFormat.TURTLE) or b"").decode("utf-8")
    except OSError as error:
        click.echo(f"error: the query failed: {error}", err=True)
        sys.exit(1)
    click.echo(output, nl=False)
