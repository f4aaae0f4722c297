"""Every outgoing text within Telegram's limits: measure it as Telegram does, split it between lines.

Telegram counts a message after parsing its HTML (the tags gone, ``&amp;`` one
character) in UTF-16 code units, so an emoji counts two: at most 4,096 for a
text and 1,024 for a caption. ``split_text`` cuts a longer text into parts that
each fit: between paragraphs when it can, then between lines, then between
words, and inside a word only as the last resort; never inside a tag or an
entity. A tag open at a cut is closed at the end of the part and opened again,
with its attributes, at the start of the next, so every part is valid HTML on
its own. Plain functions (no telegram): ``bot.fitting_bot`` applies them to
every message the bot sends.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_EMPTY_PAIR = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?></\1>")
_SPACES = frozenset(" \n")
_NAMED = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}
_SKIN_TONES = range(0x1F3FB, 0x1F400)


class _Token(NamedTuple):
    """A piece of the source: a visible character (or entity), or a tag that shows nothing."""

    raw: str
    width: int  # UTF-16 code units it shows; 0 for a tag
    tag: str | None = None  # the tag's name, for a start or an end tag
    closing: bool = False


def utf16_length(text: str) -> int:
    """Length of plain ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_length(text: str, *, html: bool = True) -> int:
    """How long Telegram counts ``text``: its visible characters after the HTML is parsed, in
    UTF-16 code units (``html=False`` for text sent without a parse mode)."""
    if not html:
        return utf16_length(text)
    return sum(token.width for token in _tokens(text))


def split_text(text: str, limit: int = TEXT_LIMIT, *, html: bool = True) -> list[str]:
    """``text`` as parts that each show at most ``limit`` characters (one part when it fits),
    cut between paragraphs, then lines, then words; open tags are closed and reopened at a cut."""
    if visible_length(text, html=html) <= limit:
        return [text]
    return _split(_tokens(text) if html else _plain_tokens(text), limit, limit)


def fit_caption(caption: str, *, html: bool = True) -> tuple[str, list[str]]:
    """``(caption, rest)``: a caption within 1,024 characters, cut between lines, and what did not
    fit as text parts of at most 4,096 to send right after it (none when it fits)."""
    if visible_length(caption, html=html) <= CAPTION_LIMIT:
        return caption, []
    first, *rest = _split(_tokens(caption) if html else _plain_tokens(caption), CAPTION_LIMIT, TEXT_LIMIT)
    return first, rest


def _plain_tokens(text: str) -> list[_Token]:
    return [_Token(char, 2 if ord(char) > 0xFFFF else 1) for char in text]


def _tokens(text: str) -> list[_Token]:
    """The HTML as tags, entities and characters (a stray ``<`` or ``&`` is a character, as in Telegram)."""
    tokens: list[_Token] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == "<":
            end = _tag_end(text, index)
            name = _TAG_NAME.match(text, index) if end is not None else None
            if name is not None and end is not None:
                raw = text[index : end + 1]
                tokens.append(_Token(raw, 0, name.group(1).lower(), raw.startswith("</")))
                index = end + 1
                continue
        elif char == "&" and (entity := _ENTITY.match(text, index)):
            raw = entity.group(0)
            tokens.append(_Token(raw, utf16_length(_decode(raw))))
            index = entity.end()
            continue
        tokens.append(_Token(char, 2 if ord(char) > 0xFFFF else 1))
        index += 1
    return tokens


