"""Algorithm « Publier un paquet sur data.gouv.fr » (donnees_territoires:publish_package)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)

from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class PublishPackage(BaseAlgorithm):
    ALGORITHM_ID = "publish_package"
    DISPLAY_NAME = "Publier un paquet sur data.gouv.fr"
    GROUP_ID = "publication"
    GROUP = "Publication"

    PACKAGE = "PACKAGE"
    ORGANISATION = "ORGANISATION"
    PLATFORM = "PLATFORM"
    AUTHCFG = "AUTHCFG"
    DRY_RUN = "DRY_RUN"
    CHOICES = {"PLATFORM": ("demo", "production")}

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        from ..toolbelt.settings import current

        settings = current()
        self._add(QgsProcessingParameterFile(self.PACKAGE, self.tr("Paquet GeoPackage à publier"), extension="gpkg"))
        self._add(QgsProcessingParameterString(
            self.ORGANISATION, self.tr("Organisation data.gouv.fr (identifiant ou nom court)"),
            defaultValue=settings.publish_organisation or None))
        self.add_choice_parameter(self.PLATFORM, self.tr("Plateforme"), [
            self.tr("Démonstration (demo.data.gouv.fr)"), self.tr("Production (www.data.gouv.fr)")],
            settings.publish_platform if settings.publish_platform in self.CHOICES[self.PLATFORM] else "demo")
        self._add(QgsProcessingParameterAuthConfig(
            self.AUTHCFG, self.tr("Clé d'API (configuration d'authentification QGIS)"),
            defaultValue=settings.publish_authcfg or None, optional=True))
        self._add(QgsProcessingParameterFolderDestination(
            self.DRY_RUN, self.tr("Essai à blanc : écrire les requêtes dans ce dossier sans rien envoyer"),
            optional=True, createByDefault=False))
        for name, label in (("DATASET_ID", self.tr("Identifiant du jeu publié")),
                            ("PAGE", self.tr("Page du jeu publié")), ("REQUESTS", self.tr("Requêtes de l'essai"))):
            self.addOutput(QgsProcessingOutputString(name, label))
        self.addOutput(QgsProcessingOutputBoolean("UNCHANGED", self.tr("Déjà publié tel quel")))
        self.addOutput(QgsProcessingOutputBoolean("CREATED", self.tr("Jeu créé")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..publish.api import PublishError
        from ..publish.publisher import publish
        from ..toolbelt.settings import current

        organisation = self.parameterAsString(parameters, self.ORGANISATION, context).strip()
        if not organisation:
            raise QgsProcessingException(self.tr("Indiquez l'organisation data.gouv.fr qui publie (son identifiant ou "
                                                 "son nom court)."))
        dry_run = self.parameterAsString(parameters, self.DRY_RUN, context) if parameters.get(self.DRY_RUN) else ""
        platform = self.choice(parameters, self.PLATFORM, context)
        try:
            result = publish(self.parameterAsFile(parameters, self.PACKAGE, context), organisation=organisation,
                             platform=platform, authcfg=self.parameterAsString(parameters, self.AUTHCFG, context),
                             settings=current(), feedback=feedback,
                             work_folder=Path(QgsProcessingUtils.tempFolder()) / "publication",
                             dry_run=Path(dry_run) if dry_run else None)
        except PublishError as error:
            raise QgsProcessingException(str(error)) from error
        if result.dry_run:
            feedback.pushInfo(self.tr("Essai à blanc : rien n'a été envoyé ; requêtes dans {path}.").format(
                path=result.dry_run))
        elif result.unchanged:
            feedback.pushInfo(self.tr("Le paquet n'a pas changé depuis sa dernière publication ({page}) : rien n'a été "
                                      "envoyé.").format(page=result.page or result.dataset_id))
        else:
            feedback.pushInfo(self.tr("Publié : {page} ({count} fichiers).").format(
                page=result.page or result.dataset_id, count=len(result.resources)))
        return {"DATASET_ID": result.dataset_id, "PAGE": result.page, "REQUESTS": result.dry_run,
                "UNCHANGED": result.unchanged, "CREATED": result.created}
