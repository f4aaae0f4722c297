"""The cluster-condition survey (ANNEX-1) on questionnaires defined as data."""

from pathlib import Path

from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.forms import load_forms
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.survey import closing, handlers, invitations, paper, printing, questionnaires, stale
from conversations.survey.rules import PREFIX, ROUND_PAYLOAD_PREFIX

FORMS = Path(__file__).parent / "forms"


def conversation() -> ConversationHandler:
    """Opening a round, and naming an interviewee or a paper sheet's respondent who is not a member (named, persistent)."""
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(handlers.begin_round, pattern=f"^{PREFIX}:new$"),
            CallbackQueryHandler(handlers.begin_round_with, pattern=f"^{PREFIX}:newq:"),
            CallbackQueryHandler(handlers.ask_interviewee, pattern=f"^{PREFIX}:(ivn|ppn):"),
        ],
        states={
            "questionnaire": [CallbackQueryHandler(handlers.choose_questionnaire, pattern=f"^{PREFIX}:use:")],
            "title": [
                CallbackQueryHandler(handlers.use_suggested_title, pattern=f"^{PREFIX}:title$"),
                MessageHandler(text, handlers.type_title),
            ],
            "closing": [CallbackQueryHandler(handlers.choose_closing, pattern=f"^{PREFIX}:cl:")],
            "interviewee": [MessageHandler(text, handlers.receive_interviewee)],
        },
        fallbacks=exit_handlers(handlers.FLOW),
        name=handlers.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the survey flow, its questionnaires, menu entry and due-message kinds."""
    dialog = application.services.forms
    dialog.add_forms(load_forms(FORMS))
    dialog.register_subject(handlers.subject_hooks(application))
    invitations.register(application)
    stale.register(application)
    application.services.menu.add(
        MenuEntry(
            "survey",
            N_("Questionnaire"),
            N_("answer the questionnaire on the cluster's condition; facilitators open rounds and see results."),
            callback_data(PREFIX, "list"),
            action=Action.ANSWER_SURVEY,
            order=15,
        )
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(
        CommandHandler(
            "start", printing.answer_by_link, filters=private & filters.Regex(f"^/start {ROUND_PAYLOAD_PREFIX}")
        )
    )
    application.add_handler(conversation())
    application.add_handler(CommandHandler("survey", handlers.list_rounds, filters=filters.ChatType.PRIVATE))
    buttons = {
        "list$": handlers.list_rounds,
        "ans:": handlers.answer_round,
        "int:": handlers.interview_list,
        "iv:": handlers.interview_member,
        "pp:": paper.paper_list,
        "pv:": paper.paper_member,
        "pc:": paper.paper_continue,
        "close:": closing.ask_close,
        "closeyes:": closing.close,
        "res:": closing.show_results,
        "exp:": closing.send_downloads,
        "prt:": printing.print_questionnaire,
        "qs$": questionnaires.show_list,
        "imp$": questionnaires.how_to_bring,
        "xf:": questionnaires.send_xlsform,
    }
    for key, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}"))


__all__ = ["register", "register_spreadsheets"]


def register_spreadsheets(application: RembugApplication) -> None:
    """A spreadsheet sent when no flow's step waits for a file (the firm list, a broadcast, the
    bylaws take theirs first) is an XLSForm brought in. Registered after every flow."""
    spreadsheet: filters.BaseFilter = filters.Document.FileExtension(questionnaires.SPREADSHEETS[0])
    for extension in questionnaires.SPREADSHEETS[1:]:
        spreadsheet = spreadsheet | filters.Document.FileExtension(extension)
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & spreadsheet, questionnaires.receive_xlsform))
