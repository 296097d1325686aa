"""`tkg extract PAGE`: show what one page yields (JSON contract with --json, a readable table otherwise)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from loaders.registry import PageReading, load_page
from ontology.records import Extraction, RecordError, Year


def extraction_json(reading: PageReading, page: str) -> dict:
    """The JSON contract of ARCHITECTURE.md for one page, plus what the evidence offsets index into."""
    extraction: Extraction = reading.extraction
    return {
        "source": page,
        "source_id": extraction.source.id,
        "title": extraction.source.title,
        "format": reading.format,
        "offsets_into": reading.basis,
        "warnings": reading.warnings,
        "entities": [
            {"id": e.id, "type": e.type, "label": e.label, "aliases": list(e.aliases)} for e in extraction.entities
        ],
        "facts": [
            {
                "subject": f.subject,
                "predicate": f.predicate,
                "object": str(f.object) if isinstance(f.object, Year) else f.object,
                "evidence": {"text": f.evidence.text, "start": f.evidence.start, "end": f.evidence.end}
                if f.evidence
                else None,
            }
            for f in extraction.facts
        ],
    }


def extraction_table(reading: PageReading) -> str:
    """A readable table: entities by type, then facts with the start of their evidence."""
    extraction = reading.extraction
    labels = {e.id: e.label for e in extraction.entities}
    lines = [f"{extraction.source.title}  ({reading.format}; offsets into {reading.basis})", ""]
    lines.append(f"Entities ({len(extraction.entities)})")
    for entity in sorted(extraction.entities, key=lambda e: (e.type, e.label)):
        aliases = f"  aka {', '.join(entity.aliases)}" if entity.aliases else ""
        lines.append(f"  {entity.type:<15} {entity.label}{aliases}  [{entity.id}]")
    lines += ["", f"Facts ({len(extraction.facts)})"]
    width = max((len(labels.get(f.subject, f.subject)) for f in extraction.facts), default=10)
    for fact in extraction.facts:
        obj = labels.get(fact.object, str(fact.object)) if isinstance(fact.object, str) else str(fact.object)
        where = f"@{fact.evidence.start}" if fact.evidence else ""
        lines.append(f"  {labels.get(fact.subject, fact.subject):<{width}}  {fact.predicate:<18} {obj}  {where}")
    return "\n".join(lines)


def _curated_resolver():  # noqa: ANN202 - returns a PageResolver or None
    """A resolver over the bundled curated content, or None (with a note) when it cannot be read."""
    try:
        from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_content
        from graph.pipeline.resolve import PageResolver

        corpus = assemble(read_content(content_files([BUNDLED_CONTENT])))
        return PageResolver(corpus.name_index())
    except Exception as error:  # noqa: BLE001 - resolution is an optional extra for this command
        click.echo(f"note: curated content not used for name resolution ({error})", err=True)
        return None


@click.command("extract")
@click.argument("page", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract instead of a table.")
@click.option(
    "--resolve/--no-resolve",
    default=True,
    show_default=True,
    help="Map names onto curated entities (Sue Johnson -> theorist/susan-johnson).",
)
def extract(page: Path, as_json: bool, resolve: bool) -> None:
    """Show the entities and facts one page (text, Markdown or HTML) yields, with evidence offsets."""
    resolver = _curated_resolver() if resolve else None
    try:
        reading = load_page(page, resolver, gazetteer=resolver.gazetteer if resolver else None,
                            log_warnings=False)  # shown below, once
    except RecordError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    for warning in reading.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps(extraction_json(reading, str(page)), ensure_ascii=False, indent=2))
    else:
        click.echo(extraction_table(reading))
