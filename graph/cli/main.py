"""The `tkg` command group: global options and the list of commands, each imported only when it runs."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from graph.cli.settings import Settings

# name -> (module, attribute, one-line help); help is listed without importing any command module.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("graph.cli.build", "build", "Build the graph (content, pages, SHACL) into the embedded store."),
    "ingest": ("graph.cli.build", "ingest", "Add therapy pages (files or folders) to the graph."),
    "stats": ("graph.cli.build", "stats", "Counts per class and relation, sources, SHACL result."),
    "query": ("graph.cli.query", "query", "Run a SPARQL query (text, @file.rq or an example's name)."),
    "lineage": ("graph.cli.lineage", "lineage", "The lineage of a modality, theory or theorist."),
    "path": ("graph.cli.lineage", "path", "The shortest chain of facts between two entities, in words."),
    "central": ("graph.cli.lineage", "central", "The most central entities (degree or betweenness centrality)."),
    "map": ("graph.cli.maps", "map_command", "Write an interactive, offline HTML map of the graph."),
    "serve": ("graph.cli.serve", "serve", "Serve the graph as a read-only SPARQL 1.1 endpoint."),
    "export": ("graph.cli.export", "export", "Export the graph (ttl, nt, nq, trig, jsonld, graphml, csv)."),
    "push": ("graph.cli.export", "push", "Push the graph to a SPARQL 1.1 Graph Store."),
    "extract": ("graph.cli.extract", "extract", "Extract entities and facts from one therapy page."),
    "pages": ("graph.cli.pages", "pages_group", "Registered pages: list, remove, review before trust."),
    "neo4j": ("graph.cli.neo4j", "neo4j_group", "Push the graph to Neo4j, or check a pushed graph."),
    "explore": ("graph.cli.explore", "explore", "Open the Streamlit explorer on the graph."),
}


class LazyGroup(click.Group):
    """A click group whose commands (:data:`COMMANDS`) are imported on first use; help lists them statically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in sorted(COMMANDS)])


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
    show_warnings_once()


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler writing to whatever ``sys.stderr`` is at each message (click's test runner swaps it)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def show_warnings_once() -> None:
    """Print the library's logged warnings (``therapy_kg.*``, e.g. a page read as Windows-1252) on stderr as
    ``warning: ...``, like the CLI's own, through one handler (not also through Python's last-resort handler)."""
    logger = logging.getLogger("therapy_kg")
    if not any(getattr(h, "tkg_cli", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        handler.tkg_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False


if __name__ == "__main__":
    main()
