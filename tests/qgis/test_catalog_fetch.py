"""An organisation catalog read over HTTP with the plugin's fetch() (through the mirror setting)."""

import dataclasses
import json

import pytest

from donnees_territoires.catalog import Catalog, fetch_catalog

pytestmark = pytest.mark.network

ENTRY = {
    "id": "pcrs-gironde",
    "title": {"fr": "Plan corps de rue simplifié", "en": "Simplified street plan"},
    "description": {"fr": "PCRS vecteur.", "en": "Vector PCRS."},
    "theme": "urbanisme",
    "producer": "Département de la Gironde",
    "licence": {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
    "homepage": "https://sig.exemple.fr/pcrs",
    "update_frequency": "annual",
    "source": {"kind": "departement_file", "url": "https://sig.exemple.fr/pcrs/pcrs-{code_dep}.gpkg"},
    "format": {"type": "gpkg", "geometry_type": "line"},
    "cut": {"rule": "clip"},
    "style": "styles/pcrs.qml",
}


@pytest.fixture
def mirrored(fetch_http, fetch_settings):
    """Settings whose mirror is the local server: https://host/path is served from /host/path."""
    return dataclasses.replace(fetch_settings, mirror_url=fetch_http.url_for("/").rstrip("/"))


def test_an_https_catalog_is_fetched_and_its_styles_resolved_next_to_it(qgis_app, fetch_http, mirrored):
    body = json.dumps({"format_version": 1, "datasets": [ENTRY, dict(ENTRY, id="Bad id")]})
    fetch_http.expect_request("/sig.exemple.fr/catalogues/orga.json").respond_with_data(
        body, content_type="application/json")
    url = "https://sig.exemple.fr/catalogues/orga.json"
    catalog = Catalog.load([url], fetch_url=lambda u: fetch_catalog(u, settings=mirrored))
    dataset = catalog["pcrs-gironde"]
    assert dataset.origin.kind == "url" and dataset.origin.location == url
    assert dataset.style.url == "https://sig.exemple.fr/catalogues/styles/pcrs.qml"
    (refusal,) = catalog.refusals
    assert refusal.message.startswith(f"Entrée « Bad id » du catalogue {url} : champ « id » : valeur « Bad id » "
                                      "mal formée")


def test_a_download_error_refuses_the_catalog_not_the_plugin(qgis_app, fetch_http, mirrored):
    fetch_http.expect_request("/sig.exemple.fr/absent.json").respond_with_data("non", status=404)
    document = fetch_catalog("https://sig.exemple.fr/absent.json", settings=mirrored)
    assert document.datasets == [] and document.refused_whole
    assert document.refusals[0].message.startswith(
        "Catalogue https://sig.exemple.fr/absent.json non téléchargé : ")
