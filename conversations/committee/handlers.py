"""Committee handlers: the list and overview, one cluster's detail, the comparison, reports on demand,
creating a committee (/newcommittee), joining by its link, choosing clusters, appointing chair and secretary."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot.context import RembugContext
from bot.exports import slug
from bot.flows import finish_draft, read_draft, replayed_effect, save_answers, start_draft
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, Standing, allowed, standing_in_committee
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import COMMITTEE_APPOINTMENTS, Access
from conversations.committee import charts, digests, reports, rules, views
from conversations.committee.figures import base_labels, collect
from conversations.committee.rules import ClusterFigures, CommitteeTap, Step
from conversations.membership.rules import new_invite_code
from storage import access_log, clusters, committees
from storage import committee_figures as queries
from storage import reminders as due_messages
from storage.committees import Committee

FLOW = "new_committee"


async def _tap(update: Update, context: RembugContext, *steps: Step) -> CommitteeTap | None:
    """The tapped button, when it is one of ``steps``; a stale, forged or malformed one is answered here."""
    tap = rules.parse_tap(query_of(update).data)
    if tap is None or tap.step not in steps:
        await explain_stale(update, context)
        return None
    return tap


def _link(context: RembugContext, committee: Committee) -> str:
    return f"https://t.me/{context.bot.username}?start={rules.INVITE_PAYLOAD_PREFIX}{committee.invite_code}"


async def _standing(
    context: RembugContext, committee_id: int, cluster_id: int | None = None
) -> tuple[Committee | None, Standing]:
    """The committee and the sender's standing in it (a facilitator of ``cluster_id`` may follow that cluster)."""
    async with context.db.read() as conn:
        committee = await committees.get_committee(conn, committee_id)
        me = await committees.member(conn, committee_id, context.user.id) if committee else None
        facilitates = False
        if committee and cluster_id is not None:
            facilitates = cluster_id in (await queries.facilitators(conn, committee_id)).get(context.user.id, [])
    return committee, standing_in_committee(
        context.user.id, context.standing.is_admin, me.role if me else None, facilitates_cluster=facilitates
    )


async def _committee_for(
    update: Update, context: RembugContext, action: Action, *steps: Step
) -> tuple[Committee, CommitteeTap] | None:
    """The committee a button (one of ``steps``) names and the button, once the sender may take ``action``
    there (a facilitator of a detail button's cluster may follow that cluster); None after answering."""
    tap = await _tap(update, context, *steps)
    if tap is None or tap.committee_id is None:
        return None
    following = tap.cluster_id if tap.step == Step.DETAIL else None  # only a cluster's detail is followed so
    committee, standing = await _standing(context, tap.committee_id, following)
    if committee is None:
        await explain_stale(update, context)
        return None
    if not await require(update, context, action, standing):
        return None
    return committee, tap


async def _figures(context: RembugContext, committee: Committee, days: int) -> list[ClusterFigures]:
    """The committee's clusters with their figures over the last ``days`` days."""
    now = context.clock.now()
    async with context.db.read() as conn:
        return await collect(conn, context.services.forms.forms, committee.id, now - timedelta(days=days), now, now)


async def show_list(update: Update, context: RembugContext) -> None:
    """🏛 /committee: the committees the sender is in (an administrator sees all)."""
    async with context.db.read() as conn:
        mine = await committees.committees_of(conn, context.user.id)
        listed: list[tuple[Committee, str | None]] = (
            [(c, None) for c in await committees.all_committees(conn)] if context.standing.is_admin else list(mine)
        )
    if not listed and not await require(update, context, Action.FOLLOW_COMMITTEE):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    await answer(update, *views.committee_list(context.lang, listed, context.standing.is_admin))


