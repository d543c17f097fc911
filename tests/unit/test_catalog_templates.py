"""URL templates expanded for real territories: Bordeaux, La Réunion, Corse, Paris, Lyon, Marseille."""

from urllib.parse import parse_qs, urlsplit

import pytest

from donnees_territoires.catalog import Catalog, TemplateError, TerritoryFacts
from donnees_territoires.catalog.sources import filter_values, wmts_capabilities_url
from donnees_territoires.catalog.templates import fill, template_problems
from donnees_territoires.territory.legal_crs import MixedCrsZonesError, departement_of_commune

CADASTRE = "https://cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes"
PARIS_ARRONDISSEMENTS = [str(code) for code in range(75101, 75121)]
LYON_ARRONDISSEMENTS = [str(code) for code in range(69381, 69390)]


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load()


def urls(catalog, dataset_id, facts):
    return [request.url for request in catalog.expand_urls(dataset_id, facts)]


@pytest.mark.parametrize("commune, departement", [
    ("33063", "33"), ("97411", "974"), ("2A004", "2A"), ("2B033", "2B"), ("75101", "75"), ("97611", "976"),
])
def test_departement_of_a_commune(commune, departement):
    assert departement_of_commune(commune) == departement


def test_cadastre_of_bordeaux(catalog):
    assert urls(catalog, "cadastre-parcelles", TerritoryFacts.for_communes(["33063"])) == [
        f"{CADASTRE}/33/33063/cadastre-33063-parcelles.json.gz"]
    assert urls(catalog, "cadastre-lieux-dits", TerritoryFacts.for_communes(["33063"])) == [
        f"{CADASTRE}/33/33063/cadastre-33063-lieux_dits.json.gz"]


def test_cadastre_of_saint_denis_de_la_reunion_uses_a_three_character_departement(catalog):
    assert urls(catalog, "cadastre-batiments", TerritoryFacts.for_communes(["97411"])) == [
        f"{CADASTRE}/974/97411/cadastre-97411-batiments.json.gz"]


def test_cadastre_of_ajaccio_uses_2a(catalog):
    assert urls(catalog, "cadastre-sections", TerritoryFacts.for_communes(["2A004"])) == [
        f"{CADASTRE}/2A/2A004/cadastre-2A004-sections.json.gz"]


def test_cadastre_of_paris_is_per_arrondissement(catalog):
    requests = catalog.expand_urls("cadastre-parcelles", TerritoryFacts.for_communes(["75056"]))
    assert [r.unit for r in requests] == [f"commune:{code}" for code in PARIS_ARRONDISSEMENTS]
    assert requests[0].url == f"{CADASTRE}/75/75101/cadastre-75101-parcelles.json.gz"
    assert requests[-1].url == f"{CADASTRE}/75/75120/cadastre-75120-parcelles.json.gz"
    assert all(r.codes == () for r in requests)  # cut « none »: the file is the unit


def test_cadastre_of_lyon_and_marseille(catalog):
    lyon = urls(catalog, "cadastre-parcelles", TerritoryFacts.for_communes(["69123"]))
    assert lyon == [f"{CADASTRE}/69/{code}/cadastre-{code}-parcelles.json.gz" for code in LYON_ARRONDISSEMENTS]
    assert len(urls(catalog, "cadastre-parcelles", TerritoryFacts.for_communes(["13055"]))) == 16


def test_one_arrondissement_alone(catalog):
    facts = TerritoryFacts.for_communes(["75108"])
    assert urls(catalog, "cadastre-parcelles", facts) == [f"{CADASTRE}/75/75108/cadastre-75108-parcelles.json.gz"]
    # API Geo publishes communes: the arrondissement becomes Paris
    assert urls(catalog, "api-geo-communes", facts) == [
        "https://geo.api.gouv.fr/communes/75056?format=geojson&geometry=contour"]


def test_a_dated_cadastre_edition(catalog):
    facts = TerritoryFacts.for_communes(["33063"], millesime="2024-01-01")
    assert urls(catalog, "cadastre-parcelles", facts) == [
        "https://cadastre.data.gouv.fr/data/etalab-cadastre/2024-01-01/geojson/communes/33/33063/"
        "cadastre-33063-parcelles.json.gz"]


