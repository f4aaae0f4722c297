"""The firm profile's figures (workers, sales, markets, the Step 1 criteria) and where they are read from:
each active member's latest sent profile, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.value_chain import add_profile, open_profile_round
from bot.forms import load_forms
from conversations.cluster_map import FORMS
from conversations.cluster_map.figures import cluster_chain, map_figures
from conversations.cluster_map.rules import MapTap, Member, Step, map_figures_of, parse_tap, tap_data
from conversations.survey.rules import BUILT_IN_FORMS, QuestionnaireTap
from conversations.survey.rules import parse_tap as parse_survey_tap
from storage import clusters, firm_profiles, memberships, users
from storage.database import Database

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)


def _answers(family="none", paid="1_4", sales="5m_15m", markets=("local",), buys=("none",), sells=("none",)) -> dict:
    return {
        "family_workers": family,
        "paid_workers": paid,
        "products": "batik",
        "material_sources": ["cluster"],
        "markets": list(markets),
        "monthly_sales": sales,
        "buys_from": list(buys),
        "sells_to": list(sells),
    }


def test_the_shipped_firm_profile_is_a_built_in_questionnaire_with_buttons_for_almost_everything():
    form = load_forms(FORMS)[("firm_profile", 1)]
    typed = [q.name for q in form.questions if q.type not in ("select_one", "select_multiple")]
    assert typed == ["products", "materials", "year_started"]  # two short texts, one year (the last two may be skipped)
    assert [q.name for q in form.questions if not q.required] == ["materials", "year_started"]
    assert BUILT_IN_FORMS.index("firm_profile") == 1  # its buttons say -1: sv1:newq:-1
    assert parse_survey_tap("sv1:newq:-1") == QuestionnaireTap("newq", -1)
    assert parse_survey_tap("sv1:newq:0") == QuestionnaireTap("newq", 0)  # ANNEX-1's old buttons still work
    assert parse_survey_tap("sv1:newq:-2") is None and parse_survey_tap("sv1:newq:--1") is None


def test_workers_sales_and_markets_are_estimated_from_the_ranges():
    members = [
        Member(1, "Ani", "core_firm", _answers("two", "5_19", "15m_50m", ("local", "export"))),
        Member(2, "Bayu", "leading_firm", _answers("3_5", "1_4", "over_200m", ("other_regions",))),
        Member(3, "Citra", "supplier", _answers("one", "none", "under_5m")),
        Member(4, "Dewi", "core_firm", None),  # no profile: counted as a firm, adds no workers
        Member(5, "Bank BRI", "bank", None),
    ]
    f = map_figures_of(members)
    assert (f.members, f.firms, f.profiles) == (5, 4, 3)
    assert (f.family_workers, f.paid_workers, f.workers) == (7, 14, 21)  # 2+4+1 family; 12+2.5+0 paid, rounded
    core = next(t for t in f.by_type if t.stakeholder_type == "core_firm")
    assert (core.members, core.profiles, core.family_workers, core.paid_workers) == (2, 1, 2.0, 12.0)
    assert dict(f.sales) == {"under_5m": 1, "5m_15m": 0, "15m_50m": 1, "50m_200m": 0, "over_200m": 1}
    assert dict(f.markets) == {"local": 2, "other_regions": 1, "export": 1}
    c = f.criteria
    assert c.core_firms == 3 and c.workers == 21
    assert c.monthly_sales == 2.5 + 32.5 + 250  # the ranges' values, juta rupiah a month
    assert c.supporting == 2  # the supplier and the bank
    assert c.selling_outside == pytest.approx(2 / 3) and c.exporting == pytest.approx(1 / 3)


def test_without_profiles_the_shares_are_unknown_not_zero():
    f = map_figures_of([Member(1, "Ani", "core_firm", None)])
    assert f.criteria.selling_outside is None and f.criteria.exporting is None and f.links == 0


def test_map_buttons_parse_and_forged_ones_do_not():
    assert parse_tap(tap_data(Step.TABLE, 2)) == MapTap(Step.TABLE, 2)
    assert parse_tap(tap_data(Step.CHAIN)) == MapTap(Step.CHAIN)
    for forged in ("map1:table", "map1:table:x", "map1:chain:1", "map1:nope", "sv1:list", None):
        assert parse_tap(forged) is None


async def test_each_member_counts_with_their_latest_sent_profile(tmp_path):
    db = await Database.open(tmp_path / "profiles.sqlite3")
    try:
        async with db.transaction() as tx:
            for uid in (1, 2, 3, 4):
                await users.remember_user(tx, uid, f"U{uid}", None, None, "id", NOW)
            cluster = await clusters.create_cluster(
                tx,
                name="Sentra Batik",
                regency="Kota Surakarta",
                province="Jawa Tengah",
                industry="batik",
                timezone="Asia/Jakarta",
                invite_code="PROFIL22",
                created_by=1,
                full_name="Fasil",
                now=NOW,
                source_update_id=1,
            )
            await memberships.join_cluster(
                tx, cluster.id, 2, {"full_name": "Ani", "stakeholder_type": "core_firm"}, NOW
            )
            await memberships.join_cluster(tx, cluster.id, 3, {"full_name": "Bayu", "stakeholder_type": "trader"}, NOW)
            await memberships.join_cluster(
                tx, cluster.id, 4, {"full_name": "Citra", "stakeholder_type": "supplier"}, NOW
            )
            last_year = await open_profile_round(tx, cluster.id, 1, NOW - timedelta(days=365), 10)
            this_year = await open_profile_round(tx, cluster.id, 1, NOW, 11)
            await add_profile(tx, last_year, 2, _answers(paid="none"), NOW - timedelta(days=360))
            await add_profile(tx, this_year, 2, _answers(paid="20_99", sells=("trader",)), NOW)  # the newer one counts
            await add_profile(tx, last_year, 3, _answers(buys=("core",)), NOW - timedelta(days=360))  # only last year's
            await add_profile(tx, this_year, 4, _answers(), NOW, sent=False)  # not sent: not counted
            await memberships.leave_cluster(tx, cluster.id, 4, NOW)  # and left: not a member any more
        async with db.read() as conn:
            profiles = {p.full_name: p for p in await firm_profiles.member_profiles(conn, cluster.id)}
            figures = await map_figures(conn, cluster.id)
            chain = await cluster_chain(conn, cluster.id)
        assert set(profiles) == {"Fasil", "Ani", "Bayu"}
        assert profiles["Ani"].answers is not None and profiles["Ani"].answers["paid_workers"] == "20_99"
        assert profiles["Bayu"].answers is not None and profiles["Fasil"].answers is None
        assert figures.profiles == 2 and figures.paid_workers == 62  # 60 + 2.5, rounded to even
        assert [(link.source, link.target, link.weight) for link in chain.links] == [("core", "trader", 2)]
        assert figures.links == 2 and figures.arrows == 1
    finally:
        await db.close()
