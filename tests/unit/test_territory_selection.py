"""territory.Selection: the territories of a package read once, then handed on as one object."""

import pytest

from donnees_territoires.territory import (
    Selection,
    TerritoryIndex,
    TerritoryReferenceError,
    UnknownVintageError,
    latest_vintage,
)


def test_references_are_read_once_into_territories_of_one_vintage():
    selection = Selection.parse("commune:33063, epci:243300316,commune:33063", 2024, buffer_m=500)
    assert [t.reference for t in selection.territories] == ["commune:33063", "epci:243300316"]
    assert all(t.vintage == 2024 for t in selection.territories) and selection.vintage == 2024
    assert selection.reference == "commune:33063,epci:243300316"
    assert selection.name == "Bordeaux + Bordeaux Métropole"
    assert selection.code == "33063,243300316"
    assert selection.buffer_m == 500.0 and selection.mask is None
    assert selection.index is TerritoryIndex.load(2024)


def test_the_latest_vintage_by_default_and_a_list_of_references_or_territories():
    latest = Selection.parse(["departement:33"])
    assert latest.vintage == latest_vintage()
    territory = latest.territories[0]
    assert Selection.parse([territory]) == latest  # a territory read already is not read again
    one = Selection.of(territory, buffer_m=100)
    assert one.territories == (territory,) and one.vintage == territory.vintage and one.buffer_m == 100.0
    assert Selection.parse("france").code == "france"


def test_what_cuts_the_same_data_compares_equal():
    mask = {"wkt": "POLYGON((0 0,1 0,1 1,0 0))", "crs": "EPSG:4326"}
    first = Selection.parse("commune:33063", 2025, mask=mask)
    assert first == Selection.parse("commune:33063", 2025, mask=dict(mask))
    assert len({first, Selection.parse("commune:33063", 2025, mask=dict(mask))}) == 1
    assert first != Selection.parse("commune:33063", 2025)
    assert first.key() != Selection.parse("commune:33063", 2024, mask=mask).key()


@pytest.mark.parametrize("references, vintage, error, words", [
    ("", None, TerritoryReferenceError, "Aucun territoire"),
    ([], None, TerritoryReferenceError, "Aucun territoire"),
    ("commune:99999", 2026, TerritoryReferenceError, "n'existe pas dans le COG 2026"),
    ("ept:200054781", 2026, TerritoryReferenceError, "epci:200054781"),
    ("commune:33063", 1999, UnknownVintageError, "2021"),
])
def test_a_wrong_selection_is_said_in_french(references, vintage, error, words):
    with pytest.raises(error, match=words):
        Selection.parse(references, vintage)
