"""Whether a store's build is current: the build fingerprint, checked without importing the build pipeline."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.pipeline.store import BuildInfo, current_build, registered_pages
from ontology.namespace import entity_base

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_CONTENT = ROOT / "content"  # graph.pipeline.corpus.BUNDLED_CONTENT (a test keeps the two equal)
# The suffixes of the content formats in loaders.registry (``extensions("content")``; a test keeps the two equal).
# Named here so the check below need not import the registry, which imports the page extractor (0.6-1.9 s).
CONTENT_SUFFIXES = frozenset({".yaml", ".yml"})


def store_shaping_files() -> list[Path]:
    """Every file whose change can change the store: the pipeline, the loaders, the ontology package (code and
    Turtle) and the term conversions, searched recursively; views, sinks, the endpoint, the CLI and the explorer
    are left out, so editing them never forces a rebuild."""
    found = [ROOT / "graph" / "terms.py"]
    for package in (ROOT / "graph" / "pipeline", ROOT / "loaders", ROOT / "ontology"):
        found.extend(
            p for p in package.rglob("*") if p.suffix in (".py", ".ttl", ".yaml") and "__pycache__" not in p.parts
        )
    return sorted(found)


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A 24-hex-digit digest of the given files' names and bytes plus :func:`store_shaping_files`.

    Names are resolved first (absolute, symlinks followed), so a relative and an absolute ``--content`` for the
    same folder give the same fingerprint."""
    digest = hashlib.sha256(extra.encode())
    for path in [*store_shaping_files(), *paths]:
        digest.update(str(Path(path).resolve()).encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:24]


def fingerprint_extra(validate: bool) -> str:
    """What besides files a build's fingerprint covers: the entity base IRI and whether SHACL validation ran."""
    return f"{entity_base()}|validate={validate}"


def content_files(content_dirs: Iterable[Path]) -> Iterator[Path]:
    """Content files as ``loaders.registry.content_files`` lists them: files as given, folders searched (sorted)
    for :data:`CONTENT_SUFFIXES`."""
    for location in content_dirs:
        location = Path(location)
        if location.is_dir():
            yield from sorted(p for p in location.rglob("*") if p.is_file() and p.suffix.lower() in CONTENT_SUFFIXES)
        else:
            yield location


def unchanged_build(store_dir: Path, content: Iterable[Path] | None = None, validate: bool = True) -> BuildInfo | None:
    """The store's current build when nothing it was built from changed, else None (the caller then runs
    :func:`graph.pipeline.build.ensure_build`, which decides what to do and says why).

    It answers only the common case, exactly as ``ensure_build`` would serve it without building: no registered
    pages (with pages, their status checks need the loaders) and the build's fingerprint equal to the one computed
    over the content files, the store-shaping code and :func:`fingerprint_extra`. Milliseconds on the bundled
    content, about 0.1 s at 20,000 modalities (17 MB of YAML hashed). Any error (a missing folder, an unreadable
    pages list) returns None, so ``ensure_build`` reports it as before.
    """
    try:
        build = current_build(store_dir)
        if build is None or registered_pages(store_dir):
            return None
        files = list(content_files(content or [BUNDLED_CONTENT]))
        wanted = fingerprint(files, extra=fingerprint_extra(validate))
    except (OSError, ValueError, KeyError):
        return None
    return build if build.fingerprint == wanted else None
