"""The audience engine: who an audience covers, the picker's taps, what a person may pick."""

from __future__ import annotations

from bot.audience import (
    Allowed,
    Audience,
    Newcomers,
    Person,
    Pick,
    PickAction,
    apply_pick,
    meeting_people,
    parse_pick,
    reaches,
    select,
    with_people,
)

PEOPLE = [
    Person(1, 10, frozenset({"facilitator"}), "core_firm"),
    Person(2, 10, frozenset(), "trader"),
    Person(3, 20, frozenset({"group_leader"}), "supplier", muted=True),
    Person(4, None, frozenset({"secretary"}), "bank"),
    Person(5, 20, frozenset(), "core_firm", muted=True),
    Person(9, committee_ids=frozenset({7}), member=False),  # a committee member from outside the cluster
    Person(4, committee_ids=frozenset({7}), member=False),  # a member who also sits on the committee
]


def test_an_audience_covers_groups_roles_types_committees_and_people_each_once():
    assert select(Audience(group_ids=(10,)), PEOPLE).chosen == [1, 2]
    assert select(Audience(group_ids=(10, 20)), PEOPLE).chosen == [1, 2, 3, 5]
    assert select(Audience(roles=("secretary", "group_leader")), PEOPLE).chosen == [3, 4]
    assert select(Audience(stakeholder_types=("core_firm",)), PEOPLE).chosen == [1, 5]
    assert select(Audience(committee_ids=(7,)), PEOPLE).chosen == [9, 4]
    assert select(Audience(people=(5, 2)), PEOPLE).chosen == [2, 5]  # in the cluster's order
    # The whole cluster is its members: a committee's outsider comes only with the committee.
    assert select(Audience(everyone=True), PEOPLE).chosen == [1, 2, 3, 4, 5]
    assert select(Audience(everyone=True, committee_ids=(7,)), PEOPLE).chosen == [1, 2, 3, 4, 5, 9]
    assert select(Audience(), PEOPLE).chosen == []


def test_the_sender_is_left_out_and_mutes_count_only_when_asked():
    everyone = Audience(everyone=True)
    assert select(everyone, PEOPLE, leave_out=1).chosen == [2, 3, 4, 5]
    muted = select(everyone, PEOPLE, leave_out=1, mutes_count=True)
    assert muted.chosen == [2, 4] and muted.muted == [3, 5]
    assert select(Audience(people=(4, 5)), PEOPLE, mutes_count=True).muted == [5]


def test_an_audience_is_stored_and_read_back_including_what_was_stored_before():
    audience = Audience(False, (10,), ("secretary",), ("bank",), (7,), (4, 5), "Belum menjawab")
    assert Audience.from_json(audience.to_json()) == audience
    assert Audience().empty and not Audience(people=(1,)).empty and not Audience(committee_ids=(7,)).empty
    # A meeting stored before the audiences were one: no types, people or label.
    assert Audience.from_json({"everyone": False, "groups": [3], "roles": [], "committees": [2]}) == Audience(
        group_ids=(3,), committee_ids=(2,)
    )
    assert Audience.from_json(None) == Audience()


def test_the_pickers_taps_are_read_into_typed_values():
    assert parse_pick("mt1:a:all", "mt1") == Pick(PickAction.EVERYONE)
    assert parse_pick("bc1:a:g:12", "bc1") == Pick(PickAction.GROUP, number=12)
    assert parse_pick("bc1:a:r:secretary", "bc1") == Pick(PickAction.ROLE, word="secretary")
    assert parse_pick("bc1:a:t:bank", "bc1", ("bank",)) == Pick(PickAction.TYPE, word="bank")
    assert parse_pick("mt1:a:c:7", "mt1") == Pick(PickAction.COMMITTEE, number=7)
    assert parse_pick("bc1:a:rsvp:4", "bc1") == Pick(PickAction.MEETING_PEOPLE, number=4, word="rsvp")
    assert parse_pick("bc1:a:done", "bc1") == Pick(PickAction.DONE)
    forged = ["bc1:a:g:x", "bc1:a:r:king", "bc1:a:t:bank", "mt1:a:all", "bc1:a", "bc1:a:g:1:2", "bc1:a:mp:3"]
    forged += ["bc1:a:inv:x", None, "bc1:a:nonsense", "bc1:a:done:1", "bc1:a:g:²", "bc1:a:g:١٢"]
    for data in forged:
        assert parse_pick(data, "bc1") is None, data


def test_a_group_leader_picks_only_their_groups_and_a_facilitator_anything_offered():
    leader = Allowed(whole_cluster=False, group_ids=frozenset({10}))
    assert apply_pick(Audience(), Pick(PickAction.GROUP, number=10), leader) == Audience(group_ids=(10,))
    assert apply_pick(Audience(group_ids=(10,)), Pick(PickAction.GROUP, number=10), leader) == Audience()
    assert apply_pick(Audience(), Pick(PickAction.GROUP, number=20), leader) is None
    assert apply_pick(Audience(), Pick(PickAction.EVERYONE), leader) is None
    assert apply_pick(Audience(), Pick(PickAction.ROLE, word="secretary"), leader) is None
    facilitator = Allowed(whole_cluster=True, committee_ids=frozenset({7}))
    assert apply_pick(Audience(), Pick(PickAction.EVERYONE), facilitator) == Audience(everyone=True)
    assert apply_pick(Audience(), Pick(PickAction.COMMITTEE, number=7), facilitator) == Audience(committee_ids=(7,))
    assert apply_pick(Audience(), Pick(PickAction.COMMITTEE, number=8), facilitator) is None  # not following
    assert apply_pick(Audience(), Pick(PickAction.DONE), facilitator) is None  # not a toggle
    assert with_people(Audience(group_ids=(1,)), (4, 5), "x") == Audience(group_ids=(1,), people=(4, 5), label="x")


def test_a_meetings_people_as_an_audience():
    invitees = [(1, "yes"), (2, None), (3, "no"), (4, "maybe"), (5, None)]
    assert meeting_people("inv", invitees, set()) == (1, 2, 3, 4, 5)
    assert meeting_people("rsvp", invitees, set()) == (2, 5)
    # Did not attend: invited, not checked in, and had not said they could not come.
    assert meeting_people("absent", invitees, present={1, 5}) == (2, 4)


def test_the_board_is_a_role_flows_choose_and_an_outside_holder_is_not_the_whole_cluster():
    people = [*PEOPLE, Person(8, roles=frozenset({"board"}), member=False)]
    assert select(Audience(roles=("facilitator", "board")), people).chosen == [1, 8]
    assert 8 not in select(Audience(everyone=True), people).chosen


def test_whether_an_audience_now_reaches_someone():
    assert reaches(Audience(group_ids=(20,)), PEOPLE, 5)
    assert not reaches(Audience(group_ids=(20,)), PEOPLE, 2)
    assert reaches(Audience(everyone=True), PEOPLE, 4) and not reaches(Audience(everyone=True), PEOPLE, 9)
    assert not reaches(Audience(everyone=True), PEOPLE, 77)  # not (yet) in the cluster


async def test_newcomers_reach_every_listener_with_the_transaction():
    heard: list[tuple[object, int, int, object]] = []

    async def listener(tx, cluster_id, user_id, now):
        heard.append((tx, cluster_id, user_id, now))

    newcomers = Newcomers()
    await newcomers.arrived("tx", 1, 2, "now")  # nobody listens yet: nothing happens
    newcomers.listen(listener)
    newcomers.listen(listener)
    await newcomers.arrived("tx", 3, 4, "now")
    assert heard == [("tx", 3, 4, "now"), ("tx", 3, 4, "now")]
