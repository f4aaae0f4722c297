"""The one permission check handlers call before a privileged action.

``await require(update, context, Action.X)`` returns True when the sender may;
otherwise it answers with one localized line (a toast for a button, a message
for a command) and returns False. The rules themselves are in ``bot.roles``.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.context import RembugContext
from bot.i18n import translator
from bot.menu import N_
from bot.roles import RULES, Action, Role, Standing, allowed
from bot.stale import Explanation, explain_stale
from bot.update_parts import message_of

REFUSALS: dict[Role, str] = {
    Role.ADMIN: N_("Only a Rembug administrator can do this."),
    Role.FACILITATOR: N_("Only a facilitator of this cluster can do this."),
    Role.SECRETARY: N_("Only the secretary of this cluster can do this."),
    Role.GROUP_LEADER: N_("Only a group leader can do this."),
    Role.CHAIR: N_("Only the chair of this cluster can do this."),
    Role.TREASURER: N_("Only the treasurer of this cluster can do this."),
    Role.MEMBER: N_("Only members of this cluster can do this."),
    Role.COMMITTEE_MEMBER: N_("Only members of this committee can do this."),
    Role.COMMITTEE_SECRETARY: N_("Only the committee's secretary or chair can do this."),
    Role.COMMITTEE_CHAIR: N_("Only the committee's chair can do this."),
}

FACILITATOR_OR_SECRETARY = N_("Only a facilitator or the secretary of this cluster can do this.")
# Actions shared by two roles where the least one alone would mislead.
SHARED_REFUSALS: dict[frozenset[Role], str] = {
    frozenset({Role.FACILITATOR, Role.TREASURER}): N_(
        "Only the treasurer or a facilitator of this cluster can do this."
    ),
    frozenset({Role.TREASURER, Role.CHAIR}): N_("Only the treasurer or the chair of this cluster can do this."),
}

LOST: dict[Role, str] = {  # said under an old button of a role the person no longer holds
    Role.FACILITATOR: N_("You are no longer a facilitator of cluster <b>{name}</b>."),
    Role.SECRETARY: N_("You are no longer the secretary of cluster <b>{name}</b>."),
    Role.GROUP_LEADER: N_("You are no longer a group leader in cluster <b>{name}</b>."),
    Role.MEMBER: N_("You are no longer a member of cluster <b>{name}</b>."),
    Role.CHAIR: N_("You are no longer the chair of cluster <b>{name}</b>."),
    Role.TREASURER: N_("You are no longer the treasurer of cluster <b>{name}</b>."),
}
_ORDER = (
    Role.MEMBER,
    Role.COMMITTEE_MEMBER,
    Role.GROUP_LEADER,
    Role.TREASURER,
    Role.CHAIR,
    Role.SECRETARY,
    Role.COMMITTEE_SECRETARY,
    Role.COMMITTEE_CHAIR,
    Role.FACILITATOR,
    Role.ADMIN,
)


def needed_role(action: Action) -> Role:
    """The least role that may take ``action`` (the one a refusal names)."""
    return next((role for role in _ORDER if role in RULES[action]), Role.ADMIN)


def refusal(lang: str, action: Action) -> str:
    """The one line that says who may take ``action``."""
    roles = RULES[action]
    if roles in SHARED_REFUSALS:
        return translator(lang).gettext(SHARED_REFUSALS[roles])
    if {Role.FACILITATOR, Role.SECRETARY} <= roles and not roles & {Role.GROUP_LEADER, Role.MEMBER}:
        return translator(lang).gettext(FACILITATOR_OR_SECRETARY)
    return translator(lang).gettext(REFUSALS[needed_role(action)])


def role_lost(lang: str, action: Action, cluster_name: str | None) -> Explanation:
    """The answer to an old button of a role the person no longer holds (their menu of before, say)."""
    _ = translator(lang).gettext
    role = needed_role(action)
    toast = refusal(lang, action)
    if role in LOST and cluster_name:
        return Explanation(toast, _(LOST[role]).format(name=escape(cluster_name)), alert=True)
    if role is Role.MEMBER:
        return Explanation(toast, _("You are not in a cluster now."), alert=True)
    return Explanation(toast, escape(toast), alert=True)


async def require(update: Update, context: RembugContext, action: Action, standing: Standing | None = None) -> bool:
    """True when the sender may take ``action``; otherwise refuse politely and return False.

    ``standing`` defaults to the sender's standing in their current cluster; a committee's
    handlers pass the standing in that committee (``bot.roles.standing_in_committee``)."""
    if allowed(standing or context.standing, action):
        return True
    text = refusal(context.lang, action)
    if update.callback_query:  # a button of before: what happened to it, or which role it needs, and the way on
        lost = role_lost(context.lang, action, context.standing.cluster_name)
        # In a cluster: the role is what is missing. In none: the button's own flow says which cluster it was.
        await explain_stale(update, context, lost, first=lost if context.standing.cluster_id is not None else None)
    elif update.effective_message:
        await message_of(update).reply_text(text)
    return False
