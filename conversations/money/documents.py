"""Downloads: the cash book (buku kas) of a year as Excel, and the cash report of a period as PDF."""

from __future__ import annotations

import io
from datetime import date

import aiosqlite
from telegram import InputFile, Update

from bot import exports
from bot.context import RembugContext
from bot.exports import Cell
from bot.i18n import format_local_date, format_rupiah, translator
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.money import budget_views, rules, views
from conversations.money.books import budget_comparisons, whole_book
from conversations.money.entry import local_today
from conversations.money.report_pdf import ReportSheet, build_report_pdf
from storage import clusters, memberships


def _comparison_rows(
    lang: str, direction: str, rows: list[rules.Comparison], titles: dict[str, str]
) -> list[list[Cell]]:
    _ = translator(lang).gettext
    kind = _("Income") if direction == "income" else _("Spending")
    body: list[list[Cell]] = [
        [views.line_label(lang, direction, r.line, titles), kind, r.planned, r.actual, r.left] for r in rows
    ]
    total = rules.summed(rows)
    body.append([_("Total") + " " + kind.lower(), kind, total.planned, total.actual, total.left])
    return body


async def cash_book_xlsx(conn: aiosqlite.Connection, cluster_id: int, year: int, lang: str) -> bytes:
    """The year's cash book (every entry, its state, the running balance, totals) and budget versus actual."""
    _ = translator(lang).gettext
    book = await whole_book(conn, cluster_id)
    opening = rules.balance(e for e in book if e.occurred_on.year < year)
    entries = [e for e in book if e.occurred_on.year == year]
    income, spending, titles, _lines = await budget_comparisons(conn, cluster_id, year, every_line=False, lang=lang)
    headers: list[Cell] = [
        _("Date"),
        _("No."),
        _("What for"),
        _("Activity"),
        _("Source"),
        _("In"),
        _("Out"),
        _("Balance"),
        _("Status"),
    ]
    rows: list[list[Cell]] = [
        headers,
        [date(year, 1, 1), None, _("Opening balance"), None, None, None, None, opening],
    ]
    for row in rules.book_rows(entries, opening):
        entry = row.entry
        rows.append(
            [
                entry.occurred_on,
                entry.id,
                entry.purpose,
                views.line_label(lang, "spending", entry.activity_key or rules.OTHER, titles),
                views.source_label(lang, entry.source) if entry.direction == "income" else None,
                row.money_in,
                row.money_out,
                row.running,
                _(views.STATUS_LABELS[entry.status]),
            ]
        )
    total = rules.totals(entries)
    rows.append([None, None, _("Total"), None, None, total.income, total.spending, opening + total.net, None])
    comparison: list[list[Cell]] = [[_("Line"), _("Kind"), _("Planned"), _("Actual"), _("Remaining")]]
    comparison += _comparison_rows(lang, "income", income, titles)
    comparison += _comparison_rows(lang, "spending", spending, titles)
    comparison.append([_("Balance"), None, None, opening + total.net, None])
    return exports.build_xlsx_sheets(
        [(_("Cash book {year}").format(year=year), rows), (_("Budget vs actual"), comparison)],
        bold_first_column=False,
    )


def _money_rows(lang: str, direction: str, rows: list[rules.Comparison], titles: dict[str, str]) -> list[list[str]]:
    _ = translator(lang).gettext
    head = [_("Source") if direction == "income" else _("Activity"), _("Budget (year)"), _("Actual"), _("Remaining")]
    body = [
        [
            views.line_label(lang, direction, r.line, titles),
            *(format_rupiah(v, lang) for v in (r.planned, r.actual, r.left)),
        ]
        for r in rows
    ]
    total = rules.summed(rows)
    body.append([_("Total"), *(format_rupiah(v, lang) for v in (total.planned, total.actual, total.left))])
    return [head, *body]


