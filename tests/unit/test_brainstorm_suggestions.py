"""Grouping suggestions on a small set of Indonesian cards: stems, shared words, SWOT parts, titles."""

from __future__ import annotations

from conversations.brainstorm.suggestions import CardWords, key_words, similarity, suggest_groups

CARDS = [
    CardWords(1, "Harga bahan baku kain mori terus naik"),
    CardWords(2, "Pemasaran masih sendiri-sendiri, belum ada pemasaran bersama"),
    CardWords(3, "Bahan baku kain mahal dan sulit didapat"),
    CardWords(4, "Kurang promosi di media sosial"),
    CardWords(5, "Perlu memasarkan batik lewat toko online"),
    CardWords(6, "Harga kain morri naik lagi"),  # a typo: morri
    CardWords(7, "Pengrajin muda makin sedikit"),
]


def test_words_are_reduced_to_their_stems_without_common_words():
    stems = [stem for stem, _word in key_words("Pemasaran bersama dan memasarkan lewat toko online")]
    assert stems[0] == "pasar"  # pemasaran and memasarkan are one stem, counted once
    assert "dan" not in stems and stems.count("pasar") == 1


def test_similar_cards_score_high_and_unrelated_ones_zero():
    price = [s for s, _w in key_words(CARDS[0].text)]
    dear = [s for s, _w in key_words(CARDS[2].text)]
    youth = [s for s, _w in key_words(CARDS[6].text)]
    assert similarity(price, dear) >= 0.5
    assert similarity(price, youth) == 0.0


def test_the_bot_proposes_groups_of_alike_cards():
    found = {s.card_ids: s.title for s in suggest_groups(CARDS)}
    assert (1, 3, 6) in found  # the price of mori cloth, with the misspelt "morri" too
    assert (2, 5) in found  # marketing: pemasaran / memasarkan
    assert all(7 not in ids and 4 not in ids for ids in found)  # a card alike to none stays alone
    assert "kain" in found[(1, 3, 6)].lower() and found[(2, 5)] == "Pemasaran"


def test_swot_parts_are_never_mixed():
    cards = [
        CardWords(1, "Bahan baku mahal", "W"),
        CardWords(2, "Bahan baku lokal melimpah", "S"),
        CardWords(3, "Harga bahan baku naik", "W"),
    ]
    assert [(s.card_ids, s.column) for s in suggest_groups(cards)] == [((1, 3), "W")]


def test_no_cards_no_suggestions():
    assert suggest_groups([]) == []
    assert suggest_groups([CardWords(1, "")]) == []
