"""The role model and the one permission check, as plain functions."""

from __future__ import annotations

from bot.roles import Action, Role, allowed, standing_in_cluster


def test_only_admins_create_clusters():
    admin = standing_in_cluster(1, True)
    facilitator = standing_in_cluster(2, False, 7, "Batik", is_facilitator=True)
    member = standing_in_cluster(3, False, 7, "Batik")
    newcomer = standing_in_cluster(4, False)
    assert allowed(admin, Action.CREATE_CLUSTER)
    assert not allowed(facilitator, Action.CREATE_CLUSTER)
    assert not allowed(member, Action.CREATE_CLUSTER)
    assert not allowed(newcomer, Action.CREATE_CLUSTER)


def test_roles_follow_the_membership_record():
    leader = standing_in_cluster(5, False, 7, "Batik", is_secretary=True, led_group_ids=(3,))
    assert leader.roles == {Role.MEMBER, Role.SECRETARY, Role.GROUP_LEADER}
    assert standing_in_cluster(6, False).roles == frozenset()


def test_the_boards_treasurer_keeps_the_books_and_only_treasurer_and_chair_see_who_is_behind():
    treasurer = standing_in_cluster(7, False, 1, "Sentra", board_positions=("treasurer",))
    chair = standing_in_cluster(8, False, 1, "Sentra", board_positions=("chair",))
    facilitator = standing_in_cluster(9, False, 1, "Sentra", is_facilitator=True)
    assert Role.TREASURER in treasurer.roles and Role.CHAIR in chair.roles
    assert allowed(treasurer, Action.KEEP_BOOKS) and allowed(facilitator, Action.KEEP_BOOKS)
    assert not allowed(chair, Action.KEEP_BOOKS)
    assert allowed(chair, Action.CONFIRM_ENTRIES) and not allowed(treasurer, Action.CONFIRM_ENTRIES)
    assert allowed(treasurer, Action.VIEW_ARREARS) and allowed(chair, Action.VIEW_ARREARS)
    assert not allowed(facilitator, Action.VIEW_ARREARS)
