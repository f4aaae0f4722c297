"""The committee secretariat (CEDC / FEDEP / FPESD): committees that follow many clusters,
weekly digests, quarterly and year-end reports, the program matrix, clusters side by side."""

from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.committee import cluster_maps, digests, handlers, reports, supporters
from conversations.committee.rules import INVITE_PAYLOAD_PREFIX, PREFIX

BUTTONS = {
    "home$": handlers.show_list,
    "c:": handlers.show_overview,
    "d:": handlers.show_detail,
    "cmp:": handlers.compare,
    "map:": cluster_maps.show_maps,
    "rep:": handlers.report,
    "mx:": handlers.matrix,
    "cl:": handlers.choose_clusters,
    "ct:": handlers.choose_clusters,
    "ap:": handlers.appoint,
    "as:": handlers.appoint,
    "j:": handlers.join,
    "sch:": handlers.choose_schedule,
    "sd:": handlers.choose_schedule,
    "sh:": handlers.choose_schedule,
    "sup:": supporters.show_supporters,
    "supx:": supporters.download_supporters,
}


def new_committee() -> ConversationHandler:
    """/newcommittee (named and persistent): name, level, time zone."""
    return ConversationHandler(
        entry_points=[
            CommandHandler("newcommittee", handlers.begin_new, filters=filters.ChatType.PRIVATE),
            CallbackQueryHandler(handlers.begin_new, pattern=f"^{PREFIX}:new$"),
        ],
        states={
            "name": [MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.receive_name)],
            "level": [CallbackQueryHandler(handlers.choose_level, pattern=f"^{PREFIX}:lv:")],
            "zone": [CallbackQueryHandler(handlers.choose_zone, pattern=f"^{PREFIX}:tz:")],
        },
        fallbacks=exit_handlers(handlers.FLOW),
        name=handlers.FLOW,
        persistent=True,
        allow_reentry=True,
    )


def register(application: RembugApplication) -> None:
    """Add the committee flow, its menu entry, the digest and report due messages and the digest report."""
    application.services.menu.add(
        MenuEntry(
            "committee",
            N_("Committees"),
            N_("the committees that follow clusters: digests, one cluster's detail, comparisons, reports."),
            callback_data(PREFIX, "home"),
            action=Action.FOLLOW_COMMITTEE,
            order=90,
        )
    )
    application.services.reminders.register(digests.KIND, digests.send_digest)
    application.services.reminders.register(reports.KIND, reports.send_due_report)
    application.services.outbox.on_progress(digests.BATCH, digests.report_delivery)
    application.add_handler(new_committee())
    application.add_handler(CommandHandler("committee", handlers.show_list, filters=filters.ChatType.PRIVATE))
    application.add_handler(
        CommandHandler(
            "start",
            handlers.join_from_link,
            filters=filters.ChatType.PRIVATE & filters.Regex(f"^/start {INVITE_PAYLOAD_PREFIX}"),
        )
    )
    for key, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}"))


__all__ = ["register"]
