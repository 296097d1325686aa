"""Loader for curated content YAML (content/*.yaml): sources, entities and their facts, with file:line in errors."""

from __future__ import annotations

import datetime
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
YEAR_TEXT = re.compile(r"^([-+]?\d+)(s?)$")
SOURCE_KINDS = ("book", "paper", "web-page", "reference")
SOURCE_KEYS = {"id", "title", "kind", "url", "author", "year"}
ENTITY_KEYS = {"id", "type", "label", "aliases", "ambiguous_aliases", "description", "source", "exactMatch",
               "note"}
LITERAL_KEYS = {"introduced", "birthYear", "deathYear", "typicalDuration", "sessionExpectation"}
ALLOWED_ENTITY_KEYS = ENTITY_KEYS | LITERAL_KEYS | set(ENTITY_RELATIONS)
EXACT_MATCH = re.compile(r"^(wikidata:Q\d+|mesh:D\d+)$")
YEAR_KEYS = ("introduced", "birthYear", "deathYear")
# An absolute IRI (RFC 3987): a scheme, then no space and none of <>"{}|\^` (pyoxigraph refuses those).
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
# Characters YAML 1.1 itself refuses in a file, and which we refuse in any string however it is written (a
# double-quoted "\0" or "\x07" escape gets past YAML): C0 and C1 controls and DEL, except tab and line breaks;
# lone surrogates; the noncharacters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
CANONICAL_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
ITEM_ID = re.compile(r"""^\s*(?:-\s*)?\{?\s*id:\s*['"]?([^\s,'"}]+)""")
TOP_KEY = re.compile(r"^[^\s#-][^:]*:")

Record = Source | Entity | Fact


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader that remembers the line of every mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def current_year() -> int:
    """This year by the machine's clock: the latest year content may give."""
    return datetime.date.today().year


def parse_year(value: object, where: str) -> Year:
    """Turn a year or a decade into a :class:`Year`; anything else is a RecordError naming ``where``.

    The rule (README, "Curated content"): a year is an integer from 1 to :func:`current_year`, written as a YAML
    integer (``1907``, ``55``) or a quoted string (``"1907"``, ``"0055"``: leading zeros are allowed in quotes and
    read as decimal). An unquoted ``0055`` is refused before this point (YAML 1.1 reads it as the octal number 45;
    see :func:`parse`). A decade is a string of four digits and ``s`` (``1990s``, ``"0050s"``) whose year ends in 0;
    ``"50s"`` is refused as ambiguous.
    """
    match = YEAR_TEXT.match(str(value).strip()) if isinstance(value, (int, str)) else None
    if not match or isinstance(value, bool):
        raise RecordError(f"{where}: {_describe(value)} is not a year (1987, \"0987\") or a decade (1990s)")
    digits, decade = match.group(1), bool(match.group(2))
    year = int(digits)
    if decade and len(digits) != 4:
        raise RecordError(f"{where}: decade {value!r} must be written with four digits ('1950s', '0050s')")
    if not 1 <= year <= current_year():
        raise RecordError(f"{where}: {value!r} is out of range: years run from 1 to {current_year()} (this year)")
    if decade:
        if year % 10:
            raise RecordError(f"{where}: decade {value!r} must start at a year ending in 0")
        return Year(year, "decade")
    return Year(year, "year")


