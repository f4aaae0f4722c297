"""The printed reports read well: built by the flows' own builders from data seeded on a real SQLite file,
read back with pypdf. Every table header and cluster name stands whole (no word broken in a cell), a chart
without data is a sentence instead, and every survey score says how many of the members answered it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from reportlab.lib.pagesizes import A4, landscape

from bot.forms import load_forms, tallied_questions
from bot.i18n import translator
from bot.pdf import column_widths
from conversations.committee import reports
from conversations.newsletter import edition_views
from conversations.newsletter.edition_pdf import NewsletterSheet, build_newsletter_pdf
from conversations.newsletter.rules import Progress
from conversations.plans.documents import pdm_matrix, plan_pdf
from conversations.survey.results import bases_of
from storage import action_plans, committees, forms, surveys
from storage.database import Database
from tests.e2e.seed import seed_cluster
from tests.e2e.seed_large import seed_committee
from tests.pdf_checks import broken, images, page_one_png, page_texts, row_whole

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 23 Nov 2026, 10.00 WIB: the fourth quarter
SECRETARY, FACILITATOR = (801, "Sari Sekretaris"), (802, "Bu Fasilitator")
LONG = "Sentra Batik Tulis dan Cap Kampung Wisata Kabupaten Nomor {n:03d} Jawa Tengah"
MEMBERS = [(810 + n, f"Anggota Pembatik Laweyan {n:02d}") for n in range(15)]  # with the facilitator: 16
DEFINITIONS = load_forms("conversations/survey/forms")


SUMMARY = ["Cluster", "Members", "New", "Meetings", "Attendance %", "Survey", "Change", "On track", "Overdue"]


def _headers(lang: str) -> list[str]:
    _ = translator(lang).gettext
    summary = SUMMARY
    facts = ["Members", "New members in the period", "Meetings held", "Survey score (latest, change)"]
    facts += ["Survey scores, round by round", "Plan activities", "Progress reports overdue"]
    return [_(h) for h in summary + facts + ["Not answered the open survey", "Program", "Status", "Budget (IDR)"]]


async def _committee(tmp_path, *, answered: bool):
    """Two long-named clusters with no members, and a third of 16 members of whom one answered the survey."""
    db = await Database.open(tmp_path / "reports.sqlite3")
    committee_id = await seed_committee(
        db, NOW - timedelta(days=40), secretary=SECRETARY, facilitator=FACILITATOR, count=2
    )
    seeded = await seed_cluster(
        db,
        NOW - timedelta(days=30),
        facilitator=(803, "Pak Fasilitator"),
        groups={"A": MEMBERS},
        name=LONG.format(n=3),
        code="LONG0003",
    )
    form = DEFINITIONS[("annex1", 1)]
    async with db.transaction() as tx:
        await committees.toggle_cluster(tx, committee_id, seeded.cluster_id)
        await forms.track_choices(tx, tallied_questions(DEFINITIONS.values()))  # as the bot does at start-up
        if answered:
            survey_round, _new = await surveys.open_round(
                tx,
                cluster_id=seeded.cluster_id,
                form_id=form.id,
                form_version=form.version,
                title="Survei",
                closes_at=None,
                opened_by=803,
                now=NOW - timedelta(days=5),
                source_update_id=-9101,
            )
            response = await forms.start_response(
                tx,
                form_id=form.id,
                form_version=form.version,
                subject=survey_round.subject,
                respondent_id=810,
                respondent_name=None,
                entered_by=810,
                now=NOW - timedelta(days=5),
            )
            for question in bases_of(form):
                await forms.save_answer(tx, response.id, question.name, question.choices[2].name, None, NOW)
            await forms.submit(tx, response.id, NOW - timedelta(days=5))
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam bersama", None, 803, NOW)
        await action_plans.apply_answers(
            tx, plan.id, {"title": "Pewarna alam bersama", "budget": 15_000_000, "executing_level": "province"}
        )
        committee = await committees.get_committee(tx, committee_id)
    return db, committee


async def _report(db, committee, lang: str, quarter: int | None) -> bytes:
    async with db.read() as conn:
        return await reports.build_report(conn, DEFINITIONS, committee, 2026, quarter, lang, NOW)


async def test_the_quarterly_report_prints_headers_and_names_whole_and_says_who_answered(tmp_path):
    db, committee = await _committee(tmp_path, answered=True)
    pdf = await _report(db, committee, "id", 4)
    names = [LONG.format(n=n) for n in (1, 2, 3)]
    assert broken(pdf, _headers("id") + names + ["Pewarna alam bersama", committee.name]) == []
    assert row_whole(pdf, [translator("id").gettext(h) for h in SUMMARY])  # "Anggota", not "Anggot a"
    text = " ".join(page_texts(pdf))
    assert "Belum ada pertemuan triwulan ini." in text  # no meetings: a sentence, not empty axes
    assert "(1 dari 16 anggota)" in text  # the score says it is one answer of sixteen members
    assert images(pdf) == 2  # clusters side by side and the survey trend; no attendance chart
    await db.close()


async def test_the_year_report_in_english_says_there_is_nothing_yet_instead_of_empty_charts(tmp_path):
    db, committee = await _committee(tmp_path, answered=False)
    pdf = await _report(db, committee, "en", None)
    assert broken(pdf, _headers("en") + [LONG.format(n=n) for n in (1, 2, 3)]) == []
    assert row_whole(pdf, [translator("en").gettext(h) for h in SUMMARY])
    text = " ".join(page_texts(pdf))
    assert "No meetings this year yet." in text and "No survey answers in this period yet." in text
    assert images(pdf) == 1  # only the clusters side by side
    await db.close()


async def test_a_score_in_the_english_report_says_how_many_answered(tmp_path):
    db, committee = await _committee(tmp_path, answered=True)
    text = " ".join(page_texts(await _report(db, committee, "en", 4)))
    assert "(1 of 16 members)" in text and "No meetings this quarter yet." in text
    await db.close()


async def _plan(tmp_path):
    db = await Database.open(tmp_path / "plan.sqlite3")
    seeded = await seed_cluster(
        db, NOW, facilitator=(803, "Pak Fasilitator"), groups={"A": MEMBERS[:2]}, name=LONG.format(n=7)
    )
    async with db.transaction() as tx:
        plan = await action_plans.create_plan(tx, seeded.cluster_id, "Pewarna alam bersama", None, 803, NOW)
        await action_plans.apply_answers(
            tx,
            plan.id,
            {
                "title": "Pelatihan pewarnaan alam untuk pembatik tulis dan cap Kampung Wisata",
                "why": "Pewarna sintetis mencemari sungai; pembeli mancanegara meminta pewarna alam bersertifikat.",
                "budget": 15_000_000,
                "supporter": "Dinas Perindustrian dan Perdagangan Provinsi Jawa Tengah",
                "executing_level": "province",
                "starts_on": "2026-12-01",
                "ends_on": "2027-05-31",
            },
        )
        output = await action_plans.add_output(tx, plan.id, "Dua puluh pembatik menguasai pewarnaan indigo")
        await action_plans.add_indicator(tx, plan.id, output.id, "Pembatik bersertifikat", "orang", 0, 20)
        await action_plans.add_activity(
            tx, plan.id, "Pelatihan pewarnaan indigo di Kampung Wisata", "2026-12-01", "2027-01-31"
        )
    async with db.read() as conn:
        plan = await action_plans.load_plan(conn, plan.id)
        parts = (
            await action_plans.outputs_of(conn, plan.id),
            await action_plans.indicators_of(conn, plan.id),
            await action_plans.activities_of(conn, plan.id),
        )
    await db.close()
    return plan, parts


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_the_plan_pdf_prints_every_pdm_header_and_label_whole(tmp_path, lang):
    plan, (outputs, indicators, activities) = await _plan(tmp_path)
    matrix = pdm_matrix(lang, plan, outputs, indicators, activities)
    pdf = plan_pdf(lang, plan, matrix)
    _ = translator(lang).gettext
    labels = [_("Why"), _("Expected output"), _("Local government's role"), _("Budget (IDR)"), _("Monitoring")]
    assert row_whole(pdf, [str(h) for h in matrix[0]])
    assert broken(pdf, [*labels, plan.title, "Dinas Perindustrian dan Perdagangan"]) == []
    assert len(page_texts(pdf)) == 1


def _newsletter(lang: str) -> bytes:
    figures = Progress(16, 3, 40, 12, 2, 25, ("Pewarna alam bersama", "Pameran batik tulis"))
    return build_newsletter_pdf(
        NewsletterSheet(
            "Kabar Klaster November",
            LONG.format(n=9),
            "23 Nov 2026",
            "Pelatihan pewarnaan alam berjalan lancar.\nPameran berikutnya di Balai Kota.",
            edition_views.figures_heading(lang),
            edition_views.figure_lines(lang, figures),
            edition_views.join_line(lang, "Bu Fasilitator"),
        )
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_newsletter_pdf_prints_the_cluster_and_its_figures_whole(lang):
    pdf = _newsletter(lang)
    assert broken(pdf, [LONG.format(n=9), edition_views.figures_heading(lang), "Pewarna alam bersama"]) == []
    assert len(page_texts(pdf)) == 1


def test_a_column_is_never_narrower_than_its_longest_word():
    rows = [["Klaster", "Kehadiran %"], ["Sentra Batik Tulis dan Cap Kampung Wisata", "50"]]
    widths = column_widths(rows, 8.5, 300)
    assert widths is not None and sum(widths) == pytest.approx(300)
    assert column_widths(rows, 8.5, 60) is None  # "Kehadiran" and "Klaster" alone need more


def test_a_summary_too_wide_for_an_upright_page_goes_on_its_side_then_turns_round():
    from conversations.committee.report_pdf import _page_and_summary

    wide = [[f"Kolom{n:02d}Panjang" for n in range(9)], ["1"] * 9]
    assert _page_and_summary(wide)[0] == landscape(A4)
    wider = [[f"Kolom{n:02d}Panjang" for n in range(16)], ["1"] * 16]
    page, table = _page_and_summary(wider)
    assert page == A4 and len(table._cellvalues) == 16  # turned round: a row per column


async def test_page_one_of_every_pdf_as_png_for_the_closing_note(tmp_path):
    db, committee = await _committee(tmp_path, answered=True)
    documents = {
        "report-quarter-id": await _report(db, committee, "id", 4),
        "report-year-en": await _report(db, committee, "en", None),
        "newsletter-id": _newsletter("id"),
    }
    await db.close()
    plan, (outputs, indicators, activities) = await _plan(tmp_path)
    documents["plan-id"] = plan_pdf("id", plan, pdm_matrix("id", plan, outputs, indicators, activities))
    for name, pdf in documents.items():
        png = page_one_png(pdf, name)
        assert png is not None and png.stat().st_size > 10_000
