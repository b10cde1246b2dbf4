"""Where in the user's program a table or expression was created, for error messages.

Frames inside the towpath package are skipped, so the position is the user's line.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Trace:
    """A user source position."""

    file: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def _internal(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR) or filename.startswith("<frozen")


def user_frame() -> Trace | None:
    """The innermost caller frame outside the towpath package."""
    frame = sys._getframe(1)
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return None
    import linecache

    code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return Trace(frame.f_code.co_filename, frame.f_lineno, code)


def trace_str() -> str | None:
    """``file:line`` of the user's call, or None."""
    t = user_frame()
    return str(t) if t is not None else None


def add_location(exc: BaseException, trace: Trace | None) -> BaseException:
    """Adds Pathway's "Occurred here" note to an exception (once)."""
    if trace is None or getattr(exc, "_towpath_located", False):
        return exc
    exc.add_note(f"Occurred here:\n    Line: {trace.code}\n    File: {trace}")
    try:
        exc._towpath_located = True  # type: ignore[attr-defined]
    except AttributeError:
        pass
    return exc


def user_errors(func: F) -> F:
    """Decorator for public API functions: exceptions raised inside towpath get the user's
    location as a note (Pathway's "Occurred here")."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if getattr(exc, "_towpath_located", False) or not _raised_inside(exc):
                raise
            add_location(exc, user_frame())
            raise

    return wrapper  # type: ignore[return-value]


def _raised_inside(exc: BaseException) -> bool:
    # Exceptions coming from user code (a UDF, a callback) keep their traceback unchanged.
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and _internal(last.tb_frame.f_code.co_filename)
