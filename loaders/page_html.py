"""HTML therapy pages (as saved by a browser): readable text via selectolax, boilerplate dropped, then parsed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from loaders.extract import extract_records
from loaders.tables import table_records
from ontology.records import Entity, Fact, Source

TEXT_BASIS = "the readable text extracted from the HTML (scripts, navigation, adverts and forms removed)"

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "label",
    "dialog",
    "link",
    "meta",
)
_BOILER_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|cookie|consent|banner|advert|ads?|sponsor|promo|sidebar"
    r"|breadcrumbs?|signup|sign-up|newsletter|subscribe|directory|provider-cta|cta|share|social|modal|popup"
    r"|skip-link|site-header|masthead|related|comments?|loading|spinner|skeleton)(?:$|[\s_-])",
    re.I,
)
_BOILER_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"})
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "thead",
        "tbody",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "br",
        "address",
        "details",
        "summary",
    ]
)
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_SPACE = re.compile(r"\s+")


def _is_boilerplate(node: Node) -> bool:
    attributes = node.attributes
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    if (attributes.get("role") or "") in _BOILER_ROLES:
        return True
    marker = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    return bool(marker.strip()) and bool(_BOILER_ATTR.search(marker))


def _content_root(tree: HTMLParser) -> Node | None:
    candidates = tree.css("main, article, [role=main]")
    if candidates:
        return max(candidates, key=lambda n: len(n.text(strip=True)))
    return tree.body


class _Lines:
    """Collects rendered lines, their kinds and which of them a ``<br>`` ended (a list written with line breaks)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.kinds: list[str] = []
        self.broken: list[bool] = []  # the line was ended by <br> (and so continues into the next one)
        self.buffer: list[str] = []
        self.kind = "para"
        self.last_heading = ""  # the text of the last heading line (the section a table's records stand in)

    def flush(self, broken: bool = False) -> None:
        line = _SPACE.sub(" ", "".join(self.buffer)).strip()
        if line and line not in ("•",) and not re.fullmatch(r"(?:\d+\.|•)", line):
            if self.kind == "heading":
                self.last_heading = line
            self.lines.append(line)
            self.kinds.append(self.kind)
            self.broken.append(broken)
        elif not broken and self.broken:
            self.broken[-1] = False
        self.buffer = []
        if not broken:
            self.kind = "para"

    def br_lists(self) -> None:
        """Lines split by ``<br>`` inside one block become list items when they read like one ("Depression<br>
        Psychosis" after "especially helpful for:"), as ``<ul>`` items would."""
        index = 0
        while index < len(self.lines):
            end = index
            while end < len(self.lines) - 1 and self.broken[end] and self.kinds[end] != "heading":
                end += 1
            group = list(range(index, end + 1))
            if len(group) >= 2:
                label = _is_label(self.lines[group[0]], [self.lines[i] for i in group[1:]])
                intro = self.lines[group[0]].endswith(":") or label
                items = group[1:] if intro else group
                if len(items) >= 2 and all(_listish(self.lines[i]) for i in items):
                    for i in items:
                        if not _BULLETED.match(self.lines[i]):
                            self.lines[i] = "• " + self.lines[i]
                        self.kinds[i] = "item"
                    if label:  # "<b>Problems it has been used for</b><br>- phobias<br>- ...": the list's heading
                        self.kinds[group[0]] = "heading"
            index = end + 1

    def start(self, kind: str, prefix: str = "") -> None:
        self.flush()
        self.kind = kind
        if prefix:
            self.buffer.append(prefix)


_BULLET_MARK = r"[•●▪◦·‣∙*+–—-]"
_BULLETED = re.compile(_BULLET_MARK + r"\s")  # "• Depression", "- phobias"
_MARKED_ITEM = re.compile(rf"(?:{_BULLET_MARK}|\d{{1,2}}[.)])\s")  # bulleted or numbered: "1. Assessment"


def _is_label(first: str, rest: list[str]) -> bool:
    """Whether the first of several <br> lines labels the others: it is short, unmarked and ends without a full stop,
    and every line after it carries its own bullet or number ("- phobias", "1. Assessment")."""
    return (len(first.split()) <= 8 and not first.endswith((".", ":")) and not _MARKED_ITEM.match(first)
            and all(_MARKED_ITEM.match(line) for line in rest))


def _listish(line: str) -> bool:
    """Whether a line split off by <br> reads like a list item: short, or already bulleted or numbered, not a
    sentence run."""
    return bool(_MARKED_ITEM.match(line)) or (len(line.split()) <= 8 and not line.endswith((".", ":")))


_LAYOUT_TAGS = "table table, p, ul, ol, dl, h1, h2, h3, h4, h5, h6, div, blockquote"


