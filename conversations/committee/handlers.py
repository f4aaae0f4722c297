"""Committee handlers: the list and overview, one cluster's detail, the comparison, reports on demand,
creating a committee (/newcommittee), joining by its link, choosing clusters, appointing chair and secretary."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot.buttons import parse_callback
from bot.context import RembugContext
from bot.exports import slug
from bot.flows import finish_draft, read_draft, read_tap, replayed_effect, save_answers, stale_button, start_draft
from bot.i18n import ZONES_BY_NAME
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, Standing, allowed, standing_in_committee
from bot.update_parts import chat_of, message_of, query_of
from conversations.committee import charts, digests, reports, rules, views
from conversations.committee.figures import base_labels, collect
from conversations.membership.rules import STAKEHOLDER_TYPES, new_invite_code
from storage import clusters, committees
from storage import committee_figures as queries
from storage import reminders as due_messages
from storage.committees import Committee

FLOW = "new_committee"
REPORT_AGAIN_AFTER = 60  # seconds: the same report asked again this soon is the one just sent


def _parts(update: Update) -> list[str]:
    """The button's parts after the prefix: its action, then its arguments."""
    return parse_callback(query_of(update).data, rules.PREFIX) or []


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
    update: Update, context: RembugContext, action: Action, cluster_id: int | None = None
) -> Committee | None:
    """The committee a button names, once the sender may take ``action`` there; None after answering."""
    parts = _parts(update)
    committee_id = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    committee, standing = (
        await _standing(context, committee_id, cluster_id) if committee_id else (None, context.standing)
    )
    if committee is None:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return None
    if not await require(update, context, action, standing):
        return None
    return committee


async def _figures(context: RembugContext, committee: Committee, days: int) -> list:
    """The committee's clusters with their figures over the last ``days`` days."""
    now = context.clock.now()
    async with context.db.read() as conn:
        return await collect(conn, context.services.forms.forms, committee.id, now - timedelta(days=days), now, now)


async def show_list(update: Update, context: RembugContext) -> None:
    """🏛 /committee: the committees the sender is in (an administrator sees all)."""
    async with context.db.read() as conn:
        mine = await committees.committees_of(conn, context.user.id)
        listed = [(c, None) for c in await committees.all_committees(conn)] if context.standing.is_admin else mine
    if not listed and not await require(update, context, Action.FOLLOW_COMMITTEE):
        return
    if update.callback_query:
        await answer_tap(update.callback_query)
    await answer(update, *views.committee_list(context.lang, listed, context.standing.is_admin))


async def show_overview(update: Update, context: RembugContext) -> None:
    """📋 A committee at a glance (``cm1:c:<committee>``)."""
    committee = await _committee_for(update, context, Action.FOLLOW_COMMITTEE)
    if committee is None:
        return
    await answer_tap(update.callback_query)
    now = context.clock.now()
    figures = await _figures(context, committee, days=7)
    async with context.db.read() as conn:
        people = await committees.members_of(conn, committee.id)
        year_start = rules.quarter_bounds(now.year, 1, committee.timezone)[0]
        coordination = sum(
            m.held
            for m in (
                await queries.meetings(conn, committee.id, year_start, now, kind=rules.COORDINATION_KIND)
            ).values()
        )
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
    parts = _parts(update)
    cluster_id = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
    committee = await _committee_for(update, context, Action.FOLLOW_COMMITTEE, cluster_id)
    if committee is None:
        return
    figures = [f for f in await _figures(context, committee, days=7) if f.cluster_id == cluster_id]
    if not figures:  # not (or no longer) one of this committee's clusters
        await answer_tap(update.callback_query, stale_button(context.lang))
        return
    await answer_tap(update.callback_query)
    _committee, standing = await _standing(context, committee.id)  # without the cluster: a member of the committee?
    member = allowed(standing, Action.FOLLOW_COMMITTEE)
    await answer(
        update, *views.detail(context.lang, figures[0], committee.timezone, committee.id, overview=member), edit=False
    )


async def compare(update: Update, context: RembugContext) -> None:
    """📊 The committee's clusters side by side: a table a page at a time (``cm1:cmp:<c>[:<page>]``),
    the chart of them all under its first page."""
    tap = await read_tap(update, context, rules.PREFIX, rules.parse_comparison)
    committee = await _committee_for(update, context, Action.FOLLOW_COMMITTEE) if tap else None
    if committee is None:
        return
    await answer_tap(update.callback_query)
    figures = await _figures(context, committee, days=90)
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

    busy: set[tuple] = field(default_factory=set)
    recent: dict[tuple, float] = field(default_factory=dict)


async def report(update: Update, context: RembugContext) -> None:
    """📄 The quarterly (``q``) or year (``y``) report on demand; a second tap while it is made waits."""
    committee = await _committee_for(update, context, Action.COMMITTEE_REPORTS)
    if committee is None:
        return
    # Asked twice at once (a double tap, or again while it is being made): one report.
    reports_asked = context.services.state(ReportsAsked)
    busy, recent = reports_asked.busy, reports_asked.recent
    key = (committee.id, chat_of(update).id, tuple(_parts(update)[2:]))
    if key in busy or time.monotonic() - recent.get(key, -REPORT_AGAIN_AFTER) < REPORT_AGAIN_AFTER:
        await answer_tap(
            update.callback_query, views.problem(context.lang, "busy" if key in busy else "just_sent"), show_alert=True
        )
        return
    busy.add(key)
    try:
        await answer_tap(update.callback_query, views.problem(context.lang, "busy"))
        local = context.clock.now().astimezone(ZoneInfo(committee.timezone)).date()
        year, quarter = rules.quarter_of(local)
        await reports.send_documents(
            context.application,
            chat_of(update).id,
            committee,
            year,
            quarter if _parts(update)[2:] == ["q"] else None,
            context.lang,
            matrix=False,
        )
        recent[key] = time.monotonic()
    finally:
        busy.discard(key)


