#!/usr/bin/env bash
# Rembug's two commands. Each sets everything up first (idempotent, fast when done):
#   ./dev.sh run    run the bot: with TELEGRAM_BOT_TOKEN (environment or .env) it polls the
#                   Bot API; without, it starts the sandbox (web chat on http://127.0.0.1:8080)
#   ./dev.sh test   check the code (as ./dev.sh check), then run every test (installs chromium
#                   for the browser test where it can); stops at the first failing check
# Other: ./dev.sh check (lint, format, types, catalogs) | setup | messages (refresh the catalogs)
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

setup_browser() {
    # The browser test drives Debian's chromium; where it cannot be installed, that test skips.
    [ -x /usr/bin/chromium ] && return 0
    if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
        say "installing chromium (for the browser test)"
        apt_install chromium fonts-noto-color-emoji \
            || echo "could not install chromium: the browser test will skip" >&2
    else
        echo "chromium is missing (sudo apt-get install chromium): the browser test will skip" >&2
    fi
}

setup_pdf_reader() {
    # The report tests render each PDF's page 1 to PNG with poppler's pdftoppm; where it is missing, that step skips.
    command -v pdftoppm >/dev/null && return 0
    if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
        say "installing poppler-utils (pdftoppm, for the report tests' pictures)"
        apt_install poppler-utils || echo "could not install poppler-utils: the PDF pictures will skip" >&2
    else
        echo "pdftoppm is missing (sudo apt-get install poppler-utils): the PDF pictures will skip" >&2
    fi
}

has_token() {
    # As bot/settings.py reads it: the environment wins, else a non-empty line in .env.
    if [ -n "${TELEGRAM_BOT_TOKEN+set}" ]; then [ -n "$TELEGRAM_BOT_TOKEN" ]; return; fi
    [ -f .env ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?TELEGRAM_BOT_TOKEN[[:space:]]*=[[:space:]]*["'"'"']?[^[:space:]"'"'"'#]' .env
}

check() {
    # The habits CI holds every change to (rules chosen in pyproject.toml; see README, "Development").
    say "ruff check (lint)"; "$VENV/bin/ruff" check .
    say "ruff format --check"; "$VENV/bin/ruff" format --check .
    say "mypy (types)"; "$VENV/bin/mypy"
    say "catalogs (every string translated, no stale entries)"
    local problems; problems=$("$VENV/bin/python" locales/catalogs.py check)
    if [ -n "$problems" ]; then echo "$problems" >&2; return 1; fi
}

case "${1:-}" in
    setup)
        setup_python ;;
    check)
        setup_python
        check ;;
    run)
        setup_python
        shift
        if has_token; then exec "$VENV/bin/rembug" run "$@"; fi
        say "no TELEGRAM_BOT_TOKEN set: starting the sandbox instead"
        exec "$VENV/bin/python" -m sandbox "$@" ;;
    test)
        setup_python
        check
        setup_browser
        setup_pdf_reader
        shift
        exec "$VENV/bin/python" -m pytest "$@" ;;
    messages)
        setup_python
        "$VENV/bin/python" locales/catalogs.py update ;;
    *)
        echo "usage: ./dev.sh run | test | check | setup | messages" >&2; exit 64 ;;
esac
