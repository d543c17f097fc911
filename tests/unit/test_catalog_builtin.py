"""The built-in catalog: the promised sources are there, each vector dataset has a safe style file."""

import xml.etree.ElementTree as ET

import pytest

from donnees_territoires.catalog import Catalog, builtin_catalog, style_problems
from donnees_territoires.catalog.styles import STYLES_DIR, default_style_path

#: id -> (source kind, cut rule): the sources issue 5 asks for, then those of issue 16
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
    "dvf-mutations": ("commune_file", "attribute"),
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
    # issue 16
    "gpu-zonage": ("wfs", "intersects"),
    "gpu-prescriptions-surfaciques": ("wfs", "intersects"),
    "gpu-prescriptions-lineaires": ("wfs", "intersects"),
    "gpu-prescriptions-ponctuelles": ("wfs", "intersects"),
    "gpu-informations-surfaciques": ("wfs", "intersects"),
    "gpu-documents": ("wfs", "intersects"),
    "gpu-servitudes-surfaciques": ("wfs", "intersects"),
    "bdtopo-voies-ferrees": ("wfs", "clip"),
    "bdtopo-surfaces-hydrographiques": ("wfs", "clip"),
    "bdtopo-cours-d-eau": ("wfs", "clip"),
    "bdtopo-vegetation": ("wfs", "clip"),
    "bdtopo-haies": ("wfs", "clip"),
    "bdtopo-lignes-electriques": ("wfs", "clip"),
    "bdtopo-zones-habitation": ("wfs", "intersects"),
    "bdtopo-cimetieres": ("wfs", "intersects"),
    "bdtopo-terrains-de-sport": ("wfs", "intersects"),
    "bdtopo-forets-publiques": ("wfs", "intersects"),
    "bdtopo-parcs-reserves": ("wfs", "intersects"),
    "bdtopo-equipements-transport": ("wfs", "intersects"),
    "bdtopo-aerodromes": ("wfs", "intersects"),
    "bdtopo-constructions-surfaciques": ("wfs", "intersects"),
    "bdtopo-reservoirs": ("wfs", "intersects"),
    "bdtopo-pylones": ("wfs", "within"),
    "bdtopo-toponymie": ("wfs", "within"),
    "filosofi-carreaux-200m": ("national_file", "intersects"),
    "bpe-equipements": ("national_file", "attribute"),
    "natura2000-habitats": ("wfs", "intersects"),
    "natura2000-oiseaux": ("wfs", "intersects"),
    "znieff-type-1": ("wfs", "intersects"),
    "znieff-type-2": ("wfs", "intersects"),
    "parcs-naturels-regionaux": ("wfs", "intersects"),
    "parcs-nationaux": ("wfs", "intersects"),
    "reserves-naturelles-nationales": ("wfs", "intersects"),
    "reserves-naturelles-regionales": ("wfs", "intersects"),
    "reserves-naturelles-corse": ("wfs", "intersects"),
    "arretes-protection-biotope": ("wfs", "intersects"),
    "conservatoire-du-littoral": ("wfs", "intersects"),
    "rpg-parcelles": ("wfs", "intersects"),
    "georisques-cavites": ("json_api", "none"),
    "georisques-mouvements-terrain": ("json_api", "none"),
    "georisques-catnat": ("json_api", "none"),
    "georisques-zonage-sismique": ("json_api", "none"),
    "gpu-zonage-carte": ("wms", "none"),
    "gtfs-arrets": ("gtfs", "within"),
    "gtfs-lignes": ("gtfs", "none"),
    "gtfs-traces": ("gtfs", "clip"),
    "ocsge-couverture": ("wmts", "none"),
    "rpg-carte": ("wmts", "none"),
    "ign-cadastre": ("wmts", "none"),
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
    assert {t.split(":")[1] for t in typenames.values() if t.startswith("BDTOPO_V3:")} >= {
        "batiment", "troncon_de_route", "zone_d_activite_ou_d_interet", "troncon_hydrographique", "plan_d_eau",
        "erp", "troncon_de_voie_ferree", "surface_hydrographique", "cours_d_eau", "zone_de_vegetation", "haie",
        "ligne_electrique", "zone_d_habitation", "cimetiere", "terrain_de_sport", "foret_publique", "parc_ou_reserve",
        "equipement_de_transport"}
    assert typenames["natura2000-habitats"] == "patrinat_sic:sic" and typenames["rpg-parcelles"] == \
        "RPG.LATEST:parcelles_graphiques"
    assert all(catalog[i].source.partitions == ("DU_{code_insee}", "DU_{siren_epci}")
               for i in typenames if i.startswith("gpu-") and i != "gpu-servitudes-surfaciques")
    assert {d.source.url for d in catalog if d.source.kind == "wfs"} == {"https://data.geopf.fr/wfs/ows"}
    wmts = {d.source.layer: d.format.image_format for d in catalog if d.source.kind == "wmts"}
    assert wmts == {"ORTHOIMAGERY.ORTHOPHOTOS": "image/jpeg", "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2": "image/png",
                    "CADASTRALPARCELS.PARCELLAIRE_EXPRESS": "image/png", "OCSGE.COUVERTURE.2024-2026": "image/png",
                    "LANDUSE.AGRICULTURE.LATEST": "image/png"}


def test_sixty_datasets_at_least_grouped_by_theme(catalog):
    datasets = [d for d in catalog if not d.is_view_only]
    assert len(datasets) >= 60
    assert {"urbanisme", "environnement", "agriculture", "risques", "mobilite", "statistique"} <= {
        d.theme for d in datasets}


def test_every_entry_speaks_french_and_english(catalog):
    for dataset in catalog:
        assert dataset.title.fr and dataset.title.en and dataset.description.fr and dataset.description.en
        assert dataset.licence.url.startswith("https://") and dataset.homepage.startswith("https://")


def test_every_entry_says_where_it_is_documented_and_how_it_was_checked(catalog):
    for dataset in catalog:
        assert dataset.documentation, dataset.id
        assert all(link.url.startswith("https://") and link.title for link in dataset.documentation), dataset.id
        assert len(dataset.evidence) >= 60, dataset.id  # a sentence naming the page or the code, not « vérifié »


def test_entries_not_checked_against_the_producer_say_what_is_left(catalog):
    unverified = [d for d in catalog if not d.verified]
    assert all(d.notes for d in unverified), [d.id for d in unverified if not d.notes]


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