async def show_overview(update: Update, context: RembugContext) -> None:
    """📋 A committee at a glance (``cm1:c:<committee>``)."""
    found = await _committee_for(update, context, Action.FOLLOW_COMMITTEE, Step.OVERVIEW)
    if found is None:
        return
    committee, _tap = found
    await answer_tap(update.callback_query)
    now = context.clock.now()
    figures = await _figures(context, committee, days=rules.WEEK_DAYS)
    since = rules.year_start(now, committee.timezone)
    async with context.db.read() as conn:
        people = await committees.members_of(conn, committee.id)
        coordination = await queries.held(conn, committee.id, since, now, rules.COORDINATION_KIND)
    _committee, standing = await _standing(context, committee.id)
    await answer(
        update,
        *views.overview(
            context.lang,
            committee,
            figures,
            people,
            coordination,
            now.date(),
            _link(context, committee),
            context.standing.is_admin,
            allowed(standing, Action.COMMITTEE_REPORTS),
        ),
    )


async def show_detail(update: Update, context: RembugContext) -> None:
    """🔍 One cluster behind a digest button (``cm1:d:<committee>:<cluster>``)."""
    found = await _committee_for(update, context, Action.FOLLOW_COMMITTEE, Step.DETAIL)
    if found is None:
        return
    committee, tap = found
    figures = rules.figures_of(await _figures(context, committee, days=rules.WEEK_DAYS), tap.cluster_id)
    if figures is None:  # not (or no longer) one of this committee's clusters
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    _committee, standing = await _standing(context, committee.id)  # without the cluster: a member of the committee?
    member = allowed(standing, Action.FOLLOW_COMMITTEE)
    await answer(
        update, *views.detail(context.lang, figures, committee.timezone, committee.id, overview=member), edit=False
    )


async def compare(update: Update, context: RembugContext) -> None:
    """📊 The committee's clusters side by side: a table a page at a time (``cm1:cmp:<c>[:<page>]``),
    the chart of them all under its first page."""
    found = await _committee_for(update, context, Action.FOLLOW_COMMITTEE, Step.COMPARE)
    if found is None:
        return
    committee, tap = found
    await answer_tap(update.callback_query)
    figures = await _figures(context, committee, days=rules.COMPARISON_DAYS)
    text, keyboard = views.comparison(context.lang, committee, figures, tap.page or 0)
    if tap.page is not None:  # turning the pages: the table changes in place
        await answer(update, text, keyboard)
        return
    await chat_of(update).send_message(text, reply_markup=keyboard)
    if figures:
        labels = base_labels(context.services.forms.forms, context.lang)
        png = await asyncio.to_thread(charts.comparison_chart, context.lang, committee.name, figures, labels)
        await chat_of(update).send_photo(InputFile(io.BytesIO(png), filename="clusters.png"))


@dataclass
class ReportsAsked:
    """Reports on demand being made now, and when each was last sent (a double tap makes one)."""

    busy: set[tuple[int, int, str]] = field(default_factory=set)
    recent: dict[tuple[int, int, str], float] = field(default_factory=dict)


async def report(update: Update, context: RembugContext) -> None:
    """📄 The quarterly (``q``) or year (``y``) report on demand; a second tap while it is made waits."""
    found = await _committee_for(update, context, Action.COMMITTEE_REPORTS, Step.REPORT)
    if found is None:
        return
    committee, tap = found
    if tap.report is None:  # a ``rep`` button always names its report
        return
    # Asked twice at once (a double tap, or again while it is being made): one report.
    reports_asked = context.services.state(ReportsAsked)
    busy, recent = reports_asked.busy, reports_asked.recent
    key = (committee.id, chat_of(update).id, tap.report.value)
    refusal = rules.report_refusal(key in busy, recent.get(key), time.monotonic())
    if refusal is not None:
        await answer_tap(update.callback_query, views.problem(context.lang, refusal), show_alert=True)
        return
    busy.add(key)
    try:
        await answer_tap(update.callback_query, views.problem(context.lang, "busy"))
        local = context.clock.now().astimezone(ZoneInfo(committee.timezone)).date()
        year, quarter = rules.report_period(local, tap.report)
        await reports.send_documents(
            context.app, chat_of(update).id, committee, year, quarter, context.lang, matrix=False
        )
        recent[key] = time.monotonic()
    finally:
        busy.discard(key)


