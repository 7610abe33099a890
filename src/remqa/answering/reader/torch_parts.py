"""The reading model in PyTorch, cut in two: the packaged lower layers and the trained top.

Only the training script, the ONNX export (a child process) and the tests import this:
the question path runs ONNX files and never loads torch. The cut keeps the shipped file
small: the lower part is the packaged all-MiniLM-L6-v2 exactly (its embeddings, the largest
part, and the first `lower_layers` transformer layers: none as shipped), made into ONNX on
each machine; the layers above it and the two heads are trained and shipped.
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn

from remqa.index.onnx_export import model_dir


def packaged_bert() -> Any:
    """The packaged MiniLM as a transformers BertModel, eager attention (plain ONNX ops)."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # "unused pooler" chatter
    model = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager")
    model.eval()
    return model


def additive_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(batch, tokens) 1/0 -> (batch, 1, 1, tokens) 0/-10000, added to attention scores."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * -10000.0


class Lower(nn.Module):
    """Embeddings and the first layers of the packaged model: token ids -> hidden states."""

    def __init__(self, bert: Any, layers: int) -> None:
        super().__init__()
        self.embeddings = bert.embeddings
        self.layers = nn.ModuleList(bert.encoder.layer[:layers])

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        mask = additive_mask(attention_mask, hidden.dtype)
        for layer in self.layers:
            out = layer(hidden, attention_mask=mask)
            hidden = out[0] if isinstance(out, tuple) else out
        result: torch.Tensor = hidden
        return result


class Top(nn.Module):
    """The trained part: the last layers and two heads.

    Outputs P(the sentence answers the question), from the [CLS] token, and start/end logits
    over the tokens for the short answer.
    """

    def __init__(self, bert: Any, lower_layers: int) -> None:
        super().__init__()
        hidden_size = int(bert.config.hidden_size)
        self.layers = nn.ModuleList(copy.deepcopy(list(bert.encoder.layer[lower_layers:])))
        self.answers = nn.Sequential(
            nn.Dropout(0.1),
            nn.Linear(hidden_size, hidden_size),
            nn.Tanh(),
            nn.Linear(hidden_size, 1),
        )
        self.span = nn.Linear(hidden_size, 2)

    def forward(
        self, hidden: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mask = additive_mask(attention_mask, hidden.dtype)
        for layer in self.layers:
            out = layer(hidden, attention_mask=mask)
            hidden = out[0] if isinstance(out, tuple) else out
        logit = self.answers(hidden[:, 0]).squeeze(-1)
        start, end = self.span(hidden).unbind(-1)
        return logit, start, end


class TopExport(nn.Module):
    """Top as exported: a probability instead of a logit."""

    def __init__(self, top: Top) -> None:
        super().__init__()
        self.top = top

    def forward(
        self, hidden: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        logit, start, end = self.top(hidden, attention_mask)
        return torch.sigmoid(logit), start, end
