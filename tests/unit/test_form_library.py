"""The form library on a real SQLite file: an imported XLSForm becomes the next version of its form id,
the same file is kept once per place, a cluster sees only its own and the shared ones, and they are
back after a restart."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.form_dialog import FormDialog
from bot.form_library import BUILT_IN, import_xlsform, load_stored, offered
from bot.forms import load_forms
from conversations.survey import FORMS
from storage.database import Database
from tests.e2e.seed import seed_cluster
from tests.xlsforms import annotated_form, repeat_form, workbook

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def _dialog() -> FormDialog:
    dialog = FormDialog()
    dialog.add_forms(load_forms(FORMS))
    return dialog


def _small_annex1() -> bytes:
    """A shortened ANNEX-1 written elsewhere: same form id, two scored questions."""
    survey = [
        {"type": "select_one lvl", "name": "geographic_bounds", "label": "Batasan geografis", "required": "yes"},
        {"type": "select_one lvl", "name": "core_firms", "label": "Jumlah perusahaan inti", "required": "yes"},
    ]
    choices = [
        {"list_name": "lvl", "name": "high", "label": "Tinggi", "score": 5},
        {"list_name": "lvl", "name": "low", "label": "Rendah", "score": 1},
    ]
    return workbook(survey, choices, {"form_id": "annex1", "form_title": "ANNEX-1 ringkas"})


async def test_imports_are_versions_kept_once_per_place_and_scoped_to_their_cluster(tmp_path):
    db = await Database.open(tmp_path / "rembug.sqlite3")
    try:
        laweyan = await seed_cluster(db, NOW, facilitator=(501, "Pak Fasil"), groups={}, code="LAWEYAN1")
        troso = await seed_cluster(
            db, NOW, facilitator=(601, "Bu Fasil"), groups={}, name="Sentra Tenun Troso", code="TROSO001"
        )
        dialog = _dialog()

        refused = await import_xlsform(
            db, dialog, repeat_form(), "ulang.xlsx", cluster_id=laweyan.cluster_id, imported_by=501, now=NOW
        )
        assert refused.offered is None and any(p.reason == "repeat" for p in refused.problems)

        kept = await import_xlsform(
            db, dialog, annotated_form(), "batik.xlsx", cluster_id=laweyan.cluster_id, imported_by=501, now=NOW
        )
        assert kept.offered is not None and not kept.again
        assert (kept.offered.form.id, kept.offered.form.version) == ("batik_usaha_2026", 1)
        again = await import_xlsform(
            db, dialog, annotated_form(), "batik lagi.xlsx", cluster_id=laweyan.cluster_id, imported_by=501, now=NOW
        )
        assert again.again and again.offered is not None and again.offered.number == kept.offered.number

        # The same file for another cluster is that cluster's own copy, the next version.
        elsewhere = await import_xlsform(
            db, dialog, annotated_form(), "batik.xlsx", cluster_id=troso.cluster_id, imported_by=601, now=NOW
        )
        assert elsewhere.offered is not None and elsewhere.offered.form.version == 2

        # An ANNEX-1 brought in for every cluster follows the built-in version and takes its place.
        shared = await import_xlsform(
            db, dialog, _small_annex1(), "annex1.xlsx", cluster_id=None, imported_by=None, now=NOW
        )
        assert shared.offered is not None and shared.offered.form.version == 2

        async with db.read() as conn:
            for_laweyan = await offered(conn, dialog, laweyan.cluster_id, ["annex1"])
            for_troso = await offered(conn, dialog, troso.cluster_id, ["annex1"])
        assert [(o.form.id, o.form.version) for o in for_laweyan] == [("annex1", 2), ("batik_usaha_2026", 1)]
        assert [(o.form.id, o.form.version) for o in for_troso] == [("annex1", 2), ("batik_usaha_2026", 2)]
        assert all(o.number != BUILT_IN for o in for_laweyan)  # the built-in ANNEX-1 is replaced

        # After a restart the dialog knows every stored version again.
        fresh = _dialog()
        assert await load_stored(db, fresh) == 3
        assert {("batik_usaha_2026", 1), ("batik_usaha_2026", 2), ("annex1", 2)} <= set(fresh.forms)
        assert fresh.forms[("annex1", 2)].question("core_firms").scores == {"high": 5, "low": 1}
        # An import belongs to its clusters: what the flows ask by default stays the shipped definition.
        assert fresh.latest("annex1").version == 1
    finally:
        await db.close()
