"""Checks for streaming (watched) file sources, made when the source is declared."""

from __future__ import annotations

import os
from typing import Any


def check_streaming_path(path: Any) -> None:
    """Raises ``FileNotFoundError`` when a path to watch does not exist.

    Pathway 0.33 waits silently for a missing path, so a typo never reads anything; towpath
    fails at the call that declared the source instead (its ``Occurred here`` note names the
    line). Create the directory before the program starts to wait for files in it.

    >>> check_streaming_path(".")
    """
    shown = os.fspath(path)
    if not os.path.exists(shown):
        raise FileNotFoundError(
            f"mode='streaming': the path {shown!r} does not exist; streaming sources watch an "
            "existing file or directory (create the directory first, files may come later)"
        )
