"""A round's results as a picture: one horizontal bar per base (its median), the previous round beside it.

Drawn with matplotlib's object API (``Figure`` + the Agg canvas), never
``pyplot``: no global figure list to leak into, no GUI backend, and safe to run
in a worker thread (``await asyncio.to_thread(results_chart, ...)``), since a
chart takes a tenth of a second or so. Only the fonts shipped with matplotlib
are used. Every word on the picture comes from the form or the catalogs.
"""

from __future__ import annotations

import io
import textwrap
import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.forms import Form
from bot.i18n import translator
from conversations.survey.results import RoundResults, bases_of, top_score
from conversations.survey.results_views import score_text

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10, 7, 100  # 1000 x 700 px: a phone shows it full width, readable
CURRENT_COLOUR = "#1f6f8b"
PREVIOUS_COLOUR = "#c9dfe6"
OVERALL_COLOUR = "#d9822b"


def _plain(text: str) -> str:
    """Text drawn as typed: ``$`` would otherwise start matplotlib's math mode."""
    return text.replace("$", r"\$")


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(_plain(text), width=width, break_long_words=True)) or " "


def results_chart(
    form: Form, results: RoundResults, lang: str, previous: RoundResults | None = None, round_title: str = ""
) -> bytes:
    """The round's base medians as a PNG bar chart in ``lang`` (the previous round as lighter bars when given)."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    questions = {question.name: question for question in bases_of(form)}
    top = top_score(form) or 1
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()

    heading = _wrapped(form.title(lang), 70)
    if round_title:
        heading += "\n" + _wrapped(round_title, 70)
    figure.suptitle(heading, fontsize=15, fontweight="bold", y=0.98, va="top")
    figure.subplots_adjust(left=0.27, right=0.95, top=0.87 - 0.045 * heading.count("\n"), bottom=0.13)
    summary = ngettext("{count} respondent", "{count} respondents", results.respondents).format(
        count=results.respondents
    )
    if results.overall is not None:
        summary += "   ·   " + _("Overall score: {score} of {top}").format(
            score=score_text(results.overall, lang), top=top
        )
    axes.set_title(_plain(summary), fontsize=12, color="#333333", pad=12)

    count = len(results.bases)
    positions = list(range(count))
    earlier = {base.name: base.median for base in previous.bases} if previous else {}
    height = 0.38 if previous else 0.6
    offset = height / 2 if previous else 0.0
    current_values = [base.median or 0.0 for base in results.bases]
    axes.barh([p - offset for p in positions], current_values, height=height, color=CURRENT_COLOUR, zorder=3)
    if previous:
        previous_values = [earlier.get(base.name) or 0.0 for base in results.bases]
        axes.barh(
            [p + offset for p in positions],
            previous_values,
            height=height,
            color=PREVIOUS_COLOUR,
            edgecolor=CURRENT_COLOUR,
            linewidth=1,
            zorder=3,
        )
    for position, base in zip(positions, results.bases, strict=True):
        if base.median is not None:
            axes.text(
                base.median + 0.06,
                position - offset,
                score_text(base.median, lang),
                va="center",
                fontsize=12,
                fontweight="bold",
                zorder=4,
            )
        elif results.has_answers:
            axes.text(0.08, position - offset, _plain(_("no answers")), va="center", fontsize=11, color="#777777")

    legend = [Patch(color=CURRENT_COLOUR, label=_plain(_("This round")))]
    if previous:
        legend.append(Patch(facecolor=PREVIOUS_COLOUR, edgecolor=CURRENT_COLOUR, label=_plain(_("Previous round"))))
    if results.overall is not None:
        axes.axvline(results.overall, color=OVERALL_COLOUR, linestyle="--", linewidth=1.5, zorder=2)
        legend.append(Patch(color=OVERALL_COLOUR, label=_plain(_("Overall score"))))

    axes.set_yticks(positions)
    axes.set_yticklabels([_wrapped(questions[base.name].short(lang), 24) for base in results.bases], fontsize=12)
    axes.set_ylim(max(count, 1) - 0.5, -0.5)  # the form's first base at the top
    axes.set_xlim(0, top + 0.5)
    axes.set_xticks(range(top + 1))
    axes.tick_params(axis="x", labelsize=12)
    axes.set_xlabel(_plain(_("Median score")), fontsize=12)
    axes.grid(axis="x", color="#dddddd", zorder=0)
    axes.spines[["top", "right"]].set_visible(False)
    if results.has_answers:
        figure.legend(
            handles=legend, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=len(legend), frameon=False, fontsize=11
        )
    else:
        axes.text(
            top / 2,
            (max(count, 1) - 1) / 2,
            _plain(_("Not enough answers yet to show results.")),
            ha="center",
            va="center",
            fontsize=14,
            color="#555555",
        )

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a glyph the bundled font lacks (an emoji in a title)
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    figure.clear()
    return buffer.getvalue()
