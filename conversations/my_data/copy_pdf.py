"""The complete copy of a person's data as a readable A4 PDF, in their language (bot/pdf.py)."""

from __future__ import annotations

import io
from datetime import datetime
from html import escape
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from bot.i18n import format_when, translator
from bot.menu import N_
from bot.pdf import BOLD, FONT, fitted_table, register_fonts

MARGIN = 2 * cm

# Each section: the copy's key, its heading, and its columns (record key, column heading).
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "memberships",
        N_("Profile in each cluster"),
        (
            ("cluster", N_("Cluster")),
            ("full_name", N_("Name")),
            ("phone", N_("Phone number")),
            ("home_area", N_("Home area")),
            ("core_business", N_("Core business")),
            ("stakeholder_type", N_("Stakeholder type")),
            ("small_group", N_("Small group")),
            ("joined_at", N_("Joined")),
            ("left_at", N_("Left")),
        ),
    ),
    (
        "small_groups",
        N_("Small groups"),
        (("cluster", N_("Cluster")), ("small_group", N_("Small group")), ("leader", N_("Group leader"))),
    ),
    (
        "committees",
        N_("Committees"),
        (
            ("committee", N_("Committee")),
            ("full_name", N_("Name")),
            ("role", N_("Role")),
            ("joined_at", N_("Joined")),
            ("left_at", N_("Left")),
        ),
    ),
    (
        "meetings",
        N_("Meetings and attendance"),
        (
            ("cluster", N_("Cluster")),
            ("topic", N_("Topic")),
            ("starts_at", N_("When")),
            ("rsvp", N_("RSVP")),
            ("checked_in_at", N_("Checked in")),
        ),
    ),
    (
        "survey_answers",
        N_("Survey answers"),
        (
            ("round", N_("Survey round")),
            ("question_label", N_("Question")),
            ("answer", N_("Answer")),
            ("answered_at", N_("Answered")),
        ),
    ),
    (
        "cards",
        N_("Brainstorming cards"),
        (
            ("session", N_("Question")),
            ("anonymous", N_("Anonymous")),
            ("kind", N_("Kind")),
            ("text", N_("Text")),
            ("created_at", N_("Sent")),
        ),
    ),
    (
        "comments",
        N_("Answers to drafts: the vision and mission, the annual plan"),
        (
            ("cluster", N_("Cluster")),
            ("draft", N_("Draft")),
            ("answer", N_("Answer")),
            ("comment", N_("Comment")),
            ("answered_at", N_("Answered")),
        ),
    ),
    (
        "plan_activities",
        N_("Activities you are the owner of"),
        (("plan", N_("Action plan")), ("activity", N_("Activity")), ("starts_on", N_("Start")), ("ends_on", N_("End"))),
    ),
    (
        "plan_checkins",
        N_("Progress reports"),
        (
            ("activity", N_("Activity")),
            ("period_start", N_("Period")),
            ("status", N_("Status")),
            ("note", N_("Note")),
            ("created_at", N_("Sent")),
        ),
    ),
    (
        "tasks",
        N_("Tasks from meetings"),
        (
            ("meeting", N_("Meeting")),
            ("what", N_("Task")),
            ("due_on", N_("By")),
            ("status", N_("Status")),
            ("help_note", N_("Note")),
        ),
    ),
    (
        "dues",
        N_("Dues paid"),
        (
            ("cluster", N_("Cluster")),
            ("period", N_("Period")),
            ("amount", N_("Amount")),
            ("recorded_at", N_("Recorded")),
        ),
    ),
    (
        "letters",
        N_("Letters to the facilitators"),
        (("cluster", N_("Cluster")), ("body", N_("Text")), ("status", N_("Status")), ("created_at", N_("Written"))),
    ),
    (
        "broadcasts",
        N_("Broadcasts sent"),
        (("cluster", N_("Cluster")), ("text", N_("Text")), ("status", N_("Status")), ("send_at", N_("When"))),
    ),
    (
        "organisation",
        N_("Organisation: positions, candidacies, rules read, votes cast"),
        (("cluster", N_("Cluster")), ("what", N_("What")), ("detail", N_("Detail")), ("at", N_("When"))),
    ),
    (
        "consents",
        N_("Consents"),
        (
            ("what", N_("What")),
            ("cluster", N_("Cluster")),
            ("given_at", N_("Given")),
            ("withdrawn_at", N_("Withdrawn")),
        ),
    ),
)
TIME_KEYS = {
    "joined_at",
    "left_at",
    "starts_at",
    "checked_in_at",
    "answered_at",
    "created_at",
    "send_at",
    "at",
    "given_at",
    "withdrawn_at",
    "first_seen",
    "last_seen",
}


