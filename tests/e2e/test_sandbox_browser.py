"""The sandbox in a real browser (Debian's chromium driven by Playwright): join the demo cluster, then act as the admin.

Screenshots land in tests/artifacts/ (git-ignored): sandbox.png (desktop),
sandbox-phone.png (390x844), the demo meeting's card that reached the newcomer and the meetings
list where he changes his answer (meeting-newcomer-card-phone.png, meetings-list-phone.png), and the demo facilitator's menu on the phone,
sandbox-phone-menu.png (top level) and sandbox-phone-menu-group.png (one group open). The test skips, saying why, when chromium or
Playwright is missing; ``./dev.sh test`` installs both where it can.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox, demo
from storage import clusters, memberships
from storage.database import Database

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}  # the phone every browser test is read on
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STEP_TIMEOUT = 10_000  # ms: one answer of the bot


def browser_tools():
    """Playwright's entry point and ``expect``, or skip saying what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser test"
        )
    try:
        from playwright.async_api import async_playwright, expect
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]' (or ./dev.sh test) to run the browser test")
    expect.set_options(timeout=STEP_TIMEOUT)
    return async_playwright, expect


async def test_new_person_joins_the_demo_cluster_in_the_web_chat_and_the_admin_opens_the_menu(tmp_path):
    async_playwright, expect = browser_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    database = tmp_path / "sandbox.sqlite3"
    async with Sandbox(database, port=0) as sandbox, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            page_errors: list[str] = []
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            await page.goto(sandbox.url)
            bot_says = page.locator(".msg.in")

            # A new person, who has not opened the bot yet.
            await page.click("#add-person")
            await page.fill("#new-name", "Budi Santoso")
            await page.select_option("#new-language", "id")
            await page.click("#new-add")
            await expect(page.locator("#chat-sub")).to_contain_text("Budi Santoso")
            await expect(page.locator("#start")).to_be_visible()
            budi_id = int(await page.locator(".person.active").get_attribute("data-id"))

            # They open the demo cluster's invitation link and answer the profile questions.
            await page.click("#open-link")
            await page.fill("#link-url", sandbox.invite_link)
            await page.click("#link-go")
            await expect(bot_says.last).to_contain_text("Siapa nama lengkap Anda?")
            # Two lines first: what Rembug is, and which cluster invites.
            await expect(bot_says.last).to_contain_text("Rembug adalah asisten klaster (sentra) Anda")
            await expect(bot_says.last).to_contain_text("Sentra Batik Laweyan mengundang Anda bergabung.")
            await bot_says.last.get_by_role("button", name="✅ Pakai: Budi Santoso").click()
            await expect(bot_says.last).to_contain_text("daerah asal")
            await type_message(page, "Kampung Batik Kauman")
            await expect(bot_says.last).to_contain_text("bisnis inti")
            await type_message(page, "Batik tulis & cap")
            await expect(bot_says.last).to_contain_text("Mana yang paling sesuai")
            await bot_says.last.get_by_role("button", name="Perusahaan inti").click()
            await expect(bot_says.last).to_contain_text("Nomor ini hanya dilihat fasilitator Sentra Batik Laweyan")
            keyboard = page.locator("#reply-keyboard")
            await expect(keyboard).to_be_visible()
            await expect(keyboard.get_by_role("button", name="Lewati")).to_be_visible()
            await keyboard.get_by_role("button", name="Bagikan nomor saya").click()
            await expect(bot_says.last).to_contain_text("Sudah benar?")
            review = await bot_says.last.inner_text()
            assert "Nama: Budi Santoso" in review
            assert "Batik tulis & cap" in review  # typed "&" comes back escaped by the bot, shown as text
            assert f"+628{budi_id:09d}" in review  # the shared contact is the person's own number
            await expect(keyboard).to_be_hidden()
            await bot_says.last.get_by_role("button", name="✅ Gabung ke klaster").click()
            welcome = bot_says.filter(has_text="Selamat datang di Sentra Batik Laweyan").last
            await expect(welcome).to_be_visible()  # the demo meeting's card may already stand under it
            await expect(welcome.locator("strong").first).to_have_text(
                "Sentra Batik Laweyan"
            )  # bold, from the entities
            await expect(welcome.get_by_role("button", name="⚙️ Akun & bantuan")).to_be_visible()

            # The demo admin: the menu shows what a facilitator and admin may do.
            await page.locator(".person", has_text="Ratna Wulandari").click()
            await expect(page.locator("#chat-sub")).to_contain_text("Ratna Wulandari")
            await expect(bot_says.first).to_contain_text("Undangan dari Sentra Batik Laweyan")  # the demo meeting
            await type_message(page, "/menu")
            await expect(bot_says.last).to_contain_text("Menu utama")
            menu = bot_says.last
            for label in ("👥 Anggota", "📅 Pertemuan", "📢 Pengumuman", "⚙️ Akun & bantuan"):
                await expect(menu.get_by_role("button", name=label, exact=True)).to_be_visible()
            assert await menu.get_by_role("button").count() <= 8
            await page.screenshot(path=str(ARTIFACTS / "sandbox.png"))

            # A phone: the list of people first, the chat full screen with a back button.
            phone = await open_phone(browser, sandbox.url, page_errors)
            await expect(phone.locator(".chat")).to_be_hidden()
            await phone.locator(".person", has_text="Budi Santoso").click()
            await expect(phone.locator(".sidebar")).to_be_hidden()
            await expect(phone.locator("#back")).to_be_visible()
            await expect(phone.locator(".msg.in", has_text="Selamat datang di Sentra Batik Laweyan")).to_be_visible()
            await phone.screenshot(path=str(ARTIFACTS / "sandbox-phone.png"))
            # Item 1: Budi joined after the demo meeting was scheduled, and its card reached him too.
            budi_says = phone.locator(".msg.in")
            card = budi_says.filter(has_text="Undangan dari Sentra Batik Laweyan").last
            await expect(card).to_contain_text("Apakah Anda akan hadir?")
            await card.get_by_role("button", name="✅ Akan hadir").click()
            await expect(card).to_contain_text("Jawaban Anda: ✅ Akan hadir")
            await card.scroll_into_view_if_needed()
            await phone.screenshot(path=str(ARTIFACTS / "meeting-newcomer-card-phone.png"))
            await type_message(phone, "/meetings")
            await expect(budi_says.last).to_contain_text("Mendatang")  # the list, under the card
            await expect(budi_says.last).to_contain_text("Jawaban Anda: ✅ Akan hadir")
            await budi_says.last.get_by_role("button", name="❌ Tidak bisa hadir").click()
            await expect(budi_says.last).to_contain_text("Jawaban Anda: ❌ Tidak bisa hadir")
            await phone.screenshot(path=str(ARTIFACTS / "meetings-list-phone.png"))
            await phone.click("#back")
            await expect(phone.locator(".sidebar")).to_be_visible()

            # The demo facilitator's menu on the phone: at most 8 buttons, one group open and back.
            await phone.locator(".person", has_text="Ratna Wulandari").click()
            facilitator_says = phone.locator(".msg.in")
            await expect(facilitator_says.last).to_contain_text("Menu utama")
            phone_menu = facilitator_says.last
            assert await phone_menu.get_by_role("button").count() <= 8
            await phone.screenshot(path=str(ARTIFACTS / "sandbox-phone-menu.png"))
            await phone_menu.get_by_role("button", name="📢 Pengumuman", exact=True).click()
            await expect(facilitator_says.last).to_contain_text("Pilih yang ingin Anda lakukan.")
            await expect(facilitator_says.last.get_by_role("button", name="🔔 Pengumuman: aktif")).to_be_visible()
            await phone.screenshot(path=str(ARTIFACTS / "sandbox-phone-menu-group.png"))
            await facilitator_says.last.get_by_role("button", name="« Menu utama").click()
            await expect(facilitator_says.last.get_by_role("button", name="👥 Anggota", exact=True)).to_be_visible()
            await phone.click("#back")

            assert page_errors == []
        finally:
            await browser.close()
        rejected = [(c.method, c.error_code, c.description) for c in sandbox.emulator.rejections if c.error_code != 403]
        assert not rejected, f"the bot made calls Telegram would reject: {rejected}"

    db = await Database.open(database)
    try:
        async with db.read() as conn:
            cluster = await clusters.find_by_invite_code(conn, demo.INVITE_CODE)
            joined = await memberships.get_membership(conn, cluster.id, budi_id)
    finally:
        await db.close()
    assert joined is not None and joined.active
    assert (joined.full_name, joined.home_area, joined.stakeholder_type) == (
        "Budi Santoso",
        "Kampung Batik Kauman",
        "core_firm",
    )


