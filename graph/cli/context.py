"""What every command shares: the global options, opening (and if needed building) the graph, resolving names."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from graph.cli.settings import Settings
from graph.pipeline.corpus import BuildError, PagesRefused
from graph.pipeline.store import StoreError
from graph.views.kg import KnowledgeGraph, load_graph
from ontology.names import AmbiguousName, UnknownName

BUILD_STAGES = ("reading content", "reading pages", "merging content", "checking references", "mapping to RDF",
                "writing the store", "validating with SHACL")


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


def open_graph(ctx: click.Context, pages: tuple[Path, ...] = (), force: bool = False,
               last_good_on_failure: bool = False) -> KnowledgeGraph:
    """Load the graph, rebuilding if stale; warnings (registered pages missing or unreadable) print one line each.

    A refused page exits 1 with one line per page (file and reason); any other failed build exits 1 with every
    problem listed, unless ``last_good_on_failure`` (read-only commands) and a good build exists: then one warning
    line and the last good build. A store folder that cannot be written exits 1 with one line naming it. Never a
    traceback.
    """
    settings: Settings = ctx.obj
    try:
        with build_progress() as on_stage:
            return load_graph(settings.store, settings.content, pages, force=force, on_stage=on_stage,
                              on_warning=lambda message: click.echo(f"warning: {message}", err=True),
                              last_good_on_failure=last_good_on_failure)
    except StoreError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(1)
        raise  # unreachable; ctx.exit raises
    except PagesRefused as refusal:
        for line in refusal.problems:
            click.echo(f"error: {line}", err=True)
        ctx.exit(1)
        raise  # unreachable; ctx.exit raises
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
