"""The value chain as a picture: the chain's boxes in five columns, arrows weighted by how many firms name
them, the supporting institutions in a band below.

The graph and its layout are networkx's (``multipartite_layout``: one column per stage of the chain,
the band a row of its own); matplotlib draws it like ``conversations/survey/chart.py`` (``Figure`` on
the Agg canvas, never ``pyplot``, the fonts matplotlib ships, safe in a worker thread). A box shows
its count, and the names only when it holds few (``rules.NAMED_UP_TO``), so 120 firms stay readable.
"""

from __future__ import annotations

import io
import textwrap
import warnings

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import format_number, translator
from conversations.cluster_map.rules import Box, Chain
from conversations.cluster_map.views import box_label

WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 8, 100  # 1200 x 800 px: a phone shows it full width
CHAIN_COLOUR, BAND_COLOUR, EDGE_COLOUR, ARROW_COLOUR = "#e1ecfa", "#eef7ea", "#1f6f8b", "#d9822b"
NODE_SIZE = 8000  # where an arrow stops short of a box's centre (matplotlib points squared)
CHAIN_Y, BAND_Y = 0.3, -1.1  # the middle of the chain's columns, the supporting band's row below


def _plain(text: str) -> str:
    return text.replace("$", r"\$")


def _box_text(lang: str, box: Box, loops: int) -> str:
    _ = translator(lang).gettext
    lines = textwrap.wrap(_plain(box_label(lang, box.key)), 14) or [" "]
    if box.count:  # the buyers' box counts no member: it shows where the arrows go
        lines.append(format_number(box.count, lang))
    lines += [textwrap.shorten(_plain(name), 16, placeholder="…") for name in box.names]
    if loops:
        lines.append(_("↻ {count} among them").format(count=format_number(loops, lang)))
    return "\n".join(lines)


def chain_graph(chain: Chain) -> nx.DiGraph:
    """The chain as a directed graph: a node per box (its ``stage`` for the layout), an edge per arrow."""
    graph = nx.DiGraph()
    for box in chain.boxes:
        graph.add_node(box.key, stage=box.stage, box=box)
    for link in chain.links:
        graph.add_edge(link.source, link.target, weight=link.weight)
    return graph


def _spread(placed: dict, width: float) -> dict[str, tuple[float, float]]:
    """networkx's positions stretched so the outermost boxes sit ``width`` from the middle."""
    xs = [float(x) for x, _y in placed.values()]
    low, high = min(xs), max(xs)
    middle, half = (low + high) / 2, (high - low) / 2 or 1.0
    return {key: ((float(x) - middle) / half * width, float(y)) for key, (x, y) in placed.items()}


def layout(chain: Chain) -> dict[str, tuple[float, float]]:
    """Where each box goes: networkx's multipartite layout of the chain, one column per stage, and of the
    supporting band, one row below (each box its own layer, in the band's order)."""
    graph = chain_graph(chain)
    positions: dict[str, tuple[float, float]] = {}
    if graph.number_of_nodes():
        placed = _spread(nx.multipartite_layout(graph, subset_key="stage", align="vertical"), 1.22)
        positions.update({key: (x, CHAIN_Y + 1.6 * y) for key, (x, y) in placed.items()})
    if chain.supporting:
        band = nx.Graph()
        band.add_nodes_from((f"band:{box.key}", {"place": place}) for place, box in enumerate(chain.supporting))
        placed = nx.multipartite_layout(band, subset_key="place", align="vertical")
        row = _spread(placed, 1.0) if len(chain.supporting) > 1 else dict.fromkeys(placed, (0.0, 0.0))
        positions.update({key: (x, BAND_Y) for key, (x, _y) in row.items()})
    return positions


RADIUS_BY_SPAN = {1: 0.15, 2: 0.35, 3: 0.28, 4: 0.22}  # arrows past a column bow round the boxes between


def _draw_arrows(axes, graph: nx.DiGraph, positions: dict, lang: str) -> None:
    edges = [(a, b) for a, b in graph.edges if a != b]
    if not edges:
        return
    heaviest = max(graph.edges[e]["weight"] for e in edges)
    stage = {key: data["stage"] for key, data in graph.nodes(data=True)}
    for span, radius in RADIUS_BY_SPAN.items():
        chosen = [e for e in edges if abs(stage[e[0]] - stage[e[1]]) == span]
        if not chosen:
            continue
        style = f"arc3,rad={radius}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nx.draw_networkx_edges(
                graph,
                positions,
                edgelist=chosen,
                width=[1.0 + 6.0 * graph.edges[e]["weight"] / heaviest for e in chosen],
                edge_color=ARROW_COLOUR,
                alpha=0.7,
                arrows=True,
                arrowstyle="-|>",
                arrowsize=20,
                node_size=NODE_SIZE,
                node_shape="s",
                connectionstyle=style,
                ax=axes,
            )
        nx.draw_networkx_edge_labels(
            graph,
            positions,
            edge_labels={e: format_number(graph.edges[e]["weight"], lang) for e in chosen},
            font_size=11,
            font_weight="bold",
            connectionstyle=style,
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": ARROW_COLOUR},
            ax=axes,
        )


def render_chain(chain: Chain, lang: str, title: str = "") -> bytes:
    """The chain as PNG bytes in ``lang``, with ``title`` (the cluster's name) above it."""
    _ = translator(lang).gettext
    ngettext = translator(lang).ngettext
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.08, 0.96, 0.82))
    axes.set_axis_off()
    axes.set_xlim(-1.4, 1.4)
    axes.set_ylim(-1.45, 1.4)
    heading = _("Value chain") + (f": {_plain(title)}" if title else "")
    figure.suptitle(textwrap.shorten(heading, 90, placeholder="…"), fontsize=16, fontweight="bold", y=0.97)
    graph = chain_graph(chain)
    positions = layout(chain)
    loops = {link.source: link.weight for link in chain.links if link.source == link.target}
    _draw_arrows(axes, graph, positions, lang)
    for box in chain.boxes:
        x, y = positions[box.key]
        axes.text(
            x,
            y,
            _box_text(lang, box, loops.get(box.key, 0)),
            ha="center",
            va="center",
            fontsize=10.5,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": CHAIN_COLOUR, "edgecolor": EDGE_COLOUR},
            zorder=3,
        )
    if chain.supporting:
        axes.text(-1.33, BAND_Y + 0.3, _("Supporting institutions"), fontsize=11, fontweight="bold", va="bottom")
        for box in chain.supporting:
            x, y = positions[f"band:{box.key}"]
            axes.text(
                x,
                y,
                _box_text(lang, box, 0),
                ha="center",
                va="center",
                fontsize=10,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": BAND_COLOUR, "edgecolor": EDGE_COLOUR},
                zorder=3,
            )
    if not chain.boxes and not chain.supporting:
        axes.text(0, 0, _("No members with a stakeholder type yet."), ha="center", va="center", fontsize=14)
    note = ngettext(
        "Boxes: members by stakeholder type. Arrows: firms naming them in the firm profile ({count} profile sent).",
        "Boxes: members by stakeholder type. Arrows: firms naming them in the firm profile ({count} profiles sent).",
        chain.profiles,
    ).format(count=format_number(chain.profiles, lang))
    figure.text(0.5, 0.03, _plain(note), ha="center", fontsize=10, color="#444444")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
