"""A plan's board as a picture: activities by status, and each indicator from baseline to target.

Drawn the way the survey's chart is (``Figure`` + the Agg canvas, never ``pyplot``),
so it is safe in a worker thread. Every word comes from the catalogs or the plan.
"""

from __future__ import annotations

import io
import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import translator
from conversations.plans.views import ACTIVITY_STATUS
from conversations.survey.chart import _plain, _wrapped
from storage.action_plans import Indicator

STATUS_COLOURS = {
    "not_started": "#9e9e9e",
    "on_track": "#2e7d32",
    "at_risk": "#f9a825",
    "blocked": "#c62828",
    "done": "#1f6f8b",
    "no_report": "#d0d0d0",
}


def plan_chart(
    lang: str, title: str, counts: dict[str, int], indicators: list[Indicator], values: dict[int, int | None]
) -> bytes:
    """A PNG: a bar per activity status, and per indicator its baseline, target and latest value."""
    _ = translator(lang).gettext
    figure = Figure(figsize=(10, 7), dpi=100)
    FigureCanvasAgg(figure)
    figure.suptitle(_wrapped(title, 70), fontsize=15, fontweight="bold")
    status_axes, indicator_axes = figure.subplots(2, 1)
    names = [s for s in ACTIVITY_STATUS if counts.get(s)]
    status_axes.barh(
        [_plain(_(ACTIVITY_STATUS[s])) for s in names],
        [counts[s] for s in names],
        color=[STATUS_COLOURS[s] for s in names],
    )
    status_axes.set_title(_plain(_("Activities by status")), fontsize=12)
    status_axes.invert_yaxis()
    labels = [_wrapped(f"{i.name} ({i.unit})", 30) for i in indicators]
    shares = []
    for indicator in indicators:
        value = values.get(indicator.id)
        distance = indicator.target - indicator.baseline
        shares.append(0 if value is None or distance == 0 else 100 * (value - indicator.baseline) / distance)
    indicator_axes.barh(labels or [" "], shares or [0], color="#1f6f8b")
    indicator_axes.axvline(100, color="#d9822b", linestyle="--")
    indicator_axes.set_xlim(0, max([110, *shares]))
    indicator_axes.set_title(_plain(_("Indicators: how far from baseline to target (percent)")), fontsize=12)
    indicator_axes.invert_yaxis()
    figure.tight_layout()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(buffer, format="png", dpi=100, facecolor="white")
    figure.clear()
    return buffer.getvalue()
