# Sourced by the other scripts: a project virtualenv with the package installed (idempotent).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ] || [ "$ROOT/setup.py" -nt "$STAMP" ]; then
  echo "== installing into .venv (log: .venv/install.log)"
  # pip's and setuptools' notices (the editable-install box) go to the log; a failure shows it.
  if ! { "$VENV/bin/python" -m pip install --quiet --upgrade pip &&
         "$VENV/bin/python" -m pip install --quiet -e "$ROOT${EXTRAS:+[$EXTRAS]}"; } \
       >"$VENV/install.log" 2>&1; then
    cat "$VENV/install.log" >&2
    exit 1
  fi
  touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"

# The browser assets (GraphiQL, /explorer) from web/ (web/assets.mjs: `npm ci` when the lock
# file changed since the last install, otherwise only the build).
build_web_assets() {
  if ! command -v npm >/dev/null; then
    return 1
  fi
  node "$ROOT/web/assets.mjs"
}
