"""Algorithm « Produire un paquet territorial » (donnees_territoires:build_package)."""

from __future__ import annotations

from qgis.core import (
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
    QgsProject,
    QgsVectorLayer,
)

from .. import compat
from ..territory import TerritoryReferenceError, UnknownVintageError, available_vintages
from ..territory.contour_sources import ContourError
from .base import BaseAlgorithm

#: post-processors alive until Processing has used them: it calls them after the run, when the
#: algorithm copy that made them (QgsProcessingAlgorithm.run works on a copy) is gone
_PENDING: list = []


class IntoTerritoryGroup(QgsProcessingLayerPostProcessorInterface):
    """Puts a loaded layer in « <Territoire> (<code>) » › <thème>, in recipe order; zooms once at the end."""

    def __init__(self, group: str, theme: str, position: int, extent=None, extent_crs=None):
        super().__init__()
        self.group, self.theme, self.position = group, theme, position
        self.extent, self.extent_crs = extent, extent_crs

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

    TERRITORY = "TERRITORY"
    VINTAGE = "VINTAGE"
    DATASETS = "DATASETS"
    BUFFER = "BUFFER"
    CRS = "CRS"
    OUTPUT = "OUTPUT"
    POSTGIS_CONNECTION = "POSTGIS_CONNECTION"
    POSTGIS_SCHEMA = "POSTGIS_SCHEMA"
    LOAD_RESULTS = "LOAD_RESULTS"
    MASK = "MASK"

    def initAlgorithm(self, config=None):  # noqa: N802
        vintages = available_vintages()
        self.addParameter(QgsProcessingParameterString(
            self.TERRITORY, self.tr("Territoire(s), par exemple epci:243300316 ou commune:33063,commune:33281")))
        self.addParameter(QgsProcessingParameterNumber(
            self.VINTAGE, self.tr("Millésime du COG"), compat.NUMBER_INTEGER, defaultValue=vintages[-1],
            minValue=vintages[0], maxValue=vintages[-1]))
        self.addParameter(QgsProcessingParameterString(
            self.DATASETS, self.tr("Jeux de données (identifiants du catalogue séparés par des virgules)")))
        self.addParameter(QgsProcessingParameterNumber(
            self.BUFFER, self.tr("Zone tampon (mètres, dans la projection légale)"), compat.NUMBER_DOUBLE,
            defaultValue=0.0, minValue=0.0))
        mask = QgsProcessingParameterFeatureSource(
            self.MASK, self.tr("Emprise personnalisée (polygones) : découper sur elle plutôt que sur le territoire"),
            [compat.SOURCE_VECTOR_POLYGON], optional=True)
        mask.setFlags(mask.flags() | compat.PARAMETER_ADVANCED)
        self.addParameter(mask)
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("Système de coordonnées (vide : projection légale du territoire)"), optional=True))
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

        uris = [table.uri for table in run.report.layers]
        if self.parameterAsBool(parameters, self.LOAD_RESULTS, context):
            self._load(run, uris, context)
        destination = run.report.destination
        feedback.pushInfo(self.tr("Paquet « {group} » écrit : {destination} ({count} couches).").format(
            group=run.territory.group_name, destination=destination, count=len(uris)))
        return {self.OUTPUT: destination, "LAYERS": uris}

    def _mask(self, parameters, context) -> dict | None:
        source = self.parameterAsSource(parameters, self.MASK, context)
        if source is None:
            return None
        geometries = [f.geometry() for f in source.getFeatures() if f.hasGeometry()]
        if not geometries:
            raise QgsProcessingException(self.tr("L'emprise personnalisée ne contient aucun polygone."))
        return {"wkt": QgsGeometry.unaryUnion(geometries).asWkt(), "crs": source.sourceCrs().authid()}

    def _load(self, run, uris: list[str], context: QgsProcessingContext) -> None:
        from ..catalog.model import theme_label

        extent, extent_crs = None, None
        provider = "ogr" if run.report.kind == "gpkg" else "postgres"
        themes = [layer.theme for layer in run.layers]
        for number, (uri, table) in enumerate(zip(uris, run.report.layers)):
            layer = QgsVectorLayer(uri, table.title, provider)  # comes up with the package's default style
            if not layer.isValid():
                raise QgsProcessingException(self.tr("Couche {uri} illisible après écriture.").format(uri=uri))
            if layer.isSpatial() and layer.featureCount():
                if extent is None:
                    extent, extent_crs = layer.extent(), layer.crs()
                else:
                    extent.combineExtentWith(layer.extent())
            if context.temporaryLayerStore().addMapLayer(layer) is None:
                raise QgsProcessingException(self.tr("Couche {uri} illisible après écriture.").format(uri=uri))
            details = QgsProcessingContext.LayerDetails(table.title, context.project(), self.OUTPUT)
            last = number == len(uris) - 1
            post = IntoTerritoryGroup(run.territory.group_name, theme_label(themes[number]), number,
                                      extent if last else None, extent_crs if last else None)
            _PENDING.append(post)
            details.setPostProcessor(post)
            context.addLayerToLoadOnCompletion(layer.id(), details)
