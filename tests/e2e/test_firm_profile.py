"""The firm profile end to end: the facilitator asks it from 🗺 Cluster map (a survey round of the built-in
questionnaire), members answer by buttons, one stops and resumes after a restart, the facilitator interviews
one, and the map's figures show what they answered; a member pressing the map's button gets the role message."""

from __future__ import annotations

from storage import memberships
from tests.e2e.chats import wait_for, wait_for_any
from tests.e2e.seed import seed_cluster
from tests.e2e.taps import refused

FACILITATOR = (601, "Pak Fasil")
MEMBERS = [(611, "Ani"), (612, "Bayu"), (613, "Citra"), (614, "Dewi")]
TYPES = {611: "core_firm", 612: "supplier", 613: "trader", 614: "leading_firm"}


async def _seed(bot, clock, emulator):
    for uid, name in [FACILITATOR, *MEMBERS]:
        emulator.user(uid, name, language_code="id")
    db = bot.application.services.db
    seeded = await seed_cluster(db, clock.now(), facilitator=FACILITATOR, groups={"Grup A": MEMBERS})
    async with db.transaction() as tx:
        for uid, kind in TYPES.items():
            await memberships.update_profile(tx, seeded.cluster_id, uid, {"stakeholder_type": kind})
    return seeded


async def _tick(person, *numbers: int) -> None:
    """A question of several answers: tick each number, then Done."""
    for number in numbers:
        await person.press(f"⬜ {number}")
    await person.press("Selesai ▶")


async def _answer(
    person,
    *,
    family: int,
    paid: int,
    product: str,
    markets: tuple[int, ...],
    sales: int,
    buys: tuple[int, ...],
    sells: tuple[int, ...],
) -> None:
    """The whole profile in a few taps: workers, products, (materials skipped), sources, markets, sales,
    (year skipped), buys from, sells to; then send."""
    await person.press(str(family))
    await person.press(str(paid))
    await person.ask(product)
    await person.press("Lewati")
    await _tick(person, 1)
    await _tick(person, *markets)
    await person.press(str(sales))
    await person.press("Lewati")
    await _tick(person, *buys)
    review = await _tick_and_review(person, sells)
    assert "Periksa jawaban Anda" in review.text
    await person.press("✅ Kirim jawaban saya")


async def _tick_and_review(person, numbers: tuple[int, ...]):
    for number in numbers:
        await person.press(f"⬜ {number}")
    return await person.press("Selesai ▶")


async def test_members_answer_the_firm_profile_and_the_facilitator_sees_the_figures(emulator, clocked_bot, clock):
    bot = clocked_bot
    await _seed(bot, clock, emulator)
    fac = emulator.user(*FACILITATOR)
    ani, bayu, _citra, dewi = (emulator.user(uid, name) for uid, name in MEMBERS)

    # Before any profile: the map says how to get them, and asks the firm profile in one tap.
    screen = await fac.ask("/map")
    assert "Peta klaster: Sentra Batik Laweyan" in screen.text and "Belum ada profil usaha" in screen.text
    asked = await fac.press("📝 Minta profil usaha")
    assert "Putaran survei baru" in asked.text and "✅ Profil usaha" in str(asked.buttons)
    await fac.ask("Profil usaha 2026")
    await fac.press("1 minggu lagi")
    invitation = await wait_for(ani, "Profil usaha 2026", timeout=15)
    assert "📝 Jawab sekarang" in str(invitation.buttons)

    # Ani answers everything by buttons (two short texts typed); the first question shows its options.
    first = await ani.press("📝 Jawab sekarang")
    assert "1/10" in first.text and "anggota keluarga" in first.text and "2 orang" in first.text
    await _answer(ani, family=3, paid=2, product="Batik tulis", markets=(1, 3), sales=3, buys=(1,), sells=(4, 5))
    assert "Terima kasih" in ani.last_text()

    # Bayu stops after three questions; the bot restarts; he continues at the same question.
    await wait_for(bayu, "Profil usaha 2026", timeout=15)
    await bayu.press("📝 Jawab sekarang")
    await bayu.press("1")
    await bayu.press("3")
    await bayu.ask("Kain mori")
    await bot.restart()
    await bayu.ask("/survey")
    resumed = await bayu.press("▶ Lanjutkan: Profil usaha 2026")
    assert "4/10" in resumed.text and "bahan baku utama" in resumed.text
    await bayu.press("Lewati")
    await _tick(bayu, 2)
    await _tick(bayu, 1, 2)
    await bayu.press("4")
    await bayu.ask("1998")
    await _tick(bayu, 6)  # buys from nobody in the cluster
    await _tick_and_review(bayu, (2,))  # sells to core firms
    await bayu.press("✅ Kirim jawaban saya")

    # The facilitator interviews Dewi (a leading firm) on her behalf.
    await fac.ask("/survey")
    await fac.press("🎤 Wawancara")
    interview = await fac.press("Dewi")
    assert "Wawancara dengan Dewi" in interview.text
    await _answer(fac, family=2, paid=4, product="Batik cap", markets=(2, 3), sales=5, buys=(1, 3), sells=(4,))
    assert "Jawaban Dewi disimpan sebagai wawancara" in fac.last_text()

    # The figures: three profiles; workers and sales estimated from the ranges; markets; Step 1.
    figures = await fac.ask("/map")
    text = figures.text
    assert "5 anggota · 4 usaha · profil usaha terkirim: 3" in text  # Citra (a trader) has not answered
    assert text.index("Perusahaan inti:") < text.index("Perusahaan pemimpin:") < text.index("Industri pendukung")
    assert "Perusahaan inti: 1 · 1 · 2 + 2,5" in text  # Ani: 2 family, 1-4 paid (2,5)
    assert "Perusahaan pemimpin: 1 · 1 · 1 + 60" in text  # Dewi: 1 family, 20-99 paid (60)
    assert "Industri pendukung, pemasok: 1 · 1 · 0 + 12" in text  # Bayu
    assert "Pedagang, distributor: 1 · 0 · –" in text
    assert "Rp 15–50 juta 1" in text and "Rp 50–200 juta 1" in text and "di atas Rp 200 juta 1" in text
    assert "lokal 2, daerah lain 2, ekspor 2" in text
    assert "perusahaan inti 2" in text and "pekerja ≈77" in text  # 3 family + 74,5 paid (rounded to even)
    assert "penjualan ≈Rp 407,5 juta sebulan" in text  # 32,5 + 125 + 250
    assert "industri pendukung 1" in text and "menjual ke luar daerah 100%, ekspor 66,7%" in text
    assert "perkiraan" in text

    # Closing the round: the survey's results of an unscored questionnaire, choice by choice.
    await fac.ask("/survey")
    await fac.press("🔒 Tutup")
    await fac.press("Ya, tutup")
    summary = await wait_for_any(fac, "responden", timeout=10)
    assert "3 responden" in summary.text and "Pekerja keluarga" in summary.text and "Skor" not in summary.text

    # A member pressing the map's facilitator-only button gets the role message, and nothing changes.
    said = await refused(bot, ani, "map1:home")
    assert "Hanya fasilitator klaster ini" in said
    said = await refused(bot, dewi, "map1:chain")
    assert "Hanya fasilitator klaster ini" in said
