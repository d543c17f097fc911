"""data.gouv.fr resource choice and WMTS capabilities, on answers shaped like the real services'."""

import pytest

from donnees_territoires.catalog import (
    Catalog,
    ResourceNotFoundError,
    ResourceSelector,
    select_resource,
    wmts_layer_uri,
    wmts_tile_matrix_sets,
)
from donnees_territoires.catalog.datagouv import api_url, resolve

QPV_API_ANSWER = {
    "id": "5a5f2d73c751df6a5ee1e39f",
    "slug": "quartiers-prioritaires-de-la-politique-de-la-ville-qpv",
    "resources": [
        {"id": "r1", "title": "QP 2015 métropole (shapefile)", "format": "zip", "type": "main",
         "url": "https://static.data.gouv.fr/resources/qpv/2015/qp-2015.zip", "last_modified": "2019-01-10T10:00:00"},
        {"id": "r2", "title": "Périmètres QPV 2024 (SHP, GeoJSON)", "format": "zip", "type": "main",
         "url": "https://static.data.gouv.fr/resources/qpv/2024a/qp2024.zip", "last_modified": "2024-01-05T10:00:00"},
        {"id": "r3", "title": "Périmètres QPV 2024 (SHP, GeoJSON) – correctif", "format": "ZIP", "type": "main",
         "url": "https://static.data.gouv.fr/resources/qpv/2024b/qp2024.zip", "last_modified": "2024-06-27T09:00:00"},
        {"id": "r4", "title": "Notice QPV 2024", "format": "pdf", "type": "documentation",
         "url": "https://static.data.gouv.fr/resources/qpv/notice.pdf", "last_modified": "2025-01-01T00:00:00"},
    ],
}

CAPABILITIES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="1.0.0">
  <Contents>
    <Layer>
      <ows:Identifier>GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2</ows:Identifier>
      <TileMatrixSetLink><TileMatrixSet>PM_6_18</TileMatrixSet></TileMatrixSetLink>
    </Layer>
    <Layer>
      <ows:Identifier>ORTHOIMAGERY.ORTHOPHOTOS</ows:Identifier>
      <TileMatrixSetLink><TileMatrixSet>PM_0_21</TileMatrixSet></TileMatrixSetLink>
    </Layer>
    <TileMatrixSet><ows:Identifier>PM_0_21</ows:Identifier></TileMatrixSet>
  </Contents>
</Capabilities>"""


def test_the_latest_matching_main_resource_wins():
    chosen = select_resource(QPV_API_ANSWER, ResourceSelector(format="zip", title_pattern="*2024*"))
    assert chosen["id"] == "r3"


def test_title_patterns_ignore_case_and_accents():
    selector = ResourceSelector(title_pattern="perimetres qpv 2024 (shp, geojson)")
    assert select_resource(QPV_API_ANSWER, selector)["id"] == "r2"


def test_a_resource_is_taken_by_its_stable_id_even_when_a_newer_one_matches():
    selector = ResourceSelector(id="r2", format="zip", title_pattern="*2024*")
    assert select_resource(QPV_API_ANSWER, selector)["id"] == "r2"


def test_a_replaced_resource_falls_back_on_format_and_title():
    selector = ResourceSelector(id="0f3c9a52-1b7e-4d2a-9c1e-5d6b7a8c9e0f", format="zip", title_pattern="*2024*")
    assert select_resource(QPV_API_ANSWER, selector)["id"] == "r3"
    with pytest.raises(ResourceNotFoundError) as error:  # an id alone, gone: said, with what is offered
        select_resource(QPV_API_ANSWER, ResourceSelector(id="0f3c9a52-1b7e-4d2a-9c1e-5d6b7a8c9e0f"))
    assert "0f3c9a52" in str(error.value) and "Notice" not in str(error.value)


def test_documentation_is_never_data():
    with pytest.raises(ResourceNotFoundError):
        select_resource(QPV_API_ANSWER, ResourceSelector(format="pdf"))


def test_no_match_lists_what_the_dataset_offers():
    with pytest.raises(ResourceNotFoundError) as error:
        select_resource(QPV_API_ANSWER, ResourceSelector(format="geojson"), label="qpv")
    message = str(error.value)
    assert "« qpv » n'a aucune ressource qui corresponde à « geojson »" in message
    assert "QP 2015 métropole (shapefile) (zip)" in message and "source.resource" in message


def test_a_pathological_pattern_cannot_hang():
    selector = ResourceSelector(title_pattern="*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
    document = {"resources": [{"title": "a" * 200, "format": "csv"}]}
    with pytest.raises(ResourceNotFoundError):
        select_resource(document, selector)


def test_resolve_asks_the_api_of_the_entry():
    catalog = Catalog.load()
    asked = []

    def fetch_json(url):
        asked.append(url)
        return QPV_API_ANSWER

    resource = resolve(catalog["qpv-2024"], fetch_json)
    assert asked == [api_url("quartiers-prioritaires-de-la-politique-de-la-ville-qpv")]
    assert asked == ["https://www.data.gouv.fr/api/1/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"]
    assert resource["url"].endswith("/2024b/qp2024.zip")


def test_tile_matrix_sets_come_from_the_capabilities():
    assert wmts_tile_matrix_sets(CAPABILITIES, "ORTHOIMAGERY.ORTHOPHOTOS") == ["PM_0_21"]
    assert wmts_tile_matrix_sets(CAPABILITIES, "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2") == ["PM_6_18"]
    assert wmts_tile_matrix_sets(CAPABILITIES, "ABSENT") == []


def test_wms_layer_uri_for_qgis():
    from donnees_territoires.catalog.sources import wms_layer_uri

    dataset = Catalog.load()["gpu-zonage-carte"]
    assert dataset.is_view_only
    assert wms_layer_uri(dataset) == ("contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png&layers=zone_urba"
                                      "&styles=&transparent=true&url=https://data.geopf.fr/wms-v/ows")


def test_wmts_layer_uri_for_qgis():
    uri = wmts_layer_uri(Catalog.load()["ign-plan"], "PM_6_18")
    assert uri == ("contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png"
                   "&layers=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&styles=normal&tileMatrixSet=PM_6_18"
                   "&url=https://data.geopf.fr/wmts?SERVICE%3DWMTS%26REQUEST%3DGetCapabilities%26VERSION%3D1.0.0")
