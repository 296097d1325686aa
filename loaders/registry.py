"""File type -> loader: detection by extension and content sniffing, and the I/O edge that reads one page."""

from __future__ import annotations

import codecs
import hashlib
import importlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from anyascii import anyascii

from ontology.records import Entity, Extraction, Fact, RecordError, Source

if TYPE_CHECKING:
    from loaders.extract import Gazetteer

LOG = logging.getLogger("therapy_kg.loaders")
MAX_PAGE_BYTES = 5 * 1024 * 1024
PAGE_ID_PREFIX = "page-"  # every page's source id starts with it; curated sources never do


@dataclass(frozen=True)
class Format:
    """One registered input format: its name, file extensions, loader module and what kind of input it is.

    ``loader`` is the module or its dotted name (``"loaders.page_html"``); a name is imported on first use of
    :attr:`module`, so listing formats or reading content never pays for the page extractor's import (its
    regular expressions compile at import: about 0.4 s of CPU).
    """

    name: str
    extensions: tuple[str, ...]
    loader: ModuleType | str
    kind: str = "page"  # "page": read_page handles it; "content": curated YAML, read by the build

    @property
    def module(self) -> ModuleType:
        """The loader module, imported now if it was registered by name (ImportError if there is none)."""
        if isinstance(self.loader, ModuleType):
            return self.loader
        return importlib.import_module(self.loader)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add a format to the registry (later registrations of the same name replace earlier ones)."""
    FORMATS[fmt.name] = fmt


register(Format("text", (".txt", ".text"), "loaders.page_text"))
register(Format("markdown", (".md", ".markdown", ".mdown", ".mkd"), "loaders.page_markdown"))
register(Format("html", (".html", ".htm", ".xhtml", ".shtml"), "loaders.page_html"))
register(Format("content-yaml", (".yaml", ".yml"), "loaders.content_yaml", kind="content"))


def extensions(kind: str = "page") -> tuple[str, ...]:
    """The file extensions (lower case, with the dot, e.g. ``.xhtml``) of the registered formats of one ``kind``
    (``page`` or ``content``), in registration order: the one list every folder search and upload widget uses."""
    return tuple(dict.fromkeys(ext for f in FORMATS.values() if f.kind == kind for ext in f.extensions))


def format_names(kind: str = "page") -> tuple[str, ...]:
    """The names of the registered formats of one ``kind`` (``text``, ``markdown``, ``html`` for pages)."""
    return tuple(f.name for f in FORMATS.values() if f.kind == kind)

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


# Encoding labels as the WHATWG Encoding Standard maps them (https://encoding.spec.whatwg.org/#names-and-labels):
# browsers read these labels as the codec on the right, so a page saved by a browser means that codec.
_WHATWG_LABELS: dict[str, str] = {
    "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
    "l1": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
    "big5": "cp950", "big5-hkscs": "big5hkscs", "x-mac-roman": "mac_roman", "macintosh": "mac_roman",
}
# What a guess may pick: the legacy encodings of the WHATWG Encoding Standard that Python ships, plus UTF-16 without
# a byte-order mark. Leaving out EBCDIC and DOS code pages keeps short English pages from being read as Big5 or cp037.
GUESS_CANDIDATES: tuple[str, ...] = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic",
    "cp932", "euc_jp", "iso2022_jp", "gb18030", "cp950", "big5hkscs", "cp949", "utf_16_le", "utf_16_be",
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.I)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def encoding_name(codec: str) -> str:
    """The name people know a Python codec by ("cp1250" -> "Windows-1250", "utf_16_le" -> "UTF-16-LE")."""
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "Windows-" + name[2:]
    return {"cp932": "Shift_JIS (Windows-31J)", "cp949": "EUC-KR (Windows-949)", "cp950": "Big5 (Windows-950)",
            "mac-roman": "Mac OS Roman", "mac-cyrillic": "Mac OS Cyrillic", "cp874": "Windows-874"}.get(
        name, name.upper().replace("_", "-").replace("ISO8859-", "ISO-8859-"))


def declared_encoding(head: bytes) -> str | None:
    """The encoding a page declares in its first bytes: ``<meta charset>``, ``<meta http-equiv=Content-Type
    content="...; charset=...">`` or an XML declaration; the label as written, or None."""
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").strip().lower() if match else None


def _codec_for_label(label: str) -> str | None:
    try:
        return codecs.lookup(_WHATWG_LABELS.get(label, label)).name
    except LookupError:
        return None


def mojibake_score(text: str) -> int:
    """How many characters look like a wrong guess: a non-ASCII symbol, digit or control glued to a letter
    (``£ukasz``, ``zosta³a``: Windows-1250 read as Windows-1252), and a non-ASCII capital right after a small letter
    (KOI8-R read as Windows-1251). Punctuation (``don’t``) does not count. Lower is more plausible."""
    score = 0
    last = len(text) - 1
    for match in _NON_ASCII.finditer(text):
        i = match.start()
        char = text[i]
        before = text[i - 1] if i else " "
        if char.isalpha():
            score += char.isupper() and before.islower()
        elif unicodedata.category(char)[0] != "P" and not char.isspace():
            score += before.isalpha() or (i < last and text[i + 1].isalpha())
    return score


def guess_encoding(data: bytes) -> str | None:
    """The most plausible codec of undeclared, non-UTF-8 bytes, or None when no candidate decodes them.

    charset-normalizer ranks :data:`GUESS_CANDIDATES` (its chaos and language-coherence measures); its plausible
    answers (chaos under 10%) are then ordered by :func:`mojibake_score` on the first 64 KB, which separates
    Windows-1250 from Windows-1252 on short pages where a few Polish or Czech names are the only clue, then by its
    chaos and coherence; on a tie, and where two codecs decode the bytes identically, Windows-1252 (the web's
    default, the HTML Standard's fallback for most locales) wins.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(GUESS_CANDIDATES), threshold=0.2))
    if not matches:
        return None
    plausible = [m for m in matches if m.chaos < 0.1] or matches[:1]
    head = data[:65536]

    def same_output(rank: int) -> set[str]:
        return {codecs.lookup(c).name for c in plausible[rank].could_be_from_charset}

    def score(rank: int) -> tuple[int, float, float, bool, int]:
        match = plausible[rank]
        mojibake = mojibake_score(head.decode(match.encoding, errors="replace"))
        return mojibake, round(match.chaos, 3), -round(match.coherence, 3), "cp1252" not in same_output(rank), rank

    best = min(range(len(plausible)), key=score)
    return "cp1252" if "cp1252" in same_output(best) else codecs.lookup(plausible[best].encoding).name


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit almost all at odd/even offsets (ASCII-range characters)."""
    sample = data[:4096]
    zeros = sample.count(0)
    if zeros < max(4, len(sample) // 50):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.9 * zeros:
        return "utf-16-le"
    if even >= 0.9 * zeros:
        return "utf-16-be"
    return None


def decode_page(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode page bytes; returns ``(text, warnings)``, line ends normalised to ``\\n``; RecordError names the file.

    Order (after the HTML Standard's "determining the character encoding", then a guess): a byte-order mark
    (UTF-8/16/32); the declared encoding (``<meta charset>``, ``http-equiv`` Content-Type, XML declaration; labels
    mapped as WHATWG does, so "iso-8859-1" is Windows-1252), except that bytes which are valid UTF-8 with non-ASCII
    characters are read as UTF-8 with a warning (pages re-saved as UTF-8 often keep their old declaration);
    UTF-16 without BOM (NUL bytes at alternate offsets); UTF-8; else :func:`guess_encoding` (charset-normalizer),
    with a warning naming the encoding chosen. Binary files (magic numbers, NULs, control characters) are refused.
    """
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
    utf16 = _utf16_without_bom(data)
    label = None if utf16 else declared_encoding(data[:4096])
    if label is not None:
        codec = _codec_for_label(label)
        if codec is None:
            warnings.append(f"{name}: declares the unknown encoding {label!r}; guessing instead")
        elif codec.startswith("utf-16") or codec.startswith("utf-32"):
            warnings.append(f"{name}: declares {label!r} but has no byte-order mark and reads as ASCII; guessing")
        else:
            declared = _decode_declared(data, codec, label, name, warnings)
            if declared is not None:
                return _check_text(declared, name), warnings
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as error:
            raise RecordError(f"{name}: looks like {utf16.upper()} without a byte-order mark (NUL bytes at "
                              f"alternate offsets) but does not decode as {utf16.upper()}: {error.reason}") from None
        text = _check_text(text, name)
        return text, [*warnings, f"{name}: no byte-order mark; read as {utf16.upper()}"]
    if 0 in data[:4096]:
        raise RecordError(f"{name}: binary data (NUL bytes), not a text, Markdown or HTML page")
    try:
        return _check_text(data.decode("utf-8"), name), warnings
    except UnicodeDecodeError:
        pass
    codec = guess_encoding(data)
    if codec is None:
        raise RecordError(f"{name}: not valid UTF-8, declares no encoding, and no known encoding fits its bytes")
    text = _check_text(data.decode(codec, errors="replace"), name)
    why = "not valid UTF-8" if label is None else f"declared {label!r} does not fit"
    warnings.append(f"{name}: {why}; read as {encoding_name(codec)} (guessed by charset-normalizer)")
    return text, warnings


def _decode_declared(data: bytes, codec: str, label: str, name: str, warnings: list[str]) -> str | None:
    """The bytes decoded as the page declares, or None (with a warning) when they do not fit the declaration."""
    if codec != "utf-8" and not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"{name}: declares {label!r} but its bytes are UTF-8; read as UTF-8")
            return text
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        warnings.append(f"{name}: declares {label!r} but byte {error.start} does not fit it")
        return None


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