async def report_pdf(
    conn: aiosqlite.Connection, cluster_id: int, first: date, last: date, lang: str, today: date
) -> bytes:
    """The cash report of ``first``..``last``: figures, income and spending against the budget, signatures."""
    _ = translator(lang).gettext
    cluster = await clusters.load_cluster(conn, cluster_id)
    book = await whole_book(conn, cluster_id)
    opening = rules.balance(e for e in book if e.occurred_on < first)
    inside = [e for e in book if first <= e.occurred_on <= last]
    period = rules.totals(inside)
    income, spending, titles, _lines = await budget_comparisons(
        conn, cluster_id, first.year, every_line=False, lang=lang
    )
    if (first, last) != (date(first.year, 1, 1), date(first.year, 12, 31)):  # a shorter period: its own actuals
        planned_in = {r.line: r.planned for r in income}
        planned_out = {r.line: r.planned for r in spending}
        income = rules.budget_versus_actual(planned_in, inside, "income", rules.SOURCES)
        spending = rules.budget_versus_actual(planned_out, inside, "spending", list(titles))
    board = {h.position: h.full_name for h in await memberships.board(conn, cluster_id)}
    waiting = sum(1 for e in inside if e.status == "pending")
    figures = [
        [_("Opening balance"), format_rupiah(opening, lang)],
        [_("Income"), format_rupiah(period.income, lang)],
        [_("Spending"), format_rupiah(period.spending, lang)],
        [_("Closing balance"), format_rupiah(opening + period.net, lang)],
        [_("Waiting for the chair (not counted)"), str(waiting)],
    ]
    sheet = ReportSheet(
        title=_("Cash report · {cluster}").format(cluster=cluster.name),
        subtitle=f"{format_local_date(first, lang)} – {format_local_date(last, lang)}",
        figures=figures,
        income_heading=_("Income by source"),
        income=_money_rows(lang, "income", income, titles),
        spending_heading=_("Spending by activity"),
        spending=_money_rows(lang, "spending", spending, titles),
        place_and_date=_("{place}, {day}").format(place=cluster.regency, day=format_local_date(today, lang)),
        signers=[
            (_("Chair"), board.get("chair", "________________")),
            (_("Treasurer"), board.get("treasurer", "________________")),
        ],
        footer=_("Page {page} of {pages}"),
    )
    return build_report_pdf(sheet)


async def download_xlsx(update: Update, context: RembugContext) -> None:
    """⬇️ This year's cash book as Excel."""
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    await answer_tap(query_of(update))
    year = (await local_today(context)).year
    async with context.db.read() as conn:
        data = await cash_book_xlsx(conn, context.standing.current_cluster_id, year, context.lang)
    name = exports.slug(context.standing.cluster_name or "", "cluster")
    await chat_of(update).send_document(document=InputFile(io.BytesIO(data), filename=f"buku-kas-{name}-{year}.xlsx"))


async def choose_period(update: Update, context: RembugContext) -> None:
    """📄 Which period the PDF report covers."""
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    await answer_tap(query_of(update))
    await answer(update, *budget_views.report_periods(context.lang))


async def download_pdf(update: Update, context: RembugContext) -> None:
    """The PDF report of the tapped period."""
    tap = rules.parse_tap(query_of(update).data)
    if not isinstance(tap, rules.ReportTap):
        await explain_stale(update, context)
        return
    if not await require(update, context, Action.KEEP_BOOKS):
        return
    await answer_tap(query_of(update))
    today = await local_today(context)
    first, last = rules.period_bounds(tap.period, today)
    async with context.db.read() as conn:
        data = await report_pdf(conn, context.standing.current_cluster_id, first, last, context.lang, today)
    name = exports.slug(context.standing.cluster_name or "", "cluster")
    filename = f"laporan-kas-{name}-{first.isoformat()}-{last.isoformat()}.pdf"
    await chat_of(update).send_document(document=InputFile(io.BytesIO(data), filename=filename))
