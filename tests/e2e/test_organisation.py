"""The cluster's organisation end to end: vision and mission, rules (AD/ART), a board election with a secret ballot, the announcement."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from pypdf import PdfReader

from storage import meetings, memberships
from tests.e2e.chats import wait_for, wait_for_any, wait_for_kind
from tests.e2e.menus import open_entry
from tests.e2e.seed import seed_cluster

FACILITATOR = (610001, "Bu Fasil")
SECOND = (610002, "Pak Wakil")  # a second facilitator: confirms the paper ballots
MEMBERS = [
    (610011, "Ani"),
    (610012, "Bayu"),
    (610013, "Citra"),
    (610014, "Dewi"),
    (610015, "Eka"),
    (610016, "Fikri"),
    (610017, "Gita"),
    (610018, "Hadi"),
    (610019, "Joko"),
    (610020, "Kartini"),
    (610021, "Lestari"),
]
IDS = {name: uid for uid, name in [FACILITATOR, SECOND, *MEMBERS]}
PRESENT = ["Ani", "Bayu", "Citra", "Dewi", "Eka", "Fikri", "Gita", "Kartini", "Lestari"]  # Hadi is not checked in


async def _seed(bot, clock, emulator, *, meeting_kind: str = "fgd2", topic: str = "Pembentukan forum"):
    db = bot.application.services.db
    for uid, name in [FACILITATOR, SECOND, *MEMBERS]:
        emulator.user(uid, name, language_code="en")
    seeded = await seed_cluster(
        db, clock.now(), facilitator=FACILITATOR, groups={}, others=[SECOND, *MEMBERS], language="en"
    )
    async with db.transaction() as tx:
        await memberships.set_roles(tx, seeded.cluster_id, SECOND[0], facilitator=True)
        meeting, _new = await meetings.create_meeting(
            tx,
            cluster_id=seeded.cluster_id,
            kind=meeting_kind,
            topic=topic,
            starts_at=clock.now() + timedelta(hours=1),
            place="Balai Desa",
            latitude=None,
            longitude=None,
            agenda=None,
            audience={"everyone": True},
            capacity=None,
            reminders=(),
            checkin_code=f"code{meeting_kind}",
            organiser_id=FACILITATOR[0],
            invitee_ids=[uid for uid, _ in MEMBERS],
            now=clock.now(),
            source_update_id=-5,
        )
        for name in PRESENT:
            await meetings.check_in(tx, meeting.id, IDS[name], "ticked", clock.now())
    return seeded, meeting


def _people(emulator) -> dict:
    return {name: emulator.user(uid, name, language_code="en") for name, uid in IDS.items()}


async def _nominate(person, position: str, nominee: str) -> None:
    await person.ask("/organisation")
    await person.press("🙋 Nominate a candidate")
    await person.press(position)
    reply = await person.press(nominee)
    assert f"You nominated {nominee} as {position}" in reply.text


async def _vote(person, position: str, candidate: str) -> None:
    await person.ask("/organisation")
    await person.press("🗳 Vote")
    await person.press(f"🗳 {position}")
    reply = await person.press(candidate)
    assert f"You chose {candidate} as {position}" in reply.text
    reply = await person.press("✅ Cast my vote")
    assert f"Your vote for {position} is cast" in reply.text
    assert candidate not in reply.text  # the chat keeps no record of the choice either


async def _rows(db) -> list[tuple[str, tuple]]:
    async with db.read() as conn:
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            tables = [row[0] for row in await cursor.fetchall()]
        found = []
        for table in tables:
            async with conn.execute(f'SELECT * FROM "{table}"') as cursor:
                found += [(table, row) for row in await cursor.fetchall()]
    return found


async def test_board_election_with_nominations_paper_ballots_and_a_runoff(emulator, clocked_bot, clock):
    seeded, _meeting = await _seed(clocked_bot, clock, emulator)
    db = clocked_bot.application.services.db
    people = _people(emulator)
    fac = people["Bu Fasil"]

    # The facilitator sets up the election: chair and secretary, voters checked in at FGD-2, nominations, run-off.
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("➕ New election")
    await fac.press("⬜ Chair")
    await fac.press("⬜ Secretary")
    await fac.press("Done ▶")
    await fac.press("Members checked in at a meeting")
    await fac.press("Pembentukan forum")
    await fac.press("🙋 Members nominate")
    reply = await fac.press("🔁 A run-off between the tied")
    assert "Positions: Chair, Secretary" in reply.text and 'checked in at "Pembentukan forum"' in reply.text
    await fac.press("✅ Create the election")
    await wait_for(people["Ani"], "Nominations are open for: Chair, Secretary", timeout=15)

    # Nominations: accepted, declined, and a nominee who then leaves the cluster.
    await _nominate(people["Ani"], "Chair", "Bayu")
    await _nominate(people["Citra"], "Chair", "Dewi")
    await _nominate(people["Eka"], "Secretary", "Fikri")
    await _nominate(people["Gita"], "Secretary", "Hadi")
    await _nominate(people["Ani"], "Secretary", "Joko")
    for name, choice in (
        ("Bayu", "✅ I accept"),
        ("Dewi", "✅ I accept"),
        ("Fikri", "❌ I decline"),
        ("Hadi", "✅ I accept"),
        ("Joko", "✅ I accept"),
    ):
        await wait_for(people[name], "nominated you as", timeout=15)
        await people[name].press(choice)
    assert "You declined the nomination for Secretary" in people["Fikri"].last_text()
    async with db.transaction() as tx:
        await memberships.leave_cluster(tx, seeded.cluster_id, IDS["Joko"], clock.now())
    ani = people["Ani"]
    await ani.tap_data(ani.last().message_id, f"og1:nm:1:chair:{IDS['Joko']}")
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "This person is no longer a member of the cluster and cannot stand."
    await ani.tap_data(ani.last().message_id, f"og1:nm:1:secretary:{IDS['Fikri']}")
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "This person declined a nomination for this position."

    # The facilitator recommends Eka, then opens the voting: Joko left, so he is not on the ballot.
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("Election of")
    await fac.press("🤝 Recommend a candidate")
    await fac.press("Secretary")
    reply = await fac.press("Eka")
    assert "✅ Eka (recommended)" in reply.text and "❌ Fikri (nominated)" in reply.text and "⏳" not in reply.text
    reply = await fac.press("▶️ Open the voting")
    assert "Bayu, Dewi" in reply.text and "Eka, Hadi" in reply.text
    assert "Not on the ballot (did not accept, or left the cluster): Joko" in reply.text
    await fac.press("▶️ Yes, open the voting")
    for name in PRESENT:
        await wait_for(people[name], "Voting is open", timeout=15)
    assert not any("Voting is open" in m.text for m in people["Hadi"].bot_messages)  # not checked in

    # Eight voters: seven checked in vote by phone; Hadi, not checked in, is refused.
    chair = {"Ani": "Dewi", "Bayu": "Dewi", "Citra": "Bayu", "Dewi": "Bayu", "Eka": "Bayu", "Fikri": "Dewi"}
    secretary = {
        "Ani": "Eka",
        "Bayu": "Hadi",
        "Citra": "Eka",
        "Dewi": "Eka",
        "Eka": "Hadi",
        "Fikri": "Hadi",
        "Gita": "Eka",
    }
    for voter, choice in chair.items():
        await _vote(people[voter], "Chair", choice)
    for voter, choice in secretary.items():
        await _vote(people[voter], "Secretary", choice)
    hadi = people["Hadi"]
    await hadi.ask("/organisation")
    await hadi.press("🗳 Vote")
    assert hadi.callback_answers[-1] == ('Only members checked in at the meeting "Pembentukan forum" can vote.', True)
    await hadi.tap_data(hadi.last().message_id, f"og1:bx:2:{IDS['Hadi']}")  # a forged cast button
    await hadi.wait_reply()
    assert hadi.callback_answers[-1][0].startswith("Only members checked in")

    # Ani tries to vote twice: the ballot says she voted, and a replayed or forged cast counts nothing.
    await ani.ask("/organisation")
    reply = await ani.press("🗳 Vote")
    assert ani.visible_buttons()[:2] == ["✅ Chair", "✅ Secretary"]
    await ani.press("✅ Chair")
    assert ani.callback_answers[-1] == (
        "You have already voted for this position. One vote per person; your vote is counted once.",
        True,
    )
    await ani.tap_data(reply.message_id, f"og1:bx:1:{IDS['Bayu']}")
    await ani.wait_reply()
    assert ani.callback_answers[-1][0].startswith("You have already voted")
    await ani.tap_data(reply.message_id, "og1:bx:99:1")
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "This button is no longer valid. Type /menu to start again."

    # Two paper ballots from the room for the secretary, entered by the facilitator, confirmed by a second facilitator.
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("Election of")
    await fac.press("📝 Enter paper ballots")
    reply = await fac.press("Secretary")
    assert "for Eka?" in reply.text
    reply = await fac.ask("1")
    assert "for Hadi?" in reply.text
    reply = await fac.ask("1")
    assert "Eka 1 · Hadi 1 (2 ballots)" in reply.text
    await fac.press("Pak Wakil")
    request = await wait_for(people["Pak Wakil"], "Please check the paper ballots", timeout=15)
    await fac.tap_data(fac.last().message_id, "og1:pc:1")  # the one who entered cannot confirm
    await fac.wait_reply()
    assert fac.callback_answers[-1][0] == "The person who entered the ballots cannot confirm them."
    reply = await people["Pak Wakil"].press("✅ Correct: count them")
    assert "Confirmed and counted" in reply.text
    await people["Pak Wakil"].tap_data(request.message_id, "og1:pc:1")
    await people["Pak Wakil"].wait_reply()
    assert people["Pak Wakil"].callback_answers[-1][0] == "This count was already decided."

    # Close and count: the secretary is decided, the chair is tied 3-3 and goes to a run-off.
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("Election of")
    asked = await fac.press("🔒 Close the voting and count")
    assert asked.text.endswith("\n7 of 9 people who may vote have voted by phone.")  # two have not voted
    reply = await fac.press("🔒 Yes, close and count")
    assert "A tie: the run-off is open for Chair" in reply.text
    assert "Bayu 3 · Dewi 3" in reply.text and "Tie between Bayu, Dewi." in reply.text
    assert "Eka 5 (1 on paper) · Hadi 4 (1 on paper)" in reply.text
    assert "Voted: 9 of 9 (100%) · by phone 7 · on paper 2" in reply.text
    assert "Voted: 6 of 9 (67%) · by phone 6 · on paper 0" in reply.text

    # A vote after the secretary's ballot closed is refused.
    fikri = people["Fikri"]
    await fikri.tap_data(fikri.last().message_id, f"og1:bx:2:{IDS['Eka']}")
    await fikri.wait_reply()
    assert fikri.callback_answers[-1] == ("The voting has closed. Votes are no longer taken.", False)
    assert "closed" in fikri.last_text()  # a reply under the ballot says so, with the way on

    # The run-off between the tied.
    for name in PRESENT:
        await wait_for_any(people[name], "Chair (run-off)", timeout=15)
    runoff = {"Ani": "Dewi", "Bayu": "Dewi", "Citra": "Bayu", "Dewi": "Bayu", "Eka": "Bayu", "Fikri": "Bayu"}
    for voter, choice in runoff.items():
        await _vote(people[voter], "Chair (run-off)", choice)
    await fac.ask("/organisation")
    await fac.press("🗳 Elections")
    await fac.press("Election of")
    await fac.press("🔒 Close the voting and count")
    reply = await fac.press("🔒 Yes, close and count")
    assert "The voting is closed and counted." in reply.text
    assert "Bayu 4 · Dewi 2" in reply.text
    assert "Elected: Bayu (in the run-off)" in reply.text and "Elected: Eka (by vote)" in reply.text

    # The positions are given, and Eka becomes the cluster's secretary.
    async with db.read() as conn:
        board = {h.position: h.full_name for h in await memberships.board(conn, seeded.cluster_id)}
        eka = await memberships.get_membership(conn, seeded.cluster_id, IDS["Eka"])
    assert board == {"chair": "Bayu", "secretary": "Eka"}
    assert eka.is_secretary

    # The announcement to every member, and the one-page PDF for the facilitator.
    await fac.press("📣 Announce the organisation")
    pdf = await wait_for_kind(fac, "document", timeout=15)
    assert pdf.filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(pdf.document))
    assert len(reader.pages) == 1
    page = reader.pages[0].extract_text()
    assert "Bayu" in page and "Eka" in page and "Chair" in page
    for name in ("Ani", "Hadi", "Kartini"):
        notice = await wait_for_any(people[name], "is formed", timeout=15)
        assert "Chair: Bayu" in notice.text and "Secretary: Eka" in notice.text

    # THE BALLOT IS SECRET: no row of any table names a voter with their choice (and not with the
    # other candidates on that ballot: a list of every candidate says nothing about a choice).
    # Candidacies are public (who proposed whom); nobody here votes for, or is, their own proposer.
    ballots = [({"Bayu", "Dewi"}, chair), ({"Eka", "Hadi"}, secretary), ({"Bayu", "Dewi"}, runoff)]
    rows = await _rows(db)
    for candidates, votes in ballots:
        for voter, choice in votes.items():
            others = {str(IDS[c]) for c in candidates - {choice}}
            for table, row in rows:
                numbers = set(re.findall(r"\d+", " ".join(str(value) for value in row)))
                linked = str(IDS[voter]) in numbers and str(IDS[choice]) in numbers and not others <= numbers
                assert not linked, f"{table} links {voter} to {choice}: {row}"
    async with db.read() as conn, conn.execute("SELECT * FROM ballot_counts") as cursor:
        columns = [d[0] for d in cursor.description]
    assert columns == ["contest_id", "candidate_id", "votes", "paper"]


async def test_vision_draft_is_commented_revised_and_adopted(emulator, clocked_bot, clock):
    _seeded, meeting = await _seed(clocked_bot, clock, emulator, meeting_kind="fgd1", topic="FGD-1 visi dan misi")
    db = clocked_bot.application.services.db
    people = _people(emulator)
    fac, ani, bayu, citra = people["Bu Fasil"], people["Ani"], people["Bayu"], people["Citra"]
    await fac.ask("/organisation")
    await fac.press("✍️ Vision and mission")
    await fac.press("✍️ Write the first draft")
    reply = await fac.ask("Visi: batik Laweyan dikenal dunia.\nMisi: pewarna alami, pemasaran bersama.")
    assert "How long may they answer?" in reply.text
    reply = await fac.press("📨 3 days")
    assert "Version 1 is on its way to 12 members" in reply.text

    card = await wait_for(ani, "Draft vision and mission of Sentra Batik Laweyan", timeout=15)
    assert "pewarna alami" in card.text
    await ani.press("👍 Agree")
    assert ani.callback_answers[-1][0] == "Saved: 👍 Agree"
    await wait_for(bayu, "Draft vision and mission", timeout=15)
    reply = await bayu.press("✏️ Needs change")
    assert "What should change?" in reply.text
    reply = await bayu.ask("Tambahkan pemasaran online.")
    assert "Your comment is saved" in reply.text

    # The day before the window closes, those who have not answered are reminded; then it closes.
    await wait_for(citra, "Draft vision and mission", timeout=15)
    clock.advance(days=2, minutes=1)
    clocked_bot.application.services.reminders.wake()
    await wait_for(citra, "Reminder: please answer the draft", timeout=15)
    assert not any("Reminder" in m.text for m in ani.bot_messages)  # she answered
    clock.advance(days=1)
    clocked_bot.application.services.reminders.wake()
    summary = await wait_for(fac, "are closed", timeout=15)
    assert "👍 1 agree, ✏️ 1 need change, 1 comments, 10 did not answer" in summary.text
    await citra.tap_data(citra.last().message_id, "og1:va:1")
    await citra.wait_reply()
    assert citra.callback_answers[-1] == ("The time to answer this draft has ended.", True)

    # The facilitator reads the comment, revises (version 2, one day), and the meeting adopts it.
    await fac.ask("/organisation")
    await fac.press("✍️ Vision and mission")
    reply = await fac.press("💬 Answers and comments")
    assert "Bayu: Tambahkan pemasaran online." in reply.text
    await fac.press("« Back")
    await fac.press("✍️ Revise: version 2")
    await fac.ask("Visi: batik Laweyan dikenal dunia.\nMisi: pewarna alami, pemasaran bersama dan online.")
    await fac.press("📨 1 day")
    card = await wait_for(bayu, "(version 2)", timeout=15)
    await bayu.press("👍 Agree")
    await ani.tap_data(ani.last().message_id, "og1:va:1")  # the old version's button
    await ani.wait_reply()
    assert ani.callback_answers[-1][0] == "A newer version of this draft was sent. Please answer that one."
    await fac.ask("/organisation")
    await fac.press("✍️ Vision and mission")
    await fac.press("✅ Adopt version 2")
    reply = await fac.press("FGD-1 visi dan misi")
    assert 'Version 2 is adopted (meeting "FGD-1 visi dan misi")' in reply.text

    # Anyone in the cluster reads the adopted text from the menu.
    await citra.ask("/menu")
    reply = await open_entry(
        citra, "🏛 Organisation", "Organisation"
    )  # beside 💰 the cash book and 🧾 Dues in its group
    assert "dan online" in reply.text and "(version 2, adopted" in reply.text
    async with (
        db.read() as conn,
        conn.execute("SELECT number, status, meeting_id FROM vision_versions ORDER BY number") as cursor,
    ):
        assert await cursor.fetchall() == [(1, "superseded", None), (2, "adopted", meeting.id)]


async def test_rules_are_acknowledged_once_and_amended(emulator, clocked_bot, clock):
    _seeded, _meeting = await _seed(clocked_bot, clock, emulator, meeting_kind="fgd1", topic="FGD-1 aturan")
    db = clocked_bot.application.services.db
    people = _people(emulator)
    fac, ani, bayu = people["Bu Fasil"], people["Ani"], people["Bayu"]
    await fac.ask("/organisation")
    await fac.press("📜 Rules (AD/ART)")
    await fac.press("📎 Add the rules")
    await fac.send_document(b"%PDF-1.4 AD/ART Forum Rembug Klaster", "AD-ART.pdf")
    await wait_for(fac, "Which meeting adopted this version?")
    await fac.press("FGD-1 aturan")
    await wait_for_any(fac, "Version 1 of the rules is on its way to 13 members")

    document = await wait_for(ani, "The rules (AD/ART) of Sentra Batik Laweyan", timeout=15)
    assert document.kind == "document" and document.document.startswith(b"%PDF")
    await ani.press("✅ I have read the rules")
    assert ani.callback_answers[-1][0] == "Thank you. Recorded: you have read the rules."
    await ani.press("✅ I have read the rules")
    assert ani.callback_answers[-1][0].startswith("Already recorded on 23 Nov 2026")

    # An amendment, typed in sections, adopted at no meeting yet.
    await fac.ask("/organisation")
    await fac.press("📜 Rules (AD/ART)")
    await fac.press("📎 New version")
    await fac.ask("Pasal 1: Nama forum adalah Forum Rembug Klaster Batik Laweyan.")
    reply = await fac.ask("Pasal 2: Pengurus terdiri dari ketua, sekretaris dan bendahara; masa tugas 3 tahun.")
    assert "Section 2 noted" in reply.text
    await fac.press("✅ Done")
    await fac.press("Not adopted at a meeting yet")
    await wait_for_any(fac, "Version 2 of the rules is on its way")
    await wait_for(bayu, "version 2", timeout=15)
    reply = await bayu.press("📜 Read the rules")
    assert "section 1/2" in reply.text and "Pasal 1" in reply.text
    reply = await bayu.press("Next ▶")
    assert "Pasal 2" in reply.text
    await bayu.press("✅ I have read the rules")
    assert bayu.callback_answers[-1][0] == "Thank you. Recorded: you have read the rules."

    await fac.ask("/organisation")
    reply = await fac.press("📜 Rules (AD/ART)")
    assert "Version 2: recorded" in reply.text and "read by 1 of 13 members" in reply.text
    assert (
        'Version 1: adopted 23 Nov 2026, 11:00 WIB at the meeting "FGD-1 aturan"; read by 1 of 13 members' in reply.text
    )
    async with (
        db.read() as conn,
        conn.execute("SELECT version_id, user_id FROM rules_acknowledgements ORDER BY version_id") as cursor,
    ):
        assert await cursor.fetchall() == [(1, IDS["Ani"]), (2, IDS["Bayu"])]
