"""The cluster's map (issue 23): the yearly firm profile (a built-in questionnaire asked through survey
rounds), the cluster's figures and the Step 1 criteria, and the value chain drawn as a picture with its
table version. Other flows read ``map_figures``, ``cluster_chain`` and ``render_chain``."""

from pathlib import Path

from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.buttons import callback_data
from bot.forms import load_forms
from bot.menu import N_, MenuEntry
from bot.services import RembugApplication
from conversations.cluster_map import chain_screen, figures_screen
from conversations.cluster_map.figures import cluster_chain, map_figures, supporting_institutions
from conversations.cluster_map.picture import render_chain
from conversations.cluster_map.rules import PREFIX, Chain, MapFigures, Step

FORMS = Path(__file__).parent / "forms"
BUTTONS = {
    Step.HOME: figures_screen.show_map,
    Step.CHAIN: chain_screen.send_chain,
    Step.TABLE: chain_screen.show_table,
    Step.DOWNLOAD: chain_screen.send_downloads,
}


def register(application: RembugApplication) -> None:
    """Add the firm profile questionnaire, the menu entry, /map and the map's buttons."""
    application.services.forms.add_forms(load_forms(FORMS))
    application.services.menu.add(
        MenuEntry(
            "clustermap",
            N_("🗺 Cluster map"),
            N_("figures from the firm profiles; the value chain drawn."),
            callback_data(PREFIX, Step.HOME.value),
            action=figures_screen.VIEW,
            order=35,
        )
    )
    application.add_handler(CommandHandler("map", figures_screen.show_map, filters=filters.ChatType.PRIVATE))
    for step, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{PREFIX}:{step.value}(:|$)"))


__all__ = ["Chain", "MapFigures", "cluster_chain", "map_figures", "register", "render_chain", "supporting_institutions"]
