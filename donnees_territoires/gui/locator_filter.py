"""Locator filter (Ctrl+K): « bordeaux », « 33063 » or « CA du Grand Angoulême » lists territories."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsLocatorFilter, QgsLocatorResult
from qgis.PyQt.QtGui import QIcon

from .. import compat
from ..__about__ import __icon_path__
from ..territory import Territory, TerritoryIndex
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

MAX_RESULTS = 12


def result_text(territory: Territory) -> tuple[str, str]:
    """(display string, description) of a territory in the locator list."""
    kind = territory.kind.label
    details = [kind]
    if territory.population:
        details.append(tr("{population} hab.").format(population=f"{territory.population:,}".replace(",", "\u202f")))
    details.append(territory.reference)
    return territory.label, " · ".join(details)


def result_score(position: int) -> float:
    """The locator's score (1: perfect) of the search's result at `position`, so that it keeps their order."""
    return 1.0 - position / (2 * MAX_RESULTS)


class TerritoryLocatorFilter(QgsLocatorFilter):
    """Searches the latest COG index (in the locator's worker thread) and hands the choice to `on_select`."""

    def __init__(self, on_select: Callable[[str], None], parent=None):
        super().__init__(parent)
        self._on_select = on_select
        # made here, in the main thread (QGIS clones the filter there): fetchResults runs in a worker
        # thread, where an icon must not be built
        self._icon = QIcon(str(__icon_path__))

    def clone(self) -> TerritoryLocatorFilter:
        return TerritoryLocatorFilter(self._on_select)

    def name(self) -> str:
        return "donnees_territoires"

    def displayName(self) -> str:  # noqa: N802
        return tr("Territoires (COG)")

    def prefix(self) -> str:
        return "ter"

    @guarded(tr("la recherche d'un territoire"))  # in the locator's thread: logged, not shown
    def fetchResults(self, string, context, feedback):  # noqa: N802
        query = (string or "").strip()
        if len(query) < 2 or feedback.isCanceled():
            return
        icon = self._icon
        for position, found in enumerate(TerritoryIndex.load().search(query, limit=MAX_RESULTS)):
            if feedback.isCanceled():
                return
            result = QgsLocatorResult()
            result.filter = self
            result.displayString, result.description = result_text(found.territory)
            # the locator sorts a filter's results by score, then by name: without it « ter bordeaux »
            # listed Artigues-près-Bordeaux before Bordeaux; the search's own order is the best first
            result.score = result_score(position)
            compat.set_locator_data(result, found.territory.reference)
            result.icon = icon
            self.resultFetched.emit(result)

    @guarded(tr("le choix d'un territoire dans la barre de recherche"))
    def triggerResult(self, result):  # noqa: N802
        self._on_select(str(compat.locator_data(result)))
