"""The « Territoires (COG) » locator filter: what a user typing in Ctrl+K gets."""

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
