"""The exported models: made once per machine in a keyed cache, in a child process, never
mixed between precisions, and PyTorch as the fallback when the cache cannot be written."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import remqa.index.model_cache as model_cache
from remqa import Assistant, Settings
from remqa.errors import IndexMismatchError, ModelCacheError
from remqa.index.embedding import INT8_TAG, embed_model_id, load_embedder, resolve_backend
from remqa.index.meta import index_signature

MakeSettings = Callable[..., Settings]
SHARED_CACHE = Path(os.environ["REMQA_MODEL_CACHE_DIR"])  # the run's own, from conftest


def _chroma_embed_model(settings: Settings) -> str:
    """The embedding model recorded in the index, read through remqa's own client."""
    from remqa.index.store import open_client

    collection = open_client(settings).get_collection(settings.collection)
    return str((collection.metadata or {})["embed_model"])


def test_cache_is_keyed_by_package_weights_export_and_quantization(tmp_path: Path) -> None:
    int8 = model_cache.model_file("int8", tmp_path)
    fp32 = model_cache.model_file("fp32", tmp_path)
    assert int8.parent == fp32.parent  # the int8 model sits beside the export it comes from
    assert int8.name != fp32.name
    digest = model_cache.export_key(tmp_path)["weights_sha256"]
    assert len(digest) == 64
    # Another quantization, or another export, is another file: never a stale one.
    other = dict(model_cache.QUANTIZATION, per_channel=False)
    original = model_cache.QUANTIZATION
    try:
        model_cache.QUANTIZATION = other  # type: ignore[misc]
        assert model_cache.model_file("int8", tmp_path) != int8
    finally:
        model_cache.QUANTIZATION = original  # type: ignore[misc]
    options = dict(model_cache.EXPORT_OPTIONS, opset=18)
    saved = model_cache.EXPORT_OPTIONS
    try:
        model_cache.EXPORT_OPTIONS = options  # type: ignore[misc]
        assert model_cache.model_file("fp32", tmp_path).parent != fp32.parent
    finally:
        model_cache.EXPORT_OPTIONS = saved  # type: ignore[misc]


def test_a_cached_model_is_used_without_exporting_again(monkeypatch: pytest.MonkeyPatch) -> None:
    made = model_cache.cached_model("int8", SHARED_CACHE)
    manifest = json.loads((made.parent / "manifest.json").read_text())
    assert manifest["int8"]["file"] == made.name
    assert (
        manifest["export"]["weights_sha256"]
        == model_cache.export_key(SHARED_CACHE)["weights_sha256"]
    )

    def no_export(*args: object) -> None:
        raise AssertionError("exported again although the model is cached")

    monkeypatch.setattr(model_cache, "_export_in_child", no_export)
    assert model_cache.cached_model("int8", SHARED_CACHE) == made


def test_concurrent_first_runs_export_once_and_agree(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    code = (
        "import sys; from pathlib import Path; from remqa.index.model_cache import cached_model;"
        "print(cached_model('int8', Path(sys.argv[1])))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(cache)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=workdir,
        )  # fmt: skip
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
    paths = {out.strip() for out, _ in outputs}
    assert len(paths) == 1
    made = Path(paths.pop())
    folder = made.parent
    assert sorted(p.name for p in folder.glob("*.onnx")) == sorted(["model-fp32.onnx", made.name])
    assert not list(folder.glob("*.tmp"))  # no half-written file left behind
    # The quantizer's scratch files (a 90 MB `<uuid>.data`, `sym_shape_infer_temp.onnx`)
    # stay out of the folder it was started from.
    assert not list(workdir.iterdir())
    import onnxruntime

    onnxruntime.InferenceSession(str(made), providers=["CPUExecutionProvider"])  # loads whole


@pytest.mark.parametrize("backend", ["auto", "onnx"])
def test_ingest_never_loads_pytorch_and_writes_no_model_beside_the_index(
    tiny_corpus: Path, tmp_path: Path, backend: str
) -> None:
    code = (
        "import sys; from pathlib import Path; from remqa import Assistant, Settings;"
        "s = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]),"
        " model_cache_dir=Path(sys.argv[3]), show_progress=False, embed_backend=sys.argv[4]);"
        "r = Assistant(s).ingest(); a = Assistant(s).ask('How much power does the zorblax "
        "reactor produce?');"
        "print(r.chunks_embedded, 'torch' in sys.modules, a.text)"
    )
    index = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tiny_corpus), str(index), str(tmp_path / "fresh-cache"),
         backend],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    embedded, torch_loaded, answer = done.stdout.split(" ", 2)
    assert int(embedded) > 0
    assert torch_loaded == "False"  # the export ran in a child process
    assert "412 megawatts" in answer
    assert (tmp_path / "fresh-cache").is_dir()
    assert not list(index.rglob("*.onnx"))


