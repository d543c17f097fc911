"""Issue 15, item 2, in a real QGIS window in French: one dataset failing does not fail the others."""

import gzip
import json
import os
import re
import shutil

import pytest

from tests.conftest import ROOT
from tests.gui.conftest import mirrored_scenario
from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

PARCELS = ("/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063/"
           "cadastre-33063-parcelles.json.gz")


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    from werkzeug.wrappers import Response

    flag = tmp_path_factory.mktemp("drapeau") / "parcelles-absentes"
    parcels = gzip.compress(json.dumps({"type": "FeatureCollection", "features": [
        parcel("33063", n, -0.60 + (n % 10) * 0.0012, 44.845 + (n // 10) * 0.0012) for n in range(1, 40)]}).encode())

    def parcels_or_404(_request):
        if flag.exists():
            return Response("Not Found", status=404)
        return Response(parcels, content_type="application/gzip", headers={"ETag": '"parcelles-1"'})

    def serve(server):
        rows = [BAN_HEADER] + [ban_row("33063", "Bordeaux", n, -0.60 + n * 0.001, 44.84) for n in range(1, 30)]
        server.expect_request("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz") \
            .respond_with_data(gzip.compress(("\n".join(rows) + "\n").encode()), content_type="application/gzip")
        server.expect_request(PARCELS).respond_with_handler(parcels_or_404)
        server.expect_request(re.compile(".*")).respond_with_data("Not Found", status=404)  # DVF among them

    report, out = mirrored_scenario(tmp_path_factory, "partial_script.py", "partial.json", serve,
                                    shots=("partial-1.png", "partial-3.png", "memory.png", "dialog.png",
                                           "small-screen.png"),
                                    prefix="partial-",
                                    extra_env={"DT_PARTIAL_FLAG": str(flag)})
    return {**report, "out": str(out)}


def test_no_error_and_nothing_caught_by_the_guards(partial):
    assert partial["errors"] == [] and partial["guarded"] == []
    assert [run["ended"] for run in partial["runs"]] == [True] * 5


def test_the_others_are_produced_and_the_failure_is_one_line(partial):
    first = partial["runs"][0]
    lines = first["status"].splitlines()
    assert lines[0] == "Paquet produit : bordeaux.gpkg", first["status"]  # its folder: in the log
    assert len(lines) == 2
    # no per-commune file, and no national file to fall back on either: both said, the absence first
    assert lines[1].startswith("dvf-mutations : 5 fichiers absents chez le producteur pour commune:33063, et le "
                               "fichier national de 2021 non plus"), lines[1]
    assert first["details"]  # « Détails » opens the log, where every missing file is listed
    assert first["status_height"] <= 8 * first["line_height"]
    assert first["features"] == {"Adresses (Base adresse nationale)": 29, "Parcelles cadastrales": 39}, \
        first["features"]


def test_a_rerun_says_up_to_date_and_keeps_one_copy_of_each_layer(partial):
    first, second = partial["runs"][:2]
    assert second["status"].startswith("Déjà à jour : rien n'a changé"), second["status"]
    assert "dvf-mutations" in second["status"]
    assert second["layers"] == first["layers"] and second["sha256"] == first["sha256"]


def test_a_dataset_failing_on_a_rerun_keeps_its_previous_layer(partial):
    second, third = partial["runs"][1:3]
    lines = third["status"].splitlines()
    assert lines[0].startswith("Déjà à jour") and len(lines) == 3, third["status"]
    assert lines[1].startswith("cadastre-parcelles : fichier absent chez le producteur pour commune:33063")
    assert lines[2].startswith("dvf-mutations : ")
    # nothing else changed: the package is not rewritten, the parcels are those of before
    assert third["sha256"] == second["sha256"]
    assert third["layers"] == second["layers"] and third["features"] == second["features"]


def test_every_layer_keeps_its_crs_after_switching_to_temporary_layers_and_restarting(partial):
    """Issue 15 item 5: layers showed « Polygon - » (no CRS) and the map read 2:1 after a GeoPackage run,
    a postcode search and a switch to « Couches temporaires »; then after a restart with remembered choices."""
    fourth, fifth = partial["runs"][3:]
    assert partial["postcode_completions"][0].startswith("Bordeaux"), partial["postcode_completions"]
    for run in (fourth, fifth):
        assert run["references"] == ["commune:33063"] and run["output"] == "memory", run
        assert run["status"].startswith("Couches temporaires produites"), run["status"]
        assert {crs for _provider, crs in run["crs"]} == {"EPSG:2154"}, run["crs"]
        # the temporary layers (in Processing's temporary folder) beside the package's
        assert len(run["layers"]) == 4 and set(run["names"]) == set(partial["runs"][0]["names"])
        assert run["canvas"]["crs"] == "EPSG:2154" and run["canvas"]["scale"] > 1000, run["canvas"]
    # one copy of each temporary layer after the restart: the rerun replaced them
    assert len(fifth["layers"]) == len(fourth["layers"])


def test_qgis_own_task_notice_carries_each_result(partial):
    """QGIS says « Tâche complète » with the task's description: the run's first line, not the algorithm's name.
    (QGIS runs tasks of its own too, such as « Installation de Open Sans » on 3.40: only ours are looked at.)"""
    expected = [run["status"].splitlines()[0] for run in partial["runs"]]
    said = [text for text, _hidden in partial["notices"]]
    assert [text for text in said if text in expected] == expected, partial["notices"]
    assert "Produire un paquet territorial" not in said
    # the territory's outline on the map is a helper task: out of QGIS's task list and notices where QGIS can
    # (QgsTask.Hidden, QGIS ≥ 3.26); QGIS 3.22 notices every task
    helpers = [hidden for text, hidden in partial["notices"] if text.startswith("Contour de ")]
    assert all(helpers) or not partial["hidden_flag"], partial["notices"]


def test_the_processing_dialog_is_filled_without_knowing_an_id(partial):
    assert partial["dialog"] == {"TERRITORY": "epci:243300316", "DATASETS": "cadastre-parcelles"}
    assert "Produire un paquet territorial" in partial["dialog_title"]

    # `make screenshots` refreshes the README's pictures from this very run
    if os.environ.get("DT_REFRESH_DOCS") == "1":
        shutil.copy(partial["out"] + "/dialog.png", ROOT / "docs" / "processing-dialog.png")
        shutil.copy(partial["out"] + "/partial-1.png", ROOT / "docs" / "partial-failure.png")


def test_produire_and_the_status_stay_on_screen_at_1366_by_768(partial):
    screen = partial["small_screen"]
    assert screen["window"][0] <= 1366 and screen["window"][1] <= 768
    for name in ("run", "status"):
        assert screen[name] == {"visible": True, "inside": True, "whole": True}, (name, screen)