def _describe(value: object) -> str:
    """A value as an error message shows it: mappings and lists by kind (never their Python repr)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    return repr(value)


def _optional_str(mapping: dict[str, Any], key: str, where: str) -> str | None:
    value = mapping.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise RecordError(f"{where}: '{key}' must be a non-empty string, got {_describe(value)}")
    return value.strip() if isinstance(value, str) else None


def _require_str(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{where}: '{key}' must be a non-empty string, got {_describe(value)}")
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
        raise RecordError(f"{path}: each item under 'sources' must be a mapping, got {_describe(raw)}")
    where = f"{path}:{raw['__line__']}"
    source_id = _require_str(raw, "id", where)
    where = f"{where} (source {source_id})"
    unknown = set(raw) - SOURCE_KEYS - {"__line__"}
    if unknown:
        raise RecordError(f"{where}: source has unknown key(s) {sorted(unknown, key=str)}; "
                          f"allowed: {sorted(SOURCE_KEYS)}")
    if not SLUG.match(source_id):
        raise RecordError(f"{where}: source id {source_id!r} must be a slug like 'bowlby-1969'")
    kind = raw.get("kind", "reference")
    if kind not in SOURCE_KINDS:
        raise RecordError(f"{where}: kind must be one of {SOURCE_KINDS}, got {_describe(kind)}")
    year = None
    if raw.get("year") is not None:
        parsed = parse_year(raw["year"], f"{where}: year")
        if parsed.precision != "year":
            raise RecordError(f"{where}: year must be a single year")
        year = parsed.year
    url = _optional_str(raw, "url", where)
    if url is not None and not IRI.match(url):
        raise RecordError(f"{where}: url {url!r} is not an absolute URL (a scheme such as https:, no spaces, "
                          "none of <>\"{}|\\^`)")
    return Source(
        id=source_id,
        title=_require_str(raw, "title", where),
        kind=kind,
        url=url,
        author=_optional_str(raw, "author", where),
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
                raise RecordError(f"{where}: '{key}' item has unknown key(s) {sorted(unknown, key=str)}")
            target = item.get("id", item.get("value"))
            if target is None:
                raise RecordError(f"{where}: '{key}' item needs 'id' (entity) or 'value' (literal)")
            if isinstance(target, (dict, list, bool)):
                raise RecordError(f"{where}: '{key}' has a value of the wrong type: {_describe(target)}")
            normalised.append({"value": target, "source": _optional_str(item, "source", f"{where}: '{key}' item"),
                               "note": _optional_str(item, "note", f"{where}: '{key}' item")})
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            normalised.append({"value": item, "source": None, "note": None})
        else:
            raise RecordError(f"{where}: '{key}' has a value of the wrong type: {_describe(item)}")
    return normalised


def _parse_entity(raw: object, path: str) -> Iterator[Entity | Fact]:
    if not isinstance(raw, dict):
        raise RecordError(f"{path}: each item under 'entities' must be a mapping, got {_describe(raw)}")
    where = f"{path}:{raw['__line__']}"
    entity_id = _require_str(raw, "id", where)
    where = f"{where} ({entity_id})"
    unknown = set(raw) - ALLOWED_ENTITY_KEYS - {"__line__"}
    if unknown:
        hint = ""
        if any(" " in str(key) for key in unknown):
            hint = " (text with commas inside a {...} mapping must be quoted)"
        raise RecordError(f"{where}: unknown property {sorted(unknown, key=str)}{hint}")
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
    for key in YEAR_KEYS:
        if key in raw:
            for item in _fact_items(raw[key], key, where):
                year = parse_year(item["value"], f"{where}: {key}")
                if key != "introduced" and year.precision != "year":
                    raise RecordError(f"{where}: {key} must be a single year")
                yield Fact(entity_id, key, year, item["source"] or source, note=item["note"], where=where)
    for key in ("typicalDuration", "sessionExpectation"):
        if key in raw:
            for item in _fact_items(raw[key], key, where):
                if not isinstance(item["value"], str) or not item["value"].strip():
                    raise RecordError(f"{where}: '{key}' must be text, got {_describe(item['value'])}")
                yield Fact(entity_id, key, item["value"].strip(), item["source"] or source, where=where)


def _item_at(lines: list[str], line: int) -> str:
    """`` (id)`` of the source or entity whose block holds 1-based ``line`` (the last ``id:`` at or above it under
    ``sources``/``entities``), or "" outside one: names the entity in errors found before the YAML is read."""
    found = None
    for text in reversed(lines[:line]):
        if TOP_KEY.match(text):
            if found is None:
                return ""
            return f" (source {found})" if text.startswith("sources:") else f" ({found})"
        if found is None and (match := ITEM_ID.match(text)):
            found = match.group(1)
    return f" ({found})" if found else ""


def _yaml_error(error: yaml.YAMLError, path: str, lines: list[str]) -> RecordError:
    """A YAML error as one line ``path:line (entity): malformed YAML: what``."""
    if isinstance(error, yaml.reader.ReaderError):  # only for characters CONTROL missed; no line of its own
        return RecordError(f"{path}: malformed YAML: character {error.character!r} is not allowed ({error.reason})")
    problem = str(getattr(error, "problem", None) or error)
    mark, context, context_mark = (getattr(error, name, None) for name in ("problem_mark", "context", "context_mark"))
    if "tab character" in problem:
        problem = "a tab is used for indentation; YAML indents with spaces only"
    elif "quoted scalar" in str(context) and "end of stream" in problem and context_mark is not None:
        mark, problem = context_mark, "a quote opened on this line is never closed"
    elif context and context_mark is not None:
        problem = f"{problem} ({context} that starts at line {context_mark.line + 1})"
    if mark is None:
        return RecordError(f"{path}: malformed YAML: {problem}")
    line = mark.line + 1
    return RecordError(f"{path}:{line}{_item_at(lines, line)}: malformed YAML: {problem}")


def _check_nodes(root: yaml.Node, path: str) -> bool:
    """What YAML accepts but content must not hold, checked on the composed node tree (so every problem has its
    line): a key given twice in one mapping (YAML keeps only the last), a control character in any string (a
    double-quoted escape such as ``"\\0"``), and an unquoted number YAML 1.1 reads other than as a decimal
    (``0050`` is octal 40, ``0x7CF`` hex, ``1:30`` base 60). Raises RecordError ``path:line (entity): ...``.
    Returns whether a node is reached twice (an alias)."""
    seen: set[int] = set()
    aliased = False

    def walk(node: yaml.Node, item: str) -> None:
        nonlocal aliased
        if id(node) in seen:  # an alias: checked where its anchor is; also ends recursive anchors
            aliased = True
            return
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            # only a double-quoted escape can make a character the file's text lacks (parse checked the text)
            bad = CONTROL.search(node.value) if node.style == '"' else None
            if bad:
                where = f"{path}:{node.start_mark.line + 1}{item}"
                shown = node.value if len(node.value) <= 60 else node.value[:57] + "..."
                raise RecordError(f"{where}: control character U+{ord(bad.group()):04X} in {shown!r}; only tab "
                                  "and line breaks are allowed in text")
            if node.tag == "tag:yaml.org,2002:int" and not node.style and not CANONICAL_INT.match(node.value):
                where = f"{path}:{node.start_mark.line + 1}{item}"
                number = yaml.safe_load(node.value)
                raise RecordError(f"{where}: unquoted {node.value} is read by YAML as the number {number} (a "
                                  "leading 0 means octal, 0x hex, a colon base 60); write a year with leading "
                                  f"zeros in quotes (\"{node.value}\") or without them")
        elif isinstance(node, yaml.SequenceNode):
            for child in node.value:
                walk(child, item)
        elif isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                walk(key, item)
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    if (key.tag, key.value) in first:
                        raise RecordError(f"{path}:{line}{item}: duplicate key '{key.value}' (first at line "
                                          f"{first[key.tag, key.value]}); YAML would keep only the last value")
                    first[key.tag, key.value] = line
                walk(value, item)

    if not isinstance(root, yaml.MappingNode):
        walk(root, "")
        return aliased
    for key, value in root.value:
        walk(key, "")
        if isinstance(key, yaml.ScalarNode) and key.value in ("sources", "entities") and \
                isinstance(value, yaml.SequenceNode):
            seen.add(id(value))
            for child in value.value:
                walk(child, _node_id(child, key.value))
        else:
            walk(value, "")
    _check_duplicate_top_keys(root, path)
    return aliased


STR_TAG, SEQ_TAG, MAP_TAG = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


def _plain_value(loader: _LineLoader, node: yaml.Node) -> Any:
    """What ``loader.construct_document`` makes of a node tree without aliases, built directly where the node is
    plain (a string, a list, a mapping with string keys) and by ``loader`` elsewhere (numbers, null, dates, merge
    keys), so values and errors are the same; a third of the time of SafeConstructor's generic walk."""
    if node.tag == STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    if node.tag == SEQ_TAG and isinstance(node, yaml.SequenceNode):
        return [_plain_value(loader, child) for child in node.value]
    if node.tag == MAP_TAG and isinstance(node, yaml.MappingNode) and all(
            key.tag == STR_TAG and isinstance(key, yaml.ScalarNode) for key, _ in node.value):
        mapping = {key.value: _plain_value(loader, value) for key, value in node.value}
        mapping["__line__"] = node.start_mark.line + 1
        return mapping
    return loader.construct_object(node, deep=True)


