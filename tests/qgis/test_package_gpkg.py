"""GeoPackage packages: styled tables, layer metadata and manifest read back by a fresh QGIS layer; atomic replace."""

import os
import sqlite3
from contextlib import closing

import pytest
from qgis.core import (
    Qgis,
    QgsFeature,
    QgsFeedback,
    QgsGeometry,
    QgsRenderContext,
    QgsVectorLayer,
)

from donnees_territoires.catalog import Catalog
from donnees_territoires.package import (
    MANIFEST_TABLE,
    PackageCanceled,
    PackageError,
    PackageLayer,
    layer_checksum,
    read_manifest,
    table_name,
    write_geopackage,
)

CATALOG = Catalog.load()
TERRITORY = {"reference": "epci:243300316", "name": "Bordeaux Métropole", "vintage": "2024", "crs": "EPSG:2154"}
RECIPE = {"territory": "epci:243300316", "datasets": ["ban-adresses", "bdtopo-routes", "cadastre-parcelles",
                                                       "petites-villes-de-demain"], "output": {"format": "gpkg"}}
FETCH = {"url": "https://cadastre.data.gouv.fr/data/etalab-cadastre/2024-04-01/geojson/communes/33/33063/"
                "cadastre-33063-parcelles.json.gz",
         "final_url": "https://cadastre.data.gouv.fr/data/etalab-cadastre/2024-04-01/geojson/communes/33/33063/"
                      "cadastre-33063-parcelles.json.gz",
         "file": "parcelles.json.gz", "size": 1234, "sha256": "ab" * 32, "status": 200, "etag": '"5f2-abc"',
         "last_modified": "Mon, 01 Apr 2024 08:00:00 GMT", "content_type": "application/gzip",
         "fetched_at": "2024-05-02T09:30:00+00:00", "from_cache": False}


def memory_layer(uri, rows):
    """A memory layer from rows of (wkt or None, attributes)."""
    layer = QgsVectorLayer(uri, "source", "memory")
    assert layer.isValid()
    features = []
    for wkt, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(attributes))
        if wkt:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)[0]
    layer.updateExtents()
    return layer


def qml(dataset_id):
    return CATALOG[dataset_id].style.path.read_text(encoding="utf-8")


def points():
    return memory_layer("Point?crs=EPSG:2154&field=id:string&field=numero:integer&field=nom_voie:string",
                        [("Point(417000 6423000)", ["33063_0001_00001", 1, "Rue Sainte-Catherine"]),
                         ("Point(417100 6423100)", ["33063_0001_00003", 3, "Rue Sainte-Catherine"])])


def lines():
    return memory_layer("MultiLineString?crs=EPSG:2154&field=cleabs:string&field=importance:string",
                        [("MultiLineString((417000 6423000, 418000 6424000))", ["TRONROUT0001", "1"]),
                         ("MultiLineString((417500 6423000, 417500 6424500))", ["TRONROUT0002", "4"])])


def polygons(contenance=1200):
    return memory_layer("MultiPolygon?crs=EPSG:2154&field=id:string&field=commune:string&field=contenance:integer"
                        "&field=updated:date",
                        [("MultiPolygon(((417000 6423000, 417050 6423000, 417050 6423040, 417000 6423000)))",
                          ["330630000A0001", "33063", contenance, None]),
                         ("MultiPolygon(((417100 6423000, 417160 6423000, 417160 6423060, 417100 6423000)))",
                          ["330630000A0002", "33063", 845, None])])


def table():
    return memory_layer("None?field=insee_com:string&field=lib_com:string",
                        [(None, ["33522", "Villenave-d'Ornon"]), (None, ["33039", "Bègles"])])


def package_layers(parcels=None):
    return [
        PackageLayer.from_dataset(CATALOG["ban-adresses"], points(), style_qml=qml("ban-adresses")),
        PackageLayer.from_dataset(CATALOG["bdtopo-routes"], lines(), style_qml=qml("bdtopo-routes")),
        PackageLayer.from_dataset(CATALOG["cadastre-parcelles"], parcels or polygons(), fetch=[FETCH],
                                  style_qml=qml("cadastre-parcelles"),
                                  warnings=["2 parcelles réparées (géométries invalides)"]),
        PackageLayer.from_dataset(CATALOG["petites-villes-de-demain"], table(),
                                  style_qml=qml("petites-villes-de-demain")),
    ]


def fresh(path, table_name_):
    layer = QgsVectorLayer(f"{path}|layername={table_name_}", table_name_, "ogr")
    assert layer.isValid(), table_name_
    return layer


