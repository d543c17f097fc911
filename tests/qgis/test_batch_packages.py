"""batch_packages: one package per commune of Bordeaux Métropole from a local mirror, each source fetched once."""

import csv
import gzip
import json
import re

import pytest
from qgis.core import QgsFeature, QgsVectorLayer

from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

pytestmark = pytest.mark.usefixtures("single_attempt")  # a broken commune's 500 fails at once

EPCI = "epci:243300316"
BAN_PATH = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"
CADASTRE = ("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/{code}/"
            "cadastre-{code}-parcelles.json.gz")


@pytest.fixture
def batch_alg(dt_processing):
    """The algorithm id, from the plugin's provider."""
    assert dt_processing.algorithm("batch_packages") is not None
    return "donnees_territoires:batch_packages"


@pytest.fixture
def communes():
    from donnees_territoires.territory import TerritoryIndex

    return TerritoryIndex.load().communes(EPCI)


def serve(fetch_http, communes, broken=(), bordeaux=(999,)):
    """BAN for the communes (two addresses each, plus the numbers `bordeaux` for Bordeaux), two parcels each."""
    rows = [BAN_HEADER]
    for number, commune in enumerate(communes):
        rows += [ban_row(commune.code, commune.name, 2 * number + k, -0.6 + number * 0.001, 44.84) for k in (1, 2)]
        if commune.code == "33063":
            rows += [ban_row("33063", "Bordeaux", extra, -0.57, 44.84) for extra in bordeaux]
    rows.append(ban_row("33529", "Saint-Émilion", 7, -0.1553, 44.8936))  # outside the EPCI
    fetch_http.expect_request(BAN_PATH).respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode(), mtime=0),
                                                          content_type="application/gzip")
    for commune in communes:
        path = CADASTRE.format(code=commune.code)
        if commune.code in broken:
            fetch_http.expect_request(path).respond_with_data("boom", status=500)
            continue
        collection = {"type": "FeatureCollection",
                      "features": [parcel(commune.code, n, -0.58 + n * 0.002, 44.84) for n in range(1, 3)]}
        fetch_http.expect_request(path).respond_with_data(gzip.compress(json.dumps(collection).encode(), mtime=0),
                                                          content_type="application/gzip")
    fetch_http.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


def requests_to(server, path):
    return sum(1 for request, _response in server.log if request.path == path)


def run(alg, folder, **extra):
    import processing

    return processing.run(alg, {"PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses,cadastre-parcelles",
                                "OUTPUT_FOLDER": str(folder), **extra})


def read_report(folder):
    with (folder / "rapport.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def test_one_package_per_commune_each_source_fetched_once_then_up_to_date(qgis_app, batch_alg, mirror, communes,
                                                                          tmp_path):
    from donnees_territoires.package import read_manifest
    from donnees_territoires.package.destination import package_name

    serve(mirror, communes)
    folder = tmp_path / "paquets"
    result = run(batch_alg, folder)
    assert (result["WRITTEN"], result["UNCHANGED"], result["FAILED"]) == (28, 0, 0)
    names = sorted(p.name for p in folder.glob("*.gpkg"))
    assert len(names) == 28 and "commune-33063-bordeaux.gpkg" in names
    assert "commune-33449-saint-medard-en-jalles.gpkg" in names
    assert names == sorted(package_name(c) for c in communes)
    assert requests_to(mirror, BAN_PATH) == 1  # one département file for 28 packages
    assert all(requests_to(mirror, CADASTRE.format(code=c.code)) == 1 for c in communes)

    for commune in communes:
        path = folder / package_name(commune)
        addresses = QgsVectorLayer(f"{path}|layername=ban_adresses", "ban", "ogr")
        codes = {f["code_insee"] for f in addresses.getFeatures()}
        assert codes == {commune.code}
        assert addresses.featureCount() == (3 if commune.code == "33063" else 2)
        assert addresses.crs().authid() == "EPSG:2154"
        parcels = QgsVectorLayer(f"{path}|layername=cadastre_parcelles", "parcelles", "ogr")
        assert {f["commune"] for f in parcels.getFeatures()} == {commune.code}
    recipe = read_manifest(folder / "commune-33063-bordeaux.gpkg")["recipe"]
    assert recipe["territory"] == "commune:33063"  # its own recipe: the package refreshes on its own
    assert recipe["output"]["path"] == str(folder / "commune-33063-bordeaux.gpkg")

    lines = read_report(folder)
    assert len(lines) == 28
    bordeaux = next(line for line in lines if line["code"] == "33063")
    assert bordeaux["nom"] == "Bordeaux" and bordeaux["paquet"] == "commune-33063-bordeaux.gpkg"
    assert bordeaux["statut"] == "écrit"
    assert bordeaux["entités ban-adresses"] == "3" and bordeaux["entités cadastre-parcelles"] == "2"
    assert "Bordeaux" in (folder / "rapport.html").read_text(encoding="utf-8")

    # second run: every source answers 304, nothing is cut or rewritten
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.gpkg")}
    again = run(batch_alg, folder)
    assert (again["WRITTEN"], again["UNCHANGED"], again["FAILED"]) == (0, 28, 0)
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.gpkg")} == stamps
    assert requests_to(mirror, BAN_PATH) == 2
    lines = read_report(folder)
    assert {line["statut"] for line in lines} == {"à jour"}
    assert next(line for line in lines if line["code"] == "33063")["entités ban-adresses"] == "3"

    # each package is an ordinary package of its commune: build_package finds it up to date
    import processing

    alone = processing.run("donnees_territoires:build_package", {
        "TERRITORY": "commune:33063", "DATASETS": "ban-adresses,cadastre-parcelles", "LOAD_RESULTS": False,
        "OUTPUT": str(folder / "commune-33063-bordeaux.gpkg")})
    assert alone["UNCHANGED"] is True


