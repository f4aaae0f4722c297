"""Supporters and BDS providers: who outside the membership can help the cluster. Members browse the
confirmed ones by need and suggest one; facilitators add, edit, confirm and download them, and record
visits and calls whose next step comes back as a reminder. The action plan's supporter question
offers the list (``suggest: supporters`` in its definition)."""

from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.supporters import adding, listing, stale, suggesting, visits
from conversations.supporters.rules import PREFIX, Step


def _on(step: Step, callback, *, more: bool = True) -> CallbackQueryHandler:
    """A handler for ``sp1:<step>`` buttons (``more``: with parts after the step)."""
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{step.value}" + (":" if more else "$"))


def add_conversation() -> ConversationHandler:
    """Adding or suggesting a supporter (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    not_text = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[_on(Step.ADD, adding.begin_add, more=False), _on(Step.SUGGEST, adding.begin_suggest, more=False)],
        states={
            "name": [MessageHandler(text, adding.receive_name)],
            "kind": [_on(Step.KIND, adding.choose_kind), MessageHandler(not_text, adding.buttons_please)],
            "services": [
                _on(Step.SERVICE, adding.toggle_service),
                _on(Step.SERVICES_DONE, adding.services_done, more=False),
                MessageHandler(not_text, adding.buttons_please),
            ],
            "contact": [MessageHandler(text, adding.receive_contact), _on(Step.SKIP, adding.skip_contact, more=False)],
            "area": [MessageHandler(text, adding.receive_area), _on(Step.SKIP, adding.skip_area, more=False)],
            "worked_with": [
                MessageHandler(text, adding.receive_worked_with),
                _on(Step.SKIP, adding.skip_worked_with, more=False),
            ],
        },
        fallbacks=exit_handlers(adding.FLOW),
        name=adding.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def edit_conversation() -> ConversationHandler:
    """Editing a supporter's contact, area or who worked with them (named and persistent)."""
    return ConversationHandler(
        entry_points=[_on(Step.EDIT_FIELD, adding.begin_edit)],
        states={
            "text": [
                MessageHandler(filters.TEXT & ~filters.COMMAND, adding.receive_edit),
                _on(Step.SKIP, adding.clear_edit, more=False),
            ]
        },
        fallbacks=exit_handlers(adding.EDIT_FLOW),
        name=adding.EDIT_FLOW,
        persistent=True,
        allow_reentry=True,
    )


def visit_conversation() -> ConversationHandler:
    """Recording a visit or call (named and persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            _on(Step.VISIT, visits.begin),
            _on(Step.VISIT_SUPPORTER, visits.begin_with_supporter),
            _on(Step.VISIT_MEMBER, visits.begin_with_member),
            _on(Step.VISIT_FIRM, visits.begin_with_firm),
            _on(Step.FOLLOW_UP, visits.begin_follow_up),
        ],
        states={
            "who": [MessageHandler(~filters.COMMAND, visits.buttons_please)],
            "kind": [_on(Step.VISIT_KIND, visits.choose_kind), MessageHandler(~filters.COMMAND, visits.buttons_please)],
            "day": [_on(Step.DAY, visits.choose_day), MessageHandler(text, visits.type_day)],
            "agreed": [MessageHandler(text, visits.receive_agreed)],
            "next_step": [
                MessageHandler(text, visits.receive_next_step),
                _on(Step.SKIP, visits.skip_next_step, more=False),
            ],
            "next_on": [_on(Step.NEXT_DAY, visits.choose_next_day), MessageHandler(text, visits.type_next_day)],
        },
        fallbacks=exit_handlers(visits.FLOW),
        name=visits.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the supporters' menu entry, conversations, buttons, the next step's due message and the
    form engine's supporter suggestions."""
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "supporters",
            N_("Supporters"),
            N_("who outside the cluster can help (offices, BDS providers, banks...): find one by need, suggest one."),
            callback_data(PREFIX, Step.HOME.value),
            action=Action.VIEW_SUPPORTERS,
            order=46,
        )
    )
    application.services.reminders.register(visits.NEXT_STEP, visits.send_next_step)
    application.services.forms.add_suggestions(suggesting.SOURCE, suggesting.source(application))
    for conversation in (add_conversation(), edit_conversation(), visit_conversation()):
        application.add_handler(conversation)
    application.add_handler(CommandHandler("supporters", listing.show_home, filters=filters.ChatType.PRIVATE))
    for step, callback, more in (
        (Step.HOME, listing.show_home, False),
        (Step.NEED, listing.show_need, True),
        (Step.ALL, listing.show_all, True),
        (Step.SHOW, listing.show_supporter, True),
        (Step.CONFIRM, listing.decide, True),
        (Step.REJECT, listing.decide, True),
        (Step.EDIT_SERVICES, listing.edit_services, True),
        (Step.EDIT_TOGGLE, listing.edit_services, True),
        (Step.EDIT_KIND, listing.edit_kind, True),
        (Step.REMOVE, listing.ask_remove, True),
        (Step.REMOVE_YES, listing.remove, True),
        (Step.CSV, listing.download, False),
        (Step.EXCEL, listing.download, False),
    ):
        application.add_handler(_on(step, callback, more=more))


__all__ = ["register"]
