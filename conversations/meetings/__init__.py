"""Meetings: scheduling, invitations with RSVP, reminders, check-in, attendance and notes."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.buttons import callback_data
from bot.menu import MenuEntry, N_
from bot.roles import Action
from conversations.meetings import attendance, invitations, schedule
from conversations.meetings.rules import CHECKIN_PAYLOAD_PREFIX, PREFIX


def register(application: Application) -> None:
    """Add the meeting flows, their menu entry and their due-message kinds."""
    application.bot_data["menu"].add(
        MenuEntry("meetings", N_("Meetings"), N_("upcoming and past meetings, your attendance; facilitators schedule and take attendance."),
                  callback_data(PREFIX, "list"), action=Action.VIEW_MEETINGS, order=10)
    )
    engine = application.bot_data["reminders"]
    engine.register(invitations.INVITE, invitations.send_invitation)
    engine.register(invitations.REPORT, invitations.send_invite_report)
    engine.register(invitations.REMINDER, invitations.send_reminder)
    engine.register(invitations.CANCELLED, invitations.send_cancellation)
    engine.register(invitations.CHANGED, invitations.send_change_notice)
    private = filters.ChatType.PRIVATE
    application.add_handler(
        CommandHandler("start", attendance.checkin_by_link, filters=private & filters.Regex(f"^/start {CHECKIN_PAYLOAD_PREFIX}"))
    )
    application.add_handler(schedule.conversation())
    application.add_handler(attendance.conversation())
    application.add_handler(CommandHandler("meetings", invitations.list_meetings, filters=private))
    buttons = {
        "list$": invitations.list_meetings,
        "open:": invitations.open_meeting,
        "r:": invitations.rsvp,
        "cancel:": invitations.ask_cancel,
        "cancelyes:": invitations.cancel,
        "qr:": attendance.send_checkin_qr,
        "tick:": attendance.show_ticks,
        "tk:": attendance.toggle_tick,
        "sum:": attendance.show_summary,
        "exp:": attendance.send_exports,
        "mine$": attendance.my_attendance,
    }
    for key, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{key}"))


__all__ = ["register"]
