"""One chat server per embedded index, and no ingest from another process while it serves.

Chroma's embedded store is for one process: a second process writing to it while the chat
reads could leave the chat answering from a stale or torn index. The chat holds a lock file in
the index folder; `remqa ingest` from another process sees it and refuses with a clear
message (a Chroma server, REMQA_CHROMA_URL, is the way to ingest while serving).
"""

from __future__ import annotations

from filelock import FileLock, Timeout

from remqa.errors import IndexLockedError
from remqa.settings import Settings

_held: dict[str, FileLock] = {}  # locks this process holds, by path


def _path(settings: Settings) -> str:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return str((settings.index_dir / ".serve.lock").resolve())


def hold_serving_lock(settings: Settings) -> None:
    """Called by the chat server before it serves an embedded index."""
    if settings.chroma_url:
        return
    path = _path(settings)
    if path in _held:
        return
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise IndexLockedError(
            f"Another remqa chat is already serving {settings.index_dir}/. Stop it, or share "
            "the index through a Chroma server (REMQA_CHROMA_URL)."
        ) from None
    _held[path] = lock


def release_serving_lock(settings: Settings) -> None:
    lock = _held.pop(_path(settings), None)
    if lock is not None:
        lock.release()


def refuse_if_served_elsewhere(settings: Settings) -> None:
    """Called by ingest: refuse when another process's chat serves this embedded index."""
    if settings.chroma_url:
        return
    path = _path(settings)
    if path in _held:
        return  # our own chat building its index on first launch
    probe = FileLock(path, timeout=0)
    try:
        probe.acquire()
    except Timeout:
        raise IndexLockedError(
            f"The chat (remqa serve) is serving {settings.index_dir}/ from another process, and "
            "an embedded index takes one process at a time. Stop the chat and ingest, or run "
            "a Chroma server (REMQA_CHROMA_URL) to ingest while it serves."
        ) from None
    probe.release()
