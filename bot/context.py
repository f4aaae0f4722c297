"""The callback context every handler receives, and the one place the sender is resolved.

``remember_sender`` runs first for every update (handler group ``SENDER_GROUP``):
it stores the sender's Telegram profile and resolves their language once, so
handlers read ``context.lang`` and ``context.user`` instead of re-doing it.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import pick_language, translator
from bot.roles import Role, Standing, standing_in_cluster
from storage import committees, memberships, users

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services import RembugApplication, Services
    from bot.settings import Settings
    from storage.database import Database

SENDER_GROUP = -100


class RembugContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB's context plus the database, the clock, the settings and the sender's language."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.sender: users.User | None = None  # None for updates nobody sent (a channel post)
        self._standing: Standing | None = None
        self._lang: str | None = None

    @property
    def user(self) -> users.User:
        """The person who sent the update (stored by ``remember_sender`` before any handler runs)."""
        if self.sender is None:
            raise RuntimeError("this update has no sender: its handler must not ask for one")
        return self.sender

    @property
    def services(self) -> Services:
        """The database, clock, settings and engines (``bot.services``)."""
        return self.app.services

    @property
    def app(self) -> RembugApplication:
        """The application as Rembug builds it (PTB types ``context.application`` without its services)."""
        return cast("RembugApplication", self.application)

    @property
    def db(self) -> Database:
        """The process's database."""
        return self.services.db

    @property
    def clock(self) -> Clock:
        """Where handlers read the time."""
        return self.services.clock

    @property
    def settings(self) -> Settings:
        """The bot's settings."""
        return self.services.settings

    @property
    def lang(self) -> str:
        """The sender's language (their choice, else Telegram's, else the default)."""
        if self._lang is None:
            saved = self.sender.language if self.sender else None
            telegram = self.sender.telegram_language if self.sender else None
            self._lang = pick_language(saved, telegram, self.settings.language)
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = value

    def gettext(self, message: str) -> str:
        """Translate ``message`` into the sender's language."""
        return translator(self.lang).gettext(message)

    @property
    def standing(self) -> Standing:
        """The sender's roles where they stand now (resolved once per update)."""
        if self._standing is None:
            user_id = self.sender.id if self.sender else 0
            self._standing = Standing(user_id=user_id, is_admin=user_id in self.settings.admin_ids)
        return self._standing

    @standing.setter
    def standing(self, value: Standing) -> None:
        self._standing = value


async def remember_sender(update: Update, context: RembugContext) -> None:
    """Store the sender's profile and resolve their roles.

    A new or changed profile is committed before anything answers them; for a
    known sender only "last seen" moves, written with the update's first commit
    (``Database.defer``).
    """
    sender = update.effective_user
    if sender is None or sender.is_bot:
        return
    now = context.clock.now()
    profile = (sender.first_name, sender.last_name, sender.username, sender.language_code)
    async with context.db.read() as conn:
        known = await users.get_user(conn, sender.id)
    if known is not None and users.same_profile(known, *profile):
        context.sender = replace(known, last_seen=now)
        await context.db.defer(functools.partial(users.touch_user, user_id=sender.id, now=now))
    else:
        async with context.db.transaction() as tx:
            context.sender = await users.remember_user(tx, sender.id, *profile, now)
    await refresh_standing(context)


async def refresh_standing(context: RembugContext) -> Standing:
    """Load the sender's roles in their current cluster (again, after a flow changed them)."""
    user_id = context.user.id
    async with context.db.read() as conn:
        place = await memberships.roles_in_current_cluster(conn, user_id)
        committee_roles = {role for _committee, role in await committees.committees_of(conn, user_id)}
    is_admin = user_id in context.settings.admin_ids
    if place is None:
        standing = standing_in_cluster(user_id, is_admin)
    else:
        standing = standing_in_cluster(
            user_id,
            is_admin,
            place.cluster_id,
            place.cluster_name,
            is_facilitator=place.is_facilitator,
            is_secretary=place.is_secretary,
            led_group_ids=place.led_group_ids,
            board_positions=place.board_positions,
        )
    # Someone in a committee sees its menu entry; each committee's own buttons check the role
    # held in that committee (bot.roles.standing_in_committee).
    extra = {Role.COMMITTEE_MEMBER} if committee_roles else set()
    context.standing = replace(standing, cluster_roles=standing.cluster_roles | extra)
    return context.standing
