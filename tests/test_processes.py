"""stop_process on real child processes: one that stops on SIGTERM, one that ignores it, one already gone."""

from __future__ import annotations

import signal
import subprocess
import sys

from graph.processes import stop_process

IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"
)


def started(code: str, **options: object) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, **options)  # type: ignore[call-overload]
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def test_a_process_that_stops_on_sigterm_ends_by_it() -> None:
    process = started("import time; print('ready', flush=True); time.sleep(60)")
    assert stop_process(process) == -signal.SIGTERM


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    process = started(IGNORES_SIGTERM)
    assert stop_process(process, grace=0.5) == -signal.SIGKILL


def test_its_whole_process_group_is_killed_when_asked() -> None:
    process = started(IGNORES_SIGTERM, start_new_session=True)
    assert stop_process(process, grace=0.5, whole_group=True) == -signal.SIGKILL


def test_a_process_that_already_exited_is_only_reaped() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    assert stop_process(process) == 3
