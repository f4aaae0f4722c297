"""The demo cluster's value chain: last year's firm profile round, closed, with a profile from each firm
of the cast, so 🗺 Cluster map shows realistic figures and the value chain draws a realistic picture.

Batik in Laweyan: suppliers of wax, dyes, cloth and tools sell to the batik makers; the leading firms
buy from suppliers and from the sewing subcontractor, and sell to the trader and to buyers (one
exports to Japan); small makers sell to the leading firms. The cooperative and the design service
are the supporting institutions beside the chain (they have no firm profile).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import forms, surveys

FORM_ID, FORM_VERSION = "firm_profile", 1
# user -> family workers, paid workers, monthly sales, markets, buys from, sells to (inside the cluster)
PROFILES: dict[int, tuple[str, str, str, list[str], list[str], list[str]]] = {
    810002: ("two", "5_19", "50m_200m", ["local", "other_regions"], ["supplier", "subcontractor"], ["trader", "buyer"]),
    810003: ("one", "1_4", "15m_50m", ["local"], ["supplier"], ["trader"]),
    810004: ("two", "1_4", "5m_15m", ["local"], ["supplier"], ["core"]),
    810005: ("one", "1_4", "15m_50m", ["local", "other_regions"], ["none"], ["core"]),
    810006: ("one", "5_19", "15m_50m", ["local", "other_regions"], ["supplier", "subcontractor"], ["trader"]),
    810007: ("two", "1_4", "5m_15m", ["local"], ["core"], ["core"]),
    810008: ("none", "1_4", "50m_200m", ["local", "other_regions"], ["none"], ["core", "subcontractor"]),
    810009: ("two", "20_99", "over_200m", ["other_regions", "export"], ["supplier", "core"], ["buyer"]),
    810010: ("one", "5_19", "15m_50m", ["local"], ["supplier"], ["trader"]),
    810011: ("3_5", "1_4", "5m_15m", ["local"], ["supplier"], ["core", "buyer"]),
    810012: ("none", "1_4", "50m_200m", ["other_regions", "export"], ["core"], ["buyer"]),
    810013: ("one", "none", "under_5m", ["local"], ["none"], ["core"]),
}


async def seed_firm_profiles(
    tx, cluster_id: int, opened_by: int, products: dict[int, str], now: datetime, source_update_id: int
) -> None:
    """Last year's closed firm-profile round with the cast's profiles (``products``: each one's core business)."""
    opened = now - timedelta(days=300)
    survey_round, new = await surveys.open_round(
        tx,
        cluster_id=cluster_id,
        form_id=FORM_ID,
        form_version=FORM_VERSION,
        title=f"Profil usaha {opened.year}",
        closes_at=None,
        opened_by=opened_by,
        now=opened,
        source_update_id=source_update_id,
    )
    if not new:
        return
    for user_id, (family, paid, sales, markets, buys, sells) in PROFILES.items():
        response = await forms.start_response(
            tx,
            form_id=FORM_ID,
            form_version=FORM_VERSION,
            subject=survey_round.subject,
            respondent_id=user_id,
            respondent_name=None,
            entered_by=user_id,
            now=opened,
        )
        answers = {
            "family_workers": family,
            "paid_workers": paid,
            "products": products.get(user_id, "Batik"),
            "material_sources": ["cluster", "regency"],
            "markets": markets,
            "monthly_sales": sales,
            "buys_from": buys,
            "sells_to": sells,
        }
        for question, value in answers.items():
            await forms.save_answer(tx, response.id, question, value, None, opened)
        await forms.submit(tx, response.id, opened)
    await surveys.close_round(tx, survey_round.id, opened + timedelta(days=14))