def test_a_failing_commune_is_reported_and_the_others_are_written(qgis_app, batch_alg, mirror, communes, tmp_path):
    """STRICT: a territory whose dataset fails gets no package; the others are written."""
    serve(mirror, communes, broken={"33281"})
    folder = tmp_path / "paquets"
    result = run(batch_alg, folder, STRICT=True)
    assert (result["WRITTEN"], result["UNCHANGED"], result["FAILED"], result["INCOMPLETE"]) == (27, 0, 1, 0)
    assert not (folder / "commune-33281-merignac.gpkg").exists()
    assert (folder / "commune-33063-bordeaux.gpkg").is_file()
    lines = {line["code"]: line for line in read_report(folder)}
    assert lines["33281"]["statut"] == "échec"
    assert "cadastre-parcelles" in lines["33281"]["avertissements"]
    assert lines["33063"]["statut"] == "écrit"
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_dataset_failing_for_one_commune_leaves_it_out_of_that_package(qgis_app, batch_alg, mirror, communes,
                                                                          tmp_path):
    """By default a territory's package is written without the dataset that failed for it, and the report says so."""
    import sqlite3

    serve(mirror, communes, broken={"33281"})
    folder = tmp_path / "paquets"
    result = run(batch_alg, folder)
    assert (result["WRITTEN"], result["FAILED"], result["INCOMPLETE"]) == (28, 0, 1)
    with sqlite3.connect(folder / "commune-33281-merignac.gpkg") as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM manifest_layers")}
        missing = json.loads(dict(db.execute("SELECT key, value FROM manifest"))["missing"])
    assert tables == {"ban_adresses"} and list(missing) == ["cadastre-parcelles"]
    lines = {line["code"]: line for line in read_report(folder)}
    # written without it: « échec partiel » in the report, never « écrit »
    assert lines["33281"]["statut"] == "échec partiel" and "cadastre-parcelles" in lines["33281"]["avertissements"]
    assert lines["33281"]["entités cadastre-parcelles"] == ""
    assert "cadastre-parcelles" not in lines["33063"]["avertissements"]


def test_a_commune_whose_source_lost_features_keeps_its_package_and_is_reported_failed(qgis_app, batch_alg, mirror,
                                                                                         communes, tmp_path):
    """Issue 14: the département's BAN file lost most of Bordeaux's addresses. Its package is kept byte-identical
    and the report says « échec partiel » with the loss, not « écrit »; the other communes are up to date."""
    import hashlib

    serve(mirror, communes, bordeaux=range(100, 130))
    folder = tmp_path / "paquets"
    assert run(batch_alg, folder)["WRITTEN"] == 28
    bordeaux = folder / "commune-33063-bordeaux.gpkg"
    before = hashlib.sha256(bordeaux.read_bytes()).hexdigest()
    mirror.clear_all_handlers()
    serve(mirror, communes, bordeaux=())  # 32 addresses → 2

    result = run(batch_alg, folder)

    # the other communes' addresses come from the same (changed) département file: rewritten
    assert (result["WRITTEN"], result["UNCHANGED"], result["FAILED"], result["INCOMPLETE"]) == (27, 1, 0, 1)
    assert hashlib.sha256(bordeaux.read_bytes()).hexdigest() == before
    line = {line["code"]: line for line in read_report(folder)}["33063"]
    assert line["statut"] == "échec partiel" and line["entités ban-adresses"] == "32"
    assert "a perdu 30 des 32 entités" in line["avertissements"], line
    html = (folder / "rapport.html").read_text(encoding="utf-8")
    assert "1 en échec partiel" in html and '<tr class="partial">' in html


