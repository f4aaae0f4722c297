"""Any questionnaire on paper: an A4 PDF of a form-engine definition, in one language.

Built from the definition alone (``bot/forms.py``), so a new YAML file prints with no new code: the
form's title and the caller's lines (a cluster, a round) on top, a QR code of a link for those with a
phone, a box for the respondent's name and the date, then every question numbered (unless its labels
carry their own numbers, as the action plan's nine questions do), with its hint, when it applies (``relevant``), a tick box per option (the short label, and the
guideline's full wording in smaller type under it), or ruled space to write a text, a number or a
date. Every page says "Page n of m" (``bot.pdf.pages``). Like the rest of the form engine this
imports no flow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from bot.form_answers import number_limits
from bot.forms import NUMBER_TYPES, Condition, Form, Question
from bot.i18n import translator
from bot.pdf import BOLD, FONT, pages, qr_code, register_fonts

WIDTH = A4[0] - 4 * cm  # the text width between bot.pdf's 2 cm margins
BOX = "□"
_OWN_NUMBER = re.compile(r"^\d+[.)]\s")
RUNNING_HEAD = 110  # characters of the running head that fit one line
WRITING_LINES = {
    "text": (2, 6),
    "integer": (1, 1),
    "decimal": (1, 1),
    "date": (1, 1),
}  # (fewest, most) ruled lines a type gets


class RuledLines(Flowable):
    """``count`` ruled lines to write on, ``gap`` points apart."""

    def __init__(self, count: int, width: float = WIDTH, gap: float = 0.85 * cm) -> None:
        super().__init__()
        self.count, self.width, self.gap = count, width, gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = min(self.width, available_width)
        return self.width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.grey)
        self.canv.setLineWidth(0.5)
        for line in range(self.count):
            self.canv.line(0, line * self.gap, self.width, line * self.gap)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4),
        "head": ParagraphStyle("head", parent=base, fontSize=11, leading=14),
        "question": ParagraphStyle("question", parent=base, fontName=BOLD, fontSize=10.5, leading=14),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444")),
        "option": base,
        "full": ParagraphStyle("full", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555")),
        "box": ParagraphStyle("box", parent=base, fontSize=13, leading=14),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
    }


def condition_text(form: Form, condition: Condition, lang: str) -> str:
    """A ``relevant`` condition in words: "Answer only if “Outside support” is “Yes”." (questions and
    options by their short labels)."""
    _ = translator(lang).gettext

    def clause(op: str, name: str, value: str) -> str:
        question = form.question(name)
        choice = question.choice(value)
        said = {
            "=": _("“{question}” is “{answer}”"),
            "!=": _("“{question}” is not “{answer}”"),
            "selected": _("“{answer}” is ticked in “{question}”"),
            "not_selected": _("“{answer}” is not ticked in “{question}”"),
            "<": _("“{question}” is less than {answer}"),
            "<=": _("“{question}” is at most {answer}"),
            ">": _("“{question}” is more than {answer}"),
            ">=": _("“{question}” is at least {answer}"),
        }[op]
        if value == "" and op in ("=", "!="):
            said = _("“{question}” is not answered") if op == "=" else _("“{question}” is answered")
        return said.format(question=question.short(lang), answer=choice.short(lang) if choice else value)

    either = _(" or ").join(
        _(" and ").join(clause(op, name, value) for op, name, value in both) for both in condition.clauses
    )
    return _("Answer only if {condition}.").format(condition=either)


def numbered_by_hand(form: Form, lang: str) -> bool:
    """Whether the labels carry their own numbers (the action plan's "1. Why..."): then no more are added."""
    return any(_OWN_NUMBER.match(q.label(lang)) for q in form.questions)


def _how_to_answer(question: Question, lang: str) -> str:
    _ = translator(lang).gettext
    if question.type == "select_one":
        return _("Tick one box.")
    if question.type == "select_multiple":
        return _("Tick every box that fits.")
    if question.type in NUMBER_TYPES:
        limits = number_limits(question, lang)
        return _("Write a number.") + (f" ({', '.join(limits)})" if limits else "")
    if question.type == "date":
        return _("Write the date as day-month-year, for example 23-11-2026.")
    return _("Write your answer.")


def _options(question: Question, lang: str, styles: dict[str, ParagraphStyle]) -> Table:
    rows = []
    for number, choice in enumerate(question.choices, start=1):
        text: list[Flowable] = [Paragraph(f"{number}. {escape(choice.short(lang))}", styles["option"])]
        if choice.short(lang) != choice.label(lang):
            text.append(Paragraph(escape(choice.label(lang)), styles["full"]))
        rows.append([Paragraph(BOX, styles["box"]), text])
    table = Table(rows, colWidths=[0.8 * cm, WIDTH - 1.4 * cm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _writing_space(question: Question) -> Flowable:
    fewest, most = WRITING_LINES[question.type]
    count = max(fewest, min(most, question.max_length // 100)) if question.type == "text" else fewest
    return RuledLines(count, WIDTH - 0.6 * cm)


def _question(
    form: Form, number: int | None, question: Question, lang: str, styles: dict[str, ParagraphStyle]
) -> Flowable:
    mark = " *" if question.required else ""
    prefix = f"{number}. " if number is not None else ""
    parts: list[Flowable] = [Paragraph(f"{prefix}{escape(question.label(lang))}{mark}", styles["question"])]
    hint = question.hint(lang)
    if hint:
        parts.append(Paragraph(f"<i>{escape(hint)}</i>", styles["note"]))
    for condition in question.conditions:
        parts.append(Paragraph(f"→ {escape(condition_text(form, condition, lang))}", styles["note"]))
    parts.append(Paragraph(escape(_how_to_answer(question, lang)), styles["note"]))
    parts.append(Spacer(1, 3))
    if question.choices:
        parts.append(_options(question, lang, styles))
    else:
        parts.append(Spacer(1, 0.5 * cm))
        parts.append(_writing_space(question))
    parts.append(Spacer(1, 0.45 * cm))
    return KeepTogether(parts)


def _top(form: Form, lang: str, heading: Sequence[str], link: str | None, styles: dict[str, ParagraphStyle]) -> Table:
    """The title and the caller's lines, beside the QR code and what it is for."""
    _ = translator(lang).gettext
    left: list[Flowable] = [Paragraph(escape(form.title(lang)), styles["title"])]
    left += [Paragraph(escape(line), styles["head"]) for line in heading if line]
    if link is None:
        return Table([[left]], colWidths=[WIDTH], style=[("LEFTPADDING", (0, 0), (-1, -1), 0)])
    right = [
        qr_code(link),
        Paragraph(escape(_("Have a phone? Scan this code to answer on Telegram.")), styles["small"]),
    ]
    table = Table([[left, right]], colWidths=[WIDTH - 4.2 * cm, 4.2 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return table


def _respondent(lang: str, styles: dict[str, ParagraphStyle]) -> Table:
    """The box for who answers and when."""
    _ = translator(lang).gettext
    rows = [
        [Paragraph(escape(_("Respondent's name")), styles["option"]), ""],
        [Paragraph(escape(_("Date")), styles["option"]), ""],
    ]
    table = Table(rows, colWidths=[4.5 * cm, WIDTH - 4.5 * cm], rowHeights=[0.95 * cm, 0.95 * cm])
    table.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey)])
    )
    return table


def form_pdf(form: Form, lang: str, *, heading: Sequence[str] = (), link: str | None = None) -> bytes:
    """``form`` as a paper questionnaire in ``lang``: A4, as many pages as it takes, "Page n of m" on each;
    ``heading`` lines under the title (the cluster, the round); a QR code of ``link`` when given."""
    register_fonts()
    _ = translator(lang).gettext
    styles = _styles()
    story: list[Flowable] = [
        _top(form, lang, heading, link, styles),
        Spacer(1, 0.3 * cm),
        _respondent(lang, styles),
        Spacer(1, 0.25 * cm),
        Paragraph(escape(_("* must be answered")), styles["note"]),
        Spacer(1, 0.35 * cm),
    ]
    by_hand = numbered_by_hand(form, lang)
    headings: tuple[str, ...] = ()
    for number, question in enumerate(form.questions, start=1):
        shown = tuple(group.name for group in question.groups)
        if shown != headings and question.heading(lang):
            story.append(Paragraph(escape(question.heading(lang) or ""), styles["head"]))
            story.append(Spacer(1, 0.15 * cm))
        headings = shown
        for note in question.notes:
            story.append(Paragraph(escape(note.label(lang)), styles["option"]))
            story.append(Spacer(1, 0.15 * cm))
        story.append(_question(form, None if by_hand else number, question, lang, styles))
    running = " · ".join([form.title(lang), *(line for line in heading if line)])
    running = running if len(running) <= RUNNING_HEAD else running[: RUNNING_HEAD - 1] + "…"

    def footer(page: int, total: int) -> str:
        return _("Page {page} of {pages}").format(page=page, pages=total)

    return pages(story, form.title(lang), footer, running_head=running)
