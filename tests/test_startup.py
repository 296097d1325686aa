"""`tkg --help` starts without importing the graph code's heavy libraries (rdflib, networkx, the Neo4j driver)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import sys
from graph.cli.main import main
try:
    main(["--help"])
except SystemExit:
    pass
print(",".join(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def test_help_imports_no_heavy_library() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "build" in done.stdout and "neo4j" in done.stdout  # the full command list, static
    loaded = set(done.stderr.strip().splitlines()[-1].split(","))
    assert "click" in loaded
    assert not loaded & {"rdflib", "networkx", "neo4j", "pyshacl", "streamlit", "yaml"}, loaded & {
        "rdflib", "networkx", "neo4j", "pyshacl", "streamlit", "yaml"}


BUILD_PROBE = """
import sys
from graph.cli.main import main
try:
    main(["--store", sys.argv[1], "build"])
except SystemExit as end:
    assert not end.code, end.code
print(",".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_content_build_imports_no_page_extractor_or_networkx(tmp_path: Path) -> None:
    """A build without pages never imports the page extractor (its patterns compile at import: about 0.4 s of
    CPU) or networkx (0.2 s); the formats' loader modules are imported when a page is read."""
    done = subprocess.run([sys.executable, "-c", BUILD_PROBE, str(tmp_path / "store")], capture_output=True,
                          text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "built:" in done.stdout
    loaded = set(done.stderr.strip().splitlines()[-1].split(","))
    assert "loaders.content_yaml" in loaded
    assert not {name for name in loaded if name.startswith(("loaders.extract", "networkx"))}
    assert not loaded & {"loaders.page_html", "loaders.page_text", "loaders.page_markdown", "selectolax"}
