"""« Publier… »: where and how a package goes to data.gouv.fr, before the dock runs publish_package as a task.

The dialog only gathers the parameters (the package or its batch folder, the platform, the organisation, the
QGIS authentication configuration holding the key, a dry run); the dock runs the algorithm in a
QgsProcessingAlgRunnerTask. The publication's settings it shows are those of the options page, and it keeps
what the user changed there.
"""

from __future__ import annotations

from pathlib import Path

from qgis.gui import QgsAuthConfigSelect, QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..package import Destination, GeoPackage, PostgisSchema
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

ALGORITHM = "donnees_territoires:publish_package"


class PublishDialog(QDialog):
    """Asks what to publish and where; `parameters()` gives publish_package's parameters once accepted."""

    def __init__(self, package: Destination | None = None, parent: QWidget | None = None) -> None:
        from ..toolbelt.settings import Settings

        super().__init__(parent)
        self.setObjectName("DonneesTerritoiresPublishDialog")
        self.setWindowTitle(tr("Publier sur data.gouv.fr"))
        self.setMinimumWidth(560)
        self.postgis = package if isinstance(package, PostgisSchema) else None
        settings = Settings.load()
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Le paquet devient un jeu de données de votre organisation : créé privé, ses fichiers "
                          "envoyés (le GeoPackage et un fichier ouvert par couche), puis rendu public. Le publier de "
                          "nouveau met à jour le même jeu ; rien n'est envoyé s'il n'a pas changé."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)

        self.package = QgsFileWidget(self)
        self.package.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.package.setFilter(tr("Paquets GeoPackage (*.gpkg)"))
        self.whole_folder = QCheckBox(tr("Publier tous les paquets de son dossier (un lot : un jeu par territoire)"),
                                      self)
        self.whole_folder.setToolTip(tr("Chaque paquet du dossier produit par « Produire un paquet par territoire » "
                                        "devient un jeu de données, avec la couverture de son territoire."))
        if self.postgis is not None:
            form.addRow(tr("Paquet"), QLabel(tr("PostGIS : {label} (exporté en GeoPackage pour l'envoi)").format(
                label=self.postgis.label), self))
        else:
            if isinstance(package, GeoPackage) and package.path:
                self.package.setFilePath(package.path)
            form.addRow(tr("Paquet"), self.package)
            form.addRow("", self.whole_folder)

        self.platform = QComboBox(self)
        self.platform.addItem(tr("Démonstration (demo.data.gouv.fr)"), "demo")
        self.platform.addItem(tr("Production (www.data.gouv.fr)"), "production")
        self.platform.setCurrentIndex(max(0, self.platform.findData(settings.publish_platform)))
        self.organisation = QLineEdit(settings.publish_organisation, self)
        self.organisation.setPlaceholderText(tr("nom court de l'organisation"))
        self.authcfg = QgsAuthConfigSelect(self)
        self.authcfg.setConfigId(settings.publish_authcfg)
        self.authcfg.setToolTip(tr("Méthode « Basic », la clé d'API comme mot de passe : elle reste dans la base "
                                   "d'authentification de QGIS."))
        form.addRow(tr("Plateforme"), self.platform)
        form.addRow(tr("Organisation"), self.organisation)
        form.addRow(tr("Clé d'API"), self.authcfg)

        self.dry_run = QCheckBox(tr("Essai à blanc : écrire les requêtes dans un dossier, sans rien envoyer"), self)
        self.dry_run_folder = QgsFileWidget(self)
        self.dry_run_folder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.dry_run_folder.setEnabled(False)
        self.dry_run.toggled.connect(self.dry_run_folder.setEnabled)
        form.addRow("", self.dry_run)
        form.addRow(tr("Dossier de l'essai"), self.dry_run_folder)

        self.problem = QLabel(self)
        self.problem.setObjectName("publishProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Publier"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuler"))
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self._on_reject)
        layout.addWidget(self.buttons)

    def validate(self) -> str:
        """Why the publication cannot start ("" when it can), in French."""
        if self.postgis is None:
            path = self.package.filePath().strip()
            if not path:
                return tr("Choisissez le paquet GeoPackage à publier (ou un paquet du dossier d'un lot).")
            if not Path(path).is_file():
                return tr("Le paquet {path} n'existe pas.").format(path=path)
        if not self.organisation.text().strip():
            return tr("Indiquez l'organisation data.gouv.fr qui publie (son nom court, dans l'adresse de sa page).")
        if self.dry_run.isChecked():
            if not self.dry_run_folder.filePath().strip():
                return tr("Choisissez le dossier où écrire les requêtes de l'essai à blanc.")
        elif not self.authcfg.configId():
            return tr("Choisissez la configuration d'authentification qui contient la clé d'API (ou créez-la avec "
                      "le bouton « + »).")
        return ""

    def parameters(self) -> dict:
        """publish_package's parameters."""
        parameters = {"ORGANISATION": self.organisation.text().strip(), "PLATFORM": self.platform.currentData(),
                      "AUTHCFG": self.authcfg.configId()}
        if self.postgis is not None:
            parameters.update(POSTGIS_CONNECTION=self.postgis.connection, POSTGIS_SCHEMA=self.postgis.schema)
        elif self.whole_folder.isChecked():
            parameters["FOLDER"] = str(Path(self.package.filePath().strip()).parent)
        else:
            parameters["PACKAGE"] = self.package.filePath().strip()
        if self.dry_run.isChecked():
            parameters["DRY_RUN"] = self.dry_run_folder.filePath().strip()
        return parameters

    def label(self) -> str:
        """What is being published, for the dock's status."""
        if self.postgis is not None:
            return self.postgis.label
        path = Path(self.package.filePath().strip())
        return tr("les paquets de {folder}").format(folder=path.parent.name) if self.whole_folder.isChecked() \
            else path.name

    @guarded(tr("la fermeture de la fenêtre de publication"))
    def _on_reject(self) -> None:
        self.reject()

    @guarded(tr("la validation de la publication"))
    def _on_accept(self) -> None:
        from dataclasses import replace

        from ..toolbelt.settings import Settings

        problem = self.validate()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if problem:
            return
        # the next publication starts from these (they are the options page's settings)
        replace(Settings.load(), publish_platform=self.platform.currentData(),
                publish_organisation=self.organisation.text().strip(), publish_authcfg=self.authcfg.configId()).save()
        self.accept()
