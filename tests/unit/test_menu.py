"""The main menu as each role sees it: at most 8 top-level buttons, groups one level down, toggles with their state."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import build_application
from bot.clock import SystemClock
from bot.i18n import translator
from bot.menu import (
    GROUPS,
    MENU_BUTTON,
    TOP_LEVEL,
    MenuEntry,
    MenuFacts,
    group_button_data,
    group_entries,
    home_group,
    keyboard,
    layout,
    parse_group_button,
)
from bot.roles import Role, Standing
from bot.settings import Settings
from conversations.start.rules import HELP_PAGE, pack_pages
from conversations.start.views import help_page
from storage.database import Database

ONE_CLUSTER = MenuFacts(clusters=1)


def member(*roles: Role, admin: bool = False, groups: tuple[int, ...] = ()) -> Standing:
    """A standing in cluster 1 with ``roles`` besides being a member."""
    return Standing(1, admin, 1, "Sentra Batik", frozenset({Role.MEMBER, *roles}), groups)


STANDINGS = {
    "member": member(),
    "group leader": member(Role.GROUP_LEADER, groups=(3,)),
    "secretary": member(Role.SECRETARY),
    "facilitator": member(Role.FACILITATOR),
    "committee member": Standing(1, cluster_roles=frozenset({Role.COMMITTEE_MEMBER})),
    "admin": Standing(1, True),
    "admin and facilitator": member(Role.FACILITATOR, Role.COMMITTEE_MEMBER, admin=True),
    "newcomer": Standing(1),
}


@pytest.fixture(scope="module")
def entries(tmp_path_factory) -> list[MenuEntry]:
    """Every entry the flows register, from the real application's wiring."""
    path = tmp_path_factory.mktemp("menu") / "menu.sqlite3"
    settings = Settings(token="1:test", api_url="http://127.0.0.1:9", database=path)

    async def wire() -> list[MenuEntry]:
        database = await Database.open(path)
        try:
            return build_application(settings, database, SystemClock()).services.menu.entries
        finally:
            await database.close()

    return asyncio.run(wire())


def labels(buttons, lang: str = "id") -> list[str]:
    _ = translator(lang).gettext
    return [_(button.label) for button in buttons]


@pytest.mark.parametrize("role", list(STANDINGS))
def test_every_role_sees_at_most_eight_top_level_buttons(entries, role):
    facts = MenuFacts(clusters=0 if STANDINGS[role].cluster_id is None else 1)
    buttons = layout(entries, STANDINGS[role], facts)
    assert 0 < len(buttons) <= TOP_LEVEL, labels(buttons)
    assert all(len(button.callback_data.encode()) <= 64 for button in buttons)


def test_every_entry_sits_in_exactly_one_group(entries):
    placed = [key for group in GROUPS for key in group.entries]
    assert sorted(placed) == sorted({entry.key for entry in entries})


def test_the_facilitator_sees_what_they_do_in_groups(entries):
    buttons = layout(entries, STANDINGS["admin and facilitator"], ONE_CLUSTER)
    assert labels(buttons) == [
        "👥 Anggota",
        "📅 Pertemuan",
        "📋 Kuesioner",
        "💡 Curah pendapat & rencana",
        "🏛 Organisasi",
        "📢 Pengumuman",
        "📊 Laporan",
        "⚙️ Akun & bantuan",
    ]
    news = next(button.group for button in buttons if button.label == "📢 Broadcasts")
    assert news is not None
    inside = labels(group_entries(news, entries, STANDINGS["facilitator"], ONE_CLUSTER))
    assert inside == ["Kirim pengumuman", "Buletin", "🔔 Pengumuman: aktif"]
    muted = labels(group_entries(news, entries, STANDINGS["facilitator"], MenuFacts(1, frozenset({"mute"}))))
    assert muted[-1] == "🔕 Pengumuman: dibisukan"


def test_near_twins_sit_in_different_groups_with_different_words(entries):
    standing = STANDINGS["facilitator"]
    by_group = {g.key: labels(group_entries(g, entries, standing, ONE_CLUSTER)) for g in GROUPS}
    assert "Atur grup kecil" in by_group["people"] and "Grup kecil saya" in by_group["account"]
    every = [label for inside in by_group.values() for label in inside]
    assert len(every) == len(set(every))


