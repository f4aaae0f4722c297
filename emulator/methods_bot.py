"""Bot API methods about the bot itself, its updates, commands and chats."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from emulator.errors import ApiError, bad_request
from emulator.methods_messages import Handler
from emulator.webhook import WebhookConfig
from emulator.world import World, copy_json

if TYPE_CHECKING:
    from emulator.people import Group

_WEBHOOK_URL = re.compile(r"^(https://[^\s/]+|http://(127\.0\.0\.1|localhost)(:\d+)?)(/\S*)?$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages",
)  # fmt: skip

_MEMBER_PERMISSIONS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
    "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
    "can_add_web_page_previews", "can_react_to_messages", "can_edit_tag", "can_change_info", "can_invite_users",
    "can_pin_messages", "can_manage_topics",
)  # fmt: skip


async def get_me(world: World, params: dict[str, Any]) -> Any:
    """getMe."""
    return {
        **world.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def ok(world: World, params: dict[str, Any]) -> Any:
    """Methods that only acknowledge (logOut, close, setChatMenuButton without a button...)."""
    return True


async def get_updates(world: World, params: dict[str, Any]) -> Any:
    """getUpdates with long polling."""
    return copy_json(
        await world.updates.get(
            offset=params.get("offset"),
            limit=params.get("limit") or 100,
            timeout=params.get("timeout") or 0,
            allowed_updates=params.get("allowed_updates"),
        )
    )


async def set_webhook(world: World, params: dict[str, Any]) -> Any:
    """setWebhook: deliver updates by POST to ``url`` (an empty url removes the webhook)."""
    url = params.get("url") or ""
    if params.get("drop_pending_updates"):
        world.updates.drop_all()
    if not url:
        await world.delete_webhook()
        return True
    # Telegram wants HTTPS; plain HTTP is accepted on this machine only, for a bot under test.
    if not _WEBHOOK_URL.match(url):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    connections = params.get("max_connections") or 40
    if not 1 <= connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = params.get("allowed_updates")
    await world.set_webhook(WebhookConfig(url, secret, connections, list(allowed) if allowed is not None else None))
    return True


async def delete_webhook(world: World, params: dict[str, Any]) -> Any:
    """deleteWebhook: back to getUpdates; may drop pending updates."""
    await world.delete_webhook()
    if params.get("drop_pending_updates"):
        world.updates.drop_all()
    return True


async def get_webhook_info(world: World, params: dict[str, Any]) -> Any:
    """getWebhookInfo: the webhook (an empty url when polling) and how many updates wait."""
    pending = len(world.updates.pending())
    if world.webhook is not None:
        return world.webhook.info(pending)
    return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """(scope type, language code); chat scopes carry their ids, e.g. "chat:1001"."""
    scope = params.get("scope") or {"type": "default"}
    scope_type = scope.get("type", "default")
    if "chat_id" in scope:
        scope_type += f":{scope['chat_id']}"
    if "user_id" in scope:
        scope_type += f":{scope['user_id']}"
    return scope_type, params.get("language_code") or ""


async def set_my_commands(world: World, params: dict[str, Any]) -> Any:
    """setMyCommands, kept in world.commands[(scope_type, language_code)]."""
    commands = params["commands"]
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not _COMMAND.match(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"]) <= 256:
            raise bad_request("command description must be non-empty")
    key = _commands_key(params)
    if commands:
        world.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
    else:
        world.commands.pop(key, None)
    return True


async def get_my_commands(world: World, params: dict[str, Any]) -> Any:
    """getMyCommands."""
    return copy_json(world.commands.get(_commands_key(params), []))


async def delete_my_commands(world: World, params: dict[str, Any]) -> Any:
    """deleteMyCommands."""
    world.commands.pop(_commands_key(params), None)
    return True


def _setting(name: str, limit: int) -> Handler:
    async def set_text(world: World, params: dict[str, Any]) -> Any:
        text = params.get(name) or ""
        if len(text) > limit:
            raise bad_request(f"{name} is too long")
        world.settings[(name, params.get("language_code") or "")] = text
        return True

    set_text.__doc__ = f"Store the bot's {name} per language."
    return set_text


def _get_setting(name: str) -> Handler:
    async def get_text(world: World, params: dict[str, Any]) -> Any:
        return {name: world.settings.get((name, params.get("language_code") or ""), "")}

    get_text.__doc__ = f"The bot's {name} for a language."
    return get_text


async def set_chat_menu_button(world: World, params: dict[str, Any]) -> Any:
    """setChatMenuButton."""
    world.settings[("menu_button", params.get("chat_id"))] = params.get("menu_button") or {"type": "default"}
    return True


async def get_chat_menu_button(world: World, params: dict[str, Any]) -> Any:
    """getChatMenuButton."""
    return world.settings.get(("menu_button", params.get("chat_id")), {"type": "default"})


async def get_chat(world: World, params: dict[str, Any]) -> Any:
    """getChat: the ChatFullInfo of a private chat or group."""
    chat = world.resolve_chat(params["chat_id"])
    return {**chat.chat_object(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": _NO_GIFTS}


def _member(world: World, user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object of the given status."""
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False}, **dict.fromkeys(_ADMIN_RIGHTS, True))
    return member