def test_ban_is_one_file_per_departement_filtered_on_the_communes(catalog):
    facts = TerritoryFacts.for_communes(["33063", "33069", "97411"])
    requests = catalog.expand_urls("ban-adresses", facts)
    assert [(r.url, r.codes) for r in requests] == [
        ("https://adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz", ("33063", "33069")),
        ("https://adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-974.csv.gz", ("97411",)),
    ]


def test_ban_of_lyon_filters_on_arrondissement_codes(catalog):
    requests = catalog.expand_urls("ban-adresses", TerritoryFacts.for_communes(["69123"]))
    assert len(requests) == 1
    assert requests[0].url.endswith("/adresses-69.csv.gz")
    assert list(requests[0].codes) == LYON_ARRONDISSEMENTS


def test_sirene_of_corsica(catalog):
    requests = catalog.expand_urls("sirene-etablissements", TerritoryFacts.for_communes(["2A004", "2B033"]))
    assert [(r.url.rsplit("/", 1)[-1], r.codes) for r in requests] == [
        ("geo_siret_2A.csv.gz", ("2A004",)), ("geo_siret_2B.csv.gz", ("2B033",))]


def test_dvf_is_per_commune_and_per_year(catalog):
    facts = TerritoryFacts.for_communes(["33063"], years=(2023, 2024))
    assert urls(catalog, "dvf-mutations", facts) == [
        "https://files.data.gouv.fr/geo-dvf/latest/csv/2023/communes/33/33063.csv",
        "https://files.data.gouv.fr/geo-dvf/latest/csv/2024/communes/33/33063.csv"]
    default_years = catalog["dvf-mutations"].source.years
    assert len(urls(catalog, "dvf-mutations", TerritoryFacts.for_communes(["75056"]))) == 20 * len(default_years)


def test_admin_express_wfs_filters_on_the_commune_code(catalog):
    (request,) = catalog.expand_urls("admin-express-communes", TerritoryFacts.for_communes(["75056"]))
    query = parse_qs(urlsplit(request.url).query)
    assert request.url.startswith("https://data.geopf.fr/wfs/ows?")
    assert query["TYPENAMES"] == ["ADMINEXPRESS-COG.LATEST:commune"]
    assert query["CQL_FILTER"] == ["code_insee IN ('75056')"]
    assert query["OUTPUTFORMAT"] == ["application/json"]
    assert query["SORTBY"] == ["cleabs"]
    assert request.codes == ("75056",)


def test_iris_of_paris_are_filtered_on_arrondissements(catalog):
    (request,) = catalog.expand_urls("iris-contours", TerritoryFacts.for_communes(["75056"]))
    query = parse_qs(urlsplit(request.url).query)
    assert query["TYPENAMES"] == ["STATISTICALUNITS.IRIS:contours_iris"]
    assert query["CQL_FILTER"] == ["code_insee IN (" + ",".join(f"'{c}'" for c in PARIS_ARRONDISSEMENTS) + ")"]


def test_wfs_filters_are_batched(catalog):
    communes = [f"33{n:03d}" for n in range(1, 401)]
    requests = catalog.expand_urls("admin-express-communes", TerritoryFacts.for_communes(communes))
    assert [len(r.codes) for r in requests] == [150, 150, 100]
    assert sum((r.codes for r in requests), ()) == tuple(communes)


def test_epci_and_region_contours_use_their_codes(catalog):
    facts = TerritoryFacts.for_communes(["33063"], epci=("243300316",), regions=("75",))
    epci = parse_qs(urlsplit(urls(catalog, "admin-express-epci", facts)[0]).query)
    assert epci["CQL_FILTER"] == ["code_siren IN ('243300316')"]
    region = parse_qs(urlsplit(urls(catalog, "admin-express-regions", facts)[0]).query)
    assert region["CQL_FILTER"] == ["code_insee IN ('75')"]
    departement = parse_qs(urlsplit(urls(catalog, "admin-express-departements", facts)[0]).query)
    assert departement["CQL_FILTER"] == ["code_insee IN ('33')"]


