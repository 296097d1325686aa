"""The build fingerprint covers every module that shapes the store, subfolders included, and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from graph.pipeline.build import store_shaping_files

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINT = ("from graph.pipeline.build import fingerprint, BUNDLED_CONTENT, content_files; "
               "print(fingerprint(content_files([BUNDLED_CONTENT])))")


def test_store_shaping_files_reach_into_subfolders_and_leave_out_views_sinks_cli_and_explorer() -> None:
    found = {path.relative_to(ROOT).as_posix() for path in store_shaping_files()}
    assert {"graph/pipeline/build.py", "graph/pipeline/rdf.py", "graph/terms.py", "ontology/therapy.ttl",
            "ontology/shapes.ttl", "ontology/vocabulary.py", "loaders/registry.py",
            "loaders/extract/records.py"} <= found
    assert not any(path.startswith(("graph/sinks/", "graph/cli/", "graph/views/", "graph/serve/", "explorer/"))
                   for path in found)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for package in ("graph", "loaders", "ontology", "content"):
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _fingerprint(root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run([sys.executable, "-c", FINGERPRINT], cwd=root, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_comment_in_a_sink_keeps_the_fingerprint_and_one_in_a_loader_subfolder_changes_it(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    before = _fingerprint(root)
    with (root / "graph" / "sinks" / "maps.py").open("a", encoding="utf-8") as handle:
        handle.write("# a comment in a sink\n")
    assert _fingerprint(root) == before
    with (root / "loaders" / "extract" / "records.py").open("a", encoding="utf-8") as handle:
        handle.write("# a comment in the extractor\n")
    assert _fingerprint(root) != before
