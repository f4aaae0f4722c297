"""How a person's stored name is shown: an erased person (storage/erasure.py) as "Former member (erased)"."""

from __future__ import annotations

from bot.i18n import translator
from storage.erasure import ERASED_NAME


def shown_name(lang: str, name: str) -> str:
    """``name`` as screens show it; the name stored for an erased person reads "Former member (erased)"."""
    return translator(lang).gettext("Former member (erased)") if name == ERASED_NAME else name
