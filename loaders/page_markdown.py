"""Markdown therapy pages: inline markup is dropped, headings and lists kept, then the plain text is parsed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.extract import extract_records
from loaders.tables import table_records
from ontology.records import Entity, Fact, Source

TEXT_BASIS = "the Markdown rendered to plain text (markup, link targets and code blocks removed)"

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.S)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`+([^`]*)`+")
_REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def render_inline(line: str) -> str:
    """Markdown inline markup removed: links become their text, emphasis and code marks disappear."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(lambda m: m.group(1) or m.group(2), line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
    return line.replace("\\", "")


def readable_text(text: str) -> tuple[str, frozenset[int] | None]:
    """Plain text of a Markdown page and the offsets where its heading lines start (None: none marked up)."""
    lines = text.split("\n")
    out: list[str] = []
    headings: set[int] = set()
    offset = 0
    in_fence = False
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                start = index + 1
                break

    def emit(line: str, heading: bool = False) -> None:
        nonlocal offset
        if heading:
            headings.add(offset)
        out.append(line)
        offset += len(line) + 1

    last_heading = ""
    table_end = -1
    for index in range(start, len(lines)):
        raw = lines[index]
        if index < table_end:
            continue
        if not in_fence and _is_row(raw) and index + 1 < len(lines) and _TABLE_RULE.match(lines[index + 1]):
            table_end = index + 2
            while table_end < len(lines) and _is_row(lines[table_end]):
                table_end += 1
            grid = [_cells(row) for row in (raw, *lines[index + 2 : table_end])]
            records = table_records(grid, 1)
            if records is not None:
                for line, kind in records:
                    emit("")
                    emit(line, heading=kind == "heading")
                if last_heading and any(kind == "heading" for _line, kind in records):
                    emit("")
                    emit(last_heading, heading=True)  # the section the table stood in resumes after its records
                emit("")
                continue
            table_end = -1
        if _FENCE.match(raw):
            in_fence = not in_fence
            emit("")
            continue
        if in_fence or _REFERENCE_DEF.match(raw) or _TABLE_RULE.match(raw):
            emit("")
            continue
        line = _QUOTE.sub("", raw)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        atx = _ATX.match(line)
        if atx:
            last_heading = render_inline(atx.group(2)).strip()
            emit(last_heading, heading=True)
        elif _RULE.match(line) or _SETEXT.match(line) and out and out[-1].strip():
            emit("")
        elif line.strip() and _SETEXT.match(following) and not _BULLET.match(line):
            last_heading = render_inline(line).strip()
            emit(last_heading, heading=True)
        elif bullet := _BULLET.match(line):
            emit(f"{bullet.group(1)}• {render_inline(bullet.group(2))}")
        elif ordered := _ORDERED.match(line):
            emit(f"{ordered.group(1)}{ordered.group(2)}. {render_inline(ordered.group(3))}")
        else:
            if line.lstrip().startswith("|"):
                line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
            emit(render_inline(line))
    return "\n".join(out), frozenset(headings) if headings else None


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|") or (line.count("|") >= 2 and not _BULLET.match(line))


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row, inline markup removed ("| **CBT** | Beck |" -> ["CBT", "Beck"])."""
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [render_inline(cell).strip() for cell in re.split(r"(?<!\\)\|", body)]


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of a Markdown page (pure); offsets index into ``readable_text(text)[0]``."""
    plain, headings = readable_text(text)
    yield from extract_records(plain, source, headings)
