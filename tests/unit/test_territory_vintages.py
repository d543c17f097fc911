"""Commune codes across vintages: conversion statuses and vintage detection, on real COG history."""

import sqlite3
from collections import Counter

import pytest

from donnees_territoires.territory import CogHistory, ConversionStatus
from tests.conftest import FRANCE_2018  # France-wide: beside the checkout (../shared/data), never inside it


@pytest.fixture(scope="module")
def history():
    return CogHistory.load()


@pytest.fixture(scope="module")
def codes_2018():
    # a GeoPackage is an SQLite database: no GDAL needed to read one attribute
    with sqlite3.connect(f"file:{FRANCE_2018}?mode=ro", uri=True) as connection:
        return dict(connection.execute("SELECT code, nom FROM commune"))


def test_statuses_are_the_french_contract_values():
    assert [status.value for status in ConversionStatus] == ["inchange", "fusionne", "ambigu", "inconnu"]


def test_unchanged_code(history):
    result = history.convert("33063")
    assert (result.status, result.codes, result.names) == (ConversionStatus.INCHANGE, ("33063",), ("Bordeaux",))
    assert result.target_vintage == 2026 and result.target_code == "33063"
    assert history.convert(1001).codes == ("01001",)  # a numeric column lost the leading zero


def test_merged_commune_goes_to_its_commune_nouvelle(history):
    # 14011 Aurseulles became 14581 Aurseulles when its chef-lieu changed in 2025
    result = history.convert("14011", source=2024)
    assert (result.status, result.codes, result.names) == (ConversionStatus.FUSIONNE, ("14581",), ("Aurseulles",))
    # a commune déléguée of 2023 goes to its chef-lieu
    assert history.convert("85030", target=2023).codes == ("85084",)


def test_code_older_than_2021_goes_through_the_cog_history(history):
    # Étrez (01154) merged into Bresse Vallons (01130) on 1 January 2019
    result = history.convert("01154")
    assert (result.status, result.codes, result.names) == (ConversionStatus.FUSIONNE, ("01130",), ("Bresse Vallons",))
    # Ajaccio's code before the 1976 split of Corse is in anciensCodes
    assert history.convert("20004").codes == ("2A004",)
    # Neuville-Garnier (60455) merged in 2019 and lies in Les Hauts-Talican (60694) since the 2024 split
    assert history.convert("60455").codes == ("60694",)


def test_split_is_ambiguous_with_every_candidate(history):
    # Essarts en Bocage (2023) gave back L'Oie and Sainte-Florence in 2024
    result = history.convert("85084", source=2023, target=2026)
    assert result.status is ConversionStatus.AMBIGU
    assert result.codes == ("85084", "85165", "85212")
    assert result.names == ("Essarts-en-Bocage", "L'Oie", "Sainte-Florence")
    assert result.target_code is None and "plusieurs communes" in result.message
    # without a source vintage, a code valid in the target is taken as it is
    assert history.convert("85084").status is ConversionStatus.INCHANGE


def test_backwards_over_a_merger_is_ambiguous_and_a_split_commune_goes_back_to_its_parent(history):
    result = history.convert("85212", source=2026, target=2023)
    assert (result.status, result.codes) == (ConversionStatus.FUSIONNE, ("85084",))
    merged = history.convert("01130", source=2026, target=2021)  # Bresse Vallons existed in 2021 already
    assert merged.status is ConversionStatus.INCHANGE
    neussargues = history.convert("15141", source=2026, target=2024)
    assert neussargues.status is ConversionStatus.INCHANGE
    back = history.convert("15171", source=2026, target=2024)  # Sainte-Anastasie, restored in 2025
    assert (back.status, back.codes) == (ConversionStatus.FUSIONNE, ("15141",))


def test_unknown_codes_say_why(history):
    postal = history.convert("33000")
    assert postal.status is ConversionStatus.INCONNU and postal.codes == () and "code postal" in postal.message
    assert history.convert("ABCDE").status is ConversionStatus.INCONNU
    assert "vide" in history.convert("").message


def test_arrondissements_stay_or_go_to_their_commune(history):
    assert history.convert("75101").status is ConversionStatus.INCHANGE
    to_commune = history.convert("69381", arrondissements_to_commune=True)
    assert (to_commune.status, to_commune.codes, to_commune.names) == (ConversionStatus.FUSIONNE, ("69123",),
                                                                       ("Lyon",))


def test_detect_vintage_of_a_complete_recent_column(history):
    detection = history.detect_vintage(sorted(history.codes[2024].actual_codes))
    assert detection.vintage == 2024 and detection.tied == (2024,)
    # COG 2025 and 2026 have the same communes (no merger in the year of the 2026 municipal elections)
    same = history.detect_vintage(sorted(history.codes[2025].actual_codes))
    assert same.tied == (2025, 2026) and same.vintage == 2026
    assert "2025, 2026" in same.explanation and "le plus récent" in same.explanation


def test_detect_vintage_of_one_departement(history):
    # Vendée communes of 2023: Essarts en Bocage still whole, L'Oie and Sainte-Florence absent
    vendee_2023 = [code for code in history.codes[2023].actual_codes if code.startswith("85")]
    detection = history.detect_vintage(vendee_2023)
    assert detection.vintage == 2023
    scores = {score.vintage: score for score in detection.scores}
    assert scores[2023].unmatched == 0 and scores[2023].missing == 0
    assert scores[2024].missing == 2  # 85165 and 85212, restored in 2024


@pytest.mark.france_wide
def test_layer_of_2018_converts_to_2026_with_every_code_resolved_or_reported(history, codes_2018):
    assert len(codes_2018) == 35357
    detection = history.detect_vintage(codes_2018)
    assert detection.vintage == 2021  # the oldest shipped vintage is the nearest
    assert "antérieure à 2021" in detection.explanation

    results = history.convert_many(codes_2018, target=2026, source=detection.vintage)
    statuses = Counter(result.status for result in results.values())
    assert sum(statuses.values()) == len(codes_2018)
    assert statuses[ConversionStatus.INCONNU] == 0
    resolved = statuses[ConversionStatus.INCHANGE] + statuses[ConversionStatus.FUSIONNE]
    assert resolved >= 35000
    assert statuses[ConversionStatus.FUSIONNE] >= 450  # hundreds of communes nouvelles since 2018
    actual_2026 = history.codes[2026].actual_codes
    for result in results.values():
        assert set(result.codes) <= actual_2026, result
        assert (len(result.codes) == 1) == (result.status in (ConversionStatus.INCHANGE, ConversionStatus.FUSIONNE))

    # real cases, checked against the 2018 names of the layer
    assert codes_2018["01154"] == "Étrez" and results["01154"].names == ("Bresse Vallons",)
    assert codes_2018["60455"] == "Neuville-Garnier" and results["60455"].codes == ("60694",)
    ambiguous = {code for code, result in results.items() if result.status is ConversionStatus.AMBIGU}
    assert ambiguous == {"15141", "60054", "85084"}  # communes nouvelles of 2021 split since
    assert results["15141"].codes == ("15031", "15035", "15047", "15141", "15171")
