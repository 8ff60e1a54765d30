#!/usr/bin/env bash
# Install what the checks need into .venv and run every check: ruff, mypy,
# import contracts, pytest. Used as-is by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# install_if_missing TOOL PACKAGE WHY: installs a Debian package the tests need when
# the tool is absent (as root with apt-get); otherwise says so. A test that needs it
# then skips, and fails when CI is set.
install_if_missing() {
  if [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing $2 ($3)"
    if [ -z "${apt_updated:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "note: $1 is missing; install it (apt-get install $2)" \
      "or $3 are skipped (and fail when CI is set)" >&2
  fi
}

# The store's tests start a throwaway PostgreSQL server (tests/postgres_server.py).
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1 || true)
install_if_missing "${initdb:-initdb}" postgresql "the store's PostgreSQL tests"
install_if_missing /usr/bin/chromium chromium "the browser tests in tests/web"
install_if_missing tmux tmux "the real-terminal tests in tests/terminal"
install_if_missing sqlite3 sqlite3 "the export benchmark's baseline tests"
install_if_missing setpriv util-linux "the unwritable-folder tests run as root"

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