async def open_phone(browser, url: str, page_errors: list[str]):
    """A 390x844 phone page on the sandbox's web chat; its script errors are collected in ``page_errors``."""
    phone = await browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.on("pageerror", lambda error: page_errors.append(str(error)))
    await phone.goto(url)
    return phone


async def type_message(page, text: str) -> None:
    """Type into the message field and press Enter, as a person would."""
    await page.fill("#input", text)
    await page.press("#input", "Enter")


async def test_a_member_answers_the_longest_survey_question_on_a_phone(tmp_path):
    """Item 2 on a 390×844 screen: question 7 with its short options, the guideline folded; after the tap, ✅."""
    async_playwright, expect = browser_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with Sandbox(tmp_path / "sandbox.sqlite3", port=0) as sandbox, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page_errors: list[str] = []
            phone = await open_phone(browser, sandbox.url, page_errors)
            bot_says = phone.locator(".msg.in")
            # The demo admin opens a survey round.
            await phone.locator(".person", has_text="Ratna Wulandari").click()
            await type_message(phone, "/survey")
            await bot_says.last.get_by_role("button", name="➕ Buka putaran survei").click()
            await expect(bot_says.last).to_contain_text("judul")
            await type_message(phone, "Kondisi klaster 2026")
            await bot_says.last.get_by_role("button", name="1 minggu lagi").click()
            await phone.click("#back")
            # A member answers up to question 7.
            await phone.locator(".person", has_text="Sri Handayani").click()
            await expect(bot_says.last).to_contain_text("meminta pendapat Anda")
            await bot_says.last.get_by_role("button", name="📝 Jawab sekarang").click()
            for number, step in zip("122314", range(1, 7), strict=True):
                await expect(bot_says.last).to_contain_text(f"{step}/8")
                await bot_says.last.get_by_role("button", name=number, exact=True).click()
            question = bot_says.last
            await expect(question).to_contain_text("Aspek 7: Lembaga pendukung dan pembina")
            folded = question.locator("blockquote.expandable.collapsed")
            await expect(folded).to_contain_text("BDS provider")  # the guideline as written, folded
            assert (await folded.bounding_box())["height"] < 80
            await question.scroll_into_view_if_needed()
            await phone.screenshot(path=str(ARTIFACTS / "survey-question-phone.png"))
            await question.get_by_role("button", name="2", exact=True).click()
            await expect(bot_says.last).to_contain_text("8/8")
            answered = bot_says.nth(-2)
            await expect(answered).to_contain_text("✅ 2. Dinas aktif membina, ada pertemuan rutin, hasil belum ada")
            await phone.screenshot(path=str(ARTIFACTS / "survey-answered-phone.png"))
            assert page_errors == []
        finally:
            await browser.close()
