"""The committee's pictures (matplotlib's object API on the Agg canvas, as in conversations/survey/chart.py):
clusters side by side, attendance per cluster and quarter, and the survey trend. Every word comes
from the catalogs or the data."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import translator
from conversations.committee.rules import ClusterFigures

DPI = 100
COLOURS = ("#1f6f8b", "#d9822b", "#5b8c5a", "#8c5a8c", "#c9dfe6", "#b5651d")


def _plain(text: str, width: int = 28) -> str:
    text = text.replace("$", r"\$")
    return text if len(text) <= width else text[: width - 1] + "…"


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
    names = [_plain(f.name) for f in figures] or ["–"]
    bases = [name for name, _median in next((f.survey_bases for f in figures if f.survey_bases), ())]
    row_height = max(3.0, 0.4 * len(names) + 1.5)
    figure = Figure(figsize=(12, row_height * (2 if bases else 1) + 1), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(_plain(title, 80), fontsize=14, fontweight="bold")
    grid = figure.add_gridspec(2 if bases else 1, 3, hspace=0.45, wspace=0.15)
    panels = (
        (_("Attendance (%)"), [f.attendance_rate or 0 for f in figures], 100),
        (_("Survey score (1-5)"), [f.survey[0] or 0 for f in figures], 5),
        (
            _("Plan activities on track (%)"),
            [100 * f.on_track / f.activities if f.activities else 0 for f in figures],
            100,
        ),
    )
    for index, (label, values, top) in enumerate(panels):
        axes = figure.add_subplot(grid[0, index])
        axes.barh(range(len(values)), values or [0], color=COLOURS[index])
        axes.set_xlim(0, top)
        axes.set_title(label, fontsize=11)
        axes.set_yticks(range(len(names)))
        axes.set_yticklabels(names if index == 0 else [""] * len(names), fontsize=9)
        axes.invert_yaxis()
    if bases:
        axes = figure.add_subplot(grid[1, :])
        medians = [[dict(f.survey_bases).get(base) or 0 for base in bases] for f in figures]
        image = axes.imshow(medians, cmap="RdYlGn", vmin=1, vmax=5, aspect="auto")
        axes.set_title(_("Survey profile per base (latest round, median)"), fontsize=11)
        axes.set_yticks(range(len(names)))
        axes.set_yticklabels(names, fontsize=9)
        axes.set_xticks(range(len(bases)))
        axes.set_xticklabels(
            [_plain((base_labels or {}).get(b, b), 18) for b in bases], fontsize=8, rotation=20, ha="right"
        )
        for row, values in enumerate(medians):
            for column, value in enumerate(values):
                if value:
                    axes.text(column, row, f"{value:g}", ha="center", va="center", fontsize=8)
        figure.colorbar(image, ax=axes, fraction=0.02)
    figure.subplots_adjust(left=0.2, right=0.97, top=0.9, bottom=0.1)
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
    axes.set_xticklabels([_plain(n, 16) for n in names], fontsize=8, rotation=20, ha="right")
    axes.set_ylim(0, 100)
    axes.set_ylabel(_("Attendance (%)"))
    axes.set_title(_("Attendance per cluster and quarter"))
    axes.legend(fontsize=8)
    figure.subplots_adjust(bottom=0.22)
    return _png(figure)


def survey_trend_chart(lang: str, series: list[tuple[str, tuple[float, ...]]]) -> bytes:
    """Each cluster's overall survey score, round after round."""
    _ = translator(lang).gettext
    figure = Figure(figsize=(11, 5), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for index, (name, scores) in enumerate(series):
        if scores:
            axes.plot(
                range(1, len(scores) + 1),
                scores,
                marker="o",
                label=_plain(name, 20),
                color=COLOURS[index % len(COLOURS)],
            )
    axes.set_ylim(1, 5)
    axes.set_xlabel(_("Survey round"))
    axes.set_ylabel(_("Overall score (1-5)"))
    axes.set_title(_("Survey profile over time"))
    if any(scores for _name, scores in series):
        axes.legend(fontsize=8)
    return _png(figure)
