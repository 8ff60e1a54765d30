#!/usr/bin/env bash
# Install what the checks need into .venv and run every check: ruff, mypy,
# import contracts, pytest. Used as-is by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"

export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"
ruff check peerskole tests benchmarks
echo "== mypy"
mypy
echo "== import contracts"
lint-imports
echo "== pytest"
pytest "$@"
