"""Data tables (HTML or Markdown) as label lines: one record per approach, so the extractor reads them as prose."""

from __future__ import annotations

import re

from loaders.extract.lexicon import lexicon

MAX_CELL_WORDS = 40  # a cell longer than this is prose in a layout table, not a value
_LABEL_END = re.compile(r"[\s:]+$")

Line = tuple[str, str]  # (text, kind): kind "para" or "heading"


def is_attribute(cell: str) -> bool:
    """Whether a table cell names an attribute the extractor reads as a label line ("Developed by", "Year",
    "Used for"; the label keys of ``loaders/extract/lexicon.yaml``)."""
    return _LABEL_END.sub("", cell).lower() in lexicon().label_keys


def table_records(grid: list[list[str]], header_rows: int) -> list[Line] | None:
    """A table's cells (rows of strings, header rows first) as label lines, or None when it is no data table.

    * Two columns and no header row (an infobox): one ``"Key: Value"`` line per row.
    * A header row: one record per entity, as a heading line naming it and one ``"Attribute: Value"`` line per
      cell. Entities run down the first column unless the first column holds the attribute names and the header row
      does not ("| | CBT | DBT |" over "| Developed by | Beck | Linehan |"), the two layouts of comparison tables
      (HTML's ``<th scope>`` would tell the same, but few pages set it). Without a marked header the first row is
      taken as one.

    None (the caller reads the table as it would any text) when there are fewer than two rows or columns, or a cell
    holds more than ``MAX_CELL_WORDS`` words (a layout table around prose).
    """
    rows = [row for row in grid if any(cell.strip() for cell in row)]
    width = max((len(row) for row in rows), default=0)
    if len(rows) < 2 or width < 2 or any(len(cell.split()) > MAX_CELL_WORDS for row in rows for cell in row):
        return None
    rows = [row + [""] * (width - len(row)) for row in rows]
    if header_rows == 0 and width == 2:
        return [(f"{key.rstrip(': ')}: {value}", "para") for key, value in rows if key and value]
    header_rows = max(header_rows, 1)
    header, body = rows[header_rows - 1], rows[header_rows:]
    down_first_column = sum(map(is_attribute, (row[0] for row in body))) <= sum(map(is_attribute, header[1:]))
    records: list[tuple[str, list[tuple[str, str]]]]
    if down_first_column:
        records = [(row[0], list(zip(header[1:], row[1:], strict=True))) for row in body]
    else:
        records = [(header[column], [(row[0], row[column]) for row in body]) for column in range(1, width)]
    lines: list[Line] = []
    for name, values in records:
        if name:
            lines.append((name, "heading"))
            lines.extend((f"{key.rstrip(': ')}: {value}", "para") for key, value in values if key and value)
    return lines
