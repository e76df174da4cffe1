"""Measurement helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One figure: what, how much, and the budget it must stay under."""

    name: str
    value: float
    unit: str
    budget: float | None = None

    @property
    def over_budget(self) -> bool:
        """Whether the figure exceeds its budget."""
        return self.budget is not None and self.value > self.budget

    def row(self) -> str:
        """A Markdown table row."""
        budget = "—" if self.budget is None else f"≤ {_fmt(self.budget)} {self.unit}"
        verdict = "—" if self.budget is None else ("over" if self.over_budget else "ok")
        return (
            f"| {self.name} | {_fmt(self.value)} {self.unit} | {budget} | {verdict} |"
        )


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.3g}"


def best_time(func: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Median wall time of ``func`` over ``repeat`` runs, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
