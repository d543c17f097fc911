"""The « Territoires (COG) » locator filter: what a user typing in Ctrl+K gets."""

import pytest
from qgis.core import QgsFeedback, QgsLocatorContext

from donnees_territoires import compat
from donnees_territoires.gui.locator_filter import TerritoryLocatorFilter


def search(text):
    chosen = []
    locator_filter = TerritoryLocatorFilter(chosen.append)
    found = []
    locator_filter.resultFetched.connect(found.append)
    locator_filter.fetchResults(text, QgsLocatorContext(), QgsFeedback())
    return locator_filter, found, chosen


def test_name_search_lists_homonyms_with_their_departement(qgis_app):
    _, found, _ = search("castres")
    labels = [r.displayString for r in found]
    assert labels[:2] == ["Castres (81)", "Castres (02)"]
    assert compat.locator_data(found[0]) == "commune:81065"
    assert "Commune" in found[0].description and "commune:81065" in found[0].description


def test_the_locator_keeps_the_search_order_exact_name_first(qgis_app):
    """QGIS's locator sorts a filter's results by score, then by name: the scores keep the search's order,
    so « bordeaux » lists Bordeaux before Artigues-près-Bordeaux (as it did not).

    QGIS 3.40 reads no result's score (QgsLocatorModel answers 0 for every result: its own bug, fixed by
    3.44): there the list stays alphabetical whatever the plugin does, and this test checks that fact."""
    from qgis.core import Qgis, QgsLocatorModel, QgsLocatorProxyModel

    locator_filter, found, _ = search("bordeaux")  # kept: the results point at it
    assert found[0].displayString.startswith("Bordeaux")
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert len({r.score for r in found}) == len(found)

    model = QgsLocatorModel()
    for result in reversed(found):  # in the worst order
        model.addResult(result)
    score_role = compat.locator_score_role()
    read = {model.data(model.index(row, 0)): model.data(model.index(row, 0), score_role)
            for row in range(model.rowCount())}
    proxy = QgsLocatorProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(0)
    shown = [proxy.data(proxy.index(row, 0)) for row in range(proxy.rowCount())]
    shown = [text for text in shown if text in {r.displayString for r in found}]
    if 34000 <= Qgis.versionInt() < 34200:
        assert {read[r.displayString] for r in found} == {0}
        assert shown[0] == "Artigues-près-Bordeaux (33)"  # by name only
    else:
        assert [read[r.displayString] for r in found] == pytest.approx([r.score for r in found])
        assert shown == [r.displayString for r in found]
    assert locator_filter.name() == "donnees_territoires"


def test_code_and_epci_name(qgis_app):
    _, found, _ = search("33063")
    assert compat.locator_data(found[0]) == "commune:33063"
    _, found, _ = search("CA du Grand Angoulême")
    assert any(compat.locator_data(r) == "epci:200071827" for r in found[:3])


def test_trigger_hands_the_reference_to_the_dock(qgis_app):
    locator_filter, found, chosen = search("bordeaux metropole")
    assert compat.locator_data(found[0]) == "epci:243300316"
    locator_filter.triggerResult(found[0])
    assert chosen == ["epci:243300316"]


def test_canceled_or_too_short_query_returns_nothing(qgis_app):
    _, found, _ = search("b")
    assert found == []
    locator_filter = TerritoryLocatorFilter(print)
    feedback = QgsFeedback()
    feedback.cancel()
    results = []
    locator_filter.resultFetched.connect(results.append)
    locator_filter.fetchResults("bordeaux", QgsLocatorContext(), feedback)
    assert results == []


def test_clone_keeps_the_callback(qgis_app):
    chosen = []
    clone = TerritoryLocatorFilter(chosen.append).clone()
    assert clone.name() == "donnees_territoires" and clone.prefix() == "ter"
    found = []
    clone.resultFetched.connect(found.append)
    clone.fetchResults("33063", QgsLocatorContext(), QgsFeedback())
    clone.triggerResult(found[0])
    assert chosen == ["commune:33063"]
