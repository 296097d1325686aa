"""Registered pages of a store: source id, format, status (ok, missing, unreadable) and facts in the last build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.pipeline.build import registered_page_status
from graph.pipeline.store import current_build, lease_build, open_read_only, registered_pages
from graph.views.kg import KnowledgeGraph
from loaders.registry import page_source_ids, read_page_text
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS, RecordError

FACT_COUNT_QUERY = """
SELECT ?g (COUNT(*) AS ?facts) WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?p { %s } } GROUP BY ?g
"""


@dataclass(frozen=True)
class RegisteredPage:
    """One registered page: where it is, its source id, format (None unless readable), status and reason, and how
    many facts its source graph holds in the store's current build (None when there is no build, or it is absent)."""

    path: Path
    source_id: str
    format: str | None
    status: str  # "ok", "missing" or "unreadable"
    reason: str = ""
    facts: int | None = None


def facts_per_source(store_dir: Path) -> dict[str, int] | None:
    """Facts (entity relations and literal facts such as ``introduced``) per source id in the current build, read
    without building; None when the store has no build yet."""
    build = current_build(store_dir)
    if build is None:
        return None
    lease, build = lease_build(store_dir, build)
    with lease:
        return _facts_per_source(KnowledgeGraph(open_read_only(build), build, store_dir, lease=lease))


def _facts_per_source(kg: KnowledgeGraph) -> dict[str, int]:
    relations = " ".join(f"tkg:{name}" for name in (*ENTITY_RELATIONS, *LITERAL_RELATIONS))
    return {str(row["g"]).removeprefix("source/"): int(row["facts"] or 0)
            for row in kg.select(FACT_COUNT_QUERY % relations)}


def registered_page_rows(store_dir: Path) -> list[RegisteredPage]:
    """Every registered page in the order added, each read and decoded (not extracted) to give its format and
    status; ids as the build assigns them (:func:`loaders.registry.page_source_ids`). ValueError if the store's
    list of pages is unreadable."""
    pages = registered_pages(store_dir)
    ids = page_source_ids(pages)
    counts = facts_per_source(store_dir) if pages else None
    rows: list[RegisteredPage] = []
    for page in pages:
        status, reason = registered_page_status(page)
        fmt = None
        if status == "ok":
            try:
                fmt = read_page_text(page).format.name
            except RecordError as error:
                status, reason = "unreadable", str(error)
        facts = None if counts is None else counts.get(ids[page])
        rows.append(RegisteredPage(page, ids[page], fmt, status, reason, facts))
    return rows


def match_registered(store_dir: Path, wanted: str) -> list[Path]:
    """The registered pages ``wanted`` names: a source id, a page's path, or a folder holding registered pages
    (paths compared after resolving, so relative paths work)."""
    pages = registered_pages(store_dir)
    by_id = {source_id: page for page, source_id in page_source_ids(pages).items()}
    if wanted in by_id:
        return [by_id[wanted]]
    target = Path(wanted).expanduser().resolve()
    return [page for page in pages if page == target or target in page.parents]
