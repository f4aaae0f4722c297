"""Clusters, joining, profiles, small groups, roles and the member directory."""

from telegram.ext import Application

from bot.buttons import callback_data
from bot.menu import MenuEntry, N_
from bot.roles import Action
from conversations.membership import new_cluster
from conversations.membership.rules import PREFIX


def register(application: Application) -> None:
    """Add the membership flows and their menu entries."""
    application.bot_data["menu"].add(
        MenuEntry(
            "newcluster",
            N_("New cluster"),
            N_("create a cluster; you become its facilitator."),
            callback_data(PREFIX, "new"),
            action=Action.CREATE_CLUSTER,
            order=80,
        )
    )
    application.add_handler(new_cluster.conversation())


__all__ = ["register"]
