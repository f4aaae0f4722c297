"""The biggest screen of every flow, seeded large, through the real bot and the emulator: each fits
Telegram's limits (the emulator fixture fails the test on any call Telegram would refuse), pages with
◀ ▶ and says "Halaman 1/7", and needed no split by the bot's safety net (bot/fitting_bot.py)."""

from __future__ import annotations

import asyncio
import logging
import re
import time

import pytest

from bot.fitting import TEXT_LIMIT, utf16_length
from conversations.meetings.invitations import REPORT
from conversations.start.rules import HELP_PAGE
from storage import reminders as due_messages
from tests.e2e.chats import wait_for_any, wait_for_kind
from tests.e2e.menus import open_entry
from tests.e2e.seed_large import (
    MEMBERS,
    long_name,
    seed_big_cluster,
    seed_brainstorms,
    seed_committee,
    seed_election,
    seed_meeting,
    seed_plan,
    seed_survey,
)

pytestmark = pytest.mark.e2e
SECRETARY = (7001, "Sekretaris Dinas Perindustrian dan Perdagangan Provinsi Jawa Tengah")
FACILITATOR = (7002, "Ratna Wulandari")
FIRST_MEMBER = 710_000
NEXT, PREVIOUS = "Berikutnya ▶", "◀ Sebelumnya"


@pytest.fixture
def net(caplog):
    """The bot's log of texts its safety net had to split; a paged screen never needs it."""
    caplog.set_level(logging.INFO, logger="bot.fitting_bot")
    return caplog


def assert_not_split(net) -> None:
    splits = [r.getMessage() for r in net.records if r.name == "bot.fitting_bot"]
    assert not splits, splits


def pages_of(text: str) -> tuple[int, int]:
    """The "Halaman 3/7" of a screen."""
    found = re.search(r"Halaman (\d+)/(\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


async def turn(person, message_id: int, expected: str, label: str = NEXT):
    """Tap ``label`` and wait until the message (edited in place, maybe above a chart) says ``expected``:
    the tap's answer can come before the edit."""
    await person.press(label)
    for _ in range(500):
        message = person.message(message_id)
        if expected in message.text:
            return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"the page never showed {expected!r}: {message.text[:200]!r}")


async def page_through(person, first, *, heading: str) -> tuple[int, list[str]]:
    """Tap Next ▶ from the first page to the last; every page fits and keeps ``heading``.
    Returns the number of pages and what each page said."""
    seen = [first.text]
    page, pages = pages_of(first.text)
    assert page == 1 and PREVIOUS not in str(first.buttons)
    message = first
    while page < pages:
        message = await turn(person, first.message_id, f"Halaman {page + 1}/{pages}")
        page, _pages = pages_of(message.text)
        assert heading in message.text and page == len(seen) + 1 and utf16_length(message.text) <= TEXT_LIMIT
        seen.append(message.text)
    assert NEXT not in str(message.buttons) and (pages == 1 or PREVIOUS in str(message.buttons))
    return pages, seen


async def test_a_secretary_pages_through_the_comparison_of_100_clusters(emulator, clocked_bot, clock, net):
    started = time.monotonic()
    await seed_committee(clocked_bot.application.services.db, clock.now(), secretary=SECRETARY, facilitator=FACILITATOR)
    secretary = emulator.user(*SECRETARY, language_code="id")
    await secretary.ask("/committee")
    overview = await secretary.press("🏛 Forum Pengembangan Ekonomi")
    assert "… dan 92 lainnya" in overview.text and utf16_length(overview.text) <= TEXT_LIMIT
    await secretary.press("📊 Bandingkan klaster")
    await wait_for_kind(secretary, "photo", timeout=30)  # the chart of all of them, under the first page
    table = next(m for m in secretary.bot_messages if "perbandingan klaster" in m.text)
    assert "100 klaster" in table.text and "Nomor 001" in table.text and "Nomor 016" not in table.text
    pages, seen = await page_through(secretary, table, heading="perbandingan klaster")
    assert pages == 7 and "Nomor 100 Jawa Tengah" in seen[-1] and "Nomor 090" not in seen[-1]
    back = await turn(secretary, table.message_id, "Halaman 6/7", PREVIOUS)
    await secretary.tap_data(back.message_id, "cm1:cmp:1:x")  # a forged page
    await secretary.wait_reply()
    assert secretary.callback_answers[-1][0] == "Tombol ini sudah tidak berlaku. Ketik /menu untuk mulai lagi."
    assert_not_split(net)
    print(f"comparison: {pages} pages of 100 clusters in {time.monotonic() - started:.1f} s")


