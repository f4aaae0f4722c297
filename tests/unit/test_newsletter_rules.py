"""Reading imported firm rows and matching firms that joined."""

from __future__ import annotations

import pytest

from conversations.newsletter.rules import (
    NewsletterTap,
    RowProblem,
    Step,
    WrongColumns,
    joined_ids,
    parse_firm_rows,
    parse_tap,
    stakeholder_key,
)


def test_english_headers_and_good_rows_are_read():
    firms, problems = parse_firm_rows(
        ["Name", "Village", "Business", "Stakeholder type", "Contact"],
        [["Batik Sari", "Laweyan", "batik tulis", "Core firm", "0812 3456 789"], ["Toko Kain", "", "", "", ""]],
    )
    assert problems == []
    assert firms[0] == {
        "name": "Batik Sari",
        "village": "Laweyan",
        "business": "batik tulis",
        "stakeholder_type": "core_firm",
        "contact": "0812 3456 789",
    }
    assert firms[1] == {
        "name": "Toko Kain",
        "village": None,
        "business": None,
        "stakeholder_type": None,
        "contact": None,
    }


def test_indonesian_headers_in_any_order_are_read():
    firms, problems = parse_firm_rows(
        ["Kontak", "Nama Usaha", "Desa", "Jenis"], [["+62 811", "CV Tenun", "Troso", "Pemasok"]]
    )
    assert problems == []
    assert firms == [
        {"name": "CV Tenun", "village": "Troso", "business": None, "stakeholder_type": "supplier", "contact": "+62 811"}
    ]


def test_broken_rows_are_reported_with_their_row_number_and_empty_rows_skipped():
    firms, problems = parse_firm_rows(
        ["Nama", "Jenis"],
        [["Baik", "koperasi"], ["", "inti"], [None, None], ["Aneh", "alien"], ["x" * 200, ""]],
    )
    assert [f["name"] for f in firms] == ["Baik"]
    assert problems == [
        RowProblem(3, "no_name"),
        RowProblem(5, "unknown_type", "alien"),
        RowProblem(6, "too_long", "name"),
    ]


def test_a_file_without_a_name_column_is_refused():
    with pytest.raises(WrongColumns):
        parse_firm_rows(["Produk", "Alamat"], [["kain", "Jl. Mawar"]])


def test_stakeholder_types_in_both_languages():
    assert stakeholder_key("Perusahaan inti") == "core_firm"
    assert stakeholder_key("bank") == "bank"
    assert stakeholder_key("") is None
    assert stakeholder_key("???x") == ""


def test_a_firm_has_joined_when_a_member_has_its_phone_or_its_name():
    firms = [(1, "Batik Sari", "0812-3456-7890"), (2, "Tenun Troso", None), (3, "Toko Lain", "0813 0000 0000")]
    members = [("Bu Sari", "+62 812 3456 7890"), ("tenun troso", None)]
    assert joined_ids(firms, members) == {1, 2}


def test_what_rembug_lacks_to_post_in_a_channel_or_group():
    from conversations.newsletter.rules import missing_rights

    assert missing_rights("channel", "administrator", True, None) == ()
    assert missing_rights("channel", "administrator", False, None) == ("post_messages",)
    assert missing_rights("channel", "left", None, None) == ("admin",)
    assert missing_rights("supergroup", "member", None, None) == ()
    assert missing_rights("group", "administrator", None, None) == ()
    assert missing_rights("supergroup", "kicked", None, None) == ("member",)
    assert missing_rights("supergroup", "restricted", None, False) == ("send_messages",)
    assert missing_rights("supergroup", "restricted", None, True) == ()


def test_a_lost_right_is_told_apart_from_a_passing_fault():
    from conversations.newsletter.rules import lost_rights

    assert lost_rights("Bad Request: need administrator rights in the channel chat")
    assert lost_rights("Forbidden: bot is not a member of the channel chat")
    assert lost_rights("Forbidden: bot was kicked from the supergroup chat")
    assert not lost_rights("gave up after 5 attempts: Timed out")
    assert not lost_rights(None)


def test_newsletter_figures_count_the_last_three_months_only():
    from datetime import UTC, datetime, timedelta

    from conversations.newsletter.rules import progress

    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    joined = [now - timedelta(days=400), now - timedelta(days=89), now - timedelta(days=1)]
    meetings = [
        (now - timedelta(days=100), False, 20),  # too long ago
        (now - timedelta(days=30), False, 12),
        (now - timedelta(days=20), True, 0),  # cancelled
        (now - timedelta(days=2), False, 9),
    ]
    figures = progress(
        joined, now, firms=40, firms_joined=18, meetings=meetings, priorities=["Harga kain mori", "Limbah"]
    )
    assert (figures.members, figures.new_members) == (3, 2)
    assert (figures.firms, figures.firms_joined) == (40, 18)
    assert (figures.meetings_held, figures.attendances) == (2, 21)
    assert figures.priorities == ("Harga kain mori", "Limbah")


def test_every_newsletter_button_parses_to_what_it_names():
    assert parse_tap("nl1:home") == NewsletterTap(Step.HOME)
    assert parse_tap("nl1:p:3") == NewsletterTap(Step.PAGE, page=3)
    assert parse_tap("nl1:xlsx") == NewsletterTap(Step.EXCEL)
    assert parse_tap("nl1:t:supplier") == NewsletterTap(Step.TYPE, stakeholder_type="supplier")
    assert parse_tap("nl1:again:12") == NewsletterTap(Step.AGAIN, newsletter_id=12)
    assert parse_tap("nl1:go") == NewsletterTap(Step.POST)


def test_a_forged_or_malformed_newsletter_button_parses_to_nothing():
    for forged in (
        None,
        "",
        "cm1:p:0",
        "nl1",
        "nl1:zz",
        "nl1:p",
        "nl1:p:x",
        "nl1:p:-1",
        "nl1:p:99999",
        "nl1:p:1:2",
        "nl1:home:1",
        "nl1:t:king",
        "nl1:again",
        "nl1:again:0",
        "nl1:again:x",
    ):
        assert parse_tap(forged) is None, forged