def _node_id(node: yaml.Node, section: str) -> str:
    """`` (entity-id)`` or `` (source id)`` of a list item's ``id`` key, or ""."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
                return f" (source {value.value})" if section == "sources" else f" ({value.value})"
    return ""


def _check_duplicate_top_keys(root: yaml.MappingNode, path: str) -> None:
    first: dict[str, int] = {}
    for key, _ in root.value:
        if isinstance(key, yaml.ScalarNode):
            line = key.start_mark.line + 1
            if key.value in first:
                raise RecordError(f"{path}:{line}: duplicate key '{key.value}' (first at line {first[key.value]}); "
                                  "YAML would keep only the last value")
            first[key.value] = line


def parse(text: str, path: str) -> Iterator[Record]:
    """Parse one content file's text into sources, entities and facts; errors name ``path`` and the line.

    Before any record: characters YAML refuses and YAML syntax errors (with the entity whose block holds the line),
    then :func:`_check_nodes` (duplicate keys, control characters, octal-looking numbers). Every error is a
    RecordError of one line, ``path:line (entity): what is wrong``.
    """
    lines = text.splitlines()
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise RecordError(f"{path}:{line}{_item_at(lines, line)}: control character U+{ord(bad.group()):04X} in "
                          "the file; only tab and line breaks are allowed in text")
    loader = _LineLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return
        document = loader.construct_document(root) if _check_nodes(root, path) else _plain_value(loader, root)
        del root  # the node tree is the largest thing held while the records are made
    except yaml.YAMLError as error:
        raise _yaml_error(error, path, lines) from None
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        raise RecordError(f"{path}: a content file must be a mapping with 'sources' and/or 'entities'")
    unknown = set(document) - {"sources", "entities", "__line__"}
    if unknown:
        raise RecordError(f"{path}: unknown top-level key(s) {sorted(unknown, key=str)}; "
                          "allowed: sources, entities")
    for key in ("sources", "entities"):
        if not isinstance(document.get(key, []), list):
            raise RecordError(f"{path}: '{key}' must be a list")
    for raw in document.get("sources", []):
        yield _parse_source(raw, path)
    for raw in document.get("entities", []):
        yield from _parse_entity(raw, path)
