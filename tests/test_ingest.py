"""Ingestion against a real embedded Chroma and the real packaged model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from remqa import Assistant, Settings
from remqa.errors import CorpusError, IndexLockedError, IndexMismatchError
from remqa.ingest.pipeline import ingest_lock
from tests.conftest import TINY_DOCS, pretend_built_by_another_model, raw_collection, write_corpus

MakeSettings = Callable[..., Settings]


def chroma_records(settings: Settings) -> dict[str, dict[str, object]]:
    got = raw_collection(settings).get(include=["metadatas", "documents"])
    return {
        i: {**m, "text": d}
        for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
    }


def test_first_ingest_indexes_every_file_with_exact_offsets(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    report = Assistant(settings).ingest()
    assert sorted(report.added) == sorted(TINY_DOCS)
    assert report.chunks_total == report.chunks_embedded > 0
    records = chroma_records(settings)
    assert len(records) == report.chunks_total
    for record in records.values():
        source_text = (tiny_corpus / str(record["source"])).read_text(encoding="utf-8")
        exact = record.get("raw") or record["text"]  # raw: the source slice of wrapped text
        assert source_text[int(record["start"]) : int(record["end"])] == exact  # type: ignore[call-overload]


def test_reingest_of_unchanged_corpus_embeds_nothing(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    before = chroma_records(settings)
    report = Assistant(settings).ingest()
    assert report.chunks_embedded == 0 and report.chunks_deleted == 0
    assert sorted(report.unchanged) == sorted(TINY_DOCS)
    assert report.added == report.changed == report.removed == []
    assert chroma_records(settings) == before


def test_changed_file_is_reembedded_and_deleted_file_removed(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    (tiny_corpus / "zorblax.txt").write_text("The zorblax reactor was shut down in 2019.")
    (tiny_corpus / "notes" / "flumbit.md").unlink()
    report = Assistant(settings).ingest()
    assert report.changed == ["zorblax.txt"]
    assert report.removed == ["notes/flumbit.md"]
    assert report.chunks_embedded == 1
    records = chroma_records(settings)
    assert [r["text"] for r in records.values()] == ["The zorblax reactor was shut down in 2019."]


def test_crlf_text_offsets_match_what_open_reads(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dos.txt").write_bytes(b"First line here.\r\nSecond line with 42% share.\r\n")
    settings = make_settings(corpus)
    Assistant(settings).ingest()
    read_back = open(corpus / "dos.txt", encoding="utf-8").read()  # noqa: SIM115
    for record in chroma_records(settings).values():
        assert read_back[int(record["start"]) : int(record["end"])] == record["text"]  # type: ignore[call-overload]


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingests(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    (tiny_corpus / "empty.txt").write_text("")
    (tiny_corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tiny_corpus / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (tiny_corpus / "corrupt.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (tiny_corpus / "image-only.pdf").write_bytes(_pdf_without_text())
    (tiny_corpus / "table.xlsx").write_bytes(b"PK\x03\x04")
    settings = make_settings(tiny_corpus)
    report = Assistant(settings).ingest()
    reasons = {s.source: s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "PDF" in reasons["corrupt.pdf"]
    assert "no text layer" in reasons["image-only.pdf"]
    assert "unsupported file type '.xlsx'" in reasons["table.xlsx"]
    assert sorted(report.added) == sorted(TINY_DOCS)


def test_pdf_and_html_text_is_indexed(tmp_path: Path, make_settings: MakeSettings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><head><title>t</title><script>var secret = 'zzscript';</script></head>"
        "<body><h1>Quarbix</h1><p>Quarbix output rose to 88 units.</p></body></html>"
    )
    (corpus / "doc.pdf").write_bytes(_pdf_with_text("Plontic yield was 17 tons"))
    settings = make_settings(corpus)
    report = Assistant(settings).ingest()
    assert sorted(report.added) == ["doc.pdf", "page.html"], report.skipped
    texts = " ".join(str(r["text"]) for r in chroma_records(settings).values())
    assert "Quarbix output rose to 88 units." in texts
    assert "Plontic yield was 17 tons" in texts
    assert "zzscript" not in texts


def test_missing_corpus_folder_is_a_clear_error(
    tmp_path: Path, make_settings: MakeSettings
) -> None:
    with pytest.raises(CorpusError, match=r"does not exist.*\.txt, \.md, \.pdf, \.html or \.docx"):
        Assistant(make_settings(tmp_path / "nope")).ingest()


def test_corpus_without_usable_files_is_a_clear_error_and_keeps_the_index(
    tiny_corpus: Path, tmp_path: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    junk = write_corpus(tmp_path / "junk", {"a.txt": "", "b.csv": "x,y"})
    with pytest.raises(
        CorpusError, match=r"No usable documents.*\.txt, \.md, \.pdf, \.html or \.docx"
    ):
        Assistant(make_settings(junk)).ingest()
    assert len(chroma_records(settings)) > 0  # the previous index is untouched


def test_index_from_another_model_is_refused_until_rebuild(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    Assistant(settings).ingest()
    pretend_built_by_another_model(settings)
    with pytest.raises(IndexMismatchError, match="other/model.*remqa ingest --rebuild"):
        Assistant(settings).ingest()
    report = Assistant(settings).ingest(rebuild=True)
    assert report.rebuilt and report.chunks_embedded == report.chunks_total > 0
    assert Assistant(settings).ingest().chunks_embedded == 0


def test_changed_chunking_is_refused_until_rebuild(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    Assistant(make_settings(tiny_corpus)).ingest()
    with pytest.raises(IndexMismatchError, match="chunking"):
        Assistant(make_settings(tiny_corpus, chunk_max_words=40)).ingest()


def test_second_ingest_is_refused_while_one_holds_the_lock(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    settings = make_settings(tiny_corpus)
    with ingest_lock(settings), pytest.raises(IndexLockedError, match="Another `remqa ingest`"):
        Assistant(settings).ingest()
    Assistant(settings).ingest()  # lock released: works again


def _pdf_with_text(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return _pdf(stream, with_font=True)


def _pdf_without_text() -> bytes:
    return _pdf(b"0 0 1 rg 10 10 100 100 re f", with_font=False)


def _pdf(stream: bytes, with_font: bool) -> bytes:
    """A minimal valid PDF, with correct xref offsets, built by hand."""
    font = b" /Resources << /Font << /F1 5 0 R >> >>" if with_font else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R" + font + b" >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
