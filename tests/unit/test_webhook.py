"""Webhook mode's checks: the secret header, what counts as an update, the settings it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.webhook import secret_matches, update_payload, webhook_path

ROOT = Path(__file__).resolve().parents[2]
GOOD_TOKEN = "123456:ABCdefGHIjklMNOpqr"
SECRET = "s3cret_-Token"


def test_only_the_exact_secret_matches():
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(None, SECRET)  # no header
    assert not secret_matches("", SECRET)
    assert not secret_matches(SECRET + "x", SECRET)
    assert not secret_matches(SECRET[:-1], SECRET)
    assert not secret_matches(SECRET.upper(), SECRET)
    assert not secret_matches("ü" + SECRET, SECRET)  # not ASCII: still just a mismatch


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"update"',
        b"{}",
        b'{"update_id": 5}',  # nothing beside the id
        b'{"update_id": "5", "message": {}}',
        b'{"update_id": true, "message": {}}',
        b'{"update_id": -1, "message": {}}',
        b'{"update_id": 5, "message": "hi"}',
    ],
)
def test_a_body_that_is_not_an_update_is_refused(body):
    assert update_payload(body) is None


def test_an_update_is_taken_as_sent():
    update = {"update_id": 7, "message": {"message_id": 1, "text": "halo"}}
    assert update_payload(json.dumps(update).encode()) == update


def test_the_path_is_the_public_urls_own():
    assert webhook_path("https://bot.example.org/rembug/webhook") == "/rembug/webhook"
    assert webhook_path("https://bot.example.org") == "/"


def test_webhook_settings_are_read_with_defaults():
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": GOOD_TOKEN,
            "REMBUG_WEBHOOK_URL": "https://bot.example.org/rembug/webhook",
            "REMBUG_WEBHOOK_SECRET": SECRET,
        },
        dotenv=None,
    )
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    assert settings.require_webhook() == ("https://bot.example.org/rembug/webhook", SECRET)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REMBUG_WEBHOOK_URL", "http://bot.example.org/hook"),  # Telegram posts only to HTTPS
        ("REMBUG_WEBHOOK_URL", "bot.example.org"),
        ("REMBUG_WEBHOOK_PORT", "0"),
        ("REMBUG_WEBHOOK_PORT", "84a3"),
        ("REMBUG_WEBHOOK_SECRET", "has spaces"),
        ("REMBUG_WEBHOOK_SECRET", "x" * 257),
    ],
)
def test_a_malformed_webhook_setting_names_its_variable(variable, value):
    with pytest.raises(SettingsError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, variable: value}, dotenv=None)
    assert caught.value.variable == variable


def _run_cli(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_webhook_mode_without_a_secret_says_so_and_exits_2(tmp_path):
    result = _run_cli(
        {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_WEBHOOK_URL": "https://bot.example.org/hook"}, tmp_path
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rembug: REMBUG_WEBHOOK_SECRET: not set."), result.stderr
    assert "Traceback" not in result.stderr


def test_webhook_mode_without_a_url_says_so_and_exits_2(tmp_path):
    result = _run_cli({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_WEBHOOK_SECRET": SECRET}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("rembug: REMBUG_WEBHOOK_URL: not set.")
