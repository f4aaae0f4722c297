"""The main menu: flows register their entries; each person sees what their roles allow, in groups.

A flow registers at start-up::

    menu.add(MenuEntry("newcluster", N_("New cluster"), N_("Create a cluster ..."),
                       callback_data("mb1", "new"), action=Action.CREATE_CLUSTER, order=10))

Which group an entry sits in is data here (``GROUPS``, by entry key), so a flow
declares its entry once and the grouping can change without touching it. The
top level shows the groups (at most ``TOP_LEVEL`` buttons); a group one level
down shows its entries and a way back. A group with one entry for this person
is that entry's button itself, and someone with few entries sees them all at
once. ``layout`` builds this from a Standing and ``MenuFacts`` as a pure
function; ``/start``, ``/menu``, every "back to menu" and ``/help`` use it, so
they never drift apart. Group buttons only add a level: each entry keeps its
own callback data, so old menus on phones keep working.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import callback_data, parse_callback
from bot.i18n import translator
from bot.roles import Action, Standing, allowed
from storage import broadcasts, memberships, tasks

MENU_PREFIX = "menu1"
MENU_BUTTON = callback_data(MENU_PREFIX, "show")
TOP_LEVEL = 8  # buttons a facilitator can scan at once
FLAT_UP_TO = 8  # someone with this many entries or fewer sees them without groups


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it yet."""
    return message


@dataclass(frozen=True)
class MenuEntry:
    """One button of the main menu."""

    key: str
    label: str  # message id
    help: str  # message id: what the button does, for /help
    callback_data: str
    action: Action | None = None  # None: everyone sees it
    order: int = 100


@dataclass(frozen=True)
class MenuGroup:
    """A top-level button that opens its entries, named for what the person does there."""

    key: str
    label: str  # message id
    entries: tuple[str, ...]  # entry keys, in the order shown


@dataclass(frozen=True)
class MenuFacts:
    """What the menu needs to know about the person beyond their roles."""

    clusters: int = 0  # clusters the person is an active member of
    toggled_on: frozenset[str] = frozenset()  # keys of the toggles that are on for them
    counts: tuple[tuple[str, int], ...] = ()  # (entry key, count) its button shows, e.g. open tasks

    def count(self, key: str) -> int:
        """The count the entry ``key`` shows (0: none)."""
        return dict(self.counts).get(key, 0)


@dataclass(frozen=True)
class Toggle:
    """An entry that switches something on or off: its button says which it is now."""

    on_label: str  # message id
    off_label: str  # message id
    is_on: Callable[[aiosqlite.Connection, Standing], Awaitable[bool]]


async def _muted(conn: aiosqlite.Connection, standing: Standing) -> bool:
    if standing.cluster_id is None:
        return False
    return standing.user_id in await broadcasts.muted_ids(conn, standing.cluster_id)


async def _open_tasks(conn: aiosqlite.Connection, standing: Standing) -> int:
    if standing.cluster_id is None:
        return 0
    return await tasks.count_open_of_owner(conn, standing.cluster_id, standing.user_id)


GROUPS: tuple[MenuGroup, ...] = (
    MenuGroup("people", N_("👥 Members"), ("invite", "members", "groups", "roles", "firms", "clustermap", "accesslog")),
    MenuGroup("meetings", N_("📅 Meetings"), ("meetings", "mytasks")),
    MenuGroup("survey", N_("📋 Questionnaire"), ("survey",)),
    MenuGroup("ideas", N_("💡 Brainstorming & plans"), ("brainstorm", "plans", "supporters")),
    MenuGroup("organisation", N_("🏛 Organisation"), ("organisation", "year", "books", "dues")),
    MenuGroup("news", N_("📢 Broadcasts"), ("broadcast", "newsletter", "mute")),
    MenuGroup("reports", N_("📊 Reports"), ("committee",)),
    MenuGroup(
        "account",
        N_("⚙️ Account & help"),
        ("profile", "mygroup", "clusters", "join", "newcluster", "language", "help"),
    ),
)
TOGGLES: dict[str, Toggle] = {
    "mute": Toggle(N_("🔕 Broadcasts: muted"), N_("🔔 Broadcasts: on"), _muted),
}
# Entries whose button shows a count, e.g. "📌 My tasks (2)": on the top level while it is not 0.
COUNTS: dict[str, Callable[[aiosqlite.Connection, Standing], Awaitable[int]]] = {"mytasks": _open_tasks}
# Entries shown only when the person's situation calls for them, on top of what their roles allow.
NEEDED: dict[str, Callable[[MenuFacts], bool]] = {
    "join": lambda facts: facts.clusters == 0,  # a member joins another cluster by its link or /join
    "clusters": lambda facts: facts.clusters > 1,  # nothing to switch to in one cluster
    "mytasks": lambda facts: facts.count("mytasks") > 0,  # open tasks handed out at meetings
}


@dataclass(frozen=True)
class MenuButton:
    """A button as the menu shows it: an entry, or a group that opens its entries."""

    label: str  # message id
    callback_data: str
    entries: tuple[MenuEntry, ...]  # what the button leads to (one entry, or the group's)
    group: MenuGroup | None = None  # the group this button opens, None for an entry's own button
    count: int = 0  # shown after the label, e.g. open tasks


def group_button_data(group: MenuGroup) -> str:
    """The callback data of the button that opens ``group``."""
    return callback_data(MENU_PREFIX, "g", group.key)


def parse_group_button(data: str | None) -> MenuGroup | None:
    """The group a ``menu1:g:<key>`` button opens, or None when it is stale or forged."""
    parts = parse_callback(data, MENU_PREFIX)
    if not parts or len(parts) != 2 or parts[0] != "g":
        return None
    return next((group for group in GROUPS if group.key == parts[1]), None)


