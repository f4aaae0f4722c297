"""Browsing and keeping the list: the need screen, the lists, a supporter's page, confirming or
rejecting a suggestion, editing the services, removing, and the CSV/Excel download."""

from __future__ import annotations

import io

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot import exports
from bot.context import RembugContext
from bot.flows import confirmation_needed, open_confirmation, read_button, take_confirmation
from bot.permissions import require
from bot.replies import answer, answer_tap
from bot.roles import Action, allowed
from bot.stale import explain_stale
from bot.update_parts import chat_of, query_of
from conversations.access_log.recording import note_download
from conversations.access_log.rules import Access, file_kind
from conversations.supporters import notices, rules, views, visit_views
from conversations.supporters.rules import Step, SupporterTap
from storage import supporters, visits
from storage.supporters import Supporter


async def pressed(update: Update, context: RembugContext, action: Action, *steps: Step) -> SupporterTap | None:
    """The pressed button when it is one of ``steps`` and the sender may take ``action``; None after answering."""
    if not await require(update, context, action):
        return None
    tap = await read_button(update, context, rules.parse_tap, SupporterTap)
    if tap is not None and tap.step not in steps:
        await explain_stale(update, context)
        return None
    return tap


async def supporter_of(update: Update, context: RembugContext, tap: SupporterTap) -> Supporter | None:
    """The supporter a button names, when the sender may see it; the stale answer otherwise."""
    async with context.db.read() as conn:
        found = await supporters.get_supporter(conn, tap.number or 0)
    manages = allowed(context.standing, Action.MANAGE_SUPPORTERS)
    if (
        found is None
        or found.cluster_id != context.standing.cluster_id
        or not rules.visible_to(found.status, found.added_by, context.user.id, manages)
    ):
        await explain_stale(update, context)
        return None
    return found


async def pressed_supporter(
    update: Update, context: RembugContext, action: Action, *steps: Step
) -> tuple[SupporterTap, Supporter] | None:
    """The pressed button (one of ``steps``, ``action`` allowed) and the supporter it names; None after answering."""
    tap = await pressed(update, context, action, *steps)
    supporter = await supporter_of(update, context, tap) if tap is not None else None
    return (tap, supporter) if tap is not None and supporter is not None else None


async def show_home(update: Update, context: RembugContext) -> None:
    """🤝 "What do you need help with?": the services as buttons, and the list's actions."""
    if update.callback_query and await pressed(update, context, Action.VIEW_SUPPORTERS, Step.HOME) is None:
        return
    if not update.callback_query and not await require(update, context, Action.VIEW_SUPPORTERS):
        return
    await answer_tap(update.callback_query)
    cluster_id = context.standing.current_cluster_id
    manages = allowed(context.standing, Action.MANAGE_SUPPORTERS)
    async with context.db.read() as conn:
        confirmed = await supporters.confirmed_supporters(conn, cluster_id)
        if manages:
            waiting = [s for s in await supporters.list_supporters(conn, cluster_id) if s.status == "suggested"]
        else:
            waiting = await supporters.suggested_by(conn, cluster_id, context.user.id)
    text, keyboard = views.home(context.lang, manages, len(confirmed), waiting, context.standing.current_cluster_name)
    await answer(update, text, keyboard)


async def show_need(update: Update, context: RembugContext) -> None:
    """The confirmed supporters offering one service (``sp1:n:<service>:<page>``)."""
    tap = await pressed(update, context, Action.VIEW_SUPPORTERS, Step.NEED)
    if tap is None or tap.key is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        confirmed = await supporters.confirmed_supporters(conn, context.standing.current_cluster_id)
    await answer(update, *views.need_list(context.lang, tap.key, rules.offering(confirmed, tap.key), tap.page))


async def show_all(update: Update, context: RembugContext) -> None:
    """📋 The facilitator's whole list, confirmed and waiting (``sp1:l:<page>``)."""
    tap = await pressed(update, context, Action.MANAGE_SUPPORTERS, Step.ALL)
    if tap is None:
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        listed = await supporters.list_supporters(conn, context.standing.current_cluster_id)
    await answer(update, *views.whole_list(context.lang, listed, tap.page))