def query(path, sql):
    with closing(sqlite3.connect(path)) as db, db:
        return db.execute(sql).fetchall()


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if ".tmp.gpkg" in name)


def open_handles(path):
    """Files of this process still open on `path` (Linux): a package must be free to be replaced."""
    handles = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(path)):
            handles.append(target)
    return handles


def test_package_opens_styled_with_metadata_and_manifest(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    report = write_geopackage(path, package_layers(), RECIPE, TERRITORY)

    assert report.kind == "gpkg" and report.destination == str(path)
    assert [layer.table for layer in report.layers] == ["ban_adresses", "bdtopo_routes", "cadastre_parcelles",
                                                         "petites_villes_de_demain"]
    assert all(layer.styled for layer in report.layers), [layer.warnings for layer in report.layers]
    assert leftovers(tmp_path) == [] and open_handles(path) == []
    assert report.layers[2].uri == f"{path}|layername=cadastre_parcelles"

    # a fresh layer comes up with the dataset's style, from layer_styles
    parcels = fresh(path, "cadastre_parcelles")
    assert parcels.renderer().type() == "singleSymbol"
    symbol = parcels.renderer().symbol()
    assert symbol.type() == Qgis.SymbolType.Fill
    assert symbol.symbolLayer(0).strokeColor().getRgb()[:3] == (158, 158, 158)
    roads = fresh(path, "bdtopo_routes")
    assert roads.renderer().type() == "categorizedSymbol" and roads.renderer().classAttribute() == "importance"
    addresses = fresh(path, "ban_adresses")
    assert {s.type() for s in addresses.renderer().symbols(QgsRenderContext())} == {Qgis.SymbolType.Marker}
    towns = fresh(path, "petites_villes_de_demain")
    assert not towns.isSpatial()
    assert [towns.attributeDisplayName(towns.fields().indexOf(name)) for name in ("insee_com", "lib_com")] == [
        "Code INSEE", "Commune"]
    styles = query(path, "SELECT f_table_name, styleName, useAsDefault FROM layer_styles ORDER BY 1")
    assert styles == [(name, name, 1) for name in ("ban_adresses", "bdtopo_routes", "cadastre_parcelles",
                                                    "petites_villes_de_demain")]

    # layer metadata, read back by QGIS
    metadata = parcels.metadata()
    dataset = CATALOG["cadastre-parcelles"]
    assert metadata.title() == dataset.title_for("fr")
    assert metadata.abstract().startswith(dataset.description_for("fr"))
    assert "Bordeaux Métropole (epci:243300316), COG 2024" in metadata.abstract()
    assert metadata.licenses() == [f"{dataset.licence.name} — {dataset.licence.url}"]
    assert metadata.rights() == [f"Données © {dataset.producer}"]
    assert metadata.contacts()[0].organization == dataset.producer
    assert FETCH["url"] in [link.url for link in metadata.links()]
    assert metadata.keywords()["COG"] == ["COG 2024"]
    assert metadata.keywords()["Territoire"] == ["Bordeaux Métropole", "epci:243300316"]
    assert metadata.crs().authid() == "EPSG:2154"
    assert any(FETCH["fetched_at"] in line for line in metadata.history())
    bounds = metadata.extent().spatialExtents()[0].bounds
    assert (bounds.xMinimum(), bounds.yMaximum()) == (417000, 6423060)

    # the manifest
    manifest = read_manifest(path)
    assert manifest["manifest_version"] == 1 and manifest["generator"] == "Données et territoires"
    assert manifest["recipe"] == RECIPE and manifest["territory"] == TERRITORY
    assert (manifest["territory_reference"], manifest["cog_vintage"], manifest["crs"]) == (
        "epci:243300316", "2024", "EPSG:2154")
    assert manifest["layer_count"] == 4 and manifest["plugin_version"]
    assert manifest["warnings"] == ["2 parcelles réparées (géométries invalides)"]
    records = {record["table_name"]: record for record in manifest["layers"]}
    parcel_record = records["cadastre_parcelles"]
    assert parcel_record["dataset_id"] == "cadastre-parcelles"
    assert parcel_record["fetch"] == [FETCH] and parcel_record["fetched_at"] == FETCH["fetched_at"]
    assert parcel_record["source_urls"] == [FETCH["url"]]
    assert parcel_record["fetch"][0]["etag"] == '"5f2-abc"'
    assert parcel_record["feature_count"] == 2 and parcel_record["key_fields"] == ["id"]
    assert parcel_record["extent"] == [417000.0, 6423000.0, 417160.0, 6423060.0]
    assert parcel_record["warnings"] == ["2 parcelles réparées (géométries invalides)"]
    assert parcel_record["style"] == "cadastre_parcelles" and "<title>" in parcel_record["metadata_qmd"]
    assert records["petites_villes_de_demain"]["extent"] is None
    assert records["petites_villes_de_demain"]["geometry_type"] == "NoGeometry"
    for name, record in records.items():
        layer = fresh(path, name)
        assert layer.featureCount() == record["feature_count"] == 2
        assert layer_checksum(layer, record["key_fields"]) == record["checksum"], name


def test_checksum_is_stable_and_follows_the_data(qgis_app, tmp_path):
    first = write_geopackage(tmp_path / "a.gpkg", package_layers(), RECIPE, TERRITORY)
    again = write_geopackage(tmp_path / "a.gpkg", package_layers(), RECIPE, TERRITORY)
    changed = write_geopackage(tmp_path / "b.gpkg", package_layers(polygons(contenance=1201)), RECIPE, TERRITORY)
    sums = [{layer.table: layer.checksum for layer in report.layers} for report in (first, again, changed)]
    assert sums[0] == sums[1]
    assert sums[2]["cadastre_parcelles"] != sums[0]["cadastre_parcelles"]
    assert {k: v for k, v in sums[2].items() if k != "cadastre_parcelles"} == {
        k: v for k, v in sums[0].items() if k != "cadastre_parcelles"}
    # the order of features and of columns does not matter
    reordered = memory_layer("None?field=lib_com:string&field=insee_com:string",
                             [(None, ["Bègles", "33039"]), (None, ["Villenave-d'Ornon", "33522"])])
    assert layer_checksum(reordered) == layer_checksum(table())
    assert layer_checksum(reordered, ["insee_com"]) == sums[0]["petites_villes_de_demain"]


def test_rewrite_replaces_the_package(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    write_geopackage(path, package_layers(), RECIPE, TERRITORY)
    write_geopackage(path, package_layers()[2:3], {"datasets": ["cadastre-parcelles"]}, TERRITORY)
    manifest = read_manifest(path)
    assert [record["table_name"] for record in manifest["layers"]] == ["cadastre_parcelles"]
    assert manifest["recipe"] == {"datasets": ["cadastre-parcelles"]}
    tables = {row[0] for row in query(path, "SELECT table_name FROM gpkg_contents")}
    assert tables == {"cadastre_parcelles", "manifest", "manifest_layers", "layer_styles"}
    assert leftovers(tmp_path) == [] and open_handles(path) == []


def test_cancel_mid_write_leaves_the_previous_package(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    write_geopackage(path, package_layers(), RECIPE, TERRITORY)
    before = path.read_bytes()

    feedback = QgsFeedback()
    # cancel once the first table is written, while the next steps run
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value >= 10 else None)
    with pytest.raises(PackageCanceled) as error:
        write_geopackage(path, package_layers(polygons(contenance=1)), {"other": True}, TERRITORY, feedback)
    assert "annulée" in str(error.value) and str(path) in str(error.value)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert read_manifest(path)["recipe"] == RECIPE


def test_failed_write_leaves_the_previous_package(qgis_app, tmp_path):
    path = tmp_path / "bordeaux.gpkg"
    write_geopackage(path, package_layers(), RECIPE, TERRITORY)
    before = path.read_bytes()
    # GDAL reports success but creates no table: two columns differing only by case
    clash = memory_layer("Point?crs=EPSG:2154&field=Nom:string&field=nom:string",
                         [("Point(417000 6423000)", ["A", "a"])])
    layers = [*package_layers(), PackageLayer("equipements", clash, "equipements", "Équipements")]
    with pytest.raises(PackageError) as error:
        write_geopackage(path, layers, RECIPE, TERRITORY)
    message = str(error.value)
    assert "equipements" in message and str(path) in message and "Nom, nom" in message
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_unwritable_destination_is_a_clear_french_error(qgis_app, tmp_path):
    missing = tmp_path / "absent" / "paquet.gpkg"
    with pytest.raises(PackageError, match="n'existe pas") as error:
        write_geopackage(missing, package_layers(), RECIPE, TERRITORY)
    assert str(missing) in str(error.value)

    a_file = tmp_path / "fichier"
    a_file.write_text("x")
    with pytest.raises(PackageError) as error:
        write_geopackage(a_file / "paquet.gpkg", package_layers(), RECIPE, TERRITORY)
    assert str(a_file / "paquet.gpkg") in str(error.value)

    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "verrouille"
        locked.mkdir(mode=0o500)
        with pytest.raises(PackageError, match="droit d'écrire") as error:
            write_geopackage(locked / "paquet.gpkg", package_layers(), RECIPE, TERRITORY)
        assert str(locked / "paquet.gpkg") in str(error.value)

    with pytest.raises(PackageError, match=r"\.gpkg"):
        write_geopackage(tmp_path / "paquet.sqlite", package_layers(), RECIPE, TERRITORY)
    assert leftovers(tmp_path) == []


def test_user_style_actions_and_python_are_not_stored(qgis_app, tmp_path):
    unsafe = qml("cadastre-parcelles").replace("</qgis>", """
  <attributeactions default="-1">
    <actionsetting type="1" name="Ouvrir" action="import os; os.system('touch /tmp/pwned')" capture="0"
                   shortTitle="" icon="" notificationMessage="" isEnabledOnlyWhenEditable="0" id="{1}"/>
  </attributeactions>
  <editforminit>open_form</editforminit>
  <editforminitcodesource>2</editforminitcodesource>
  <editforminitcode><![CDATA[def open_form(dialog, layer, feature):
    import os
    os.system('touch /tmp/pwned')
]]></editforminitcode>
</qgis>""")
    layer = PackageLayer("parcelles", polygons(), "parcelles-utilisateur", "Parcelles (catalogue local)",
                         style_qml=unsafe)
    path = tmp_path / "local.gpkg"
    report = write_geopackage(path, [layer], {}, TERRITORY)
    assert report.layers[0].styled
    assert any("actions" in warning for warning in report.layers[0].warnings)
    parcels = fresh(path, "parcelles")
    assert parcels.renderer().type() == "singleSymbol"
    assert parcels.actions().actions() == []
    assert parcels.editFormConfig().initCode() == "" and parcels.editFormConfig().initFunction() == ""
    stored = query(path, "SELECT styleQML FROM layer_styles")[0][0]
    assert "pwned" not in stored and "actionsetting" not in stored


def test_unusable_style_is_a_warning_not_a_failure(qgis_app, tmp_path):
    layer = PackageLayer("parcelles", polygons(), "parcelles", "Parcelles", style_qml="<qgis><renderer-v2")
    report = write_geopackage(tmp_path / "p.gpkg", [layer], {}, TERRITORY)
    assert not report.layers[0].styled and "ignoré" in report.layers[0].warnings[0]
    assert read_manifest(tmp_path / "p.gpkg")["layers"][0]["style"] == ""


def test_table_names(qgis_app, tmp_path):
    assert table_name("cadastre-parcelles") == "cadastre_parcelles"
    assert table_name("Équipements / BPE 2023") == "equipements_bpe_2023"
    assert table_name("2024-zonage") == "t_2024_zonage"
    with pytest.raises(PackageError, match="réservé"):
        write_geopackage(tmp_path / "p.gpkg", [PackageLayer(MANIFEST_TABLE, table(), "m", "M")], {}, TERRITORY)
    with pytest.raises(PackageError, match="même table"):
        write_geopackage(tmp_path / "p.gpkg", [PackageLayer("a-b", table(), "x", "X"),
                                               PackageLayer("a_b", table(), "y", "Y")], {}, TERRITORY)


def test_data_with_its_own_fid_column_is_kept(qgis_app, tmp_path):
    layer = memory_layer("Point?crs=EPSG:2154&field=fid:string&field=nom:string",
                         [("Point(1 2)", ["abc", "x"]), ("Point(3 4)", ["abc", "y"])])
    path = tmp_path / "fid.gpkg"
    report = write_geopackage(path, [PackageLayer("points", layer, "points", "Points")], {}, TERRITORY)
    written = fresh(path, "points")
    assert [f["fid"] for f in written.getFeatures()] == ["abc", "abc"]
    assert layer_checksum(written) == report.layers[0].checksum == layer_checksum(layer)


def test_read_manifest_of_something_else(qgis_app, tmp_path):
    other = tmp_path / "autre.gpkg"
    query(other, "CREATE TABLE t (x)")
    with pytest.raises(PackageError, match="n'est pas un paquet"):
        read_manifest(other)
    with pytest.raises(PackageError, match="n'existe pas"):
        read_manifest(tmp_path / "absent.gpkg")
