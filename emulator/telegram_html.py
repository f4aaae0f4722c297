"""Telegram's formatting parse modes: HTML turned into plain text + entities.

The HTML scanner follows the subset Telegram documents (and the order in
which TDLib reports mistakes), so a bot that sends markup Telegram would
refuse gets the same "can't parse entities" error here. Offsets and lengths
of entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.errors import ApiError, bad_request

# Tag -> entity type; span and pre/code are resolved from their attributes.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n"


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def parse_error(source: str, index: int, reason: str, detail: str = "") -> ApiError:
    """A "can't parse entities" error pointing at `index` as a UTF-8 byte offset."""
    offset = len(source[:index].encode("utf-8"))
    return bad_request(f"can't parse entities: {reason} at byte offset {offset}{detail}")


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    tag: str
    start: int  # UTF-16 offset in the output where the entity begins
    attrs: dict[str, str] = field(default_factory=dict)
    language: str | None = None


class _HtmlScanner:
    """One pass over an HTML message; `run()` returns (text, entities)."""

    def __init__(self, source: str, strict_ampersand: bool) -> None:
        self.src = source
        self.strict_ampersand = strict_ampersand
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i, src = 0, self.src
        while i < len(src):
            c = src[i]
            if c == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            elif c == "&":
                text, i = self.entity(i)
                self.emit(text)
            else:
                j = i
                while j < len(src) and src[j] not in "<&":
                    j += 1
                self.emit(src[i:j])
                i = j
        if self.stack:
            tag = self.stack[-1].tag
            raise bad_request(f"can't parse entities: Can't find end tag corresponding to start tag \"{tag}\"")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def entity(self, i: int) -> tuple[str, int]:
        """Decode `&...;` at i; Telegram would keep a stray '&', strict mode refuses it."""
        end = self.src.find(";", i)
        name = self.src[i + 1 : end] if end != -1 else ""
        value = _decode_entity(name) if end != -1 and len(name) <= 10 else None
        if value is not None:
            return value, end + 1
        if self.strict_ampersand:
            raise parse_error(self.src, i, "Unsupported HTML entity; escape '&' as \"&amp;\"")
        return "&", i + 1

    def start_tag(self, i: int) -> int:
        src, begin = self.src, i
        i += 1
        name_start = i
        while i < len(src) and src[i] not in _SPACES and src[i] not in ">":
            i += 1
        if i >= len(src):
            raise parse_error(src, begin, "Unclosed start tag")
        tag = src[name_start:i].lower()
        if tag not in _SIMPLE_TAGS:
            raise parse_error(src, begin, f'Unsupported start tag "{tag}"')
        attrs, i = self.attributes(i, tag, begin)
        self.check_attributes(tag, attrs, begin)
        self.stack.append(_Open(tag, self.pos16, attrs))
        return i + 1

    def attributes(self, i: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
        """Parse `name="value"` pairs up to the closing '>' (returns its index)."""
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i >= len(src):
                raise parse_error(src, begin, "Unclosed start tag")
            if src[i] == ">":
                return attrs, i
            name_start = i
            while i < len(src) and src[i] not in _SPACES and src[i] not in "=>":
                i += 1
            name = src[name_start:i].lower()
            if not name:
                raise parse_error(src, begin, f'Empty attribute name in the tag "{tag}"')
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i < len(src) and src[i] != "=":
                attrs[name] = ""  # a bare attribute such as <blockquote expandable>
                continue
            i += 1
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i >= len(src):
                raise parse_error(src, begin, "Unclosed start tag")
            if src[i] in "'\"":
                quote = src[i]
                end = src.find(quote, i + 1)
                if end == -1:
                    raise parse_error(src, begin, "Unclosed start tag")
                raw, i = src[i + 1 : end], end + 1
            else:
                value_start = i
                while i < len(src) and src[i] not in _SPACES and src[i] != ">":
                    i += 1
                raw = src[value_start:i]
            attrs[name] = _decode_attribute(raw)

    def check_attributes(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise parse_error(self.src, begin, 'Tag "span" must have class "tg-spoiler"')
        if tag == "tg-emoji" and not attrs.get("emoji-id"):
            raise parse_error(self.src, begin, 'Tag "tg-emoji" must have attribute "emoji-id"')

    def end_tag(self, i: int) -> int:
        src, begin = self.src, i
        if not self.stack:
            raise parse_error(src, begin, "Unexpected end tag")
        i += 2
        name_start = i
        while i < len(src) and src[i] not in _SPACES and src[i] != ">":
            i += 1
        name = src[name_start:i].lower()
        top = self.stack[-1]
        if name and name != top.tag:
            raise parse_error(src, begin, "Unmatched end tag", f', expected "</{top.tag}>", found "</{name}>"')
        while i < len(src) and src[i] in _SPACES:
            i += 1
        if i >= len(src) or src[i] != ">":
            raise parse_error(src, begin, "Unclosed end tag")
        self.stack.pop()
        self.close(top)
        return i + 1

    def close(self, opened: _Open) -> None:
        """Turn a finished tag into an entity (empty ones vanish, as in Telegram)."""
        length = self.pos16 - opened.start
        language = None
        if opened.tag == "code":
            css = opened.attrs.get("class", "")
            language = css[len("language-") :] if css.startswith("language-") else None
            parent = self.stack[-1] if self.stack else None
            # <pre><code class="language-x"> is one pre entity with a language.
            if parent is not None and parent.tag == "pre":
                if language:
                    parent.language = language
                return
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _SIMPLE_TAGS[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        if opened.tag == "a":
            entity["url"] = opened.attrs.get("href", "")
        elif opened.tag == "pre" and opened.language:
            entity["language"] = opened.language
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        self.entities.append(entity)


def _decode_entity(name: str) -> str | None:
    """Value of `&name;`, or None when Telegram would not recognise it."""
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name]
    try:
        if name.startswith(("#x", "#X")):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
    except (ValueError, OverflowError):
        return None
    return None


def _decode_attribute(raw: str) -> str:
    """Attribute values may carry entities too; unknown ones stay literal."""
    parts, i = [], 0
    while i < len(raw):
        end = raw.find(";", i) if raw[i] == "&" else -1
        value = _decode_entity(raw[i + 1 : end]) if end != -1 else None
        if value is not None:
            parts.append(value)
            i = end + 1
        else:
            parts.append(raw[i])
            i += 1
    return "".join(parts)


def parse_html(source: str, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities) or raise a 400 ApiError.

    Real Telegram lets a stray '&' through literally; with `strict_ampersand`
    (the default) the emulator refuses it, because an unescaped '&' almost
    always means user input went into the markup without `html.escape`.
    """
    return _HtmlScanner(source, strict_ampersand).run()


