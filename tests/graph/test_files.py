"""One atomic writer for maps, exports and the page register: the umask's permissions, and never half a file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.files import write_atomically
from graph.pipeline.store import PAGES_FILE, register_pages
from graph.sinks.exports import write_export
from graph.sinks.maps import MapRequest, build_map, render_map_html, write_map
from graph.views.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def umask() -> Iterator[object]:
    """``os.umask`` for one test (call it to set the process umask); the previous umask is restored afterwards."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


def mode(path: Path) -> int:
    """The permission bits of a file."""
    return stat.S_IMODE(path.stat().st_mode)


def test_maps_exports_and_the_page_register_get_the_umask_permissions(tmp_path: Path, kg: KnowledgeGraph,
                                                                     umask) -> None:  # noqa: ANN001
    umask(0o022)
    html = render_map_html(build_map(kg.nx, MapRequest(focus="theory/attachment-theory", depth=1)))
    write_map(tmp_path / "maps" / "attachment.html", html)
    written = [tmp_path / "maps" / "attachment.html"]
    written += write_export(kg.store, None, "ttl", tmp_path / "graph.ttl")
    written += write_export(kg.store, kg.nx, "csv", tmp_path / "csv")
    register_pages(tmp_path / "store", [tmp_path / "page.txt"])
    written.append(tmp_path / "store" / PAGES_FILE)
    assert [(p.name, oct(mode(p))) for p in written] == [(p.name, "0o644") for p in written]
    assert (tmp_path / "maps" / "attachment.html").read_text(encoding="utf-8") == html
    assert len(written) == 5 and (tmp_path / "graph.ttl").stat().st_size > 100_000
    umask(0o077)
    write_map(tmp_path / "maps" / "private.html", html)
    assert mode(tmp_path / "maps" / "private.html") == 0o600  # the umask decides for a new file


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, kg: KnowledgeGraph, umask) -> None:  # noqa: ANN001
    umask(0o022)
    target = tmp_path / "map.html"
    target.write_text("old map")
    assert mode(target) == 0o644
    write_map(target, "<!DOCTYPE html><title>new</title>")
    assert mode(target) == 0o644 and target.read_text() == "<!DOCTYPE html><title>new</title>"
    umask(0o077)
    write_export(kg.store, None, "nt", target)
    assert mode(target) == 0o644 and target.read_bytes().startswith(b"<https://")
    target.chmod(0o640)
    write_atomically(target, b"again")
    assert mode(target) == 0o640 and target.read_bytes() == b"again"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temporary files left behind


def test_a_failure_while_encoding_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    write_map(target, "the old map")
    with pytest.raises(UnicodeEncodeError):
        write_map(target, "half a map, then a lone surrogate \ud800")
    assert target.read_text() == "the old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


FULL_DISK = """
import resource, signal, sys
from graph.sinks.maps import write_map
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    write_map(sys.argv[1], "x" * 100_000)
except OSError as error:
    print(error.errno)
"""


def test_a_failure_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    write_map(target, "the old map")
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(target)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120, check=True)
    assert done.stdout.strip() == "27"  # EFBIG: the write stopped after 4 KB of 100 KB
    assert target.read_text() == "the old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
