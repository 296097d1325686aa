"""Loader for curated content YAML (content/*.yaml): sources, entities and their facts, with file:line in errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from ontology.records import (
    ENTITY_RELATIONS,
    TYPE_PREFIXES,
    Entity,
    Fact,
    RecordError,
    Source,
    Year,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR_TEXT = re.compile(r"^(\d{4})(s?)$")
SOURCE_KINDS = ("book", "paper", "web-page", "reference")
SOURCE_KEYS = {"id", "title", "kind", "url", "author", "year"}
ENTITY_KEYS = {"id", "type", "label", "aliases", "ambiguous_aliases", "description", "source", "exactMatch",
               "note"}
LITERAL_KEYS = {"introduced", "birthYear", "deathYear", "typicalDuration", "sessionExpectation"}
ALLOWED_ENTITY_KEYS = ENTITY_KEYS | LITERAL_KEYS | set(ENTITY_RELATIONS)
EXACT_MATCH = re.compile(r"^(wikidata:Q\d+|mesh:D\d+)$")

Record = Source | Entity | Fact


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader that remembers the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_year(value: object, where: str) -> Year:
    """Turn ``1987`` or ``"1990s"`` into a :class:`Year`; anything else is a RecordError naming ``where``."""
    match = YEAR_TEXT.match(str(value).strip())
    if not match or isinstance(value, bool):
        raise RecordError(f"{where}: {value!r} is not a year (1987) or a decade (1990s)")
    year = int(match.group(1))
    if match.group(2):
        if year % 10:
            raise RecordError(f"{where}: decade {value!r} must start at a year ending in 0")
        return Year(year, "decade")
    return Year(year, "year")


def _require_str(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{where}: '{key}' must be a non-empty string, got {value!r}")
    return value.strip()


def _str_list(mapping: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = mapping.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RecordError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _parse_source(raw: object, path: str) -> Source:
    if not isinstance(raw, dict):
        raise RecordError(f"{path}: each item under 'sources' must be a mapping, got {raw!r}")
    where = f"{path}:{raw['__line__']}"
    unknown = set(raw) - SOURCE_KEYS - {"__line__"}
    if unknown:
        raise RecordError(f"{where}: source has unknown key(s) {sorted(unknown)}; allowed: {sorted(SOURCE_KEYS)}")
    source_id = _require_str(raw, "id", where)
    if not SLUG.match(source_id):
        raise RecordError(f"{where}: source id {source_id!r} must be a slug like 'bowlby-1969'")
    kind = raw.get("kind", "reference")
    if kind not in SOURCE_KINDS:
        raise RecordError(f"{where}: source {source_id}: kind {kind!r} is not one of {SOURCE_KINDS}")
    year = raw.get("year")
    if year is not None and not isinstance(year, int):
        raise RecordError(f"{where}: source {source_id}: year must be an integer")
    return Source(
        id=source_id,
        title=_require_str(raw, "title", where),
        kind=kind,
        url=raw.get("url"),
        author=raw.get("author"),
        year=year,
    )


def _fact_items(value: object, key: str, where: str) -> list[dict[str, Any]]:
    """Normalise a fact value (bare value, mapping, or list of either) to a list of mappings with 'value'."""
    items = value if isinstance(value, list) else [value]
    normalised = []
    for item in items:
        if isinstance(item, dict):
            unknown = set(item) - {"id", "value", "source", "note", "__line__"}
            if unknown:
                raise RecordError(f"{where}: '{key}' item has unknown key(s) {sorted(unknown)}")
            target = item.get("id", item.get("value"))
            if target is None:
                raise RecordError(f"{where}: '{key}' item needs 'id' (entity) or 'value' (literal)")
            normalised.append({"value": target, "source": item.get("source"), "note": item.get("note")})
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            normalised.append({"value": item, "source": None, "note": None})
        else:
            raise RecordError(f"{where}: '{key}' has a value of the wrong type: {item!r}")
    return normalised


def _parse_entity(raw: object, path: str) -> Iterator[Entity | Fact]:
    if not isinstance(raw, dict):
        raise RecordError(f"{path}: each item under 'entities' must be a mapping, got {raw!r}")
    where = f"{path}:{raw['__line__']}"
    entity_id = _require_str(raw, "id", where)
    where = f"{where} ({entity_id})"
    unknown = set(raw) - ALLOWED_ENTITY_KEYS - {"__line__"}
    if unknown:
        hint = ""
        if any(" " in str(key) for key in unknown):
            hint = " (text with commas inside a {...} mapping must be quoted)"
        raise RecordError(f"{where}: unknown property {sorted(unknown)}{hint}")
    entity_type = _require_str(raw, "type", where)
    if entity_type not in TYPE_PREFIXES:
        raise RecordError(f"{where}: type {entity_type!r} is not one of {sorted(TYPE_PREFIXES)}")
    prefix, _, slug = entity_id.partition("/")
    if prefix != TYPE_PREFIXES[entity_type] or not SLUG.match(slug):
        raise RecordError(f"{where}: id must look like '{TYPE_PREFIXES[entity_type]}/some-slug' for a {entity_type}")
    source = _require_str(raw, "source", where)
    description = raw.get("description")
    if description is not None and not isinstance(description, str):
        raise RecordError(f"{where}: 'description' must be a string")
    note = raw.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise RecordError(f"{where}: 'note' must be a non-empty string")
    exact = _str_list(raw, "exactMatch", where)
    for identifier in exact:
        if not EXACT_MATCH.match(identifier):
            raise RecordError(f"{where}: exactMatch {identifier!r} must look like wikidata:Q123 or mesh:D012345")
    aliases = _str_list(raw, "aliases", where)
    ambiguous = _str_list(raw, "ambiguous_aliases", where)
    label = _require_str(raw, "label", where)
    yield Entity(
        id=entity_id,
        type=entity_type,
        label=label,
        source=source,
        aliases=aliases,
        description=" ".join(description.split()) if description else None,
        exact_match=exact,
        ambiguous_aliases=ambiguous,
        note=" ".join(note.split()) if note else None,
        where=where,
    )
    for key in ENTITY_RELATIONS:
        if key not in raw:
            continue
        for order, item in enumerate(_fact_items(raw[key], key, where), start=1):
            if not isinstance(item["value"], str):
                raise RecordError(f"{where}: '{key}' must list entity ids, got {item['value']!r}")
            yield Fact(entity_id, key, item["value"].strip(), item["source"] or source,
                       note=item["note"], where=where)
            if key == "hasPhase":
                yield Fact(item["value"].strip(), "phaseOrder", order, item["source"] or source, where=where)
    for key in ("introduced", "birthYear", "deathYear"):
        if key in raw:
            for item in _fact_items(raw[key], key, where):
                year = parse_year(item["value"], f"{where}: {key}")
                if key != "introduced" and year.precision != "year":
                    raise RecordError(f"{where}: {key} must be a single year")
                yield Fact(entity_id, key, year, item["source"] or source, note=item["note"], where=where)
    for key in ("typicalDuration", "sessionExpectation"):
        if key in raw:
            for item in _fact_items(raw[key], key, where):
                yield Fact(entity_id, key, str(item["value"]), item["source"] or source, where=where)


def parse(text: str, path: str) -> Iterator[Record]:
    """Parse one content file's text into sources, entities and facts; errors name ``path`` and the line."""
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise RecordError(f"{path}{line}: malformed YAML: {getattr(error, 'problem', error)}") from None
    if document is None:
        return
    if not isinstance(document, dict):
        raise RecordError(f"{path}: a content file must be a mapping with 'sources' and/or 'entities'")
    unknown = set(document) - {"sources", "entities", "__line__"}
    if unknown:
        raise RecordError(f"{path}: unknown top-level key(s) {sorted(unknown)}; allowed: sources, entities")
    for key in ("sources", "entities"):
        if not isinstance(document.get(key, []), list):
            raise RecordError(f"{path}: '{key}' must be a list")
    for raw in document.get("sources", []):
        yield _parse_source(raw, path)
    for raw in document.get("entities", []):
        yield from _parse_entity(raw, path)
