"""The weekly digest: due through the reminder engine, delivered through the outbox.

One due message per committee and week (key ``digest:<committee>:<week>``); when it fires it
books the next one, records the week in ``committee_digests`` (so a week is never done twice),
and queues one letter per person in the outbox batch ``digest:<committee>:<week>``: the
committee's digest to its secretary (to the chair when there is no secretary), and to each
facilitator the same digest for their own clusters. A week with nothing new is said once,
then kept silent until there is news. When the secretary cannot be reached the chair is told.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.recipients import language_of, languages_of
from bot.reminders import Skip
from bot.services import RembugApplication
from conversations.committee import rules, views
from conversations.committee.figures import collect
from conversations.tasks.agenda import late_per_cluster
from storage import committee_figures, committees
from storage import outbox as outbox_store
from storage import reminders as due_messages
from storage.committees import Committee
from storage.reminders import Due

KIND = "committee.digest"
BATCH = "digest"


async def schedule_next(tx: aiosqlite.Connection, committee: Committee, now: datetime) -> datetime:
    """Book the committee's next digest (a week already booked is left alone); return when it is due."""
    at = rules.next_digest_at(now, committee.digest_weekday, committee.digest_hour, committee.timezone)
    week = rules.digest_period(at - timedelta(days=1), committee.timezone)  # the week the digest looks back on
    await due_messages.schedule(
        tx, f"digest:{committee.id}:{week}", KIND, at, {"committee": committee.id, "week": week}, now
    )
    return at


def _text(
    lang: str,
    committee: Committee,
    week: str,
    figures: list[rules.ClusterFigures],
    *,
    member: bool = True,
    visits: dict[int, int] | None = None,
    late_tasks: dict[int, int] | None = None,
) -> tuple[str, dict]:
    shown, more = rules.pick_for_digest(figures)
    text, keyboard = views.digest(
        lang, committee.name, week, shown, more, committee.id, overview=member, visits=visits, late_tasks=late_tasks
    )
    return text, keyboard.to_dict()


async def send_digest(due: Due, application: RembugApplication) -> str:
    """The reminder engine's handler: build the week's digests and queue them."""
    db, now = application.services.db, application.services.clock.now()
    default = application.services.settings.language
    definitions = application.services.forms.forms
    week = due.payload["week"]
    async with db.transaction() as tx:
        committee = await committees.get_committee(tx, due.payload["committee"])
        if committee is None:
            raise Skip("no such committee")
        await schedule_next(tx, committee, now)
        figures = await collect(
            tx, definitions, committee.id, due.due_at - timedelta(days=rules.WEEK_DAYS), due.due_at, now
        )
        visits = await committee_figures.visits(
            tx, committee.id, due.due_at - timedelta(days=rules.WEEK_DAYS), due.due_at
        )  # visits and calls to supporters and firms (conversations/supporters) are news too
        late_tasks = await late_per_cluster(tx, committee.id, now)  # tasks from meetings past their day
        people = await committees.members_of(tx, committee.id)
        reader = next((p for p in people if p.role == "secretary"), None) or next(
            (p for p in people if p.role == "chair"), None
        )
        news = any(rules.is_news(f) or visits.get(f.cluster_id) for f in figures)
        previous = await committees.last_digest_outcome(tx, committee.id, week)
        outcome = "sent" if news else ("silent" if previous in ("quiet", "silent") else "quiet")
        if not await committees.record_digest(tx, committee.id, week, outcome, now):
            raise Skip("this week's digest is done")
        letters = []
        facilitators = await committee_figures.facilitators(tx, committee.id) if news else {}
        languages = await languages_of(tx, [p.user_id for p in people] + list(facilitators), default)
        if reader is not None and outcome != "silent":
            lang = languages[reader.user_id]
            intro = "" if reader.role == "secretary" else views.no_secretary(lang, committee) + "\n\n"
            if news:
                text, keyboard = _text(lang, committee, week, figures, visits=visits, late_tasks=late_tasks)
                letters.append((reader.user_id, {"kind": "text", "text": intro + text, "reply_markup": keyboard}))
            else:
                letters.append((reader.user_id, {"kind": "text", "text": intro + views.quiet(lang, committee.name)}))
        if news:
            for user_id, cluster_ids in facilitators.items():
                own = [
                    f for f in figures if f.cluster_id in cluster_ids and (rules.is_news(f) or visits.get(f.cluster_id))
                ]
                if own and (reader is None or user_id != reader.user_id):
                    text, keyboard = _text(
                        languages[user_id],
                        committee,
                        week,
                        own,
                        member=user_id in {p.user_id for p in people},
                        visits=visits,
                        late_tasks=late_tasks,
                    )
                    letters.append((user_id, {"kind": "text", "text": text, "reply_markup": keyboard}))
        await outbox_store.enqueue(tx, f"{BATCH}:{committee.id}:{week}", letters, now)
    application.services.reminders.wake()
    application.services.outbox.wake()
    return f"{outcome}: {len(letters)} letter(s)"


async def report_delivery(application: RembugApplication, batch: str, counts: dict[str, int], finished: bool) -> None:
    """The outbox's progress callback: when the secretary could not be reached, tell the chair (with the digest)."""
    if not finished or not (counts.get("blocked") or counts.get("not_started") or counts.get("failed")):
        return
    committee_id = int(batch.split(":")[1])
    async with application.services.db.read() as conn:
        committee = await committees.get_committee(conn, committee_id)
        people = {p.user_id: p for p in await committees.members_of(conn, committee_id)}
        letters = await outbox_store.letters(conn, batch)
        secretary = next((p for p in people.values() if p.role == "secretary"), None)
        chair = next((p for p in people.values() if p.role == "chair"), None)
        if committee is None or secretary is None or chair is None or chair.user_id == secretary.user_id:
            return
        lost = next(
            (letter for letter in letters if letter.recipient_id == secretary.user_id and letter.status != "sent"),
            None,
        )
        if lost is None:
            return
        lang = await language_of(conn, chair.user_id, application.services.settings.language)
    note = views.secretary_unreachable(lang, committee, secretary.full_name, lost.status)
    payload = {**lost.payload, "text": note + "\n\n" + lost.payload["text"]}
    async with application.services.db.transaction() as tx:
        await outbox_store.enqueue(tx, f"{batch}:chair", [(chair.user_id, payload)], application.services.clock.now())
    application.services.outbox.wake()
