"""The explorer's view of a build (networkx graph, name and search indexes, provenance tables) saved beside it."""

from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from graph.files import write_atomically
from graph.views.explore import SearchIndex, SourceInfo, provenance_tables
from graph.views.kg import KnowledgeGraph
from ontology.names import NameIndex

LOG = logging.getLogger("therapy_kg.build")
VIEW_FILE = "explorer-view.pickle"  # in the build's own folder: pruned with the build, never shared between builds
# Bumped whenever what the file holds changes shape; with the digest of VIEW_SHAPING_FILES and networkx's version
# it forms the key checked before the payload is read.
VIEW_FORMAT = 2  # 2: a ViewSummary between the key and the view
ROOT = Path(__file__).resolve().parents[2]
# The code that shapes the saved objects beyond what the build's fingerprint covers (graph/pipeline, loaders,
# ontology and graph/terms.py are in the fingerprint: graph.pipeline.build.store_shaping_files).
VIEW_SHAPING_FILES: tuple[Path, ...] = tuple(ROOT / "graph" / "views" / name for name in (
    "networkx_view.py", "datings.py", "explore.py", "lineage.py", "kg.py", "persisted_view.py"))


@dataclass
class ExplorerView:
    """What the explorer derives from a build before its first page: the networkx view (``kg.nx``), the name index
    (``kg.names``), the search index over both, and the sources, statement notes and literal details
    (:func:`graph.views.explore.provenance_tables`)."""

    graph: nx.MultiDiGraph
    names: NameIndex
    search: SearchIndex
    sources: dict[str, SourceInfo]
    notes: dict[tuple[str, str, str], list[str]]
    details: dict[str, list[tuple[str, str, str]]]


@dataclass(frozen=True)
class ViewSummary:
    """What the explorer's first page shows of a graph before its view is read: entities (nodes) and facts
    (edges) of the networkx view."""

    entities: int
    facts: int


def view_key(fingerprint: str) -> dict[str, Any]:
    """The key a saved view must carry to be used for a build with ``fingerprint``: the fingerprint, the file
    format, a 16-hex-digit digest of :data:`VIEW_SHAPING_FILES` and the networkx version (its classes are pickled)."""
    digest = hashlib.sha256()
    for path in VIEW_SHAPING_FILES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return {"format": VIEW_FORMAT, "fingerprint": fingerprint, "code": digest.hexdigest()[:16],
            "networkx": nx.__version__}


def build_view(kg: KnowledgeGraph) -> ExplorerView:
    """Derive the view from ``kg``'s store: the networkx view, name and search indexes, provenance tables (SPARQL).

    Seconds at 20,000 modalities (25,280 entities, 275,098 facts): about 9-15 s, most of it the networkx view."""
    sources, notes, details = provenance_tables(kg)
    return ExplorerView(kg.nx, kg.names, SearchIndex(kg.nx, kg.names), sources, notes, details)


def save_view(view: ExplorerView, path: Path, fingerprint: str) -> None:
    """Write ``view`` to ``path`` atomically (readers see the old file or the new one): a pickle of the key
    (:func:`view_key`), a pickle of its :class:`ViewSummary` (read alone by :func:`read_summary`), then a pickle
    of the view. Raises OSError when the folder cannot be written."""
    header = pickle.dumps(view_key(fingerprint), protocol=pickle.HIGHEST_PROTOCOL)
    summary = ViewSummary(view.graph.number_of_nodes(), view.graph.number_of_edges())
    write_atomically(path, header + pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)
                     + pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL))


class ViewUnusable(Exception):
    """A saved view that cannot be used: unreadable (or stale, :class:`ViewStale`); the message says why."""


class ViewStale(ViewUnusable):
    """A saved view made for another build, format, view code or networkx version: the message names what changed."""


def _checked_header(handle: BinaryIO, path: Path, fingerprint: str) -> ViewSummary:
    """Read the key and summary at the start of an open view file; raises ViewStale or ViewUnusable."""
    try:
        key = pickle.load(handle)
    except Exception as error:  # noqa: BLE001 - any unpickling failure means an unreadable file
        raise ViewUnusable(f"{path} is unreadable ({type(error).__name__}: {error})") from None
    wanted = view_key(fingerprint)
    if key != wanted:
        differs = sorted(k for k in wanted if not isinstance(key, dict) or key.get(k) != wanted[k])
        raise ViewStale(f"{path} is stale ({', '.join(differs) or 'key'} changed)")
    try:
        summary = pickle.load(handle)
    except Exception as error:  # noqa: BLE001 - truncated or damaged
        raise ViewUnusable(f"{path} is unreadable ({type(error).__name__}: {error})") from None
    if not isinstance(summary, ViewSummary):
        raise ViewUnusable(f"{path} is unreadable (holds a {type(summary).__name__}, not a view summary)")
    return summary