def _cell(lang: str, key: str, value: Any, timezone: str) -> str:
    """One value as the page shows it: times in the cluster's zone (Babel), yes/no, "-" for nothing."""
    _ = translator(lang).gettext
    if value is None or value == "":
        return "-"
    if key in TIME_KEYS and isinstance(value, str):
        try:
            return format_when(datetime.fromisoformat(value), timezone, lang)
        except ValueError:
            return value
    if key == "what" and value == "phone":
        return _("Phone number")
    if key in {"anonymous", "leader"}:
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return str(value.get("text") or value.get("caption") or "")
    return str(value)


def _records(copy: dict[str, Any], key: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = copy.get(key) or []
    if key == "broadcasts":
        return [{**r, "text": r.get("content")} for r in records]
    return records


def copy_pdf(lang: str, copy: dict[str, Any], now: datetime, timezone: str) -> bytes:
    """The copy (``rules.copy_of``) as A4 pages: the account, then one heading and table per kind."""
    _ = translator(lang).gettext
    register_fonts()
    title_style = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = [
        Paragraph(escape(_("My data in Rembug")), title_style),
        Paragraph(escape(_("Your data in Rembug, as of {when}.").format(when=format_when(now, timezone, lang))), body),
    ]
    account = copy.get("account") or {}
    rows = [
        [_("Name on Telegram"), " ".join(v for v in (account.get("first_name"), account.get("last_name")) if v) or "-"],
        [_("Username"), account.get("username") or "-"],
        [_("Language"), account.get("language") or account.get("telegram_language") or "-"],
        [_("First seen"), _cell(lang, "first_seen", account.get("first_seen"), timezone)],
    ]
    story += [Paragraph(escape(_("Account")), heading), *_table(rows, width, header=False)]
    for key, section, columns in SECTIONS:
        records = _records(copy, key)
        story.append(Paragraph(escape(_(section)), heading))
        if not records:
            story.append(Paragraph(escape(_("Nothing stored.")), body))
            continue
        table = [[_(label) for _key, label in columns]]
        table += [[_cell(lang, k, record.get(k), timezone) for k, _label in columns] for record in records]
        story += _table(table, width, header=True)
    story.append(Spacer(1, 6))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("My data in Rembug"),
    ).build(story)
    return buffer.getvalue()


def _table(rows: list[list[str]], width: float, *, header: bool) -> list[Flowable]:
    """A fitted table; one too wide for the page shows each record as "label: value" lines instead."""
    fitted = fitted_table(rows, width, header=header)
    if fitted is not None:
        return [fitted]
    register_fonts()
    line = ParagraphStyle("line", fontName=FONT, fontSize=8.5, leading=11)
    labels, *records = rows if header else [["", ""], *rows]
    blocks: list[Flowable] = []
    for record in records:
        pairs = zip(labels, record, strict=True) if header else [(record[0], record[1])]
        blocks += [
            Paragraph(f'<font name="{BOLD}">{escape(label)}</font>: {escape(value)}', line) for label, value in pairs
        ]
        blocks.append(Spacer(1, 4))
    return blocks
