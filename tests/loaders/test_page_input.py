"""Input handling of the page registry: declared and guessed encodings, UTF-16 without BOM, special files, ids."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from loaders.registry import (
    decode_page,
    guess_encoding,
    load_page,
    mojibake_score,
    page_source_id,
    page_source_ids,
    read_page_text,
)
from ontology.records import RecordError

POLISH = ("Gestalt Therapy\n\nGestalt therapy was developed by Fritz Perls in the 1940s. In Poland it was taught by "
          "Łukasz Żółkiewski and Agnieszka Wójcik, and later by Grzegorz Świątek in Łódź.\n")
POLISH_NAMES = ("Łukasz Żółkiewski", "Agnieszka Wójcik", "Grzegorz Świątek", "Łódź")
RUSSIAN = "Психодрама\n\nПсиходрама была разработана Якобом Морено в 1921 году в Вене.\n"


def test_windows_1250_page_without_declaration_reads_polish_names(tmp_path: Path) -> None:
    page = tmp_path / "gestalt-pl.txt"
    page.write_bytes(POLISH.encode("cp1250"))
    reading = load_page(page)
    for name in POLISH_NAMES:
        assert name in reading.text
    assert "£ukasz" not in reading.text  # what reading it as Windows-1252 gave
    assert any("read as Windows-1250 (guessed by charset-normalizer)" in w for w in reading.warnings)
    assert ("modality/gestalt-therapy", "developedBy", "theorist/fritz-perls") in {
        (f.subject, f.predicate, f.object) for f in reading.extraction.facts}


@pytest.mark.parametrize("head", [
    '<meta charset="windows-1250">',
    "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-2'>",
])
def test_declared_charset_is_honoured_before_guessing(tmp_path: Path, head: str) -> None:
    html = f"<html><head>{head}<title>Gestalt Therapy</title></head><body><h1>Gestalt Therapy</h1>" \
           f"<p>{POLISH.split(chr(10), 2)[2]}</p></body></html>"
    page = tmp_path / "gestalt.html"
    page.write_bytes(html.encode("cp1250" if "1250" in head else "iso8859_2"))
    reading = load_page(page)
    assert all(name in reading.text for name in POLISH_NAMES)
    assert reading.warnings == [] and reading.format == "html"


def test_xml_declaration_is_honoured(tmp_path: Path) -> None:
    page = tmp_path / "gestalt.xhtml"
    page.write_bytes(('<?xml version="1.0" encoding="windows-1250"?>\n<html><body><p>' + POLISH.split("\n", 2)[2]
                      + "</p></body></html>").encode("cp1250"))
    assert "Łukasz Żółkiewski" in read_page_text(page).raw


def test_declarations_follow_the_whatwg_labels_and_yield_to_real_utf8() -> None:
    quoted = "<meta charset=iso-8859-1><p>\u201cAttachment\u201d therapy, caf\u00e9</p>"
    text, warnings = decode_page(quoted.encode("cp1252"), "quotes.html")  # iso-8859-1 means Windows-1252 on the web
    assert "\u201cAttachment\u201d" in text and warnings == []
    text, warnings = decode_page(quoted.encode("utf-8"), "resaved.html")
    assert "\u201cAttachment\u201d" in text
    assert warnings == ["resaved.html: declares 'iso-8859-1' but its bytes are UTF-8; read as UTF-8"]
    text, warnings = decode_page(b"<meta charset=utf-8><p>Sch\xe9ma th\xe9rapie</p>", "wrong.html")
    assert "Schéma thérapie" in text
    assert warnings[0] == "wrong.html: declares 'utf-8' but byte 26 does not fit it"
    assert "read as Windows-1252" in warnings[1]
    _, warnings = decode_page(b"<meta charset=x-klingon><p>plain words \xe9</p>", "odd.html")
    assert warnings[0] == "odd.html: declares the unknown encoding 'x-klingon'; guessing instead"


def test_guess_separates_close_single_byte_encodings() -> None:
    assert guess_encoding(RUSSIAN.encode("koi8_r")) == "koi8-r"
    assert guess_encoding(RUSSIAN.encode("cp1251")) == "cp1251"
    assert guess_encoding(POLISH.encode("cp1250")) == "cp1250"
    french = "Thérapie brève: développée à Palo Alto, elle s’appuie sur l’hypnose. Très efficace.\n"
    assert guess_encoding(french.encode("cp1252")) == "cp1252"
    # the clue the guess uses: a Windows-1250 page read as Windows-1252 glues symbols to letters
    assert mojibake_score(POLISH.encode("cp1250").decode("cp1252")) == 6  # £u ¯ó ó³ ¹t £ó dŸ
    assert mojibake_score(POLISH) == 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_and_named(codec: str) -> None:
    text, warnings = decode_page(RUSSIAN.encode(codec), "ru.txt")
    assert text == RUSSIAN
    assert warnings == [f"ru.txt: no byte-order mark; read as {codec.upper()}"]


def test_broken_utf16_without_bom_is_named_in_the_error() -> None:
    data = "Schema Therapy was developed by Jeffrey Young.".encode("utf-16-le") + b"\x00\xd8A\x00"
    with pytest.raises(RecordError, match=r"broken.txt: looks like UTF-16-LE without a byte-order mark .* does "
                                          r"not decode as UTF-16-LE"):
        decode_page(data, "broken.txt")


@pytest.mark.timeout(20)
def test_special_files_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(RecordError, match=r"pipe.txt: is a named pipe \(FIFO\), not a regular file"):
        load_page(fifo)
    with pytest.raises(RecordError, match=r"^/dev/zero: is a character device, not a regular file"):
        load_page("/dev/zero")
    sock = tmp_path / "page.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    try:
        with pytest.raises(RecordError, match=r"page.sock: is a socket, not a regular file"):
            load_page(sock)
    finally:
        server.close()
    assert time.monotonic() - started < 5


def test_the_five_megabyte_limit_holds(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_bytes(b"Schema Therapy. " * (5 * 1024 * 1024 // 16) + b"x")
    with pytest.raises(RecordError, match=r"big.txt: the file is too large \(5.0 MB; the limit for one page is 5.0"):
        load_page(page)


def test_non_latin_file_names_get_distinct_readable_ids() -> None:
    names = [Path("Психодрама.txt"), Path("心理劇.md"), Path("Ψυχόδραμα.html")]
    assert [page_source_id(p) for p in names] == ["page-psikhodrama", "page-xinliju", "page-psychodrama"]
    assert page_source_id(Path("Sándor Ferenczi.txt")) == "page-sandor-ferenczi"
    assert page_source_id(Path("dbt-encyclopedia.txt")) == "page-dbt-encyclopedia"  # ASCII names as before
    assert page_source_id(Path("???.txt")) == "page-untitled"


def test_same_file_name_in_other_folders_gets_the_folder_then_a_digest(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "notes.txt", tmp_path / "b" / "notes.txt"
    third = tmp_path / "c" / "b" / "notes.txt"  # its folder is called "b" too
    ids = page_source_ids([first, second, third, first])
    assert ids[first] == "page-notes" and ids[second] == "page-notes-b"
    assert ids[third].startswith("page-notes-") and len(ids[third]) == len("page-notes-") + 8
    assert len(set(ids.values())) == 3
    assert page_source_ids([first]) == {first: "page-notes"}  # alone, the common case keeps its plain id
