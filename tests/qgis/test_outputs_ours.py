"""Issue 14, item 3: an output that is not ours is never overwritten; a killed run's temporary files are removed
by the next run of the same output (and a running writer's are not)."""

import hashlib
import os
import subprocess
import sys

import pytest
from osgeo import ogr, osr
from qgis.core import QgsProcessingContext, QgsProcessingException

from tests.qgis.test_partial_package import Mirror, build, manifest_of

pytestmark = pytest.mark.network


@pytest.fixture
def sources(mirror):
    return Mirror(mirror)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def users_geopackage(path):
    """A GeoPackage a user made themselves: one point layer « mes_donnees », no manifest."""
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = dataset.CreateLayer("mes_donnees", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("nom", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("nom", "Mon point")
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (417000 6422000)"))
    layer.CreateFeature(feature)
    dataset = None
    return path


@pytest.mark.parametrize("kind", ["GeoPackage d'un utilisateur", "fichier texte nommé .gpkg"])
def test_a_file_that_is_not_a_package_is_refused_before_anything_is_downloaded(qgis_app, dt_processing, sources,
                                                                             tmp_path, kind):
    target = tmp_path / "mes_donnees.gpkg"
    if kind.startswith("GeoPackage"):
        users_geopackage(target)
    else:
        target.write_text("Notes de réunion : ne pas effacer.\n", encoding="utf-8")
    before = sha256(target)
    sources.serve(addresses=3, parcels=True)

    with pytest.raises(QgsProcessingException) as caught:
        build(target, "ban-adresses")

    message = str(caught.value)
    assert str(target) in message and "n'est pas un paquet" in message and "Choisissez un autre nom" in message
    assert sha256(target) == before
    assert sources.server.log == []  # refused before any download


def test_the_dialog_and_the_panel_say_it_before_the_run(qgis_app, dt_processing, tmp_path):
    from qgis.core import QgsApplication

    from donnees_territoires.package import GeoPackage

    target = users_geopackage(tmp_path / "mes_donnees.gpkg")
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("donnees_territoires:build_package")
    ok, message = algorithm.checkParameterValues(
        {"TERRITORY": "commune:33063", "DATASETS": "ban-adresses", "OUTPUT": str(target)}, QgsProcessingContext())
    assert not ok and "n'est pas un paquet" in message
    assert "n'est pas un paquet" in GeoPackage(str(target)).problem()  # what the panel shows under « Produire »


def test_an_empty_file_and_our_own_package_may_be_written(qgis_app, dt_processing, sources, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    target.touch()  # a file dialog may create it empty
    sources.serve(addresses=3, parcels=True)
    build(target, "ban-adresses")
    assert manifest_of(target)[1]["ban_adresses"][0] == 3
    sources.serve(addresses=5, parcels=True)
    build(target, "ban-adresses")  # ours: replaced
    assert manifest_of(target)[1]["ban_adresses"][0] == 5


def _dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                             check=True)
    return int(process.stdout)


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(qgis_app, dt_processing, sources, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    dead = tmp_path / f".bordeaux.{_dead_pid()}-0badcafe.tmp.gpkg"
    dead.write_bytes(b"\0" * 6 * 1024)
    journal = tmp_path / f"{dead.name}-journal"
    journal.write_bytes(b"\0" * 512)
    # a writer still running (this very process stands for it): its file stays
    running = tmp_path / f".bordeaux.{os.getppid()}-00c0ffee.tmp.gpkg"
    running.write_bytes(b"\0" * 1024)
    sources.serve(addresses=3, parcels=True)

    build(target, "ban-adresses")

    assert not dead.exists() and not journal.exists()
    assert running.exists()
    assert sorted(p.name for p in tmp_path.glob(".bordeaux.*")) == [running.name]


def test_a_full_disk_is_one_french_line_the_detail_in_the_log(qgis_app, dt_processing, sources, tmp_path,
                                                             monkeypatch):
    """Issue 14: a full disk gave 258 KB of English GDAL errors (one per feature) as the message."""
    from qgis.core import QgsVectorFileWriter

    from donnees_territoires.package import gpkg

    class FullDisk(QgsVectorFileWriter):
        @staticmethod
        def writeAsVectorFormatV3(*_args):  # noqa: N802 - QGIS's name
            return (QgsVectorFileWriter.WriterError.ErrFeatureWriteFailed,
                    "sqlite3_step() failed: database or disk is full (13)\n" * 5000, "", "")

    target = tmp_path / "bordeaux.gpkg"
    sources.serve(addresses=3, parcels=True)
    build(target, "ban-adresses")
    before = sha256(target)
    monkeypatch.setattr(gpkg, "QgsVectorFileWriter", FullDisk)
    sources.serve(addresses=5, parcels=True)

    with pytest.raises(QgsProcessingException) as caught:
        build(target, "ban-adresses")

    message = str(caught.value)
    assert len(message) < 800 and message.count("disk is full") == 1, message[:2000]
    assert "(suite dans le journal)" in message and "Vérifiez l'espace disque" in message
    assert sha256(target) == before