async def _big_cluster(bot, clock):
    db = bot.application.services.db
    return db, await seed_big_cluster(db, clock.now(), FACILITATOR, FIRST_MEMBER)


async def test_a_facilitator_pages_through_300_members_keeping_the_filter(emulator, clocked_bot, clock, net):
    started = time.monotonic()
    _db, _big = await _big_cluster(clocked_bot, clock)
    fac = emulator.user(*FACILITATOR, language_code="id")
    await fac.ask("/menu")
    first = await open_entry(fac, "👥 Anggota", "Daftar anggota")
    assert "301 anggota" in first.text and long_name(1) in first.text  # the 300 and their facilitator
    pages, seen = await page_through(fac, first, heading="Anggota Sentra Batik Laweyan")
    assert pages == 31 and long_name(MEMBERS) in seen[-2] and "301. Ratna Wulandari" in seen[-1]
    await fac.press("👥 Per grup kecil")
    group = await fac.press("Grup 20")
    assert "15 anggota" in group.text and "Grup kecil: Grup 20 pembatik tulis dan cap Laweyan Kidul" in group.text
    pages, seen = await page_through(fac, group, heading="Grup kecil: Grup 20")
    assert pages == 2 and long_name(MEMBERS) in seen[-1] and long_name(295) not in seen[-1]  # the filter stays on
    assert_not_split(net)
    print(f"directory: 31 pages of 301 members, then 2 of one group, in {time.monotonic() - started:.1f} s")


async def test_an_organiser_pages_through_300_invitees_and_their_attendance(emulator, clocked_bot, clock, net):
    started = time.monotonic()
    db, big = await _big_cluster(clocked_bot, clock)
    await seed_meeting(db, clock.now(), big, FACILITATOR[0])
    fac = emulator.user(*FACILITATOR, language_code="id")
    await fac.ask("/meetings")
    view = await fac.press("Pertemuan rutin bulanan")
    assert "Diundang: 300" in view.text and " …" in view.text and utf16_length(view.text) <= TEXT_LIMIT
    first = await fac.press("👥 Yang diundang (300)")
    pages, seen = await page_through(fac, first, heading="Yang diundang: Pertemuan rutin")
    assert pages == 20 and long_name(MEMBERS) in seen[-1] and "300. ⚠️" in seen[-1]
    unreached = await fac.press("Tidak terjangkau")
    assert "Tidak terjangkau: 40" in unreached.text
    pages, seen = await page_through(fac, unreached, heading="Yang diundang")
    assert pages == 3 and long_name(MEMBERS) in seen[-1] and long_name(261) in seen[0] and long_name(260) not in seen[0]
    await fac.press("« Kembali ke pertemuan")
    ticks = await fac.press("✔️ Catat kehadiran")
    assert "Hadir: 150/300" in ticks.text
    pages, _seen = await page_through(fac, ticks, heading="Kehadiran: Pertemuan rutin")
    assert pages == 30
    await fac.press("« Kembali ke pertemuan")
    summary = await fac.press("📊 Ringkasan kehadiran")
    assert "Diundang: 300" in summary.text and "Hadir: 150" in summary.text

    # The report after the invitations went out names the first fifteen not reached and opens the rest.
    async with db.transaction() as tx:
        await due_messages.schedule(
            tx, f"meeting:{big.meeting_id}:invite_report", REPORT, clock.now(), {"meeting": big.meeting_id}, clock.now()
        )
    clocked_bot.application.services.reminders.wake()
    report = await wait_for_any(fac, "260 terkirim", timeout=20)
    assert report.text.count("\n• ") == 15 and "… dan 25 lainnya" in report.text
    rest = await turn(fac, report.message_id, "Tidak terjangkau: 40", "⚠️ Tidak terjangkau (40)")
    assert pages_of(rest.text) == (1, 3)
    assert_not_split(net)
    print(f"meeting: 20 pages of 300 invitees, 3 of 40 not reached, 30 to tick, in {time.monotonic() - started:.1f} s")


