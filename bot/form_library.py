"""The questionnaires a cluster can use: the built-in ones and those brought in as XLSForm.

Built-in questionnaires are YAML files the flows register with the form dialog
(``bot/form_dialog.py``); imported ones live in the ``questionnaires`` table
(``storage/questionnaires.py``) as the same definition dict, and are registered
with the dialog when the bot starts (``load_stored``), when they are imported,
and when a list of them is read (one imported on the command line while the bot
runs appears at the next look). One import path serves the chat and the
command line (``import_xlsform``): read and check the sheet (``bot/xlsform.py``),
refuse it whole with its problems, or keep it as the next version of its form id.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from bot.form_dialog import FormDialog
from bot.forms import Form, FormError, parse_form, tallied_questions
from bot.xlsform import Problem, read_xlsform
from storage import forms as answers
from storage import questionnaires
from storage.database import Database
from storage.questionnaires import Stored

_LOGGER = logging.getLogger(__name__)
BUILT_IN = 0  # the number of the first built-in questionnaire in buttons (imported ones use their stored id)
# Further built-ins count down from it (-1, -2, ...) in the order a flow names them, so the first keeps 0
# (old buttons on phones still work) and none meets a stored id (those start at 1).
LARGEST_FILE = 5 * 1024 * 1024  # an XLSForm is a few kilobytes; a bigger file is not one


@dataclass(frozen=True)
class Offered:
    """A questionnaire a round can use: its definition, and its stored row when it was imported."""

    form: Form
    stored: Stored | None = None
    built_in: int = BUILT_IN  # its number among the built-in questionnaires (0, -1, -2, ...)

    @property
    def number(self) -> int:
        """How buttons name it: the stored id, or its built-in number."""
        return self.stored.id if self.stored else self.built_in


@dataclass(frozen=True)
class Imported:
    """What became of an XLSForm: refused with its problems, kept, or kept already (the same file)."""

    problems: tuple[Problem, ...] = ()
    offered: Offered | None = None
    again: bool = False  # this very file was imported here before: nothing new was kept


def _register(dialog: FormDialog, stored: Stored) -> Form | None:
    key = (stored.form_id, stored.version)
    if key in dialog.forms:
        return dialog.forms[key]
    try:
        form = parse_form(stored.definition, stored.file_name)
    except FormError as error:  # a definition the engine no longer reads: leave it out, say why in the log
        _LOGGER.warning("questionnaire %s (%s) is not loaded: %s", stored.id, stored.file_name, error)
        return None
    dialog.add_forms({key: form}, imported=True)
    return form


async def load_stored(db: Database, dialog: FormDialog) -> int:
    """Register every imported questionnaire with the dialog (at start-up); return how many."""
    async with db.read() as conn:
        stored = await questionnaires.every(conn)
    return sum(_register(dialog, one) is not None for one in stored)


async def offered(
    conn: aiosqlite.Connection, dialog: FormDialog, cluster_id: int, built_in: Iterable[str]
) -> list[Offered]:
    """The newest version of each questionnaire the cluster may use: the built-in ``built_in`` ids
    first (numbered 0, -1, -2, ... in that order; one no flow registered is left out), then the
    imported ones in the order they came; an imported version of a built-in id takes its place."""
    newest: dict[str, Offered] = {}
    shipped = {key[0] for key in dialog.forms if key not in dialog.imported}
    for place, form_id in enumerate(built_in):
        if form_id in shipped:
            newest[form_id] = Offered(dialog.latest(form_id), built_in=BUILT_IN - place)
    for stored in await questionnaires.for_cluster(conn, cluster_id):
        form = _register(dialog, stored)
        current = newest.get(stored.form_id)
        if form is not None and (current is None or form.version > current.form.version):
            newest[stored.form_id] = Offered(form, stored)
    return list(newest.values())


def find_offered(choices: list[Offered], number: int) -> Offered | None:
    """The offered questionnaire a button names."""
    return next((choice for choice in choices if choice.number == number), None)


async def import_xlsform(
    db: Database,
    dialog: FormDialog,
    data: bytes,
    file_name: str,
    *,
    cluster_id: int | None,
    imported_by: int | None,
    now,
) -> Imported:
    """Read an XLSForm and keep it as the next version of its form id for ``cluster_id`` (None: every
    cluster), or refuse it whole. The same file again for the same place is kept once."""
    read = read_xlsform(data, file_name)
    if read.problems or read.definition is None:
        return Imported(problems=tuple(read.problems))
    content_hash = hashlib.sha256(data).hexdigest()
    async with db.transaction() as tx:
        found = await questionnaires.same_file(tx, content_hash, cluster_id)
        if found is not None:
            form = _register(dialog, found)
            if form is not None:
                return Imported(offered=Offered(form, found), again=True)
        form_id = str(read.definition["id"])
        built = max((v for (fid, v) in dialog.forms if fid == form_id and (fid, v) not in dialog.imported), default=0)
        version = max(built, await questionnaires.highest_version(tx, form_id)) + 1
        definition = {**read.definition, "version": version}
        try:
            form = parse_form(definition, file_name)
        except FormError as error:  # read_xlsform checked it already; this is the last guard
            _LOGGER.warning("%s was read but not accepted: %s", file_name, error)
            return Imported(problems=(Problem("survey", None, "form_error", {"message": str(error)}),))
        stored = await questionnaires.add(
            tx,
            definition=definition,
            cluster_id=cluster_id,
            file_name=file_name,
            xlsform_version=read.xlsform_version,
            content_hash=content_hash,
            imported_by=imported_by,
            now=now,
        )
        await answers.track_choices(tx, tallied_questions([form]))
    dialog.add_forms({(form.id, form.version): form}, imported=True)
    return Imported(offered=Offered(form, stored))
