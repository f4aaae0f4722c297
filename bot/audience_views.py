"""The one audience picker: its buttons (``<prefix>:a:...``, read back by ``bot.audience.parse_pick``).

A flow puts its own question above the buttons; the picker is the same
everywhere: the whole cluster, small groups, roles, stakeholder types,
committees that follow the cluster, and the flow's extra lists of people.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.audience import PICK, ROLES, Audience, PickAction
from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from bot.menu import N_

ROLE_LABELS = {"facilitator": N_("Facilitators"), "secretary": N_("Secretary"), "group_leader": N_("Group leaders")}


@dataclass(frozen=True)
class PickerChoices:
    """What the picker offers: ``roles_inline`` puts the roles on the first screen (a meeting), else
    they sit with the stakeholder types behind "By role or stakeholder type…" (``more``)."""

    whole_cluster: bool
    groups: tuple[tuple[int, str], ...] = ()
    committees: tuple[tuple[int, str], ...] = ()
    roles_inline: bool = False
    more: bool = False
    meetings: bool = False
    not_answered: bool = False
    reports_late: bool = False


def _mark(on: bool) -> str:
    return "☑️ " if on else "⬜ "


def _b(prefix: str, label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(prefix, PICK, *parts))


def picker(lang: str, prefix: str, chosen: Audience, choices: PickerChoices) -> InlineKeyboardMarkup:
    """The first screen: tap to choose, then Done."""
    _ = translator(lang).gettext
    rows = []
    if choices.whole_cluster:
        rows.append([_b(prefix, _mark(chosen.everyone) + _("Whole cluster"), PickAction.EVERYONE)])
    rows += [
        [_b(prefix, _mark(gid in chosen.group_ids) + name[:40], PickAction.GROUP, gid)] for gid, name in choices.groups
    ]
    if choices.whole_cluster and choices.roles_inline:
        rows.append(
            [_b(prefix, _mark(role in chosen.roles) + _(ROLE_LABELS[role]), PickAction.ROLE, role) for role in ROLES]
        )
    rows += [  # a coordination meeting with a committee that follows the cluster
        [_b(prefix, _mark(cid in chosen.committee_ids) + "🏛 " + name[:40], PickAction.COMMITTEE, cid)]
        for cid, name in choices.committees
    ]
    if choices.whole_cluster and choices.more:
        rows.append([_b(prefix, _("👥 By role or stakeholder type…"), PickAction.MORE)])
    if choices.whole_cluster and choices.meetings:
        rows.append([_b(prefix, _("📅 By meeting…"), PickAction.MEETINGS)])
    if choices.whole_cluster and choices.not_answered:
        rows.append([_b(prefix, _("📝 Has not answered the questionnaire"), PickAction.NOT_ANSWERED)])
    if choices.whole_cluster and choices.reports_late:
        rows.append([_b(prefix, _("⏰ Progress report overdue"), PickAction.REPORT_LATE)])
    rows.append([_b(prefix, _("Done ▶"), PickAction.DONE)])
    rows.append([InlineKeyboardButton(_("Cancel"), callback_data=MENU_BUTTON)])
    return InlineKeyboardMarkup(rows)


def roles_and_types(
    lang: str, prefix: str, chosen: Audience, types: list[tuple[str, str]]
) -> tuple[str, InlineKeyboardMarkup]:
    """The second screen: roles and stakeholder types (``types`` as (key, label))."""
    _ = translator(lang).gettext
    rows = [[_b(prefix, _mark(role in chosen.roles) + _(ROLE_LABELS[role]), PickAction.ROLE, role)] for role in ROLES]
    buttons = [
        _b(prefix, _mark(kind in chosen.stakeholder_types) + label, PickAction.TYPE, kind) for kind, label in types
    ]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_b(prefix, _("« Back"), PickAction.BACK)])
    return _("Add roles or stakeholder types:"), InlineKeyboardMarkup(rows)


def meeting_people_label(lang: str, kind: str, topic: str) -> str:
    """How a meeting's people are named in the preview."""
    _ = translator(lang).gettext
    texts = {"inv": _("Invited: {topic}"), "rsvp": _("No answer yet: {topic}"), "absent": _("Did not attend: {topic}")}
    return texts[kind].format(topic=topic)


def meeting_people(
    lang: str, prefix: str, upcoming: list[tuple[int, str]], held: list[tuple[int, str]]
) -> tuple[str, InlineKeyboardMarkup]:
    """A meeting's invitees, those who did not answer its RSVP, or those who did not attend."""
    _ = translator(lang).gettext
    rows = []
    for meeting_id, topic in upcoming:
        rows.append([_b(prefix, ("📅 " + meeting_people_label(lang, "inv", topic))[:60], "inv", meeting_id)])
        rows.append([_b(prefix, ("❔ " + meeting_people_label(lang, "rsvp", topic))[:60], "rsvp", meeting_id)])
    for meeting_id, topic in held:
        rows.append([_b(prefix, ("🚫 " + meeting_people_label(lang, "absent", topic))[:60], "absent", meeting_id)])
    rows.append([_b(prefix, _("« Back"), PickAction.BACK)])
    return _("Choose the people of a meeting (choosing again replaces them):"), InlineKeyboardMarkup(rows)


def one_of(
    lang: str, prefix: str, groups: list[tuple[int, str]], whole_cluster: bool, meeting_id: int | None = None
) -> list[list[InlineKeyboardButton]]:
    """The picker for a single choice (who takes part in a brainstorming session): a meeting's
    invitees, one small group, or the whole cluster; each tap is read by ``parse_pick``."""
    _ = translator(lang).gettext
    rows = []
    if meeting_id is not None:
        rows.append([_b(prefix, _("The meeting's invitees"), "inv", meeting_id)])
    rows += [
        [_b(prefix, _("Small group: {name}").format(name=name)[:60], PickAction.GROUP, gid)] for gid, name in groups
    ]
    if whole_cluster:
        rows.append([_b(prefix, _("Whole cluster"), PickAction.EVERYONE)])
    return rows
