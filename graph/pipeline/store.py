"""The embedded Oxigraph store on disk: fingerprinted builds swapped in atomically, opened read-only."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.files import write_atomically

CURRENT = "current"
BUILDS = "builds"
PAGES_FILE = "pages.json"


def default_store_dir() -> Path:
    """Where the store lives: $TKG_STORE, else ~/.cache/therapy-kg/store."""
    configured = os.environ.get("TKG_STORE")
    if configured:
        return Path(configured).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "therapy-kg" / "store"


@dataclass(frozen=True)
class BuildInfo:
    """What a finished build recorded about itself."""

    fingerprint: str
    quads: int
    seconds: float
    path: Path
    shacl: dict[str, Any] | None = None  # what SHACL found at build time (ShaclRun.record()); None: not validated


@contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock so two processes never build the same store at once."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with open(store_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_build(store_dir: Path) -> BuildInfo | None:
    """The build the store currently serves, or None before the first successful build."""
    link = store_dir / CURRENT
    if not link.is_symlink():
        return None
    path = (store_dir / os.readlink(link)).resolve()
    meta = path / "meta.json"
    if not meta.exists():
        return None
    data = json.loads(meta.read_text())
    return BuildInfo(data["fingerprint"], data["quads"], data["seconds"], path, data.get("shacl"))


def write_build(store_dir: Path, fingerprint: str, quads: Iterable[ox.Quad], started: float,
                shacl: dict[str, Any] | None = None) -> BuildInfo:
    """Write quads to a fresh build folder, then atomically point ``current`` at it; old builds are pruned.

    ``shacl`` is what validation found (``ShaclRun.record()``), kept in ``meta.json`` for ``tkg stats``.

    Until the final rename nothing the readers see changes, so a failure leaves the previous store intact.
    """
    builds = store_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    staging = builds / f"{fingerprint}.partial-{os.getpid()}"
    final = builds / fingerprint
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        store = ox.Store(str(staging / "oxigraph"))
        count = 0

        def counted() -> Iterator[ox.Quad]:
            nonlocal count
            for quad in quads:
                count += 1
                yield quad

        store.bulk_extend(counted())
        store.flush()
        store.optimize()
        del store
        seconds = time.perf_counter() - started
        (staging / "meta.json").write_text(json.dumps({"fingerprint": fingerprint, "quads": count,
                                                        "seconds": round(seconds, 3), "shacl": shacl}))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link_tmp = store_dir / f".{CURRENT}.{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(os.path.join(BUILDS, fingerprint), link_tmp)
    os.replace(link_tmp, store_dir / CURRENT)
    _prune_builds(builds, keep={fingerprint})
    return BuildInfo(fingerprint, count, seconds, final, shacl)


def _prune_builds(builds: Path, keep: set[str]) -> None:
    """Remove builds other than the newest few (readers may still hold the previous one open)."""
    finished = sorted((p for p in builds.iterdir() if ".partial-" not in p.name),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in finished[2:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def open_read_only(build: BuildInfo) -> ox.Store:
    """Open a finished build for reading (many readers may do so at once)."""
    return ox.Store.read_only(str(build.path / "oxigraph"))


def registered_pages(store_dir: Path) -> list[Path]:
    """Pages added with ``tkg build --pages`` (absolute paths, in the order added); they stay part of the graph
    until ``tkg pages remove``. A pages file that is not a JSON list of paths raises ValueError naming it."""
    path = store_dir / PAGES_FILE
    if not path.exists():
        return []
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: cannot read the list of registered pages ({error})") from None
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise ValueError(f"{path}: is not a JSON list of page paths")
    return [Path(p) for p in listed]


def _write_pages(store_dir: Path, known: list[str]) -> None:
    store_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(store_dir / PAGES_FILE, json.dumps(known, indent=1, ensure_ascii=False))


def register_pages(store_dir: Path, pages: Iterable[Path]) -> list[Path]:
    """Add pages to the registered list (absolute, deduplicated, order kept) and return the whole list."""
    known = [str(p) for p in registered_pages(store_dir)]
    for page in pages:
        absolute = str(Path(page).resolve())
        if absolute not in known:
            known.append(absolute)
    _write_pages(store_dir, known)
    return [Path(p) for p in known]


def unregister_pages(store_dir: Path, pages: Iterable[Path]) -> list[Path]:
    """Remove pages (compared as absolute paths) from the registered list and return what is left, order kept."""
    listed = list(pages)
    gone = {str(Path(page).resolve()) for page in listed} | {str(page) for page in listed}
    known = [str(p) for p in registered_pages(store_dir) if str(p) not in gone]
    _write_pages(store_dir, known)
    return [Path(p) for p in known]
