"""Telegram handlers of the start flow: read the update, call the rules, reply."""

from __future__ import annotations

from telegram import BotCommandScopeChat, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import commands_for
from bot.context import RembugContext
from bot.flows import MENU_BUTTON, read_button, show_menu
from bot.menu import MENU_PREFIX, N_, MenuEntry, parse_group_button
from bot.replies import answer, answer_tap
from bot.services import RembugApplication
from bot.stale import explain_stale
from bot.update_parts import chat_of, message_of, query_of
from conversations.messages import writing
from conversations.start import rules, views
from conversations.start.stale import register as register_stale_buttons
from storage import users


async def start(update: Update, context: RembugContext) -> None:
    """Greet in the sender's language and show the menu their roles allow."""
    intro = views.greeting(context.lang, context.user.first_name, context.standing.cluster_id is not None)
    if context.args:
        # A deep link no flow claimed: an old or mistyped invitation.
        _ = context.gettext
        intro = _("This link is not valid (any more). Ask whoever sent it for a new one.") + "\n\n" + intro
    await show_menu(update, context, intro)


async def menu(update: Update, context: RembugContext) -> None:
    """Show the main menu (/menu, or the menu button)."""
    if update.callback_query:
        await answer_tap(update.callback_query)
    await show_menu(update, context)


async def help_command(update: Update, context: RembugContext) -> None:
    """Explain each button the sender can see (/help, ``st1:help``, and its pages ``st1:help:<page>``)."""
    page = 0
    if update.callback_query:
        tap = await read_button(update, context, rules.parse_start_button, rules.HelpPage)
        if tap is None:
            return
        page = tap.page
        await answer_tap(update.callback_query)
    menu = context.services.menu
    async with context.db.read() as conn:
        facts = await menu.facts(conn, context.standing)
    await answer(update, *views.help_page(context.lang, menu.layout(context.standing, facts), page))


async def open_group(update: Update, context: RembugContext) -> None:
    """A group of the main menu, one level down, with a way back."""
    group = parse_group_button(query_of(update).data)
    if group is None:
        await explain_stale(update, context)
        return
    await answer_tap(update.callback_query)
    await show_menu(update, context, group=group)


async def cancel_outside_flow(update: Update, context: RembugContext) -> None:
    """/cancel when no flow is open: say so and show the menu."""
    await show_menu(update, context, views.nothing_to_cancel(context.lang))


async def ask_language(update: Update, context: RembugContext) -> None:
    """Offer Bahasa Indonesia or English."""
    if update.callback_query:
        await answer_tap(update.callback_query)
    text, keyboard = views.language_picker(context.lang)
    await answer(update, text, keyboard)


async def choose_language(update: Update, context: RembugContext) -> None:
    """Save the chosen language, then show the menu in it."""
    tap = await read_button(update, context, rules.parse_start_button, rules.ChooseLanguage)
    if tap is None:
        return
    query, lang = query_of(update), tap.lang
    async with context.db.transaction() as tx:
        await users.set_language(tx, context.user.id, lang)
    context.lang = lang
    await answer_tap(query, views.language_saved(lang))
    # The "/" list follows the person's choice, not only their phone's language.
    await context.bot.set_my_commands(commands_for(lang), scope=BotCommandScopeChat(chat_of(update).id))
    await show_menu(update, context, views.language_saved(lang))


async def unknown_command(update: Update, context: RembugContext) -> None:
    """A command no flow knows."""
    name = rules.command_name(message_of(update).text)
    await message_of(update).reply_text(
        views.unknown_command(context.lang, name), reply_markup=views.back_to_menu_keyboard(context.lang)
    )


async def text_outside_flow(update: Update, context: RembugContext) -> None:
    """Text when no question is open: a member is offered to send it to the facilitators; others see the menu."""
    if await writing.offer(update, context):
        return
    await message_of(update).reply_text(
        views.text_outside_flow(context.lang), reply_markup=views.back_to_menu_keyboard(context.lang)
    )


async def unsupported_message(update: Update, context: RembugContext) -> None:
    """A sticker, photo, voice note... nobody asked for: say where voice notes and photos are welcome."""
    await message_of(update).reply_text(
        views.unsupported_message(context.lang), reply_markup=views.back_to_menu_keyboard(context.lang)
    )


async def stale_button(update: Update, context: RembugContext) -> None:
    """A button no handler took (an old message, another layout, forged data): what happened, and the way on."""
    await explain_stale(update, context)


def register(application: RembugApplication) -> None:
    """Add the start flow's commands, buttons and menu entries."""
    application.services.menu.add(
        MenuEntry(
            "language",
            N_("Bahasa / Language"),
            N_("choose Bahasa Indonesia or English."),
            rules.start_button_data(rules.StartAction.LANGUAGE),
            order=90,
        )
    )
    application.services.menu.add(
        MenuEntry(
            "help",
            N_("Help"),
            N_("explains every button, like this message."),
            rules.start_button_data(rules.HelpPage(0)),
            order=95,
        )
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("menu", menu, filters=private))
    application.add_handler(CommandHandler("help", help_command, filters=private))
    application.add_handler(CommandHandler("language", ask_language, filters=private))
    application.add_handler(CommandHandler("cancel", cancel_outside_flow, filters=private))
    application.add_handler(CallbackQueryHandler(menu, pattern=f"^{MENU_BUTTON}$"))
    application.add_handler(CallbackQueryHandler(open_group, pattern=f"^{MENU_PREFIX}:g:"))
    application.add_handler(CallbackQueryHandler(help_command, pattern=f"^{rules.PREFIX}:help(:|$)"))
    application.add_handler(CallbackQueryHandler(ask_language, pattern=f"^{rules.PREFIX}:language$"))
    application.add_handler(CallbackQueryHandler(choose_language, pattern=f"^{rules.PREFIX}:lang:"))


def register_catch_alls(application: RembugApplication) -> None:
    """Answer whatever no flow took. Registered after every flow."""
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(private & filters.TEXT, text_outside_flow))
    application.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, unsupported_message))
    register_stale_buttons(application)
    application.add_handler(CallbackQueryHandler(stale_button))
