"""The built-in catalog: the promised sources are there, each vector dataset has a safe style file."""

import xml.etree.ElementTree as ET

import pytest

from donnees_territoires.catalog import Catalog, builtin_catalog, style_problems
from donnees_territoires.catalog.styles import STYLES_DIR, default_style_path

#: id -> (source kind, cut rule): the sources issue 5 asks for
EXPECTED = {
    "admin-express-communes": ("wfs", "attribute"),
    "admin-express-epci": ("wfs", "attribute"),
    "admin-express-departements": ("wfs", "attribute"),
    "admin-express-regions": ("wfs", "attribute"),
    "api-geo-communes": ("commune_file", "none"),
    "cadastre-parcelles": ("commune_file", "none"),
    "cadastre-batiments": ("commune_file", "none"),
    "cadastre-sections": ("commune_file", "none"),
    "cadastre-lieux-dits": ("commune_file", "none"),
    "ban-adresses": ("departement_file", "attribute"),
    "dvf-mutations": ("commune_file", "none"),
    "sirene-etablissements": ("departement_file", "attribute"),
    "bdtopo-batiments": ("wfs", "intersects"),
    "bdtopo-routes": ("wfs", "clip"),
    "bdtopo-zones-activite": ("wfs", "intersects"),
    "bdtopo-troncons-hydrographiques": ("wfs", "clip"),
    "bdtopo-plans-d-eau": ("wfs", "clip"),
    "bdtopo-erp": ("wfs", "within"),
    "iris-contours": ("wfs", "attribute"),
    "qpv-2024": ("datagouv", "intersects"),
    "petites-villes-de-demain": ("datagouv", "attribute"),
    "action-coeur-de-ville": ("datagouv", "attribute"),
    "france-services": ("datagouv", "attribute"),
    "ign-orthophotos": ("wmts", "none"),
    "ign-plan": ("wmts", "none"),
}
GEOMETRY_OF_SYMBOL = {"fill": "polygon", "line": "line", "marker": "point"}


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load()


def test_the_promised_sources_are_there(catalog):
    assert {d.id: (d.source.kind, d.cut.rule) for d in catalog} == EXPECTED


def test_wfs_typenames_and_services(catalog):
    typenames = {d.id: d.source.typename for d in catalog if d.source.kind == "wfs"}
    assert typenames["admin-express-communes"] == "ADMINEXPRESS-COG.LATEST:commune"
    assert typenames["iris-contours"] == "STATISTICALUNITS.IRIS:contours_iris"
    assert {t.split(":")[1] for t in typenames.values() if t.startswith("BDTOPO_V3:")} == {
        "batiment", "troncon_de_route", "zone_d_activite_ou_d_interet", "troncon_hydrographique", "plan_d_eau",
        "erp"}
    assert {d.source.url for d in catalog if d.source.kind == "wfs"} == {"https://data.geopf.fr/wfs/ows"}
    wmts = {d.source.layer: d.format.image_format for d in catalog if d.source.kind == "wmts"}
    assert wmts == {"ORTHOIMAGERY.ORTHOPHOTOS": "image/jpeg", "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2": "image/png"}


def test_every_entry_speaks_french_and_english(catalog):
    for dataset in catalog:
        assert dataset.title.fr and dataset.title.en and dataset.description.fr and dataset.description.en
        assert dataset.licence.url.startswith("https://") and dataset.homepage.startswith("https://")


def test_sources_not_checked_online_say_so(catalog):
    unverified = {d.id for d in catalog if not d.verified}
    assert {d.id for d in catalog if d.source.kind == "datagouv"} <= unverified
    assert all(catalog[i].notes for i in unverified)


def test_every_vector_dataset_has_its_style_file(catalog):
    for dataset in catalog:
        if dataset.is_view_only:
            assert dataset.style is None
            continue
        expected = default_style_path(dataset.theme, dataset.id)
        assert expected.is_file(), f"style manquant : {expected}"
        assert dataset.style.path == expected


def test_styles_are_qgis_styles_that_only_draw(catalog):
    for dataset in catalog:
        if dataset.style is None:
            continue
        text = dataset.style.path.read_text(encoding="utf-8")
        assert style_problems(text) == [], dataset.id
        root = ET.fromstring(text)
        renderer = root.find("renderer-v2")
        if dataset.geometry_type == "none":
            assert renderer is None and root.find("aliases") is not None
        else:
            kinds = {symbol.get("type") for symbol in renderer.iter("symbol")}
            assert {GEOMETRY_OF_SYMBOL[k] for k in kinds} == {dataset.geometry_type}, dataset.id


def test_roads_are_drawn_by_importance(catalog):
    root = ET.fromstring(catalog["bdtopo-routes"].style.path.read_text(encoding="utf-8"))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "importance"
    assert [c.get("value") for c in renderer.iter("category")] == ["1", "2", "3", "4", "5", "6", ""]


def test_no_orphan_style_file(catalog):
    expected = {default_style_path(d.theme, d.id) for d in catalog if d.style is not None}
    assert set(STYLES_DIR.rglob("*.qml")) == expected


def test_the_builtin_catalog_is_read_once():
    assert builtin_catalog() is builtin_catalog()


@pytest.mark.parametrize("qml, problem", [
    ("<qgis><attributeactions><actionsetting type='1' action='import os'/></attributeactions></qgis>", "actions"),
    ("<qgis><editforminitcodesource>2</editforminitcodesource><editforminitcode>import os</editforminitcode>"
     "</qgis>", "code Python"),
    ("<qgis><editforminitcodesource>1</editforminitcodesource><editforminitfilepath>/tmp/x.py"
     "</editforminitfilepath></qgis>", "code Python"),
    ("<maplayer/>", "pas un style QGIS"),
    ("<qgis>", "illisible"),
])
def test_style_check_refuses_what_could_run_code(qml, problem):
    assert any(problem in p for p in style_problems(qml))


def test_the_form_code_template_qgis_writes_is_fine():
    qml = ("<qgis><editforminit/><editforminitcodesource>0</editforminitcodesource><editforminitcode>"
           "<![CDATA[# QGIS forms can have a Python function that is called when the form is opened.]]>"
           "</editforminitcode><attributeactions><defaultAction key='Canvas' value='{0}'/></attributeactions>"
           "</qgis>")
    assert style_problems(qml) == []