def test_int8_is_the_default_and_close_to_fp32(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    int8_settings = make_settings(tiny_corpus)
    backend, path = resolve_backend(int8_settings)
    assert backend == "onnx-int8" and path is not None and path.parent.parent == SHARED_CACHE
    settings = int8_settings.model_copy(update={"embed_backend": "onnx"})
    assert resolve_backend(settings)[0] == "onnx"
    texts = [
        "China accounts for 48% of global antimony production and 98.8% of gallium.",
        "The zorblax reactor produces 412 megawatts of power.",
        "Who founded the company, and when did it first turn a profit?",
        "word " * 300,
    ]
    fp32 = np.array(load_embedder(settings).get_text_embedding_batch(texts))
    int8 = np.array(load_embedder(int8_settings).get_text_embedding_batch(texts))
    cosine = (int8 * fp32).sum(axis=1)
    # Per-channel scales keep vectors close; per-tensor ones fell to 0.91-0.95 here.
    assert cosine.min() > 0.98 and cosine.mean() > 0.99, cosine


def test_one_precision_never_reads_an_index_of_the_other(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    fp32 = make_settings(tiny_corpus, embed_backend="onnx")
    Assistant(fp32).ingest()
    assert _chroma_embed_model(fp32) == embed_model_id("onnx")
    int8 = fp32.model_copy(update={"embed_backend": "onnx-int8"})
    with pytest.raises(IndexMismatchError, match="int8.*remqa ingest --rebuild"):
        Assistant(int8).ingest()
    with pytest.raises(IndexMismatchError):
        Assistant(int8).ask("How much power does the zorblax reactor produce?")
    assert Assistant(int8).ingest(rebuild=True).rebuilt
    assert _chroma_embed_model(int8).endswith(INT8_TAG)
    with pytest.raises(IndexMismatchError, match="remqa ingest --rebuild"):
        Assistant(fp32).ask("How much power does the zorblax reactor produce?")


def test_an_fp32_index_stays_fp32_under_auto_until_rebuilt(
    tiny_corpus: Path, make_settings: MakeSettings
) -> None:
    """An index built before int8 became the default (or with REMQA_EMBED_BACKEND=onnx) is
    asked and updated in fp32 under `auto`, never mixing vectors; a rebuild makes it int8."""
    Assistant(make_settings(tiny_corpus, embed_backend="onnx")).ingest()
    auto = make_settings(tiny_corpus)
    assert auto.embed_backend == "auto"
    (tiny_corpus / "extra.txt").write_text("The quillon plant employs 57 welders.")
    report = Assistant(auto).ingest()
    assert report.chunks_embedded == 1 and not report.rebuilt
    assert _chroma_embed_model(auto) == embed_model_id("onnx")
    assistant = Assistant(auto)
    assert "57" in assistant.ask("How many welders does the quillon plant employ?").text
    assert assistant.index_settings.embed_backend == "onnx"
    # A rebuild moves it to the default, and auto then follows the int8 index.
    assert Assistant(auto).ingest(rebuild=True).rebuilt
    assert _chroma_embed_model(auto).endswith(INT8_TAG)
    assistant = Assistant(auto)
    assert "57" in assistant.ask("How many welders does the quillon plant employ?").text
    assert assistant.index_settings.embed_backend == "onnx-int8"


def test_unwritable_cache_falls_back_to_pytorch_with_a_notice(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = make_settings(tiny_corpus, model_cache_dir=blocker / "cache")
    with caplog.at_level(logging.WARNING):
        backend, path = resolve_backend(settings)
    assert (backend, path) == ("torch", None)
    assert "REMQA_MODEL_CACHE_DIR" in caplog.text and "PyTorch" in caplog.text
    assert index_signature(settings)["embed_model"] == embed_model_id("torch")
    report = Assistant(settings).ingest()
    assert report.chunks_embedded > 0
    assert "412" in Assistant(settings).ask("How much power does the zorblax reactor make?").text
    # Asked for ONNX explicitly, the same failure is an error that says what to do.
    strict = settings.model_copy(update={"embed_backend": "onnx-int8"})
    with pytest.raises(ModelCacheError, match="REMQA_MODEL_CACHE_DIR"):
        resolve_backend(strict)


def test_an_fp32_index_is_served_by_pytorch_when_the_cache_cannot_be_had(
    tiny_corpus: Path, make_settings: MakeSettings, tmp_path: Path
) -> None:
    """`auto` keeps an fp32 index fp32 even without the ONNX cache: PyTorch gives the same
    vectors, so the index answers instead of failing."""
    Assistant(make_settings(tiny_corpus, embed_backend="onnx")).ingest()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    auto = make_settings(tiny_corpus, model_cache_dir=blocker / "cache")
    assistant = Assistant(auto)
    assert "412" in assistant.ask("How much power does the zorblax reactor make?").text
    assert assistant.index_settings.embed_backend == "torch"
