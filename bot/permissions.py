"""The one permission check handlers call before a privileged action.

``await require(update, context, Action.X)`` returns True when the sender may;
otherwise it answers with one localized line (a toast for a button, a message
for a command) and returns False. The rules themselves are in ``bot.roles``.
"""

from __future__ import annotations

from telegram import Update

from bot.context import RembugContext
from bot.i18n import translator
from bot.menu import N_
from bot.replies import answer_tap
from bot.roles import RULES, Action, Role, Standing, allowed
from bot.update_parts import message_of

REFUSALS: dict[Role, str] = {
    Role.ADMIN: N_("Only a Rembug administrator can do this."),
    Role.FACILITATOR: N_("Only a facilitator of this cluster can do this."),
    Role.SECRETARY: N_("Only the secretary of this cluster can do this."),
    Role.GROUP_LEADER: N_("Only a group leader can do this."),
    Role.MEMBER: N_("Only members of this cluster can do this."),
    Role.COMMITTEE_MEMBER: N_("Only members of this committee can do this."),
    Role.COMMITTEE_SECRETARY: N_("Only the committee's secretary or chair can do this."),
    Role.COMMITTEE_CHAIR: N_("Only the committee's chair can do this."),
}


def refusal(lang: str, action: Action) -> str:
    """The one line that says who may take ``action``."""
    _ = translator(lang).gettext
    needed = RULES[action]
    order = (
        Role.MEMBER,
        Role.COMMITTEE_MEMBER,
        Role.GROUP_LEADER,
        Role.SECRETARY,
        Role.COMMITTEE_SECRETARY,
        Role.COMMITTEE_CHAIR,
        Role.FACILITATOR,
        Role.ADMIN,
    )
    for role in order:
        if role in needed:
            return _(REFUSALS[role])
    return _(REFUSALS[Role.ADMIN])


async def require(update: Update, context: RembugContext, action: Action, standing: Standing | None = None) -> bool:
    """True when the sender may take ``action``; otherwise refuse politely and return False.

    ``standing`` defaults to the sender's standing in their current cluster; a committee's
    handlers pass the standing in that committee (``bot.roles.standing_in_committee``)."""
    if allowed(standing or context.standing, action):
        return True
    text = refusal(context.lang, action)
    if update.callback_query:
        await answer_tap(update.callback_query, text, show_alert=True)
    elif update.effective_message:
        await message_of(update).reply_text(text)
    return False
