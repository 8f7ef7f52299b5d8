"""Progress reporting shared by the CLI (a tqdm bar) and the app (st.progress)."""
from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None:
        """`stage` is "reading" (files) or "embedding" (chunks)."""


def no_progress(stage: str, done: int, total: int) -> None:
    return None
