"""The emulator answers Bot API calls over HTTP the way api.telegram.org does."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from emulator import BotApiEmulator
from tests.unit.conftest import TOKEN


@pytest.fixture
async def bot(emu: BotApiEmulator):
    """python-telegram-bot's own Bot, talking to the emulator."""
    async with Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot") as ptb_bot:
        yield ptb_bot


async def raw_call(emu: BotApiEmulator, method: str, token: str = TOKEN, **params) -> tuple[int, dict]:
    """POST a method with aiohttp as JSON; returns (HTTP status, body)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{emu.base_url}/bot{token}/{method}", json=params) as response,
    ):
        return response.status, await response.json()


async def form_call(emu: BotApiEmulator, method: str, **fields: str) -> tuple[int, dict]:
    """POST a method as an urlencoded form, as PTB does; returns (HTTP status, body)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{emu.base_url}/bot{TOKEN}/{method}", data=fields) as response,
    ):
        return response.status, await response.json()


# -- identity, routing ---------------------------------------------------------------


async def test_get_me_returns_the_bot_user(bot: Bot):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (123456, True, "rembug_bot", "Rembug")


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator):
    status, body = await raw_call(emu, "getMe", token="999:WRONG")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_404_and_unemulated_method_is_400(emu: BotApiEmulator):
    status, body = await raw_call(emu, "sendTelepathy", chat_id=1)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await raw_call(emu, "sendDice", chat_id=1)
    assert status == 400
    assert body["description"] == "Bad Request: method not supported by the emulator"
    assert [(c.method, c.error_code) for c in emu.rejections] == [("sendTelepathy", 404), ("sendDice", 400)]


async def test_query_string_requests_work_like_posts(emu: BotApiEmulator):
    alice = emu.user(1001, "Alice")
    async with aiohttp.ClientSession() as session:
        url = f"{emu.base_url}/bot{TOKEN}/sendMessage?chat_id=1001&text=%3Cb%3Ehi%3C/b%3E&parse_mode=HTML"
        async with session.get(url) as response:
            body = await response.json()
    assert body["ok"] and body["result"]["text"] == "hi"
    assert alice.last_text() == "hi"


async def test_method_names_are_case_insensitive(emu: BotApiEmulator):
    status, body = await raw_call(emu, "getme")
    assert status == 200 and body["result"]["username"] == "rembug_bot"
    assert emu.calls[-1].method == "getMe"


# -- updates -------------------------------------------------------------------------------


async def test_long_poll_returns_an_update_that_arrives_while_waiting(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice", language_code="id")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()  # nothing yet: the request is holding
    await alice.send("halo")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates] == ["halo"]
    assert updates[0].message.from_user.language_code == "id"
    assert updates[0].message.chat.id == 1001


async def test_offset_confirms_and_drops_updates(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    for text in ("one", "two", "three"):
        await alice.send(text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["one", "two"]
    assert len(emu.pending_updates()) == 3  # fetched is not confirmed
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["three"]
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert emu.pending_updates() == []
    ids = [u.update_id for u in first + rest]
    assert ids == sorted(ids) and len(set(ids)) == 3


async def test_a_second_poller_ends_the_first_with_409(emu: BotApiEmulator):
    first = asyncio.create_task(raw_call(emu, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    status, body = await raw_call(emu, "getUpdates", timeout=0)
    assert (status, body) == (200, {"ok": True, "result": []})
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409
    assert body["description"] == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    )


async def test_drop_pending_updates(emu: BotApiEmulator, bot: Bot):
    await emu.user(1001, "Alice").send("old news")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates() == []


# -- sending and formatting -----------------------------------------------------------------


async def test_send_message_to_a_started_user_appears_in_their_chat(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Selamat datang")
    assert sent.from_user.id == emu.bot_id and sent.chat.id == 1001
    assert [(m.message_id, m.from_bot, m.text) for m in alice.messages] == [(sent.message_id, True, "Selamat datang")]
    assert alice.last_text() == "Selamat datang"
    assert emu.sent_to(1001) == alice.bot_messages


async def test_html_is_parsed_to_plain_text_and_entities(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "<b>Rapat</b> 😀 <i>besok</i> &lt;09:00&gt;", parse_mode="HTML")
    assert sent.text == "Rapat 😀 besok <09:00>"
    # The emoji is two UTF-16 code units, so "besok" starts at 9, not 8.
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 5), ("italic", 9, 5)]
    assert alice.last().html == "<b>Rapat</b> 😀 <i>besok</i> &lt;09:00&gt;"
    assert alice.last_text() == "Rapat 😀 besok <09:00>"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("Tom & Jerry", "at byte offset 4"),
    ],
)
async def test_malformed_html_is_rejected(emu: BotApiEmulator, bot: Bot, html: str, reason: str):
    alice = emu.user(1001, "Alice")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(1001, html, parse_mode="HTML")
    description = emu.rejections[-1].description  # PTB rewords the first letter; the emulator's text is exact
    assert description.startswith("Bad Request: can't parse entities: ")
    assert reason in description
    assert alice.messages == []


