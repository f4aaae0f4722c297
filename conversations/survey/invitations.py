"""Inviting a cluster's members to answer a survey round: one message to many, through the outbox.

The cards (with "Answer now") are queued in the transaction that opens the
round, each in its member's language; when the batch is finished the outbox's
end-of-batch hook plans the opener's delivery report (``bot.delivery_report``).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

import aiosqlite
from telegram import InlineKeyboardMarkup

from bot.audience import Audience, select
from bot.delivery_report import figure_lines, report_counts, send_unreached, unreached_of
from bot.forms import Form
from bot.i18n import translator
from bot.recipients import language_of, people_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.access_log.recording import note_sent
from conversations.access_log.rules import Access
from conversations.survey import rules, views
from storage import clusters, surveys
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.reminders import Due
from storage.surveys import Round

INVITE, REPORT = "survey.invite", "survey.invite_report"
KIND = "survey"  # the outbox batch survey:<round>:invite


def batch_of(round_id: int) -> str:
    """The outbox batch of a round's invitations."""
    return f"survey:{round_id}:invite"


def _payload(text: str, keyboard: InlineKeyboardMarkup) -> dict[str, Any]:
    return {"kind": "text", "text": text, "reply_markup": keyboard.to_dict()}


async def _card(
    conn: aiosqlite.Connection, survey_round: Round, form: Form, user_id: int, default: str
) -> dict[str, Any]:
    cluster = await clusters.get_cluster(conn, survey_round.cluster_id)
    name = cluster.name if cluster else ""
    lang = await language_of(conn, user_id, default)
    return _payload(
        *views.invitation(
            lang,
            name,
            survey_round.title,
            form.title(lang),
            survey_round.id,
            len(form.questions),
            all(q.type in ("select_one", "select_multiple") for q in form.questions),
        )
    )


async def queue_invitations(
    tx: aiosqlite.Connection, survey_round: Round, form: Form, now: datetime, default_language: str
) -> int:
    """Queue an invitation for every member but the opener (inside the opening transaction); how many."""
    people = await people_of(tx, survey_round.cluster_id)
    chosen = select(Audience(everyone=True), people, leave_out=survey_round.opened_by).chosen
    letters = [(uid, await _card(tx, survey_round, form, uid, default_language)) for uid in chosen]
    return await outbox_store.enqueue(tx, batch_of(survey_round.id), letters, now)


async def batch_finished(tx: aiosqlite.Connection, batch: str, now: datetime) -> None:
    """The outbox's end-of-batch hook: plan the opener's delivery report, once."""
    round_id = int(batch.split(":")[1])
    await due_messages.schedule(tx, f"{batch}_report", REPORT, now, {"round": round_id}, now)


async def wake_reports(application: RembugApplication, batch: str, counts: dict[str, int], done: bool) -> None:
    """The outbox's progress callback: once the batch is finished its report is due."""
    if done:
        application.services.reminders.wake()


async def send_report(due: Due, application: RembugApplication) -> str:
    """Tell the opener how many invitations arrived and whom to reach another way (only when
    someone was not reached, or may not have been)."""
    async with application.services.db.read() as conn:
        survey_round = await surveys.get_round(conn, due.payload["round"])
        if survey_round is None:
            raise Skip("no such round")
        lang = await language_of(conn, survey_round.opened_by, application.services.settings.language)
        batch = batch_of(survey_round.id)
        figures = report_counts(await outbox_store.counts(conn, batch))
        unreached = await unreached_of(conn, survey_round.cluster_id, batch)
    if not unreached and not figures["unknown"]:
        return f"{figures['sent']} invited, all reached"  # nothing to act on: the opener is not disturbed
    head = translator(lang).gettext("📝 Invitations for “{title}”").format(title=escape(survey_round.title))
    text = "\n".join([f"<b>{head}</b>", *figure_lines(lang, figures, done=True)])
    await application.bot.send_message(survey_round.opened_by, text)
    await send_unreached(
        application.bot, survey_round.opened_by, lang, unreached, f"survey-{survey_round.id}-unreached.csv"
    )
    if unreached:  # a file of phones went to the opener
        await note_sent(
            application, survey_round.opened_by, survey_round.cluster_id, Access.UNREACHED, survey_round.title
        )
    return f"{figures['sent']} invited, {len(unreached)} not reached"


async def send_legacy_invitation(due: Due, application: RembugApplication) -> str:
    """One member's invitation planned before invitations went through the outbox: it joins the batch."""
    services = application.services
    async with services.db.transaction() as tx:
        survey_round = await surveys.get_round(tx, due.payload["round"])
        if survey_round is None or not rules.accepting(
            survey_round.status, survey_round.closes_at, services.clock.now()
        ):
            raise Skip("round closed")
        form = services.forms.forms[(survey_round.form_id, survey_round.form_version)]
        card = await _card(tx, survey_round, form, due.payload["user"], services.settings.language)
        await outbox_store.enqueue(tx, batch_of(survey_round.id), [(due.payload["user"], card)], services.clock.now())
    services.outbox.wake()
    return "queued"


def register(application: RembugApplication) -> None:
    """Hook the invitations into the reminder engine and the outbox."""
    application.services.reminders.register(INVITE, send_legacy_invitation)
    application.services.reminders.register(REPORT, send_report)
    application.services.outbox.on_finished(KIND, batch_finished)
    application.services.outbox.on_progress(KIND, wake_reports)