async def matrix(update: Update, context: RembugContext) -> None:
    """📑 The program matrix as Excel."""
    found = await _committee_for(update, context, Action.COMMITTEE_REPORTS, Step.MATRIX)
    if found is None:
        return
    committee, _tap = found
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        data = await reports.build_matrix(conn, committee, context.lang)
    await chat_of(update).send_document(
        InputFile(io.BytesIO(data), filename=f"{slug(committee.name, 'committee')}-program-matrix.xlsx"),
        caption=views.matrix_caption(context.lang, committee),
    )
    await note_download(context, None, Access.PROGRAM_MATRIX, committee_id=committee.id)


async def choose_schedule(update: Update, context: RembugContext) -> None:
    """🕗 When the weekly digest goes out: a weekday (``cm1:sch:<c>``), then an hour (``cm1:sd:<c>:<day>``),
    saved with ``cm1:sh:<c>:<day>:<hour>``; the digest already booked moves to the new time."""
    found = await _committee_for(
        update, context, Action.COMMITTEE_REPORTS, Step.SCHEDULE, Step.SCHEDULE_DAY, Step.SCHEDULE_HOUR
    )
    if found is None:
        return
    committee, tap = found
    day, hour = tap.day, tap.hour
    if day is None:  # ``sch``: the weekday first
        await answer_tap(update.callback_query)
        await answer(update, *views.schedule_days(context.lang, committee))
        return
    if hour is None:  # ``sd``: then the hour
        await answer_tap(update.callback_query)
        await answer(update, *views.schedule_hours(context.lang, committee, day))
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        await committees.set_schedule(tx, committee.id, day, hour)
        committee = replace(committee, digest_weekday=day, digest_hour=hour)
        at = rules.next_digest_at(now, day, hour, committee.timezone)
        booked = [d for d in await due_messages.list_by_prefix(tx, f"digest:{committee.id}:") if d.status == "pending"]
        for due in booked:
            await due_messages.reschedule(tx, due.key, at, None)
        if not booked:
            at = await digests.schedule_next(tx, committee, now)
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await answer(update, views.schedule_saved(context.lang, committee, at))


# -- administration -------------------------------------------------------------------------------------


async def choose_clusters(update: Update, context: RembugContext) -> None:
    """🏘 The administrator adds or removes clusters (``cm1:cl:<c>``, ``cm1:ct:<c>:<cluster>``)."""
    found = await _committee_for(update, context, Action.MANAGE_COMMITTEES, Step.CLUSTERS, Step.TOGGLE_CLUSTER)
    if found is None:
        return
    committee, tap = found
    async with context.db.transaction() as tx:
        every = await clusters.list_clusters(tx)
        toggled = rules.toggled_cluster(tap, {c.id for c in every})
        if toggled is not None:
            await committees.toggle_cluster(tx, committee.id, toggled)
        chosen = set(await committees.cluster_ids(tx, committee.id))
    await answer_tap(update.callback_query)
    await answer(update, *views.cluster_toggles(context.lang, committee, [(c.id, c.name) for c in every], chosen))


async def appoint(update: Update, context: RembugContext) -> None:
    """👤 The administrator appoints the chair (``c``) or the secretary (``s``) from the members."""
    found = await _committee_for(update, context, Action.MANAGE_COMMITTEES, Step.APPOINTMENTS, Step.APPOINT)
    if found is None:
        return
    committee, tap = found
    async with context.db.transaction() as tx:
        people = await committees.members_of(tx, committee.id)
        chosen = rules.appointment(tap, {p.user_id for p in people})
        if chosen is not None:
            await committees.appoint(tx, committee.id, *chosen)
            user_id, role = chosen
            done, now = COMMITTEE_APPOINTMENTS[role], context.clock.now()
            await access_log.record(
                tx, context.user.id, None, done, role, now, subject_id=user_id, committee_id=committee.id
            )
            people = await committees.members_of(tx, committee.id)
    await answer_tap(update.callback_query)
    await answer(update, *views.appointments(context.lang, committee, people))


