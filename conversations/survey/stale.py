"""Old survey buttons speak: a card or question of a closed, replaced or already-sent round says so, with the way on."""

from __future__ import annotations

from html import escape
from typing import Any

import aiosqlite
from telegram import InlineKeyboardButton

from bot.form_buttons import PREFIX as FORM_PREFIX
from bot.form_buttons import parse_form_button
from bot.i18n import translator
from bot.services import RembugApplication
from bot.stale import Explanation, OldTap, StaleButtons, belongs_here
from bot.stale_rules import Verdict
from conversations.survey import rules
from storage import forms, surveys

SUBJECT = "survey_round:"


async def explain_round_button(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """An old ``sv1`` button naming a round."""
    parsed = rules.parse_tap(tap.data)
    if not isinstance(parsed, rules.RoundTap):
        return None
    return await _explain(conn, tap, parsed.round_id)


async def explain_question(conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
    """An old question (``fm1``) of a survey round's response."""
    press = parse_form_button(tap.data)
    response = await forms.get_response(conn, press.response_id) if press else None
    if (
        response is None
        or not response.subject.startswith(SUBJECT)
        or tap.user_id
        not in (
            response.entered_by,
            response.respondent_id,
        )
    ):
        return None
    round_id = response.subject.removeprefix(SUBJECT)
    return await _explain(conn, tap, int(round_id)) if round_id.isdigit() else None


async def _explain(conn: aiosqlite.Connection, tap: OldTap, round_id: int) -> Explanation | None:
    survey_round = await surveys.get_round(conn, round_id)
    if survey_round is None:
        return None
    here = await belongs_here(conn, tap, survey_round.cluster_id)
    if here is not True:
        return here or None  # left it, or works elsewhere now; nothing for a stranger
    rounds = await surveys.rounds_of(conn, survey_round.cluster_id)  # oldest first
    later = [  # a newer round of the same questionnaire takes its place; one of another runs beside it
        r for r in rounds[[r.id for r in rounds].index(survey_round.id) + 1 :] if r.form_id == survey_round.form_id
    ]
    newest = later[-1] if later else None
    mine = await forms.find_response(conn, survey_round.subject, tap.user_id)
    verdict = rules.round_verdict(
        accepting=rules.accepting(survey_round.status, survey_round.closes_at, tap.now),
        newer=newest is not None,
        sent=mine is not None and mine.status == "submitted",
    )
    if verdict is None:
        return None
    open_newest = newest if newest and rules.accepting(newest.status, newest.closes_at, tap.now) else None
    return round_explanation(tap.lang, survey_round.title, verdict, open_newest.id if open_newest else None)


def round_explanation(lang: str, title: str, verdict: Verdict, newest_open: int | None) -> Explanation:
    """The sentence for a round's verdict; the way on: the newer round when it is open, else the rounds."""
    _ = translator(lang).gettext
    name = escape(title)
    if verdict is Verdict.REPLACED:
        toast = _("A newer survey round replaced this one.")
        text = _("The survey round <b>{title}</b> is closed; a newer round replaced it.").format(title=name)
    elif verdict is Verdict.DONE:
        toast = _("Your answers were already sent.")
        text = _("You already sent your answers to <b>{title}</b>. Thank you!").format(title=name)
    else:
        toast = _("This survey round is closed.")
        text = _("The survey round <b>{title}</b> is closed; answers can no longer be sent or changed.").format(
            title=name
        )
    if newest_open is not None:
        forward = InlineKeyboardButton(_("📝 Answer the new round"), callback_data=rules.tap_data("ans", newest_open))
    else:
        forward = InlineKeyboardButton(_("📋 Survey rounds"), callback_data=rules.tap_data("list"))
    return Explanation(toast, text, (forward,))


def round_opened(lang: str, effect: dict[str, Any]) -> Explanation:
    """The new round's last step tapped again: opened once, sent once."""
    _ = translator(lang).gettext
    rounds = InlineKeyboardButton(_("📋 Survey rounds"), callback_data=rules.tap_data("list"))
    return Explanation(
        _("Done already."),
        _("The survey round <b>{title}</b> was already opened and sent to the members; nothing was sent twice.").format(
            title=escape(str(effect.get("title", "")))
        ),
        (rounds,),
    )


def register(application: RembugApplication) -> None:
    """Let old survey buttons speak."""
    stale = application.services.state(StaleButtons)
    stale.done("survey_round", round_opened)  # the opening flow's draft (``handlers.FLOW``)
    stale.add(rules.PREFIX, explain_round_button)
    stale.add(FORM_PREFIX, explain_question)
