"""ONNX files of the reading model: the packaged lower part (per machine) and the top (shipped).

Run as a child process (`python -m remqa.answering.reader.export FOLDER --layers N`) by
lower.py, so torch is loaded there and never in the question path; the training script calls
`export_top`. Files are written under a temporary name and renamed, as onnx_export.py does,
and int8 uses the embedding model's quantization (dynamic, per-channel MatMul weights).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

from remqa.index.onnx_export import OPSET, _partial, quantize_int8, write_manifest

LOWER_FP32 = "lower-fp32.onnx"
_AXES = {0: "batch", 1: "tokens"}


def export_lower(target: Path, layers: int) -> Path:
    """Embeddings and the first `layers` layers of the packaged model, as they ship."""
    if target.exists():
        return target
    import torch

    from remqa.answering.reader.torch_parts import Lower, packaged_bert

    lower = Lower(packaged_bert(), layers).eval()
    sample = torch.ones((2, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: _AXES for n in names} | {"hidden": _AXES}
    _export(lower, (sample, sample, torch.zeros_like(sample)), names, ["hidden"], axes, target)
    return target


def export_top(top: Any, hidden_size: int, target: Path) -> Path:
    """The trained top (a torch_parts.Top) with a probability output, overwriting `target`."""
    import torch

    from remqa.answering.reader.torch_parts import TopExport

    sample = (torch.zeros((2, 8, hidden_size)), torch.ones((2, 8), dtype=torch.int64))
    outputs = ["probability", "start_logits", "end_logits"]
    axes = {"hidden": _AXES, "attention_mask": _AXES, "probability": {0: "batch"},
            "start_logits": _AXES, "end_logits": _AXES}  # fmt: skip
    _export(TopExport(top).eval(), sample, ["hidden", "attention_mask"], outputs, axes, target)
    return target


def _export(
    module: Any, sample: tuple[Any, ...], inputs: list[str], outputs: list[str],
    axes: dict[str, dict[int, str]], target: Path,
) -> None:  # fmt: skip
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about constants that are constant
        torch.onnx.export(
            module, sample, str(partial), input_names=inputs, output_names=outputs,
            dynamic_axes=axes, opset_version=OPSET, dynamo=False,
        )  # fmt: skip
    partial.replace(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="cache folder of this export and key")
    parser.add_argument("--layers", type=int, required=True, help="lower layers to export")
    parser.add_argument("--int8-file", default="", help="also quantize, into this file")
    parser.add_argument("--manifest", default="", help="JSON written beside the files")
    args = parser.parse_args(argv)
    path = export_lower(args.folder / LOWER_FP32, args.layers)
    if args.int8_file:
        path = quantize_int8(path, args.folder / args.int8_file)
    if args.manifest:
        write_manifest(args.folder, args.manifest)
    json.dump({"path": str(path)}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
