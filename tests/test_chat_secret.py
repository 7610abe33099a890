"""The key that encrypts each browser's saved conversation is made once and kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from remqa.chat.secret import MIN_LENGTH, browser_secret


def test_key_is_made_once_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "state" / "chat-secret"
    first = browser_secret(path)
    assert len(first) >= MIN_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert browser_secret(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["chat-secret"]  # no temporary left


def test_a_damaged_key_file_is_replaced_and_the_new_key_kept(tmp_path: Path) -> None:
    path = tmp_path / "chat-secret"
    path.write_text("short\n")
    key = browser_secret(path)
    assert key != "short" and len(key) >= MIN_LENGTH
    assert browser_secret(path) == key


def test_an_unwritable_place_gives_a_key_for_this_run_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    first = browser_secret(blocker / "chat-secret")
    assert len(first) >= MIN_LENGTH
    notice = capsys.readouterr().err
    assert "will not survive a restart" in notice and "REMQA_CHAT_SECRET_FILE" in notice
    assert browser_secret(blocker / "chat-secret") != first  # nothing was kept
