"""Settings come from the environment; a bad one is named in one line with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DEFAULT_API_URL, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_TOKEN = "123456:ABCdefGHIjklMNOpqr"


def test_defaults_when_only_the_token_is_set():
    settings = load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN}, dotenv=None)
    assert settings.api_url == DEFAULT_API_URL
    assert settings.database == Path("data/rembug.sqlite3")
    assert settings.timezone == "Asia/Jakarta"
    assert settings.language == "id"
    assert settings.admin_ids == frozenset()


def test_every_setting_is_read():
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": GOOD_TOKEN,
            "REMBUG_BOT_API_URL": "http://127.0.0.1:8081/",
            "REMBUG_DATABASE": "/tmp/x.sqlite3",
            "REMBUG_ADMIN_IDS": " 12, 34 ,",
            "REMBUG_TIMEZONE": "Asia/Makassar",
            "REMBUG_LANGUAGE": "en",
        },
        dotenv=None,
    )
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.admin_ids == frozenset({12, 34})
    assert (settings.timezone, settings.language) == ("Asia/Makassar", "en")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REMBUG_ADMIN_IDS", "12,abc"),
        ("REMBUG_TIMEZONE", "Mars/Olympus"),
        ("REMBUG_LANGUAGE", "fr"),
        ("REMBUG_BOT_API_URL", "api.telegram.org"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
    ],
)
def test_a_malformed_setting_names_its_variable(variable, value):
    environ = {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, variable: value}
    with pytest.raises(SettingsError) as raised:
        load_settings(environ, dotenv=None)
    assert raised.value.variable == variable


def test_dotenv_fills_what_the_environment_lacks(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text('# comment\nexport REMBUG_LANGUAGE="en"\nREMBUG_ADMIN_IDS=5\n', encoding="utf-8")
    settings = load_settings({"REMBUG_ADMIN_IDS": "7"}, dotenv=dotenv)
    assert settings.language == "en"
    assert settings.admin_ids == frozenset({7})  # the environment wins


def _run_cli(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_says_what_to_set_in_one_line(tmp_path):
    result = _run_cli({}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_with_malformed_admin_ids_exits_2_without_traceback(tmp_path):
    result = _run_cli({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_ADMIN_IDS": "x"}, tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "rembug: REMBUG_ADMIN_IDS: must be comma-separated Telegram user ids (e.g. 12345,67890), got 'x'"
    )


def test_retention_days_default_to_a_week_and_a_month_and_can_be_set():
    settings = load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN}, dotenv=None)
    assert (settings.keep_updates_days, settings.keep_drafts_days) == (7, 30)
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_KEEP_UPDATES_DAYS": "3", "REMBUG_KEEP_DRAFTS_DAYS": "60"},
        dotenv=None,
    )
    assert (settings.keep_updates_days, settings.keep_drafts_days) == (3, 60)


@pytest.mark.parametrize("value", ["0", "-1", "seven", "4000"])
def test_a_bad_retention_setting_is_named(value):
    with pytest.raises(SettingsError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_KEEP_DRAFTS_DAYS": value}, dotenv=None)
    assert caught.value.variable == "REMBUG_KEEP_DRAFTS_DAYS"


def test_the_flood_limit_defaults_to_twenty_and_zero_turns_it_off():
    assert load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN}, dotenv=None).flood_limit == 20
    assert load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_FLOOD_LIMIT": "0"}, dotenv=None).flood_limit == 0
    with pytest.raises(SettingsError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "REMBUG_FLOOD_LIMIT": "many"}, dotenv=None)
    assert caught.value.variable == "REMBUG_FLOOD_LIMIT"
