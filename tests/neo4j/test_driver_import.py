"""The Neo4j sink imports the driver without numpy, pandas or pyarrow, and leaves them importable afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_push_command_imports_no_data_frame_libraries() -> None:
    script = ("import json, sys; import graph.cli.neo4j, neo4j._optional_deps as deps; "
              "before = [m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules]; "
              "import pandas; print(json.dumps([before, deps.pd is None, 'pandas' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPOSITORY,
                          env={"PYTHONPATH": str(REPOSITORY), "PATH": "/usr/bin:/bin"}, timeout=120, check=True)
    assert json.loads(done.stdout) == [[], True, True]
