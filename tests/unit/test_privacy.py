"""/privacy's screens and buttons, the phone consent rules, and the consents' storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.fitting import visible_length
from conversations.membership.rules import PhoneConsentMove, carried_phone, phone_consent_move
from conversations.privacy.rules import SCREEN, PrivacyPart, parse_privacy_button, privacy_button_data
from conversations.privacy.views import privacy_screen
from storage import clusters, consents, users

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def test_every_privacy_screen_fits_one_phone_screen_in_both_languages():
    for lang in ("id", "en"):
        for part in PrivacyPart:
            text, keyboard = privacy_screen(lang, part)
            assert visible_length(text) <= SCREEN, (lang, part, visible_length(text))
            labels = [button.text for row in keyboard.inline_keyboard for button in row]
            assert len(labels) == 5  # the four parts and the main menu


def test_privacy_buttons_round_trip_and_forged_ones_are_refused():
    for part in PrivacyPart:
        assert parse_privacy_button(privacy_button_data(part)) is part
    assert privacy_button_data(PrivacyPart.WHO) == "pv1:who"
    for forged in ("pv1", "pv1:", "pv1:all", "pv1:who:2", "st1:who", None, ""):
        assert parse_privacy_button(forged) is None


def test_a_saved_number_always_has_a_consent_in_force_and_no_number_none():
    assert phone_consent_move("+62812", in_force=False) is PhoneConsentMove.GIVE
    assert phone_consent_move("+62812", in_force=True) is PhoneConsentMove.NOTHING
    assert phone_consent_move(None, in_force=True) is PhoneConsentMove.WITHDRAW
    assert phone_consent_move(None, in_force=False) is PhoneConsentMove.NOTHING


def test_an_edit_carries_a_stored_number_over_only_with_consent():
    assert carried_phone("+62812", in_force=True) == {"phone": "+62812"}
    assert carried_phone("+62812", in_force=False) == {}  # from before consents: asked again
    assert carried_phone(None, in_force=False) == {"phone": None}


async def test_a_consent_is_given_once_withdrawn_and_given_again_with_its_history(database):
    async with database.transaction() as tx:
        await users.remember_user(tx, 2, "Siti", None, None, "id", NOW)
        cluster = await clusters.create_cluster(
            tx,
            name="Sentra Batik Laweyan",
            regency="Kota Surakarta",
            province="Jawa Tengah",
            industry="batik",
            timezone="Asia/Jakarta",
            invite_code="TESTCODE",
            created_by=2,
            full_name="Siti",
            now=NOW,
            source_update_id=-1,
        )
        await consents.give(tx, 2, consents.PHONE, cluster.id, NOW)
        await consents.give(tx, 2, consents.PHONE, cluster.id, NOW + timedelta(days=1))  # keeps the first date
        held = await consents.in_force(tx, 2, consents.PHONE, cluster.id)
        assert held is not None and held.given_at == NOW
        assert await consents.consenting(tx, consents.PHONE, cluster.id, [2, 3]) == {2}
        assert await consents.in_force(tx, 2, consents.PHONE, None) is None  # another scope
        assert await consents.withdraw(tx, 2, consents.PHONE, cluster.id, NOW + timedelta(days=2))
        assert not await consents.withdraw(tx, 2, consents.PHONE, cluster.id, NOW + timedelta(days=3))
        assert await consents.consenting(tx, consents.PHONE, cluster.id, [2]) == set()
        await consents.give(tx, 2, consents.PHONE, cluster.id, NOW + timedelta(days=4))
        history = await consents.consents_of(tx, 2)
    assert [(c.given_at, c.withdrawn_at, c.in_force) for c in history] == [
        (NOW, NOW + timedelta(days=2), False),
        (NOW + timedelta(days=4), None, True),
    ]
    assert {c.kind for c in history} == {"phone"} and {c.cluster_id for c in history} == {cluster.id}
