"""Page extraction time grows linearly with page length, also for one long line or text with no punctuation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from loaders.extract import extract_with_warnings
from loaders.registry import read_page_text
from ontology.records import Source

PAGES = Path(__file__).resolve().parent.parent / "resources" / "pages"
SOURCE = Source("page-long", "a long page", "web-page")


def sample_text() -> str:
    """The readable text of the largest development page (the material the long pages repeat)."""
    page = max((p for p in PAGES.iterdir() if p.suffix in (".txt", ".md", ".html")), key=lambda p: p.stat().st_size)
    read = read_page_text(page)
    return read.format.module.readable_text(read.raw)[0]


def cpu_seconds(text: str) -> float:
    started = time.process_time()
    extract_with_warnings(text, SOURCE)
    return time.process_time() - started


@pytest.mark.parametrize(
    "shape",
    ["paragraphs", "one long line", "no punctuation"],
)
def test_a_one_megabyte_page_takes_seconds_and_linear_time(shape: str) -> None:
    text = sample_text()
    if shape == "one long line":
        text = text.replace("\n", " ")
    elif shape == "no punctuation":
        text = "".join(" " if ch in ".,;:!?()[]\n\"'" else ch for ch in text)
    unit = text + ("\n\n" if shape == "paragraphs" else " ")

    def page(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    quarter, full = cpu_seconds(page(256 * 1024)), cpu_seconds(page(1024 * 1024))
    # About 4 s of CPU on a quiet core today (quadratic before: 41 s); generous bounds for a loaded machine.
    assert full < 60, f"1 MB took {full:.1f} s of CPU"
    assert full < 8 * quarter + 2, f"0.25 MB {quarter:.2f} s, 1 MB {full:.2f} s: not linear"
