"""Build the PTB Application and run it with the update inbox.

``build_application`` is the wiring of the whole bot, top to bottom: the
Bot API address, persistence, rate limiting, defaults, the shared context,
then every flow's handlers. ``serve`` runs it until asked to stop.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, TypeHandler
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot import form_library, retention
from bot.clock import Clock, FileClock, SystemClock
from bot.commands import publish_commands
from bot.context import SENDER_GROUP, RembugContext, remember_sender
from bot.errors import handle_error
from bot.fitting_bot import FittingBot
from bot.form_dialog import FormDialog
from bot.forms import load_forms
from bot.inbox import Inbox
from bot.menu import Menu
from bot.outbox import Outbox
from bot.rate_limits import RembugRateLimiter, SendBudget
from bot.reminders import ReminderEngine
from bot.services import RembugApplication, Services
from bot.settings import Settings
from bot.webhook import WebhookServer
from conversations import FLOWS, cluster_map, plans, start, survey
from storage.database import Database
from storage.persistence import SQLitePersistence

_LOGGER = logging.getLogger(__name__)
# Conversations are tracked per person, not per message (a person works in one flow at a
# time, and buttons of older messages are answered as stale), which PTB warns about.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)


def build_application(
    settings: Settings, database: Database, clock: Clock, *, poll_timeout: int = 10
) -> RembugApplication:
    """Wire the bot: Bot API address, persistence, rate limits, context, then every flow."""
    # Every text goes out fitted to Telegram's limits (bot/fitting_bot.py).
    budget = SendBudget()  # Telegram's 30 a second, shared by the replies and the outbox
    bot = FittingBot(
        settings.require_token(),
        base_url=f"{settings.api_url}/bot",
        base_file_url=f"{settings.api_url}/file/bot",
        # How long a request may wait for its answer; one that times out after it went out is
        # "in doubt" (bot/transport.py) and never sent again behind anyone's back.
        request=HTTPXRequest(
            connection_pool_size=256, read_timeout=settings.request_timeout, write_timeout=settings.request_timeout
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=RembugRateLimiter(max_retries=3, budget=budget),
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .updater(None)  # the inbox fetches updates (bot/inbox.py)
        .application_class(RembugApplication)
        .persistence(SQLitePersistence(database))
        .context_types(ContextTypes(context=RembugContext))
        .build()
    )
    assert isinstance(application, RembugApplication)
    application.services = Services(
        db=database,
        clock=clock,
        settings=settings,
        menu=Menu(),
        # A test clock (REMBUG_CLOCK_FILE) can jump, so the reminder engine then looks often.
        reminders=ReminderEngine(application, database, clock, max_sleep=0.5 if settings.clock_file else 60.0),
        outbox=Outbox(application, database, budget=budget),
        forms=FormDialog(),
        inbox=Inbox(
            application,
            database,
            clock,
            poll_timeout=poll_timeout,
            default_language=settings.language,
            flood_limit=settings.flood_limit,
        ),
    )
    retention.register(application)
    dialog = application.services.forms
    application.add_handler(TypeHandler(Update, remember_sender), group=SENDER_GROUP)
    for flow in FLOWS:
        flow.register(application)
    dialog.register(application)  # asks every questionnaire the flows registered
    survey.register_spreadsheets(application)  # after the flows: a file a flow's step waits for is theirs
    start.register_catch_alls(application)  # last: whatever no flow took
    application.add_error_handler(handle_error)
    return application


def built_in_questionnaires() -> FormDialog:
    """The questionnaires the flows ship, without a bot (for ``rembug forms``)."""
    dialog = FormDialog()
    for folder in (survey.FORMS, plans.FORMS, cluster_map.FORMS):
        dialog.add_forms(load_forms(folder))
    return dialog


def make_clock(settings: Settings) -> Clock:
    """The machine's clock, or the test clock file when ``REMBUG_CLOCK_FILE`` is set."""
    return FileClock(settings.clock_file) if settings.clock_file else SystemClock()


async def serve(
    settings: Settings,
    stop: asyncio.Event,
    *,
    clock: Clock | None = None,
    poll_timeout: int = 10,
    on_ready: Callable[[RembugApplication, Inbox], None] | None = None,
    webhook: bool = False,
) -> None:
    """Open the database, start the bot and its inbox, and run until ``stop`` is set.

    With ``webhook`` the inbox takes updates from Telegram's POSTs (``bot/webhook.py``)
    instead of polling getUpdates.
    """
    clock = clock or make_clock(settings)
    database = await Database.open(settings.database)
    try:
        application = build_application(settings, database, clock, poll_timeout=poll_timeout)
        services = application.services
        inbox = services.inbox
        async with application:  # initialize() ... shutdown()
            await publish_commands(application, settings.language)
            await application.start()
            await form_library.load_stored(database, services.forms)  # questionnaires brought in as XLSForm
            await services.forms.start(database)
            await retention.start(application)  # one pass now, then hourly
            await services.reminders.start()
            await services.outbox.start()
            await inbox.start(polling=not webhook)
            receiver = WebhookServer(inbox, settings) if webhook else None
            if receiver:
                await receiver.start()
            mode = "by webhook" if webhook else "by polling"
            _LOGGER.info("@%s is answering (Bot API %s) %s", application.bot.username, settings.api_url, mode)
            if on_ready:
                on_ready(application, inbox)
            await stop.wait()
            if receiver:  # first: what Telegram posts from now on waits for the next start
                await receiver.stop()
            await inbox.stop()
            await services.outbox.stop()
            await application.stop()
    finally:
        await database.close()
