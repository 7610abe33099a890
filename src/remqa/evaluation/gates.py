"""Quality gates: thresholds on eval metrics, and no regressions against a committed baseline."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from remqa.errors import RemqaError


class Gate(BaseModel):
    metric: str
    min: float | None = None
    max: float | None = None


class GateResult(BaseModel):
    name: str
    value: float | int | str
    limit: str
    passed: bool


def load_gates(path: Path) -> tuple[list[Gate], bool]:
    """The gates in `path`, and whether baseline regressions fail the run."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        gates = [Gate(metric=name, **limits) for name, limits in raw.get("gates", {}).items()]
    except FileNotFoundError:
        raise RemqaError(f"Gates file {path} not found. Pass --gates FILE.") from None
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        raise RemqaError(f"Gates file {path} is not valid ({exc}).") from None
    return gates, bool(raw.get("no_regressions", True))


def load_baseline(path: Path) -> set[str]:
    """Ids of the items that passed when the baseline was recorded (none if no baseline)."""
    if not path.exists():
        return set()
    return set(json.loads(path.read_text(encoding="utf-8"))["passing"])


def save_baseline(path: Path, passing: list[str]) -> None:
    path.write_text(json.dumps({"passing": sorted(passing)}, indent=2) + "\n", encoding="utf-8")


def check_gates(
    metrics: dict[str, float | int],
    gates: list[Gate],
    passing_now: set[str],
    baseline: set[str],
    no_regressions: bool,
    run_ids: set[str] | None = None,
) -> list[GateResult]:
    """Each gate's verdict; items of the baseline outside `run_ids` (when given) are not
    counted as regressions, so a partial eval set can be run."""
    results = []
    for gate in gates:
        if gate.metric not in metrics:
            raise RemqaError(f"Gate on unknown metric {gate.metric!r}; known: {sorted(metrics)}")
        value = metrics[gate.metric]
        ok = (gate.min is None or value >= gate.min) and (gate.max is None or value <= gate.max)
        limit = " and ".join(
            part
            for part in (
                f">= {gate.min:g}" if gate.min is not None else "",
                f"<= {gate.max:g}" if gate.max is not None else "",
            )
            if part
        )
        results.append(GateResult(name=gate.metric, value=value, limit=limit, passed=ok))
    if no_regressions:
        considered = baseline if run_ids is None else baseline & run_ids
        regressed = sorted(considered - passing_now)
        results.append(
            GateResult(
                name="no_regressions",
                value=", ".join(regressed) if regressed else "none",
                limit="items passing in the baseline still pass",
                passed=not regressed,
            )
        )
    return results
