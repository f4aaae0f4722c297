"""The value chain as data (boxes, the supporting band, weighted arrows) and as a picture."""

from __future__ import annotations

import io

from PIL import Image

from conversations.cluster_map.picture import chain_graph, layout, render_chain
from conversations.cluster_map.rules import (
    NAMED_UP_TO,
    Box,
    Link,
    Member,
    Step,
    build_chain,
    chain_links,
    supporting_members,
    tap_data,
)
from conversations.cluster_map.views import TABLE_PAGE, table, table_lines, table_rows
from conversations.committee import rules as committee_rules
from conversations.committee.rules import CommitteeTap
from conversations.committee.rules import Step as CommitteeStep


def _profile(buys: list[str], sells: list[str]) -> dict:
    return {"buys_from": buys, "sells_to": sells}


MEMBERS = [
    Member(1, "Ani", "core_firm", _profile(["supplier"], ["trader", "buyer"])),
    Member(2, "Bayu", "leading_firm", _profile(["supplier", "subcontractor"], ["trader"])),
    Member(3, "Citra", "core_firm", _profile(["none", "supplier"], ["none"])),  # "none" outweighs the rest
    Member(4, "Dewi", "supplier", _profile(["none"], ["core"])),
    Member(5, "Eko", "subcontractor", None),
    Member(6, "Fajar", "trader", _profile(["core"], ["buyer"])),
    Member(7, "Klinik UKM", "bds_provider", _profile(["core"], ["core"])),  # outside the chain: no arrows
    Member(8, "Gita", "other", None),
    Member(9, "Hadi", None, None),
]


def test_boxes_count_members_by_chain_role_and_name_small_ones():
    chain = build_chain(MEMBERS, supporting_members(MEMBERS))
    boxes = {box.key: box for box in chain.boxes}
    assert boxes["core"] == Box("core", 1, 3, ("Ani", "Bayu", "Citra"))  # core and leading firms together
    assert boxes["supplier"].count == 1 and boxes["supplier"].stage == 0
    assert boxes["subcontractor"].stage == 2 and boxes["trader"].stage == 3 and boxes["buyer"].stage == 4
    assert boxes["buyer"].count == 0  # no member is a buyer: the box shows because arrows reach it
    assert chain.supporting == (Box("bds_provider", -1, 1, ("Klinik UKM",)),)
    assert chain.unplaced == 2 and chain.profiles == 6


def test_arrows_are_weighted_by_how_many_firms_name_them():
    links = {(link.source, link.target): link.weight for link in chain_links(MEMBERS)}
    assert links == {
        ("supplier", "core"): 3,  # Ani and Bayu buy from suppliers, Dewi sells to core firms (Citra's "none": nobody)
        ("subcontractor", "core"): 1,
        ("core", "trader"): 3,  # Ani and Bayu sell to traders, Fajar buys from core firms
        ("core", "buyer"): 1,
        ("trader", "buyer"): 1,
    }  # Klinik UKM (a BDS provider) is beside the chain: its answers draw no arrow
    assert build_chain(MEMBERS, []).total_weight == 9


def test_a_firm_counts_once_per_arrow_and_a_big_box_shows_only_its_count():
    many = [Member(i, f"Firm {i}", "core_firm", _profile(["core"], ["core"])) for i in range(NAMED_UP_TO + 1)]
    chain = build_chain(many, [])
    assert chain.boxes == (Box("core", 1, NAMED_UP_TO + 1, ()),)
    assert chain.links == (Link("core", "core", NAMED_UP_TO + 1),)


def test_outside_supporters_join_the_band_by_kind():
    chain = build_chain(MEMBERS, [*supporting_members(MEMBERS), ("bank", "BRI Unit Laweyan"), ("ngo", "Yayasan")])
    assert [box.key for box in chain.supporting] == ["bds_provider", "bank", "ngo"]  # the guideline's kinds first


def test_the_table_version_lists_boxes_band_and_arrows_with_their_weights():
    chain = build_chain(MEMBERS, supporting_members(MEMBERS))
    lines = table_lines("en", chain)
    assert "Core firms: 3 members: Ani, Bayu, Citra" in lines
    assert "Supporting: BDS provider (1): Klinik UKM" in lines
    assert "Core firms → Traders and collectors: named by 3 firms" in lines
    headers, rows = table_rows("en", chain)
    assert headers == ["Part", "From box", "To box", "Count", "Names"]
    assert ["Arrow", "Material suppliers", "Core firms", 3, ""] in rows


def test_the_layout_comes_from_networkx_by_stage_and_the_band_sits_below():
    chain = build_chain(MEMBERS, supporting_members(MEMBERS))
    graph = chain_graph(chain)
    assert graph["core"]["trader"]["weight"] == 3
    places = layout(chain)
    xs = [places[key][0] for key in ("supplier", "core", "subcontractor", "trader", "buyer")]
    assert xs == sorted(xs) and len(set(xs)) == 5  # left to right, a column per stage: no arrow runs inside one
    assert places["band:bds_provider"][1] < min(places[box.key][1] for box in chain.boxes)


def test_the_picture_is_a_png_for_an_empty_small_and_large_cluster():
    large = [
        Member(i, f"Firm {i}", ("core_firm", "supplier", "trader")[i % 3], _profile(["supplier"], ["trader"]))
        for i in range(120)
    ]
    for chain in (build_chain([], []), build_chain(MEMBERS, supporting_members(MEMBERS)), build_chain(large, [])):
        png = render_chain(chain, "id", "Sentra Batik")
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (1200, 800)
        assert 10_000 < len(png) < 400_000


def test_a_long_table_version_pages_and_each_page_fits_one_screen():
    roles = ["supplier", "core", "subcontractor", "trader", "buyer"]
    types = ["supplier", "core_firm", "subcontractor", "trader", "bank", "university", "government", "cooperative"]
    everyone = [Member(i, f"Usaha {i}", types[i % len(types)], _profile(roles, roles)) for i in range(40)]
    chain = build_chain(everyone, supporting_members(everyone))
    lines = table_lines("id", chain)
    assert len(lines) > TABLE_PAGE
    first, keyboard = table("id", "Sentra", chain, 0)
    last, _keyboard = table("id", "Sentra", chain, 99)  # an old page button: the last page
    assert "Halaman 1/" in first and len(first) < 1500 and "Halaman 1/" not in last
    data = [button.callback_data for row in keyboard.inline_keyboard for button in row]
    assert tap_data(Step.TABLE, 1) in data and tap_data(Step.DOWNLOAD) in data


def test_the_committee_button_for_cluster_maps_parses_and_forged_ones_do_not():
    assert committee_rules.parse_tap("cm1:map:3") == CommitteeTap(CommitteeStep.MAPS, 3)
    assert committee_rules.parse_tap("cm1:map:3:1") == CommitteeTap(CommitteeStep.MAPS, 3, page=1)
    for forged in ("cm1:map", "cm1:map:x", "cm1:map:3:1:2", "cm1:map:0"):
        assert committee_rules.parse_tap(forged) is None
