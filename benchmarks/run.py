"""Run the benchmarks and print each as a ratio against a baseline measured in the same run.

Machines here are noisy, so compare ratios, not seconds.

    python benchmarks/run.py            # every benchmark
    python benchmarks/run.py course     # those whose module name contains "course"

A benchmark asked for by name is the only one imported: with the others imported first,
the keystroke ratio measured a median of 1.38 against about 1.0 without them, minutes
apart on the same (busy) machine.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHMARKS = [
    "benchmarks.bench_course_load", "benchmarks.bench_startup", "benchmarks.bench_export",
    "benchmarks.bench_keystrokes", "benchmarks.bench_cohort", "benchmarks.bench_serve",
]


def main(argv: list[str]) -> int:
    wanted = [a.lower() for a in argv]
    failed = 0
    print(f"{'benchmark':<28}{'ours (s)':>10}{'base (s)':>10}{'ratio':>8}{'target':>8}")
    for name in BENCHMARKS:
        if wanted and not any(w in name.removeprefix("benchmarks.bench_") for w in wanted):
            continue
        module = importlib.import_module(name)
        ours, base = module.run()
        ratio = ours / base
        ok = ratio <= module.TARGET
        failed += not ok
        mark = "ok" if ok else "OVER"
        print(
            f"{module.NAME:<28}{ours:>10.4f}{base:>10.4f}{ratio:>8.2f}"
            f"{'≤ ' + str(module.TARGET):>8}  {mark}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
