"""Stop a child process: SIGTERM, a grace period, then SIGKILL (of its process group when it leads one)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any


def stop_process(process: subprocess.Popen[Any], grace: float = 15.0, whole_group: bool = False) -> int:
    """Stop ``process`` and return its exit code (negative: the signal that ended it).

    Sends SIGTERM (so a server can stop its own workers), waits up to ``grace`` seconds, then sends SIGKILL: to the
    process alone, or with ``whole_group`` to its whole process group (a child started with
    ``start_new_session=True`` leads one, so workers it forked die with it). A process that already exited is only
    reaped. Raises nothing for a process that is gone; OSError only if signalling is refused (another user's process).
    """
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            if whole_group:
                with contextlib.suppress(ProcessLookupError):  # the group is already gone
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
    return process.wait()
