"""Issue 17: « Publier… » in the dock — the dialog asks what and where, publish_package runs as a task, the
result (or the failure) is one French line in the panel; a package unchanged since is not sent again."""

import hashlib

import pytest
from qgis.core import QgsSettings

from tests.qgis import test_dock, test_publish
from tests.qgis.fake_datagouv import FakeDataGouv
from tests.qgis.test_dock import wait_for
from tests.qgis.test_fault_matrix import FaultServer, build

# the fixtures: the panel (with the sources' mirror), QGIS authentication configurations holding keys
dock, env, authcfg = test_dock.dock, test_dock.env, test_publish.authcfg


@pytest.fixture
def platform(env, tmp_path):
    fake = FakeDataGouv()
    fake.register(env)
    fake.sources = FaultServer(env, tmp_path)
    yield fake


@pytest.fixture
def publish_settings():
    keys = ("publish_platform", "publish_organisation", "publish_authcfg")
    store = QgsSettings()
    saved = {key: store.value(f"donnees_territoires/{key}") for key in keys}
    yield
    for key, value in saved.items():
        if value is None:
            store.remove(f"donnees_territoires/{key}")
        else:
            store.setValue(f"donnees_territoires/{key}", value)


def open_dialog(panel):
    panel.publish()
    dialog = panel.publish_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def accept(dialog):
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_publish_from_the_dock_then_again_then_with_a_refused_key(dock, platform, authcfg, publish_settings,
                                                                   tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    build(target)
    dock.last_package = None
    key = authcfg()

    dialog = open_dialog(dock)
    # nothing chosen yet: said in the dialog, which stays open
    accept(dialog)
    assert dialog.isVisible() and "Choisissez le paquet" in dialog.problem.text()
    dialog.package.setFilePath(str(target))
    dialog.organisation.setText("ot-bordeaux")
    accept(dialog)
    assert dialog.isVisible() and "configuration d'authentification" in dialog.problem.text()
    dialog.authcfg.setConfigId(key)
    accept(dialog)
    assert not dialog.isVisible() and dock.task is not None and not dock.publish_button.isEnabled()
    assert wait_for(lambda: dock.task is None)
    (dataset,) = platform.live()
    assert dock.status.text() == f"Publié sur data.gouv.fr : {dataset['page']}", dock.status.text()
    # what was chosen is kept for the next time (the options page's settings)
    assert QgsSettings().value("donnees_territoires/publish_organisation") == "ot-bordeaux"

    # again: the dialog starts from the same choices; nothing is sent, no second dataset
    dialog = open_dialog(dock)
    dialog.package.setFilePath(str(target))
    assert dialog.organisation.text() == "ot-bordeaux" and dialog.authcfg.configId() == key
    sent = len(platform.requests)
    accept(dialog)
    assert wait_for(lambda: dock.task is None)
    assert dock.status.text().startswith("Déjà publié tel quel"), dock.status.text()
    assert len(platform.requests) == sent and len(platform.live()) == 1

    # a refused key: one French line, the package untouched
    platform.sources.fault = test_publish._serving(130)
    build(target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    dialog = open_dialog(dock)
    dialog.package.setFilePath(str(target))
    dialog.authcfg.setConfigId(authcfg("cle-perimee"))
    accept(dialog)
    assert wait_for(lambda: dock.task is None)
    status = dock.status.text()
    assert status.startswith("Échec : La clé d'API a été refusée") and "cle-perimee" not in status, status
    assert "Traceback" not in status and len(status.splitlines()) == 1
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before and len(platform.live()) == 1
    assert dock.publish_button.isEnabled()


def test_the_last_package_produced_is_proposed(dock, platform):
    from donnees_territoires.package import GeoPackage, Memory

    dock._remember_package({"DESTINATION": '{"kind": "gpkg", "path": "/srv/sig/bordeaux.gpkg"}'})
    assert dock.last_package == GeoPackage("/srv/sig/bordeaux.gpkg")
    dialog = open_dialog(dock)
    assert dialog.package.filePath() == "/srv/sig/bordeaux.gpkg"
    dialog.reject()
    dock._remember_package({"DESTINATION": '{"kind": "memory"}'})
    assert dock.last_package is None and not isinstance(dock.package_to_publish(), Memory)


def test_cancel_during_an_upload_leaves_nothing_on_the_platform(dock, platform, authcfg, publish_settings, tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    build(target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    platform.upload_delay = 1.5  # a slow link: the user cancels while the first file goes
    dialog = open_dialog(dock)
    dialog.package.setFilePath(str(target))
    dialog.organisation.setText("ot-bordeaux")
    dialog.authcfg.setConfigId(authcfg())
    accept(dialog)
    assert wait_for(lambda: any(path.endswith("/upload/") for _m, path, _b in platform.requests))
    dock.cancel()
    assert wait_for(lambda: dock.task is None)

    status = dock.status.text()
    assert status.startswith("Publication annulée") and "supprimé" in status, status
    # the cancel did not stop the cleanup: the private dataset the attempt created is gone
    assert platform.live() == [] and [m for m, _p, _b in platform.requests].count("DELETE") == 1
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before and dock.publish_button.isEnabled()
