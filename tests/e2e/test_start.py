"""/start, /menu, /help, /language, /cancel and the answers to stray input, through the emulator."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from storage import clusters, drafts, users
from tests.e2e.conftest import ADMIN_ID


def _buttons(message) -> list[str]:
    return [text for row in message.buttons for text in row]


async def test_start_greets_in_indonesian_with_the_members_menu(emulator, bot):
    siti = emulator.user(101, "Siti", language_code="id")
    reply = await siti.ask("/start")
    assert "Halo, Siti! Saya Rembug, asisten klaster (sentra) Anda." in reply.text
    assert "Anda belum tergabung di klaster" in reply.text
    assert _buttons(reply) == ["Gabung klaster", "Bahasa / Language", "Bantuan"]


async def test_start_greets_in_english_for_an_english_phone(emulator, bot):
    john = emulator.user(102, "John", language_code="en-US")
    reply = await john.ask("/start")
    assert reply.text.startswith("Hello, John! I am Rembug, the assistant of your cluster (sentra).")
    assert _buttons(reply) == ["Join a cluster", "Bahasa / Language", "Help"]


async def test_an_admin_also_sees_new_cluster(emulator, bot):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    reply = await admin.ask("/start")
    assert "Klaster baru" in _buttons(reply)


async def test_names_are_escaped_in_html(emulator, bot):
    odd = emulator.user(103, "<b>Tom & Jerry</b>", language_code="en")
    reply = await odd.ask("/start")
    assert "Hello, <b>Tom & Jerry</b>!" in reply.text  # shown literally, not as bold


async def test_language_switch_is_saved_and_survives_a_restart(emulator, bot, settings):
    siti = emulator.user(104, "Siti", language_code="id")
    await siti.ask("/language")
    assert siti.last_text() == "Pilih bahasa Anda:"
    reply = await siti.press("English")
    assert "Language set to English." in reply.text
    assert ("Language set to English.", False) in siti.callback_answers
    assert _buttons(reply) == ["Join a cluster", "Bahasa / Language", "Help"]
    await bot.restart()
    reply = await siti.ask("/start")
    assert reply.text.startswith("Hello, Siti!")
    # Her "/" list follows her choice too.
    scoped = [c for c in emulator.calls if c.method == "setMyCommands" and "scope" in c.params]
    assert scoped and '"chat_id": 104' in str(scoped[-1].params["scope"]).replace("'", '"')


async def test_commands_are_published_in_both_languages(emulator, bot):
    calls = [c for c in emulator.calls if c.method == "setMyCommands" and "scope" not in c.params]
    by_language = {c.params.get("language_code"): str(c.params["commands"]) for c in calls}
    assert "Tampilkan menu utama" in by_language["id"]
    assert "Show the main menu" in by_language["en"]
    assert "Tampilkan menu utama" in by_language[None]  # REMBUG_LANGUAGE=id for everyone else


async def test_help_explains_each_visible_button(emulator, bot):
    siti = emulator.user(105, "Siti", language_code="id")
    reply = await siti.ask("/help")
    assert "Bantuan" in reply.text
    assert "Bahasa / Language: memilih Bahasa Indonesia atau English." in reply.text
    assert "/cancel" in reply.text
    assert "Klaster baru" not in reply.text  # not an admin: not explained either
    reply = await siti.press("Buka menu")
    assert "Menu utama" in reply.text


async def test_help_from_the_menu_button(emulator, bot):
    john = emulator.user(106, "John", language_code="en")
    await john.ask("/start")
    reply = await john.press("Help")
    assert "• Join a cluster: join with the invitation code from your facilitator." in reply.text


async def test_text_outside_a_flow_gets_a_hint_and_the_menu_button(emulator, bot):
    siti = emulator.user(107, "Siti", language_code="id")
    reply = await siti.ask("halo, saya mau daftar")
    assert "Saya sedang tidak bertanya apa pun" in reply.text
    assert _buttons(reply) == ["Buka menu"]


async def test_an_unknown_command_is_named(emulator, bot):
    john = emulator.user(108, "John", language_code="en")
    reply = await john.ask("/frobnicate now")
    assert "I do not know the command /frobnicate" in reply.text


async def test_a_sticker_outside_a_flow_is_answered(emulator, bot):
    siti = emulator.user(109, "Siti", language_code="id")
    await siti.send_sticker()
    reply = await siti.wait_reply()
    assert "tidak bisa saya pakai" in reply.text
    assert "Pesan suara dan foto bisa dikirim sebagai kartu curah pendapat" in reply.text  # where they are welcome


async def test_a_stale_or_forged_button_gets_a_short_answer(emulator, bot):
    siti = emulator.user(110, "Siti", language_code="id")
    menu = await siti.ask("/start")
    await siti.tap_data(menu.message_id, "zz9:nothing")
    await siti.wait_reply()
    await siti.tap_data(menu.message_id, "st1:lang:fr")
    await siti.wait_reply()
    assert [text for text, _alert in siti.callback_answers[-2:]] == [
        "Tombol ini sudah tidak berlaku. Ketik /menu untuk mulai lagi."
    ] * 2


async def test_cancel_outside_a_flow_says_there_is_nothing_to_cancel(emulator, bot):
    john = emulator.user(111, "John", language_code="en")
    reply = await john.ask("/cancel")
    assert "There is nothing to cancel." in reply.text


async def test_cancel_leaves_a_flow_and_keeps_nothing(emulator, bot, settings):
    admin = emulator.user(ADMIN_ID, "Budi", language_code="id")
    await admin.ask("/newcluster")
    reply = await admin.ask("Sentra Batik Laweyan")
    assert "(2/5)" in reply.text
    reply = await admin.ask("/cancel")
    assert "Dibatalkan. Tidak ada yang disimpan." in reply.text
    async with bot.application.services.db.read() as conn:
        assert await drafts.get_draft(conn, ADMIN_ID, "new_cluster") == {}
        assert await clusters.count_clusters(conn) == 0
    reply = await admin.ask("Surakarta")  # no longer inside the flow
    assert "Saya sedang tidak bertanya apa pun" in reply.text


async def test_a_member_cannot_start_an_admin_flow(emulator, bot):
    siti = emulator.user(112, "Siti", language_code="id")
    reply = await siti.ask("/newcluster")
    assert reply.text == "Hanya administrator Rembug yang dapat melakukan ini."


async def test_an_unexpected_error_gets_an_apology_not_silence(emulator, bot, caplog):
    async def explode(update: Update, context) -> None:
        raise RuntimeError("simulated fault")

    # A handler that fails, added to the real application: the real error handler answers.
    bot.application.add_handler(CommandHandler("explode", explode), group=-1)
    john = emulator.user(113, "John", language_code="en")
    reply = await john.ask("/explode")
    assert reply.text == "Sorry, something went wrong on our side. Please try again, or type /menu."
    assert any("simulated fault" in str(r.exc_info) and "from user 113" in r.getMessage() for r in caplog.records)


async def test_every_answer_was_committed_with_the_sender(emulator, bot):
    siti = emulator.user(114, "Siti", language_code="id", last_name="Aminah")
    await siti.ask("/start")
    async with bot.application.services.db.read() as conn:
        stored = await users.get_user(conn, 114)
    assert stored.full_name == "Siti Aminah"
    assert stored.telegram_language == "id"