def test_epci_level_and_names():
    from donnees_territoires.package.batch import batch_territories
    from donnees_territoires.package.destination import slug

    assert slug("Saint-Médard-en-Jalles") == "saint-medard-en-jalles"
    assert slug("L'Île-d'Yeu") == "l-ile-d-yeu"
    groups = batch_territories("departement:33", "epci")
    assert "243300316" in {g.code for g in groups}
    assert all(g.kind.value == "epci" for g in groups)


QPV_API = "/www.data.gouv.fr/api/1/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
QPV_ZIP = "/static.data.gouv.fr/resources/qpv/QP2024.zip"


def square(code, lon, lat, size=0.004):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code_qp": code, "lib_qp": f"Quartier {code}"}}


def serve_qpv(server):
    import io
    import zipfile

    features = [square("QN03301M", -0.575, 44.835),  # Bordeaux
                square("QN03302M", -0.650, 44.835),  # Mérignac
                square("QN07501M", 2.35, 48.85)]  # Paris: nowhere near
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson",
                         json.dumps({"type": "FeatureCollection", "features": features}))
    server.expect_request(QPV_API).respond_with_json({"slug": "qpv", "resources": [
        {"title": "QP 2024 France", "format": "zip", "type": "main", "url": "https://static.data.gouv.fr"
         "/resources/qpv/QP2024.zip", "last_modified": "2024-01-01"}]})
    server.expect_request(QPV_ZIP).respond_with_data(buffer.getvalue(), content_type="application/zip")
    server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


def test_a_national_file_cut_by_location_is_read_once_for_every_territory(qgis_app, batch_alg, mirror, tmp_path):
    import processing

    serve_qpv(mirror)
    folder = tmp_path / "qpv"
    result = processing.run(batch_alg, {"PARENT": EPCI, "LEVEL": 0, "DATASETS": "qpv-2024",
                                        "OUTPUT_FOLDER": str(folder)})
    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    assert requests_to(mirror, QPV_ZIP) == 1

    def codes(name):
        layer = QgsVectorLayer(f"{folder / name}|layername=qpv_2024", "qpv", "ogr")
        assert layer.isValid() and layer.crs().authid() == "EPSG:2154"
        return sorted(f["code_qp"] for f in layer.getFeatures())

    assert codes("commune-33063-bordeaux.gpkg") == ["QN03301M"]
    assert codes("commune-33281-merignac.gpkg") == ["QN03302M"]
    assert codes("commune-33449-saint-medard-en-jalles.gpkg") == []

    whole = processing.run(batch_alg, {"PARENT": EPCI, "LEVEL": "epci", "DATASETS": "qpv-2024",
                                       "OUTPUT_FOLDER": str(folder / "epci")})
    assert whole["WRITTEN"] == 1
    assert codes("epci/epci-243300316-bordeaux-metropole.gpkg") == ["QN03301M", "QN03302M"]


def test_a_cancelled_batch_writes_nothing_and_leaves_no_work_file(qgis_app, dt_processing, mirror, communes,
                                                                  tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    from donnees_territoires.package.batch import run_batch

    serve(mirror, communes)
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="annulée"):
        run_batch(EPCI, "commune", ["ban-adresses"], tmp_path / "paquets", QgsProcessingContext(), feedback)
    assert list((tmp_path / "paquets").glob("*.gpkg")) == []


def layers_of(path):
    """dataset id → (feature count, checksum) of each table, from the package's manifest."""
    from donnees_territoires.package import read_manifest

    return {layer["dataset_id"]: (layer["feature_count"], layer["checksum"])
            for layer in read_manifest(path)["layers"]}


