"""Run the benchmarks and record their figures in bench/RESULTS.md.

Usage::

    python -m bench                 # every benchmark
    python -m bench foundation      # only bench/bench_foundation.py

Each ``bench/bench_<name>.py`` module exposes ``run() -> list[Measure]``.
RESULTS.md keeps one section per module, replaced when that module runs
again, with the command, the date and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
from pathlib import Path

from bench.common import Measure

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Figures measured on the development machine; each section says the command\n"
    "that produced it. Re-run with `make bench` (or `python -m bench NAME`).\n"
)


def _modules() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def _section(name: str, measures: list[Measure]) -> str:
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    lines = [
        f"## {name}",
        "",
        f"Command: `python -m bench {name}` — {dt.date.today().isoformat()}, "
        f"Python {platform.python_version()}, {machine}.",
        "",
        "| measure | value | budget | verdict |",
        "|---|---|---|---|",
    ]
    lines += [m.row() for m in measures]
    return "\n".join(lines) + "\n"


def _write(sections: dict[str, str]) -> None:
    old = RESULTS.read_text() if RESULTS.exists() else HEADER
    kept = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^## (\S+)\n.*?(?=^## |\Z)", old, flags=re.S | re.M)
    }
    kept.update(sections)
    body = "\n".join(kept[name].rstrip() + "\n" for name in sorted(kept))
    RESULTS.write_text(HEADER + "\n" + body)


def main() -> None:
    """Run the named benchmark modules (all by default) and record them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"among {', '.join(_modules())}")
    args = parser.parse_args()
    names = args.names or _modules()
    unknown = sorted(set(names) - set(_modules()))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {_modules()}")
    sections = {}
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        measures = module.run()
        for m in measures:
            print(f"{name}: {m.row()}")
        failed += [m for m in measures if m.over_budget]
        sections[name] = _section(name, measures)
    _write(sections)
    print(f"written {RESULTS}")
    if failed:
        raise SystemExit(f"{len(failed)} measure(s) over budget")


if __name__ == "__main__":
    main()
