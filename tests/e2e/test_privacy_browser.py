"""/privacy and the phone consent on a 390x844 phone, in the sandbox's web chat (Debian's chromium, Playwright).

Screenshots land in tests/artifacts/ (git-ignored): privacy-who-phone.png (who sees what, one screen) and
profile-consent-phone.png (a demo member's profile with the date of the phone consent and the button to
withdraw it). Skips, saying why, when chromium or Playwright is missing.
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tests.e2e.test_sandbox_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, browser_tools, open_phone, type_message

pytestmark = pytest.mark.e2e


async def test_a_member_reads_who_sees_what_and_withdraws_the_phone_consent_on_a_phone(tmp_path):
    async_playwright, expect = browser_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with Sandbox(tmp_path / "sandbox.sqlite3", port=0) as sandbox, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page_errors: list[str] = []
            phone = await open_phone(browser, sandbox.url, page_errors)
            await phone.locator(".person", has_text="Sri Handayani").click()
            bot_says = phone.locator(".msg.in")
            await type_message(phone, "/privacy")
            await expect(bot_says.last).to_contain_text("Pilih yang ingin Anda ketahui")
            await bot_says.last.get_by_role("button", name="👥 Siapa yang melihat").click()
            await expect(bot_says.last).to_contain_text("Komite (CEDC/FEDEP/FPESD)")
            await bot_says.last.scroll_into_view_if_needed()
            await phone.screenshot(path=str(ARTIFACTS / "privacy-who-phone.png"))

            await type_message(phone, "/profile")
            await expect(bot_says.last).to_contain_text("Anda mengizinkan fasilitator memegang nomor ini sejak")
            await bot_says.last.scroll_into_view_if_needed()
            await phone.screenshot(path=str(ARTIFACTS / "profile-consent-phone.png"))
            await bot_says.last.get_by_role("button", name="🚫 Tarik izin nomor HP").click()
            await expect(bot_says.last).to_contain_text("Izin sudah ditarik. Nomor HP Anda sudah dihapus")
            await expect(bot_says.last).to_contain_text("HP: tidak dibagikan")
            await phone.screenshot(path=str(ARTIFACTS / "profile-consent-withdrawn-phone.png"))
            assert page_errors == []
        finally:
            await browser.close()