_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    """A light MarkdownV2 reading: strips markup, checks reserved characters.

    Entities are not computed; the point is plain text for tests to read and
    the "character is reserved" error Telegram gives for unescaped symbols.
    """
    out: list[str] = []
    i, in_code, in_url = 0, False, False
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
            continue
        if c == "`":
            in_code = not in_code
            if source.startswith("```", i):
                i += 3
                if in_code:  # skip the optional language after an opening fence
                    while i < len(source) and source[i] not in "\n":
                        i += 1
                continue
        elif in_code:
            out.append(c)
        elif in_url:
            in_url = c != ")"
        elif c == "]" and source.startswith("](", i):
            in_url = True
            i += 1
        elif c in "*_~|[" or (c == ">" and (i == 0 or source[i - 1] == "\n")):
            pass
        elif c in _MD2_RESERVED:
            raise bad_request(
                f"can't parse entities: Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.append(c)
        i += 1
    return "".join(out), []


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: markup characters removed, no entities."""
    text = source.replace("```", "")
    for mark in "*_`":
        text = text.replace(mark, "")
    return text, []


def parse_formatted(
    text: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None = None,
    strict_ampersand: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities for `text` under `parse_mode` (None = as given)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text, strict_ampersand)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    if mode:
        raise bad_request("unsupported parse_mode")
    return text, list(entities or [])