def visible_entries(entries: list[MenuEntry], standing: Standing, facts: MenuFacts) -> list[MenuEntry]:
    """The entries ``standing`` may use and needs now, in menu order."""
    shown = [
        entry
        for entry in entries
        if (entry.action is None or allowed(standing, entry.action))
        and NEEDED.get(entry.key, lambda _facts: True)(facts)
    ]
    return sorted(shown, key=lambda entry: (entry.order, entry.key))


def entry_label(entry: MenuEntry, facts: MenuFacts) -> str:
    """The message id an entry's button shows: a toggle says whether it is on."""
    toggle = TOGGLES.get(entry.key)
    if toggle is None:
        return entry.label
    return toggle.on_label if entry.key in facts.toggled_on else toggle.off_label


def _entry_button(entry: MenuEntry, facts: MenuFacts) -> MenuButton:
    return MenuButton(entry_label(entry, facts), entry.callback_data, (entry,), count=facts.count(entry.key))


def layout(entries: list[MenuEntry], standing: Standing, facts: MenuFacts) -> list[MenuButton]:
    """The top level of the menu for ``standing``: the groups it uses, or its entries when they are few."""
    shown = visible_entries(entries, standing, facts)
    if len(shown) <= FLAT_UP_TO:
        return [_entry_button(entry, facts) for entry in shown]
    # Something waiting (a count: open tasks) shows first on the top level, outside its group, unless that
    # would make more buttons than one can scan: then its group's button carries the count.
    promoted = _grouped(shown, facts, promote=True)
    return promoted if len(promoted) <= TOP_LEVEL else _grouped(shown, facts, promote=False)


def _grouped(shown: list[MenuEntry], facts: MenuFacts, *, promote: bool) -> list[MenuButton]:
    buttons: list[MenuButton] = [_entry_button(entry, facts) for entry in shown if promote and facts.count(entry.key)]
    by_key = {entry.key: entry for entry in shown if not (promote and facts.count(entry.key))}
    for group in GROUPS:
        members = tuple(by_key.pop(key) for key in group.entries if key in by_key)
        if len(members) == 1:
            buttons.append(
                _entry_button(members[0], facts) if facts.count(members[0].key) else _alone(group, members[0], facts)
            )
        elif members:
            waiting = sum(facts.count(entry.key) for entry in members)
            buttons.append(MenuButton(group.label, group_button_data(group), members, group, count=waiting))
    # An entry no group names yet still shows, after the groups.
    buttons += [_entry_button(entry, facts) for entry in by_key.values()]
    return buttons


def _alone(group: MenuGroup, only: MenuEntry, facts: MenuFacts) -> MenuButton:
    """One entry in its group: the group's name opens it directly (a toggle keeps its state on the button)."""
    label = entry_label(only, facts) if only.key in TOGGLES else group.label
    return MenuButton(label, only.callback_data, (only,))


def group_entries(group: MenuGroup, entries: list[MenuEntry], standing: Standing, facts: MenuFacts) -> list[MenuButton]:
    """The buttons one level down in ``group`` for ``standing``, in the group's order."""
    by_key = {entry.key: entry for entry in visible_entries(entries, standing, facts)}
    return [_entry_button(by_key[key], facts) for key in group.entries if key in by_key]


def home_group(tapped: str | None, buttons: list[MenuButton]) -> MenuGroup | None:
    """The group a tapped toggle sits in, so the screen it was tapped on comes back with its new state."""
    for button in buttons:
        if button.group is not None and any(e.callback_data == tapped and e.key in TOGGLES for e in button.entries):
            return button.group
    return None


def keyboard(buttons: list[MenuButton], lang: str, back: bool = False) -> InlineKeyboardMarkup:
    """Buttons two a row; one level down, a last row back to the main menu."""
    _ = translator(lang).gettext
    shown = [
        InlineKeyboardButton(
            _(button.label) + (f" ({button.count})" if button.count else ""), callback_data=button.callback_data
        )
        for button in buttons
    ]
    rows = [shown[i : i + 2] for i in range(0, len(shown), 2)]
    if back:
        rows.append([InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)])
    return InlineKeyboardMarkup(rows)


class Menu:
    """The registered entries, kept in the application's services (``bot.services``)."""

    def __init__(self) -> None:
        self._entries: dict[str, MenuEntry] = {}

    def add(self, entry: MenuEntry) -> None:
        """Register an entry (registering a key again replaces it)."""
        self._entries[entry.key] = entry

    @property
    def entries(self) -> list[MenuEntry]:
        """Every registered entry."""
        return list(self._entries.values())

    def layout(self, standing: Standing, facts: MenuFacts) -> list[MenuButton]:
        """The top level for ``standing`` (see ``layout``)."""
        return layout(self.entries, standing, facts)

    def group(self, group: MenuGroup, standing: Standing, facts: MenuFacts) -> list[MenuButton]:
        """One level down (see ``group_entries``)."""
        return group_entries(group, self.entries, standing, facts)

    async def facts(self, conn: aiosqlite.Connection, standing: Standing) -> MenuFacts:
        """What the menu shows for ``standing`` beyond roles: how many clusters, which toggles are on."""
        clusters = len(await memberships.clusters_of(conn, standing.user_id)) if standing.user_id else 0
        shown = {entry.key for entry in visible_entries(self.entries, standing, MenuFacts(clusters))}
        on = frozenset([key for key, toggle in TOGGLES.items() if key in shown and await toggle.is_on(conn, standing)])
        allowed_keys = {e.key for e in self.entries if e.action is None or allowed(standing, e.action)}
        counts = tuple([(key, await count(conn, standing)) for key, count in COUNTS.items() if key in allowed_keys])
        return MenuFacts(clusters, on, counts)
