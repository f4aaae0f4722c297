"""The sandbox without a browser: its JSON API, the demo data, and the ``python -m sandbox`` command."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from sandbox import Sandbox, demo, people_file
from storage import clusters, committees, map_reviews, meetings, memberships, reminders, small_groups
from storage.database import Database

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
async def sandbox(tmp_path: Path):
    """The whole sandbox on a free port with a fresh database."""
    async with Sandbox(tmp_path / "sandbox.sqlite3", port=0) as running:
        yield running
        rejected = [(c.method, c.error_code, c.description) for c in running.emulator.rejections if c.error_code != 403]
        assert not rejected, f"the bot made calls Telegram would reject: {rejected}"


@pytest.fixture
async def web(sandbox: Sandbox):
    """An HTTP client for the web chat's address."""
    async with aiohttp.ClientSession(base_url=sandbox.emulator.base_url) as session:
        yield session


async def post(web: aiohttp.ClientSession, path: str, body: dict, status: int = 200) -> dict:
    """POST JSON and return the JSON answer, checking the status."""
    async with web.post(path, json=body) as response:
        data = await response.json()
        assert response.status == status, data
        return data


async def chat_until(web: aiohttp.ClientSession, person: int, check, timeout: float = 10.0) -> dict:
    """Poll the person's chat as the page does until ``check(chat)`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        async with web.get("/_sandbox/state", params={"person": str(person)}) as response:
            chat = (await response.json())["chat"]
        if check(chat):
            return chat
        if loop.time() > deadline:
            raise TimeoutError(f"chat of {person} never got there; last message: {chat['messages'][-1:]}")
        await asyncio.sleep(0.05)


def last_bot(chat: dict) -> dict:
    """The newest message from the bot."""
    return [m for m in chat["messages"] if m["from_bot"]][-1]


def says(text: str):
    """A check: the newest bot message contains ``text``."""
    return lambda chat: any(m["from_bot"] for m in chat["messages"]) and text in last_bot(chat)["text"]


def said(text: str):
    """A check: some bot message of the chat contains ``text`` (more may have followed it)."""
    return lambda chat: any(m["from_bot"] and text in m["text"] for m in chat["messages"])


def button_at(message: dict, label: str) -> dict:
    """The row and column of the inline button labelled ``label``."""
    for r, row in enumerate(message["buttons"]):
        for c, button in enumerate(row):
            if button["text"] == label:
                return {"message_id": message["id"], "row": r, "column": c}
    raise LookupError(f"no button {label!r} in {message['buttons']}")


async def test_web_chat_page_and_its_files_are_served(web):
    async with web.get("/") as response:
        page = await response.text()
        assert response.status == 200 and response.content_type == "text/html"
    assert '<script src="/chat.js">' in page and 'href="/chat.css"' in page
    for name, kind in (("chat.js", "text/javascript"), ("chat.css", "text/css")):
        async with web.get(f"/{name}") as response:
            assert (response.status, response.content_type) == (200, kind)
    async with web.get("/chat.py") as response:
        assert response.status == 404


async def test_every_demo_person_is_listed_with_their_role(web, sandbox):
    async with web.get("/_sandbox/info") as response:
        info = await response.json()
    assert info["bot"]["username"] == "rembug_sandbox_bot"
    assert info["links"] == [{"label": "Join the demo cluster", "url": sandbox.invite_link}]
    assert sandbox.invite_link == "https://t.me/rembug_sandbox_bot?start=join-DEMO2026"
    async with web.get("/_sandbox/state") as response:
        state = await response.json()
    people = {p["id"]: p for p in state["people"]}
    assert set(people) == {someone.user_id for someone in demo.CAST}
    assert people[demo.ADMIN_ID]["about"] == "Admin and facilitator"
    assert people[810003]["about"] == "Secretary, Grup Laweyan Utara"
    assert people[810012]["language"] == "en"
    assert state["chat"] is None
    # The demo meeting's invitation reaches every demo person, as the bot sends it.
    invited = await chat_until(web, 810004, says("Rapat rutin klaster"))
    assert [b["text"] for b in last_bot(invited)["buttons"][0]] == [
        "✅ Akan hadir",
        "🤔 Mungkin",
        "❌ Tidak bisa hadir",
    ]


async def test_unchanged_state_answers_same(web):
    params = {"person": str(demo.ADMIN_ID)}
    async with web.get("/_sandbox/state", params=params) as response:
        first = await response.json()
    assert first["chat"]["person"] == demo.ADMIN_ID
    for _ in range(100):  # until the demo invitations are all out, the state keeps changing
        async with web.get("/_sandbox/state", params=params) as response:
            latest = await response.json()
        async with web.get("/_sandbox/state", params={**params, "v": latest["v"]}) as response:
            again = await response.json()
        if again.get("same"):
            break
        await asyncio.sleep(0.1)
    assert again == {"v": latest["v"], "same": True}


async def test_new_person_joins_the_demo_cluster_through_the_api(web, sandbox):
    added = await post(web, "/_sandbox/people", {"name": "Budi  Santoso", "language": "id"})
    budi = added["person"]
    assert (budi["name"], budi["started"], budi["about"]) == ("Budi Santoso", False, "Added in the sandbox")
    person = f"/_sandbox/people/{budi['id']}"

    await post(web, f"{person}/link", {"url": sandbox.invite_link})
    chat = await chat_until(web, budi["id"], says("Siapa nama lengkap"))
    assert chat["messages"][0]["text"] == "/start join-DEMO2026"
    await post(web, f"{person}/press", button_at(last_bot(chat), "✅ Pakai: Budi Santoso"))
    chat = await chat_until(web, budi["id"], says("daerah asal"))
    assert last_bot(chat)["edited"]  # the question replaced the one answered, in place
    await post(web, f"{person}/send", {"text": "Laweyan"})
    await chat_until(web, budi["id"], says("bisnis inti"))
    await post(web, f"{person}/send", {"text": "batik tulis"})
    chat = await chat_until(web, budi["id"], says("Mana yang paling sesuai"))
    await post(web, f"{person}/press", button_at(last_bot(chat), "Perusahaan inti"))
    chat = await chat_until(web, budi["id"], lambda c: c["keyboard"] is not None)
    assert chat["keyboard"]["rows"] == [
        [{"text": "📱 Bagikan nomor saya", "request": "contact"}],
        [{"text": "Lewati", "request": None}],
    ]
    await post(web, f"{person}/reply", {"row": 1, "column": 0})
    chat = await chat_until(web, budi["id"], says("Sudah benar?"))
    assert chat["keyboard"] is None
    assert "tidak dibagikan" in last_bot(chat)["text"]  # the phone was skipped
    bold = [e for e in last_bot(chat)["entities"] if e["type"] == "bold"]
    assert bold, "formatting reaches the page as entities"
    await post(web, f"{person}/press", button_at(last_bot(chat), "✅ Gabung ke klaster"))
    await chat_until(web, budi["id"], said("Selamat datang di Sentra Batik Laweyan"))
    # He joined after the demo meeting was scheduled: its card reaches him as well.
    await chat_until(web, budi["id"], said("Undangan dari Sentra Batik Laweyan"))


async def test_member_answers_the_invitation_and_sees_the_toast(web):
    chat = await chat_until(web, 810004, says("Rapat rutin klaster"))
    card = last_bot(chat)
    await post(web, "/_sandbox/people/810004/press", button_at(card, "✅ Akan hadir"))
    chat = await chat_until(web, 810004, lambda c: c["answers"] and last_bot(c)["edited"])
    assert chat["answers"][-1]["alert"] is False
    assert "Akan hadir" in chat["answers"][-1]["text"]
    assert last_bot(chat)["id"] == card["id"]


async def test_contact_and_location_buttons_share_the_persons_own(web, sandbox):
    user = sandbox.emulator.users[810005]
    sandbox.emulator.world.bot_message(
        user,
        {"text": "Kirim?"},
        {"keyboard": [[{"text": "Nomor", "request_contact": True}], [{"text": "Lokasi", "request_location": True}]]},
    )
    await post(web, "/_sandbox/people/810005/reply", {"row": 0, "column": 0})
    sandbox.emulator.world.bot_message(
        user, {"text": "Lokasi?"}, {"keyboard": [[{"text": "Lokasi", "request_location": True}]]}
    )
    await post(web, "/_sandbox/people/810005/reply", {"row": 0, "column": 0})
    chat = await chat_until(web, 810005, lambda c: any(m["kind"] == "location" for m in c["messages"]))
    contact = next(m for m in chat["messages"] if m["kind"] == "contact")
    assert contact["contact"] == {"name": "Agus Prasetyo", "phone": user.phone}
    assert any(m["kind"] == "location" and not m["from_bot"] for m in chat["messages"])


async def test_blocking_the_bot_in_the_web_chat(web, sandbox):
    await post(web, "/_sandbox/people/810006/block", {"blocked": True})
    chat = await chat_until(web, 810006, lambda c: c["blocked"])
    assert sandbox.emulator.users[810006].blocked
    people = {p["id"]: p for p in (await (await web.get("/_sandbox/state")).json())["people"]}
    assert people[810006]["blocked"]
    await post(web, "/_sandbox/people/810006/block", {"blocked": False})
    chat = await chat_until(web, 810006, lambda c: not c["blocked"])
    assert not chat["blocked"]


async def test_photos_and_documents_are_served_from_the_file_store(web, sandbox):
    async with web.post(
        "/_sandbox/people/810007/upload", data=PNG, headers={"Content-Type": "image/png", "X-Filename": "motif.png"}
    ) as response:
        assert response.status == 200
    async with web.post(
        "/_sandbox/people/810007/upload",
        data=b"a,b\n1,2\n",
        headers={"Content-Type": "text/csv", "X-Filename": "harga%20kain.csv"},
    ) as response:
        assert response.status == 200
    chat = await chat_until(web, 810007, lambda c: sum(not m["from_bot"] for m in c["messages"]) == 2)
    photo, document = [m for m in chat["messages"] if not m["from_bot"]]
    assert photo["kind"] == "photo" and document["kind"] == "document"
    async with web.get(photo["file"]["url"]) as response:
        assert await response.read() == PNG
    async with web.get(document["file"]["url"]) as response:
        assert await response.read() == b"a,b\n1,2\n"
        assert "harga%20kain.csv" in response.headers["Content-Disposition"]
    assert document["file"]["name"] == "harga kain.csv"
    # The bot's own files are served the same way.
    sent = sandbox.emulator.world.files.add("document", b"xlsx bytes", filename="anggota.xlsx")
    sandbox.emulator.world.bot_message(sandbox.emulator.users[810007], {"document": sent.document()}, media=sent)
    chat = await chat_until(web, 810007, lambda c: last_bot(c)["kind"] == "document")
    async with web.get(last_bot(chat)["file"]["url"]) as response:
        assert await response.read() == b"xlsx bytes"


async def test_mistakes_get_a_short_error(web):
    assert "error" in await post(web, "/_sandbox/people", {"name": "  "}, status=400)
    assert "error" in await post(web, "/_sandbox/people", {"name": "Ani", "language": "fr"}, status=400)
    assert "error" in await post(web, "/_sandbox/people/999/send", {"text": "halo"}, status=404)
    assert "error" in await post(web, "/_sandbox/people/810004/send", {"text": " "}, status=400)
    assert "error" in await post(
        web, "/_sandbox/people/810004/press", {"message_id": 99999, "row": 0, "column": 0}, status=400
    )
    assert "error" in await post(web, "/_sandbox/people/810004/reply", {"row": 0, "column": 0}, status=400)
    assert (
        "t.me"
        in (await post(web, "/_sandbox/people/810004/link", {"url": "https://example.com/"}, status=400))["error"]
    )
    async with web.get("/_sandbox/files/documents/nothing.bin") as response:
        assert response.status == 404


async def test_only_json_from_this_machine_acts(web, sandbox):
    async with web.post(
        "/_sandbox/people/810004/send", data='{"text": "halo"}', headers={"Content-Type": "text/plain"}
    ) as response:
        assert response.status == 400  # a form another site could post without asking
    async with web.post(
        "/_sandbox/people/810004/upload", data=b"bytes", headers={"Content-Type": "text/plain"}
    ) as response:
        assert response.status == 400
    async with web.get("/_sandbox/state", headers={"Host": f"rebound.example:{sandbox.emulator.port}"}) as response:
        assert response.status == 403
    assert not any(not m.from_bot for m in sandbox.emulator.users[810004].messages)


async def test_people_added_in_the_web_chat_come_back_after_a_restart(tmp_path):
    database = tmp_path / "sandbox.sqlite3"
    async with Sandbox(database, port=0) as first:
        assert first.seeded
        first.webchat.add_person("Citra Kirana", "en")
    assert people_file(database).is_file()
    async with Sandbox(database, port=0) as second:
        assert not second.seeded  # the demo data is written once
        names = [p["name"] for p in second.webchat.people_list()]
    assert names[0] == "Citra Kirana"
    assert len(names) == len(demo.CAST) + 1


async def test_demo_data_is_written_once(tmp_path):
    db = await Database.open(tmp_path / "demo.sqlite3")
    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    try:
        assert await demo.seed_demo(db, now) is True
        assert await demo.seed_demo(db, now) is False
        async with db.read() as conn:
            assert await clusters.count_clusters(conn) == 1
            cluster = await clusters.find_by_invite_code(conn, demo.INVITE_CODE)
            members, total = await memberships.directory(conn, cluster.id)
            groups = await small_groups.list_groups(conn, cluster.id)
            everything = await meetings.list_meetings(conn, cluster.id)
            planned = [m for m in everything if m.starts_at > now]
            admin = await memberships.get_membership(conn, cluster.id, demo.ADMIN_ID)
            invitees = await meetings.invitees(conn, planned[0].id)
            reviewed = await map_reviews.recorded_reviews(conn, cluster.id)
            on_agenda = await map_reviews.review_of_meeting(conn, planned[0].id)
            map_letter = await reminders.get_by_key(conn, f"meeting:{planned[0].id}:map:before")
            ((committee, role),) = await committees.committees_of(conn, demo.ADMIN_ID)
            followed = await committees.cluster_ids(conn, committee.id)
            digest = await reminders.list_by_prefix(conn, f"digest:{committee.id}:")
    finally:
        await db.close()
    assert (cluster.name, cluster.regency, cluster.province, cluster.industry, cluster.timezone) == (
        "Sentra Batik Laweyan",
        "Kota Surakarta",
        "Jawa Tengah",
        "batik",
        "Asia/Jakarta",
    )
    assert total == len(demo.CAST)
    # The committee following it, with the admin as secretary and next Monday's digest booked.
    assert (committee.name, role, followed) == ("FPESD Jawa Tengah", "secretary", [cluster.id])
    assert [d.due_at for d in digest] == [datetime(2026, 11, 30, 1, 0, tzinfo=UTC)]
    assert admin.is_facilitator
    assert sorted(g.name for g in groups) == ["Grup Laweyan Selatan", "Grup Laweyan Utara"]
    for group in groups:
        in_group = [m for m in members if m.small_group_id == group.id]
        assert group.leader_id is not None and 6 <= len(in_group) <= 8  # leader, secretary, 4-6 members
        assert sum(m.is_secretary for m in in_group) == 1
    assert all(m.home_area and m.core_business and m.stakeholder_type for m in members)
    assert len(planned) == 1 and planned[0].starts_at > now
    assert len(invitees) == len(demo.CAST)
    # The participant map: reviewed at a meeting three months ago, and on next week's agenda again.
    assert len(reviewed) == 1 and reviewed[0].figures["firms"] == 11 and reviewed[0].reviewed_at < now
    assert on_agenda is not None and not on_agenda.recorded
    assert map_letter is not None and map_letter.due_at == planned[0].starts_at - timedelta(hours=24)


def test_sandbox_help_works():
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for option in ("--port", "--reset", "--database"):
        assert option in result.stdout


def test_sandbox_command_serves_until_sigterm_and_ignores_rembug_database(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REMBUG_", "TELEGRAM_"))},
        "REMBUG_DATABASE": str(tmp_path / "production.sqlite3"),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = [process.stdout.readline()]
        assert f"http://127.0.0.1:{port}/" in banner[0], banner[0] + process.stderr.read()
        while "join-DEMO2026" not in banner[-1] and len(banner) < 20:
            banner.append(process.stdout.readline())
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/info", timeout=10) as response:
            assert b"rembug_sandbox_bot" in response.read()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "https://t.me/rembug_sandbox_bot?start=join-DEMO2026" in "".join(banner)
    assert "Traceback" not in err
    assert (tmp_path / "data" / "sandbox.sqlite3").is_file()
    assert not (tmp_path / "production.sqlite3").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_facilitator_links_the_demo_channel_for_the_newsletter(web, sandbox):
    person = f"/_sandbox/people/{demo.ADMIN_ID}"
    # First the demo meeting's invitation report, so that it does not land in the middle.
    await chat_until(web, demo.ADMIN_ID, says("terkirim"), timeout=30)
    await post(web, f"{person}/send", {"text": "/menu"})
    chat = await chat_until(web, demo.ADMIN_ID, says("Menu utama"))
    # The newsletter sits in the broadcasts group, one level down.
    await post(web, f"{person}/press", button_at(last_bot(chat), "📢 Pengumuman"))
    chat = await chat_until(web, demo.ADMIN_ID, lambda c: last_bot(c)["text"].startswith("📢 Pengumuman"))
    await post(web, f"{person}/press", button_at(last_bot(chat), "Buletin"))
    chat = await chat_until(web, demo.ADMIN_ID, says("Buletin klaster"))
    await post(web, f"{person}/press", button_at(last_bot(chat), "🔗 Hubungkan saluran atau grup"))
    chat = await chat_until(web, demo.ADMIN_ID, lambda c: c["keyboard"] is not None)
    assert [cell["request"] for row in chat["keyboard"]["rows"] for cell in row] == ["chat", "chat", None]
    await post(web, f"{person}/reply", {"row": 0, "column": 0})
    chat = await chat_until(web, demo.ADMIN_ID, says("Rembug bisa mengirim ke sana"))
    assert f"“{demo.CHANNEL_TITLE}”" in last_bot(chat)["text"] and chat["keyboard"] is None
