#!/usr/bin/env bash
# Install what the checks need into .venv and run every check: ruff, mypy,
# import contracts, pytest. Used as-is by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# tests/web drives Debian's chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing chromium (for tests/web)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: /usr/bin/chromium is missing; install it (apt-get install chromium)" \
      "or tests/web is skipped (and fails when CI is set)" >&2
  fi
fi

# The store's tests start a throwaway PostgreSQL server (tests/postgres_server.py).
initdb_found=""
for candidate in /usr/lib/postgresql/*/bin/initdb; do
  if command -v "$candidate" >/dev/null; then initdb_found=$candidate; fi
done
if [ -z "$initdb_found" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing postgresql (for the store's tests)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "note: PostgreSQL is missing; install it (apt-get install postgresql)" \
      "or its tests are skipped (and fail when CI is set)" >&2
  fi
fi

# tests/terminal drives the app in a real terminal through tmux.
if ! command -v tmux >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing tmux (for tests/terminal)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
  else
    echo "note: tmux is missing; install it (apt-get install tmux)" \
      "or tests/terminal is skipped (and fails when CI is set)" >&2
  fi
fi

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
