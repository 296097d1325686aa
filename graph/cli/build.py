"""`tkg build`, `tkg ingest` and `tkg stats`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.cli.context import open_graph
from graph.views.stats import graph_stats
from loaders.registry import extensions


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PAGE]...")
@click.option("--pages", type=click.Path(path_type=Path), multiple=True, metavar="PATH",
              help=f"A therapy page ({', '.join(extensions('page'))}) or folder of them to add; several may follow: "
                   "--pages a.txt b.html folder/ (the same as giving them as arguments).")
@click.option("--force", is_flag=True, help="Rebuild even if nothing changed.")
@click.pass_context
def build(ctx: click.Context, paths: tuple[Path, ...], pages: tuple[Path, ...], force: bool) -> None:
    """Build the graph (content, pages, SHACL validation) into the embedded store.

    Pages given here are registered with the store and stay part of the graph (`tkg pages list`, `tkg pages
    remove`). A page the loader refuses stops the build with one line naming it and why (exit 1).
    """
    kg = open_graph(ctx, (*pages, *paths), force=force)
    state = "built" if kg.rebuilt else "up to date"
    click.echo(f"{state}: {kg.build.quads} quads in {kg.build.path} ({kg.build.seconds:.2f} s to build)")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Add therapy pages (files or folders) to the graph; the same as `tkg build --pages PATH...`."""
    ctx.invoke(build, paths=paths, pages=(), force=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--revalidate", is_flag=True, help="Run SHACL on the store again instead of reporting the build's run.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, revalidate: bool) -> None:
    """Counts per class and relation, sources, and the SHACL validation result."""
    kg = open_graph(ctx, last_good_on_failure=True)
    report = graph_stats(kg, revalidate=revalidate)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    counts = report["counts"]
    click.echo(f"Store: {kg.build.path}  ({report['quads']} quads, {report['sources']} sources)")
    click.echo(f"  {counts['source_quads']} quads in the sources' named graphs ({counts['distinct_triples']} distinct "
               f"triples), {counts['ontology_triples']} ontology triples, {counts['default_graph_triples']} in the "
               "default graph (their union)")
    click.echo(f"  exports: nq/trig {counts['source_quads']} quads, ttl/nt/jsonld {counts['distinct_triples']} "
               "triples; the ontology only with --include-ontology")
    click.echo("\nEntities per class:")
    for name, count in report["classes"].items():
        click.echo(f"  {name:<16}{count:>7}")
    click.echo("\nFacts per relation:")
    for name, count in report["relations"].items():
        click.echo(f"  {name:<20}{count:>7}")
    shacl = report["shacl"]
    click.echo(f"\nSHACL: {'conforms' if shacl['conforms'] else 'DOES NOT CONFORM'} "
               f"({shacl['violations']} violations in {shacl['triples']:,} triples, checked {shacl['when']})")
    for line in shacl["first"]:
        click.echo(f"  {line}")