async def matrix(update: Update, context: RembugContext) -> None:
    """📑 The program matrix as Excel."""
    committee = await _committee_for(update, context, Action.COMMITTEE_REPORTS)
    if committee is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        data = await reports.build_matrix(conn, committee, context.lang)
    await chat_of(update).send_document(
        InputFile(io.BytesIO(data), filename=f"{slug(committee.name, 'committee')}-program-matrix.xlsx"),
        caption=views.matrix_caption(context.lang, committee),
    )


async def choose_schedule(update: Update, context: RembugContext) -> None:
    """🕗 When the weekly digest goes out: a weekday (``cm1:sch:<c>``), then an hour (``cm1:sd:<c>:<day>``),
    saved with ``cm1:sh:<c>:<day>:<hour>``; the digest already booked moves to the new time."""
    committee = await _committee_for(update, context, Action.COMMITTEE_REPORTS)
    if committee is None:
        return
    parts = _parts(update)
    if parts[0] == "sch":
        await answer_tap(update.callback_query)
        await answer(update, *views.schedule_days(context.lang, committee))
        return
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() and int(parts[2]) in rules.WEEKDAYS else None
    hour = (
        int(parts[3])
        if parts[0] == "sh" and len(parts) == 4 and parts[3].isdigit() and int(parts[3]) in rules.HOURS
        else None
    )
    if day is None or (parts[0] == "sh" and hour is None):
        await answer_tap(update.callback_query)
        await answer(update, *views.schedule_days(context.lang, committee))
        return
    if parts[0] == "sd":
        await answer_tap(update.callback_query)
        await answer(update, *views.schedule_hours(context.lang, committee, day))
        return
    now = context.clock.now()
    async with context.db.transaction() as tx:
        await committees.set_schedule(tx, committee.id, day, hour)
        committee = await committees.get_committee(tx, committee.id)
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
    committee = await _committee_for(update, context, Action.MANAGE_COMMITTEES)
    if committee is None:
        return
    parts = _parts(update)
    async with context.db.transaction() as tx:
        every = await clusters.list_clusters(tx)
        if parts[0] == "ct" and len(parts) == 3 and parts[2].isdigit() and int(parts[2]) in {c.id for c in every}:
            await committees.toggle_cluster(tx, committee.id, int(parts[2]))
        chosen = set(await committees.cluster_ids(tx, committee.id))
    await answer_tap(update.callback_query)
    await answer(update, *views.cluster_toggles(context.lang, committee, [(c.id, c.name) for c in every], chosen))


async def appoint(update: Update, context: RembugContext) -> None:
    """👤 The administrator appoints the chair (``c``) or the secretary (``s``) from the members."""
    committee = await _committee_for(update, context, Action.MANAGE_COMMITTEES)
    if committee is None:
        return
    parts = _parts(update)
    async with context.db.transaction() as tx:
        appointing = parts[0] == "as" and len(parts) == 4 and parts[2].isdigit() and parts[3] in ("c", "s")
        if appointing and await committees.member(tx, committee.id, int(parts[2])) is not None:
            await committees.appoint(tx, committee.id, int(parts[2]), "chair" if parts[3] == "c" else "secretary")
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
    parts = _parts(update)
    if len(parts) != 2 or parts[1] not in rules.LEVELS:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return "level"
    await save_answers(context, FLOW, level=parts[1])
    await answer_tap(update.callback_query)
    await answer(update, *views.ask(context.lang, "zone"))
    return "zone"


async def choose_zone(update: Update, context: RembugContext) -> str | int:
    """The time zone: the committee is created, its first digest and report booked."""
    if not await require(update, context, Action.MANAGE_COMMITTEES):
        return ConversationHandler.END
    parts = _parts(update)
    done = await replayed_effect(context, update, FLOW)
    if done is not None:  # created before a crash: say so again
        async with context.db.read() as conn:
            committee = await committees.get_committee(conn, done["committee"])
        await answer_tap(update.callback_query)
        await answer(
            update,
            views.created(context.lang, committee, _link(context, committee), datetime.fromisoformat(done["first"])),
        )
        return ConversationHandler.END
    draft = await read_draft(context, FLOW)
    if len(parts) != 2 or parts[1] not in ZONES_BY_NAME or "level" not in draft:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return "zone"
    now = context.clock.now()
    async with context.db.transaction() as tx:
        committee, _new = await committees.create_committee(
            tx,
            name=draft["name"],
            level=draft["level"],
            timezone=ZONES_BY_NAME[parts[1]],
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
    tap = rules.parse_join(_parts(update), STAKEHOLDER_TYPES)
    async with context.db.transaction() as tx:
        committee = await committees.by_invite_code(tx, tap.code) if tap else None
        if committee is not None:
            name = " ".join(p for p in (update.effective_user.first_name, update.effective_user.last_name) if p)
            await committees.join(tx, committee.id, context.user.id, name, tap.stakeholder_type, context.clock.now())
    if committee is None:
        await answer_tap(update.callback_query, stale_button(context.lang))
        return
    await answer_tap(update.callback_query)
    await answer(update, views.joined(context.lang, committee))