def test_a_member_sees_a_short_plain_menu_with_the_mute_toggle_on_top(entries):
    buttons = layout(entries, STANDINGS["member"], ONE_CLUSTER)
    assert labels(buttons) == [
        "📅 Pertemuan",
        "📋 Kuesioner",
        "💡 Curah pendapat & rencana",
        "🏛 Organisasi",
        "🔔 Pengumuman: aktif",
        "⚙️ Akun & bantuan",
    ]
    muted = layout(entries, STANDINGS["member"], MenuFacts(1, frozenset({"mute"})))
    assert "🔕 Pengumuman: dibisukan" in labels(muted)


def test_the_cluster_switch_shows_only_with_a_second_cluster(entries):
    account = next(g for g in GROUPS if g.key == "account")
    one = labels(group_entries(account, entries, STANDINGS["member"], ONE_CLUSTER))
    assert "Ganti klaster" not in one and "Gabung klaster" not in one
    two = labels(group_entries(account, entries, STANDINGS["member"], MenuFacts(clusters=2)))
    assert "Ganti klaster" in two


def test_a_newcomer_sees_join_language_and_help_without_groups(entries):
    buttons = layout(entries, STANDINGS["newcomer"], MenuFacts())
    assert labels(buttons) == ["Gabung klaster", "Bahasa / Language", "Bantuan"]
    assert labels(buttons, "en") == ["Join a cluster", "Bahasa / Language", "Help"]


def test_entries_keep_their_own_callback_data_one_level_down(entries):
    standing = STANDINGS["facilitator"]
    reachable = {b.callback_data for g in GROUPS for b in group_entries(g, entries, standing, ONE_CLUSTER)}
    reachable |= {b.callback_data for b in layout(entries, standing, ONE_CLUSTER)}
    assert {"mt1:list", "bc1:new", "bc1:mute", "dr1:p:0:a", "mb1:inv"} <= reachable


def test_a_group_button_reads_back_and_a_forged_one_does_not():
    for group in GROUPS:
        assert parse_group_button(group_button_data(group)) == group
    assert parse_group_button("menu1:g:nothing") is None
    assert parse_group_button("menu1:g") is None
    assert parse_group_button("zz1:g:people") is None


def test_a_toggle_brings_back_its_own_group(entries):
    buttons = layout(entries, STANDINGS["facilitator"], ONE_CLUSTER)
    assert home_group("bc1:mute", buttons).key == "news"
    assert home_group("bc1:new", buttons) is None
    assert home_group("bc1:mute", layout(entries, STANDINGS["member"], ONE_CLUSTER)) is None  # on top already


def test_one_level_down_ends_with_the_way_back(entries):
    group = GROUPS[0]
    markup = keyboard(group_entries(group, entries, STANDINGS["facilitator"], ONE_CLUSTER), "id", back=True)
    assert markup.inline_keyboard[-1][0].callback_data == MENU_BUTTON
    assert markup.inline_keyboard[-1][0].text == "« Menu utama"


def test_pages_hold_whole_sections_within_the_budget():
    assert pack_pages([300, 300, 300, 50], 700, 20) == [[0, 1], [2, 3]]
    assert pack_pages([900, 10], 700) == [[0], [1]]
    assert pack_pages([], 700) == [[]]


@pytest.mark.parametrize("role", list(STANDINGS))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_help_page_fits_one_phone_screen(entries, role, lang):
    from bot.fitting import visible_length

    facts = MenuFacts(clusters=0 if STANDINGS[role].cluster_id is None else 1)
    buttons = layout(entries, STANDINGS[role], facts)
    first, _markup = help_page(lang, buttons, 0)
    pages = [first]
    while True:
        text, _markup = help_page(lang, buttons, len(pages))
        if text in pages:
            break
        pages.append(text)
    assert all(visible_length(page) <= HELP_PAGE for page in pages), [visible_length(p) for p in pages]
    every = "\n".join(pages)
    for button in buttons:
        for entry in button.entries:
            assert translator(lang).gettext(entry.help) in every
