"""File type -> loader: detection by extension and content sniffing, and the I/O edge that reads one page."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from loaders import content_yaml, page_html, page_markdown, page_text
from loaders.page_extract import extract_with_warnings
from loaders.page_names import slugify
from ontology.records import Entity, Extraction, Fact, RecordError, Source

LOG = logging.getLogger("therapy_kg.loaders")
MAX_PAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    """One registered input format: its name, file extensions, loader module and what kind of input it is."""

    name: str
    extensions: tuple[str, ...]
    module: ModuleType
    kind: str = "page"  # "page": read_page handles it; "content": curated YAML, read by the build


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add a format to the registry (later registrations of the same name replace earlier ones)."""
    FORMATS[fmt.name] = fmt


register(Format("text", (".txt", ".text"), page_text))
register(Format("markdown", (".md", ".markdown", ".mdown", ".mkd"), page_markdown))
register(Format("html", (".html", ".htm", ".xhtml", ".shtml"), page_html))
register(Format("content-yaml", (".yaml", ".yml"), content_yaml, kind="content"))

_HTML_SNIFF = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<title\b|<div\b|<article\b|<p\b)", re.I
)
_MARKDOWN_SNIFF = re.compile(r"^#{1,6}\s+\S|^\s*[-*+]\s+\S.*\n\s*[-*+]\s+\S|\[[^\]]+\]\([^)]+\)|\*\*[^*\n]+\*\*", re.M)
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


def detect_format(path: Path, text: str) -> Format:
    """The format of a page: by extension, with HTML/Markdown sniffed from content for .txt or unknown names."""
    suffix = path.suffix.lower()
    by_extension = next((f for f in FORMATS.values() if suffix in f.extensions), None)
    if by_extension is not None and by_extension.name not in ("text",):
        return by_extension
    head = text[:4096]
    if _HTML_SNIFF.search(head) or re.search(r"<(?:p|h1|h2|div|li)\b[^>]*>.*</(?:p|h1|h2|div|li)>", head, re.S):
        return FORMATS["html"]
    if by_extension is None and _MARKDOWN_SNIFF.search(head):
        return FORMATS["markdown"]
    return FORMATS["text"]


def decode_page(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode page bytes: BOMs (UTF-8/16/32), UTF-8, BOM-less UTF-16, else Windows-1252/Latin-1 with a warning."""
    warnings: list[str] = []
    if not data.strip():
        raise RecordError(f"{name}: the file is empty")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise RecordError(f"{name}: this is {what}, not a text, Markdown or HTML page")
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise RecordError(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode: {error}"
                ) from None
            return _check_text(text, name), warnings
    sample = data[:4096]
    zeros = sample.count(0)
    if zeros:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if zeros > len(sample) // 4 and (odd > 0.9 * zeros or even > 0.9 * zeros):
            encoding = "utf-16-le" if odd > even else "utf-16-be"
            try:
                return _check_text(data.decode(encoding), name), [f"{name}: no byte-order mark; read as {encoding}"]
            except UnicodeDecodeError:
                pass
        raise RecordError(f"{name}: binary data (NUL bytes), not a text, Markdown or HTML page")
    try:
        return _check_text(data.decode("utf-8"), name), warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        warnings.append(f"{name}: not valid UTF-8; read as Windows-1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        warnings.append(f"{name}: not valid UTF-8; read as Latin-1")
    return _check_text(text, name), warnings


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _check_text(text: str, name: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise RecordError(f"{name}: the file is empty")
    sample = text[:4096]
    control = len(_CONTROL_CHARS.findall(sample)) if _CONTROL_CHARS.search(sample) else 0
    if control > len(sample) * 0.05:
        raise RecordError(
            f"{name}: looks like binary data ({control} control characters in the first "
            f"{len(sample)}), not a text, Markdown or HTML page"
        )
    return text


@dataclass
class PageReading:
    """One page read from disk: the extraction, the text its offsets index into, and what that text is."""

    extraction: Extraction
    text: str
    format: str
    basis: str
    warnings: list[str] = field(default_factory=list)


Resolver = Callable[[Extraction], Extraction]


def page_source(path: Path, readable: str) -> Source:
    """The Source record of a page: id ``page-<file stem>``, title from the page's first line."""
    stripped = readable.lstrip()
    newline = stripped.find("\n")
    first_line = (stripped if newline < 0 else stripped[:newline]).strip() or path.name
    return Source(id=f"page-{slugify(path.stem, 60) or 'untitled'}", title=first_line[:200], kind="web-page")


def load_page(path: str | Path, resolver: Resolver | None = None, max_bytes: int = MAX_PAGE_BYTES) -> PageReading:
    """Read, decode, detect, extract and (optionally) resolve one page; RecordError names the file."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RecordError(f"{name}: cannot read page: {error.strerror or error}") from None
    if path.is_dir():
        raise RecordError(f"{name}: is a folder; give page files (or use read_pages for folders)")
    if size > max_bytes:
        raise RecordError(
            f"{name}: the file is too large ({size / 1048576:.1f} MB; the limit for one page is "
            f"{max_bytes / 1048576:.1f} MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RecordError(f"{name}: cannot read page: {error.strerror or error}") from None
    raw, warnings = decode_page(data, name)
    fmt = detect_format(path, raw)
    if fmt.kind != "page":
        raise RecordError(f"{name}: is {fmt.name} content, not a page; put it in a content folder")
    readable, headings = fmt.module.readable_text(raw)
    source = page_source(path, readable)
    if not readable.strip():
        warnings.append(f"{name}: no readable text (only markup or scripts); nothing extracted")
        return PageReading(Extraction(source), readable, fmt.name, fmt.module.TEXT_BASIS, warnings)
    records, extract_warnings = extract_with_warnings(readable, source, headings)
    warnings.extend(w.replace(source.id, name, 1) for w in extract_warnings)
    extraction = Extraction(
        source, [r for r in records if isinstance(r, Entity)], [r for r in records if isinstance(r, Fact)]
    )
    if resolver is not None:
        extraction = resolver(extraction)
    for warning in warnings:
        LOG.warning(warning)
    return PageReading(extraction, readable, fmt.name, fmt.module.TEXT_BASIS, warnings)


def read_page(path: str | Path, resolver: Resolver | None = None) -> Extraction:
    """The extraction of one page file (text, Markdown or HTML); RecordError names the file on bad input."""
    return load_page(path, resolver).extraction


def page_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Page files among ``paths``: files as given, folders searched (sorted) for registered page extensions."""
    extensions = {ext for f in FORMATS.values() if f.kind == "page" for ext in f.extensions}
    for location in paths:
        location = Path(location)
        if location.is_dir():
            yield from sorted(p for p in location.rglob("*") if p.is_file() and p.suffix.lower() in extensions)
        else:
            yield location


def read_pages(paths: Iterable[str | Path], resolver: Resolver | None = None) -> Iterator[Extraction]:
    """Stream extractions of every page under ``paths`` (files or folders), one page in memory at a time."""
    for path in page_files(paths):
        yield read_page(path, resolver)