async def begin_new(update: Update, context: RembugContext) -> str | int:
    """➕ /newcommittee: its name first."""
    if await start_draft(update, context, Action.MANAGE_COMMITTEES, FLOW) is None:
        return ConversationHandler.END
    await answer(update, *views.ask(context.lang, "name"))
    return "name"


async def receive_name(update: Update, context: RembugContext) -> str:
    """The name, then the level."""
    name = rules.clean_name(message_of(update).text)
    if name is None:
        await message_of(update).reply_text(views.problem(context.lang, "name"))
        return "name"
    await save_answers(context, FLOW, name=name)
    text, keyboard = views.ask(context.lang, "level")
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return "level"


async def choose_level(update: Update, context: RembugContext) -> str:
    """Province or district/city, then the time zone."""
    tap = await _tap(update, context, Step.LEVEL)
    if tap is None:
        return "level"
    await save_answers(context, FLOW, level=tap.level)
    await answer_tap(update.callback_query)
    await answer(update, *views.ask(context.lang, "zone"))
    return "zone"


async def choose_zone(update: Update, context: RembugContext) -> str | int:
    """The time zone: the committee is created, its first digest and report booked."""
    if not await require(update, context, Action.MANAGE_COMMITTEES):
        return ConversationHandler.END
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # created before a crash: say so again
        async with context.db.read() as conn:
            committee = await committees.get_committee(conn, done["committee"])
        if committee is None:  # an effect names the committee it created; it is never deleted
            raise LookupError(f"committee {done['committee']} of a replayed creation is gone")
        await answer_tap(update.callback_query)
        await answer(
            update,
            views.created(context.lang, committee, _link(context, committee), datetime.fromisoformat(done["first"])),
        )
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    tap = rules.parse_tap(query_of(update).data)
    if tap is None or tap.zone is None or "level" not in draft:
        await explain_stale(update, context)
        return "zone"
    now = context.clock.now()
    async with context.db.transaction() as tx:
        committee, _new = await committees.create_committee(
            tx,
            name=draft["name"],
            level=draft["level"],
            timezone=tap.zone,
            invite_code=new_invite_code(),
            created_by=context.user.id,
            now=now,
            source_update_id=update.update_id,
        )
        first = await digests.schedule_next(tx, committee, now)
        await reports.schedule_next(tx, committee, now)
        await finish_draft(tx, update, context.user.id, FLOW, committee=committee.id, first=first.isoformat())
    context.services.reminders.wake()
    await answer_tap(update.callback_query)
    await answer(update, views.created(context.lang, committee, _link(context, committee), first))
    return ConversationHandler.END


async def join_from_link(update: Update, context: RembugContext) -> None:
    """/start cm-CODE: whom the person represents, then they are in."""
    code = rules.code_from_payload(context.args[0]) if context.args else None
    async with context.db.read() as conn:
        committee = await committees.by_invite_code(conn, code) if code else None
    if committee is None:
        await message_of(update).reply_text(views.problem(context.lang, "unknown_invite"))
        return
    text, keyboard = views.join_question(context.lang, committee)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def join(update: Update, context: RembugContext) -> None:
    """The stakeholder type is chosen (``cm1:j:<invitation code>:<type>``): joined, while the code is the committee's."""
    tap = rules.parse_tap(query_of(update).data)
    join = tap.join if tap else None
    sender = query_of(update).from_user
    async with context.db.transaction() as tx:
        committee = await committees.by_invite_code(tx, join.code) if join else None
        if committee is not None and join is not None:
            name = " ".join(p for p in (sender.first_name, sender.last_name) if p)
            await committees.join(tx, committee.id, context.user.id, name, join.stakeholder_type, context.clock.now())
    if committee is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await answer(update, views.joined(context.lang, committee))
