"""Files added from the browser: untrusted names and bytes, saved into the corpus folder.

Every name is reduced to one plain file name (no folders, no `..`, no control characters, no
hidden or reserved names); every file is read by the loader of its type before it is kept,
so a binary renamed `.txt`, a zip bomb renamed `.docx` or a PDF without text is refused with
the loader's own reason; per-file, per-batch and count limits come from Settings. Files are
written under a hidden temporary name and renamed into place, never outside the corpus
folder, and never over another file: a name that is taken gets a " (2)" and the outcome says
so. One bad file is reported and the rest of the batch goes on.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Sequence
from pathlib import Path

from remqa.ingest.errors import UnreadableFile
from remqa.ingest.loaders import ACCEPTED_TYPES, SUPPORTED_SUFFIXES, CorpusFile, extract_text
from remqa.models import UploadOutcome
from remqa.settings import Settings

MAX_NAME_CHARS = 120
UNCHANGED = "already in the documents, unchanged"  # the same bytes under the same name
# Names Windows reserves whatever the extension: refused as file names on a shared drive.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
_UNSAFE = re.compile(r"[^\w .()\-+,&@']", re.UNICODE)
_MAGIC = {".pdf": (b"%PDF-", "a PDF"), ".docx": (b"PK\x03\x04", "a Word (.docx) file")}


class UploadRejected(Exception):
    """Why one uploaded file is not kept; the message is shown to the user as is."""


def safe_name(raw: str) -> str:
    """A plain file name made from an uploaded one, or UploadRejected saying why not."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]  # a path's last part: "../../etc/passwd" -> passwd
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # NUL, controls
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")  # no leading dot: hidden; no trailing dot
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(" ._"):
        raise UploadRejected(
            f"{raw!r} has no usable file name with an extension ({ACCEPTED_TYPES})"
        )
    if f".{suffix.lower()}" not in SUPPORTED_SUFFIXES:
        raise UploadRejected(f"unsupported file type '.{suffix}' (use {ACCEPTED_TYPES})")
    if stem.split(".")[0].strip().lower() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1].rstrip(" .")
    return f"{stem}.{suffix.lower()}"


def check_content(path: Path, name: str) -> None:
    """Read the file as its type's loader would; UploadRejected with the reason if it can't."""
    suffix = Path(name).suffix.lower()
    magic = _MAGIC.get(suffix)
    if magic is not None:
        with path.open("rb") as handle:
            head = handle.read(len(magic[0]))
        if head != magic[0]:
            raise UploadRejected(f"the content is not {magic[1]}, whatever its name says")
    probe = CorpusFile(source=name, path=_with_suffix(path, suffix), content_hash="")
    try:
        extract_text(probe)
    except UnreadableFile as exc:
        raise UploadRejected(str(exc)) from None
    finally:
        if probe.path != path:
            probe.path.unlink(missing_ok=True)


def _with_suffix(path: Path, suffix: str) -> Path:
    """The loaders go by suffix: give the upload's temporary file the name's one."""
    if path.suffix.lower() == suffix:
        return path
    linked = path.with_name(f".{uuid.uuid4().hex}{suffix}")
    try:
        os.link(path, linked)
    except OSError:
        shutil.copyfile(path, linked)
    return linked


def _free_name(folder: Path, name: str) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while (folder / name).exists():
        name = f"{stem} ({n}){suffix}"
        n += 1
    return name


def save_uploads(uploads: Sequence[tuple[str, Path]], settings: Settings) -> list[UploadOutcome]:
    """Check each (name as uploaded, file on disk) and save the good ones into the corpus
    folder. One outcome per upload, in order."""
    corpus = settings.corpus_dir.resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    outcomes: list[UploadOutcome] = []
    total = 0
    for index, (raw_name, path) in enumerate(uploads):
        shown = raw_name or path.name
        try:
            if index >= settings.max_upload_files:
                raise UploadRejected(
                    f"more than {settings.max_upload_files} files at once "
                    "(REMQA_MAX_UPLOAD_FILES); add the rest in another batch"
                )
            name = safe_name(raw_name)
            size = path.stat().st_size
            if size == 0:
                raise UploadRejected("empty file (0 bytes)")
            if size > settings.max_file_bytes:
                raise UploadRejected(
                    f"{size:,} bytes is over the {settings.max_file_bytes:,}-byte limit per "
                    "file (REMQA_MAX_FILE_BYTES)"
                )
            if total + size > settings.max_upload_bytes:
                raise UploadRejected(
                    f"the batch would pass {settings.max_upload_bytes:,} bytes "
                    "(REMQA_MAX_UPLOAD_BYTES); add this file in another batch"
                )
            check_content(path, name)
            outcomes.append(_store(path, name, corpus, shown))
            total += size
        except UploadRejected as exc:
            outcomes.append(UploadOutcome(name=shown, saved_as=None, ok=False, message=str(exc)))
        except OSError as exc:
            outcomes.append(
                UploadOutcome(name=shown, saved_as=None, ok=False,
                              message=f"could not be saved ({exc.strerror or exc})")
            )  # fmt: skip
    return outcomes


def _store(path: Path, name: str, corpus: Path, shown: str) -> UploadOutcome:
    data = path.read_bytes()
    existing = corpus / name
    if existing.exists() and existing.read_bytes() == data:
        return UploadOutcome(name=shown, saved_as=name, ok=True,
                             message=UNCHANGED)  # fmt: skip
    saved = _free_name(corpus, name)
    target = (corpus / saved).resolve()
    if target.parent != corpus:  # cannot happen with a safe name; never write elsewhere
        raise UploadRejected("the name points outside the documents folder")
    partial = corpus / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: never indexed half-written
    try:
        partial.write_bytes(data)
        if target.exists():  # taken since _free_name looked: do not overwrite
            raise UploadRejected(f"{saved} was created meanwhile; try again")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    message = "added" if saved == name else f"saved as {saved}: {name} already exists"
    return UploadOutcome(name=shown, saved_as=saved, ok=True, message=message)
