"""Java failures as the built-in exceptions Python users expect; the message names the URI."""
from __future__ import annotations

import contextlib
import errno
import os
from typing import Iterator

TRACEBACK_VARIABLE = "S3DLIO_PYTHON_TRACEBACK"

_KINDS = {
    "NOT_FOUND": (FileNotFoundError, errno.ENOENT),
    "PERMISSION": (PermissionError, errno.EACCES),
    "INVALID": (ValueError, None),
    "IO": (OSError, errno.EIO),
}


def _with_trace(message: str, exc) -> str:
    if os.environ.get(TRACEBACK_VARIABLE, "").strip().lower() in ("1", "true", "yes"):
        try:
            return message + "\nJava stack trace:\n" + str(exc.javaStackTrace())
        except Exception:  # not a FacadeException: use JPype's own rendering
            return message + "\nJava stack trace:\n" + str(exc.stacktrace())
    return message


def translate(exc) -> Exception:
    """The Python exception for a Java one (a FacadeException carries a kind; anything else is an OSError)."""
    kind_name = getattr(exc, "kindName", None)
    if kind_name is not None:
        kind = str(kind_name())
        message = _with_trace(str(exc.getMessage()), exc)
        cls, code = _KINDS.get(kind, (OSError, errno.EIO))
        # OSError(errno, message) prints "[Errno 2] <message>"; the message already names the URI.
        return cls(message) if code is None else cls(code, message)
    return OSError(errno.EIO, _with_trace(f"{exc.getClass().getName()}: {exc.getMessage()}", exc))


@contextlib.contextmanager
def java_errors() -> Iterator[None]:
    """Turns a Java exception raised in the block into its Python form, without the Java chain."""
    import jpype

    try:
        yield
    except jpype.JException as exc:
        raise translate(exc) from None
