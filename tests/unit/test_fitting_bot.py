"""The bot the flows send through splits what would not fit, so Telegram (the emulator) takes every call."""

from __future__ import annotations

import io
import logging

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Defaults

from bot.fitting_bot import FittingBot
from emulator import BotApiEmulator
from tests.unit.conftest import TOKEN

ROWS = "\n".join(f"• <b>Anggota {n}</b> &amp; keluarga 🎉" for n in range(400))  # ~12,000 characters
BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("Menu", callback_data="menu1:show")]])
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
async def bot(emu: BotApiEmulator):
    """The fitting bot with the application's defaults (HTML); Telegram must take every call it makes."""
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
    async with FittingBot(
        TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot", defaults=defaults
    ) as fitting:
        yield fitting
    assert not emu.rejections, [(c.method, c.description) for c in emu.rejections]


async def test_a_long_text_arrives_as_several_messages_with_the_buttons_under_the_last(emu, bot, caplog):
    person = emu.user(501, "Ratna")
    caplog.set_level(logging.INFO, logger="bot.fitting_bot")
    last = await bot.send_message(501, "<b>Daftar</b>\n" + ROWS, reply_markup=BUTTONS)
    texts = [m.text for m in person.bot_messages]
    assert len(texts) == 3 and texts[0].startswith("Daftar\n• Anggota 0 & keluarga")
    assert texts[-1].endswith("• Anggota 399 & keluarga 🎉")
    assert [bool(m.buttons) for m in person.bot_messages] == [False, False, True]
    assert last.message_id == person.bot_messages[-1].message_id
    assert "went as 3 parts" in caplog.text


async def test_a_short_text_and_a_plain_one_go_as_they_are(emu, bot):
    person = emu.user(502, "Budi")
    await bot.send_message(502, "<i>pendek</i>")
    await bot.send_message(502, "<b> bukan tag " * 600, parse_mode=None)
    texts = [m.text for m in person.bot_messages]
    assert texts[0] == "pendek" and len(texts) == 4 and texts[1].startswith("<b> bukan tag <b>")
    assert " ".join(texts[1:]).split() == ("<b> bukan tag " * 600).split()


async def test_an_edit_grown_too_long_keeps_its_first_part_and_sends_the_rest(emu, bot):
    person = emu.user(503, "Sari")
    sent = await bot.send_message(503, "Memuat…", reply_markup=BUTTONS)
    await bot.edit_message_text(ROWS, chat_id=503, message_id=sent.message_id, reply_markup=BUTTONS)
    messages = person.bot_messages
    assert messages[0].message_id == sent.message_id and messages[0].text.startswith("• Anggota 0")
    assert not messages[0].buttons and messages[-1].buttons
    assert len(messages) == 3 and messages[-1].text.endswith("Anggota 399 & keluarga 🎉")


async def test_a_long_caption_keeps_1024_and_the_rest_follows_as_text(emu, bot):
    person = emu.user(504, "Dewi")
    photo = await bot.send_photo(504, InputFile(io.BytesIO(PNG), filename="x.png"), caption=ROWS, reply_markup=BUTTONS)
    kinds = [m.kind for m in person.bot_messages]
    assert kinds[0] == "photo" and set(kinds[1:]) == {"text"} and photo.photo
    assert len(person.bot_messages[0].text.encode("utf-16-le")) // 2 <= 1024
    assert person.bot_messages[-1].buttons and person.bot_messages[-1].text.endswith("Anggota 399 & keluarga 🎉")
    document = await bot.send_document(504, InputFile(io.BytesIO(b"a,b\n"), filename="x.csv"), caption="<b>Anggota</b>")
    assert document.caption == "Anggota"
    await bot.edit_message_caption(chat_id=504, message_id=document.message_id, caption=ROWS)
    assert person.bot_messages[-1].text.endswith("Anggota 399 & keluarga 🎉")
