"""Membership rules: the ``mb1`` buttons read back, forged ones do not, and what an appointment changes."""

from __future__ import annotations

import re

import pytest

from bot.buttons import MAX_CALLBACK_BYTES
from conversations.membership.rules import (
    CLUSTER_FIELDS,
    PROFILE_FIELDS,
    STAKEHOLDER_TYPES,
    TIMEZONE_CHOICES,
    Appoint,
    Appointment,
    ChooseStakeholder,
    ChooseTimezone,
    EditField,
    MemberAction,
    PickAppointee,
    SwitchCluster,
    may_appoint,
    may_be_offered,
    member_button_data,
    member_pattern,
    next_question,
    parse_member_button,
    role_change,
)

BIG_ID = 2**52 - 1  # the largest id Telegram hands out fits in 52 bits

EVERY_BUTTON = [
    *MemberAction,
    SwitchCluster(BIG_ID),
    *(PickAppointee(role, 999) for role in Appointment),
    *(Appoint(role, BIG_ID) for role in Appointment),
    *(ChooseTimezone(zone) for zone in TIMEZONE_CHOICES),
    *(ChooseStakeholder(kind) for kind in STAKEHOLDER_TYPES),
    *(EditField(field) for field in PROFILE_FIELDS),
]


@pytest.mark.parametrize("button", EVERY_BUTTON, ids=str)
def test_every_membership_button_fits_telegram_and_reads_back(button):
    data = member_button_data(button)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse_member_button(data) == button


def test_the_buttons_keep_the_data_old_messages_carry():
    assert member_button_data(MemberAction.ROTATE) == "mb1:rot"
    assert member_button_data(PickAppointee(Appointment.HANDOVER, 2)) == "mb1:ap:hand:2"
    assert member_button_data(Appoint(Appointment.SECRETARY, 1017)) == "mb1:apm:sec:1017"
    assert member_button_data(SwitchCluster(4)) == "mb1:cl:4"
    assert member_button_data(EditField("phone")) == "mb1:edit:phone"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "mb1",
        "mb1:",
        "mb1:explode",
        "mb1:profile:1",
        "mb1:cl",
        "mb1:cl:0",
        "mb1:cl:x",
        "mb1:cl:-4",
        "mb1:cl:٣",  # a digit, but not one of ours
        "mb1:cl:99999999999999999999",
        "mb1:ap:fac",
        "mb1:ap:boss:0",
        "mb1:ap:fac:x",
        "mb1:apm:sec:0",
        "mb1:apm:sec:1:2",
        "mb1:tz:CET",
        "mb1:st:wizard",
        "mb1:edit:password",
        "gr1:open:4",
    ],
)
def test_a_stale_or_forged_membership_button_is_not_read(data):
    assert parse_member_button(data) is None


def test_the_appointment_list_leaves_out_oneself_and_facilitators_who_are_one_already():
    assert not may_be_offered(Appointment.SECRETARY, 1, 1, is_facilitator=False)
    assert not may_be_offered(Appointment.FACILITATOR, 1, 2, is_facilitator=True)
    assert may_be_offered(Appointment.FACILITATOR, 1, 2, is_facilitator=False)
    assert may_be_offered(Appointment.HANDOVER, 1, 2, is_facilitator=True)
    assert may_be_offered(Appointment.SECRETARY, 1, 2, is_facilitator=True)


def test_one_never_appoints_oneself():
    assert not may_appoint(1, 1)
    assert may_appoint(1, 2)


def test_a_handover_makes_the_appointee_facilitator_and_the_appointer_a_member():
    change = role_change(Appointment.HANDOVER)
    assert change.makes_facilitator and change.appointer_steps_down and not change.makes_sole_secretary


def test_a_secretary_is_the_only_one_and_nobody_steps_down():
    change = role_change(Appointment.SECRETARY)
    assert change.makes_sole_secretary and not change.makes_facilitator and not change.appointer_steps_down
    change = role_change(Appointment.FACILITATOR)
    assert change.makes_facilitator and not change.makes_sole_secretary and not change.appointer_steps_down


def test_the_next_question_is_the_first_unanswered_one_and_none_means_review():
    assert next_question(PROFILE_FIELDS, {}) == "full_name"
    assert next_question(PROFILE_FIELDS, {"full_name": "Siti", "home_area": "Laweyan"}) == "core_business"
    answered = dict.fromkeys(PROFILE_FIELDS, "x") | {"phone": None}  # a skipped phone is an answer too
    assert next_question(PROFILE_FIELDS, answered) is None
    assert next_question(CLUSTER_FIELDS, dict.fromkeys(CLUSTER_FIELDS[:-1], "x")) == "timezone"


KINDS = [*MemberAction, SwitchCluster, PickAppointee, Appoint, ChooseTimezone, ChooseStakeholder, EditField]


@pytest.mark.parametrize("button", EVERY_BUTTON, ids=str)
def test_each_button_is_routed_by_its_own_pattern_only(button):
    data = member_button_data(button)
    routed = [kind for kind in KINDS if re.match(member_pattern(kind), data)]
    assert routed == [button if isinstance(button, MemberAction) else type(button)]
