"""The key that encrypts the conversation each browser keeps (gr.BrowserState).

Gradio makes a new random key at every launch unless it is given one, so after a server
restart every browser's saved conversation would be unreadable and the chat would start
empty. remqa makes the key once, keeps it in a file only its owner can read, and reuses it.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

MIN_LENGTH = 32


def default_secret_file() -> Path:
    """The user data folder (platformdirs), e.g. ~/.local/share/remqa/chat-secret."""
    import platformdirs

    return Path(platformdirs.user_data_dir("remqa", appauthor=False)) / "chat-secret"


def browser_secret(path: Path | None = None) -> str:
    """The key kept in `path` (default: `default_secret_file()`), made on first use.

    Two servers starting at once agree on one key: the file is written under a temporary
    name and linked into place only if no key is there yet. A folder that cannot be written
    gives a key for this run only, with a one-line notice; the chat still works, only saved
    conversations do not survive a restart.
    """
    target = (path or default_secret_file()).expanduser()
    try:
        return _read(target) or _create(target)
    except OSError as exc:
        print(
            f"remqa: conversations kept in browsers will not survive a restart: cannot keep "
            f"the key in {target} ({exc.strerror or exc}); set REMQA_CHAT_SECRET_FILE to a "
            "writable file.",
            file=sys.stderr,
        )
        return secrets.token_urlsafe(MIN_LENGTH)


def _read(target: Path) -> str | None:
    try:
        key = target.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key if len(key) >= MIN_LENGTH else None  # too short or damaged: make a new one


def _create(target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(MIN_LENGTH)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
        try:
            os.link(temporary, target)  # fails if another server put its key there first
        except FileExistsError:
            existing = _read(target)
            if existing:
                return existing
            os.replace(temporary, target)  # a damaged key file: ours replaces it
            return key
        return key
    finally:
        temporary.unlink(missing_ok=True)
