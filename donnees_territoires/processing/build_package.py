"""Algorithm « Produire un paquet territorial » (donnees_territoires:build_package)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)

from .. import compat
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm


class BuildPackage(BaseAlgorithm):
    ALGORITHM_ID = "build_package"
    DISPLAY_NAME = "Produire un paquet territorial"
    GROUP_ID = "paquets"
    GROUP = "Paquets territoriaux"

    DATASETS = "DATASETS"
    OUTPUT = "OUTPUT"
    POSTGIS_CONNECTION = "POSTGIS_CONNECTION"
    POSTGIS_SCHEMA = "POSTGIS_SCHEMA"
    LOAD_RESULTS = "LOAD_RESULTS"
    MASK = "MASK"

    @guarded(DECLARING)
    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_territory_parameter()
        self.add_vintage_parameter()
        self.add_datasets_parameter()
        self.add_buffer_parameter()
        mask = QgsProcessingParameterFeatureSource(
            self.MASK, self.tr("Emprise personnalisée (polygones) : découper sur elle plutôt que sur le territoire"),
            [compat.SOURCE_VECTOR_POLYGON], optional=True)
        mask.setFlags(mask.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(mask)
        self.add_crs_parameter()
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Paquet GeoPackage"), self.tr("GeoPackage (*.gpkg)"), optional=True,
            createByDefault=True))
        connection = QgsProcessingParameterProviderConnection(
            self.POSTGIS_CONNECTION, self.tr("Ou connexion PostGIS (au lieu du GeoPackage)"), "postgres",
            optional=True)
        connection.setFlags(connection.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(connection)
        schema = QgsProcessingParameterString(
            self.POSTGIS_SCHEMA, self.tr("Schéma PostGIS (vide : un schéma nommé d'après le territoire)"),
            optional=True)
        schema.setFlags(schema.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(schema)
        self.add_strict_parameter()
        self.add_max_loss_parameter()
        self.addParameter(QgsProcessingParameterBoolean(
            self.LOAD_RESULTS, self.tr("Charger le paquet dans le projet, stylé, dans un groupe du territoire"),
            defaultValue=True))
        self.addOutput(QgsProcessingOutputString(self.OUTPUT, self.tr("Paquet")))
        self.addOutput(QgsProcessingOutputMultipleLayers("LAYERS", self.tr("Couches du paquet")))
        self.addOutput(QgsProcessingOutputBoolean("UNCHANGED", self.tr("Paquet déjà à jour (rien réécrit)")))
        self.addOutput(QgsProcessingOutputString(
            "DESTINATION", self.tr("Emplacement du paquet, comme sa recette le garde (JSON)")))
        self.add_failure_outputs()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..load import load_on_completion, package_tables
        from ..package import GeoPackage, destination_from_parameters
        from ..package.recipe import Recipe
        from ..package.runner import run_recipe

        datasets = self.dataset_ids(parameters, context)
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        connection = self.parameterAsConnectionName(parameters, self.POSTGIS_CONNECTION, context)
        destination = destination_from_parameters(
            connection=connection, schema=self.parameterAsString(parameters, self.POSTGIS_SCHEMA, context),
            path="" if connection else self.parameterAsFileOutput(parameters, self.OUTPUT, context),
            temporary=self._temporary(parameters))
        if destination is None:
            raise QgsProcessingException(self.tr("Indiquez un fichier GeoPackage ou une connexion PostGIS."))
        # a user's own file, a folder…: said before anything is downloaded (a PostGIS schema is checked as it is
        # written: its default name comes from the territory)
        problem = destination.problem() if isinstance(destination, GeoPackage) else None
        if problem:
            raise QgsProcessingException(problem)
        # the plugin's own errors (contours, territories, the package) reach the user as their sentence
        # (base._said_in_french)
        recipe = Recipe.of(self.selection(parameters, context, mask=self._mask(parameters, context)), datasets,
                           crs=crs.authid() if crs.isValid() else "", output=destination,
                           strict=self.parameterAsBool(parameters, self.STRICT, context))
        max_loss = self.max_loss(parameters, context)
        if max_loss is not None:
            recipe.max_loss_pct = max_loss
        run = run_recipe(recipe, context, feedback)
        for warning in run.warnings:
            feedback.pushWarning(warning)
        self.report_failures(run.missing, feedback)

        tables = package_tables(run)
        if self.parameterAsBool(parameters, self.LOAD_RESULTS, context):
            load_on_completion(run, tables, context, self.OUTPUT)
        where = run.report.destination if run.report is not None else run.recipe.output.label
        if run.unchanged:
            feedback.pushInfo(self.tr("Paquet « {group} » déjà à jour : {destination}.").format(
                group=run.territory.group_name, destination=where))
        else:
            feedback.pushInfo(self.tr("Paquet « {group} » écrit : {destination} ({count} couches).").format(
                group=run.territory.group_name, destination=where, count=len(tables)))
        return {self.OUTPUT: where, "LAYERS": [table.address for table in tables], "UNCHANGED": run.unchanged,
                "DESTINATION": json.dumps(run.recipe.output.to_dict(), ensure_ascii=False),
                **self.failure_results(run.missing)}

    def _check_parameter_values(self, parameters, context) -> tuple[bool, str]:
        """The base checks, then the GeoPackage: never a file that is not a package of ours (said in the dialog)."""
        from ..package import GeoPackage

        ok, message = super()._check_parameter_values(parameters, context)
        if ok and not self._temporary(parameters) and not parameters.get(self.POSTGIS_CONNECTION):
            path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
            problem = GeoPackage(path).problem() if path else None
            if problem:
                return False, problem
        return ok, message

    def _temporary(self, parameters) -> bool:
        """The GeoPackage is Processing's temporary file: « couches temporaires »."""
        value = parameters.get(self.OUTPUT)
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            value = value.sink.staticValue()
        return value in (None, "", QgsProcessing.TEMPORARY_OUTPUT)

    def _mask(self, parameters, context) -> dict | None:
        source = self.parameterAsSource(parameters, self.MASK, context)
        if source is None:
            return None
        geometries = [f.geometry() for f in source.getFeatures() if f.hasGeometry()]
        if not geometries:
            raise QgsProcessingException(self.tr("L'emprise personnalisée ne contient aucun polygone."))
        return {"wkt": QgsGeometry.unaryUnion(geometries).asWkt(), "crs": source.sourceCrs().authid()}
