"""Clusters, joining, profiles, small groups, roles and the member directory."""

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import RembugContext
from bot.menu import N_, MenuEntry
from bot.roles import Action
from bot.services import RembugApplication
from conversations.membership import appointments, directory, groups, invites, joining, new_cluster, profile
from conversations.membership.rules import (
    Appoint,
    MemberAction,
    PickAppointee,
    SwitchCluster,
    member_button_data,
    member_pattern,
)

MENU = (
    MenuEntry(
        "profile",
        N_("My profile"),
        N_("see or change your profile, or leave the cluster."),
        member_button_data(MemberAction.PROFILE),
        action=Action.EDIT_OWN_PROFILE,
        order=20,
    ),
    MenuEntry(
        "invite",
        N_("Invite members"),
        N_("the invitation link, its QR code to print, and a new link."),
        member_button_data(MemberAction.INVITE),
        action=Action.SHOW_INVITE,
        order=30,
    ),
    MenuEntry(
        "roles",
        N_("Roles"),
        N_("appoint facilitators and the secretary, or hand over."),
        member_button_data(MemberAction.ROLES),
        action=Action.APPOINT_ROLES,
        order=40,
    ),
    MenuEntry(
        "join",
        N_("Join a cluster"),
        N_("join with the invitation code from your facilitator."),
        member_button_data(MemberAction.JOIN),
        order=75,
    ),
    MenuEntry(
        "newcluster",
        N_("New cluster"),
        N_("create a cluster; you become its facilitator."),
        member_button_data(MemberAction.NEW_CLUSTER),
        action=Action.CREATE_CLUSTER,
        order=80,
    ),
    MenuEntry(
        "clusters",
        N_("Switch cluster"),
        N_("work in another of your clusters."),
        member_button_data(MemberAction.CLUSTERS),
        action=Action.EDIT_OWN_PROFILE,
        order=85,
    ),
)


def register(application: RembugApplication) -> None:
    """Add the membership flows and their menu entries."""
    for entry in MENU:
        application.services.menu.add(entry)
    application.add_handler(new_cluster.conversation())
    application.add_handler(joining.conversation())
    private = filters.ChatType.PRIVATE
    buttons: dict[MemberAction | type, Callable[[Update, RembugContext], Coroutine[Any, Any, None]]] = {
        MemberAction.PROFILE: profile.show_profile,
        MemberAction.LEAVE: profile.ask_leave,
        MemberAction.LEAVE_CONFIRMED: profile.leave,
        MemberAction.PHONE_AGREE: profile.agree_phone,
        MemberAction.PHONE_WITHDRAW: profile.withdraw_phone,
        MemberAction.CLUSTERS: profile.list_clusters,
        SwitchCluster: profile.switch_cluster,
        MemberAction.INVITE: invites.show_invitation,
        MemberAction.QR_CODE: invites.send_qr,
        MemberAction.ROTATE: invites.ask_rotate,
        MemberAction.ROTATE_CONFIRMED: invites.rotate,
        MemberAction.ROLES: appointments.show_roles,
        PickAppointee: appointments.pick,
        Appoint: appointments.appoint,
    }
    application.add_handler(CommandHandler("profile", profile.show_profile, filters=private))
    application.add_handler(CommandHandler("cluster", profile.list_clusters, filters=private))
    for kind, callback in buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=member_pattern(kind)))
    groups.register(application)
    directory.register(application)


__all__ = ["register"]
