"""refresh_package against a local mirror whose data changes between two runs: the change report, line by line."""

import gzip
import json
import re
import sqlite3

from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

BAN = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-{dep}.csv.gz"
PARCELS = ("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063/"
           "cadastre-33063-parcelles.json.gz")


def serve(server, dep, ban_rows, parcels=None):
    server.clear()
    server.expect_request(BAN.format(dep=dep)).respond_with_data(
        gzip.compress(("\n".join([BAN_HEADER] + ban_rows) + "\n").encode()), content_type="application/gzip")
    if parcels is not None:
        server.expect_request(PARCELS).respond_with_data(gzip.compress(json.dumps(
            {"type": "FeatureCollection", "features": parcels}).encode()), content_type="application/gzip")
    server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


def row(code, number, lon, lat, name="Bordeaux"):
    return ban_row(code, name, number, lon, lat)


def test_added_removed_and_modified_features_are_reported(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    target = tmp_path / "bordeaux.gpkg"
    serve(mirror, "33", [row("33063", n, -0.58 + n * 0.001, 44.84) for n in (1, 2, 3)],
          [parcel("33063", n, -0.58 + n * 0.002, 44.84) for n in (1, 2, 3)])
    processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT": str(target),
        "LOAD_RESULTS": False})

    # a year later: address 3 gone, address 4 new, address 2 moved; parcel 3 merged away
    serve(mirror, "33", [row("33063", 1, -0.579, 44.84), row("33063", 2, -0.5, 44.85), row("33063", 4, -0.574, 44.84)],
          [parcel("33063", n, -0.58 + n * 0.002, 44.84) for n in (1, 2)])
    result = processing.run("donnees_territoires:refresh_package", {"PACKAGE": str(target)})
    assert (result["ADDED"], result["REMOVED"], result["MODIFIED"]) == (1, 2, 1)
    report = (tmp_path / "bordeaux.changements.md").read_text(encoding="utf-8")
    lines = report.splitlines()
    assert lines[0] == "# Mise à jour du paquet « Bordeaux (33063) »"
    assert "| Adresses (Base adresse nationale) (`ban_adresses`) | 1 | 1 | 1 | 1 | par identifiant |" in lines
    assert "| Parcelles cadastrales (`cadastre_parcelles`) | 0 | 1 | 0 | 2 | par identifiant |" in lines
    assert "Total : 1 ajoutée(s), 2 supprimée(s), 1 modifiée(s)." in lines
    with sqlite3.connect(target) as db:
        stored = {row[0]: row[1:] for row in db.execute(
            "SELECT dataset_id, added, removed, modified FROM manifest_changes")}
        count = db.execute("SELECT count(*) FROM ban_adresses").fetchone()[0]
    assert stored == {"ban-adresses": (1, 1, 1), "cadastre-parcelles": (0, 1, 0)}
    assert count == 3

    # nothing changed since: nothing rewritten, an empty report
    written = target.stat().st_mtime_ns
    again = processing.run("donnees_territoires:refresh_package", {"PACKAGE": str(target)})
    assert (again["ADDED"], again["REMOVED"], again["MODIFIED"]) == (0, 0, 0)
    assert target.stat().st_mtime_ns == written
    assert "n'a pas été réécrit" in (tmp_path / "bordeaux.changements.md").read_text(encoding="utf-8")


def test_a_merged_commune_moves_the_recipe_to_its_successor(qgis_app, dt_processing, mirror, tmp_path):
    import processing

    target = tmp_path / "ruffieu.gpkg"
    # COG 2024: Ruffieu (01330) is a commune; in 2025 it merged into Haut Valromey (01187)
    serve(mirror, "01", [row("01330", n, 5.64 + n * 0.001, 45.96, "Ruffieu") for n in (1, 2)]
          + [row("01187", n, 5.67 + n * 0.001, 46.0, "Haut Valromey") for n in (3, 4, 5)])
    processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:01330", "VINTAGE": 2024, "DATASETS": "ban-adresses", "OUTPUT": str(target),
        "LOAD_RESULTS": False})
    serve(mirror, "01", [row("01187", n, 5.64 + n * 0.001, 45.96, "Haut Valromey") for n in (1, 2)]
          + [row("01187", n, 5.67 + n * 0.001, 46.0, "Haut Valromey") for n in (3, 4, 5)])
    result = processing.run("donnees_territoires:refresh_package", {"PACKAGE": str(target)})
    # BAN identifiers carry the INSEE code: Ruffieu's two addresses come back under new ids, beside
    # the three of the rest of Haut Valromey
    assert (result["ADDED"], result["REMOVED"], result["MODIFIED"]) == (5, 2, 0)
    report = (tmp_path / "ruffieu.changements.md").read_text(encoding="utf-8")
    assert "commune:01330 devient commune:01187 (Haut Valromey) dans le COG 2026." in report
    with sqlite3.connect(target) as db:
        recipe = json.loads(dict(db.execute("SELECT key, value FROM manifest"))["recipe"])
    assert recipe["territory"] == "commune:01187" and recipe["vintage"] == 2026
