"""What the start flow says, in the sender's language."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.fitting import visible_length
from bot.flows import MENU_BUTTON
from bot.i18n import translator
from bot.menu import MenuButton
from bot.page_buttons import page_line, page_rows
from conversations.start.rules import HELP_PAGE, ChooseLanguage, HelpPage, pack_pages, start_button_data


def greeting(lang: str, first_name: str, in_a_cluster: bool) -> str:
    """The welcome shown by /start."""
    _ = translator(lang).gettext
    text = _("Hello, {name}! I am Rembug, the assistant of your cluster (sentra).").format(name=escape(first_name))
    if not in_a_cluster:
        text += "\n\n" + _(
            "You are not in a cluster yet. Ask your facilitator for the invitation link, "
            "or type /join followed by the invitation code."
        )
    return text + "\n\n" + _("Choose from the menu below.")


def help_sections(lang: str, buttons: list[MenuButton]) -> list[str]:
    """/help in sections: what Rembug is, each group of the menu with what its buttons do, the commands."""
    _ = translator(lang).gettext
    sections = [_("Rembug helps the members and facilitators of a cluster (sentra) work together from their phones.")]
    for button in buttons:
        if button.group is None:
            entry = button.entries[0]
            sections.append(f"• <b>{escape(_(button.label))}</b>: {_(entry.help)}")
            continue
        lines = ["", f"<b>{escape(_(button.label))}</b>"]
        lines += [f"• <b>{escape(_(entry.label))}</b>: {_(entry.help)}" for entry in button.entries]
        sections.append("\n".join(lines))
    commands = [
        "",
        _("<b>Commands</b>"),
        _("/menu shows the main menu at any time."),
        _("/cancel leaves what you are doing; nothing half-done is saved."),
        _("/language changes the language (Bahasa Indonesia or English)."),
        _("/privacy says what Rembug keeps about you, who sees it, and how to see, download or erase it."),
    ]
    return [*sections, "\n".join(commands)]


def help_page(lang: str, buttons: list[MenuButton], page: int) -> tuple[str, InlineKeyboardMarkup]:
    """/help: what each button does, in plain words, whole groups of the menu on a page of one phone screen."""
    _ = translator(lang).gettext
    sections = help_sections(lang, buttons)
    head = visible_length(_("<b>Help</b>") + " · " + page_line(lang, 9, 10)) + 1
    pages = pack_pages([visible_length(section) + 1 for section in sections], HELP_PAGE, head)
    page = min(max(page, 0), len(pages) - 1)
    title = _("<b>Help</b>") + (" · " + page_line(lang, page, len(pages)) if len(pages) > 1 else "")
    text = "\n".join([title, *(sections[index] for index in pages[page])])
    rows = page_rows(lang, page, len(pages), lambda number: start_button_data(HelpPage(number)))
    rows += [list(row) for row in back_to_menu_keyboard(lang).inline_keyboard]
    return text, InlineKeyboardMarkup(rows)


def language_picker(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The /language question and its two buttons."""
    _ = translator(lang).gettext
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Bahasa Indonesia"), callback_data=start_button_data(ChooseLanguage("id"))),
                InlineKeyboardButton(_("English"), callback_data=start_button_data(ChooseLanguage("en"))),
            ],
            [InlineKeyboardButton(_("« Main menu"), callback_data=MENU_BUTTON)],
        ]
    )
    return _("Choose your language:"), keyboard


def language_saved(lang: str) -> str:
    """Confirmation, in the newly chosen language."""
    return translator(lang).gettext("Language set to English.")


def back_to_menu_keyboard(lang: str) -> InlineKeyboardMarkup:
    """A single button that opens the main menu."""
    _ = translator(lang).gettext
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("Open the menu"), callback_data=MENU_BUTTON)]])


def unknown_command(lang: str, command: str) -> str:
    """Answer to a command the bot does not know."""
    _ = translator(lang).gettext
    return _("I do not know the command /{command}. Type /help to see what I can do.").format(command=escape(command))


def text_outside_flow(lang: str) -> str:
    """Answer to text typed when no question is open."""
    _ = translator(lang).gettext
    return _("I did not ask anything just now, so I cannot use that text. Please use the menu buttons.")


def unsupported_message(lang: str) -> str:
    """Answer to a sticker, photo, voice note... sent when nothing asked for one: where they are welcome."""
    _ = translator(lang).gettext
    return (
        _("I cannot use this here.")
        + " "
        + _(
            "Voice notes and photos are welcome as a brainstorming card while cards are collected "
            "(✍️ Send a card), and as evidence in a progress report of an action plan."
        )
        + "\n\n"
        + _("Please use the menu buttons.")
    )


def nothing_to_cancel(lang: str) -> str:
    """Answer to /cancel outside any flow."""
    _ = translator(lang).gettext
    return _("There is nothing to cancel.")
