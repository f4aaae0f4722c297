"""Closing a round, and its results: the summary, the chart, the downloads."""

from __future__ import annotations

import io

import aiosqlite
from telegram import InputFile, Update

from bot import exports
from bot.context import RembugContext
from bot.flows import confirmation_needed, confirmed_by, open_confirmation, take_confirmation
from bot.forms import Form
from bot.kobo_export import kobo_csv, kobo_xlsx
from bot.media_zip import build_zip
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of
from bot.xlsform_export import write_xlsform
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access
from conversations.survey import answers_export, chart, invitations, results, results_views, rules, views
from conversations.survey.handlers import _tap_round, list_rounds_below
from storage import clusters, forms, memberships, surveys
from storage import outbox as outbox_store


async def _run_round(update: Update, context: RembugContext) -> surveys.Round | None:
    """The round named by the button, when the sender runs surveys in its cluster."""
    if not await require(update, context, Action.RUN_SURVEY):
        return None
    tapped = await _tap_round(update, context)
    return tapped[1] if tapped else None


async def figures_of(conn: aiosqlite.Connection, survey_round: surveys.Round) -> rules.RoundFigures:
    """The round's figures (``rules.round_figures``): invited = the recipients of its invitation batch."""
    invited = [
        letter.recipient_id for letter in await outbox_store.letters(conn, invitations.batch_of(survey_round.id))
    ]
    responses = await forms.responses_about(conn, survey_round.subject, submitted_only=True)
    return rules.round_figures(invited, [r.respondent_id for r in responses], [r.source for r in responses])


async def ask_close(update: Update, context: RembugContext) -> None:
    """Confirm closing, with how many answered (``sv1:close:<round>``)."""
    survey_round = await _run_round(update, context)
    if survey_round is None:
        return
    if survey_round.status == "closed":
        await answer_tap(update.callback_query, views.closed_now(context.lang))
        return
    async with context.db.read() as conn:
        figures = await figures_of(conn, survey_round)
    await open_confirmation(context, f"round:{survey_round.id}:close")
    await answer_tap(update.callback_query)
    await answer(update, *views.confirm_close(context.lang, survey_round.id, figures.answers, len(figures.not_yet)))


async def close(update: Update, context: RembugContext) -> None:
    """Close the round, from its confirm screen, and send its results to the facilitator."""
    survey_round = await _run_round(update, context)
    if survey_round is None:
        return
    if survey_round.status == "closed":
        if await confirmed_by(
            context, update, f"round:{survey_round.id}:close"
        ):  # this tap closed it; its reply was lost
            await answer_tap(update.callback_query, views.closed_now(context.lang))
            await send_results(update, context, survey_round.id)
            await list_rounds_below(update, context)
            return
        await explain_stale(update, context)  # tapped twice: "is closed", and the way on
        return
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"round:{survey_round.id}:close", update)
        if confirmed:
            await surveys.close_round(tx, survey_round.id, context.clock.now())
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query, views.closed_now(context.lang))
    await send_results(update, context, survey_round.id)
    await list_rounds_below(update, context)


async def show_results(update: Update, context: RembugContext) -> None:
    """The results of a round, open or closed (``sv1:res:<round>``)."""
    survey_round = await _run_round(update, context)
    if survey_round is None:
        return
    await answer_tap(update.callback_query)
    await send_results(update, context, survey_round.id)


async def send_results(update: Update, context: RembugContext, round_id: int) -> None:
    """The summary message and the chart, with the change from the previous round."""
    dialog = context.services.forms
    async with context.db.read() as conn:
        survey_round = await surveys.load_round(conn, round_id)
        rounds = await surveys.rounds_of(conn, survey_round.cluster_id)
        responses = await forms.responses_about(conn, survey_round.subject, submitted_only=True)
        earlier = [r for r in rounds if r.opened_at < survey_round.opened_at and r.form_id == survey_round.form_id]
        before = await forms.responses_about(conn, earlier[-1].subject, submitted_only=True) if earlier else []
        figures = await figures_of(conn, survey_round)
    form = dialog.forms[(survey_round.form_id, survey_round.form_version)]
    current = results.summarise(form, responses)
    previous = results.summarise(form, before) if earlier and before else None
    change = results.compare(current, previous) if previous else None
    choices = results.choice_counts(form, responses)
    await chat_of(update).send_message(
        results_views.results_message(context.lang, form, survey_round.title, current, change, figures, choices)
    )
    if current.respondents and current.bases:
        png = chart.results_chart(form, current, context.lang, previous=previous, round_title=survey_round.title)
        await chat_of(update).send_photo(InputFile(io.BytesIO(png), filename=f"survey-{round_id}.png"))


def kobo_download(
    form: Form, responses: list[forms.Response], names: dict[int, str], timezone: str, name: str, lang: str
) -> bytes:
    """One ZIP: the answers Kobo-shaped by choice name and by label (``lang``), each as CSV and XLSX,
    and the questionnaire as XLSForm, so a programme officer merges them with Kobo data."""
    tables: list[tuple[str, bytes]] = []
    for suffix, labels_in in (("kobo", None), ("kobo-labels", lang)):
        tables.append((f"{name}-{suffix}.csv", kobo_csv(form, responses, names, timezone, labels_in=labels_in)))
        tables.append((f"{name}-{suffix}.xlsx", kobo_xlsx(form, responses, names, timezone, labels_in=labels_in)))
    tables.append((f"{form.id}-v{form.version}-xlsform.xlsx", write_xlsform(form)))
    return build_zip(tables, [])


async def send_downloads(update: Update, context: RembugContext) -> None:
    """Every submitted answer as CSV and Excel, labels in the sender's language (``sv1:exp:<round>``)."""
    survey_round = await _run_round(update, context)
    if survey_round is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        responses = await forms.responses_about(conn, survey_round.subject, submitted_only=True)
        members, _total = await memberships.directory(conn, survey_round.cluster_id)
        timezone = (await clusters.load_cluster(conn, survey_round.cluster_id)).timezone
    form = context.services.forms.forms[(survey_round.form_id, survey_round.form_version)]
    names = {m.user_id: m.full_name for m in members}
    headers, rows = answers_export.export_table(context.lang, form, responses, names, timezone)
    name = exports.slug(survey_round.title, "survey")
    await chat_of(update).send_document(InputFile(io.BytesIO(exports.build_csv(headers, rows)), filename=f"{name}.csv"))
    await chat_of(update).send_document(
        InputFile(io.BytesIO(exports.build_xlsx(headers, rows, survey_round.title)), filename=f"{name}.xlsx")
    )
    await chat_of(update).send_document(
        InputFile(
            io.BytesIO(kobo_download(form, responses, names, timezone, name, context.lang)), filename=f"{name}-kobo.zip"
        ),
        caption=context.gettext(
            "For KoboToolbox and ODK: the answers as Kobo exports them (choice names, and a copy with labels), "
            "in CSV and Excel, with the questionnaire as XLSForm."
        ),
    )
    await note_download(context, survey_round.cluster_id, Access.SURVEY_ANSWERS, survey_round.title)
