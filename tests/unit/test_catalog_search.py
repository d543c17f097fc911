"""Browsing the catalog: by id, by theme, by text without caring for accents or case."""

import pytest

from donnees_territoires.catalog import Catalog, UnknownDatasetError, theme_label


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load()


def ids(datasets):
    return [d.id for d in datasets]


def test_search_ignores_accents_case_and_ligatures(catalog):
    assert ids(catalog.search("coeur de ville")) == ["action-coeur-de-ville"]
    assert "parcs-nationaux" in ids(catalog.search("cœur"))  # a national park's « cœur »
    assert ids(catalog.search("CŒUR de VILLE")) == ["action-coeur-de-ville"]
    assert "cadastre-batiments" in ids(catalog.search("batiments"))
    assert "bdtopo-batiments" in ids(catalog.search("Bâtiments"))


def test_every_word_must_match(catalog):
    assert ids(catalog.search("bâtiments cadastre")) == ["cadastre-batiments"]
    assert ids(catalog.search("parcelle introuvable")) == []


def test_title_matches_come_first(catalog):
    found = ids(catalog.search("adresse"))
    assert found[0] == "ban-adresses"
    assert "bdtopo-erp" in found  # « adresse » in its description only


def test_search_reaches_keywords_producer_and_english(catalog):
    assert "sirene-etablissements" in ids(catalog.search("SIRET"))
    assert "dvf-mutations" in ids(catalog.search("property transactions"))
    assert set(ids(catalog.search("ANCT"))) >= {"qpv-2024", "france-services", "petites-villes-de-demain"}
    assert ids(catalog.search("ign-plan")) == ["ign-plan"]


def test_empty_search_lists_everything(catalog):
    assert len(catalog.search("  ")) == len(catalog)


def test_by_theme(catalog):
    assert ids(catalog.by_theme("cadastre")) == [
        "cadastre-batiments", "cadastre-lieux-dits", "cadastre-parcelles", "cadastre-sections"]
    assert len(catalog.by_theme("bdtopo")) == 23
    assert catalog.themes()[:4] == ["contours", "cadastre", "adresses", "foncier"]
    assert "autre" not in catalog.themes() and "risques" in catalog.themes()


def test_theme_labels_are_french(catalog):
    assert theme_label("politiques_publiques") == "Politiques publiques"
    assert theme_label("economie") == "Économie"
    assert all(theme_label(theme) != theme for theme in catalog.themes() if theme != "bdtopo")


def test_lookup_by_id(catalog):
    assert catalog["ban-adresses"].title.fr == "Adresses (Base adresse nationale)"
    assert catalog.get("nope") is None and "nope" not in catalog
    with pytest.raises(UnknownDatasetError, match="« nope » absent des catalogues chargés"):
        catalog["nope"]
    assert catalog.origin_of("ban-adresses").is_builtin


def test_titles_in_english(catalog):
    assert catalog["cadastre-parcelles"].title_for("en") == "Cadastral parcels"
    assert catalog["cadastre-parcelles"].title_for("fr") == "Parcelles cadastrales"
