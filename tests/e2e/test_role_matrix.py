"""Every privileged action, tried by every role: who may and who may not, through the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.buttons import callback_data
from bot.roles import Action
from conversations.membership.group_rules import GROUP_PREFIX, GroupAction
from storage import clusters, committees, meetings, memberships, small_groups, users
from tests.e2e.conftest import ADMIN_ID

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ROLES = ("admin", "facilitator", "secretary", "group_leader", "member", "outsider")
# Written out by hand (not derived from bot.roles.RULES), so a wrong rule fails here.
MAY = {
    Action.CREATE_CLUSTER: {"admin"},
    Action.SHOW_INVITE: {"facilitator"},
    Action.ROTATE_INVITE: {"facilitator"},
    Action.APPOINT_ROLES: {"facilitator"},
    Action.MANAGE_GROUPS: {"facilitator"},
    Action.VIEW_DIRECTORY: {"facilitator"},
    Action.EXPORT_DIRECTORY: {"facilitator"},
    Action.PICK_OWN_GROUP: {"facilitator", "secretary", "group_leader", "member"},
    Action.EDIT_OWN_PROFILE: {"facilitator", "secretary", "group_leader", "member"},
    Action.LEAVE_CLUSTER: {"facilitator", "secretary", "group_leader", "member"},
    Action.SCHEDULE_MEETING: {"facilitator", "group_leader"},
    Action.MANAGE_MEETING: {"facilitator", "group_leader"},
    Action.VIEW_MEETINGS: {"facilitator", "secretary", "group_leader", "member"},
    Action.ANSWER_SURVEY: {"facilitator", "secretary", "group_leader", "member"},
    Action.RUN_SURVEY: {"facilitator"},
    Action.SEND_BROADCAST: {"facilitator", "secretary", "group_leader"},
    Action.MUTE_BROADCASTS: {"facilitator", "secretary", "group_leader", "member"},
    Action.RUN_BRAINSTORM: {"facilitator", "group_leader"},
    Action.JOIN_BRAINSTORM: {"facilitator", "secretary", "group_leader", "member"},
    Action.VIEW_ORGANISATION: {"facilitator", "secretary", "group_leader", "member"},
    Action.RUN_ORGANISATION: {"facilitator"},
    Action.MANAGE_FIRMS: {"facilitator"},
    Action.VIEW_SUPPORTERS: {"facilitator", "secretary", "group_leader", "member"},
    Action.MANAGE_SUPPORTERS: {"facilitator"},
    Action.SEND_NEWSLETTER: {"facilitator", "secretary"},
    Action.MANAGE_COMMITTEES: {"admin"},
    Action.FOLLOW_COMMITTEE: {"admin"},  # and a committee's own members (tests/e2e/test_committee.py)
    Action.COMMITTEE_REPORTS: {"admin"},  # and a committee's secretary and chair
    Action.VIEW_PLANS: {"facilitator", "secretary", "group_leader", "member"},
    Action.RUN_PLANS: {"facilitator"},
    Action.REPORT_PROGRESS: {"facilitator", "secretary", "group_leader", "member"},
    Action.VIEW_ACCESS_LOG: {"facilitator", "secretary"},
    Action.COMMITTEE_ACCESS_LOG: {"admin"},  # and a committee's secretary and chair
    Action.VIEW_YEAR: {"facilitator", "secretary", "group_leader", "member"},
    Action.PLAN_YEAR: {"facilitator"},
    Action.VIEW_BOOKS: {"facilitator", "secretary", "group_leader", "member"},
    Action.KEEP_BOOKS: {"facilitator"},  # and the board's treasurer
    Action.CONFIRM_ENTRIES: set(),  # the board's chair only
    Action.VIEW_OWN_DUES: {"facilitator", "secretary", "group_leader", "member"},
    Action.MANAGE_DUES: {"facilitator"},  # and the board's treasurer
    Action.VIEW_ARREARS: set(),  # the board's treasurer and chair only
    Action.ASSIGN_TASKS: {"facilitator", "secretary"},
    Action.DO_TASKS: {"facilitator", "secretary", "group_leader", "member"},
}
# The button that asks for each action (as the menus build it).
TRIGGERS = {
    Action.CREATE_CLUSTER: "mb1:new",
    Action.SHOW_INVITE: "mb1:inv",
    Action.ROTATE_INVITE: "mb1:rot",
    Action.APPOINT_ROLES: "mb1:roles",
    Action.MANAGE_GROUPS: callback_data(GROUP_PREFIX, GroupAction.LIST, 0),
    Action.VIEW_DIRECTORY: "dr1:p:0:a",
    Action.EXPORT_DIRECTORY: "dr1:csv",
    Action.PICK_OWN_GROUP: callback_data(GROUP_PREFIX, GroupAction.MINE),
    Action.EDIT_OWN_PROFILE: "mb1:pedit",
    Action.LEAVE_CLUSTER: "mb1:leave",
    Action.SCHEDULE_MEETING: "mt1:new",
    Action.MANAGE_MEETING: "mt1:open:1",
    Action.VIEW_MEETINGS: "mt1:list",
    Action.ANSWER_SURVEY: "sv1:list",
    Action.RUN_SURVEY: "sv1:new",
    Action.SEND_BROADCAST: "bc1:new",
    Action.MUTE_BROADCASTS: "bc1:mute",
    Action.RUN_BRAINSTORM: "bs1:new",
    Action.JOIN_BRAINSTORM: "bs1:list",
    Action.VIEW_ORGANISATION: "og1:home",
    Action.RUN_ORGANISATION: "og1:vm",
    Action.MANAGE_FIRMS: "nl1:p:0",
    Action.VIEW_SUPPORTERS: "sp1:home",
    Action.MANAGE_SUPPORTERS: "sp1:l:0",
    Action.SEND_NEWSLETTER: "nl1:home",
    Action.MANAGE_COMMITTEES: "cm1:new",
    Action.FOLLOW_COMMITTEE: "cm1:home",
    Action.COMMITTEE_REPORTS: "cm1:rep:1:q",
    Action.VIEW_PLANS: "pl1:list",
    Action.RUN_PLANS: "pl1:new",
    Action.REPORT_PROGRESS: "pl1:mine",
    Action.VIEW_ACCESS_LOG: "al1:k:0",
    Action.COMMITTEE_ACCESS_LOG: "al1:c:1:0",
    Action.VIEW_OWN_DUES: "du1:home",
    Action.MANAGE_DUES: "du1:pay",
    Action.VIEW_ARREARS: "du1:late:0",
    Action.VIEW_BOOKS: "kb1:home",
    Action.KEEP_BOOKS: "kb1:in",
    Action.CONFIRM_ENTRIES: "kb1:ok:1",
    Action.ASSIGN_TASKS: "tk1:m:0",
    Action.DO_TASKS: "tk1:mine:0",
    Action.VIEW_YEAR: "ap1:home",
    Action.PLAN_YEAR: "ap1:rg:2026",
}
USER_IDS = {
    "admin": ADMIN_ID,
    "facilitator": 301,
    "secretary": 302,
    "group_leader": 303,
    "member": 304,
    "outsider": 305,
}


def test_every_action_has_an_expected_row():
    assert set(MAY) == set(Action)


async def _seed(db) -> None:
    async with db.transaction() as tx:
        for role, uid in USER_IDS.items():
            await users.remember_user(tx, uid, role.title(), None, None, "en", NOW)
        cluster = await clusters.create_cluster(
            tx,
            name="Sentra Tenun",
            regency="Jepara",
            province="Jawa Tengah",
            industry="tenun",
            timezone="Asia/Jakarta",
            invite_code="MATRIX22",
            created_by=USER_IDS["facilitator"],
            full_name="Facilitator",
            now=NOW,
            source_update_id=1,
        )
        for role in ("secretary", "group_leader", "member"):
            await memberships.join_cluster(tx, cluster.id, USER_IDS[role], {"full_name": role.title()}, NOW)
        await memberships.set_roles(tx, cluster.id, USER_IDS["secretary"], secretary=True)
        group = await small_groups.create_group(tx, cluster.id, "Grup Utara", "Utara", NOW)
        await small_groups.set_leader(tx, group.id, USER_IDS["group_leader"])
        # A committee following the cluster (its reports are the admin's and its own officers').
        committee, _new = await committees.create_committee(
            tx,
            name="FEDEP Jepara",
            level="district",
            timezone="Asia/Jakarta",
            invite_code="MATRIXCM",
            created_by=USER_IDS["admin"],
            now=NOW,
            source_update_id=3,
        )
        await committees.toggle_cluster(tx, committee.id, cluster.id)
        # A meeting of the leader's small group: its organiser and the facilitators manage it.
        await meetings.create_meeting(
            tx,
            cluster_id=cluster.id,
            kind="small_group",
            topic="Stok kain",
            starts_at=NOW + timedelta(days=2),
            place="Balai",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"groups": [group.id]},
            capacity=None,
            reminders=(),
            checkin_code="matrixcode",
            organiser_id=USER_IDS["group_leader"],
            invitee_ids=[USER_IDS["group_leader"]],
            now=NOW,
            source_update_id=2,
        )


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_may_do_exactly_what_the_rules_say(emulator, bot, role):
    await _seed(bot.application.services.db)
    person = emulator.user(USER_IDS[role], role.title(), language_code="en")
    menu = await person.ask("/menu")
    outcome = {}
    for action, data in TRIGGERS.items():
        answered = len(person.callback_answers)
        await person.tap_data(menu.message_id, data)
        await person.wait_reply()
        text, alert = person.callback_answers[answered] if len(person.callback_answers) > answered else ("", False)
        refused = alert and text.startswith("Only ")
        stale = text.startswith("This button is no longer valid")
        assert not stale, f"{data} is not a working button"
        outcome[action] = not refused
    expected = {action: role in MAY[action] for action in TRIGGERS}
    assert outcome == expected
