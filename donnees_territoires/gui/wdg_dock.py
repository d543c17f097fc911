"""The « Données et territoires » dock: territory, datasets, output, one button running build_package as a task."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import compat
from ..__about__ import __icon_path__, __title__, __version__
from ..toolbelt import log, slots
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .territory_outline import TerritoryOutline
from .wdg_status import StatusLabel
from .wheel_focus import ignore_wheel_in

DOCK_OBJECT_NAME = "DonneesTerritoiresDock"
ALGORITHM = "donnees_territoires:build_package"
REFRESH = "donnees_territoires:refresh_package"
PUBLISH = "donnees_territoires:publish_package"
#: the outline follows the choice this long after its last change (typing a buffer changes it at each digit)
OUTLINE_DELAY_MS = 300


class TerritoryDock(QgsDockWidget):
    """Dock panel; its widgets are built on first show so that QGIS start-up stays fast."""

    def __init__(self, parent: QWidget | None = None, open_settings=None, canvas=None, iface=None):
        super().__init__(__title__, parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.setWindowIcon(QIcon(str(__icon_path__)))
        self._canvas = canvas
        self._iface = iface
        self._open_settings = open_settings
        self._zoom_task = None
        self._wheel_filter = None  # the panel's wheel guard (wheel_focus.ignore_wheel_in), kept alive here
        self.outline = None  # TerritoryOutline, made with the widgets
        self.base_maps = None  # load.BaseMaps, made with the widgets
        self.task: QgsProcessingAlgRunnerTask | None = None
        self._run = None  # (algorithm, context, feedback) of the task in progress
        self.last_package = None  # the Destination of the last package produced here (not a temporary one)
        self.publish_dialog = None
        self.picker = self.datasets = self.output = None
        placeholder = QLabel(tr("Chargement…"), self)
        self.setWidget(placeholder)

    # -- construction ---------------------------------------------------------------------------
    @guarded(tr("l'affichage du panneau"))
    def showEvent(self, event):  # noqa: N802
        self.ensure_built()
        super().showEvent(event)

    def ensure_built(self) -> None:
        if self.picker is not None:
            return
        from .wdg_dataset_tree import DatasetTree, loaded_catalog
        from .wdg_output import OutputChoice
        from .wdg_territory_picker import TerritoryPicker

        body = QWidget(self)
        layout = QVBoxLayout(body)
        header = QHBoxLayout()
        icon = QLabel(body)
        icon.setPixmap(QIcon(str(__icon_path__)).pixmap(24, 24))
        header.addWidget(icon)
        header.addWidget(QLabel(f"<b>{__title__}</b> <small>{__version__}</small>", body), 1)
        self.settings_button = QPushButton(QgsApplication.getThemeIcon("/mActionOptions.svg"), "", body)
        self.settings_button.setToolTip(tr("Paramètres…"))
        self.settings_button.clicked.connect(self._on_settings)
        header.addWidget(self.settings_button)
        layout.addLayout(header)

        territory_box = QGroupBox(tr("Territoire"), body)
        self.picker = TerritoryPicker(territory_box, canvas=self._canvas, iface=self._iface)
        QVBoxLayout(territory_box).addWidget(self.picker)
        layout.addWidget(territory_box)

        datasets_box = QGroupBox(tr("Jeux de données"), body)
        self.datasets = DatasetTree(datasets_box)
        QVBoxLayout(datasets_box).addWidget(self.datasets)
        layout.addWidget(datasets_box, 1)

        output_box = QGroupBox(tr("Sortie"), body)
        self.output = OutputChoice(output_box)
        QVBoxLayout(output_box).addWidget(self.output)
        layout.addWidget(output_box)

        # the buttons stay in view below the scrolling choices
        footer = QWidget(self)
        footer_layout = QVBoxLayout(footer)
        footer_layout.setContentsMargins(9, 0, 9, 6)
        run_row = QHBoxLayout()
        self.run_button = QPushButton(QIcon(str(__icon_path__)), tr("Produire"), footer)
        self.run_button.setObjectName("runButton")
        self.run_button.setToolTip(tr("Télécharger, découper et charger les jeux cochés pour le territoire"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(tr("Annuler"), footer)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.refresh_button = QPushButton(QgsApplication.getThemeIcon("/mActionRefresh.svg"), tr("Mettre à jour"),
                                          footer)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setToolTip(tr("Mettre à jour le paquet de la couche active (panneau Couches) : sa "
                                          "recette est rejouée, seul ce qui a changé est téléchargé, et un rapport "
                                          "des changements est écrit à côté du paquet."))
        self.refresh_button.clicked.connect(self.refresh_active)
        self.publish_button = QPushButton(QgsApplication.getThemeIcon("/mActionSharingExport.svg"), tr("Publier…"),
                                          footer)
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setToolTip(tr("Publier sur data.gouv.fr le paquet de la couche active (ou le dernier "
                                          "produit), ou tous les paquets d'un lot : un jeu de données ouvert de "
                                          "votre organisation, mis à jour à chaque nouvelle publication."))
        self.publish_button.clicked.connect(self.publish)
        run_row.addWidget(self.run_button, 1)
        run_row.addWidget(self.refresh_button)
        run_row.addWidget(self.publish_button)
        run_row.addWidget(self.cancel_button)
        footer_layout.addLayout(run_row)
        self.progress = QProgressBar(footer)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        footer_layout.addWidget(self.progress)
        self.status = StatusLabel(footer, open_log=self._open_log)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.status.details_link, 0, Qt.AlignmentFlag.AlignBottom)
        footer_layout.addLayout(status_row)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        container = QWidget(self)
        outer = QVBoxLayout(container)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addWidget(footer)
        self.setWidget(container)
        # room for the picker's buttons side by side: a narrower dock would scroll sideways
        self.setMinimumWidth(body.minimumSizeHint().width() + 24)
        # the wheel over the panel scrolls it: it changed the buffer, the COG vintage or the output unnoticed
        self._wheel_filter = ignore_wheel_in(body)
        self.datasets.set_catalog(loaded_catalog(push=True))
        from ..load import BaseMaps

        self.base_maps = BaseMaps()
        self._restore()
        # the chosen territories outlined on the map before producing (a moment after the last change)
        self.outline = TerritoryOutline(self._canvas)
        self._outline_timer = QTimer(self)
        self._outline_timer.setSingleShot(True)
        self._outline_timer.setInterval(OUTLINE_DELAY_MS)
        self._outline_timer.timeout.connect(self._show_outline)
        self.picker.changed.connect(self._outline_timer.start)
        self._show_outline()

    # -- memory ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        from .selection_memory import last_fetches, load_selection

        for dataset_id, when in last_fetches().items():
            self.datasets.set_last_fetch(dataset_id, when)
        last = load_selection()
        self.picker.set_references(last["references"])
        if last["vintage"]:
            self.picker.set_vintage(last["vintage"])
        self.picker.set_buffer_m(last["buffer_m"])
        self.datasets.set_checked(last["dataset_ids"])
        self.output.set_destination(last["output"])
        self.output.set_crs(last["crs"] or None)
        self.output.set_load_results(last["load_results"])

    def remember(self) -> None:
        from .selection_memory import save_selection

        if self.picker is None:
            return
        crs = self.output.crs()
        save_selection({"references": self.picker.references(), "vintage": self.picker.vintage(),
                        "buffer_m": self.picker.buffer_m(), "dataset_ids": self.datasets.checked_ids(),
                        "output": self.output.destination(), "crs": crs.authid() if crs else "",
                        "load_results": self.output.load_results()})

    # -- territory from elsewhere (locator) -----------------------------------------------------
    def select_territory(self, reference: str, *, replace: bool = False) -> None:
        """Add `reference` (e.g. « epci:243300316 ») to the chosen territories, or make it the only one
        (`replace`), show the dock, frame the map."""
        self.ensure_built()
        if replace:
            self.picker.set_references([])
        self.picker.add_reference(reference)
        self.show()
        self.raise_()
        self.zoom_to(reference)

    @property
    def selected(self) -> list[str]:
        return self.picker.references() if self.picker is not None else []

    def zoom_to(self, reference: str) -> None:
        """Zoom the map to the territory; its contour is computed in a background task."""
        from ..load import zoom_to_territory

        self._zoom_task = zoom_to_territory(reference, self._canvas, finished=self._zoom_done)

    def _zoom_done(self) -> None:
        self._zoom_task = None

    # -- run --------------------------------------------------------------------------------------
    def parameters(self) -> dict:
        """build_package parameters from the widgets (raises ValueError with a French message)."""
        problem = self.picker.validate() or self.output.validate()
        if problem:
            raise ValueError(problem)
        if not self.picker.references():
            raise ValueError(tr("Choisissez au moins un territoire (il dit aussi quelles données télécharger)."))
        datasets = [d for d in self.datasets.checked_ids() if not self.datasets.catalog().get(d).is_view_only]
        if not datasets and not self.view_only_checked():
            raise ValueError(tr("Cochez au moins un jeu de données."))
        destination = self.output.destination()
        crs = self.output.crs()
        selection = self.picker.selection()
        parameters = {"TERRITORY": selection.reference, "VINTAGE": selection.vintage,
                      "DATASETS": ",".join(datasets), "BUFFER": selection.buffer_m,
                      "CRS": crs if crs is not None else None,
                      "LOAD_RESULTS": self.output.load_results() or destination.must_load,
                      **destination.build_parameters()}
        shape = self.picker.custom_shape()
        if shape is not None:
            geometry, crs_shape = shape
            mask = QgsVectorLayer(f"Polygon?crs={crs_shape.authid()}", tr("emprise"), "memory")
            feature = QgsFeature()
            feature.setGeometry(geometry)
            mask.dataProvider().addFeatures([feature])
            parameters["MASK"] = mask
        return parameters

    @guarded(tr("le lancement de la production"))
    def run(self) -> None:
        """Run build_package in a QgsProcessingAlgRunnerTask: progress here and in the task manager, Cancel."""
        if self.task is not None:
            return
        try:
            parameters = self.parameters()
        except ValueError as error:
            self._show_status(str(error), error=True)
            return
        self.remember()
        self.add_base_maps()
        if parameters["DATASETS"]:
            self._start(ALGORITHM, parameters, self._on_built, tr("Production en cours…"))

    def view_only_checked(self) -> list:
        catalog = self.datasets.catalog()
        return [catalog.get(d) for d in self.datasets.checked_ids() if catalog.get(d).is_view_only]

    def add_base_maps(self) -> None:
        """Add the checked view-only (WMTS) datasets to the project: their capabilities are read in a task."""
        self.base_maps.add(self.view_only_checked())

    @guarded(tr("le lancement de la mise à jour"))
    def refresh_active(self) -> None:
        """« Mettre à jour » the package of the active layer: refresh_package as a task, then its summary."""
        if self.task is not None:
            return
        from ..package import destination_of_layer

        destination = destination_of_layer(self._iface.activeLayer() if self._iface is not None else None)
        if destination is None:
            self._show_status(tr("Sélectionnez dans le panneau Couches une couche d'un paquet (GeoPackage) à mettre "
                                 "à jour."), error=True)
            return
        self._start(REFRESH, destination.refresh_parameters(), partial(self._on_refreshed, destination),
                    tr("Mise à jour de {path}…").format(path=destination.label))

    def package_to_publish(self):
        """The package « Publier… » proposes: the active layer's (panneau Couches), else the last one produced."""
        from ..package import destination_of_layer

        active = destination_of_layer(self._iface.activeLayer() if self._iface is not None else None)
        return active or self.last_package

    @guarded(tr("l'ouverture de la publication"))
    def publish(self) -> None:
        """« Publier… »: the dialog asks what and where; accepted, publish_package runs as a task."""
        if self.task is not None:
            return
        from .dlg_publish import PublishDialog

        if self.publish_dialog is not None:  # one closed with « Annuler »: not kept alive beside the new one
            self.publish_dialog.deleteLater()
        self.publish_dialog = PublishDialog(self.package_to_publish(), self)
        self.publish_dialog.accepted.connect(self._on_publish_accepted)
        self.publish_dialog.open()  # window-modal, without a nested event loop

    @guarded(tr("le lancement de la publication"))
    def _on_publish_accepted(self) -> None:
        dialog, self.publish_dialog = self.publish_dialog, None
        if dialog is None or self.task is not None:
            return
        self._start(PUBLISH, dialog.parameters(), self._on_published,
                    tr("Publication de {what}…").format(what=dialog.label()))
        dialog.deleteLater()

    def _on_published(self, algorithm, context, feedback, parameters, results) -> None:
        pages = [page for page in (results.get("PAGE") or "").splitlines() if page]
        if results.get("REQUESTS"):
            summary = tr("Essai à blanc : rien n'a été envoyé ; les requêtes sont dans {path}.").format(
                path=results["REQUESTS"])
        elif parameters.get("FOLDER"):
            summary = tr("{count} paquet(s) publié(s) sur data.gouv.fr ; catalogue de l'organisation : "
                         "{catalog}").format(count=results.get("PUBLISHED", 0), catalog=results.get("CATALOG", ""))
        elif results.get("UNCHANGED"):
            summary = tr("Déjà publié tel quel : rien n'a été envoyé ({page}).").format(page=pages[0] if pages else "")
        else:
            summary = tr("Publié sur data.gouv.fr : {page}").format(page=pages[0] if pages else "")
        self._show_result(summary, summary, {"FAILURES": results.get("FAILURES", "")}, feedback, duration=10)

    def _start(self, algorithm_id: str, parameters: dict, on_success, status: str) -> None:
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        feedback = QgsProcessingFeedback()
        feedback.progressChanged.connect(self._on_progress)
        compat.connect_progress_text(feedback, self._on_progress_text)
        self._run = (algorithm, context, feedback, parameters, on_success)
        self.task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
        self.task.executed.connect(self._on_executed)
        self._show_running(True)
        self._show_status(status)
        QgsApplication.taskManager().addTask(self.task)

    @guarded(tr("l'annulation"))
    def cancel(self) -> None:
        if self.task is not None:
            self._show_status(tr("Annulation…"))
            self.task.cancel()

    @guarded(tr("le suivi de la progression"))
    def _on_progress_text(self, text: str) -> None:
        self.status.show_text(text)

    @guarded(tr("le suivi de la progression"))
    def _on_progress(self, value: float) -> None:
        self.progress.setValue(int(value))

    @guarded(tr("la fin de la production"))
    def _on_executed(self, successful: bool, results: dict) -> None:
        run, self._run = self._run, None
        task = self.task
        try:
            self._conclude(run, successful, results)
            # QGIS announces the task's end (« Tâche complète ») with its description just after this signal:
            # that notice carries the run's result instead of hiding it behind the algorithm's name
            said = self.status.text().splitlines() if self.picker is not None else []
            if task is not None and said:
                task.setDescription(said[0])
        finally:  # whatever failed above (reported by the guard), the dock is ready for the next run
            self.task = None
            self._show_running(False)

    def _show_running(self, running: bool) -> None:
        """The buttons and the progress bar of a run in progress (True) or of an idle dock (False)."""
        for button in (self.run_button, self.refresh_button, self.publish_button):
            button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)
        self.progress.setVisible(running)

    def _conclude(self, run: tuple, successful: bool, results: dict) -> None:
        """The status of a finished run; on success, `on_success` shows its result in the project."""
        algorithm, context, feedback, parameters, on_success = run
        if feedback.isCanceled():
            details = feedback.textLog().strip().splitlines()
            if algorithm.id() == PUBLISH and details and not successful:
                # what the platform was left with (the dataset this attempt created is deleted) is said
                self._show_status(tr("Publication annulée : {message}").format(message=details[-1]))
            else:
                self._show_status(tr("Annulé : rien n'a été écrit, le paquet précédent est intact."))
            return
        if not successful:
            details = feedback.textLog().strip().splitlines()
            message = details[-1] if details else tr("erreur inconnue")
            self._show_status(tr("Échec : {message}").format(message=message), error=True)
            # the message bar gets the sentence, the log the whole run
            log.critical(self.status.text(), push=True, details=feedback.textLog())
            return
        try:
            on_success(algorithm, context, feedback, parameters, results)
        except Exception:  # noqa: BLE001 - the package is written: say that only showing it failed
            destination = results.get("OUTPUT") or parameters.get("PACKAGE", "")
            self._show_status(slots.report_exception(tr(
                "Le paquet {destination} est prêt, mais son chargement dans le projet a échoué : ouvrez-le à la "
                "main (menu Couche › Ajouter une couche, ou panneau Explorateur). Le détail est dans le journal "
                "des messages, onglet « Données et territoires ».").format(destination=destination)), error=True)

    def _on_built(self, algorithm, context, feedback, parameters, results) -> None:
        from ..load import load_results

        load_results(context, feedback)
        self._record_fetches(results)
        self._remember_package(results)
        where = results.get("OUTPUT", "")
        # the panel names the file, the message bar and the log give its whole path
        self._show_result(self._built_summary(results, Path(where).name if where.lower().endswith(".gpkg") else where),
                          self._built_summary(results, where), results, feedback, duration=5)

    @staticmethod
    def _built_summary(results: dict, destination: str) -> str:
        if json.loads(results.get("DESTINATION") or "{}").get("kind") == "memory":
            # Processing's temporary file is no place the user chose: say what they have, and how to keep it
            return tr("Couches temporaires produites : enregistrez-les pour les garder.")
        if results.get("UNCHANGED"):
            return tr("Déjà à jour : rien n'a changé ({destination}).").format(destination=destination)
        return tr("Paquet produit : {destination}").format(destination=destination)

    def _on_refreshed(self, destination, algorithm, context, feedback, parameters, results) -> None:
        from ..load import update_loaded

        update_loaded(destination)  # the package was replaced: the project's layers on it read the new one
        summary = tr("Paquet mis à jour : {added} ajoutée(s), {removed} supprimée(s), {modified} modifiée(s). "
                     "Rapport : {report}").format(added=results.get("ADDED", 0), removed=results.get("REMOVED", 0),
                                                  modified=results.get("MODIFIED", 0),
                                                  report=results.get("REPORT", ""))
        self._show_result(summary, summary, results, feedback, duration=10)

    def _show_result(self, shown: str, said: str, results: dict, feedback, duration: int) -> None:
        """A run's result, `shown` in the panel and `said` in the message bar; then each failed dataset
        (FAILURES) in a line of the panel, amber, with « Détails » (every URL is in the log)."""
        failures = [line for line in (results.get("FAILURES") or "").splitlines() if line.strip()]
        if not failures:
            self._show_status(shown)
            log.success(said, push=True, duration=duration)
            return
        self.status.show_text("\n".join([shown] + failures), warning=True, details=True)
        log.warning(tr("{summary} — {count} jeu(x) de données en échec (voir le panneau et le journal).").format(
            summary=said, count=len(failures)), push=True, duration=10, details=feedback.textLog())

    def _remember_package(self, results: dict) -> None:
        """The package just produced, for « Publier… » (a temporary one is nothing to publish)."""
        from ..package import Memory, destination_from_dict

        if results.get("DESTINATION"):
            destination = destination_from_dict(json.loads(results["DESTINATION"]))
            self.last_package = None if isinstance(destination, Memory) else destination

    def _record_fetches(self, results: dict) -> None:
        """Show (and remember) when each dataset of the package was downloaded, from its manifest."""
        from ..load import fetch_dates
        from ..package import destination_from_dict
        from .selection_memory import save_last_fetches

        if not results.get("DESTINATION"):
            return
        fetched = fetch_dates(destination_from_dict(json.loads(results["DESTINATION"])))
        for dataset_id, when in fetched.items():
            self.datasets.set_last_fetch(dataset_id, when)
        save_last_fetches(fetched)

    def _show_status(self, text: str, error: bool = False) -> None:
        if self.picker is None:
            return
        self.status.show_text(text, error)

    def _open_log(self) -> None:
        """QGIS's log panel (« Détails » of a cut message)."""
        if self._iface is not None and hasattr(self._iface, "openMessageLog"):
            self._iface.openMessageLog()

    @guarded(tr("le contour du territoire sur la carte"))
    def _show_outline(self) -> None:
        if self.outline is not None and self.picker is not None:
            self.outline.show(self.picker.references(), self.picker.vintage(), self.picker.buffer_m())

    def unload(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.publish_dialog is not None:
            self.publish_dialog.reject()
        if self.outline is not None:
            self._outline_timer.stop()
            self.outline.unload()
        if self.picker is not None:
            self.remember()
            self.picker.unload()

    @guarded(tr("l'ouverture des paramètres"))
    def _on_settings(self) -> None:
        if self._open_settings is not None:
            self._open_settings()

