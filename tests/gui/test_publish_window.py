"""Issue 17 in a real QGIS window in French: « Publier… » from the dock to a local data.gouv.fr API, again
(nothing sent), and through a failed upload (one line, the package untouched, nothing left on the platform)."""

import os
import re
import shutil

import pytest

from tests.conftest import ROOT
from tests.gui.conftest import mirrored_scenario
from tests.gui.test_dock_flow import serve_flow
from tests.qgis.fake_datagouv import KEY, FakeDataGouv

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def publishing(tmp_path_factory):
    flag = tmp_path_factory.mktemp("drapeau") / "panne-envoi"
    fake = FakeDataGouv()
    answer = fake.__call__

    def failing_once(request):
        """The platform answers the upload after the flag is set with the flag's status, once."""
        if request.method == "POST" and request.path.endswith("/upload/") and flag.exists():
            status = int(flag.read_text(encoding="utf-8"))
            flag.unlink()
            fake.requests.append((request.method, request.path, "panne"))
            return fake.answer({"message": f"panne simulée {status}"}, status)
        return answer(request)

    def serve(server):
        server.expect_request(re.compile(r"/demo\.data\.gouv\.fr/api/1/.*")).respond_with_handler(failing_once)
        fake.register(server)  # the stable addresses of the files (and the API again, behind the line above)
        serve_flow(server)

    report, out = mirrored_scenario(tmp_path_factory, "publish_script.py", "publish.json", serve,
                                    shots=("publish-dialog.png", "published.png"), prefix="publish-",
                                    extra_env={"DT_PUBLISH_FAULT": str(flag), "DT_PUBLISH_KEY": KEY})
    return report, out, fake


def test_no_error_and_nothing_caught_by_the_guards(publishing):
    report, _out, _fake = publishing
    assert report["errors"] == [] and report["guarded"] == []
    assert [ended for ended, _status in report["produced"]] == [True, True]
    assert [run["ended"] for run in report["runs"]] == [True] * 4


def test_the_dialog_proposes_the_package_and_the_options(publishing):
    report, _out, _fake = publishing
    dialog = report["dialog"]
    assert dialog["visible"] and dialog["title"] == "Publier sur data.gouv.fr"
    assert dialog["package"].endswith("bordeaux.gpkg")  # the active layer's package
    assert dialog["organisation"] == "ot-bordeaux" and dialog["platform"].startswith("Démonstration")
    assert report["second_dialog"] == {"package": dialog["package"], "authcfg": True}  # remembered
    assert report["third_dialog"]["package"].endswith("merignac.gpkg")


def test_published_then_nothing_sent_again(publishing):
    report, _out, fake = publishing
    first, second = report["runs"][:2]
    bordeaux = next(d for d in fake.live() if d["spatial"]["zones"] == ["fr:commune:33063"])
    assert first["status"] == f"Publié sur data.gouv.fr : {bordeaux['page']}", first["status"]
    assert second["status"].startswith("Déjà publié tel quel : rien n'a été envoyé"), second["status"]
    assert second["sha_before"] == second["sha_after"]
    assert {r["title"] for r in bordeaux["resources"]} == {"bordeaux.gpkg", "ban_adresses.geojson",
                                                           "cadastre_parcelles.geojson"}


def test_a_failed_upload_is_one_line_and_leaves_nothing(publishing):
    report, _out, fake = publishing
    failed, again = report["runs"][2:]
    status = failed["status"]
    assert status.startswith("Échec : Publication interrompue") and "502" in status and "supprimé" in status, status
    assert len(status.splitlines()) == 1 and "Traceback" not in status and KEY not in status
    assert failed["sha_before"] == failed["sha_after"]  # the package untouched
    assert failed["button_enabled"] and not report["flag_left"]
    assert again["status"].startswith("Publié sur data.gouv.fr"), again["status"]
    # one dataset per territory on the platform: the failed attempt's was deleted
    assert sorted(d["spatial"]["zones"][0] for d in fake.live()) == ["fr:commune:33063", "fr:commune:33281"]
    assert sum(1 for d in fake.datasets.values() if d["deleted"]) == 1


def test_screenshots(publishing):
    from qgis.PyQt.QtGui import QImage

    _report, out, _fake = publishing
    for name, width in (("publish-dialog.png", 500), ("published.png", 800)):
        image = QImage(str(out / name))
        assert not image.isNull() and image.width() > width
    if os.environ.get("DT_REFRESH_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(out / "publish-dialog.png", DOCS / "publish-dialog.png")
        shutil.copy(out / "published.png", DOCS / "published.png")
