"""Old buttons speak: a button that no longer works says what happened and offers the way on.

Each case makes the real stale button the way a person gets it (an invitation card, a survey card, a
card button, a confirm screen, a menu), then lets what happens in a cluster happen (the meeting is
cancelled, or starts; the round closes or a newer one replaces it; the collection closes; the work is
done; the person leaves the cluster) and taps the old button. The person reads a short toast and a reply
under the old message with the sentence and the way-forward buttons; the old message keeps its text.
"""

from __future__ import annotations

from emulator import SimulatedUser
from emulator.chat import ChatMessage
from storage import meetings, memberships, surveys
from tests.e2e.chats import wait_for
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import data_of, quiet

FAC = (650001, "Bu Ani")
NORTH = [(650011, "Citra"), (650012, "Dodi")]
SOUTH = [(650021, "Eka")]
MENU = "Buka menu"


async def _world(bot, clock, emulator, language: str = "id") -> dict[str, SimulatedUser]:
    """A cluster: its facilitator and three members in two small groups, who have all opened the bot."""
    people = {name: emulator.user(uid, name, language_code=language) for uid, name in [FAC, *NORTH, *SOUTH]}
    await seed_cluster(
        bot.application.services.db,
        clock.now(),
        facilitator=FAC,
        groups={"Grup Utara": NORTH, "Grup Selatan": SOUTH},
        language=language,
    )
    return people


async def tap_old(bot, person: SimulatedUser, message: ChatMessage, label: str, data: str | None = None) -> ChatMessage:
    """Tap the button labelled ``label`` on the old ``message`` (or ``data``, a button it had before it was
    edited): the reply that explains it, under that message (never a toast only)."""
    data = data or next(b["callback_data"] for row in message.inline_keyboard for b in row if b["text"] == label)
    before = [m.message_id for m in person.bot_messages]
    answered = len(person.callback_answers)
    await person.tap_data(message.message_id, data)
    await person.wait_reply()
    await bot.idle()
    assert len(person.callback_answers) > answered, "the old button got no answer"
    new = [m for m in person.bot_messages if m.message_id not in before]
    assert new, f"the old button {label!r} was answered with a toast only: {person.callback_answers[-1]}"
    reply = new[-1]
    assert reply.raw.get("reply_to_message", {}).get("message_id") == message.message_id, "not under the old message"
    return reply


def now_of(person: SimulatedUser, message: ChatMessage) -> ChatMessage:
    """The old message as it is now in the chat."""
    return next(m for m in person.bot_messages if m.message_id == message.message_id)


def labels(message: ChatMessage) -> list[str]:
    """The labels of a message's inline buttons."""
    return [b["text"] for row in message.inline_keyboard for b in row]


async def _schedule(fac: SimulatedUser) -> None:
    """Walk the scheduling flow: FGD-1 "Pewarna alami" on Wed 25 Nov 2026 at 14.00 WIB for both small groups."""
    await fac.ask("/meeting")
    await fac.press("FGD-1")
    await fac.ask("Pewarna alami")
    await fac.press("25")
    await fac.press("14.00")
    await fac.ask("Balai Desa Laweyan")
    await fac.send("Lewati")
    await wait_for(fac, "agenda")
    await fac.ask("Bahan pewarna")
    await fac.press("⬜ Grup Utara")
    await fac.press("⬜ Grup Selatan")
    await fac.press("Selesai ▶")
    await fac.press("Tanpa batas")
    await fac.press("✅ Kirim undangan")


async def _meeting_start(bot):
    async with bot.application.services.db.read() as conn:
        return (await meetings.list_meetings(conn, 1))[0]


