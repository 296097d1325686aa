"""Write a file atomically with the umask's permissions."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomically(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text in ``encoding``, or bytes) to ``path`` so that readers see the old file or the new one,
    never a part of either; returns the path.

    The data goes to a new hidden file in the same folder, is flushed to disk and then renamed over ``path``
    (``rename(2)`` is atomic within a file system). Permissions are what a plain ``open(path, "w")`` gives: a new
    file gets 0666 less the process umask (0644 under umask 022) and a replaced file keeps its mode, unlike
    ``tempfile.mkstemp``'s 0600. Missing parent folders are created. On any failure (an encoding error, a full
    disk, an interrupt) the hidden file is removed, the old file is left as it was and the error is raised.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.partial")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)  # the umask applies
    try:
        with os.fdopen(handle, "wb") as out:
            if mode is not None:
                os.fchmod(out.fileno(), mode)
            out.write(data.encode(encoding) if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