def test_worker_processes_write_the_same_packages_as_this_process(qgis_app, batch_alg, mirror, communes, tmp_path):
    import processing

    serve(mirror, communes)
    results, feedback = {}, Recorder()
    for workers in (1, 2):
        results[workers] = processing.run(batch_alg, {
            "PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses,cadastre-parcelles",
            "OUTPUT_FOLDER": str(tmp_path / f"w{workers}"), "WORKERS": workers}, feedback=feedback)
    assert results[1]["WORKERS_USED"] == 1 and results[2]["WORKERS_USED"] == 2
    assert feedback.warnings == []  # both workers ended normally, nothing left for this process
    assert (results[2]["WRITTEN"], results[2]["FAILED"]) == (28, 0)
    assert requests_to(mirror, BAN_PATH) == 2  # once per run, whatever the number of workers
    for commune in communes:
        from donnees_territoires.package.destination import package_name

        name = package_name(commune)
        assert layers_of(tmp_path / "w2" / name) == layers_of(tmp_path / "w1" / name), name
    lines = {line["code"]: line for line in read_report(tmp_path / "w2")}
    assert lines["33063"]["entités ban-adresses"] == "3" and lines["33063"]["statut"] == "écrit"
    assert [p.name for p in (tmp_path / "w2").iterdir() if p.name.startswith(".")] == []


def test_when_workers_cannot_start_the_packages_are_written_here(qgis_app, batch_alg, mirror, communes, tmp_path,
                                                                 monkeypatch):
    import processing

    from donnees_territoires.package import worker_pool

    serve(mirror, communes)
    monkeypatch.setitem(worker_pool.PYTHON_FOUND, "found", "/bin/false")  # every worker exits at once, in error
    feedback = Recorder()
    result = processing.run(batch_alg, {"PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses",
                                        "OUTPUT_FOLDER": str(tmp_path), "WORKERS": 2}, feedback=feedback)
    assert (result["WRITTEN"], result["FAILED"]) == (28, 0)
    assert any("processus de travail s'est arrêté en erreur" in w for w in feedback.warnings)
    assert any("28 paquet(s) non écrit(s) par les processus de travail" in w for w in feedback.warnings)


def test_a_worker_takes_no_job_once_the_batch_is_cancelled(qgis_app, tmp_path):
    from donnees_territoires.package.batch_worker import take_jobs
    from donnees_territoires.package.worker_pool import CANCEL, left_over, write_jobs

    specs = [{"territory": {"reference": f"commune:3300{n}", "code": f"3300{n}", "name": "x"}} for n in range(3)]
    write_jobs(tmp_path, specs, {"datasets": {}, "styles": {}, "language": "fr"})
    (tmp_path / CANCEL).touch()
    assert take_jobs(tmp_path) == 0
    unclaimed, interrupted = left_over(tmp_path)
    assert [spec["territory"]["code"] for spec in unclaimed] == ["33000", "33001", "33002"]
    assert interrupted == {}


