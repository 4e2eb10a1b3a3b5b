"""Which backend serves this process: the JVM in-process, or a helper process when the JVM was inherited by fork."""
from __future__ import annotations

import gc
import os
import threading
from typing import Any, Optional

from . import _java

_lock = threading.Lock()
_backend: Optional[Any] = None
_backend_pid: Optional[int] = None


def backend() -> Any:
    """The backend of this process, created on first use (which starts the JVM or the helper)."""
    global _backend, _backend_pid
    current = _backend
    if current is not None and _backend_pid == os.getpid():
        return current
    with _lock:
        if _backend is None or _backend_pid != os.getpid():
            if _java.jvm_inherited():
                from ._remote import RemoteBackend

                _backend = RemoteBackend()
            else:
                from ._local import LocalBackend

                _backend = LocalBackend()
            _backend_pid = os.getpid()
        return _backend


def current() -> Optional[Any]:
    """The backend of this process if one exists already (never creates one: safe in finalizers)."""
    return _backend if _backend_pid == os.getpid() else None


def uses_helper_process() -> bool:
    """True when this process's I/O goes through a helper process (it was forked after the JVM started)."""
    return _java.jvm_inherited()


def _after_fork_in_child() -> None:
    global _lock, _backend, _backend_pid
    _lock = threading.Lock()
    inherited = _backend
    _backend, _backend_pid = None, None
    forget = getattr(type(inherited), "forget", None)
    if forget is not None:
        forget(inherited)


def _before_fork() -> None:
    # Collect garbage now and freeze what is left, so that the child's garbage collector never frees an object
    # inherited from us: freeing a JPype proxy runs JNI code against the inherited JVM, which hangs.
    if _java.owner_pid == os.getpid():
        gc.collect()
        gc.freeze()


def _after_fork_in_parent() -> None:
    if _java.owner_pid == os.getpid():
        gc.unfreeze()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)