async def page_of_supporter(
    context: RembugContext, supporter: Supporter, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """A supporter's page as the sender sees it (a facilitator: with its visits and the actions)."""
    manages = allowed(context.standing, Action.MANAGE_SUPPORTERS)
    history: tuple[list[str], list] = ([], [])
    if manages:
        async with context.db.read() as conn:
            found = await visits.visits_to_supporter(conn, supporter.id)
        history = visit_views.history(context.lang, found, page, supporter.id)
    return views.supporter_page(context.lang, supporter, manages, history)


async def show_supporter(update: Update, context: RembugContext) -> None:
    """🔍 One supporter's page (``sp1:s:<supporter>:<page of visits>``)."""
    found = await pressed_supporter(update, context, Action.VIEW_SUPPORTERS, Step.SHOW)
    if found is None:
        return
    tap, supporter = found
    await answer_tap(update.callback_query)
    await answer(update, *await page_of_supporter(context, supporter, tap.page))


async def decide(update: Update, context: RembugContext) -> None:
    """✅ Confirm / ✖ Reject a member's suggestion (``sp1:ok:<id>``, ``sp1:no:<id>``)."""
    found = await pressed_supporter(update, context, Action.MANAGE_SUPPORTERS, Step.CONFIRM, Step.REJECT)
    if found is None:
        return
    tap, supporter = found
    confirm = tap.step is Step.CONFIRM
    now = context.clock.now()
    async with context.db.transaction() as tx:
        done = await supporters.decide(tx, supporter.id, "confirmed" if confirm else "rejected", context.user.id, now)
        if done:
            await notices.tell_suggester(tx, supporter, confirm, context.settings.language, now)
    if not done:  # decided before, on this phone or another facilitator's
        await explain_stale(update, context)
        return
    context.services.outbox.wake()
    await answer_tap(update.callback_query)
    await answer(update, views.decided(context.lang, supporter, confirm))  # the notice keeps its words, not its buttons
    if confirm:
        async with context.db.read() as conn:
            now_confirmed = await supporters.get_supporter(conn, supporter.id)
        if now_confirmed is not None:
            await answer(update, *await page_of_supporter(context, now_confirmed), edit=False)


async def edit_services(update: Update, context: RembugContext) -> None:
    """✏️ Services: the toggles of a listed supporter (``sp1:es:<id>``, each tick ``sp1:et:<id>:<service>``)."""
    found = await pressed_supporter(update, context, Action.MANAGE_SUPPORTERS, Step.EDIT_SERVICES, Step.EDIT_TOGGLE)
    if found is None:
        return
    tap, supporter = found
    if tap.step is Step.EDIT_TOGGLE and tap.key:
        async with context.db.transaction() as tx:
            fresh = await supporters.get_supporter(tx, supporter.id) or supporter
            await supporters.set_services(tx, supporter.id, rules.toggled(fresh.services, tap.key), context.clock.now())
            supporter = await supporters.get_supporter(tx, supporter.id) or supporter
    await answer_tap(update.callback_query)
    await answer(update, *views.edit_toggles(context.lang, supporter))


async def edit_kind(update: Update, context: RembugContext) -> None:
    """✏️ Kind (``sp1:ek:<id>``): the kinds; a tap (``sp1:ek:<id>:<kind>``) changes it and shows the page."""
    found = await pressed_supporter(update, context, Action.MANAGE_SUPPORTERS, Step.EDIT_KIND)
    if found is None:
        return
    tap, supporter = found
    await answer_tap(update.callback_query)
    if tap.key is None:
        await answer(update, *views.ask_kind(context.lang, supporter.name, supporter.id))
        return
    async with context.db.transaction() as tx:
        await supporters.set_kind(tx, supporter.id, tap.key, context.clock.now())
        supporter = await supporters.get_supporter(tx, supporter.id) or supporter
    await answer(update, *await page_of_supporter(context, supporter))


async def ask_remove(update: Update, context: RembugContext) -> None:
    """🗑 Remove: asked once (``sp1:rm:<id>``)."""
    found = await pressed_supporter(update, context, Action.MANAGE_SUPPORTERS, Step.REMOVE)
    if found is None:
        return
    _tap, supporter = found
    await open_confirmation(context, f"supporter:{supporter.id}:remove")
    await answer_tap(update.callback_query)
    await answer(update, *views.remove_question(context.lang, supporter))


async def remove(update: Update, context: RembugContext) -> None:
    """ "Yes, remove" (``sp1:rmy:<id>``): off the list, its visits kept."""
    found = await pressed_supporter(update, context, Action.MANAGE_SUPPORTERS, Step.REMOVE_YES)
    if found is None:
        return
    _tap, supporter = found
    async with context.db.transaction() as tx:
        confirmed = await take_confirmation(tx, context, f"supporter:{supporter.id}:remove", update)
        if confirmed:
            await supporters.remove_supporter(tx, supporter.id, context.clock.now())
    if not confirmed:
        await answer_tap(update.callback_query, confirmation_needed(context.lang), show_alert=True)
        return
    await answer_tap(update.callback_query)
    async with context.db.read() as conn:
        listed = await supporters.list_supporters(conn, supporter.cluster_id)
    text, keyboard = views.whole_list(context.lang, listed, 0)
    await answer(update, views.removed(context.lang, supporter.name) + "\n\n" + text, keyboard)


async def download(update: Update, context: RembugContext) -> None:
    """⬇️ The list as CSV or Excel (``sp1:csv``, ``sp1:xlsx``): confirmed and waiting, with their status."""
    tap = await pressed(update, context, Action.MANAGE_SUPPORTERS, Step.CSV, Step.EXCEL)
    if tap is None:
        return
    await answer_tap(query_of(update))
    cluster_id = context.standing.current_cluster_id
    async with context.db.read() as conn:
        listed = await supporters.list_supporters(conn, cluster_id)
    headers, rows = views.export_table(context.lang, [("", s) for s in listed])
    name = exports.slug(context.standing.cluster_name or "", "cluster")
    if tap.step is Step.EXCEL:
        data, filename = exports.build_xlsx(headers, rows, context.gettext("Supporters")), f"supporters-{name}.xlsx"
    else:
        data, filename = exports.build_csv(headers, rows), f"supporters-{name}.csv"
    await chat_of(update).send_document(document=InputFile(io.BytesIO(data), filename=filename))
    await note_download(context, cluster_id, Access.SUPPORTERS, file_kind(filename))
