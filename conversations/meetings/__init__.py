"""Meetings: scheduling, invitations with RSVP, reminders, check-in, attendance and notes."""

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.audience import Newcomers
from bot.buttons import callback_data
from bot.flows import exit_handlers
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.meetings import attendance, editing, invitations, map_review, rules, schedule
from conversations.meetings.rules import CHECKIN_PAYLOAD_PREFIX, PREFIX
from conversations.meetings.stale import register as register_stale_buttons


def register(application: RembugApplication) -> None:
    """Add the meeting flows, their menu entry and their due-message kinds."""
    application.services.menu.add(
        MenuEntry(
            "meetings",
            N_("Meetings"),
            N_("upcoming and past meetings, your attendance; facilitators schedule and take attendance."),
            callback_data(PREFIX, "list"),
            action=Action.VIEW_MEETINGS,
            order=10,
        )
    )
    register_stale_buttons(application)
    engine = application.services.reminders
    engine.register(invitations.REPORT, invitations.send_delivery_report)
    engine.register(invitations.REMINDER, invitations.send_reminder)
    for legacy in (invitations.INVITE, invitations.CANCELLED, invitations.CHANGED):
        engine.register(legacy, invitations.send_legacy_notice)
    application.services.outbox.on_finished(invitations.KIND, invitations.batch_finished)
    application.services.outbox.on_progress(invitations.KIND, invitations.wake_reports)
    application.services.state(Newcomers).listen(invitations.newcomer_listener(application))
    private = filters.ChatType.PRIVATE
    application.add_handler(
        CommandHandler(
            "start", attendance.checkin_by_link, filters=private & filters.Regex(f"^/start {CHECKIN_PAYLOAD_PREFIX}")
        )
    )
    application.add_handler(schedule_conversation())
    application.add_handler(attendance.conversation())
    map_review.register(application)
    application.add_handler(CommandHandler("meetings", invitations.list_meetings, filters=private))
    buttons = {
        "list$": invitations.list_meetings,
        "open:": invitations.open_meeting,
        "card:": invitations.open_card,
        "r:": invitations.rsvp,
        "cancel:": invitations.ask_cancel,
        "cancelyes:": invitations.cancel,
        "qr:": attendance.send_checkin_qr,
        "sheet:": attendance.send_attendance_sheet,
        "tick:": attendance.show_ticks,
        "inv:": attendance.show_invitees,
        "tk:": attendance.toggle_tick,
        "sum:": attendance.show_summary,
        "exp:": attendance.send_exports,
        "mine$": attendance.my_attendance,
    }
    for key, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}"))


def schedule_conversation() -> ConversationHandler:
    """Scheduling and changing meetings (named and persistent)."""
    p = PREFIX
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND

    def tap(callback, key: str) -> CallbackQueryHandler:
        return CallbackQueryHandler(callback, pattern=f"^{p}:{key}")

    calendar_extras = [tap(schedule.noop, "noop$"), tap(schedule.past, "past$")]
    states: dict[object, list[BaseHandler]] = {
        "kind": [tap(schedule.choose_kind, "k:"), MessageHandler(other, schedule.buttons_please)],
        "topic": [
            MessageHandler(text, schedule.receive_text("topic", rules.TOPIC_LIMIT)),
            MessageHandler(other, schedule.buttons_please),
        ],
        "day": [
            tap(schedule.pick_day, "d:"),
            tap(schedule.change_month, "m:"),
            *calendar_extras,
            MessageHandler(text, schedule.type_day),
            MessageHandler(other, schedule.buttons_please),
        ],
        "starts_at": [
            tap(schedule.tap_time, "t:"),
            MessageHandler(text, schedule.type_time),
            MessageHandler(other, schedule.buttons_please),
        ],
        "place": [
            MessageHandler(text, schedule.receive_text("place", rules.PLACE_LIMIT)),
            MessageHandler(other, schedule.buttons_please),
        ],
        "location": [
            MessageHandler(filters.LOCATION, schedule.receive_location),
            MessageHandler(other, schedule.skip_location),
        ],
        "agenda": [
            tap(schedule.skip_agenda, "noagenda$"),
            MessageHandler(text, schedule.receive_text("agenda", rules.AGENDA_LIMIT)),
            MessageHandler(other, schedule.buttons_please),
        ],
        "audience": [tap(schedule.choose_audience, "a:"), MessageHandler(other, schedule.buttons_please)],
        "capacity": [
            tap(schedule.no_capacity, "nocap$"),
            MessageHandler(text, schedule.type_capacity),
            MessageHandler(other, schedule.buttons_please),
        ],
        "review": [
            tap(editing.confirm_review, "create$"),
            tap(schedule.toggle_reminder, "rem:"),
            MessageHandler(other, schedule.buttons_please),
        ],
        "edit_choice": [tap(editing.choose_change, "ew:"), MessageHandler(other, schedule.buttons_please)],
    }
    entry: list[BaseHandler] = [
        CommandHandler("meeting", schedule.begin, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(schedule.begin, pattern=f"^{p}:new$"),
        CallbackQueryHandler(editing.begin_edit, pattern=f"^{p}:edit:"),
    ]
    return ConversationHandler(
        entry_points=entry,
        states=states,
        fallbacks=[*exit_handlers(schedule.FLOW), invitations.back_to_meeting(schedule.FLOW)],
        name=schedule.FLOW,
        persistent=True,
        allow_reentry=True,
    )


__all__ = ["register"]
