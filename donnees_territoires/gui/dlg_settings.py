"""The plugin's page in QGIS Settings (Préférences > Options > Données et territoires)."""

from __future__ import annotations

from qgis.gui import QgsAuthConfigSelect, QgsFileWidget, QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..__about__ import __icon_path__, __title__
from ..toolbelt.i18n import tr
from ..toolbelt.settings import ENV_OVERRIDES, Settings
from ..toolbelt.slots import guarded

PAGE_OBJECT_NAME = "mOptionsPageDonneesTerritoires"


class SettingsPage(QgsOptionsPageWidget):
    """Edits the stored Settings; shows which environment variable overrides a field."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(PAGE_OBJECT_NAME)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.mirror_url = QLineEdit(self)
        self.mirror_url.setPlaceholderText("https://miroir.exemple.fr/donnees")
        self.mirror_url.setToolTip(tr("Une adresse https://hôte/chemin?q est lue depuis "
                                      "<miroir>/hôte/chemin?q. Laisser vide pour les services officiels."))
        self.contours_path = QgsFileWidget(self)
        self.contours_path.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.contours_path.setFilter(tr("Couches de contours (*.gpkg *.shp *.geojson);;Tous les fichiers (*)"))
        self.contours_path.setToolTip(tr("Un GeoPackage ou Shapefile ADMIN EXPRESS (ou toute couche de "
                                         "communes avec un code INSEE) utilisé à la place du réseau."))
        self.contour_sources = QLineEdit(self)
        self.contour_sources.setToolTip(tr("Sources essayées dans cet ordre, séparées par des virgules : "
                                           "local (le fichier ci-dessus), wfs (ADMIN EXPRESS pleine précision), "
                                           "api_geo (simplifié)."))
        self.catalogs = QPlainTextEdit(self)
        self.catalogs.setPlaceholderText("https://sig.departement.fr/catalogue-donnees.json\n/srv/partage/catalogue.json")
        self.catalogs.setToolTip(tr("Catalogues de votre organisation ou les vôtres, un fichier ou une adresse "
                                    "https:// par ligne : leurs entrées complètent le catalogue intégré, ou "
                                    "remplacent une entrée de même identifiant."))
        self.catalogs.setMaximumHeight(80)
        self.cache_dir = QgsFileWidget(self)
        self.cache_dir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.cache_dir.setToolTip(tr("Dossier du cache des téléchargements ; vide = dans le profil QGIS."))
        self.cache_max_mb = QSpinBox(self)
        self.cache_max_mb.setRange(50, 1_000_000)
        self.cache_max_mb.setSuffix(" Mo")
        self.timeout_s = QSpinBox(self)
        self.timeout_s.setRange(5, 3600)
        self.timeout_s.setSuffix(" s")
        self.download_deadline_s = QSpinBox(self)
        self.download_deadline_s.setRange(30, 7 * 24 * 3600)
        self.download_deadline_s.setSuffix(" s")
        self.download_deadline_s.setToolTip(tr("Durée totale au-delà de laquelle un téléchargement est abandonné, "
                                               "même s'il avance encore (un gros fichier a davantage : 1 s par "
                                               "100 ko annoncés)."))
        self.max_expanded_mb = QSpinBox(self)
        self.max_expanded_mb.setRange(100, 1_000_000)
        self.max_expanded_mb.setSuffix(" Mo")
        self.max_expanded_mb.setToolTip(tr("Taille maximale d'un fichier téléchargé une fois décompressé "
                                           "(gzip, zip) : au-delà, il est refusé sans être lu en entier."))
        self.max_expansion_ratio = QSpinBox(self)
        self.max_expansion_ratio.setRange(10, 100_000)
        self.max_expansion_ratio.setPrefix("× ")
        self.max_expansion_ratio.setToolTip(tr("Rapport maximal entre la taille décompressée et la taille "
                                               "compressée (au-delà de 64 Mo décompressés)."))
        self.offline = QCheckBox(tr("Travailler hors ligne (uniquement depuis le cache)"), self)
        self.debug = QCheckBox(tr("Journal détaillé"), self)

        self._env_labels: dict[str, QLabel] = {}
        rows = [
            ("mirror_url", tr("Miroir des sources"), self.mirror_url),
            ("contours_path", tr("Contours locaux"), self.contours_path),
            ("contour_sources", tr("Ordre des sources de contours"), self.contour_sources),
            ("catalogs", tr("Catalogues supplémentaires"), self.catalogs),
            ("cache_dir", tr("Dossier du cache"), self.cache_dir),
            ("cache_max_mb", tr("Taille maximale du cache"), self.cache_max_mb),
            ("timeout_s", tr("Délai d'attente réseau"), self.timeout_s),
            ("download_deadline_s", tr("Durée maximale d'un téléchargement"), self.download_deadline_s),
            ("max_expanded_mb", tr("Taille décompressée maximale"), self.max_expanded_mb),
            ("max_expansion_ratio", tr("Taux de décompression maximal"), self.max_expansion_ratio),
            ("offline", "", self.offline),
            ("debug", "", self.debug),
        ]
        for name, label, widget in rows:
            form.addRow(label, widget)
            if name in ENV_OVERRIDES:
                note = QLabel(self)
                note.setWordWrap(True)
                note.setStyleSheet("color: #a05a00")
                form.addRow("", note)
                self._env_labels[name] = note
        layout.addWidget(self._publication_box())
        layout.addStretch(1)
        self.load(Settings.load())

    def _publication_box(self) -> QGroupBox:
        """Where « Publier… » sends a package: the platform, the organisation, the QGIS authentication
        configuration holding the API key (the key itself stays in QGIS's authentication database)."""
        box = QGroupBox(tr("Publication sur data.gouv.fr"), self)
        form = QFormLayout(box)
        self.publish_platform = QComboBox(box)
        self.publish_platform.addItem(tr("Démonstration (demo.data.gouv.fr)"), "demo")
        self.publish_platform.addItem(tr("Production (www.data.gouv.fr)"), "production")
        self.publish_platform.setToolTip(tr("Essayez d'abord sur la plateforme de démonstration : ses jeux ne sont "
                                            "pas vus du public. Chaque plateforme a ses propres clés d'API."))
        self.publish_organisation = QLineEdit(box)
        self.publish_organisation.setPlaceholderText("observatoire-des-territoires")
        self.publish_organisation.setToolTip(tr("L'identifiant ou le nom court de l'organisation qui publie (dans "
                                                "l'adresse de sa page : …/fr/organizations/<nom court>/) ; la clé "
                                                "d'API doit être celle d'un de ses membres."))
        self.publish_authcfg = QgsAuthConfigSelect(box)
        self.publish_authcfg.setToolTip(tr("Une configuration d'authentification QGIS de méthode « Basic » dont le "
                                           "mot de passe est la clé d'API (profil data.gouv.fr › Clé d'API). La clé "
                                           "reste dans la base d'authentification de QGIS."))
        form.addRow(tr("Plateforme"), self.publish_platform)
        form.addRow(tr("Organisation"), self.publish_organisation)
        form.addRow(tr("Clé d'API"), self.publish_authcfg)
        return box

    # -- Settings <-> widgets -------------------------------------------------------------
    def load(self, settings: Settings) -> None:
        self.mirror_url.setText(settings.mirror_url)
        self.contours_path.setFilePath(settings.contours_path)
        self.contour_sources.setText(settings.contour_sources)
        self.catalogs.setPlainText(settings.catalogs)
        self.cache_dir.setFilePath(settings.cache_dir)
        self.cache_max_mb.setValue(settings.cache_max_mb)
        self.timeout_s.setValue(settings.timeout_s)
        self.download_deadline_s.setValue(settings.download_deadline_s)
        self.max_expanded_mb.setValue(settings.max_expanded_mb)
        self.max_expansion_ratio.setValue(settings.max_expansion_ratio)
        self.offline.setChecked(settings.offline)
        self.debug.setChecked(settings.debug)
        self.publish_platform.setCurrentIndex(max(0, self.publish_platform.findData(settings.publish_platform)))
        self.publish_organisation.setText(settings.publish_organisation)
        self.publish_authcfg.setConfigId(settings.publish_authcfg)
        for name, note in self._env_labels.items():
            value = Settings.env_override(name)
            note.setVisible(value is not None)
            if value is not None:
                note.setText(tr("Remplacé par la variable d'environnement {var} = {value}")
                             .format(var=ENV_OVERRIDES[name], value=value))

    def to_settings(self) -> Settings:
        return Settings(
            mirror_url=self.mirror_url.text().strip(),
            contours_path=self.contours_path.filePath().strip(),
            contour_sources=self.contour_sources.text().replace(" ", ""),
            catalogs="\n".join(line.strip() for line in self.catalogs.toPlainText().splitlines() if line.strip()),
            cache_dir=self.cache_dir.filePath().strip(),
            cache_max_mb=self.cache_max_mb.value(),
            timeout_s=self.timeout_s.value(),
            download_deadline_s=self.download_deadline_s.value(),
            max_expanded_mb=self.max_expanded_mb.value(),
            max_expansion_ratio=self.max_expansion_ratio.value(),
            offline=self.offline.isChecked(),
            debug=self.debug.isChecked(),
            publish_platform=self.publish_platform.currentData() or "demo",
            publish_organisation=self.publish_organisation.text().strip(),
            publish_authcfg=self.publish_authcfg.configId(),
        )

    @guarded(tr("l'enregistrement des paramètres"))
    def apply(self) -> None:
        self.to_settings().save()


class SettingsPageFactory(QgsOptionsWidgetFactory):
    def __init__(self):
        super().__init__(__title__, QIcon(str(__icon_path__)))

    def icon(self) -> QIcon:
        return QIcon(str(__icon_path__))

    @guarded(tr("l'ouverture de la page des paramètres"))  # None: QGIS shows the other pages
    def createWidget(self, parent: QWidget | None = None) -> SettingsPage:  # noqa: N802
        return SettingsPage(parent)
