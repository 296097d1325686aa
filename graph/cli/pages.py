"""`tkg pages list | remove | review`: the pages registered with the store, and a review before a page is trusted."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import click

from graph.cli.context import Settings, open_graph
from graph.pipeline.store import default_store_dir, registered_pages, unregister_pages
from graph.views.pages import match_registered, registered_page_rows
from graph.views.review import FactRow, PageReview, relation_phrase


def _store_dir(ctx: click.Context) -> Path:
    settings: Settings = ctx.obj
    return Path(settings.store) if settings.store else default_store_dir()


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group("pages")
def pages_group() -> None:
    """The pages added with `tkg build --pages` / `tkg ingest`: list, remove, review."""


@pages_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.pass_context
def list_pages(ctx: click.Context, as_json: bool) -> None:
    """Registered pages: source id, format, status (ok, missing, unreadable) and facts in the last build."""
    try:
        rows = registered_page_rows(_store_dir(ctx))
    except ValueError as error:
        _fail(str(error))
    if as_json:
        click.echo(json.dumps([{**asdict(r), "path": str(r.path)} for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No pages are registered; add some with `tkg build --pages PATH...` or `tkg ingest PATH...`.")
        return
    width = max(len(r.source_id) for r in rows)
    click.echo(f"{'source id':<{width}}  {'format':<8}  {'status':<10}  {'facts':>5}  path")
    for row in rows:
        facts = "-" if row.facts is None else str(row.facts)
        click.echo(f"{row.source_id:<{width}}  {row.format or '-':<8}  {row.status:<10}  {facts:>5}  {row.path}")
        if row.reason:
            click.echo(f"{'':<{width}}  {row.reason}")


@pages_group.command("remove")
@click.argument("wanted", metavar="PATH|ID", nargs=-1, required=True)
@click.pass_context
def remove_pages(ctx: click.Context, wanted: tuple[str, ...]) -> None:
    """Unregister pages (by path, folder or source id as `tkg pages list` shows) and rebuild without them."""
    store_dir = _store_dir(ctx)
    try:
        matched = [page for name in wanted for page in match_registered(store_dir, name)]
        unmatched = [name for name in wanted if not match_registered(store_dir, name)]
    except ValueError as error:
        _fail(str(error))
    if unmatched:
        _fail(f"no registered page matches {', '.join(map(repr, unmatched))}; `tkg pages list` shows them", 2)
    for page in dict.fromkeys(matched):
        click.echo(f"removed: {page}")
    unregister_pages(store_dir, matched)
    kg = open_graph(ctx)
    click.echo(f"{'built' if kg.rebuilt else 'up to date'}: {kg.build.quads} quads in {kg.build.path}")


def _fact_line(row: FactRow) -> str:
    return f"{row.subject} {relation_phrase(row.relation)} {row.value}"


def review_text(review: PageReview, page: Path, evidence: bool = True) -> list[str]:
    """The lines `tkg pages review` prints for one page (labels, never ids)."""
    new = review.new_entities
    lines = [f"{review.source_id}: {review.title}  ({page})",
             f"  {len(review.entities)} entities ({len(new)} new); facts: {len(review.contradicts)} contradict "
             f"curated facts, {len(review.confirms)} confirm them, {len(review.adds)} add to the graph"]
    sections = (("Contradicts", review.contradicts), ("Confirms", review.confirms), ("Adds", review.adds))
    for title, rows in sections:
        if not rows:
            continue
        lines.append(f"  {title} ({len(rows)}):")
        for row in rows:
            line = f"    {_fact_line(row)}"
            if row.conflict:
                line += f"  [{row.conflict}; curated: {', '.join(row.curated)} ({', '.join(row.curated_sources)})]"
            elif row.curated_sources:
                line += f"  [curated: {', '.join(row.curated_sources)}]"
            lines.append(line)
            if evidence and row.evidence and row.conflict:
                lines.append(f"      page: \"{row.evidence}\"")
    if new:
        lines.append(f"  New entities ({len(new)}): " + "; ".join(f"{e.label} ({e.type})" for e in new))
    return lines


@pages_group.command("review")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print each page's review as JSON.")
@click.pass_context
def review_pages(ctx: click.Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """What each page would add, the curated facts it confirms and those it contradicts (another developer,
    another introduction year, another parent), in labels. No PATH: every registered page. Nothing is changed."""
    from graph.pipeline.corpus import (
        BUNDLED_CONTENT,
        PagesRefused,
        assemble,
        content_files,
        expand_pages,
        read_curated,
    )
    from graph.pipeline.resolve import PageResolver
    from graph.views.review import reference_from_kg, review_extraction
    from loaders.registry import load_page, page_source_ids
    from ontology.records import RecordError

    store_dir = _store_dir(ctx)
    try:
        registered = registered_pages(store_dir)
        given = [p.resolve() for p in expand_pages(paths)] if paths else []
    except PagesRefused as refusal:
        for line in refusal.problems:
            click.echo(f"error: {line}", err=True)
        sys.exit(1)
    except ValueError as error:
        _fail(str(error))
    pages = given or registered
    if not pages:
        click.echo("No pages to review: give PATH... or register pages with `tkg ingest PATH...`.")
        return
    kg = open_graph(ctx)
    settings: Settings = ctx.obj
    resolver = PageResolver(assemble(read_curated(content_files(settings.content or [BUNDLED_CONTENT]))).name_index())
    reference = reference_from_kg(kg)
    ids = page_source_ids(list(dict.fromkeys([*registered, *pages])))
    failed = 0
    reviews = []
    for page in pages:
        try:
            reading = load_page(page, resolver, source_id=ids[page], gazetteer=resolver.gazetteer)
        except RecordError as error:
            click.echo(f"error: {error}", err=True)
            failed += 1
            continue
        review = review_extraction(reading.extraction, reference)
        if as_json:
            reviews.append({"page": str(page), **asdict(review)})
        else:
            click.echo("\n".join(review_text(review, page)) + "\n")
    if as_json:
        click.echo(json.dumps(reviews, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)