def _user_object(world: World, user_id: int) -> dict[str, Any]:
    if user_id == world.bot_id:
        return world.bot_user()
    user = world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return user.as_user()


async def get_chat_member(world: World, params: dict[str, Any]) -> Any:
    """getChatMember."""
    chat = world.resolve_chat(params["chat_id"])
    user_id = params["user_id"]
    user = _user_object(world, user_id)
    group = world.groups.get(chat.id)
    if group is None:
        in_chat = user_id in (chat.id, world.bot_id)
        return _member(world, user, "member" if in_chat else "left")
    if user_id == world.bot_id:
        return bot_membership(world, group)
    return _member(world, user, group.members.get(user_id, "left"))


def bot_membership(world: World, group: Group) -> dict[str, Any]:
    """The bot's own ChatMember object in a group or channel, as its rights stand now."""
    user = world.bot_user()
    status = "left" if not group.bot_member else "administrator" if group.bot_is_admin else "member"
    if group.is_channel and status == "member":
        status = "left"  # a bot is in a channel only as an administrator
    member = _member(world, user, status)
    if group.is_channel and status == "administrator":
        member.update(can_post_messages=group.can_post, can_edit_messages=group.can_post)
    elif status == "member" and not group.can_post:
        member = {
            "user": user,
            "status": "restricted",
            "is_member": True,
            "until_date": 0,
            **dict.fromkeys(_MEMBER_PERMISSIONS, True),
            "can_send_messages": False,
        }
    return member


async def get_chat_administrators(world: World, params: dict[str, Any]) -> Any:
    """getChatAdministrators."""
    chat = world.resolve_chat(params["chat_id"])
    group = world.groups.get(chat.id)
    if group is None:
        raise bad_request("there are no administrators in the private chat")
    admins = [
        _member(world, _user_object(world, uid), status)
        for uid, status in group.members.items()
        if status in ("creator", "administrator")
    ]
    if group.bot_member and group.bot_is_admin:
        admins.append(_member(world, world.bot_user(), "administrator"))
    return admins


async def get_chat_member_count(world: World, params: dict[str, Any]) -> Any:
    """getChatMemberCount."""
    chat = world.resolve_chat(params["chat_id"])
    group = world.groups.get(chat.id)
    if group is None:
        return 2
    return len(group.members) + (1 if group.bot_member else 0)


async def leave_chat(world: World, params: dict[str, Any]) -> Any:
    """leaveChat: the bot leaves a group."""
    chat = world.resolve_chat(params["chat_id"])
    group = world.groups.get(chat.id)
    if group is None:
        raise bad_request("chat member status can't be changed in private chats")
    if not group.bot_member:
        raise ApiError(403, f"Forbidden: bot is not a member of the {group.chat_type} chat")
    group.bot_member = False
    return True


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": ok,
    "close": ok,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _setting("description", 512),
    "getMyDescription": _get_setting("description"),
    "setMyShortDescription": _setting("short_description", 120),
    "getMyShortDescription": _get_setting("short_description"),
    "setMyName": _setting("name", 64),
    "getMyName": _get_setting("name"),
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getChatMemberCount": get_chat_member_count,
    "leaveChat": leave_chat,
}