def read_summary(path: Path, fingerprint: str) -> ViewSummary:
    """The summary of the view saved at ``path`` for the build with ``fingerprint``, the view itself left unread
    (milliseconds at any size). Raises FileNotFoundError when there is none, ViewStale when it is stale,
    ViewUnusable when it is unreadable."""
    with open(path, "rb") as handle:
        return _checked_header(handle, path, fingerprint)


def read_view(path: Path, fingerprint: str) -> ExplorerView:
    """The view saved at ``path`` for the build with ``fingerprint``.

    The key is read and compared first, so a stale file's payload is never unpickled. The payload is read with the
    cyclic garbage collector paused (its two million containers at 20,000 modalities would otherwise trigger it
    over and over: 2.3 s instead of 1.0 s), then frozen (``gc.freeze``: the view lives as long as the process, and
    the first full collection after the pause took another 0.6 s walking it; so would every later one). Objects
    freed by reference counting are still freed. The file is trusted as the store folder is: only builds of this
    user write it. Raises FileNotFoundError when there is none, ViewStale when it is stale, ViewUnusable when it
    is unreadable.
    """
    with open(path, "rb") as handle:
        _checked_header(handle, path, fingerprint)
        collecting = gc.isenabled()
        gc.disable()
        try:
            view = pickle.load(handle)
            gc.freeze()  # long-lived: kept out of later collections (see above)
        except Exception as error:  # noqa: BLE001 - truncated or damaged payload
            raise ViewUnusable(f"{path} is unreadable ({type(error).__name__}: {error})") from None
        finally:
            if collecting:
                gc.enable()
    if not isinstance(view, ExplorerView):
        raise ViewUnusable(f"{path} is unreadable (holds a {type(view).__name__}, not an explorer view)")
    return view


def has_saved_view(kg: KnowledgeGraph) -> bool:
    """Whether ``kg``'s build folder holds its view under the current key (only the key is read: milliseconds)."""
    try:
        with open(kg.build.path / VIEW_FILE, "rb") as handle:
            return bool(pickle.load(handle) == view_key(kg.build.fingerprint))
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: not saved
        return False


def save_view_if_missing(kg: KnowledgeGraph, on_warning: Callable[[str], None] | None = None) -> bool:
    """Build and save ``kg``'s view unless its build folder already holds it (see :func:`explorer_view`); returns
    whether it was built. ``kg.nx`` and ``kg.names`` are released afterwards, so a long-lived caller such as
    `tkg explore` (whose app reads the file) does not keep a copy."""
    if has_saved_view(kg):
        return False
    explorer_view(kg, on_warning)
    for name in ("nx", "names"):
        kg.__dict__.pop(name, None)
    return True


def explorer_view(kg: KnowledgeGraph, on_warning: Callable[[str], None] | None = None) -> tuple[ExplorerView, bool]:
    """The view of ``kg``'s build: read from the build folder when saved there for its fingerprint, else built and
    saved; returns ``(view, read_from_file)``. ``kg.nx`` and ``kg.names`` are set to the view's, so nothing builds
    them again.

    A stale file (another fingerprint, format, view code or networkx version) is rebuilt and replaced silently; an
    unreadable one (truncated, damaged) is rebuilt with a warning naming it, as is a folder the view cannot be
    saved in (read-only): warnings go to ``on_warning`` (default: the ``therapy_kg.build`` logger), never a
    traceback.
    """
    warn = on_warning or LOG.warning
    path = kg.build.path / VIEW_FILE
    started = time.perf_counter()
    view: ExplorerView | None = None
    try:
        view = read_view(path, kg.build.fingerprint)
    except (FileNotFoundError, NotADirectoryError):
        pass  # none saved yet
    except ViewStale as stale:
        LOG.info("%s; rebuilding it", stale)
    except ViewUnusable as problem:
        warn(f"{problem}; rebuilding the explorer's view of the graph")
    except OSError as error:
        warn(f"{path} cannot be read ({error.strerror or error}); rebuilding the explorer's view of the graph")
    if view is not None:
        LOG.info("explorer view read from %s in %.2f s", path, time.perf_counter() - started)
        kg.nx, kg.names = view.graph, view.names  # type: ignore[misc]  # cached_property values, set once
        return view, True
    view = build_view(kg)
    try:
        save_view(view, path, kg.build.fingerprint)
    except OSError as error:
        warn(f"cannot save the explorer's view of the graph to {path} ({error.strerror or error}); "
             "it is built again at each start")
    return view, False


def saved_summary(kg: KnowledgeGraph) -> ViewSummary | None:
    """The summary of ``kg``'s saved view when its build folder holds one under the current key, else None
    (missing, stale or unreadable: :func:`explorer_view` then builds it, or warns and rebuilds)."""
    try:
        return read_summary(kg.build.path / VIEW_FILE, kg.build.fingerprint)
    except (OSError, ViewUnusable):
        return None