_SPECIAL_FILES: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_large(name: str, size: int, max_bytes: int) -> RecordError:
    return RecordError(f"{name}: the file is too large ({size / 1048576:.1f} MB; the limit for one page is "
                       f"{max_bytes / 1048576:.1f} MB)")


def check_page_file(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> int:
    """The size in bytes of a page file that may be read, judged from ``stat`` alone (nothing is opened).

    RecordError naming the file when it does not exist, is a folder, is not a regular file (a FIFO, a device such
    as ``/dev/zero``, a socket: refused at once, so reading never blocks or runs forever) or is over ``max_bytes``.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise RecordError(f"{name}: no such file") from None
    except OSError as error:
        raise RecordError(f"{name}: cannot read page: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise RecordError(f"{name}: is a folder; give page files (or use read_pages for folders)")
    if not stat.S_ISREG(info.st_mode):
        kind = next((what for test, what in _SPECIAL_FILES if test(info.st_mode)), "a special file")
        raise RecordError(f"{name}: is {kind}, not a regular file; only saved pages can be read")
    if info.st_size > max_bytes:
        raise _too_large(name, info.st_size, max_bytes)
    return info.st_size


def read_page_bytes(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a page file after :func:`check_page_file`; opened non-blocking and checked again on the open
    file, and never more than ``max_bytes`` read (a file swapped or grown after ``stat`` is still refused)."""
    name = str(path)
    check_page_file(path, max_bytes)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise RecordError(f"{name}: cannot read page: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise RecordError(f"{name}: is not a regular file; only saved pages can be read")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise RecordError(f"{name}: cannot read page: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return data


@dataclass
class PageText:
    """A page file decoded and its format detected, before any extraction."""

    raw: str
    format: Format
    warnings: list[str] = field(default_factory=list)


def read_page_text(path: str | Path, max_bytes: int = MAX_PAGE_BYTES) -> PageText:
    """Check, read, decode and detect the format of one page (no extraction); RecordError names the file."""
    path = Path(path)
    name = str(path)
    raw, warnings = decode_page(read_page_bytes(path, max_bytes), name)
    fmt = detect_format(path, raw)
    if fmt.kind != "page":
        raise RecordError(f"{name}: is {fmt.name} content, not a page; put it in a content folder")
    return PageText(raw, fmt, warnings)


def _slug(name: str, limit: int) -> str:
    from loaders.extract.names import slugify  # the extractor package: imported only once a page is named

    return slugify(anyascii(name), limit)


def page_source_id(path: Path) -> str:
    """``page-<file stem>``: the stem transliterated to ASCII with anyascii, then slugged (``Психодрама.txt`` ->
    ``page-psikhodrama``, ``Ψυχόδραμα.md`` -> ``page-psychodrama``); ``page-untitled`` if nothing readable is left.
    ASCII stems give the same ids as before transliteration was added."""
    return PAGE_ID_PREFIX + (_slug(path.stem, 60) or "untitled")


def page_source_ids(paths: Iterable[Path]) -> dict[Path, str]:
    """Distinct source ids for a set of pages, keyed by the paths as given, assigned in order.

    Each page gets :func:`page_source_id`; a page whose id an earlier page already holds (the same file name in
    another folder) gets ``-<its folder's slug>`` added, or else ``-<8 hex digits of the SHA-1 of its resolved
    path>``. Earlier pages keep their ids, so adding a page never renames the pages registered before it.
    """
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for path in paths:
        if path in ids:
            continue
        base = page_source_id(path)
        resolved = Path(path).resolve()
        folder = _slug(resolved.parent.name, 40)
        digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
        candidates = [base, *([f"{base}-{folder}"] if folder else []), f"{base}-{digest}"]
        chosen = next((c for c in candidates if c not in taken), f"{base}-{digest}-{len(ids)}")
        taken.add(chosen)
        ids[path] = chosen
    return ids


def page_source(path: Path, readable: str, source_id: str | None = None) -> Source:
    """The Source record of a page: id ``source_id`` or :func:`page_source_id`, title from its first line."""
    stripped = readable.lstrip()
    newline = stripped.find("\n")
    first_line = (stripped if newline < 0 else stripped[:newline]).strip() or path.name
    return Source(id=source_id or page_source_id(path), title=first_line[:200], kind="web-page")


def load_page(path: str | Path, resolver: Resolver | None = None, max_bytes: int = MAX_PAGE_BYTES,
              source_id: str | None = None, gazetteer: Gazetteer | None = None,
              log_warnings: bool = True) -> PageReading:
    """Read, decode, detect, extract and (optionally) resolve one page; RecordError names the file.

    Warnings are in :attr:`PageReading.warnings`; they also go to the ``therapy_kg.loaders`` logger unless
    ``log_warnings`` is false (a caller that shows them itself, so each is printed once).

    ``source_id`` overrides :func:`page_source_id` (the build passes :func:`page_source_ids` so that pages with
    the same file name in different folders stay distinct). ``gazetteer``: the names the curated graph knows
    (``Gazetteer.from_name_index``), so approaches named without a therapy word ("Psychodrama") are found; the
    build passes it with the resolver.
    """
    from loaders.extract import extract_with_warnings  # compiles the extractor's patterns: only when a page is read

    path = Path(path)
    name = str(path)
    page = read_page_text(path, max_bytes)
    fmt, warnings = page.format, page.warnings
    readable, headings = fmt.module.readable_text(page.raw)
    source = page_source(path, readable, source_id)
    if not readable.strip():
        warnings.append(f"{name}: no readable text (only markup or scripts); nothing extracted")
        return PageReading(Extraction(source), readable, fmt.name, fmt.module.TEXT_BASIS, warnings)
    records, extract_warnings = extract_with_warnings(readable, source, headings, gazetteer)
    warnings.extend(w.replace(source.id, name, 1) for w in extract_warnings)
    extraction = Extraction(
        source, [r for r in records if isinstance(r, Entity)], [r for r in records if isinstance(r, Fact)]
    )
    if resolver is not None:
        extraction = resolver(extraction)
    for warning in warnings if log_warnings else ():
        LOG.warning(warning)
    return PageReading(extraction, readable, fmt.name, fmt.module.TEXT_BASIS, warnings)


def read_page(path: str | Path, resolver: Resolver | None = None, source_id: str | None = None,
              gazetteer: Gazetteer | None = None) -> Extraction:
    """The extraction of one page file (text, Markdown or HTML); RecordError names the file on bad input."""
    return load_page(path, resolver, source_id=source_id, gazetteer=gazetteer).extraction


def page_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Page files among ``paths``: files as given, folders searched (sorted) for registered page extensions."""
    yield from _files(paths, set(extensions("page")))


def content_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Curated content files among ``paths``: files as given, folders searched (sorted) for content extensions."""
    yield from _files(paths, set(extensions("content")))


def _files(paths: Iterable[str | Path], suffixes: set[str]) -> Iterator[Path]:
    for location in paths:
        location = Path(location)
        if location.is_dir():
            yield from sorted(p for p in location.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        else:
            yield location


def read_pages(paths: Iterable[str | Path], resolver: Resolver | None = None) -> Iterator[Extraction]:
    """Stream extractions of every page under ``paths`` (files or folders), one page in memory at a time; source
    ids from :func:`page_source_ids`."""
    files = list(page_files(paths))
    ids = page_source_ids(files)
    for path in files:
        yield read_page(path, resolver, ids[path])
