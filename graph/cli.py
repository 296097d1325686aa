"""The `tkg` command line: build, stats, query, lineage, path and centrality over the embedded graph."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pyoxigraph as ox

from graph.build import BuildError
from graph.convert import python_value
from graph.kg import KnowledgeGraph, load_graph
from graph.lineage import LineageStep, PathStep, centrality, explain_path, lineage_of, shortest_path
from graph.resolve import AmbiguousName, UnknownName
from graph.stats import graph_stats
from ontology.namespace import ontology_path

BUILD_STAGES = ("reading content", "reading pages", "merging content", "checking references", "mapping to RDF",
                "validating with SHACL", "writing the store")


class Settings:
    """Options shared by every command (where the store is, which content to build)."""

    def __init__(self, store: Path | None, content: tuple[Path, ...]):
        self.store = store
        self.content = list(content) or None


@contextmanager
def build_progress(label: str = "Building the graph") -> Iterator[Callable[[str], None]]:
    """A progress bar over the build stages, started only if a build actually runs (terminal only)."""
    bars: list = []

    def on_stage(name: str) -> None:
        if not bars:
            bars.append(click.progressbar(length=len(BUILD_STAGES), label=label, file=sys.stderr,
                                          item_show_func=lambda s: s or ""))
            bars[0].__enter__()
        bars[0].update(1, name)

    try:
        yield on_stage
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def open_graph(ctx: click.Context, pages: tuple[Path, ...] = (), force: bool = False) -> KnowledgeGraph:
    """Load the graph, rebuilding if stale; a failed build exits 1 with every problem listed."""
    settings: Settings = ctx.obj
    try:
        with build_progress() as on_stage:
            return load_graph(settings.store, settings.content, pages, force=force, on_stage=on_stage)
    except BuildError as error:
        click.echo(f"error: {error}", err=True)
        click.echo("The previous store (if any) was left unchanged.", err=True)
        ctx.exit(1)
        raise  # unreachable; ctx.exit raises


def resolve_or_exit(kg: KnowledgeGraph, name: str) -> str:
    """Resolve a name or exit 2 with the candidates."""
    try:
        return kg.resolve(name)
    except (UnknownName, AmbiguousName) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


class LazyGroup(click.Group):
    """A click group whose commands from LAZY_COMMANDS are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(path_type=Path), envvar="TKG_STORE",
              help="Store folder (default: $TKG_STORE or ~/.cache/therapy-kg/store).")
@click.option("--content", type=click.Path(exists=True, path_type=Path), multiple=True, envvar="TKG_CONTENT",
              help="Content folder(s) or YAML file(s) to build from (default: the bundled content).")
@click.version_option(package_name="therapy-kg")
@click.pass_context
def main(ctx: click.Context, store: Path | None, content: tuple[Path, ...]) -> None:
    """therapy-kg: a knowledge graph of psychotherapy approaches.

    Every command builds the graph first if its content changed; no separate build step is needed.
    """
    ctx.obj = Settings(store, content)


@main.command()
@click.option("--pages", type=click.Path(exists=True, path_type=Path), multiple=True,
              help="Therapy pages (txt, md, html) or folders of them to add to the graph.")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.pass_context
