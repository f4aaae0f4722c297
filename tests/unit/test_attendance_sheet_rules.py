"""The attendance sheet's order (the tick list shares it), its rows, and the photos of the signed sheet kept
once each, in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.meetings import attendance_views
from conversations.meetings.rules import WALK_IN_ROWS, MeetingAction, MeetingTap, parse_button, sheet_order
from storage import meetings, sheet_photos
from storage.meetings import Invitee, Meeting
from tests.e2e.seed import seed_cluster

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def _invitee(user_id: int, name: str, *, later: bool = False, group: str | None = None) -> Invitee:
    return Invitee(user_id, name, group, None, None, False, later, "core_firm")


def test_the_sheet_lists_by_name_ignoring_case_and_newcomers_after_the_others():
    people = [
        _invitee(5, "eka"),
        _invitee(3, "Agus", later=True),
        _invitee(2, "Bayu"),
        _invitee(4, "Bayu"),  # the same name twice: the older account first, always
        _invitee(1, "Çitra"),
        _invitee(6, "Ani"),
    ]
    assert [i.user_id for i in sheet_order(people)] == [6, 2, 4, 1, 5, 3]
    assert sheet_order(list(reversed(people))) == sheet_order(people)


def test_the_sheet_numbers_invitees_then_empty_rows_for_guests():
    meeting = Meeting(
        1, 1, "fgd1", "Pewarna", NOW, "Balai Desa", None, None, None, {}, None, (), "CODE", 1, "scheduled", None, None
    )
    people = [_invitee(2, "Bayu", group="Grup Utara"), _invitee(1, "Ani")]
    sheet = attendance_views.attendance_sheet("id", meeting, "Asia/Jakarta", "Sentra", people, "https://t.me/x", "Bu")
    assert sheet.rows[:2] == [["1", "Ani", "-", "Perusahaan inti"], ["2", "Bayu", "Grup Utara", "Perusahaan inti"]]
    assert [row[0] for row in sheet.rows[2:]] == [str(n) for n in range(3, 3 + WALK_IN_ROWS)]
    assert ("Jam", "10.00 WIB") in sheet.details and ("Hari, tanggal", "Senin, 23 Nov 2026") in sheet.details
    _text, keyboard = attendance_views.tick_list("id", meeting, list(reversed(people)), 0)
    assert [row[0].text for row in keyboard.inline_keyboard[:2]] == ["1. ⬜ Ani", "2. ⬜ Bayu"]


def test_the_sheet_and_photo_buttons_parse():
    assert parse_button("mt1:sheet:12") == MeetingTap(MeetingAction.SHEET, 12)
    assert parse_button("mt1:photos:12") == MeetingTap(MeetingAction.PHOTOS, 12)
    assert parse_button("mt1:photos:x") is None


async def test_photos_of_the_signed_sheet_are_kept_in_order_and_a_replayed_one_once(database):
    seeded = await seed_cluster(database, NOW, facilitator=(801, "Rina"), groups={})
    async with database.transaction() as tx:
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind="regular",
            topic="Rapat",
            starts_at=NOW + timedelta(days=1),
            place="Balai",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code="C1",
            organiser_id=801,
            invitee_ids=[],
            now=NOW,
            source_update_id=1,
        )
        await sheet_photos.add_photo(tx, meeting.id, "photo", "F1", "U1", 801, NOW)
        await sheet_photos.add_photo(tx, meeting.id, "document", "F2", "U2", 801, NOW)
        photos = await sheet_photos.add_photo(tx, meeting.id, "photo", "F1-again", "U1", 801, NOW)
    assert [(p.position, p.kind, p.file_id) for p in photos] == [(1, "photo", "F1"), (2, "document", "F2")]
    async with database.read() as conn:
        assert await sheet_photos.count_photos(conn, meeting.id) == 2
        assert await sheet_photos.photos_of(conn, meeting.id) == photos
