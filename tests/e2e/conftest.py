"""End-to-end fixtures: the emulator, settings pointing at it, and the running bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from emulator import BotApiEmulator, FloodLimits
from tests.harness import InProcessBot, with_webhook

TOKEN = "123456:TEST-token-for-the-emulator"
ADMIN_ID = 9001
FLOOD_LIMIT_IN_TESTS = 1000


@pytest.fixture
async def emulator():
    """The loopback Bot API emulator; a test fails if the bot made a call Telegram would reject."""
    emu = BotApiEmulator(token=TOKEN, bot_username="rembug_test_bot", flood=FloodLimits())
    await emu.start()
    yield emu
    await emu.stop()
    # A 403 is how Telegram says a person blocked the bot or never started it: an outcome
    # the bot must handle, not an invalid call. A test that restarts the bot mid-burst sets
    # flood_expected: the new process cannot know what the old one sent, so a 429 it then
    # honours is correct behaviour too.
    # A test that takes the bot's rights away in a channel lists the error it expects there
    # (expected_errors): Telegram answers such a post with a 400 the bot must handle.
    flood_expected = getattr(emu, "flood_expected", False)
    expected = getattr(emu, "expected_errors", ())
    rejected = [
        (c.method, c.error_code, c.description)
        for c in emu.rejections
        if c.error_code != 403
        and not (flood_expected and c.error_code == 429)
        and not any(text in (c.description or "") for text in expected)
    ]
    assert not rejected, f"the bot made calls Telegram would reject: {rejected}"


@pytest.fixture
def settings(emulator: BotApiEmulator, tmp_path: Path) -> Settings:
    """Settings pointing the bot at the emulator and a fresh database file."""
    return Settings(
        token=TOKEN,
        api_url=emulator.base_url,
        database=tmp_path / "rembug.sqlite3",
        admin_ids=frozenset({ADMIN_ID}),
        # Tests tap faster than people do; the flood limit (20 updates in 10 s) has its own tests
        # (test_guessing_and_flooding.py), which set it back.
        flood_limit=FLOOD_LIMIT_IN_TESTS,
    )


@pytest.fixture
async def bot(settings: Settings, emulator):
    """The real bot running in this process against the emulator."""
    running = InProcessBot(settings)
    await running.start()
    emulator.world.bot_idle = running.idle  # a reply is waited for until the bot has handled the action
    yield running
    await running.stop()


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    """``settings`` for webhook mode: the bot listens on a free loopback port, the emulator posts there."""
    return with_webhook(settings)


@pytest.fixture
async def webhook_bot(webhook_settings: Settings, emulator):
    """The real bot in this process, taking its updates by webhook from the emulator."""
    running = InProcessBot(webhook_settings, webhook=True)
    await running.start()
    emulator.world.bot_idle = running.idle
    yield running
    await running.stop()


@pytest.fixture
def clock():
    """A clock the test moves: Monday 23 Nov 2026, 10.00 WIB."""
    from datetime import UTC, datetime

    from bot.clock import FakeClock

    return FakeClock(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))


@pytest.fixture
async def clocked_bot(settings: Settings, clock, emulator):
    """The real bot on the test's clock."""
    running = InProcessBot(settings, clock)
    await running.start()
    emulator.world.bot_idle = running.idle
    yield running
    await running.stop()


# The longest message a member (no facilitator, secretary, committee or admin role) was shown, per test
# module (one flow each), measured as a phone shows it: the folded ``<blockquote expandable>`` not counted.
# Written to tests/artifacts/member-longest.json at the end of the run, for the closing note.
LONGEST_MEMBER_MESSAGE: dict[str, dict[str, object]] = {}


@pytest.fixture(autouse=True)
def longest_member_message(request):
    """After an end-to-end test with a bot, note the longest message its members were shown."""
    if not {"emulator", "settings"} <= set(request.fixturenames):
        yield
        return
    emu, settings = request.getfixturevalue("emulator"), request.getfixturevalue("settings")
    yield
    if not Path(settings.database).exists():
        return
    import sqlite3

    from bot.fitting import utf16_length

    with sqlite3.connect(f"file:{settings.database}?mode=ro", uri=True) as conn:
        members = {
            row[0]
            for row in conn.execute(
                "SELECT user_id FROM memberships GROUP BY user_id HAVING MAX(is_facilitator) = 0 AND MAX(is_secretary) = 0"
                " EXCEPT SELECT user_id FROM committee_members"
            )
        } - set(settings.admin_ids)
    flow = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    for member in members:
        chat = emu.world.chat(member)
        for shown in chat.bot_messages if chat else ():
            folded = sum(e["length"] for e in shown.entities if e["type"] == "expandable_blockquote")
            visible = utf16_length(shown.text) - folded
            if visible > int(LONGEST_MEMBER_MESSAGE.get(flow, {}).get("visible", 0)):
                LONGEST_MEMBER_MESSAGE[flow] = {
                    "visible": visible,
                    "test": request.node.name,
                    "starts": shown.text[:80],
                }


def pytest_sessionfinish(session, exitstatus):
    if not LONGEST_MEMBER_MESSAGE:
        return
    import json

    artifacts = Path(__file__).resolve().parents[1] / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    ranked = dict(sorted(LONGEST_MEMBER_MESSAGE.items(), key=lambda item: -int(item[1]["visible"])))
    (artifacts / "member-longest.json").write_text(json.dumps(ranked, indent=2, ensure_ascii=False))
