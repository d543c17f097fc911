"""Algorithm « Publier un paquet sur data.gouv.fr » (donnees_territoires:publish_package)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)

from .. import compat
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class PublishPackage(BaseAlgorithm):
    ALGORITHM_ID = "publish_package"
    DISPLAY_NAME = "Publier un paquet sur data.gouv.fr"
    GROUP_ID = "publication"
    GROUP = "Publication"

    FOLDER = "FOLDER"
    ORGANISATION = "ORGANISATION"
    PLATFORM = "PLATFORM"
    AUTHCFG = "AUTHCFG"
    DRY_RUN = "DRY_RUN"
    CHOICES = {"PLATFORM": ("demo", "production")}

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        from ..toolbelt.settings import current

        settings = current()
        self.add_package_parameters(self.tr("Paquet GeoPackage à publier"))
        self._add(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Ou dossier d'un lot (un jeu de données par territoire)"),
            compat.FILE_BEHAVIOR_FOLDER, optional=True))
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
        self.addOutput(QgsProcessingOutputNumber("PUBLISHED", self.tr("Paquets publiés (ou déjà publiés tels quels)")))
        self.addOutput(QgsProcessingOutputString("CATALOG", self.tr("Adresse du catalogue de l'organisation")))
        self.addOutput(QgsProcessingOutputString("FAILURES", self.tr("Une ligne par paquet en échec : ce qui a "
                                                                     "échoué")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..package.model import PackageError
        from ..publish.api import PublishError
        from ..toolbelt.settings import current

        organisation = self.parameterAsString(parameters, self.ORGANISATION, context).strip()
        if not organisation:
            raise QgsProcessingException(self.tr("Indiquez l'organisation data.gouv.fr qui publie (son identifiant ou "
                                                 "son nom court)."))
        dry_run = self.parameterAsString(parameters, self.DRY_RUN, context) if parameters.get(self.DRY_RUN) else ""
        options = {"organisation": organisation, "platform": self.choice(parameters, self.PLATFORM, context),
                   "authcfg": self.parameterAsString(parameters, self.AUTHCFG, context), "settings": current(),
                   "feedback": feedback, "work_folder": Path(QgsProcessingUtils.tempFolder()) / "publication",
                   "dry_run": Path(dry_run) if dry_run else None}
        try:
            folder = self.parameterAsFile(parameters, self.FOLDER, context) if parameters.get(self.FOLDER) else ""
            if folder:
                return self._publish_folder(folder, options, feedback)
            return self._publish_one(self.package_destination(
                parameters, context, without_schema=self.tr("Indiquez le schéma PostGIS du paquet à publier."),
                without_package=self.tr("Indiquez le paquet à publier : un GeoPackage, le dossier d'un lot, ou une "
                                        "connexion PostGIS et son schéma.")), options, feedback)
        except (PublishError, PackageError) as error:
            raise QgsProcessingException(str(error)) from error

    def _publish_one(self, destination, options: dict, feedback) -> dict:
        from ..publish.publisher import publish

        result = publish(destination, **options)
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
                "UNCHANGED": result.unchanged, "CREATED": result.created, "PUBLISHED": 1, "CATALOG": result.catalog,
                "FAILURES": ""}

    def _publish_folder(self, folder: str, options: dict, feedback) -> dict:
        from ..publish.publisher import publish_folder

        result = publish_folder(folder, **options)
        for name, why in result.skipped:
            feedback.pushWarning(self.tr("{name} laissé de côté : {why}.").format(name=name, why=why))
        for _name, message in result.failures:
            feedback.reportError(message)
        if result.failures and not result.published:
            raise QgsProcessingException(self.tr("Aucun paquet du dossier n'a été publié : {message}").format(
                message=result.failures[0][1]))
        created = sum(1 for _name, one in result.published if one.created)
        unchanged = sum(1 for _name, one in result.published if one.unchanged)
        summary = self.tr("{count} paquet(s) publié(s) : {created} nouveau(x), {updated} mis à jour, {unchanged} "
                          "inchangé(s) ; {failed} en échec.").format(
            count=len(result.published), created=created, updated=len(result.published) - created - unchanged,
            unchanged=unchanged, failed=len(result.failures))
        feedback.pushInfo(summary if not result.dry_run else self.tr(
            "Essai à blanc : rien n'a été envoyé ; requêtes dans {path}.").format(path=result.dry_run))
        if result.canceled:
            feedback.pushWarning(self.tr("Annulé après {count} paquet(s) : les suivants n'ont pas été publiés.").format(
                count=len(result.published) + len(result.failures)))
        pages = [one.page or one.dataset_id for _name, one in result.published]
        return {"DATASET_ID": ",".join(one.dataset_id for _name, one in result.published), "PAGE": "\n".join(pages),
                "REQUESTS": result.dry_run, "UNCHANGED": bool(result.published) and unchanged == len(result.published),
                "CREATED": created > 0, "PUBLISHED": len(result.published), "CATALOG": result.catalog,
                "FAILURES": "\n".join(f"{name} : {message}" for name, message in result.failures)}
