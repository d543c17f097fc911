"""Searching territories the way people type them, on the real COG 2026."""

import pytest

from donnees_territoires.territory import TerritoryIndex, TerritoryKind
from donnees_territoires.territory.search import one_edit_variants, query_key, spaced_forms


@pytest.fixture(scope="module")
def cog():
    return TerritoryIndex.load(2026)


def found(cog, query, limit=10, **options):
    return [(hit.territory.reference, hit.match) for hit in cog.search(query, limit=limit, **options)]


def test_keys_ignore_accents_case_hyphens_apostrophes_and_abbreviations():
    assert spaced_forms(["L'Haÿ-les-Roses", "Œuilly", "ÉPINAL"]) == ["l hay les roses", "oeuilly", "epinal"]
    assert query_key("St-Émilion") == query_key("saint emilion") == query_key("SAINT-ÉMILION") == "saintemilion"
    assert query_key("Ste Foy") == "saintefoy"
    assert query_key("l’haÿ les roses") == "lhaylesroses"  # typographic apostrophe


def test_one_edit_variants_cover_the_four_kinds_of_typo():
    variants = one_edit_variants("bordo")
    assert {"bord", "borod", "borde", "bordeo"} <= variants and "bordo" not in variants


def test_homonyms_both_come_back_labelled_with_their_departement(cog):
    hits = cog.search("Castres")
    assert [(h.territory.label, h.match) for h in hits[:2]] == [("Castres (81)", "exact"), ("Castres (02)", "exact")]
    assert hits[0].territory.population > hits[1].territory.population  # ties broken by population


def test_a_departement_after_the_name_keeps_that_homonym(cog):
    assert found(cog, "Castres (02)", limit=1) == [("commune:02142", "exact")]
    assert found(cog, "castres 81", limit=1) == [("commune:81065", "exact")]


@pytest.mark.parametrize("query", ["st emilion", "saint-emilion", "Saint Émilion", "ST-EMILION", "st-émilion"])
def test_saint_emilion_whatever_the_spelling(cog, query):
    assert found(cog, query)[0] == ("commune:33394", "exact")


def test_a_typo_still_finds_bordeaux(cog):
    hits = found(cog, "bordo", limit=40)
    assert ("commune:33063", "fuzzy") in hits[:2]
    # a typo on the first letter comes after: Dordogne (« dordo… ») only after Bordeaux
    assert hits.index(("departement:24", "fuzzy")) > hits.index(("commune:33063", "fuzzy"))
    assert found(cog, "marseile")[0] == ("commune:13055", "fuzzy")
    assert found(cog, "montpelier", kinds=[TerritoryKind.COMMUNE])[0] == ("commune:34172", "fuzzy")


def test_exact_then_prefix_then_fuzzy_then_contains(cog):
    matches = [match for _, match in found(cog, "bordeaux", limit=80)]
    order = ["exact", "prefix", "fuzzy", "contains"]
    assert set(matches) == set(order)
    assert matches == sorted(matches, key=order.index)
    assert found(cog, "bordeaux", limit=2) == [("commune:33063", "exact"), ("epci:243300316", "prefix")]


def test_names_are_found_without_their_article_or_by_a_later_part(cog):
    assert ("commune:17300", "exact") in found(cog, "rochelle")  # La Rochelle
    assert found(cog, "emilion", kinds=[TerritoryKind.COMMUNE])[0] == ("commune:33394", "contains")
    assert found(cog, "pays de fayence")[0] == ("epci:200004802", "exact")  # CC du Pays de Fayence


def test_codes_siren_and_postal_codes(cog):
    assert found(cog, "33063")[0] == ("commune:33063", "code")
    assert found(cog, "33000") == [("commune:33063", "postal_code")]
    assert found(cog, "213300635") == [("commune:33063", "siren")]
    assert found(cog, "243300316") == [("epci:243300316", "siren")]
    assert found(cog, "2A") == [("departement:2A", "code")]
    assert found(cog, "976") == [("departement:976", "code")]
    assert found(cog, "75") == [("departement:75", "code"), ("region:75", "code")]
    postal_75001 = found(cog, "75001")
    assert ("commune:75101", "postal_code") in postal_75001 and ("commune:75056", "postal_code") in postal_75001


def test_kinds_filter_and_limit(cog):
    hits = cog.search("bordeaux", kinds=[TerritoryKind.EPCI])
    assert [h.territory.reference for h in hits] == ["epci:243300316"]
    assert len(cog.search("saint", limit=3)) == 3
    assert cog.search("   ") == [] and cog.search("bordeaux", limit=0) == []


def test_paris_arrondissements_and_lyon_are_found(cog):
    assert found(cog, "paris 1er", limit=1) == [("commune:75101", "prefix")]
    lyon = found(cog, "lyon")
    assert lyon[0] == ("commune:69123", "exact")
    assert found(cog, "metropole de lyon")[0] == ("epci:200046977", "exact")
    assert found(cog, "rhone")[0] == ("departement:69", "exact")


def test_search_in_an_old_vintage_finds_communes_of_that_year():
    # Essarts en Bocage was one commune in 2023; Sainte-Florence was restored in 2024
    hit = TerritoryIndex.load(2023).search("sainte florence", kinds=[TerritoryKind.COMMUNE_DELEGUEE])[0]
    assert (hit.territory.code, hit.territory.parent) == ("85212", "85084")
    assert TerritoryIndex.load(2026).search("sainte florence")[0].territory.kind is TerritoryKind.COMMUNE
