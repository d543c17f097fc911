"""The plugin loads, unloads and reloads cleanly (pytest-qgis' interface)."""

import time

import pytest
from qgis.core import QgsApplication
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction

import donnees_territoires
from donnees_territoires.processing.provider import Provider


@pytest.fixture(autouse=True)
def no_provider_registered(qgis_app):
    """Each test loads the plugin as QGIS does: with no « donnees_territoires » provider yet."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("donnees_territoires")
    if existing is not None:
        registry.removeProvider(existing)


def _flush_deletes():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _providers():
    return [p.id() for p in QgsApplication.processingRegistry().providers()]


def test_headless_registers_only_the_provider(qgis_app):
    plugin = donnees_territoires.classFactory(None)
    plugin.initProcessing()
    try:
        assert "donnees_territoires" in _providers()
        assert plugin.dock is None and plugin.actions == []
    finally:
        plugin.unload()
    assert "donnees_territoires" not in _providers()


def test_init_gui_with_iface_none_does_not_crash(qgis_app):
    plugin = donnees_territoires.classFactory(None)
    plugin.initGui()
    try:
        assert "donnees_territoires" in _providers()
    finally:
        plugin.unload()


def test_load_unload_reload(qgis_app, qgis_iface):
    register = qgis_iface.registerOptionsWidgetFactory
    unregister = qgis_iface.unregisterOptionsWidgetFactory
    add_locator = qgis_iface.registerLocatorFilter
    remove_locator = qgis_iface.deregisterLocatorFilter
    for _round in range(2):
        for mock in (register, unregister, add_locator, remove_locator):
            mock.reset_mock()
        plugin = donnees_territoires.classFactory(qgis_iface)
        plugin.initGui()
        assert _providers().count("donnees_territoires") == 1
        dock = plugin.dock
        assert dock.windowTitle() == "Données et territoires"
        actions = list(plugin.actions)
        assert [a.objectName() for a in actions] == [
            "DonneesTerritoiresDockAction", "DonneesTerritoiresSettingsAction", "DonneesTerritoiresHelpAction"]
        factory = plugin.options_factory
        register.assert_called_once_with(factory)
        locator_filter = plugin.locator_filter
        add_locator.assert_called_once_with(locator_filter)

        plugin.unload()
        _flush_deletes()
        assert "donnees_territoires" not in _providers()
        unregister.assert_called_once_with(factory)
        remove_locator.assert_called_once_with(locator_filter)
        assert sip.isdeleted(dock)
        assert all(sip.isdeleted(a) for a in actions)
        leftovers = [a for a in qgis_iface.mainWindow().findChildren(QAction)
                     if a.objectName().startswith("DonneesTerritoires")]
        assert leftovers == []
        assert plugin.translator is None


def test_provider_identity(qgis_app):
    provider = Provider()
    assert provider.id() == "donnees_territoires"
    assert provider.name() == "Données et territoires"
    assert not provider.icon().isNull()


def test_english_translation_is_installed_and_removed(qgis_app):
    from donnees_territoires.__about__ import I18N_DIR
    from donnees_territoires.toolbelt.i18n import install_translator, remove_translator, tr

    assert (I18N_DIR / "donnees_territoires_en.qm").is_file(), "lancez make translations"
    assert install_translator("fr") is None  # French is the source language
    translator = install_translator("en")
    try:
        assert translator is not None
        assert tr("Paramètres…") == "Settings…"
    finally:
        remove_translator(translator)
    assert tr("Paramètres…") == "Paramètres…"


def test_locator_choice_selects_the_territory_in_the_dock(qgis_app, qgis_iface):
    plugin = donnees_territoires.classFactory(qgis_iface)
    plugin.initGui()
    try:
        plugin.select_territory("epci:243300316")
        assert plugin.dock.selected == ["epci:243300316"]
        assert plugin.dock.picker.references() == ["epci:243300316"]
        assert not plugin.dock.isHidden()  # shown (the mock main window itself is not on screen)
        # a second choice in the locator replaces the first (it used to add a chip silently)
        plugin.select_territory("commune:33063")
        assert plugin.dock.picker.references() == ["commune:33063"]
        # the dock's own search still adds
        plugin.dock.select_territory("commune:33281")
        assert plugin.dock.picker.references() == ["commune:33063", "commune:33281"]
    finally:
        plugin.unload()


def test_locator_choice_zooms_the_map_in_a_background_task(qgis_app, qgis_iface, monkeypatch, tmp_path):
    from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsPointXY

    from tests.conftest import CONTOURS_2018

    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(CONTOURS_2018))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path))
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    plugin = donnees_territoires.classFactory(qgis_iface)
    plugin.initGui()
    try:
        plugin.select_territory("epci:243300316")
        task = plugin.dock._zoom_task
        assert task is not None
        deadline = time.monotonic() + 30
        while plugin.dock._zoom_task is not None and time.monotonic() < deadline:
            QgsApplication.processEvents()
            time.sleep(0.01)
        extent = canvas.extent()
        assert extent.contains(QgsPointXY(417000, 6422000))  # Bordeaux, Lambert-93
        assert max(extent.width(), extent.height()) < 200_000  # framed on the métropole, not on France
    finally:
        plugin.unload()
