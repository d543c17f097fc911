"""Algorithm « Convertir des codes communes entre millésimes » (donnees_territoires:convert_cog_codes)."""

from __future__ import annotations

from collections import Counter

from qgis.core import (
    NULL,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingUtils,
)

from .. import compat
from ..territory import (
    CogHistory,
    ConversionStatus,
    UnknownVintageError,
    available_vintages,
    latest_vintage,
    normalize_commune_code,
)
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm

OUTPUT_FIELDS = (("code_cog", 5), ("nom_cog", 100), ("statut_cog", 10), ("candidats_cog", 254))


class ConvertCogCodes(BaseAlgorithm):
    ALGORITHM_ID = "convert_cog_codes"
    DISPLAY_NAME = "Convertir des codes communes entre millésimes"
    GROUP_ID = "territoires"
    GROUP = "Territoires"

    INPUT = "INPUT"
    FIELD = "FIELD"
    FROM_VINTAGE = "FROM_VINTAGE"
    TO_VINTAGE = "TO_VINTAGE"
    OUTPUT = "OUTPUT"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        vintages = available_vintages()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Couche ou table portant des codes communes"), [compat.SOURCE_VECTOR_ANY]))
        self.addParameter(QgsProcessingParameterField(
            self.FIELD, self.tr("Champ du code INSEE de la commune"), parentLayerParameterName=self.INPUT,
            type=compat.FIELD_ANY))
        self.addParameter(QgsProcessingParameterNumber(
            self.FROM_VINTAGE, self.tr("Millésime du COG des codes (vide : détecté)"), compat.NUMBER_INTEGER,
            optional=True, minValue=1943, maxValue=2100))
        self.addParameter(QgsProcessingParameterNumber(
            self.TO_VINTAGE, self.tr("Millésime du COG visé"), compat.NUMBER_INTEGER,
            defaultValue=vintages[-1], minValue=vintages[0], maxValue=vintages[-1]))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Codes convertis")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        field = self.parameterAsString(parameters, self.FIELD, context)
        field_index = source.fields().lookupField(field)
        if field_index < 0:
            raise QgsProcessingException(self.tr("Le champ « {field} » n'existe pas dans la couche : choisissez "
                                                 "le champ qui porte le code INSEE.").format(field=field))
        to_vintage = self.parameterAsInt(parameters, self.TO_VINTAGE, context) or latest_vintage()
        from_given = parameters.get(self.FROM_VINTAGE) not in (None, "")
        from_vintage = self.parameterAsInt(parameters, self.FROM_VINTAGE, context) if from_given else None

        try:
            history = CogHistory.load()
        except UnknownVintageError as error:
            raise QgsProcessingException(str(error)) from error

        # first pass, attributes only: the distinct codes (to detect the vintage, convert each once)
        request = QgsFeatureRequest().setFlags(compat.REQUEST_NO_GEOMETRY).setSubsetOfAttributes([field_index])
        codes = [_plain(feature[field_index]) for feature in source.getFeatures(request)]
        if feedback.isCanceled():
            return {}

        source_vintage = self._source_vintage(history, codes, from_vintage, feedback)
        conversions = history.convert_many(codes, target=to_vintage, source=source_vintage)

        added = QgsFields()
        for name, length in OUTPUT_FIELDS:
            added.append(compat.make_field(name, "string", length))
        fields = QgsProcessingUtils.combineFields(source.fields(), added)
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, source.wkbType(),
                                             source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))

        counts: Counter = Counter()
        total = source.featureCount() or 1
        for current, feature in enumerate(source.getFeatures()):
            if feedback.isCanceled():
                break
            conversion = conversions[normalize_commune_code(_plain(feature[field_index]))]
            counts[conversion.status] += 1
            single = conversion.target_code
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(list(feature.attributes()) + [
                single, conversion.target_name if single else None, conversion.status.value,
                ",".join(conversion.codes) if conversion.status is ConversionStatus.AMBIGU else None,
            ])
            if not sink.addFeature(out, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(self.writeFeatureError(sink, parameters, self.OUTPUT))
            feedback.setProgress(100.0 * current / total)

        self._report(conversions, counts, feedback)
        results = {self.OUTPUT: dest_id, self.FROM_VINTAGE: source_vintage or 0}
        results.update({status.name: counts[status] for status in ConversionStatus})
        return results

    def _source_vintage(self, history: CogHistory, codes, from_vintage, feedback):
        """The vintage to read the codes in; None for codes older than the shipped vintages."""
        first = history.vintages[0]
        if from_vintage is None:
            detection = history.detect_vintage(codes)
            feedback.pushInfo(detection.explanation)
            return detection.vintage
        if from_vintage < first:
            feedback.pushInfo(self.tr("Codes du COG {year} : convertis par l'historique des communes (anciens "
                                      "codes, communes déléguées) depuis le COG {first}.").format(
                                          year=from_vintage, first=first))
            return None
        if from_vintage not in history.vintages:
            raise QgsProcessingException(self.tr(
                "Le COG {year} n'est pas disponible : choisissez un millésime de {first} à {last}, ou laissez "
                "le champ vide pour le détecter.").format(year=from_vintage, first=first, last=history.latest))
        return from_vintage

    def _report(self, conversions, counts: Counter, feedback) -> None:
        labels = {ConversionStatus.INCHANGE: self.tr("inchangés"), ConversionStatus.FUSIONNE: self.tr("fusionnés"),
                  ConversionStatus.AMBIGU: self.tr("ambigus"), ConversionStatus.INCONNU: self.tr("inconnus")}
        feedback.pushInfo(self.tr("Entités par statut : {summary}.").format(
            summary=", ".join(f"{counts[status]} {labels[status]}" for status in ConversionStatus)))
        for conversion in conversions.values():
            if conversion.status in (ConversionStatus.AMBIGU, ConversionStatus.INCONNU):
                feedback.pushInfo(f"{conversion.code} : {conversion.message}")


def _plain(value):
    """A QGIS NULL (a null QVariant) becomes None, so that it counts as an empty code."""
    return None if value is None or value == NULL else value