def test_bd_topo_asks_the_territory_bbox(catalog):
    facts = TerritoryFacts.for_communes(["33063"], bbox=(-0.6387, 44.8108, -0.5299, 44.9164))
    (request,) = catalog.expand_urls("bdtopo-batiments", facts)
    query = parse_qs(urlsplit(request.url).query)
    assert query["TYPENAMES"] == ["BDTOPO_V3:batiment"]
    assert query["BBOX"] == ["-0.6387,44.8108,-0.5299,44.9164,EPSG:4326"]
    assert "CQL_FILTER" not in query
    with pytest.raises(TemplateError, match="emprise"):
        catalog.expand_urls("bdtopo-routes", TerritoryFacts.for_communes(["33063"]))


def test_datagouv_entries_expand_to_the_api(catalog):
    (request,) = catalog.expand_urls("france-services", TerritoryFacts.for_communes(["33063"]))
    assert request.url == "https://www.data.gouv.fr/api/1/datasets/liste-des-structures-france-services/"
    assert request.needs_resolution and request.codes == ("33063",)


def test_wmts_entries_expand_to_the_capabilities(catalog):
    (request,) = catalog.expand_urls("ign-orthophotos", TerritoryFacts())
    assert request.url == wmts_capabilities_url("https://data.geopf.fr/wmts")
    assert request.url == "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"


def test_missing_facts_are_errors_that_say_what_is_missing(catalog):
    with pytest.raises(TemplateError, match="epci"):
        catalog.expand_urls("admin-express-epci", TerritoryFacts.for_communes(["33063"]))
    with pytest.raises(TemplateError, match="invalide"):
        catalog.expand_urls("cadastre-parcelles", TerritoryFacts.for_communes(["33063' OR '1'='1"]))


def test_target_crs_is_the_legal_projection_unless_the_entry_says_otherwise(catalog):
    assert catalog.target_crs("ban-adresses", TerritoryFacts.for_communes(["97411"])) == "EPSG:2975"
    assert catalog.target_crs("ban-adresses", TerritoryFacts.for_communes(["2A004"])) == "EPSG:2154"
    assert catalog.target_crs("ban-adresses", TerritoryFacts.for_communes(["33063"], crs="EPSG:3857")) == "EPSG:3857"
    with pytest.raises(MixedCrsZonesError):
        catalog.target_crs("ban-adresses", TerritoryFacts.for_communes(["33063", "97411"]))


@pytest.mark.parametrize("template", [
    "https://x.org/{__import__}.csv", "https://x.org/{code_insee!r}.csv", "https://x.org/{code_insee.__class__}",
    "https://x.org/{0}.csv", "https://x.org/{code_insee:>10}.csv", "https://x.org/{{code_insee}}.csv",
    "https://x.org/{code_insee", "https://x.org/{CODE_INSEE}.csv",
])
def test_only_whitelisted_placeholders_are_accepted(template):
    assert template_problems(template)


def test_fill_quotes_values_and_never_formats():
    assert fill("https://x.org/{code_dep}/{layer}", {"code_dep": "2A", "layer": "a b/c"}) == "https://x.org/2A/a%20b%2Fc"
    with pytest.raises(TemplateError):
        fill("https://x.org/{year}", {})


def test_filter_values_follow_the_producer_codes(catalog):
    facts = TerritoryFacts.for_communes(["75056", "33063"])
    assert filter_values(catalog["admin-express-communes"], facts) == ("75056", "33063")
    assert filter_values(catalog["ban-adresses"], facts) == (*PARIS_ARRONDISSEMENTS, "33063")
    assert filter_values(catalog["cadastre-parcelles"], facts) == ()


def test_sirene_of_paris_is_one_file_per_arrondissement(catalog):
    """The producer splits département 75 (geo_siret_75101 … 75120); Lyon and Marseille are not split."""
    requests = catalog.expand_urls("sirene-etablissements", TerritoryFacts.for_communes(["75056", "13055"]))
    files = [(r.url.rsplit("/", 1)[-1], r.codes) for r in requests]
    assert files[:20] == [(f"geo_siret_{code}.csv.gz", (code,)) for code in PARIS_ARRONDISSEMENTS]
    assert files[20][0] == "geo_siret_13.csv.gz" and len(files[20][1]) == 16 and len(files) == 21
    (eighth,) = catalog.expand_urls("sirene-etablissements", TerritoryFacts.for_communes(["75108"]))
    assert eighth.url.endswith("/geo_siret_75108.csv.gz") and eighth.codes == ("75108",)
