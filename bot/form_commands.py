"""``rembug forms list | export ID --xlsform FILE | import FILE``: the questionnaires from the command line.

For the people who run Rembug. The questionnaires are the same the bot asks: the built-in YAML
files the flows register and those brought in as XLSForm (``bot/form_library.py``). An import
goes through the same checks as a document sent in the chat; when it is refused the report (in
English) goes to standard error and the exit code is 2. An import on the command line is for every
cluster unless ``--cluster`` names one; a bot that is running sees it the next time a facilitator
opens the questionnaires or a new round.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app import built_in_questionnaires
from bot.form_dialog import FormDialog
from bot.form_library import import_xlsform, load_stored
from bot.settings import Settings
from bot.xlsform_export import write_xlsform
from bot.xlsform_views import report_text
from storage import clusters, questionnaires
from storage.database import Database

REFUSED = 2
LANG = "en"  # the command line speaks English, like its --help


async def forms_command(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``rembug forms <list|export|import>``; return the exit code."""
    dialog = built_in_questionnaires()
    database = await Database.open(settings.database)
    try:
        await load_stored(database, dialog)
        if args.forms_command == "list":
            return await _list(database, dialog)
        if args.forms_command == "export":
            return _export(dialog, args.form_id, args.version, Path(args.xlsform))
        return await _import(database, dialog, Path(args.file), args.cluster)
    finally:
        await database.close()


async def _list(database: Database, dialog: FormDialog) -> int:
    async with database.read() as conn:
        stored = {(s.form_id, s.version): s for s in await questionnaires.every(conn)}
    print(f"{'ID':<20} {'VERSION':>7}  {'QUESTIONS':>9}  {'FROM':<32} TITLE")
    for (form_id, version), form in sorted(dialog.forms.items()):
        kept = stored.get((form_id, version))
        if kept is None:
            origin = Path(form.source).name or "built in"
        else:
            place = f"cluster {kept.cluster_id}" if kept.cluster_id is not None else "every cluster"
            origin = f"{kept.file_name} ({place})"
        print(f"{form_id:<20} {version:>7}  {len(form.questions):>9}  {origin[:32]:<32} {form.title(LANG)}")
    return 0


def _export(dialog: FormDialog, form_id: str, version: int | None, target: Path) -> int:
    versions = sorted(v for (fid, v) in dialog.forms if fid == form_id)
    if not versions or (version is not None and version not in versions):
        known = ", ".join(sorted({fid for fid, _v in dialog.forms}))
        print(f"rembug: no questionnaire {form_id!r}" + (f" version {version}" if version else ""), file=sys.stderr)
        print(f"rembug: the questionnaires are: {known}", file=sys.stderr)
        return REFUSED
    form = dialog.forms[(form_id, version if version is not None else versions[-1])]
    target.write_bytes(write_xlsform(form))
    print(f"rembug: wrote {form.id} version {form.version} ({len(form.questions)} questions) to {target}")
    return 0


async def _import(database: Database, dialog: FormDialog, source: Path, cluster_id: int | None) -> int:
    if cluster_id is not None:
        async with database.read() as conn:
            known = await clusters.get_cluster(conn, cluster_id)
        if known is None:
            print(f"rembug: there is no cluster {cluster_id}", file=sys.stderr)
            return REFUSED
    try:
        data = await asyncio.to_thread(source.read_bytes)
    except OSError as error:
        print(f"rembug: cannot read {source}: {error.strerror}", file=sys.stderr)
        return REFUSED
    result = await import_xlsform(
        database, dialog, data, source.name, cluster_id=cluster_id, imported_by=None, now=datetime.now(UTC)
    )
    if result.offered is None:
        print(_plain(report_text(LANG, list(result.problems), source.name)), file=sys.stderr)
        return REFUSED
    form = result.offered.form
    done = "was already imported as" if result.again else "imported as"
    print(f"rembug: {source.name} {done} {form.id} version {form.version}: {len(form.questions)} questions")
    return 0


def _plain(text: str) -> str:
    """The chat's HTML report as terminal text."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
