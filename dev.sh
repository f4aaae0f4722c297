#!/usr/bin/env bash
# Rembug's two commands. Each sets everything up first (idempotent, fast when done):
#   ./dev.sh run    run the bot (TELEGRAM_BOT_TOKEN set: polls the Bot API)
#   ./dev.sh test   run every test
# Other: ./dev.sh setup | messages (refresh the catalogs after changing strings)
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_install() {
    # Debian packages the set-up needs; apt-get update only once per run.
    if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

setup_python() {
    if ! command -v "$PYTHON" >/dev/null; then
        say "installing Python 3"; apt_install python3 python3-venv
    fi
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "Rembug needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)" >&2; exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            apt_install python3-venv
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    # Reinstall only when the project's requirements changed.
    local want; want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
        say "installing Rembug and its dependencies"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[test]"
        echo "$want" > "$STAMP"
    fi
    "$VENV/bin/python" locales/catalogs.py compile >/dev/null
}

case "${1:-}" in
    setup)
        setup_python ;;
    run)
        setup_python
        shift
        exec "$VENV/bin/rembug" run "$@" ;;
    test)
        setup_python
        shift
        exec "$VENV/bin/python" -m pytest "$@" ;;
    messages)
        setup_python
        "$VENV/bin/python" locales/catalogs.py update ;;
    *)
        echo "usage: ./dev.sh run | test | setup | messages" >&2; exit 64 ;;
esac
