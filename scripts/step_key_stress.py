"""Press the step keys many times in a real terminal and report a press left unanswered.

    python scripts/step_key_stress.py 30        # 30 rounds of 5 × Ctrl+Down, 5 × Ctrl+Up

Run it with both cores busy (e.g. two `python3 -c "while True: pass"`): a press that the
app leaves unanswered, or a crash, shows only under load. Each press waits for the step
counter to move, as a person would, before the next.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import SAMPLE_COURSE  # noqa: E402
from tests.terminal.tmux import Terminal  # noqa: E402


def main(rounds: int) -> int:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "tmux").mkdir()
    term = Terminal(tmp / "tmux", REPO)
    data = tmp / "data"
    term.start([sys.executable, "-m", "peerskole", "--data-dir", str(data),
                "--course", str(SAMPLE_COURSE)],
               env={"LANG": "C.UTF-8", "PEERSKOLE_DATA_DIR": str(data)})
    try:
        term.wait_for("Der er ingen profiler endnu", timeout=60)
        term.type("Stress")
        term.keys("Enter")
        term.wait_for("║ Første modul", timeout=60)
        term.keys("Enter")
        term.wait_for("Trin 1 af 6", timeout=60)
        step = 1
        for number in range(1, rounds + 1):
            for key, move in (("C-Down", 1),) * 5 + (("C-Up", -1),) * 5:
                step += move
                term.keys(key)
                try:
                    term.wait_for(f"Trin {step} af 6", timeout=20)
                except AssertionError as error:
                    print(f"round {number}: {key} towards step {step} went unanswered")
                    print(error)
                    return 1
            print(f"round {number}: 10 presses answered", flush=True)
        return 0
    finally:
        term.stop()


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
