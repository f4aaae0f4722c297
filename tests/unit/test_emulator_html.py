"""Telegram's HTML parse mode and the spec checks, without a server."""

from __future__ import annotations

import pytest

from emulator.errors import ApiError
from emulator.files import UploadedFile
from emulator.spec import Spec
from emulator.telegram_html import parse_formatted, parse_html, utf16_len


def entities(html: str) -> list[tuple]:
    """(type, offset, length, extra) of each entity parsed from `html`."""
    _, found = parse_html(html)
    return [(e["type"], e["offset"], e["length"], e.get("url") or e.get("language")) for e in found]


def test_every_supported_tag_becomes_its_entity():
    html = (
        "<b>b</b><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s><strike>s</strike>"
        '<del>s</del><tg-spoiler>p</tg-spoiler><span class="tg-spoiler">p</span><code>c</code>'
        '<a href="https://x.org/?a=1&amp;b=2">l</a><blockquote>q</blockquote>'
        '<blockquote expandable>e</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, _ = parse_html(html)
    assert text == "bbiiuusssppclqe👍"
    assert [e[0] for e in entities(html)] == [
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough", "strikethrough",
        "strikethrough", "spoiler", "spoiler", "code", "text_link", "blockquote", "expandable_blockquote",
        "custom_emoji",
    ]  # fmt: skip
    assert entities(html)[12][3] == "https://x.org/?a=1&b=2"


def test_pre_with_a_language_code_block_is_one_pre_entity():
    text, found = parse_html('<pre><code class="language-python">print(1 &lt; 2)</code></pre>')
    assert text == "print(1 < 2)"
    assert found == [{"type": "pre", "offset": 0, "length": 12, "language": "python"}]


def test_offsets_count_utf16_units_and_nesting_is_kept():
    assert entities("😀 <b>x <i>y</i></b>") == [("bold", 3, 3, None), ("italic", 5, 1, None)]
    assert utf16_len("😀a") == 3


def test_entities_and_numeric_references_decode():
    assert parse_html("&lt;&gt;&amp;&quot;&#65;&#x42;")[0] == '<>&"AB'


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("<b>x", "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""),
        ("ab<x>", 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 2'),
        ("é</b>", "Bad Request: can't parse entities: Unexpected end tag at byte offset 2"),
        ("<b", "Bad Request: can't parse entities: Unclosed start tag at byte offset 0"),
        (
            '<span class="x">y</span>',
            'Bad Request: can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0',
        ),
    ],
)
def test_mistakes_are_reported_like_telegram(html: str, description: str):
    with pytest.raises(ApiError) as caught:
        parse_html(html)
    assert (caught.value.error_code, caught.value.description) == (400, description)


def test_a_bare_ampersand_is_refused_unless_lenient():
    with pytest.raises(ApiError, match="byte offset 2"):
        parse_html("a & b")
    assert parse_html("a & b", strict_ampersand=False)[0] == "a & b"


def test_markdown_v2_strips_markup_and_refuses_unescaped_reserved_characters():
    text, _ = parse_formatted(r"*tebal* \- _miring_ [tautan](https://x.org)\.", "MarkdownV2")
    assert text == "tebal - miring tautan."
    with pytest.raises(ApiError, match=r"Character '\.' is reserved"):
        parse_formatted("Selesai.", "MarkdownV2")


def test_spec_decodes_form_text_by_field_type():
    spec = Spec.load()
    send = spec.method("sendmessage")
    params = spec.decode(
        send,
        {"chat_id": "-100123", "text": "42", "disable_notification": "true",
         "reply_markup": '{"keyboard": [["A", {"text": "B"}]], "one_time_keyboard": true}'},
    )  # fmt: skip
    assert params["chat_id"] == -100123 and params["text"] == "42" and params["disable_notification"] is True
    assert params["reply_markup"]["one_time_keyboard"] is True


def test_spec_checks_nested_objects_and_files():
    spec = Spec.load()
    with pytest.raises(ApiError, match="can't parse"):
        spec.decode(spec.method("setMyCommands"), {"commands": '[{"command": "start"}]'})
    photo = UploadedFile("a.png", "image/png", b"x")
    assert spec.decode(spec.method("sendPhoto"), {"chat_id": 1, "photo": photo})["photo"] is photo
    with pytest.raises(ApiError, match='field "text" must be of type String'):
        spec.decode(spec.method("sendMessage"), {"chat_id": 1, "text": photo})
    with pytest.raises(ApiError, match="there is no photo in the request"):
        spec.decode(spec.method("sendPhoto"), {"chat_id": 1})
