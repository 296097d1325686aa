"""The options every command shares, kept apart from the graph code so `tkg --help` imports nothing heavy."""

from __future__ import annotations

from pathlib import Path


class Settings:
    """Options shared by every command (where the store is, which content to build)."""

    def __init__(self, store: Path | None, content: tuple[Path, ...]):
        self.store = store
        self.content = list(content) or None