async def test_results_of_a_cluster_of_300_page_on_one_screen_each(emulator, clocked_bot, clock, net):
    started = time.monotonic()
    db, big = await _big_cluster(clocked_bot, clock)
    now = clock.now()
    form = next(
        f for (form_id, _version), f in clocked_bot.application.services.forms.forms.items() if form_id == "annex1"
    )
    await seed_survey(db, now, big, form, FACILITATOR[0])
    await seed_brainstorms(db, now, big, FACILITATOR[0])
    await seed_election(db, now, big, FACILITATOR[0])
    await seed_plan(db, now, big, FACILITATOR[0])
    fac = emulator.user(*FACILITATOR, language_code="id")
    counted = {}

    # The survey round all 300 answered: one screen, and its chart.
    results = await open_screen(fac, f"sv1:res:{big.round_id}", "300 responden")
    assert utf16_length(results.text) <= TEXT_LIMIT

    # The brainstorm board of 300 long cards, the themes being grouped, and the longlist of 80.
    board = await open_screen(fac, f"bs1:b:{big.grouping_session}", "Semua kartu (300)")
    counted["board"], seen = await page_through_lower(fac, board, heading="Semua kartu (300)")
    assert "Kartu 300:" in seen[-1]
    grouping = await open_screen(fac, f"bs1:g:{big.grouping_session}", "Kartu tanpa tema")
    counted["themes being grouped"], seen = await page_through(fac, grouping, heading="Kartu tanpa tema")
    assert "nomor 39" in seen[-1] and "#300" in seen[-1]
    longlist = await open_screen(fac, f"bs1:sl:{big.results_session}", "80 tema")
    counted["longlist"], seen = await page_through(fac, longlist, heading="80 tema")
    assert "80. Usulan kegiatan pelatihan dan promosi bersama nomor 80 — 21 titik" in seen[-1]
    marked = await turn(fac, longlist.message_id, "⭐ Usulan", "☆ 80.")
    assert pages_of(marked.text) == (8, 8)  # marking keeps the page

    # The election of seven positions, forty candidates each.
    election = await open_screen(fac, f"og1:es:{big.election_id}", "Hasil pemilihan")
    counted["election results"], seen = await page_through(fac, election, heading="Hasil pemilihan")
    assert "dan 30 lainnya" in seen[0] and "Protokol" in seen[-1]

    # The plan board with sixty progress reports overdue, and the plan's card of forty activities.
    await open_screen(fac, f"pl1:brd:{big.plan_id}", "papan rencana")
    await wait_for_kind(fac, "photo", count=2, timeout=30)
    plan_board = next(m for m in reversed(fac.bot_messages) if "papan rencana" in m.text)
    counted["overdue reports"], seen = await page_through(fac, plan_board, heading="papan rencana")
    assert "terlambat: 60" in seen[0] and "kelompok 20" in seen[-1]
    card = await open_screen(fac, f"pl1:p:{big.plan_id}", "… dan 28 lainnya")
    assert utf16_length(card.text) <= TEXT_LIMIT
    assert_not_split(net)
    print(f"results: pages {counted} in {time.monotonic() - started:.1f} s")
    assert counted == {
        "board": 43,
        "themes being grouped": 4,
        "longlist": 8,
        "election results": 4,
        "overdue reports": 6,
    }


async def open_screen(person, data: str, text: str):
    """Open a screen with the data of the button that leads to it, tapped under a fresh menu."""
    menu = await person.ask("/menu")
    await person.tap_data(menu.message_id, data)
    return await wait_for_any(person, text, timeout=20)


async def page_through_lower(person, first, *, heading: str) -> tuple[int, list[str]]:
    """``page_through`` for the brainstorm board, whose line says "halaman 1/25"."""
    seen = [first.text]
    pages = int(re.search(r"halaman 1/(\d+)", first.text).group(1))
    for page in range(2, pages + 1):
        text = (await turn(person, first.message_id, f"halaman {page}/{pages}")).text
        assert f"halaman {page}/{pages}" in text and heading in text and utf16_length(text) <= TEXT_LIMIT
        seen.append(text)
    return pages, seen


@pytest.mark.parametrize(
    ("language", "words"),
    [("id", ("Bantuan", "Perintah", "Halaman", NEXT)), ("en", ("Help", "Commands", "Page", "Next ▶"))],
)
async def test_help_pages_for_an_administrator_who_sees_every_button(
    emulator, settings, clocked_bot, clock, net, language, words
):
    admin_id = next(iter(settings.admin_ids))
    await seed_big_cluster(clocked_bot.application.services.db, clock.now(), (admin_id, "Admin"), FIRST_MEMBER)
    admin = emulator.user(admin_id, "Admin", language_code=language)
    title, commands, page_word, next_label = words
    first = await admin.ask("/help")
    pages = int(re.search(rf"{title} · {page_word} 1/(\d+)", first.text).group(1))
    assert pages > 1 and commands not in first.text and len(first.text) <= HELP_PAGE
    for page in range(2, pages + 1):
        shown = (await turn(admin, first.message_id, f"{title} · {page_word} {page}/{pages}", next_label)).text
        assert len(shown) <= HELP_PAGE  # one phone screen a page
    assert commands in shown and "/cancel" in shown
    assert_not_split(net)