async def test_an_rsvp_card_of_a_cancelled_meeting_says_it_was_cancelled_and_offers_the_upcoming_meetings(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    people = await _world(bot, clock, emulator)
    fac, citra = people["Bu Ani"], people["Citra"]
    await _schedule(fac)
    card = await wait_for(citra, "Undangan dari", timeout=15)
    await fac.ask("/meetings")
    await fac.press(next(t for t in fac.visible_buttons() if "Pewarna alami" in t))
    confirm = await fac.press("✖️ Batalkan pertemuan")
    yes = data_of(fac, "Ya, batalkan dan beri tahu semua")
    await fac.press("Ya, batalkan dan beri tahu semua")
    await wait_for(citra, "Pertemuan dibatalkan", timeout=15)
    await quiet(bot)

    reply = await tap_old(bot, citra, card, "✅ Akan hadir")
    assert citra.callback_answers[-1] == ("Pertemuan ini dibatalkan.", False)
    assert reply.text.startswith("Pertemuan Pewarna alami dibatalkan.")
    assert labels(reply) == ["📅 Pertemuan mendatang", MENU]
    assert now_of(citra, card).text == card.text  # the card keeps its text
    listing = await citra.press("📅 Pertemuan mendatang")
    assert "Pertemuan" in listing.text

    # The facilitator's "Yes" tapped a second time (a second phone, a double tap): cancelled once, and said so.
    reply = await tap_old(bot, fac, confirm, "Ya, batalkan dan beri tahu semua", yes)
    assert reply.text.startswith("Pertemuan Pewarna alami dibatalkan.")


async def test_an_rsvp_after_the_start_says_the_meeting_has_started_and_later_that_it_is_over(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    people = await _world(bot, clock, emulator)
    fac, dodi = people["Bu Ani"], people["Dodi"]
    await _schedule(fac)
    card = await wait_for(dodi, "Undangan dari", timeout=15)
    await quiet(bot)
    clock.set((await _meeting_start(bot)).starts_at)
    clock.advance(minutes=30)
    reply = await tap_old(bot, dodi, card, "✅ Akan hadir")
    assert dodi.callback_answers[-1][0] == "Pertemuan ini sudah dimulai."
    assert reply.text.startswith("Pertemuan Pewarna alami sudah dimulai")
    assert labels(reply) == ["📅 Pertemuan mendatang", MENU]
    clock.advance(days=1)
    reply = await tap_old(bot, dodi, card, "❌ Tidak bisa hadir")
    assert reply.text.startswith("Pertemuan Pewarna alami sudah selesai.")
    assert now_of(dodi, card).text == card.text


async def _open_round(fac: SimulatedUser, title: str) -> None:
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    await fac.ask(title)
    await fac.press("1 minggu lagi")
    await wait_for(fac, "Kuesioner kondisi klaster")


async def _close_round(bot, fac: SimulatedUser, title: str) -> tuple[ChatMessage, str]:
    """Close the round through its list and confirm screen; the confirm screen (to tap again)."""
    async with bot.application.services.db.read() as conn:
        found = next(r for r in await surveys.rounds_of(conn, 1) if r.title == title)
    listing = await fac.ask("/survey")
    await fac.tap_data(listing.message_id, f"sv1:close:{found.id}")
    screen = await fac.wait_reply()
    yes = data_of(fac, "Ya, tutup")
    await fac.press("Ya, tutup")
    await bot.idle()
    return screen, yes


async def test_an_old_survey_card_after_the_round_closed_or_was_replaced_says_so(emulator, clocked_bot, clock):
    bot = clocked_bot
    people = await _world(bot, clock, emulator)
    fac, citra, eka = people["Bu Ani"], people["Citra"], people["Eka"]
    await fac.ask("/survey")
    await fac.press("➕ Buka putaran survei")
    screen = await fac.ask("Kondisi 2026")
    week = data_of(fac, "1 minggu lagi")
    await fac.press("1 minggu lagi")
    await wait_for(fac, "Kuesioner kondisi klaster")
    # The last step of opening tapped again: opened once, and that is what the facilitator reads.
    reply = await tap_old(bot, fac, screen, "1 minggu lagi", week)
    assert fac.callback_answers[-1][0] == "Sudah dilakukan."
    assert reply.text.startswith("Putaran survei Kondisi 2026 sudah dibuka dan dikirim ke anggota")
    assert labels(reply) == ["📋 Putaran survei", MENU]
    card = await wait_for(citra, "Kondisi 2026", timeout=15)
    old_card = await wait_for(eka, "Kondisi 2026", timeout=15)
    dodi_card = await wait_for(people["Dodi"], "Kondisi 2026", timeout=15)
    question = await citra.press("📝 Jawab sekarang")  # the card becomes the first question
    option = question.inline_keyboard[0][0]
    asked = question.text
    screen, yes = await _close_round(bot, fac, "Kondisi 2026")
    await quiet(bot)

    dodi = people["Dodi"]
    text = dodi_card.text
    reply = await tap_old(bot, dodi, dodi_card, "📝 Jawab sekarang")
    assert dodi.callback_answers[-1][0] == "Putaran survei ini sudah ditutup."
    assert reply.text.startswith("Putaran survei Kondisi 2026 sudah ditutup")
    assert labels(reply) == ["📋 Putaran survei", MENU]
    assert now_of(dodi, dodi_card).text == text  # the card keeps its text
    # A question of that round, tapped after it closed: the same sentence, the question kept.
    reply = await tap_old(bot, citra, question, option["text"], option["callback_data"])
    assert "sudah ditutup" in reply.text and now_of(citra, question).text == asked
    assert card.message_id == question.message_id
    # The facilitator's "Ya, tutup" tapped again: the round is closed (once), and that is what they read.
    reply = await tap_old(bot, fac, screen, "Ya, tutup", yes)
    assert reply.text.startswith("Putaran survei Kondisi 2026 sudah ditutup")

    # A newer round replaces it: the old card says so and leads to the new round.
    await _open_round(fac, "Kondisi 2027")
    await wait_for(eka, "Kondisi 2027", timeout=15)
    await quiet(bot)
    reply = await tap_old(bot, eka, old_card, "📝 Jawab sekarang")
    assert "diganti oleh putaran yang lebih baru" in reply.text
    assert labels(reply) == ["📝 Jawab putaran baru", MENU]
    started = await eka.press("📝 Jawab putaran baru")
    assert "Kondisi 2027" in started.text


async def test_an_old_card_button_after_the_collection_closed_says_so_and_a_second_yes_says_it_was_done(
    emulator, clocked_bot, clock
):
    bot = clocked_bot
    people = await _world(bot, clock, emulator)
    fac, citra, dodi = people["Bu Ani"], people["Citra"], people["Dodi"]
    await fac.ask("/brainstorm")
    await fac.press("➕ Sesi baru")
    await fac.press("Tanpa pertemuan")
    await fac.ask("Bagaimana menjual lebih banyak?")
    await fac.press("Satu pertanyaan bebas")
    await fac.press("Grup kecil: Grup Utara")
    await fac.press("👤 Dengan nama")
    await fac.press("2")
    await fac.press("✅ Buka sesi")
    await wait_for(citra, "Aturannya", timeout=15)
    rules_card = await wait_for(dodi, "Aturannya", timeout=15)
    await citra.press("✍️ Kirim kartu")
    await citra.ask("Ikut pameran di Solo")
    await citra.press("✅ Selesai")
    await wait_for(fac, "Tahap 1/6", timeout=15)
    confirm = await fac.press("👀 Tutup pengumpulan dan buka kartu")
    yes = data_of(fac, "Ya, tutup")
    await fac.press("Ya, tutup")
    await wait_for(dodi, "Kartu sudah dibuka", timeout=15)
    await quiet(bot)

    reply = await tap_old(bot, dodi, rules_card, "✍️ Kirim kartu")
    assert dodi.callback_answers[-1][0] == "Pengumpulan kartu sudah ditutup."
    assert reply.text.startswith("Pengumpulan kartu untuk “Bagaimana menjual lebih banyak?” sudah ditutup")
    assert labels(reply) == ["💡 Buka sesi", MENU]
    assert now_of(dodi, rules_card).text == rules_card.text
    # "Ya, tutup" tapped again on the same confirm screen: already done, and where the session stands.
    reply = await tap_old(bot, fac, confirm, "Ya, tutup", yes)
    assert "Langkah ini sudah dilakukan" in reply.text and "Kartu dibuka" in reply.text

    # Dot voting: a ➕ of the ballot, tapped after the voting closed.
    await fac.press("🧩 Mulai mengelompokkan")
    await fac.press("🗳 Buka pemberian titik")
    await wait_for(dodi, "Saatnya memberi titik", timeout=15)
    ballot = await dodi.press("🗳 Pilih dengan titik Anda")
    plus = next(b for b in labels(ballot) if b.startswith("➕"))
    await fac.press("🔒 Tutup pemberian titik")
    await fac.press("Ya, tutup")
    await quiet(bot)
    text = ballot.text
    reply = await tap_old(bot, dodi, ballot, plus)
    assert dodi.callback_answers[-1][0] == "Pemberian titik sudah ditutup."
    assert reply.text.startswith("Pemberian titik untuk “Bagaimana menjual lebih banyak?” sudah ditutup")
    assert labels(reply) == ["💡 Buka sesi", MENU] and now_of(dodi, ballot).text == text


async def test_a_button_of_a_cluster_the_person_left_or_of_a_role_they_lost_says_so(emulator, clocked_bot, clock):
    bot = clocked_bot
    people = await _world(bot, clock, emulator)
    fac, eka = people["Bu Ani"], people["Eka"]
    await _open_round(fac, "Kondisi 2026")
    card = await wait_for(eka, "Kondisi 2026", timeout=15)
    await fac.ask("/menu")
    group = await fac.press("👥 Anggota")
    await quiet(bot)
    async with bot.application.services.db.transaction() as tx:
        await memberships.leave_cluster(tx, 1, eka.id, clock.now())
        await memberships.set_roles(tx, 1, fac.id, facilitator=False)

    reply = await tap_old(bot, eka, card, "📝 Jawab sekarang")
    assert eka.callback_answers[-1][0] == "Anda sudah tidak lagi di klaster ini."
    assert reply.text == "Tombol ini milik klaster Sentra Batik Laweyan, dan Anda sudah tidak lagi di klaster itu."
    assert labels(reply) == [MENU]
    reply = await tap_old(bot, fac, now_of(fac, group), "Undang anggota")
    assert reply.text == "Anda bukan lagi fasilitator klaster Sentra Batik Laweyan."
    assert labels(reply) == [MENU]


async def test_a_menu_group_of_an_older_layout_says_the_menu_changed_and_reopens_it(emulator, bot):
    siti = emulator.user(650097, "Siti", language_code="id")
    menu = await siti.ask("/start")
    reply = await tap_old_data(bot, siti, menu, "menu1:g:gone")
    assert siti.callback_answers[-1][0] == "Menu sudah berubah."
    assert reply.text == "Menu sudah berubah sejak pesan itu. Buka lagi untuk melihat menu yang sekarang."
    assert labels(reply) == [MENU]
    shown = await siti.press(MENU)
    assert "Menu utama" in shown.text


async def test_a_forged_button_gets_the_generic_answer_with_the_menu(emulator, bot):
    siti = emulator.user(650099, "Siti", language_code="id")
    menu = await siti.ask("/start")
    reply = await tap_old_data(bot, siti, menu, "zz9:nothing")
    assert siti.callback_answers[-1][0] == "Tombol ini sudah tidak berlaku. Ketik /menu untuk mulai lagi."
    assert reply.text == "Tombol itu dari pesan lama dan sudah tidak berfungsi. Tidak ada yang diubah."
    assert labels(reply) == [MENU]
    assert now_of(siti, menu).text == menu.text
    english = emulator.user(650098, "John", language_code="en")
    menu = await english.ask("/start")
    reply = await tap_old_data(bot, english, menu, "mt1:r:999:yes:x")
    assert reply.text == "That button is from an older message and no longer works. Nothing was changed."
    assert labels(reply) == ["Open the menu"]


async def tap_old_data(bot, person: SimulatedUser, message: ChatMessage, data: str) -> ChatMessage:
    """Tap forged ``data`` on ``message``: the reply that explains it."""
    before = [m.message_id for m in person.bot_messages]
    await person.tap_data(message.message_id, data)
    await person.wait_reply()
    await bot.idle()
    new = [m for m in person.bot_messages if m.message_id not in before]
    assert new, "answered with a toast only"
    return new[-1]
