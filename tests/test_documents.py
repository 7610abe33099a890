"""Adding, listing and removing documents through the API the Documents panel uses:
untrusted names and bytes are refused with a reason, nothing is written outside the corpus
folder, and the index keeps answering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.chat.documents import changes_allowed
from remqa.chat.transcript import conversation_markdown, turn
from remqa.errors import CorpusError
from remqa.ingest.uploads import UploadRejected, safe_name
from tests.documents import docx_bytes, zip_bomb

MakeSettings = Callable[..., Settings]
QUESTION = "How many burners does the vorpal furnace have?"
DOCX_FACT = "The vorpal furnace has 3,150 burners in six rows."


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("raw", "saved"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/shadow.md", "shadow.md"),
        ("C:\\Windows\\win.ini.txt", "win.ini.txt"),
        ("repo\x00rt\x1b[31m.txt", "report_31m.txt"),  # NUL and ESC go; "[" is replaced
        (".hidden.txt", "hidden.txt"),
        ("CON.txt", "_CON.txt"),
        ("Résumé — 2024 (final).PDF", "Résumé _ 2024 (final).pdf"),
        ("a" * 300 + ".docx", "a" * 115 + ".docx"),
    ],
)
def test_upload_names_become_plain_file_names(raw: str, saved: str) -> None:
    assert safe_name(raw) == saved


@pytest.mark.parametrize("raw", ["", "..", "/", "notes", "evil.exe", "x.sh", "\x00\x01.txt"])
def test_names_that_cannot_be_made_safe_are_refused(raw: str) -> None:
    with pytest.raises(UploadRejected):
        safe_name(raw)


def test_hostile_uploads_are_refused_one_by_one_and_the_rest_is_indexed(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus, max_file_bytes=200_000, max_upload_files=20)
    assistant = Assistant(settings)
    assistant.ingest()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    uploads = [
        ("../../etc/passwd", _file(incoming, "u1", b"root:x:0:0")),  # no extension
        ("/tmp/absolute.txt", _file(incoming, "u2", b"An absolute name, saved by base name.")),
        ("empty.txt", _file(incoming, "u3", b"")),
        ("program.txt", _file(incoming, "u4", b"\x7fELF\x02\x01\x01\x00\x00\x00binary")),
        ("bomb.docx", _file(incoming, "u5", zip_bomb())),
        ("big.txt", _file(incoming, "u6", b"word " * 50_000)),
        ("text-renamed.pdf", _file(incoming, "u7", b"This is not a PDF at all.")),
        ("zorblax.txt", _file(incoming, "u8", b"A different zorblax note.")),  # name taken
        ("furnace.docx", _file(incoming, "u9", docx_bytes([DOCX_FACT]))),
    ]
    before_outside = _tree(tmp_path) - {f"corpus/{p}" for p in _tree(tiny_corpus)}
    report = assistant.add_documents(uploads)
    by_name = {o.name: o for o in report.outcomes}
    assert len(report.outcomes) == len(uploads)
    assert "extension" in by_name["../../etc/passwd"].message
    assert by_name["/tmp/absolute.txt"].saved_as == "absolute.txt"
    assert "empty" in by_name["empty.txt"].message
    assert "binary" in by_name["program.txt"].message
    assert "zip bomb" in by_name["bomb.docx"].message
    assert "limit per file" in by_name["big.txt"].message
    assert "not a PDF" in by_name["text-renamed.pdf"].message
    renamed = by_name["zorblax.txt"]
    assert (
        renamed.ok and renamed.saved_as == "zorblax (2).txt" and "already exists" in renamed.message
    )
    assert by_name["furnace.docx"].ok
    # Nothing was written outside the corpus folder; only the good files inside it.
    after_outside = _tree(tmp_path) - {f"corpus/{p}" for p in _tree(tiny_corpus)}
    assert after_outside - before_outside <= {
        "index",
        *(p for p in after_outside if p.startswith("index/")),
    }
    assert (tiny_corpus / "zorblax.txt").read_text().startswith("The zorblax reactor")
    assert sorted(p.name for p in tiny_corpus.iterdir() if p.is_file()) == [
        "absolute.txt", "furnace.docx", "zorblax (2).txt", "zorblax.txt",
    ]  # fmt: skip
    assert report.ingest is not None and sorted(report.ingest.added) == [
        "absolute.txt", "furnace.docx", "zorblax (2).txt",
    ]  # fmt: skip
    answer = assistant.ask(QUESTION)
    assert "3,150" in answer.text and answer.citations[0].source == "furnace.docx"
    assert "412" in assistant.ask("How much power does the zorblax reactor produce?").text


def test_fifty_files_at_once_keep_the_first_within_the_limit(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(tiny_corpus, max_upload_files=20)
    assistant = Assistant(settings)
    assistant.ingest()
    uploads = [
        (f"note-{n}.txt", _file(tmp_path, f"n{n}", f"Gizmo {n} weighs {n + 10} grams.".encode()))
        for n in range(50)
    ]
    report = assistant.add_documents(uploads)
    assert sum(o.ok for o in report.outcomes) == 20
    assert all("more than 20 files" in o.message for o in report.outcomes[20:])
    assert report.ingest is not None and len(report.ingest.added) == 20


def test_documents_lists_files_with_chunks_and_skipped_ones_with_the_reason(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    (tiny_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    assistant = Assistant(make_settings(tiny_corpus))
    assistant.ingest()
    docs = assistant.documents()
    listed = {d.source: d for d in docs.documents}
    assert set(listed) == {"zorblax.txt", "notes/flumbit.md"}
    zorblax = listed["zorblax.txt"]
    assert zorblax.type == "txt" and zorblax.chunks >= 1 and zorblax.indexed_at
    assert zorblax.bytes == (tiny_corpus / "zorblax.txt").stat().st_size
    assert [s.source for s in docs.skipped] == ["broken.pdf"]
    first_time = zorblax.indexed_at
    assistant.ingest()  # unchanged: keeps the time it was indexed
    assert {d.source: d for d in assistant.documents().documents}["zorblax.txt"].indexed_at == (
        first_time
    )


def test_remove_moves_the_file_to_trash_and_its_answers_go(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    assistant = Assistant(make_settings(tiny_corpus))
    assistant.ingest()
    assert "412" in assistant.ask("How much power does the zorblax reactor produce?").text
    report = assistant.remove_document("zorblax.txt")
    assert report.removed == ["zorblax.txt"]
    assert not (tiny_corpus / "zorblax.txt").exists()
    assert [p.name for p in (tiny_corpus / ".trash").rglob("*.txt")] == ["zorblax.txt"]
    assert assistant.ask("How much power does the zorblax reactor produce?").refused
    assert [d.source for d in assistant.documents().documents] == ["notes/flumbit.md"]
    for bad in ("../corpus/notes/flumbit.md", "/etc/passwd", ".trash", "nothing.txt", ""):
        with pytest.raises(CorpusError, match="not a document"):
            assistant.remove_document(bad)
    with pytest.raises(CorpusError, match="only document"):  # the index would be left stale
        assistant.remove_document("notes/flumbit.md")
    assert (tiny_corpus / "notes" / "flumbit.md").exists()
    assert "7,300" in assistant.ask("How many tonnes of flumbit were harvested in 2021?").text


def test_two_removals_at_once_cannot_remove_the_last_document(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    """Each removal checks what is left under the change lock: removing both documents at
    the same moment removes one and refuses the other, so the index keeps answering."""
    import threading

    assistant = Assistant(make_settings(tiny_corpus))
    assistant.ingest()
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def remove(source: str) -> None:
        start.wait()
        try:
            assistant.remove_document(source)
            outcomes[source] = "removed"
        except CorpusError as exc:
            outcomes[source] = str(exc)

    threads = [
        threading.Thread(target=remove, args=(s,)) for s in ("zorblax.txt", "notes/flumbit.md")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [message for message in outcomes.values() if message != "removed"]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert "only document" in refused[0], outcomes
    kept = [d.source for d in assistant.documents().documents]
    assert len(kept) == 1 and (tiny_corpus / kept[0]).exists()


@pytest.mark.parametrize(
    ("host", "auth", "allow", "expected"),
    [
        ("127.0.0.1", None, None, True),
        ("::1", None, None, True),
        ("localhost", None, None, True),
        ("0.0.0.0", None, None, False),
        ("192.168.1.20", None, None, False),
        ("0.0.0.0", "ann:secret", None, True),
        ("0.0.0.0", None, True, True),
        ("127.0.0.1", None, False, False),
    ],
)
def test_changing_documents_is_on_only_when_safe(
    host: str, auth: str | None, allow: bool | None, expected: bool
) -> None:
    settings = Settings(host=host, auth=auth, allow_uploads=allow)
    allowed, why = changes_allowed(settings)
    assert allowed is expected
    assert allowed or ("REMQA_AUTH" in why or "REMQA_ALLOW_UPLOADS" in why)


def test_conversation_download_has_questions_answers_and_cited_offsets(
    bundled_index: Settings,
) -> None:
    assistant = Assistant(bundled_index)
    question = "What share of the world's gallium production comes from China?"
    answer = assistant.ask(question)
    refusal = assistant.ask("How many tons of rare earths does Brazil produce?")
    markdown = conversation_markdown([turn(question, answer), turn("Brazil?", refusal)])
    c = answer.citations[0]
    assert f"## 1. {question}" in markdown and "98.8%" in markdown
    assert f"`{c.source}`, characters {c.start}-{c.end}" in markdown
    assert assistant.source_text(c.source)[c.start : c.end].split()[0] in markdown
    assert "## 2. Brazil?" in markdown and "Not in the documents" in markdown
