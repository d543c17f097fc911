"""Territory reference strings: the contract between the picker, Processing parameters and recipes."""

import pytest

from donnees_territoires.territory import (
    TerritoryRef,
    TerritoryReferenceError,
    format_references,
    normalize_commune_code,
    parse_reference,
    parse_references,
)


@pytest.mark.parametrize("text, expected", [
    ("commune:33063", TerritoryRef("commune", "33063")),
    ("epci:243300316", TerritoryRef("epci", "243300316")),
    ("ept:200057867", TerritoryRef("ept", "200057867")),
    ("departement:33", TerritoryRef("departement", "33")),
    ("region:75", TerritoryRef("region", "75")),
    ("france", TerritoryRef("france", "")),
    ("commune:2a004", TerritoryRef("commune", "2A004")),
    ("departement:2B", TerritoryRef("departement", "2B")),
    ("departement:976", TerritoryRef("departement", "976")),
    ("commune:97611", TerritoryRef("commune", "97611")),
    (" Département : 33 ", TerritoryRef("departement", "33")),
    ("Région:84", TerritoryRef("region", "84")),
    ("France", TerritoryRef("france", "")),
])
def test_reference_strings_parse(text, expected):
    assert parse_reference(text) == expected


def test_several_references_keep_order_and_drop_duplicates():
    refs = parse_references("departement:33, commune:33063,departement:33,france")
    assert [str(ref) for ref in refs] == ["departement:33", "commune:33063", "france"]


def test_format_is_the_inverse_of_parse():
    text = "commune:33063,epci:243300316,ept:200057867,departement:2A,region:75,france"
    assert format_references(parse_references(text)) == text
    assert format_references(["Commune:2a004", "france"]) == "commune:2A004,france"


@pytest.mark.parametrize("text, says", [
    ("", "vide"),
    ("33063", "commune:33063"),  # a bare code: the message suggests the right prefix
    ("243300316", "epci:243300316"),
    ("ville:33063", "« ville »"),
    ("commune:3306", "commune:33063"),
    ("departement:1", "departement:33"),
    ("departement:69M", "epci:200046977"),  # Métropole de Lyon is no département of the COG
    ("departement:69D", "departement:69"),
    ("epci:24330031", "9 chiffres"),
    ("france:FR", "simplement france"),
])
def test_bad_references_are_named_with_what_to_do(text, says):
    with pytest.raises(TerritoryReferenceError) as error:
        parse_reference(text)
    assert says in str(error.value)
    if text:
        assert f"« {text}" in str(error.value) or text in str(error.value)


def test_an_empty_item_in_a_list_is_reported():
    with pytest.raises(TerritoryReferenceError, match="entre deux virgules"):
        parse_references("commune:33063,,commune:33281")
    with pytest.raises(TerritoryReferenceError, match="Aucun territoire"):
        parse_references("  ")


@pytest.mark.parametrize("value, expected", [
    (1001, "01001"), ("1001", "01001"), (1001.0, "01001"), (" 2a004 ", "2A004"), ("33063", "33063"),
    (None, ""), ("97611", "97611"),
])
def test_commune_codes_from_real_columns_are_normalised(value, expected):
    assert normalize_commune_code(value) == expected