async def test_text_limit_is_4096_utf16_units_after_parsing(emu: BotApiEmulator, bot: Bot):
    emu.user(1001, "Alice")
    await bot.send_message(1001, "a" * 4096)
    await bot.send_message(1001, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")  # tags don't count
    await bot.send_message(1001, "😀" * 2048)
    for too_long in ("a" * 4097, "😀" * 2048 + "a"):
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(1001, too_long)


async def test_empty_text_is_rejected(emu: BotApiEmulator, bot: Bot):
    emu.user(1001, "Alice")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(1001, "<b></b>", parse_mode="HTML")


async def test_caption_limit_is_1024(emu: BotApiEmulator, bot: Bot):
    emu.user(1001, "Alice")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(1001, b"\x89PNG", caption="c" * 1025)


# -- validation against the spec --------------------------------------------------------------


async def test_callback_data_is_limited_to_64_bytes_not_characters(emu: BotApiEmulator, bot: Bot):
    emu.user(1001, "Alice")

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Pilih", callback_data=data)]])

    await bot.send_message(1001, "ok", reply_markup=keyboard("x" * 64))
    await bot.send_message(1001, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    for too_long in ("x" * 65, "é" * 33):  # 33 characters are 66 bytes
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(1001, "no", reply_markup=keyboard(too_long))
    assert emu.rejections[-1].description == "Bad Request: BUTTON_DATA_INVALID"


async def test_missing_required_fields_use_telegrams_words(emu: BotApiEmulator):
    emu.user(1001, "Alice")
    status, body = await raw_call(emu, "sendMessage", chat_id=1001)
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await raw_call(emu, "sendMessage", text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")
    status, body = await raw_call(emu, "answerCallbackQuery")
    assert status == 400


async def test_wrong_types_are_rejected(emu: BotApiEmulator):
    emu.user(1001, "Alice")
    status, body = await form_call(emu, "deleteMessage", chat_id="1001", message_id="abc")
    assert (status, body["description"]) == (400, 'Bad Request: field "message_id" must be of type Integer')
    status, body = await form_call(emu, "sendMessage", chat_id="1001", text="hi", reply_markup="{not json")
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"
    status, body = await form_call(emu, "sendMessage", chat_id="abc", text="hi")
    assert body["description"] == "Bad Request: chat not found"  # a String chat_id is a username
    status, body = await raw_call(emu, "sendMessage", chat_id=1001, text="hi", disable_notification="maybe")
    assert body["description"] == 'Bad Request: field "disable_notification" must be of type Boolean'


async def test_form_values_are_decoded_like_telegram_does(emu: BotApiEmulator):
    alice = emu.user(1001, "Alice")
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    status, _body = await form_call(emu, "sendMessage", chat_id="1001", text="123", reply_markup=markup)
    assert status == 200
    assert alice.last().text == "123"  # a String field stays a string
    assert alice.last().buttons == [["A"]]
    assert emu.calls[-1].params["chat_id"] == 1001


async def test_inline_buttons_need_exactly_one_action(emu: BotApiEmulator):
    emu.user(1001, "Alice")
    no_action = {"inline_keyboard": [[{"text": "Nothing"}]]}
    status, body = await raw_call(emu, "sendMessage", chat_id=1001, text="x", reply_markup=no_action)
    assert status == 400 and "Text buttons are unallowed in the inline keyboard" in body["description"]
    two = {"inline_keyboard": [[{"text": "Both", "callback_data": "a", "url": "https://example.com"}]]}
    status, body = await raw_call(emu, "sendMessage", chat_id=1001, text="x", reply_markup=two)
    assert status == 400 and "can't parse inline keyboard button" in body["description"]


# -- edits, deletes, callbacks ---------------------------------------------------------------


async def test_edit_changes_what_the_user_sees_and_identical_edit_is_refused(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Draf")
    edited = await bot.edit_message_text("Final", chat_id=1001, message_id=sent.message_id)
    assert edited.text == "Final" and edited.edit_date is not None
    assert alice.last().text == "Final" and alice.last().edited
    with pytest.raises(BadRequest, match="Message is not modified: specified new message content"):
        await bot.edit_message_text("Final", chat_id=1001, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=1001, message_id=9999)


async def test_edit_without_markup_drops_the_inline_keyboard(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]])
    sent = await bot.send_message(1001, "Lanjut?", reply_markup=keyboard)
    await bot.edit_message_reply_markup(chat_id=1001, message_id=sent.message_id, reply_markup=None)
    assert alice.last().buttons == [] and alice.last().text == "Lanjut?"


async def test_delete_removes_the_message(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "sementara")
    assert await bot.delete_message(1001, sent.message_id)
    assert alice.messages == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, sent.message_id)


async def test_a_callback_query_can_be_answered_once(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]])
    sent = await bot.send_message(1001, "?", reply_markup=keyboard)
    query = await alice.tap("Ya")
    assert query["message"]["message_id"] == sent.message_id
    assert await bot.answer_callback_query(query["id"], "Tersimpan", show_alert=True)
    assert alice.callback_answers == [("Tersimpan", True)]
    for query_id in (query["id"], "no-such-query"):
        with pytest.raises(BadRequest, match="Query is too old and response timeout expired or query id is invalid"):
            await bot.answer_callback_query(query_id)