class Recorder:
    """A Processing feedback keeping the warnings."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Recorder(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings = []

            def pushWarning(self, text):  # noqa: N802
                self.warnings.append(text)
                super().pushWarning(text)

        return _Recorder()


def test_an_unreachable_postgis_is_said_before_any_download(qgis_app, batch_alg, mirror, communes, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    serve(mirror, communes)
    with pytest.raises(QgsProcessingException, match="Connexion à PostgreSQL impossible"):
        processing.run(batch_alg, {"PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses",
                                   "POSTGIS_CONNECTION": "host=127.0.0.1 port=1 dbname=sig user=sig sslmode=disable",
                                   "POSTGIS_LAYOUT": 1})
    assert requests_to(mirror, BAN_PATH) == 0


def test_an_unexpected_error_fails_one_territory_not_the_batch(qgis_app, batch_alg, mirror, communes, tmp_path,
                                                               monkeypatch):
    import processing

    from donnees_territoires.package import job

    serve(mirror, communes)
    real = job.job_territory_info

    def broken(territory, crs):
        if territory["reference"] == "commune:33281":
            raise RuntimeError("panne simulée")
        return real(territory, crs)

    monkeypatch.setattr(job, "job_territory_info", broken)
    result = processing.run(batch_alg, {"PARENT": EPCI, "LEVEL": 0, "DATASETS": "ban-adresses",
                                        "OUTPUT_FOLDER": str(tmp_path), "WORKERS": 1})
    assert (result["WRITTEN"], result["FAILED"]) == (27, 1)
    line = next(line for line in read_report(tmp_path) if line["code"] == "33281")
    assert line["statut"] == "échec" and "Erreur inattendue : panne simulée" in line["avertissements"]


def test_cancelling_while_workers_write_keeps_what_is_written_and_leaves_no_temporary_file(
        qgis_app, dt_processing, mirror, communes, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    from donnees_territoires.package.batch import run_batch

    class CancelDuringWrites(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.progressChanged.connect(self._look)

        def _look(self, progress):
            if progress > 86 and not self.isCanceled():  # writing starts at 80 %: a few packages are done
                self.cancel()

    serve(mirror, communes)
    folder = tmp_path / "paquets"
    with pytest.raises(QgsProcessingException, match="annulée"):
        run_batch(EPCI, "commune", ["ban-adresses", "cadastre-parcelles"], folder, QgsProcessingContext(),
                  CancelDuringWrites(), workers=2)
    written = sorted(p.name for p in folder.glob("*.gpkg"))
    assert 0 < len(written) < 28
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no half-written package
    result = run_batch(EPCI, "commune", ["ban-adresses", "cadastre-parcelles"], folder, QgsProcessingContext(),
                       QgsProcessingFeedback(), workers=2)
    assert len(result.by_status("unchanged")) == len(written)  # resumed where it stopped
    assert len(result.by_status("written")) == 28 - len(written)


def test_a_batch_run_again_on_changed_data_says_what_changed_in_each_package(qgis_app, batch_alg, mirror, communes,
                                                                            tmp_path):
    from osgeo import ogr

    serve(mirror, communes)
    first = run(batch_alg, tmp_path)
    assert first["WRITTEN"] == 28
    assert {line["changements"] for line in read_report(tmp_path)} == {"nouveau"}

    mirror.clear()
    serve(mirror, communes, bordeaux=(1000, 1001))  # Bordeaux: address 999 gone, 1000 and 1001 new
    again = run(batch_alg, tmp_path)
    assert again["WRITTEN"] == 28  # the département file changed: every package is made again
    lines = {line["code"]: line for line in read_report(tmp_path)}
    assert lines["33063"]["changements"] == "ban-adresses +2 −1 ~0 ; cadastre-parcelles +0 −0 ~0"
    assert lines["33281"]["changements"] == "ban-adresses +0 −0 ~0 ; cadastre-parcelles +0 −0 ~0"
    assert lines["33063"]["entités ban-adresses"] == "4"
    package = ogr.Open(str(tmp_path / "commune-33063-bordeaux.gpkg"))
    changes = package.GetLayerByName("manifest_changes")
    rows = {feature.GetField("dataset_id"): (feature.GetField("added"), feature.GetField("removed"))
            for feature in changes}
    assert rows == {"ban-adresses": (2, 1), "cadastre-parcelles": (0, 0)}
    del changes, package


def test_a_package_of_a_commune_merged_since_is_reported_obsolete_and_left_in_place(qgis_app, batch_alg, mirror,
                                                                                     communes, tmp_path):
    """Ruffieu (01330) merged into Haut Valromey (01187) in 2025: its package of COG 2024 is not made any more."""
    from donnees_territoires.package import PackageLayer, write_geopackage
    from donnees_territoires.package.batch import OBSOLETE
    from donnees_territoires.package.recipe import Recipe

    old = tmp_path / "commune-01330-ruffieu.gpkg"
    table = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", "ban", "memory")
    write_geopackage(old, [PackageLayer("ban_adresses", table, "ban-adresses", "Adresses")],
                     Recipe("commune:01330", ["ban-adresses"], vintage=2024).to_dict(),
                     {"reference": "commune:01330", "name": "Ruffieu", "code": "01330", "vintage": 2024})
    (tmp_path / "commune-99999-notes.gpkg").write_text("pas un paquet")  # not ours: ignored
    serve(mirror, communes)
    result = run(batch_alg, tmp_path)
    assert (result["WRITTEN"], result["OBSOLETE"]) == (28, 1)
    assert old.is_file()  # the user's file: reported, never deleted
    line = next(line for line in read_report(tmp_path) if line["code"] == "01330")
    assert line["statut"] == "obsolète" and line["paquet"] == "commune-01330-ruffieu.gpkg"
    assert "Ruffieu (01330) fait partie de Haut Valromey (01187) dans le COG" in line["avertissements"]
    assert OBSOLETE in (tmp_path / "rapport.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("reference, name, vintage, obsolete", [
    ("commune:75101", "Paris 1er Arrondissement", 2024, False),  # an arrondissement municipal: still there
    ("commune:33063", "Bordeaux", 2024, False),  # outside the parent (here: none) but a commune still
    ("commune:01330", "Ruffieu", 2024, True),  # a commune in 2024, a commune déléguée of Haut Valromey since
    ("commune:01330", "Ruffieu", 2027, False),  # made on a newer COG than the batch's: not for this batch to say
])
def test_which_packages_of_the_folder_are_obsolete(qgis_app, tmp_path, reference, name, vintage, obsolete):
    from donnees_territoires.package import PackageLayer, write_geopackage
    from donnees_territoires.package.batch import stale_packages
    from donnees_territoires.package.recipe import Recipe

    path = tmp_path / f"commune-{reference.split(':')[1]}-x.gpkg"
    table = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", "ban", "memory")
    write_geopackage(path, [PackageLayer("ban_adresses", table, "ban-adresses", "Adresses")],
                     Recipe(reference, ["ban-adresses"], vintage=vintage).to_dict(),
                     {"reference": reference, "name": name, "code": reference.split(":")[1], "vintage": vintage})
    stale = stale_packages(tmp_path, set(), "commune", 2026)
    assert [outcome.reference for outcome in stale] == ([reference] if obsolete else [])


def test_snapshots_release_the_package_and_fall_back_to_fingerprints_without_unique_keys(qgis_app, tmp_path):
    import os

    from donnees_territoires.package import GeoPackage, PackageLayer, write_geopackage
    from donnees_territoires.package.changes import compare, keyed, snapshot

    path = tmp_path / "paquet.gpkg"
    table = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string&field=v:integer", "t", "memory")
    features = []
    for value in (1, 2, 3):
        feature = QgsFeature(table.fields())
        feature.setAttributes(["même", value])  # the key field does not tell them apart
        features.append(feature)
    table.dataProvider().addFeatures(features)
    write_geopackage(path, [PackageLayer("t", table, "t", "T")], {}, {})
    lines = snapshot(GeoPackage(str(path)), "t", ["id"])
    assert len(lines) == 3 and not keyed(lines, lines)
    if os.path.isdir("/proc/self/fd"):
        opened = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")}
        assert str(path.resolve()) not in opened  # nothing holds the file: it can be replaced
    # old {1, 2, 3} → new {1, 2, 4, 5}: by fingerprint, since « id » is the same everywhere
    new = lines[:2] + ["\"même\"\tquatre", "\"même\"\tcinq"]
    assert compare(lines, new, by_key=True) == (2, 1, 0, 2)


@pytest.mark.parametrize("algorithm, parameter", [("batch_packages", "PARENT"), ("build_package", "TERRITORY"),
                                                  ("territory_boundary", "TERRITORY")])
def test_a_wrong_territory_is_said_before_the_run(qgis_app, dt_processing, algorithm, parameter):
    from qgis.core import QgsProcessingContext

    alg = dt_processing.algorithm(algorithm)
    context = QgsProcessingContext()
    ok, message = alg.checkParameterValues({parameter: "ept:200054781", "DATASETS": "ban-adresses",
                                            "OUTPUT_FOLDER": "/tmp/x", "OUTPUT": "/tmp/x.gpkg"}, context)
    assert not ok and "epci:200054781" in message  # the Métropole du Grand Paris is an EPCI, not an EPT
    ok, message = alg.checkParameterValues({parameter: "departement:33", "DATASETS": "ban-adresses",
                                            "OUTPUT_FOLDER": "/tmp/x", "OUTPUT": "/tmp/x.gpkg"}, context)
    assert ok, message


def test_the_choice_names_are_the_batch_values():
    """LEVEL and POSTGIS_LAYOUT by name (LEVEL=epci) are the batch's own values, in the order of the dialog."""
    from donnees_territoires.package.batch import LAYOUTS, LEVELS
    from donnees_territoires.processing.batch_packages import BatchPackages

    assert BatchPackages.CHOICES == {"LEVEL": LEVELS, "POSTGIS_LAYOUT": LAYOUTS}
