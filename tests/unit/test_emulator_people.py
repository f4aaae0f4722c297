"""Simulated users act like people in Telegram, and the bot sees valid updates."""

from __future__ import annotations

import asyncio
import struct

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from emulator import BotApiEmulator
from tests.unit.conftest import TOKEN

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 3, 2) + b"\x08\x02\x00\x00\x00rest"


@pytest.fixture
async def bot(emu: BotApiEmulator):
    """python-telegram-bot's own Bot, talking to the emulator."""
    async with Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot") as ptb_bot:
        yield ptb_bot


def inline(*labels_and_data: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in labels_and_data]])


async def only_update(bot: Bot) -> Update:
    """Fetch and confirm exactly one update."""
    updates = await bot.get_updates(timeout=2)
    assert len(updates) == 1, updates
    await bot.get_updates(offset=updates[0].update_id + 1)
    return updates[0]


# -- what users send ------------------------------------------------------------------------------


async def test_commands_carry_a_bot_command_entity(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    await alice.send("/start abc")
    update = await only_update(bot)
    assert update.message.text == "/start abc"
    assert [(e.type, e.offset, e.length) for e in update.message.entities] == [("bot_command", 0, 6)]
    await alice.send("/menu@rembug_bot")
    assert (await only_update(bot)).message.entities[0].length == len("/menu@rembug_bot")
    await alice.send("just words")
    assert (await only_update(bot)).message.entities == ()


async def test_open_link_is_start_with_a_parameter(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice", started=False)
    await alice.open_link("https://t.me/rembug_bot?start=join-42")
    assert (await only_update(bot)).message.text == "/start join-42"
    assert alice.started
    with pytest.raises(ValueError):
        await alice.open_link("https://t.me/other_bot?start=x")


async def test_every_kind_of_user_message_parses_in_ptb(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice", last_name="Wijaya", username="alice_w", language_code="id")
    await alice.share_contact(phone="+628123", own=True)
    await alice.share_contact(phone="+628999", own=False, first_name="Budi")
    await alice.send_location(-7.56, 110.82)
    await alice.send_photo(PNG, caption="produk")
    await alice.send_document(b"%PDF-1.4", "laporan.pdf")
    await alice.send_voice(b"OggS", duration=4)
    await alice.send_sticker()
    updates = await bot.get_updates()
    messages = [u.message for u in updates]
    assert messages[0].contact.user_id == 1001 and messages[0].contact.phone_number == "+628123"
    assert messages[1].contact.user_id != 1001 and messages[1].contact.first_name == "Budi"
    assert (messages[2].location.latitude, messages[2].location.longitude) == (-7.56, 110.82)
    assert (messages[3].photo[-1].width, messages[3].photo[-1].height) == (3, 2) and messages[3].caption == "produk"
    assert (messages[4].document.file_name, messages[4].document.mime_type) == ("laporan.pdf", "application/pdf")
    assert messages[5].voice.file_id and alice.messages[5].raw["voice"]["duration"] == 4
    assert messages[6].sticker is not None
    assert messages[0].from_user.username == "alice_w" and messages[0].from_user.last_name == "Wijaya"
    kinds = ["contact", "contact", "location", "photo", "document", "voice", "sticker"]
    assert [m.kind for m in alice.messages] == kinds


async def test_a_photo_the_user_sent_downloads_with_the_same_bytes(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    await alice.send_photo(PNG)
    photo = (await only_update(bot)).message.photo[-1]
    file = await bot.get_file(photo.file_id)
    assert file.file_path.startswith(f"{emu.base_url}/file/bot{TOKEN}/")
    assert bytes(await file.download_as_bytearray()) == PNG


async def test_bot_uploads_download_again_and_reuse_by_file_id(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    photo_message = await bot.send_photo(1001, PNG, caption="<b>Foto</b>", parse_mode="HTML")
    document_message = await bot.send_document(1001, b"a,b\n1,2\n", filename="data.csv")
    assert photo_message.caption == "Foto"
    assert alice.messages[0].photo == PNG and alice.messages[0].text == "Foto"
    assert alice.messages[1].document == b"a,b\n1,2\n" and alice.messages[1].filename == "data.csv"
    uploads = ((photo_message.photo[-1].file_id, PNG), (document_message.document.file_id, b"a,b\n1,2\n"))
    for file_id, expected in uploads:
        file = await bot.get_file(file_id)
        assert bytes(await file.download_as_bytearray()) == expected
    again = await bot.send_document(1001, document_message.document.file_id)
    assert again.document.file_unique_id == document_message.document.file_unique_id


# -- buttons ---------------------------------------------------------------------------------------


async def test_tap_on_an_inline_button_sends_a_callback_query(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Hadir?", reply_markup=inline(("Ya", "rsvp:yes"), ("Tidak", "rsvp:no")))
    raw = await alice.tap("Tidak")
    assert raw["data"] == "rsvp:no" and raw["chat_instance"]
    update = Update.de_json(emu.pending_updates()[-1], bot)
    query = update.callback_query
    assert (query.data, query.from_user.id, query.message.message_id) == ("rsvp:no", 1001, sent.message_id)
    assert query.message.reply_markup.inline_keyboard[0][1].text == "Tidak"
    await query.answer("Dicatat")
    assert alice.callback_answers == [("Dicatat", False)]


async def test_tap_searches_the_newest_message_first(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    await bot.send_message(1001, "old", reply_markup=inline(("Lanjut", "old")))
    await bot.send_message(1001, "new", reply_markup=inline(("Lanjut", "new")))
    assert (await alice.tap("Lanjut"))["data"] == "new"
    await bot.send_message(1001, "emoji", reply_markup=inline(("📋 Kuesioner", "q")))
    assert (await alice.tap("Kuesioner"))["data"] == "q"  # a unique part of a label is enough


async def test_tap_on_a_missing_button_lists_the_visible_ones(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    await bot.send_message(1001, "Menu", reply_markup=inline(("Bantuan", "help")))
    with pytest.raises(LookupError, match="Bantuan"):
        await alice.tap("Keluar")


async def test_url_buttons_open_start_links_or_return_the_url(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Gabung", url="https://t.me/rembug_bot?start=c7")],
         [InlineKeyboardButton("Situs", url="https://example.org/info")]]
    )  # fmt: skip
    await bot.send_message(1001, "Links", reply_markup=markup)
    assert await alice.tap("Situs") == "https://example.org/info"
    await alice.tap("Gabung")
    assert (await only_update(bot)).message.text == "/start c7"


async def test_tap_data_sends_forged_data_on_any_message(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "x", reply_markup=inline(("A", "a")))
    await alice.tap_data(sent.message_id, "forged:1")
    assert (await only_update(bot)).callback_query.data == "forged:1"


async def test_reply_keyboard_text_and_contact_buttons(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice", phone="+6281111")
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Bagikan nomor", request_contact=True)], ["Lewati"]], one_time_keyboard=True
    )
    await bot.send_message(1001, "Nomor Anda?", reply_markup=keyboard)
    assert alice.reply_keyboard["keyboard"][1][0]["text"] == "Lewati"
    assert alice.last().buttons == []  # a reply keyboard is not part of the message
    await alice.tap("Bagikan nomor")
    contact = (await only_update(bot)).message.contact
    assert (contact.phone_number, contact.user_id) == ("+6281111", 1001)
    assert alice.reply_keyboard is None  # one-time keyboards hide after use
    with pytest.raises(LookupError):
        await alice.tap("Lewati")
    await bot.send_message(1001, "Lagi", reply_markup=ReplyKeyboardMarkup([["Lewati"]]))
    await alice.tap("Lewati")
    assert (await only_update(bot)).message.text == "Lewati"
    assert alice.reply_keyboard is not None
    await bot.send_message(1001, "Selesai", reply_markup=ReplyKeyboardRemove())
    assert alice.reply_keyboard is None


# -- waiting for the bot ------------------------------------------------------------------------


async def echo_once(bot: Bot, delay: float) -> None:
    """A minimal bot: answer the next message after `delay` seconds."""
    update = (await bot.get_updates(timeout=5))[0]
    await bot.get_updates(offset=update.update_id + 1)
    await asyncio.sleep(delay)
    await bot.send_message(update.message.chat.id, f"echo: {update.message.text}")


async def test_wait_reply_returns_after_the_bots_reply(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    echo = asyncio.create_task(echo_once(bot, delay=0.2))
    reply = await alice.ask("halo", timeout=5)
    assert reply is not None and reply.text == "echo: halo" and reply.from_bot
    await echo


async def test_wait_reply_times_out_when_the_bot_is_silent(emu: BotApiEmulator):
    alice = emu.user(1001, "Alice")
    await alice.send("anyone?")
    with pytest.raises(TimeoutError):
        await alice.wait_reply(timeout=0.2)


async def test_wait_reply_sees_edits_and_callback_answers(emu: BotApiEmulator, bot: Bot):
    alice = emu.user(1001, "Alice")
    sent = await bot.send_message(1001, "Pilih", reply_markup=inline(("A", "a")))
    query = await alice.tap("A")

    async def answer_later() -> None:
        await asyncio.sleep(0.1)
        await bot.answer_callback_query(query["id"])
        await bot.edit_message_text("Dipilih: A", chat_id=1001, message_id=sent.message_id)

    task = asyncio.create_task(answer_later())
    reply = await alice.wait_reply(timeout=5)
    await task
    assert reply.text == "Dipilih: A" and reply.edited  # settled until the edit too


# -- a real PTB Application ---------------------------------------------------------------------


async def test_a_ptb_application_runs_against_the_emulator(emu: BotApiEmulator):
    async def start(update: Update, context) -> None:
        await update.message.reply_html("<b>Menu</b>", reply_markup=inline(("Rapat", "m:1")))

    async def choose(update: Update, context) -> None:
        await update.callback_query.answer("OK")
        await update.callback_query.edit_message_text(f"Pilihan: {update.callback_query.data}")

    application = (
        Application.builder().token(TOKEN)
        .base_url(f"{emu.base_url}/bot").base_file_url(f"{emu.base_url}/file/bot")
        .build()
    )  # fmt: skip
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(choose))
    alice = emu.user(1001, "Alice", language_code="id")
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=2)
        try:
            menu = await alice.ask("/start", timeout=5)
            assert (menu.text, menu.buttons) == ("Menu", [["Rapat"]])
            reply = await alice.press("Rapat", timeout=5)
            assert reply.text == "Pilihan: m:1"
            assert alice.callback_answers == [("OK", False)]
        finally:
            await application.updater.stop()
            await application.stop()
    assert emu.rejections == []
