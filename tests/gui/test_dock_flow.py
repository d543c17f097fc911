"""The whole job through the dock in a real QGIS window: search, tick, run, styled layers in their group."""

import gzip
import json
import os
import re
import shutil

import pytest

from donnees_territoires.territory import TerritoryIndex
from tests.conftest import ROOT
from tests.gui.conftest import mirrored_scenario
from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

DOCS = ROOT / "docs"
OTHER_COMMUNES = [commune for commune in TerritoryIndex.load().communes("epci:243300316")
                  if commune.code not in ("33063", "33281")]


def serve_flow(server) -> None:
    """BAN for the métropole (Bordeaux and Mérignac in full), parcels of Bordeaux and Mérignac; else 404."""
    rows = [BAN_HEADER] + [ban_row(code, name, n, lon + n * 0.001, lat) for n in range(1, 40)
                           for code, name, lon, lat in (("33063", "Bordeaux", -0.60, 44.84),
                                                        ("33281", "Mérignac", -0.68, 44.83))]
    # a few addresses for each other commune of the métropole, for the batch's report to count (drawn along
    # Bordeaux's: the map of the README stays readable)
    rows += [ban_row(commune.code, commune.name, n, -0.60 + (6 * number + n) * 0.00025, 44.8402)
             for number, commune in enumerate(OTHER_COMMUNES) for n in range(1, 7)]
    server.expect_request("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz") \
        .respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()), content_type="application/gzip")
    for code, lon, lat in (("33063", -0.60, 44.845), ("33281", -0.68, 44.835)):
        parcels = {"type": "FeatureCollection",
                   "features": [parcel(code, n, lon + (n % 10) * 0.0012, lat + (n // 10) * 0.0012)
                                for n in range(1, 60)]}
        server.expect_request(f"/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/{code}/"
                              f"cadastre-{code}-parcelles.json.gz").respond_with_data(
            gzip.compress(json.dumps(parcels).encode()), content_type="application/gzip")
    server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    return mirrored_scenario(tmp_path_factory, "dock_flow_script.py", "flow.json", serve_flow,
                             shots=("dock.png", "result.png", "batch-report.png"), prefix="dock-flow-")


def test_search_completes_and_picks_the_epci(flow):
    result, _ = flow
    assert result["errors"] == []
    assert result["completions"][0].startswith("Bordeaux Métropole")
    assert result["references"] == ["epci:243300316"]
    assert sorted(result["checked"]) == ["ban-adresses", "cadastre-parcelles"]


def test_no_exception_caught_by_the_plugin_guards(flow):
    """A guarded slot keeps QGIS alive but would hide a bug from these tests: nothing may be caught."""
    assert flow[0]["guarded"] == []


def test_styled_layers_are_in_the_territory_group(flow):
    result, _ = flow
    assert result["status"] == "Couches temporaires produites : enregistrez-les pour les garder.", result["status"]
    group = result["groups"]["Bordeaux Métropole (243300316)"]
    assert set(group) == {"Adresses", "Cadastre"}
    (addresses,) = group["Adresses"]
    (parcels,) = group["Cadastre"]
    assert addresses["valid"] and parcels["valid"]
    assert addresses["features"] == 2 * 39 + 6 * len(OTHER_COMMUNES)  # every address of the métropole
    assert parcels["features"] == 2 * 59
    # the package's own styles, not QGIS's random default colours
    assert parcels["renderer"] and addresses["renderer"]


def test_screenshots_show_the_dock_and_the_result(flow):
    from qgis.PyQt.QtGui import QImage

    _, out = flow
    for name in ("dock.png", "result.png"):
        image = QImage(str(out / name))
        assert not image.isNull() and image.width() > 800
    # `make screenshots` refreshes the README's pictures from this very run
    if os.environ.get("DT_REFRESH_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(out / "dock.png", DOCS / "dock-panel.png")
        shutil.copy(out / "result.png", DOCS / "result-bordeaux-metropole.png")
        shutil.copy(out / "batch-report.png", DOCS / "batch-report.png")


def test_batch_packages_with_worker_processes_from_qgis_desktop(flow):
    result, _ = flow
    assert result["errors"] == []
    # QGIS Desktop keeps its settings in the profile's QGIS3.ini: the workers are pointed at it
    assert result["qsettings"]["ini"] is True
    assert result["qsettings"]["file"].endswith("profiles/default/QGIS/QGIS3.ini")
    assert result["batch"] == {"WRITTEN": 28, "FAILED": 0, "WORKERS_USED": 2}
    assert len(result["batch_files"]) == 28 and "commune-33063-bordeaux.gpkg" in result["batch_files"]


def test_the_batch_report_counts_each_commune(flow):
    result, _ = flow
    assert result["batch_counts"]["33063"] == "39" and result["batch_counts"]["33003"] == "6"
