"""Algorithm « Télécharger un référentiel pour un territoire » (donnees_territoires:download_dataset)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)

from ..extract.dataset import download_dataset
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class DownloadDataset(BaseAlgorithm):
    ALGORITHM_ID = "download_dataset"
    DISPLAY_NAME = "Télécharger un référentiel pour un territoire"
    GROUP_ID = "extraction"
    GROUP = "Extraction"

    DATASET = "DATASET"
    OUTPUT = "OUTPUT"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterString(
            self.DATASET, self.tr("Jeu de données (identifiant du catalogue, par exemple ban-adresses)")))
        self.add_territory_parameter()
        self.add_vintage_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Référentiel découpé")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..catalog import configured_catalog  # not at QGIS start-up

        dataset_id = self.parameterAsString(parameters, self.DATASET, context).strip()
        catalog = configured_catalog()
        for refusal in catalog.refusals:
            feedback.pushWarning(refusal.message)
        if dataset_id not in catalog:
            close = [d.id for d in catalog.search(dataset_id.replace("-", " "))][:5]
            raise QgsProcessingException(self.tr(
                "Jeu de données « {id} » inconnu. Identifiants proches : {close}. La liste complète est dans le "
                "panneau ou dans resources/catalog/catalog.json.").format(id=dataset_id,
                                                                          close=", ".join(close) or "—"))
        result = download_dataset(dataset_id, self.selection(parameters, context), parameters[self.OUTPUT],
                                  context, feedback, catalog=catalog)
        for warning in result.warnings:
            feedback.pushInfo(warning)
        feedback.pushInfo(self.tr("« {dataset} » : {count} entité(s), {files} fichier(s) téléchargé(s) ou lus en "
                                  "cache, en {crs}.").format(dataset=dataset_id, count=result.feature_count,
                                                            files=len(result.fetches), crs=result.crs.authid()))
        return {self.OUTPUT: result.output}
