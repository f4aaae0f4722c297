"""The board as a picture: themes with their cards and dots; SWOT as a 2×2 grid.

Drawn like ``conversations/survey/chart.py``: matplotlib's ``Figure`` on the
Agg canvas (never ``pyplot``), only the fonts matplotlib ships, safe in a
worker thread. The PNG carries a plain-text description of what it shows
(themes, dots, card numbers) for screen readers and for checking it.
"""

from __future__ import annotations

import io
import json
import math
import textwrap
import warnings
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import translator
from conversations.brainstorm.views import column_label

DPI = 100
WIDTH = 10
SHORTLIST_COLOUR = "#fff3c4"
THEME_COLOUR = "#eef5f8"
EDGE_COLOUR = "#1f6f8b"
SWOT_COLOURS = {"S": "#e3f4e1", "W": "#fbe3e0", "O": "#e1ecfa", "T": "#f7ecd9"}
MAX_THEMES = 12
CARDS_PER_THEME = 6


@dataclass(frozen=True)
class BoardCard:
    """A card as the picture shows it."""

    number: int
    text: str  # the text, a photo's caption or a summary; "voice" / "photo" words when there is none


@dataclass(frozen=True)
class BoardTheme:
    """A theme as the picture shows it."""

    title: str
    column: str | None
    dots: int
    rank: int
    tied: bool
    shortlisted: bool
    cards: tuple[BoardCard, ...]


def _plain(text: str) -> str:
    return text.replace("$", r"\$")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(_plain(text), width=width, break_long_words=True) or [" "]


def _theme_lines(lang: str, theme: BoardTheme, width: int, max_cards: int) -> tuple[str, list[str]]:
    """The theme's heading (wrapped to ``width``) and its card lines."""
    ngettext = translator(lang).ngettext
    rank = f"={theme.rank}" if theme.tied else str(theme.rank)
    star = "* " if theme.shortlisted else ""
    dots = ngettext("{count} dot", "{count} dots", theme.dots).format(count=theme.dots)
    marks = " " + "●" * min(theme.dots, 12) if theme.dots else ""
    heading = "\n".join(_wrap(f"{rank}. {star}{theme.title}  ({dots}{marks})", width))
    lines = []
    for card in theme.cards[:max_cards]:
        wrapped = _wrap(f"#{card.number} {card.text}", width - 3)
        lines += ["  - " + wrapped[0], *("    " + w for w in wrapped[1:2])]
    if len(theme.cards) > max_cards:
        lines.append(
            "  " + translator(lang).gettext("…and {count} more cards").format(count=len(theme.cards) - max_cards)
        )
    return heading, lines


def description(themes: list[BoardTheme]) -> str:
    """What the picture shows, as JSON text: each theme's title, dots and card numbers."""
    return json.dumps(
        [{"theme": t.title, "dots": t.dots, "cards": [c.number for c in t.cards]} for t in themes], ensure_ascii=False
    )


def _save(figure: Figure, themes: list[BoardTheme]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a glyph the bundled font lacks
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Description": description(themes)})
    figure.clear()
    return buffer.getvalue()


def board_picture(lang: str, question: str, template: str, themes: list[BoardTheme]) -> bytes:
    """The board as a PNG in ``lang``: a box per theme (by dots), or the four SWOT parts in a 2×2 grid."""
    if template == "swot":
        return _swot(lang, question, themes)
    shown = themes[:MAX_THEMES]
    columns = 2 if len(shown) > 1 else 1
    rows = max(1, math.ceil(len(shown) / columns))
    figure = Figure(figsize=(WIDTH, 1.2 + 2.6 * rows), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle("\n".join(_wrap(question, 80)), fontsize=15, fontweight="bold", y=0.995, va="top")
    top = 1 - 1.0 / (1.2 + 2.6 * rows)
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=top, wspace=0.05, hspace=0.12)
    for index, theme in enumerate(shown):
        axes = figure.add_subplot(rows, columns, index + 1)
        heading, lines = _theme_lines(lang, theme, 44 if columns == 2 else 90, CARDS_PER_THEME)
        _box(axes, heading, lines, SHORTLIST_COLOUR if theme.shortlisted else THEME_COLOUR)
    if not shown:
        axes = figure.add_subplot(1, 1, 1)
        _box(axes, translator(lang).gettext("No themes."), [], THEME_COLOUR)
    return _save(figure, themes)


def _box(axes, heading: str, lines: list[str], colour: str) -> None:
    axes.set_facecolor(colour)
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_color(EDGE_COLOUR)
    axes.text(0.02, 0.96, _plain(heading), transform=axes.transAxes, va="top", fontsize=11, fontweight="bold")
    top = 0.84 - 0.09 * heading.count("\n")
    axes.text(
        0.02,
        top,
        "\n".join(_plain(line) for line in lines[: 11 - heading.count("\n")]),
        transform=axes.transAxes,
        va="top",
        fontsize=10.5,
    )


def _swot(lang: str, question: str, themes: list[BoardTheme]) -> bytes:
    figure = Figure(figsize=(WIDTH, 9), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle("\n".join(_wrap(question, 80)), fontsize=15, fontweight="bold", y=0.995, va="top")
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.05, hspace=0.1)
    for index, column in enumerate(("S", "W", "O", "T")):
        axes = figure.add_subplot(2, 2, index + 1)
        lines = [column_label(lang, column)]
        for theme in [t for t in themes if t.column == column]:
            heading, cards = _theme_lines(lang, theme, 44, 3)
            lines += [*heading.split("\n"), *cards]
        if len(lines) == 1:
            lines.append("-")
        axes.set_facecolor(SWOT_COLOURS[column])
        axes.set_xticks([])
        axes.set_yticks([])
        axes.text(0.02, 0.97, _plain(lines[0]), transform=axes.transAxes, va="top", fontsize=13, fontweight="bold")
        axes.text(
            0.02,
            0.88,
            "\n".join(_plain(line) for line in lines[1:24]),
            transform=axes.transAxes,
            va="top",
            fontsize=10.5,
        )
    return _save(figure, themes)
