"""Meeting rules: times, dates, the calendar, audiences, reminders, check-in windows, attendance arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from conversations.meetings import rules

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10.00 WIB


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:00", time(14)), ("14.30", time(14, 30)), ("9.05", time(9, 5)), ("0930", time(9, 30)), ("7", time(7))],
)
def test_times_are_read_the_way_people_type_them(typed, expected):
    assert rules.parse_time(typed) == (expected, None)


@pytest.mark.parametrize("typed", ["25:00", "14:60", "jam dua", "", "24.00"])
def test_impossible_times_are_refused(typed):
    assert rules.parse_time(typed) == (None, rules.Problem.NOT_A_TIME)


def test_dates_are_read_and_31_february_is_refused():
    assert rules.parse_date("25/11/2026") == (date(2026, 11, 25), None)
    assert rules.parse_date("1-12-2026") == (date(2026, 12, 1), None)
    assert rules.parse_date("31/02/2027") == (None, rules.Problem.NOT_A_DATE)
    assert rules.parse_date("besok") == (None, rules.Problem.NOT_A_DATE)


def test_a_start_in_the_past_is_refused_in_the_clusters_zone():
    start = rules.local_start(date(2026, 11, 23), time(9, 0), "Asia/Jakarta")  # 02.00 UTC
    assert rules.check_future(start, NOW) is rules.Problem.IN_THE_PAST
    later = rules.local_start(date(2026, 11, 23), time(11, 0), "Asia/Jakarta")
    assert rules.check_future(later, NOW) is None
    # 10.30 in Jayapura (WIT, UTC+9) is 01.30 UTC: already past at 03.00 UTC.
    assert rules.check_future(rules.local_start(date(2026, 11, 23), time(10, 30), "Asia/Jayapura"), NOW)


def test_the_calendar_greys_out_past_days():
    weeks = rules.month_grid(2026, 11, date(2026, 11, 23))
    days = [cell for week in weeks for cell in week if cell.day]
    assert len(days) == 30
    assert [c.selectable for c in days if c.day.day in (22, 23, 24)] == [False, True, True]
    assert weeks[0][0].day is None  # 1 Nov 2026 is a Sunday: Monday the 26th Oct is blank
    assert rules.shift_month(2026, 12, 1) == (2027, 1)
    assert rules.shift_month(2027, 1, -1) == (2026, 12)


def test_reminders_are_planned_only_ahead_of_now():
    start = NOW + timedelta(hours=20)
    planned = rules.reminder_times(start, (1440, 120), NOW)
    assert planned == [(120, start - timedelta(hours=2))]  # a day before is already past
    assert rules.reminder_times(NOW + timedelta(days=3), (120, 1440, 120), NOW)[0][0] == 1440


def test_check_in_window_and_who_may_check_in():
    start = NOW + timedelta(hours=2)
    assert rules.check_checkin(start, NOW, False, True) is rules.CheckinProblem.TOO_EARLY
    assert rules.check_checkin(start, start - timedelta(minutes=59), False, True) is None
    assert (
        rules.check_checkin(start, start + timedelta(hours=4, minutes=1), False, True) is rules.CheckinProblem.TOO_LATE
    )
    assert rules.check_checkin(start, start, True, True) is rules.CheckinProblem.CANCELLED
    assert rules.check_checkin(start, start, False, False) is rules.CheckinProblem.OTHER_CLUSTER


def test_meeting_figures():
    invitees = {1: "yes", 2: "yes", 3: "no", 4: None, 5: "maybe", 6: "yes"}
    figures = rules.meeting_figures(invitees, present={1, 2, 4, 99}, guests=2, unreachable=1)
    assert (figures.invited, figures.coming, figures.maybe, figures.cant, figures.no_answer) == (6, 3, 1, 1, 1)
    assert figures.attended_invited == 3  # 1, 2 and 4 (who never answered but came)
    assert figures.walk_in_members == {99}  # checked in by the link without an invitation
    assert figures.walk_ins == 3  # member 99 and two guests
    assert figures.attended == 6  # everyone who came: 3 invitees, 1 member, 2 guests
    assert figures.rate == 0.5  # attended invitees over invitees
    assert rules.meeting_figures({}, set(), 0).rate == 0.0
    assert rules.meeting_figures({}, {7}, 0).attended == 1  # nobody invited, one member came


def test_capacity_and_toggles():
    assert rules.parse_capacity("40") == (40, None)
    assert rules.parse_capacity("0")[1] is rules.Problem.NOT_A_NUMBER
    assert rules.parse_capacity("empat puluh")[1] is rules.Problem.NOT_A_NUMBER
    assert rules.toggle((1, 2), 2) == (1,)
    assert rules.toggle((1,), 3) == (1, 3)


def test_the_invitee_list_button_parses_and_filters():
    from conversations.meetings.rules import InviteeFilter, InviteeListTap, invitee_shown, parse_invitee_list

    assert parse_invitee_list(["inv", "4", "out", "2"]) == InviteeListTap(4, InviteeFilter.NOT_REACHED, 2)
    for forged in (
        None,
        ["inv", "4", "out"],
        ["inv", "x", "all", "0"],
        ["inv", "4", "zz", "0"],
        ["inv", "4", "all", "-1"],
        ["inv", "4", "all", "123456"],
    ):
        assert parse_invitee_list(forged) is None
    assert invitee_shown(InviteeFilter.COMING, "yes", False, "sent") and not invitee_shown(
        InviteeFilter.COMING, "maybe", False, "sent"
    )
    assert invitee_shown(InviteeFilter.NO_ANSWER, None, False, None) and invitee_shown(
        InviteeFilter.PRESENT, "no", True, "sent"
    )
    assert invitee_shown(InviteeFilter.NOT_REACHED, None, False, "blocked") and not invitee_shown(
        InviteeFilter.NOT_REACHED, None, False, "sent"
    )


def test_a_meetings_buttons_are_read_into_typed_values():
    assert rules.parse_button("mt1:cancelyes:4") == rules.MeetingTap(rules.MeetingAction.CANCEL_YES, 4)
    assert rules.parse_button("mt1:tick:4:2") == rules.MeetingTap(rules.MeetingAction.TICK, 4, 2)
    assert rules.parse_button("mt1:k:fgd1") == rules.KindTap("fgd1")
    assert rules.parse_button("mt1:m:202612") == rules.MonthTap(2026, 12)
    assert rules.parse_button("mt1:d:20261125") == rules.DayTap(date(2026, 11, 25))
    assert rules.parse_button("mt1:t:1400") == rules.TimeTap("1400")
    assert rules.parse_button("mt1:rem:1440") == rules.ReminderTap(1440)
    assert rules.parse_button("mt1:ew:place") == rules.ChangeTap(rules.Change.PLACE)
    assert rules.parse_button("mt1:r:4:yes:b") == rules.RsvpTap(4, "yes", True)
    assert rules.parse_button("mt1:gt:bank", ("bank",)) == rules.GuestTypeTap("bank")
    forged = ["mt1:open:x", "mt1:open:4:1", "mt1:k:party", "mt1:m:202613", "mt1:d:20260231", "mt1:rem:5"]
    forged += ["mt1:ew:topic", "mt1:gt:bank", "bc1:open:4", None, "mt1:t:ab", "mt1:cancel", "mt1:open:²", "mt1:r:²:yes"]
    for data in forged:
        assert rules.parse_button(data) is None, data


def test_an_rsvp_is_accepted_from_invitees_until_the_start_while_there_is_room():
    start = NOW + timedelta(days=1)
    ok = {"invited": True, "cancelled": False, "starts_at": start, "now": NOW, "previous": None, "capacity": 2}
    assert rules.check_rsvp(**ok, choice="yes", coming=1) is None
    assert rules.check_rsvp(**ok, choice="yes", coming=2) is rules.RsvpProblem.FULL
    assert rules.check_rsvp(**ok, choice="maybe", coming=2) is None  # Maybe is always possible
    assert rules.check_rsvp(**{**ok, "previous": "yes"}, choice="yes", coming=2) is None  # already counted
    assert rules.check_rsvp(**{**ok, "capacity": None}, choice="yes", coming=500) is None
    assert rules.check_rsvp(**{**ok, "invited": False}, choice="no", coming=0) is rules.RsvpProblem.NOT_INVITED
    assert rules.check_rsvp(**{**ok, "cancelled": True}, choice="no", coming=0) is rules.RsvpProblem.CLOSED
    assert rules.check_rsvp(**{**ok, "now": start}, choice="no", coming=0) is rules.RsvpProblem.CLOSED


def test_a_schedule_is_checked_day_time_and_text():
    today = date(2026, 11, 23)
    assert rules.check_day(date(2026, 11, 22), today) is rules.Problem.IN_THE_PAST
    assert rules.check_day(None, today) is rules.Problem.NOT_A_DATE
    assert rules.check_day(today, today) is None
    assert rules.check_start(today, "9.00", "Asia/Jakarta", NOW) == (None, rules.Problem.IN_THE_PAST)
    assert rules.check_start(today, "25.00", "Asia/Jakarta", NOW) == (None, rules.Problem.NOT_A_TIME)
    start, problem = rules.check_start(today, "1400", "Asia/Jakarta", NOW)
    assert problem is None and start == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert rules.month_shown(rules.MonthTap(2026, 11), today) and not rules.month_shown(rules.MonthTap(2026, 10), today)
    assert rules.check_text("", 10) is rules.Problem.EMPTY
    assert rules.check_text("x" * 11, 10) is rules.Problem.TOO_LONG
    assert rules.check_text("Balai Desa", 120) is None
    assert rules.parse_capacity("²") == (None, rules.Problem.NOT_A_NUMBER)  # a digit to str.isdigit, not to int()


def test_rsvp_buttons_on_the_meetings_list_are_read_apart():
    assert rules.parse_button("mt1:r:4:no:l") == rules.RsvpTap(4, "no", on_list=True)
    assert rules.parse_button("mt1:card:4") == rules.MeetingTap(rules.MeetingAction.CARD, 4)
    for data in ("mt1:r:4:no:x", "mt1:r:4:no:l:b", "mt1:card:x"):
        assert rules.parse_button(data) is None, data


def test_a_newcomer_is_invited_once_to_upcoming_meetings_meant_for_them():
    ahead = {"starts_at": NOW + timedelta(days=1), "now": NOW, "cancelled": False}
    assert rules.newcomer_invited(**ahead, invited=False, in_audience=True)
    assert not rules.newcomer_invited(**ahead, invited=True, in_audience=True)  # entered a group again
    assert not rules.newcomer_invited(**ahead, invited=False, in_audience=False)  # another group's meeting
    assert not rules.newcomer_invited(**{**ahead, "cancelled": True}, invited=False, in_audience=True)
    assert not rules.newcomer_invited(**{**ahead, "starts_at": NOW}, invited=False, in_audience=True)  # started


def test_answers_stay_open_until_the_start_of_a_meeting_not_cancelled():
    assert rules.answers_open(NOW + timedelta(minutes=1), NOW, False)
    assert not rules.answers_open(NOW, NOW, False)
    assert not rules.answers_open(NOW + timedelta(days=1), NOW, True)


def test_a_meeting_button_on_the_list_shows_the_whole_time_without_the_zone():
    from conversations.meetings.meeting_views import meeting_list
    from storage.meetings import Meeting

    def meeting(id_: int, topic: str, hour: int) -> Meeting:
        starts = datetime(2026, 12, 13, hour - 7, 0, tzinfo=UTC)  # WIB is UTC+7
        return Meeting(
            id_, 1, "regular", topic, starts, "Balai", None, None, None, {}, None, (), "x", 1, "planned", None, None
        )

    _text, keyboard = meeting_list("id", [meeting(1, "Rapat rutin", 8)], [], "Asia/Jakarta", False, True)
    labels = [button.text for row in keyboard.inline_keyboard for button in row]
    assert "13 Des 2026, 08.00 Rapat rutin" in labels  # not "08.0": a cut at 17 characters lost a digit
