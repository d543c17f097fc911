"""Run inside a real QGIS Desktop (qgis --code): « Publier… » in the dock, in French, as a user does it.

Bordeaux is produced into a GeoPackage; « Publier… » opens the dialog (the organisation comes from the options,
the API key's configuration is chosen in it); Publier: the panel says where it went. Publier again: nothing is
sent. Mérignac is produced and published while the platform fails an upload (the test's flag file): one French
line, the package byte-identical, nothing left on the platform; published again, it goes. Reports in
$DT_GUI_OUT/publish.json, screenshots publish-dialog.png and published.png.
"""

import hashlib
import os
import sys
from pathlib import Path

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from qgis.utils import iface

sys.path.insert(0, os.environ["DT_GUI_SCRIPTS"])
import in_qgis  # noqa: E402
from in_qgis import dock  # noqa: E402

report = in_qgis.Report("publish.json")
result = report.data
OUT = report.out
FLAG = Path(os.environ["DT_PUBLISH_FAULT"])
runs = result.setdefault("runs", [])
KEYS = {}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


@report.step
def step_open():
    # the key in QGIS's authentication database (a user does it in Options › Authentification)
    manager = QgsApplication.authManager()
    manager.setMasterPassword("mot-de-passe-maitre", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("data.gouv.fr démo")
    config.setConfig("username", "")
    config.setConfig("password", os.environ["DT_PUBLISH_KEY"])
    manager.storeAuthenticationConfig(config)
    KEYS["good"] = config.id()
    QgsSettings().setValue("donnees_territoires/publish_organisation", "ot-bordeaux")
    in_qgis.open_dock()
    QTimer.singleShot(800, lambda: produce("commune:33063", "bordeaux.gpkg"))


@report.step
def produce(reference, name):
    dock().picker.set_references([reference])
    dock().datasets.set_checked(["ban-adresses", "cadastre-parcelles"])
    dock().output.set_destination({"kind": "gpkg", "path": str(OUT / name)})
    dock().output.set_load_results(True)
    dock().run()
    in_qgis.when_run_ends(step_produced, timeout_s=90, every_ms=300)


@report.step
def step_produced(ended):
    result.setdefault("produced", []).append([ended, dock().status.text()])
    number = len(result["produced"])
    QTimer.singleShot(500, step_publish_first if number == 1 else step_publish_failing)


def open_publish_dialog():
    """Click « Publier… » as a user does; the dialog the dock opened."""
    dock().findChild(QPushButton, "publishButton").click()
    QApplication.processEvents()
    return dock().publish_dialog


def click_publish(dialog, then, package: Path):
    before = sha256(package)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    def ended(done):
        runs.append({"ended": done, "status": dock().status.text(), "package": package.name,
                     "sha_before": before, "sha_after": sha256(package),
                     "button_enabled": dock().findChild(QPushButton, "publishButton").isEnabled()})
        then()

    in_qgis.when_run_ends(report.step(ended), timeout_s=90, every_ms=300)


@report.step
def step_publish_first():
    dialog = open_publish_dialog()
    result["dialog"] = {"visible": dialog.isVisible(), "title": dialog.windowTitle(),
                        "package": dialog.package.filePath(), "organisation": dialog.organisation.text(),
                        "platform": dialog.platform.currentText()}
    dialog.authcfg.setConfigId(KEYS["good"])
    QTimer.singleShot(600, lambda: shoot_dialog(dialog))


@report.step
def shoot_dialog(dialog):
    dialog.grab().save(str(OUT / "publish-dialog.png"))
    click_publish(dialog, lambda: QTimer.singleShot(1200, step_shot_published), OUT / "bordeaux.gpkg")


@report.step
def step_shot_published():
    iface.mainWindow().grab().save(str(OUT / "published.png"))
    dialog = open_publish_dialog()
    result["second_dialog"] = {"package": dialog.package.filePath(), "authcfg": dialog.authcfg.configId() ==
                               KEYS["good"]}
    click_publish(dialog, lambda: produce("commune:33281", "merignac.gpkg"), OUT / "bordeaux.gpkg")


@report.step
def step_publish_failing():
    FLAG.write_text("502", encoding="utf-8")  # the platform fails the next upload
    dialog = open_publish_dialog()
    result["third_dialog"] = {"package": dialog.package.filePath()}
    click_publish(dialog, step_publish_again, OUT / "merignac.gpkg")


@report.step
def step_publish_again():
    result["flag_left"] = FLAG.exists()
    dialog = open_publish_dialog()
    click_publish(dialog, report.finish, OUT / "merignac.gpkg")


QTimer.singleShot(2000, step_open)
