"""Issue 15, item 6: the Processing dialog of build_package and batch_packages fills TERRITORY / PARENT by
searching names and DATASETS by ticking the catalog tree — the parameters stay the same strings."""

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtTest import QTest


@pytest.fixture
def dialog(qgis_app, qgis_iface, dt_processing, monkeypatch):
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel

    # what QGIS Desktop's iface gives the dialog (the test's iface answers mocks)
    browser = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    monkeypatch.setattr(qgis_iface, "activeLayer", lambda: None, raising=False)
    opened = []

    def open_dialog(algorithm_id):
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(f"donnees_territoires:{algorithm_id}")
        window = AlgorithmDialog(algorithm, False, None)
        opened.append(window)
        return window

    yield open_dialog
    for window in opened:
        window.close()
        window.deleteLater()


def press_return(search):
    """Return, as the user presses it: while the proposals are shown, the key goes to them."""
    popup = search.completer.popup()
    QTest.keyClick(popup if popup.isVisible() else search.search_edit, Qt.Key.Key_Return)


def wrapper(window, name):
    return window.mainWidget().wrappers[name]


def test_build_package_dialog_searches_territories_and_ticks_datasets(dialog):
    from donnees_territoires.gui.processing_fields import DatasetsField, TerritoryField

    window = dialog("build_package")
    territory, datasets = wrapper(window, "TERRITORY"), wrapper(window, "DATASETS")
    assert isinstance(territory.widget, TerritoryField) and isinstance(datasets.widget, DatasetsField)

    # « bordeaux metropole » typed, the first proposal taken with Return: the reference goes into the text
    search = territory.widget.search
    QTest.keyClicks(search.search_edit, "bordeaux metropole")
    assert search.completion_references()[0] == "epci:243300316"
    press_return(search)
    QTest.keyClicks(search.search_edit, "merignac")
    press_return(search)
    assert territory.value() == "epci:243300316,commune:33281"

    # the tree, filtered by a word, then ticked
    tree = datasets.widget.tree
    tree.search_edit.setText("adresses")
    assert "ban-adresses" in tree.visible_ids()
    tree.dataset_item("ban-adresses").setCheckState(0, Qt.CheckState.Checked)
    tree.search_edit.setText("")
    tree.dataset_item("cadastre-parcelles").setCheckState(0, Qt.CheckState.Checked)
    assert sorted(datasets.value().split(",")) == ["ban-adresses", "cadastre-parcelles"]

    parameters = window.createProcessingParameters()
    assert parameters["TERRITORY"] == "epci:243300316,commune:33281"
    assert sorted(parameters["DATASETS"].split(",")) == ["ban-adresses", "cadastre-parcelles"]


def test_values_given_as_text_come_back_the_same(dialog):
    window = dialog("batch_packages")
    parent, datasets = wrapper(window, "PARENT"), wrapper(window, "DATASETS")
    parent.setValue("departement:33")
    datasets.setValue("ban-adresses, dvf-mutations,inconnu")
    assert parent.value() == "departement:33"
    # an id no catalog holds is kept (and said): the run refuses it with a suggestion, not the dialog silently
    assert datasets.value().split(",") == ["ban-adresses", "dvf-mutations", "inconnu"]
    assert "inconnu" in datasets.widget.unknown_label.text()
