"""Algorithm « Produire un paquet territorial » (donnees_territoires:build_package)."""

from __future__ import annotations

from qgis.core import (
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
    QgsProject,
    QgsVectorLayer,
)

from .. import compat
from ..territory import TerritoryReferenceError, UnknownVintageError
from ..territory.contour_sources import ContourError
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .base import DECLARING, BaseAlgorithm

#: post-processors alive until Processing has used them: it calls them after the run, when the
#: algorithm copy that made them (QgsProcessingAlgorithm.run works on a copy) is gone
_PENDING: list = []


class IntoTerritoryGroup(QgsProcessingLayerPostProcessorInterface):
    """Puts a loaded layer in « <Territoire> (<code>) » › <thème>, in recipe order; zooms once at the end."""

    def __init__(self, group: str, theme: str, position: int, extent=None, extent_crs=None):
        super().__init__()
        self.group, self.theme, self.position = group, theme, position
        self.extent, self.extent_crs = extent, extent_crs

    @guarded(tr("le rangement d'une couche dans le groupe du territoire"))  # called by QGIS after the run
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        project = context.project() or QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(self.group) or root.insertGroup(0, self.group)
        theme = group.findGroup(self.theme) or group.addGroup(self.theme)
        node = root.findLayer(layer.id())
        if node is not None:
            theme.insertChildNode(min(self.position, len(theme.children())), node.clone())
            node.parent().removeChildNode(node)
        if self.extent is not None:
            _zoom(self.extent, self.extent_crs, project)
        if self in _PENDING:
            _PENDING.remove(self)


def _zoom(extent, crs, project) -> None:
    try:
        from qgis.utils import iface
    except ImportError:
        return
    if iface is None or not hasattr(iface, "mapCanvas"):
        return
    from qgis.core import QgsCoordinateTransform

    canvas = iface.mapCanvas()
    transform = QgsCoordinateTransform(crs, canvas.mapSettings().destinationCrs(), project)
    box = transform.transformBoundingBox(extent)
    box.scale(1.05)
    canvas.setExtent(box)
    canvas.refresh()


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
        self.addParameter(QgsProcessingParameterString(
            self.DATASETS, self.tr("Jeux de données (identifiants du catalogue séparés par des virgules)")))
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
        self.addParameter(QgsProcessingParameterBoolean(
            self.LOAD_RESULTS, self.tr("Charger le paquet dans le projet, stylé, dans un groupe du territoire"),
            defaultValue=True))
        self.addOutput(QgsProcessingOutputString(self.OUTPUT, self.tr("Paquet")))
        self.addOutput(QgsProcessingOutputMultipleLayers("LAYERS", self.tr("Couches du paquet")))
        self.addOutput(QgsProcessingOutputBoolean("UNCHANGED", self.tr("Paquet déjà à jour (rien réécrit)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ..package import PackageError
        from ..package.recipe import Recipe, run_recipe

        datasets = [d.strip() for d in self.parameterAsString(parameters, self.DATASETS, context).split(",")
                    if d.strip()]
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        connection = self.parameterAsConnectionName(parameters, self.POSTGIS_CONNECTION, context)
        if connection:
            output = {"kind": "postgis", "connection": connection,
                      "schema": self.parameterAsString(parameters, self.POSTGIS_SCHEMA, context).strip()}
        else:
            path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
            if not path:
                raise QgsProcessingException(self.tr("Indiquez un fichier GeoPackage ou une connexion PostGIS."))
            output = {"kind": "gpkg", "path": path}
        recipe = Recipe(territory=self.parameterAsString(parameters, self.TERRITORY, context),
                        mask=self._mask(parameters, context),
                        datasets=datasets, vintage=self.parameterAsInt(parameters, self.VINTAGE, context),
                        buffer_m=self.parameterAsDouble(parameters, self.BUFFER, context),
                        crs=crs.authid() if crs.isValid() else "", output=output)
        try:
            run = run_recipe(recipe, context, feedback)
        except (ContourError, TerritoryReferenceError, UnknownVintageError, PackageError) as error:
            raise QgsProcessingException(str(error)) from error
        for warning in run.warnings:
            feedback.pushWarning(warning)

        tables = self._tables(run)
        uris = [uri for uri, _title, _theme in tables]
        if self.parameterAsBool(parameters, self.LOAD_RESULTS, context):
            self._load(run, tables, context)
        destination = self._destination(run)
        if run.unchanged:
            feedback.pushInfo(self.tr("Paquet « {group} » déjà à jour : {destination}.").format(
                group=run.territory.group_name, destination=destination))
        else:
            feedback.pushInfo(self.tr("Paquet « {group} » écrit : {destination} ({count} couches).").format(
                group=run.territory.group_name, destination=destination, count=len(uris)))
        return {self.OUTPUT: destination, "LAYERS": uris, "UNCHANGED": run.unchanged}

    def _mask(self, parameters, context) -> dict | None:
        source = self.parameterAsSource(parameters, self.MASK, context)
        if source is None:
            return None
        geometries = [f.geometry() for f in source.getFeatures() if f.hasGeometry()]
        if not geometries:
            raise QgsProcessingException(self.tr("L'emprise personnalisée ne contient aucun polygone."))
        return {"wkt": QgsGeometry.unaryUnion(geometries).asWkt(), "crs": source.sourceCrs().authid()}

    @staticmethod
    def _destination(run) -> str:
        if run.report is not None:
            return run.report.destination
        output = run.recipe.output
        return output.get("path") or output.get("connection", "")

    @staticmethod
    def _tables(run) -> list[tuple[str, str, str]]:
        """(uri, title, theme) of each table of the package, written now or already up to date."""
        if run.report is not None:
            themes = [layer.theme for layer in run.layers]
            return [(table.uri, table.title, theme) for table, theme in zip(run.report.layers, themes)]
        output = run.recipe.output
        tables = []
        for layer in run.manifest.get("layers", []):
            if output.get("kind") == "postgis":
                from ..package import default_schema_name
                from ..package.postgis import layer_uri

                schema = output.get("schema") or default_schema_name(run.recipe.territory)
                uri = layer_uri(output["connection"], schema, layer["table_name"])
            else:
                uri = f"{output['path']}|layername={layer['table_name']}"
            tables.append((uri, layer.get("title") or layer["table_name"], layer.get("theme") or ""))
        return tables

    def _load(self, run, tables: list[tuple[str, str, str]], context: QgsProcessingContext) -> None:
        from ..catalog.model import theme_label

        extent, extent_crs = None, None
        provider = "postgres" if run.recipe.output.get("kind") == "postgis" else "ogr"
        for number, (uri, title, theme) in enumerate(tables):
            layer = QgsVectorLayer(uri, title, provider)  # comes up with the package's default style
            if not layer.isValid():
                raise QgsProcessingException(self.tr("Couche {uri} illisible après écriture.").format(uri=uri))
            if layer.isSpatial() and layer.featureCount():
                if extent is None:
                    extent, extent_crs = layer.extent(), layer.crs()
                else:
                    extent.combineExtentWith(layer.extent())
            if context.temporaryLayerStore().addMapLayer(layer) is None:
                raise QgsProcessingException(self.tr("Couche {uri} illisible après écriture.").format(uri=uri))
            details = QgsProcessingContext.LayerDetails(title, context.project(), self.OUTPUT)
            last = number == len(tables) - 1
            post = IntoTerritoryGroup(run.territory.group_name, theme_label(theme), number,
                                      extent if last else None, extent_crs if last else None)
            _PENDING.append(post)
            details.setPostProcessor(post)
            context.addLayerToLoadOnCompletion(layer.id(), details)
