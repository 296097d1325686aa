"""The embedded Oxigraph store on disk: immutable fingerprinted builds swapped in atomically, leased by readers."""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.files import write_atomically

CURRENT = "current"
BUILDS = "builds"
PAGES_FILE = "pages.json"
LEASE_FILE = "lease"
KEEP_UNLEASED = 2  # the current build and the one before it survive pruning even when no reader holds a lease

# Quads per bulk load: Oxigraph's bulk loader holds its whole input in memory (about 1 KB a quad, measured),
# so a build streams its quads in chunks; 100,000 costs no more CPU than one load of everything (5,000 modalities).
BULK_CHUNK = 100_000

@dataclass(frozen=True)
class NQuads:
    """Quads given as N-Quads documents (UTF-8 bytes, each of at most :data:`BULK_CHUNK` lines) made by the build's
    own mapping (``graph/pipeline/rdf.py``), whose IRIs are checked as they are made: Oxigraph parses them in
    lenient mode (without checking IRIs again), about as fast as it takes quads already made, while making the
    quads in Python cost 2-10x as much as writing their text."""

    documents: Iterable[bytes]


class StoreError(Exception):
    """The store folder cannot be used (not writable, full disk ...); the message names the folder and the cause."""


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
    """Hold an exclusive lock so two processes never build the same store at once.

    Raises StoreError naming the folder when it cannot be created or written (a read-only store)."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        handle = open(store_dir / ".lock", "a")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise StoreError(unusable(store_dir, error)) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def unusable(store_dir: Path, error: OSError) -> str:
    """One line saying why ``store_dir`` cannot be written, e.g. ``store folder /x is read-only (...)``."""
    cause = error.strerror or str(error)
    if isinstance(error, PermissionError) or error.errno == 30:  # EROFS
        return (f"store folder {store_dir} is not writable ({cause}: {error.filename or store_dir}); "
                "use --store or TKG_STORE to pick a writable folder")
    return f"store folder {store_dir} cannot be written ({cause}: {error.filename or store_dir})"


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


def write_build(store_dir: Path, fingerprint: str, quads: Iterable[ox.Quad] | NQuads, started: float,
                shacl: dict[str, Any] | None = None,
                check: Callable[[ox.Store], dict[str, Any] | None] | None = None) -> BuildInfo:
    """Write quads to a fresh build folder, then atomically point ``current`` at it; unused old builds are pruned.

    Call under :func:`build_lock`. Build folders are immutable: a rebuild with an unchanged fingerprint writes a
    new folder (``builds/<fingerprint>-<ms since epoch>``) instead of replacing the live one, so a reader never
    sees its build deleted or rewritten. Until the final rename of ``current`` nothing the readers see changes:
    a failure leaves the previous store intact. ``quads`` are quads or :class:`NQuads` documents. ``shacl`` is what
    validation found (``ShaclRun.record()``), kept in
    ``meta.json`` for ``tkg stats``. ``quads`` counts the quads stored (duplicates merged). Stale
    ``.partial-<pid>`` folders of processes that died mid-build are removed first. Raises StoreError when the
    folder cannot be written. ``check``, when given, runs on the written store before it is published (SHACL): it
    returns what to keep as ``shacl``, or raises to discard the build (the staging folder is removed).
    """
    try:
        return _write_build(store_dir, fingerprint, quads, started, shacl, check)
    except OSError as error:
        raise StoreError(unusable(store_dir, error)) from None


def _write_build(store_dir: Path, fingerprint: str, quads: Iterable[ox.Quad] | NQuads, started: float,
                 shacl: dict[str, Any] | None,
                 check: Callable[[ox.Store], dict[str, Any] | None] | None) -> BuildInfo:
    builds = store_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(builds)
    name = f"{fingerprint}-{time.time_ns() // 1_000_000}"
    while (builds / name).exists():
        name += "x"
    staging = builds / f"{name}.partial-{os.getpid()}"
    final = builds / name
    try:
        staging.mkdir(parents=True)
        store = ox.Store(str(staging / "oxigraph"))
        if isinstance(quads, NQuads):
            for document in quads.documents:
                store.bulk_load(document, format=ox.RdfFormat.N_QUADS, lenient=True)
        else:
            pending = iter(quads)
            while chunk := list(itertools.islice(pending, BULK_CHUNK)):  # bounded memory, see BULK_CHUNK
                store.bulk_extend(chunk)
        store.flush()
        store.optimize()
        if check is not None:
            shacl = check(store)
        count = len(store)
        del store
        seconds = time.perf_counter() - started
        (staging / LEASE_FILE).touch()
        (staging / "meta.json").write_text(json.dumps({"fingerprint": fingerprint, "quads": count,
                                                        "seconds": round(seconds, 3), "shacl": shacl}))
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link_tmp = store_dir / f".{CURRENT}.{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(os.path.join(BUILDS, name), link_tmp)
    os.replace(link_tmp, store_dir / CURRENT)
    prune_builds(builds, keep={name})
    return BuildInfo(fingerprint, count, seconds, final, shacl)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_partials(builds: Path) -> list[Path]:
    """Remove ``*.partial-<pid>`` folders whose process is gone (a build killed midway) and trash left by an
    interrupted prune; returns what was removed. A live process's partial folder is left alone."""
    removed = []
    for folder in builds.iterdir():
        stem, dot_partial, pid = folder.name.rpartition(".partial-")
        dead = bool(dot_partial and stem and pid.isdigit() and not _pid_alive(int(pid)))
        stale = dead or folder.name.startswith(".trash-")
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def prune_builds(builds: Path, keep: set[str]) -> list[str]:
    """Remove finished builds no reader leases, except ``keep`` and the newest :data:`KEEP_UNLEASED`; returns the
    names removed. A build is taken only while holding its lease file exclusively (never blocking: a build in use,
    i.e. leased by an open store, a query or the endpoint's workers, is skipped), and is renamed to ``.trash-*``
    before deletion, so a reader that leases it afterwards sees it gone and moves on to ``current``."""
    finished = sorted((p for p in builds.iterdir() if ".partial-" not in p.name and not p.name.startswith(".")),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for old in finished[KEEP_UNLEASED:]:
        if old.name in keep:
            continue
        try:
            handle = open(old / LEASE_FILE, "a")  # noqa: SIM115 (closed below)
        except OSError:
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # in use
            trash = builds / f".trash-{old.name}-{os.getpid()}"
            os.rename(old, trash)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(old.name)
    return removed


class BuildLease:
    """A shared lock on a build's lease file, held while a reader has the build open; pruning skips it."""

    def __init__(self, handle: IO[bytes] | None):
        self._handle = handle

    def release(self) -> None:
        """Let the build be pruned (idempotent)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> BuildLease:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def lease_build(store_dir: Path, build: BuildInfo, attempts: int = 20) -> tuple[BuildLease, BuildInfo]:
    """Lease ``build`` (shared lock on its lease file) so it is not pruned while in use; returns the lease and the
    build actually leased: if ``build`` was pruned before the lease was taken, the store's current build instead.
    Builds from before leases existed (no lease file, or a read-only folder) are used without one."""
    for _ in range(attempts):
        try:
            handle = open(build.path / LEASE_FILE, "rb")  # noqa: SIM115 (owned by the lease)
        except FileNotFoundError:
            if (build.path / "meta.json").exists():
                return BuildLease(None), build  # an old build without a lease file
            handle = None
        except OSError:
            return BuildLease(None), build
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_SH)
            if (build.path / "meta.json").exists():  # still there, not renamed to trash: leased
                return BuildLease(handle), build
            handle.close()
        latest = current_build(store_dir)
        if latest is None:
            break
        build = latest
    raise StoreError(f"store folder {store_dir}: build {build.path.name} vanished while being opened")


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
