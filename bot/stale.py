"""Old buttons speak: a tapped button that no longer works says what happened and offers the way forward.

Flows register, per callback prefix, an explainer at start-up::

    application.services.state(StaleButtons).add("mt1", explain_meeting)

An explainer is given a read connection and the ``OldTap`` (its data, who tapped, when) and
returns an ``Explanation`` (a short toast, one sentence, one or two buttons forward) or None
when the button is not about anything it knows. ``explain_stale`` asks them, falls back to a
generic answer, answers the tap with the toast AND sends the sentence with its buttons as a
reply to the old message: a toast vanishes, the reply stays, and the old message keeps its
text (nothing disappears without a word). ``bot.flows.read_button``/``read_tap``, the catch-all
handler and the flows' own stale paths all end here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import TelegramError

from bot.context import RembugContext
from bot.i18n import translator
from bot.menu import MENU_BUTTON
from bot.replies import answer_tap
from bot.roles import Standing
from storage import clusters, inbox, memberships

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class OldTap:
    """A tapped button the flow could not use: its data, who tapped it, where they stand, and when."""

    data: str
    user_id: int
    standing: Standing
    now: datetime
    lang: str


@dataclass(frozen=True)
class Explanation:
    """What to say about an old button: a short toast, the sentence, and the way forward (before the menu)."""

    toast: str
    text: str
    buttons: tuple[InlineKeyboardButton, ...] = ()
    menu: bool = True  # end with "Open the menu"
    alert: bool = False  # the toast as an alert (a refusal the person must not miss)


Explainer = Callable[[aiosqlite.Connection, OldTap], Awaitable[Explanation | None]]


Done = Callable[[str, dict[str, Any]], Explanation]  # (language, what the earlier tap did) -> what to say


class StaleButtons:
    """The explainers flows registered, by callback prefix (one per application: ``services.state``)."""

    def __init__(self) -> None:
        self._explainers: dict[str, list[Explainer]] = {}
        self._done: dict[str, Done] = {}

    def done(self, flow: str, describe: Done) -> None:
        """Say what an earlier tap on the same message did in ``flow`` (``bot.flows.finish_draft``'s effect)."""
        self._done[flow] = describe

    def describe_done(self, lang: str, effect: dict[str, Any]) -> Explanation:
        """What to say about a message whose button already did ``effect`` (a confirm screen tapped twice)."""
        describe = self._done.get(str(effect.get("flow")))
        return describe(lang, effect) if describe else already_done(lang)

    def add(self, prefix: str, explainer: Explainer) -> None:
        """Let ``explainer`` speak for old buttons whose data starts with ``prefix:``."""
        self._explainers.setdefault(prefix, []).append(explainer)

    async def explain(self, conn: aiosqlite.Connection, tap: OldTap) -> Explanation | None:
        """The first explanation a registered explainer gives for ``tap``, else None."""
        for explainer in self._explainers.get(tap.data.split(":", 1)[0], []):
            found = await explainer(conn, tap)
            if found is not None:
                return found
        return None


def generic(lang: str) -> Explanation:
    """The answer to a button nobody can explain (forged, or gone without a trace): still a way on."""
    _ = translator(lang).gettext
    return Explanation(
        _("This button is no longer valid. Type /menu to start again."),
        _("That button is from an older message and no longer works. Nothing was changed."),
    )


def already_done(lang: str) -> Explanation:
    """An old confirm screen or review whose button already did its work: said once, not done twice."""
    _ = translator(lang).gettext
    return Explanation(
        _("Done already."), _("This was already done from this message; nothing was done a second time.")
    )


def way_forward(lang: str, explanation: Explanation) -> InlineKeyboardMarkup:
    """The explanation's buttons, one a row, then "Open the menu"."""
    rows = [[button] for button in explanation.buttons]
    if explanation.menu:
        rows.append([InlineKeyboardButton(translator(lang).gettext("Open the menu"), callback_data=MENU_BUTTON)])
    return InlineKeyboardMarkup(rows)


async def explanation_of(
    update: Update, context: RembugContext, fallback: Explanation | None = None
) -> Explanation | None:
    """What the registered explainers say about the tapped old button, else ``fallback``, else what an earlier
    tap on the same message already did (None: nobody knows it)."""
    query = update.callback_query
    data = (query.data or "") if query else ""
    tap = OldTap(data, context.user.id, context.standing, context.clock.now(), context.lang)
    engine = context.services.state(StaleButtons)
    async with context.db.read() as conn:
        found = await engine.explain(conn, tap) or fallback
        if found is not None or query is None or query.message is None:
            return found
        effect = await inbox.effect_of_same_tap(conn, context.user.id, query.message.message_id, data, update.update_id)
    return engine.describe_done(context.lang, effect) if effect else None


async def explain_stale(
    update: Update,
    context: RembugContext,
    fallback: Explanation | None = None,
    *,
    only_known: bool = False,
    first: Explanation | None = None,
) -> bool:
    """Answer an old button: a toast, and a reply under the old message saying what happened and what now.

    ``first`` is said whatever the explainers know (a refusal by role); ``fallback`` when no explainer
    knows the button (instead of the generic answer); with ``only_known`` nothing is said then, and
    False comes back (the caller has its own short answer).
    """
    query = update.callback_query
    if query is None:
        return False
    explanation = first or await explanation_of(update, context, fallback)
    if explanation is None and only_known:
        return False
    explanation = explanation or generic(context.lang)
    await answer_tap(query, explanation.toast, show_alert=explanation.alert)
    old = query.message if isinstance(query.message, Message) else None
    if old is None:
        return True
    try:
        await old.get_bot().send_message(
            old.chat.id,
            explanation.text,
            reply_markup=way_forward(context.lang, explanation),
            reply_parameters=ReplyParameters(old.message_id, allow_sending_without_reply=True),
        )
    except TelegramError as error:  # the toast was said; a lost reply must not fail the update
        _LOGGER.info("the explanation of an old button could not be sent (%s)", error)
    return True


async def belongs_here(conn: aiosqlite.Connection, tap: OldTap, cluster_id: int) -> Explanation | bool:
    """Whether the person may hear about an object of ``cluster_id``: True when they work in it; an
    explanation when they left it or work in another of their clusters now; False for a stranger (a
    forged tap: nothing is said about another cluster's objects)."""
    member = await memberships.get_membership(conn, cluster_id, tap.user_id)
    if member is None:
        return False
    if member.active and tap.standing.cluster_id == cluster_id:
        return True
    cluster = await clusters.get_cluster(conn, cluster_id)
    _ = translator(tap.lang).gettext
    name = escape(cluster.name) if cluster else "?"
    if not member.active:
        return Explanation(
            _("You are no longer in this cluster."),
            _("This button belongs to cluster <b>{name}</b>, which you are no longer in.").format(name=name),
        )
    return Explanation(
        _("This button is of another cluster."),
        _(
            "This button belongs to cluster <b>{name}</b>, but you are working in <b>{current}</b> now. "
            "To use it, switch to {name} from the menu."
        ).format(name=name, current=escape(tap.standing.cluster_name or "?")),
    )