def _cell_text(cell: Node) -> str:
    """A cell's text on one line; lines inside it (``<br>``, list items) joined with commas ("Depression, Anxiety")."""
    parts = [_SPACE.sub(" ", part).strip() for part in cell.text(separator="\n", strip=False).split("\n")]
    return ", ".join(part for part in parts if part)


def data_table_lines(table: Node) -> list[tuple[str, str]] | None:
    """An HTML data table as label lines (see :func:`loaders.tables.table_records`), or None for a layout table
    (block elements or prose in its cells). ``<th>`` rows, or rows inside ``<thead>``, at the top are the header."""
    if table.css_first(_LAYOUT_TAGS) is not None:
        return None
    grid: list[list[str]] = []
    header_rows = 0
    for row in table.css("tr"):
        cells: list[str] = []
        all_th = True
        in_head = row.parent is not None and row.parent.tag == "thead"
        for cell in row.iter():
            if cell.tag not in ("td", "th"):
                continue
            all_th = all_th and (cell.tag == "th" or in_head)
            text = _cell_text(cell)
            span = cell.attributes.get("colspan") or "1"
            cells.extend([text] * (int(span) if span.isdigit() and 0 < int(span) < 20 else 1))
        if any(cells):
            if all_th and len(grid) == header_rows:
                header_rows += 1
            grid.append(cells)
    return table_records(grid, header_rows)


def _walk(root: Node, lines: _Lines) -> None:
    stack: list[tuple[Node, bool]] = [(root, False)]
    counters: list[int] = []
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag in ("ol", "ul"):
                counters.pop()
            if tag == "dt":
                lines.buffer.append(": ")  # <dt>Term</dt><dd>Definition</dd> reads as "Term: Definition"
            elif tag in _BLOCK_TAGS and tag != "br":
                lines.flush()
            continue
        if tag == "-text":
            lines.buffer.append(node.text_content or "")
            continue
        if tag in _DROP_TAGS or tag == "-comment" or (tag != "html" and _is_boilerplate(node)):
            continue
        if tag in _HEADING_TAGS:
            lines.start("heading")
        elif tag == "li":
            ordered = counters and counters[-1] >= 0
            if ordered:
                counters[-1] += 1
            lines.start("item", f"{counters[-1]}. " if ordered else "• ")
        elif tag in ("ol", "ul"):
            counters.append(0 if tag == "ol" else -1)
            lines.flush()
        elif tag == "br":
            lines.flush(broken=True)
        elif tag in _BLOCK_TAGS and not (tag == "dd" and lines.buffer):
            lines.flush()
        elif tag in ("td", "th"):
            lines.buffer.append(" ")
        if tag == "table" and (records := data_table_lines(node)) is not None:
            lines.flush()
            enclosing = lines.last_heading
            for line, kind in records:
                lines.start(kind)
                lines.buffer.append(line)
            lines.flush()
            if enclosing and any(kind == "heading" for _line, kind in records):
                lines.start("heading")  # the section the table stood in resumes after its records
                lines.buffer.append(enclosing)
                lines.flush()
            lines.last_heading = enclosing
            continue
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


def readable_text(html: str) -> tuple[str, frozenset[int]]:
    """Readable text of an HTML page (one block per line, blank lines between) and its heading offsets."""
    tree = HTMLParser(html)
    root = _content_root(tree)
    lines = _Lines()
    if root is not None:
        _walk(root, lines)
        lines.flush()
        lines.br_lists()
    items = list(zip(lines.lines, lines.kinds, strict=True))
    first_h1 = next((i for i, (line, kind) in enumerate(items) if kind == "heading"), None)
    h1_nodes = tree.css("h1")
    if h1_nodes and first_h1 is not None:
        h1_text = _SPACE.sub(" ", h1_nodes[0].text()).strip()
        index = next((i for i, (line, kind) in enumerate(items) if kind == "heading" and line == h1_text), first_h1)
        items = items[index:]
    elif items:
        title_node = tree.css_first("title")
        title = _SPACE.sub(" ", title_node.text()).strip() if title_node else ""
        title = re.split(r"\s+[|–—-]\s+", title)[0] if title else ""
        if title:
            items.insert(0, (title, "heading"))
    text_parts: list[str] = []
    headings: set[int] = set()
    offset = 0
    for line, kind in items:
        if kind == "heading":
            headings.add(offset)
        text_parts.append(line)
        offset += len(line) + 2
    return "\n\n".join(text_parts), frozenset(headings)


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of an HTML page (pure); offsets index into ``readable_text(text)[0]``."""
    plain, headings = readable_text(text)
    yield from extract_records(plain, source, headings)
