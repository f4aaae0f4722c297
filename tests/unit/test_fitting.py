"""Texts fitted to Telegram's limits: measured as Telegram counts, split between lines, never inside a tag."""

from __future__ import annotations

import random

from bot.fitting import CAPTION_LIMIT, TEXT_LIMIT, fit_caption, split_text, utf16_length, visible_length
from emulator.telegram_html import parse_html


def shown(part: str) -> str:
    """What Telegram shows of ``part`` (it must parse as Telegram's HTML)."""
    return parse_html(part)[0]


def assert_fit(parts: list[str], limit: int = TEXT_LIMIT) -> None:
    for part in parts:
        text = shown(part)
        assert utf16_length(text) <= limit and text.strip(), (utf16_length(text), part[:80])


def test_length_is_counted_after_the_html_in_utf16_units():
    assert visible_length('<b>Halo</b> &amp; <a href="https://x.org/?a=1&amp;b=2">tautan</a>') == len("Halo & tautan")
    assert visible_length("🎉") == 2 and visible_length("é") == 1
    assert visible_length("&#128512;&#x1F600;&lt;") == 5
    assert visible_length("<b>x</b>", html=False) == 8
    assert visible_length("a & b < c") == len("a & b < c")  # a stray & or < shows as itself


def test_a_text_that_fits_is_left_as_it_is():
    text = "<b>Anggota</b>\n" + "Ratna &amp; Budi\n" * 200
    assert split_text(text) == [text]
    assert fit_caption("<i>pendek</i>") == ("<i>pendek</i>", [])


def test_a_long_text_is_cut_between_paragraphs_first():
    paragraph = "Kata " * 700  # 3,500 characters
    parts = split_text(paragraph.strip() + "\n\n" + paragraph.strip())
    assert parts == [paragraph.strip(), paragraph.strip()]


def test_then_between_lines_then_between_words_and_only_then_inside_a_word():
    lines = "\n".join(f"• Anggota nomor {n}" for n in range(600))
    parts = split_text(lines)
    assert_fit(parts)
    assert all(part.split("\n")[0].startswith("• ") for part in parts)
    assert "\n".join(parts) == lines
    words = " ".join(["kata"] * 2000)
    parts = split_text(words)
    assert_fit(parts) is None and " ".join(parts) == words
    one_word = "x" * 9000
    parts = split_text(one_word)
    assert [len(p) for p in parts] == [4096, 4096, 808]


def test_emoji_count_two_and_are_never_cut_in_half():
    parts = split_text("🎉" * 3000)  # 6,000 UTF-16 units
    assert_fit(parts)
    assert "".join(parts) == "🎉" * 3000
    family = "👨\u200d👩\u200d👧" * 1000  # one symbol of five code points, again and again
    parts = split_text(family, limit=100)
    assert all(part.startswith("👨") and part.endswith("👧") for part in parts)


def test_entities_stay_whole():
    text = "&amp;" * 5000
    parts = split_text(text)
    assert_fit(parts)
    assert all(part.startswith("&amp;") and part.endswith("&amp;") for part in parts)
    assert sum(len(shown(part)) for part in parts) == 5000


def test_open_tags_are_closed_at_the_cut_and_reopened_with_their_attributes():
    body = "\n".join(f"baris {n} dengan <i>miring</i> &amp; tebal" for n in range(400))
    text = f'<blockquote expandable><b>{body}</b></blockquote>\n<a href="https://t.me/x?a=1&amp;b=2">tautan</a>'
    parts = split_text(text)
    assert len(parts) > 2
    assert_fit(parts)
    for part in parts[:-1]:
        assert part.startswith("<blockquote expandable><b>") and part.endswith("</b></blockquote>")
    entities = parse_html(parts[1])[1]
    assert sorted(e["type"] for e in entities if e["offset"] == 0) == ["bold", "expandable_blockquote"]
    assert parts[-1].endswith('<a href="https://t.me/x?a=1&amp;b=2">tautan</a>')


def test_a_link_and_code_block_cut_in_the_middle_keep_their_kind():
    link = '<a href="https://maps.google.com/?q=1,2">' + "jalan " * 1000 + "</a>"
    parts = split_text(link)
    assert_fit(parts)
    assert all(parse_html(p)[1][0].get("url") == "https://maps.google.com/?q=1,2" for p in parts)
    code = '<pre><code class="language-python">' + "print(1 &lt; 2)\n" * 600 + "</code></pre>"
    parts = split_text(code)
    assert_fit(parts)
    assert all(
        parse_html(p)[1] == [{"type": "pre", "offset": 0, "length": len(shown(p)), "language": "python"}] for p in parts
    )


def test_a_twenty_thousand_character_text_of_mixed_markup_fits_in_parts():
    rng = random.Random(16)
    pieces, shown_so_far = [], 0
    while shown_so_far < 20_000:
        word = rng.choice(["batik", "Laweyan", "🎉", "&amp;", "&lt;tulis&gt;", "é", "kain"])
        tag = rng.choice([None, "b", "i", "code", "u"])
        pieces.append(f"<{tag}>{word}</{tag}>" if tag else word)
        pieces.append(rng.choice([" ", " ", " ", "\n", "\n\n"]))
        shown_so_far += visible_length(pieces[-2] + pieces[-1])
    text = "<b>Judul</b>\n" + "".join(pieces)
    parts = split_text(text)
    assert_fit(parts)
    assert visible_length(text) >= 20_000 and len(parts) == 5
    joined = " ".join(shown(p) for p in parts)
    assert joined.split() == shown(text).split()  # nothing lost but the spaces at the cuts


def test_a_long_caption_keeps_1024_and_the_rest_follows_as_text():
    caption = "<b>Notulen</b>\n" + "\n".join(f"keputusan {n}: kain &amp; pewarna" for n in range(400))
    first, rest = fit_caption(caption)
    assert_fit([first], CAPTION_LIMIT)
    assert_fit(rest)
    assert first.startswith("<b>Notulen</b>\nkeputusan 0:") and len(rest) >= 2
    assert shown(rest[-1]).endswith("keputusan 399: kain & pewarna")


def test_plain_text_is_split_as_plain_text():
    text = "<b> bukan tag &amp; " * 500
    parts = split_text(text, html=False)
    assert all(utf16_length(p) <= TEXT_LIMIT for p in parts)
    assert " ".join(parts).split() == text.split()