def _tag_end(text: str, start: int) -> int | None:
    """Index of the ``>`` closing the tag at ``start`` (quotes respected), or None when it is no tag."""
    quote = None
    for index in range(start + 1, len(text)):
        char = text[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index
        elif char == "<":
            return None
    return None


def _decode(entity: str) -> str:
    if entity in _NAMED:
        return _NAMED[entity]
    try:
        number = int(entity[3:-1], 16) if entity[2] in "xX" else int(entity[2:-1])
        return chr(number)
    except (ValueError, OverflowError):
        return entity


def _split(tokens: list[_Token], first_limit: int, limit: int) -> list[str]:
    """Parts of at most ``first_limit`` (the first) and ``limit`` (the others) visible units."""
    parts: list[str] = []
    open_tags: list[_Token] = []  # start tags open where the current part begins
    start, cap = 0, first_limit
    while start < len(tokens):
        end, resume = _cut(tokens, start, cap) or (len(tokens), len(tokens))
        reopened = list(open_tags)
        body = tokens[start:end]
        for token in body:
            _track(open_tags, token)
        closing = "".join(f"</{token.tag}>" for token in reversed(open_tags))
        if any(token.width and token.raw not in _SPACES for token in body):
            parts.append(_tidy("".join(t.raw for t in reopened) + "".join(t.raw for t in body) + closing))
        for token in tokens[end:resume]:  # the dropped spaces may hold tags that open or close
            _track(open_tags, token)
        start, cap = resume, limit
    return parts or [""]


def _track(open_tags: list[_Token], token: _Token) -> None:
    """Keep the stack of open tags up to date after ``token``."""
    if token.tag is None:
        return
    if not token.closing:
        open_tags.append(token)
        return
    for index in range(len(open_tags) - 1, -1, -1):
        if open_tags[index].tag == token.tag:
            del open_tags[index]
            return


def _cut(tokens: list[_Token], start: int, limit: int) -> tuple[int, int] | None:
    """``(end of this part, start of the next)`` for a part beginning at ``start``, or None when
    the rest fits. The spaces at the cut are dropped."""
    used = 0
    best: dict[int, tuple[int, int]] = {}  # 2 paragraph, 1 line, 0 word: (start of the spaces, width before)
    run_start, run_used, newlines = None, 0, 0
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.tag is not None:
            continue
        if token.raw in _SPACES:
            if run_start is None:
                run_start, run_used, newlines = index, used, 0
            newlines += token.raw == "\n"
            best[min(newlines, 2)] = (run_start, run_used)
        else:
            run_start = None
        if used + token.width > limit:
            return _best_cut(tokens, best, start, index, limit)
        used += token.width
    return None


def _best_cut(
    tokens: list[_Token], best: dict[int, tuple[int, int]], start: int, overflow: int, limit: int
) -> tuple[int, int]:
    """The cut to make: the widest kind of break that keeps the part at least half full, else any
    break, else inside a word (never between a character and what joins it)."""
    chosen = next((best[kind] for kind in (2, 1, 0) if kind in best and best[kind][1] >= limit // 2), None)
    chosen = chosen or next((best[kind] for kind in (2, 1, 0) if kind in best and best[kind][1] > 0), None)
    if chosen is None:
        end = overflow
        while end - 1 > start and _joined(tokens[end - 1], tokens[end]):
            end -= 1
        return end, end
    end = chosen[0]
    resume = end
    while resume < len(tokens) and (tokens[resume].tag is not None or tokens[resume].raw in _SPACES):
        resume += 1
    return end, resume


def _joined(before: _Token, after: _Token) -> bool:
    """Whether ``after`` belongs to the character before it (a zero-width joiner, a variation
    selector, a skin tone, an accent), so a cut between them would break one symbol."""
    if before.tag is not None or after.tag is not None or len(after.raw) != 1 or len(before.raw) != 1:
        return False
    return (
        before.raw == "\u200d"
        or after.raw in "\u200d\ufe0f\ufe0e"
        or ord(after.raw) in _SKIN_TONES
        or unicodedata.combining(after.raw) > 0
    )


def _tidy(part: str) -> str:
    """Drop the empty pairs a cut can leave (``<b></b>``): they show nothing."""
    while True:
        tidied = _EMPTY_PAIR.sub("", part)
        if tidied == part:
            return part
        part = tidied
