"""The CLI under faults: a failed content build, a read-only store, relative content paths, loader warnings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from tests.conftest import KITCHEN_SINK

ROOT = Path(__file__).resolve().parents[1]
BROKEN = "\nbroken: [unclosed\n"


def tkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture()
def broken_after_build(tmp_path: Path) -> list[str]:
    """Global options of a store built from a copy of the kitchen sink, whose content was then broken."""
    content = tmp_path / "kitchen-sink.yaml"
    shutil.copy(KITCHEN_SINK, content)
    options = ["--store", str(tmp_path / "store"), "--content", str(content)]
    assert CliRunner().invoke(main, [*options, "build"]).exit_code == 0
    content.write_text(content.read_text() + BROKEN)
    return options


def test_read_only_commands_serve_the_last_good_build_with_one_warning(broken_after_build: list[str]) -> None:
    runner = CliRunner()
    for command in (["stats"], ["lineage", "Dyadic Developmental Psychotherapy"],
                    ["query", "SELECT ?l WHERE { ?m skos:prefLabel 'Dyadic Developmental Psychotherapy' ; "
                              "skos:prefLabel ?l }"]):
        result = runner.invoke(main, [*broken_after_build, *command])
        assert result.exit_code == 0, (command, result.output)
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and "kitchen-sink.yaml:80: malformed YAML" in warnings[0], result.stderr
        assert "serving the last good build" in warnings[0]
        assert "Dyadic Developmental Psychotherapy" in result.stdout or "910 quads" in result.stdout


def test_explicit_builds_and_exports_still_fail(broken_after_build: list[str]) -> None:
    runner = CliRunner()
    for command in (["build"], ["build", "--force"], ["export", "--format", "nt"]):
        result = runner.invoke(main, [*broken_after_build, *command])
        assert result.exit_code == 1, command
        assert "kitchen-sink.yaml:80: malformed YAML" in result.stderr


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="needs unshare and root")
def test_a_read_only_store_gives_one_clear_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert tkg("--store", str(store), "--content", str(KITCHEN_SINK), "build").returncode == 0
    script = (f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path} && "
              f"{sys.executable} -m graph.cli --store {store} --content {KITCHEN_SINK} build --force; "
              'echo "exit $?"; '
              f"{sys.executable} -m graph.cli --store {store} --content {KITCHEN_SINK} query 'ASK {{ ?s ?p ?o }}'; "
              f"{sys.executable} -m graph.cli --store {tmp_path / 'new'} --content {KITCHEN_SINK} stats")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[:2] == ["exit 1", "true"]  # the existing build is still read
    assert (f"error: store folder {store} is not writable (Read-only file system: {store}/.lock); "
            "use --store or TKG_STORE to pick a writable folder") in result.stderr
    assert f"error: store folder {tmp_path / 'new'} is not writable" in result.stderr


def test_relative_and_absolute_content_paths_share_one_build(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    first = tkg("--store", store, "--content", str(KITCHEN_SINK), "build")
    assert first.stdout.startswith("built:")
    relative = os.path.relpath(KITCHEN_SINK, tmp_path)
    again = tkg("--store", store, "--content", relative, "build", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.startswith("up to date:"), again.stdout + again.stderr


def test_each_loader_warning_is_printed_once(tmp_path: Path) -> None:
    page = tmp_path / "latin.txt"
    page.write_bytes("Caf\u00e9 therapy was developed by Ada.\n".encode("cp1252"))
    for args in (["extract", str(page)], ["--store", str(tmp_path / "store"), "--content", str(KITCHEN_SINK),
                                          "build", str(page)]):
        result = tkg(*args)
        assert result.returncode == 0, result.stderr
        decoded = [line for line in result.stderr.splitlines() if "Windows-1252" in line]
        assert decoded == [f"warning: {page}: not valid UTF-8; read as Windows-1252 (guessed by charset-normalizer)"]
