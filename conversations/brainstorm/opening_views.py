"""What opening a session says: the meeting, the question, the template, who takes part, names, dots, review."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.audience_views import one_of
from bot.buttons import callback_data
from bot.flows import MENU_BUTTON
from bot.i18n import format_when, translator
from bot.menu import N_
from conversations.brainstorm.rules import DEFAULT_DOTS, DOT_CHOICES, PREFIX
from conversations.brainstorm.views import TEMPLATE_LABELS
from storage.meetings import Meeting

STEPS = 6
SUGGESTED_QUESTION = N_("What is holding our cluster back?")


def _head(lang: str, step: int) -> str:
    return translator(lang).gettext("<b>New brainstorming session</b> ({step}/{steps})").format(step=step, steps=STEPS)


def _cancel(lang: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(translator(lang).gettext("Cancel"), callback_data=MENU_BUTTON)]


def ask_meeting(lang: str, meetings: list[Meeting], timezone: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 1: tie the session to a meeting (upcoming or recent), or to none."""
    _ = translator(lang).gettext
    rows = [
        [
            InlineKeyboardButton(
                f"{format_when(m.starts_at, timezone, lang).rsplit(' ', 1)[0]} {m.topic}"[:60],
                callback_data=callback_data(PREFIX, "mt", m.id),
            )
        ]
        for m in meetings
    ]
    rows.append([InlineKeyboardButton(_("No meeting"), callback_data=callback_data(PREFIX, "mt", 0))])
    rows.append(_cancel(lang))
    return _head(lang, 1) + "\n" + _("Is this for a meeting? Choose it, or No meeting."), InlineKeyboardMarkup(rows)


def ask_question(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 2: the question, typed or the suggestion."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_(SUGGESTED_QUESTION), callback_data=callback_data(PREFIX, "q"))], _cancel(lang)]
    )
    return _head(lang, 2) + "\n" + _(
        "What question should people answer with their cards? Type it, or tap the suggestion."
    ), keyboard


def ask_template(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 3: one free question or SWOT."""
    _ = translator(lang).gettext
    rows = [
        [InlineKeyboardButton(_(label), callback_data=callback_data(PREFIX, "tp", key))]
        for key, label in TEMPLATE_LABELS.items()
    ]
    return _head(lang, 3) + "\n" + _("How are the cards sorted?"), InlineKeyboardMarkup([*rows, _cancel(lang)])


def ask_audience(
    lang: str, meeting: Meeting | None, groups: list[tuple[int, str]], may_ask_all: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """Step 4: who takes part (the audience engine's picker, one choice)."""
    _ = translator(lang).gettext
    rows = one_of(lang, PREFIX, groups, may_ask_all, meeting.id if meeting is not None else None)
    return _head(lang, 4) + "\n" + _("Who takes part?"), InlineKeyboardMarkup([*rows, _cancel(lang)])


def ask_anonymous(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 5: anonymous (default) or named cards."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_("🙈 Anonymous (recommended)"), callback_data=callback_data(PREFIX, "an", 1))],
            [InlineKeyboardButton(_("👤 With names"), callback_data=callback_data(PREFIX, "an", 0))],
            _cancel(lang),
        ]
    )
    return _head(lang, 5) + "\n" + _("Are the cards anonymous? Without names, people write more freely."), keyboard


def ask_dots(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Step 6: dots per person."""
    _ = translator(lang).gettext
    buttons = [
        InlineKeyboardButton(f"{n} ✓" if n == DEFAULT_DOTS else str(n), callback_data=callback_data(PREFIX, "d", n))
        for n in DOT_CHOICES
    ]
    return _head(lang, 6) + "\n" + _(
        "How many dots does each person get for voting? (usually 3)"
    ), InlineKeyboardMarkup([buttons, _cancel(lang)])


def review(
    lang: str, draft: dict, meeting: Meeting | None, timezone: str, audience: str, people: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The review before the session opens."""
    _ = translator(lang).gettext
    template = TEMPLATE_LABELS[draft.get("template", "free")]
    lines = [_("<b>Check the session</b>")]
    if meeting is not None:
        lines.append(
            _("Meeting: {topic}, {when}").format(
                topic=escape(meeting.topic), when=format_when(meeting.starts_at, timezone, lang)
            )
        )
    lines += [
        _("Question: {value}").format(value=escape(draft["question"])),
        _("Template: {value}").format(value=_(template)),
        _("Taking part: {audience} ({count} people)").format(audience=escape(audience), count=people),
        _("Cards: {value}").format(value=_("anonymous") if draft["anonymous"] else _("with names")),
        _("Dots per person: {count}").format(count=draft["dots"]),
        "",
        _("Open the session and send everyone the rules?"),
    ]
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("✅ Open the session"), callback_data=callback_data(PREFIX, "go"))], _cancel(lang)]
    )
    return "\n".join(lines), keyboard


def nobody(lang: str) -> str:
    """The chosen audience has nobody in it."""
    return translator(lang).gettext("Nobody is in that group yet. Choose another.")


def opened_intro(lang: str, count: int) -> str:
    """First line after opening."""
    return translator(lang).gettext("✅ Session opened. The rules are going out to {count} people.").format(count=count)