# -- who the bot may write to ---------------------------------------------------------------------


async def test_blocked_never_started_and_unknown_chats_are_refused(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    emu.user(1002, "Bima", started=False)
    alice.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "hi")
    alice.unblock()
    await bot.send_message(1001, "hi again")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(1002, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(5555, "hi")
    assert [c.error_code for c in emu.rejections] == [403, 403, 400]
    assert [m.text for m in alice.messages] == ["hi again"]


async def test_a_user_who_writes_has_started_the_bot(emu: BotApiEmulator, bot: Bot):
    bima = emu.user(1002, "Bima", started=False)
    await bima.send("/start")
    await bot.send_message(1002, "Halo Bima")
    assert bima.last_text() == "Halo Bima"


async def test_group_messages_and_rights(emu: BotApiEmulator, bot: Bot):
    group = emu.group(-100123, "Klaster Batik", bot_is_admin=True, can_post=True)
    alice = emu.user(1001, "Alice")
    group.add_member(alice, "creator")
    await group.send(alice, "rapat jam 9")
    updates = await bot.get_updates()
    assert updates[-1].message.chat.type == "supergroup" and updates[-1].message.from_user.id == 1001
    await bot.send_message(-100123, "Dicatat")
    assert [m.text for m in group.messages] == ["rapat jam 9", "Dicatat"]
    member = await bot.get_chat_member(-100123, emu.bot_id)
    assert member.status == "administrator"
    assert {m.user.id for m in await bot.get_chat_administrators(-100123)} == {1001, emu.bot_id}
    chat = await bot.get_chat(-100123)
    assert chat.title == "Klaster Batik"
    assert await bot.leave_chat(-100123)
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await bot.send_message(-100123, "still here?")


async def test_channel_posting_needs_the_post_messages_right(emu: BotApiEmulator, bot: Bot):
    channel = emu.channel(-1001234, "Kabar Sentra", can_post=True)
    await bot.send_message(-1001234, "Buletin edisi 1")
    assert channel.last_text() == "Buletin edisi 1"
    member = await bot.get_chat_member(-1001234, emu.bot_id)
    assert member.status == "administrator" and member.can_post_messages
    assert (await bot.get_chat(-1001234)).type == "channel"
    channel.can_post = False
    assert not (await bot.get_chat_member(-1001234, emu.bot_id)).can_post_messages
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights in the channel chat"):
        await bot.send_message(-1001234, "Buletin edisi 2")
    channel.bot_is_admin = False
    assert (await bot.get_chat_member(-1001234, emu.bot_id)).status == "left"
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await bot.send_message(-1001234, "Buletin edisi 2")


async def test_a_group_that_muted_the_bot_shows_it_restricted(emu: BotApiEmulator, bot: Bot):
    emu.group(-100555, "Grup Sentra", can_post=False)
    member = await bot.get_chat_member(-100555, emu.bot_id)
    assert member.status == "restricted" and not member.can_send_messages


async def test_a_user_shares_a_chat_through_a_request_chat_button(emu: BotApiEmulator, bot: Bot):
    from telegram import KeyboardButton, KeyboardButtonRequestChat, ReplyKeyboardMarkup

    ratna = emu.user(1001, "Ratna")
    channel = emu.channel(-1009876, "Kabar Sentra")
    group = emu.group(-100555, "Grup Sentra")
    picker = KeyboardButton(
        "Pilih saluran", request_chat=KeyboardButtonRequestChat(7, chat_is_channel=True, request_title=True)
    )
    await bot.send_message(1001, "Pilih", reply_markup=ReplyKeyboardMarkup([[picker]]))
    with pytest.raises(ValueError):
        await ratna.share_chat("Pilih saluran", group)  # the picker offers channels only
    await ratna.share_chat("Pilih saluran", channel)
    shared = (await bot.get_updates())[-1].message.chat_shared
    assert (shared.request_id, shared.chat_id, shared.title) == (7, -1009876, "Kabar Sentra")


# -- commands and settings ------------------------------------------------------------------------


async def test_commands_are_kept_per_scope_and_language(emu: BotApiEmulator, bot: Bot):
    from telegram import BotCommand, BotCommandScopeChat

    await bot.set_my_commands([BotCommand("start", "Mulai")], language_code="id")
    await bot.set_my_commands([BotCommand("start", "Start")], scope=BotCommandScopeChat(1001))
    assert emu.commands[("default", "id")] == [{"command": "start", "description": "Mulai"}]
    assert emu.commands[("chat:1001", "")] == [{"command": "start", "description": "Start"}]
    assert [c.command for c in await bot.get_my_commands(language_code="id")] == ["start"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start!", "x")])
    await bot.delete_my_commands(language_code="id")
    assert ("default", "id") not in emu.commands
    assert await bot.set_my_description("Asisten klaster")
    assert await bot.set_chat_menu_button()


async def test_taking_the_bots_rights_sends_it_a_my_chat_member_update(emu: BotApiEmulator, bot: Bot):
    ratna = emu.user(1001, "Ratna")
    channel = emu.channel(-1001234, "Kabar Sentra")
    channel.change_bot_rights(ratna, can_post=False)
    change = (await bot.get_updates())[-1].my_chat_member
    assert change.from_user.id == 1001 and change.chat.type == "channel"
    assert change.old_chat_member.can_post_messages and not change.new_chat_member.can_post_messages


# -- webhook delivery -----------------------------------------------------------------------


async def test_a_webhook_gets_each_update_in_order_with_the_secret_and_retries_until_accepted(emu: BotApiEmulator):
    from aiohttp import web

    received: list[tuple[int, str | None]] = []
    refuse = {"left": 2}

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        received.append((update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        if refuse["left"]:
            refuse["left"] -= 1
            return web.Response(status=500)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        status, body = await raw_call(emu, "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="abc_1")
        assert (status, body) == (200, {"ok": True, "result": True})
        alice = emu.user(1001, "Alice")
        await alice.send("one")
        await alice.send("two")
        for _ in range(100):
            if len(received) >= 4:
                break
            await asyncio.sleep(0.05)
        ids = [update_id for update_id, _ in received]
        assert ids[:3] == [ids[0]] * 3 and ids[3] == ids[0] + 1  # refused twice, then the next one
        assert {secret for _, secret in received} == {"abc_1"}
        status, body = await raw_call(emu, "getWebhookInfo")
        assert body["result"]["url"] == f"http://127.0.0.1:{port}/hook"
        assert body["result"]["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
        status, body = await raw_call(emu, "getUpdates")
        assert status == 409
        assert body["description"] == (
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
        )
        assert (await raw_call(emu, "deleteWebhook"))[0] == 200
        assert (await raw_call(emu, "getUpdates"))[0] == 200
    finally:
        await runner.cleanup()


async def test_set_webhook_refuses_what_telegram_refuses(emu: BotApiEmulator):
    status, body = await raw_call(emu, "setWebhook", url="http://example.org/hook")
    assert (status, body["description"]) == (400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    status, body = await raw_call(emu, "setWebhook", url="https://example.org/hook", secret_token="no spaces")
    assert (status, body["description"]) == (400, "Bad Request: secret token contains unallowed characters")
