"""The committee's pictures (matplotlib's object API on the Agg canvas, as in conversations/survey/chart.py):
clusters side by side, attendance per cluster and quarter, and the survey trend. Every word comes
from the catalogs or the data; names wrap rather than being cut; a panel without data says so in a
sentence instead of drawing empty axes, and every score carries how many answered it."""

from __future__ import annotations

import io
import math
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import format_number, translator
from conversations.committee.rules import ClusterFigures

DPI = 100
COLOURS = ("#1f6f8b", "#d9822b", "#5b8c5a", "#8c5a8c", "#c9dfe6", "#b5651d")


def _plain(text: str, width: int = 28) -> str:
    """A title on one line (cut only past ``width``), safe from matplotlib's mathtext."""
    text = text.replace("$", r"\$")
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrapped(text: str, width: int = 24, lines: int = 3) -> str:
    """A name on up to ``lines`` lines of ``width`` characters, broken between words."""
    return "\n".join(textwrap.wrap(text.replace("$", r"\$"), width, max_lines=lines, placeholder="…")) or "–"


def answered_of(lang: str, answered: int, members: int) -> str:
    """ "(1 of 16)": how many answered a score, out of the cluster's members."""
    _ = translator(lang).gettext
    return _("({answered} of {members})").format(
        answered=format_number(answered, lang), members=format_number(members, lang)
    )


def _say(axes, text: str) -> None:
    """A sentence where the panel has nothing to draw (no axes, no empty bars)."""
    axes.set_xticks([])
    axes.tick_params(left=False)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, wrap=True, transform=axes.transAxes)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def comparison_chart(
    lang: str, title: str, figures: list[ClusterFigures], base_labels: dict[str, str] | None = None
) -> bytes:
    """Clusters side by side: attendance rate, latest survey score, share of plan activities on track,
    and below them the survey profile (the latest round's median per base) as a grid."""
    _ = translator(lang).gettext
    bases = [name for name, _median in next((f.survey_bases for f in figures if f.survey_bases), ())]
    row_height = max(3.0, 0.75 * len(figures) + 1.5)
    figure = Figure(figsize=(12, row_height * (2 if bases else 1) + 1), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(_plain(title, 80), fontsize=14, fontweight="bold")
    grid = figure.add_gridspec(2 if bases else 1, 3, hspace=0.45, wspace=0.15)
    n = lambda v: format_number(round(v, 2), lang)  # noqa: E731
    panels = (
        (
            _("Attendance (%)"),
            [f.attendance_rate for f in figures],
            100,
            [n(f.attendance_rate) if f.attendance_rate is not None else "–" for f in figures],
            _("No meetings yet."),
        ),
        (
            _("Survey score (1-5)"),
            [f.survey[0] for f in figures],
            5,
            [
                f"{n(f.survey[0])} {answered_of(lang, f.survey_answers[-1] if f.survey_answers else 0, f.members)}"
                if f.survey[0] is not None
                else "–"
                for f in figures
            ],
            _("No survey answers yet."),
        ),
        (
            _("Plan activities on track (%)"),
            [100 * f.on_track / f.activities if f.activities else None for f in figures],
            100,
            [f"{f.on_track}/{f.activities}" if f.activities else "–" for f in figures],
            _("No plan activities yet."),
        ),
    )
    names = [_wrapped(f.name, 24, 4) for f in figures] or ["–"]
    for index, (label, values, top, labels, nothing) in enumerate(panels):
        axes = figure.add_subplot(grid[0, index])
        axes.set_title(label, fontsize=11)
        axes.set_ylim(len(names) - 0.5, -0.5)  # the first cluster on top
        axes.set_yticks(range(len(names)))
        axes.set_yticklabels(names if index == 0 else [""] * len(names), fontsize=9)
        if all(v is None for v in values):
            _say(axes, nothing)
            continue
        axes.barh(range(len(values)), [v or 0 for v in values], color=COLOURS[index])
        for row, (value, text) in enumerate(zip(values, labels, strict=True)):
            axes.text((value or 0) + top * 0.02, row, text, va="center", fontsize=8)
        axes.set_xlim(0, top * 1.6)
        axes.set_xticks([top * step / 4 for step in range(5)])
    if bases:
        axes = figure.add_subplot(grid[1, :])
        # A cluster without answers stays blank (not a median of 0 coloured as the worst).
        medians = [[dict(f.survey_bases).get(base) or math.nan for base in bases] for f in figures]
        image = axes.imshow(medians, cmap="RdYlGn", vmin=1, vmax=5, aspect="auto")
        axes.set_title(_("Survey profile per base (latest round, median)"), fontsize=11)
        axes.set_yticks(range(len(names)))
        axes.set_yticklabels(names, fontsize=9)
        axes.set_xticks(range(len(bases)))
        axes.set_xticklabels([_wrapped((base_labels or {}).get(b, b), 16, 3) for b in bases], fontsize=8)
        for row, cells in enumerate(medians):
            for column, value in enumerate(cells):
                if not math.isnan(value):
                    axes.text(column, row, format_number(value, lang), ha="center", va="center", fontsize=8)
        figure.colorbar(image, ax=axes, fraction=0.02)
    figure.subplots_adjust(left=0.2, right=0.97, top=0.88, bottom=0.12)
    return _png(figure)


def attendance_chart(lang: str, names: list[str], quarters: list[str], rates: list[list[float | None]]) -> bytes:
    """Attendance rate per cluster (groups of bars) and quarter (one bar each)."""
    _ = translator(lang).gettext
    figure = Figure(figsize=(11, 5), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / max(len(quarters), 1)
    for q, quarter in enumerate(quarters):
        values = [row[q] or 0 for row in rates]
        axes.bar(
            [i + q * width for i in range(len(names))], values, width, label=quarter, color=COLOURS[q % len(COLOURS)]
        )
    axes.set_xticks([i + 0.4 - width / 2 for i in range(len(names))])
    axes.set_xticklabels([_wrapped(n, 18) for n in names], fontsize=8)
    axes.set_ylim(0, 100)
    axes.set_ylabel(_("Attendance (%)"))
    axes.set_title(_("Attendance per cluster and quarter"))
    axes.legend(fontsize=8)
    figure.subplots_adjust(bottom=0.25)
    return _png(figure)


def survey_trend_chart(lang: str, series: list[tuple[str, tuple[float, ...], tuple[int, ...], int]]) -> bytes:
    """Each cluster's overall survey score, round after round (name, scores, how many answered each
    round, members), each point marked with how many answered it."""
    _ = translator(lang).gettext
    figure = Figure(figsize=(11, 5), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for index, (name, scores, answered, members) in enumerate(series):
        if scores:
            axes.plot(
                range(1, len(scores) + 1),
                scores,
                marker="o",
                label=_wrapped(name, 30, 2),
                color=COLOURS[index % len(COLOURS)],
            )
            for x, (score, count) in enumerate(zip(scores, answered, strict=False), start=1):
                text = f"{format_number(round(score, 2), lang)} {answered_of(lang, count, members)}"
                axes.annotate(text, (x, score), textcoords="offset points", xytext=(4, 6), fontsize=7)
    axes.set_ylim(1, 5)
    axes.set_xlabel(_("Survey round"))
    axes.set_ylabel(_("Overall score (1-5)"))
    axes.set_title(_("Survey profile over time"))
    if any(scores for _name, scores, _answered, _members in series):
        axes.legend(fontsize=8)
    return _png(figure)