def build(ctx: click.Context, pages: tuple[Path, ...], force: bool) -> None:
    """Build the graph (content, pages, SHACL validation) into the embedded store."""
    kg = open_graph(ctx, pages, force=force)
    state = "built" if kg.rebuilt else "up to date"
    click.echo(f"{state}: {kg.build.quads} quads in {kg.build.path} ({kg.build.seconds:.2f} s to build)")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Add therapy pages (files or folders) to the graph; the same as `tkg build --pages PATH...`."""
    ctx.invoke(build, pages=paths, force=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--revalidate", is_flag=True, help="Run SHACL on the store again instead of reporting the build's run.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, revalidate: bool) -> None:
    """Counts per class and relation, sources, and the SHACL validation result."""
    kg = open_graph(ctx)
    report = graph_stats(kg, revalidate=revalidate)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"Store: {kg.build.path}  ({report['quads']} quads, {report['sources']} sources)")
    click.echo("\nEntities per class:")
    for name, count in report["classes"].items():
        click.echo(f"  {name:<16}{count:>7}")
    click.echo("\nFacts per relation:")
    for name, count in report["relations"].items():
        click.echo(f"  {name:<20}{count:>7}")
    shacl = report["shacl"]
    click.echo(f"\nSHACL: {'conforms' if shacl['conforms'] else 'DOES NOT CONFORM'} "
               f"({shacl['violations']} violations, checked {shacl['when']})")
    for line in shacl["first"]:
        click.echo(f"  {line}")


def read_query_text(text: str) -> str:
    """The query itself, or the contents of ``@file.rq`` (also looked up in the bundled example queries)."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if not path.exists():
        bundled = ontology_path("queries") / path.name
        bundled = bundled if bundled.exists() else bundled.with_suffix(".rq")
        if not bundled.exists():
            raise click.BadParameter(f"no query file {path} (nor {bundled.name} among the example queries)")
        path = bundled
    return path.read_text(encoding="utf-8")


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


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format for SELECT results.")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query (text, or @file.rq; example queries by name, e.g. @lineage-of-a-modality).

    Prefixes tkg:, skos:, rdfs:, prov:, dct:, schema: and id: are predeclared; the default graph is the union
    of all sources.
    """
    text = read_query_text(sparql)
    kg = open_graph(ctx)
    try:
        results = kg.query(text)
    except SyntaxError as error:
        click.echo(f"error: invalid SPARQL: {error}", err=True)
        sys.exit(2)
    if isinstance(results, ox.QuerySolutions):
        click.echo(format_solutions(results, fmt))
    elif isinstance(results, ox.QueryBoolean):
        click.echo("true" if bool(results) else "false")
    else:
        click.echo((ox.serialize(results, format=ox.RdfFormat.TURTLE) or b"").decode("utf-8"), nl=False)


@main.command()
@click.argument("name")
@click.option("--up", "direction", flag_value="up", default=True, help="Where it came from (default).")
@click.option("--down", "direction", flag_value="down", help="What grew out of it.")
@click.option("--depth", type=click.IntRange(min=1), default=None, help="Stop after this many steps.")
@click.pass_context
def lineage(ctx: click.Context, name: str, direction: str, depth: int | None) -> None:
    """The lineage of a modality, theory or theorist: origins (--up) or descendants (--down)."""
    kg = open_graph(ctx)
    entity_id = resolve_or_exit(kg, name)
    graph = kg.nx
    node = graph.nodes[entity_id]
    click.echo(f"{node['label']} ({node['type']}{', ' + node['introduced'] if node['introduced'] else ''})")
    steps = lineage_of(graph, entity_id, direction, depth)
    if not steps:
        click.echo("  (no lineage recorded)")
    children: dict[str, list[LineageStep]] = {}
    for step in steps:
        children.setdefault(step.parent, []).append(step)

    def show(parent: str, indent: int) -> None:
        for step in children.get(parent, []):
            data = graph.nodes[step.id]
            when = f", {data['introduced']}" if data.get("introduced") else ""
            if direction == "up":
                hop = PathStep(step.parent, step.via, step.id)
            else:
                hop = PathStep(step.id, step.via, step.parent)
            reason = explain_path(graph, [hop])[0]
            click.echo(f"{'  ' * indent}{data['label']} ({data['type']}{when})   because: {reason}")
            show(step.id, indent + 1)

    show(entity_id, 1)


@main.command()
@click.argument("start")
@click.argument("end")
@click.pass_context
def path(ctx: click.Context, start: str, end: str) -> None:
    """The shortest chain of facts linking two entities, explained in words."""
    import networkx as nx

    kg = open_graph(ctx)
    a, b = resolve_or_exit(kg, start), resolve_or_exit(kg, end)
    try:
        steps = shortest_path(kg.nx, a, b)
    except nx.NetworkXNoPath:
        click.echo(f"no path between {kg.entity(a)['label']} and {kg.entity(b)['label']}", err=True)
        sys.exit(1)
    for number, sentence in enumerate(explain_path(kg.nx, steps), start=1):
        click.echo(f"{number}. {sentence}")


@main.command()
@click.option("--kind", type=click.Choice(["degree", "betweenness"]), default="degree", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--type", "types", multiple=True, help="Only entities of this class (repeatable), e.g. Theorist.")
@click.pass_context
def central(ctx: click.Context, kind: str, top: int, types: tuple[str, ...]) -> None:
    """The most central entities of the graph (degree or betweenness centrality)."""
    kg = open_graph(ctx)
    for entity_id, score in centrality(kg.nx, kind, top, types or None):
        node = kg.entity(entity_id)
        click.echo(f"{score:8.4f}  {node['label']} ({node['type']})")


# ---- commands defined in their own modules, imported only when used (keeps `tkg lineage` fast) ----
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "map": ("graph.maps_cli", "map_command"),
    "serve": ("graph.serve_cli", "serve"),
    "export": ("graph.export_cli", "export"),
    "push": ("graph.export_cli", "push"),
    "extract": ("graph.extract_cli", "extract"),
    "neo4j": ("graph.neo4j_cli", "neo4j_group"),
    "explore": ("graph.explore_cli", "explore"),
}

if __name__ == "__main__":
    main()
