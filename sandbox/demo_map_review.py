"""The demo cluster's participant map at meetings: last quarter's meeting reviewed it (its record keeps
the map as it was then), and next week's meeting has it on the agenda again, so the facilitator sees the
trend and the invitees get the map the day before."""

from __future__ import annotations

from datetime import datetime, timedelta

from conversations.meetings import map_review
from conversations.meetings import rules as meeting_rules
from conversations.meetings.map_review_rules import map_goes_out_at
from storage import map_reviews, meetings
from storage import reminders as due_messages
from storage.meetings import Meeting

PAST_TOPIC = "Rapat rutin klaster: pengecekan peta partisipan"
PAST_CHANGES = "Endang mulai menjahit untuk tiga usaha batik; Paguyuban Kampung Batik Laweyan masuk daftar pendukung"
PAST_FIGURES = {"firms": 11, "workers": 118, "links": 22, "supporters": 6}  # the map three months ago


async def seed_map_reviews(
    tx,
    cluster_id: int,
    organiser_id: int,
    invited: list[int],
    upcoming: Meeting,
    now: datetime,
    source_update_id: int,
) -> None:
    """A recorded review at a meeting three months ago (``invited`` were invited), and the map on
    ``upcoming``'s agenda."""
    held = now - timedelta(days=90)
    past, new = await meetings.create_meeting(
        tx,
        cluster_id=cluster_id,
        kind="regular",
        topic=PAST_TOPIC,
        starts_at=held,
        place=upcoming.place,
        latitude=upcoming.latitude,
        longitude=upcoming.longitude,
        agenda=None,
        audience=meeting_rules.Audience(everyone=True).to_json(),
        capacity=None,
        reminders=(),
        checkin_code=meeting_rules.new_checkin_code(),
        organiser_id=organiser_id,
        invitee_ids=invited,
        now=held - timedelta(days=7),
        source_update_id=source_update_id,
    )
    if not new:
        return
    review, _new = await map_reviews.plan_review(tx, cluster_id, past.id, organiser_id, held - timedelta(days=7))
    await map_reviews.record_review(
        tx, review.id, PAST_CHANGES, PAST_FIGURES, organiser_id, held + timedelta(hours=3), source_update_id
    )
    await meetings.update_meeting(tx, past.id, notes=f"🗺 Peta partisipan: {PAST_CHANGES}")
    await map_reviews.plan_review(tx, cluster_id, upcoming.id, organiser_id, now)
    goes_out = map_goes_out_at(upcoming.starts_at, now)
    if goes_out is not None:
        await due_messages.schedule(
            tx,
            map_review.before_key(upcoming.id),
            map_review.SEND_MAP,
            goes_out,
            {"meeting": upcoming.id},
            now,
            expires_at=upcoming.starts_at,
        )
