"""Action plans and PDCA (Step 6): plans from the shortlist, the PDM, check-ins, the board,
mid-term evaluation and changes, quarterly and year-end prompts, downloads."""

from pathlib import Path

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.forms import load_forms
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.plans import board, building, checkins, documents, evaluations, evidence, paper
from conversations.plans.rules import PREFIX
from conversations.plans.stale import register as register_stale_buttons

FORMS = Path(__file__).parent / "forms"
EVIDENCE_GROUP = -1  # before the flows: a photo, voice note or document the owner said is a check-in's evidence

BUTTONS = {
    "list$": building.show_list,
    "new$": building.choose_source,
    "src:": building.create,
    "p:": building.show_plan,
    "pdm:": building.edit_pdm,
    "out:": building.add_output,
    "ind:": building.add_indicator,
    "indo:": building.add_indicator,
    "act:": building.add_activity,
    "own:": building.pick_owner,
    "ai:": building.pick_indicator,
    "cad:": building.set_cadence,
    "pub:": building.ask_publish,
    "puby:": building.publish,
    "close:": building.close,
    "brd:": board.show_board,
    "ver:": evaluations.show_versions,
    "v:": evaluations.show_versions,
    "mid:": evaluations.midterm,
    "chg:": evaluations.change,
    "qe:": evaluations.evaluate,
    "ye:": evaluations.evaluate,
    "exp:": documents.send_downloads,
    "mine$": checkins.my_activities,
    "ci:": checkins.report,
    "sz:": checkins.snooze,
    "hr:": checkins.choose_hour,
    "hs:": checkins.choose_hour,
    "ev:": checkins.ask_evidence,
    "acts:": evidence.show_activities,
    "a:": evidence.show_activity,
    "evs:": evidence.send_piece,
    "ppr": paper.show_paper_forms,
}


def register(application: RembugApplication) -> None:
    """Add the action-plan flow, its questionnaires, menu entry and due-message kinds."""
    register_stale_buttons(application)
    dialog = application.services.forms
    dialog.add_forms(load_forms(FORMS))
    dialog.register_subject(building.subject_hooks(application))
    dialog.register_subject(checkins.subject_hooks(application))
    dialog.register_subject(evaluations.subject_hooks(application))
    engine = application.services.reminders
    engine.register(checkins.PROMPT, checkins.send_prompt)
    engine.register(checkins.AGAIN, checkins.send_again)
    engine.register(checkins.OVERDUE, checkins.send_overdue)
    engine.register(checkins.PERIOD_END, checkins.period_ended)
    engine.register(evaluations.MIDTERM, evaluations.send_midterm)
    engine.register(evaluations.QUARTER, evaluations.send_quarter)
    engine.register(evaluations.YEAR_END, evaluations.send_year_end)
    application.services.menu.add(
        MenuEntry(
            "plans",
            N_("Action plans"),
            N_(
                "the cluster's action plans and your activities; report progress; facilitators build plans, follow them and evaluate."
            ),
            callback_data(PREFIX, "list"),
            action=Action.VIEW_PLANS,
            order=35,
        )
    )
    application.add_handler(CommandHandler("plans", building.show_list, filters=filters.ChatType.PRIVATE))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.PHOTO | filters.VOICE | filters.Document.ALL), checkins.receive_evidence
        ),
        group=EVIDENCE_GROUP,
    )
    for key, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}"))


__all__ = ["register"]
