"""The legal CRS table, checked against pyproj's areas of use."""

import pyproj
import pytest

from donnees_territoires.territory.legal_crs import (
    ZONES,
    MixedCrsZonesError,
    departement_of_commune,
    group_by_zone,
    legal_crs,
    zone_of_commune,
)


@pytest.mark.parametrize("zone", list(ZONES.values()), ids=lambda z: z.key)
def test_reference_point_is_inside_the_area_of_use(zone):
    crs = pyproj.CRS.from_epsg(zone.epsg)
    assert crs.is_projected
    west, south, east, north = crs.area_of_use.bounds
    lon, lat = zone.reference_point
    assert west <= lon <= east and south <= lat <= north, crs.area_of_use.name


@pytest.mark.parametrize("zone", list(ZONES.values()), ids=lambda z: z.key)
def test_reference_point_is_outside_every_other_zone(zone):
    # a table where two zones overlap would let a wrong projection pass unnoticed
    lon, lat = zone.reference_point
    for other in ZONES.values():
        if other.epsg == zone.epsg:
            continue
        west, south, east, north = pyproj.CRS.from_epsg(other.epsg).area_of_use.bounds
        assert not (west <= lon <= east and south <= lat <= north), other.key


@pytest.mark.parametrize("commune, epsg", [
    ("33063", 2154),   # Bordeaux
    ("2A004", 2154),   # Ajaccio
    ("2B033", 2154),   # Bastia
    ("97105", 5490),   # Basse-Terre
    ("97209", 5490),   # Fort-de-France
    ("97302", 2972),   # Cayenne
    ("97411", 2975),   # Saint-Denis (La Réunion)
    ("97611", 4471),   # Mamoudzou
])
def test_commune_codes_map_to_their_legal_crs(commune, epsg):
    assert zone_of_commune(commune).epsg == epsg


def test_departement_of_commune():
    assert departement_of_commune("97411") == "974"
    assert departement_of_commune("2a004") == "2A"
    assert departement_of_commune("75056") == "75"


def test_one_zone_selection():
    assert legal_crs(["33", "2A", "2B", "69"]).authid == "EPSG:2154"
    assert legal_crs(["971", "972"]).authid == "EPSG:5490"


def test_mixed_selection_is_a_clear_error_with_the_zones():
    with pytest.raises(MixedCrsZonesError) as error:
        legal_crs(["33", "974", "976"])
    message = str(error.value)
    assert "France métropolitaine et Corse (EPSG:2154 : 33)" in message
    assert "La Réunion (EPSG:2975 : 974)" in message
    assert "Mayotte (EPSG:4471 : 976)" in message
    assert "une sortie par zone" in message
    assert [z.key for z in error.value.zones] == ["metropole", "reunion", "mayotte"]


def test_group_by_zone_for_per_zone_outputs():
    groups = group_by_zone(["971", "33", "972", "33", "973"])
    assert {z.key: codes for z, codes in groups.items()} == {
        "antilles": ["971", "972"], "metropole": ["33"], "guyane": ["973"]}
