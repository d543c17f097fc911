"""The Recipe (territory + datasets + output) and the Runner that turns it into a package."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingUtils,
)

from ..__about__ import __version__
from ..toolbelt.i18n import tr, user_locale

RECIPE_FORMAT = 1


@dataclass
class Recipe:
    """Everything needed to produce a package again: stored in the package's manifest."""

    territory: str  # reference strings, e.g. « epci:243300316 » or « commune:33063,commune:33281 »
    datasets: list[str]  # catalog ids
    vintage: int | None = None  # COG vintage; None: the latest shipped
    buffer_m: float = 0.0
    crs: str = ""  # authid; "": the legal CRS of the territory
    #: a custom shape to cut to instead of the territory's contour: {"wkt": …, "crs": authid}
    mask: dict | None = None
    #: {"kind": "gpkg", "path": …} or {"kind": "postgis", "connection": …, "schema": …}
    output: dict = field(default_factory=lambda: {"kind": "gpkg", "path": ""})
    catalogs: list[str] = field(default_factory=list)  # user/organisation catalogs the datasets came from
    format: int = RECIPE_FORMAT
    plugin_version: str = __version__

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Recipe:
        if int(data.get("format", RECIPE_FORMAT)) > RECIPE_FORMAT:
            raise ValueError(tr("Recette au format {format}, plus récent que cette extension (format {known}) : "
                                "mettez l'extension à jour.").format(format=data.get("format"), known=RECIPE_FORMAT))
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass
class TerritoryInfo:
    """The territory of a recipe as the package and the project show it."""

    reference: str
    name: str
    code: str
    vintage: int
    crs: str

    @property
    def group_name(self) -> str:
        """« Bordeaux Métropole (243300316) »: the layer-tree group of the loaded package."""
        return f"{self.name} ({self.code})"

    def to_dict(self) -> dict:
        return {"reference": self.reference, "name": self.name, "code": self.code, "vintage": self.vintage,
                "crs": self.crs}


@dataclass
class RunResult:
    recipe: Recipe
    territory: TerritoryInfo
    report: object | None  # package.model.PackageReport
    layers: list  # PackageLayer, in recipe order
    warnings: list[str] = field(default_factory=list)


def territory_info(recipe: Recipe, crs: QgsCoordinateReferenceSystem) -> TerritoryInfo:
    from ..territory import TerritoryIndex, parse_references

    index = TerritoryIndex.load(recipe.vintage)
    territories = [index.get(ref) for ref in parse_references(recipe.territory)]
    if len(territories) == 1:
        name, code = territories[0].name, territories[0].code or "france"
    else:
        name = " + ".join(t.name for t in territories[:3]) + (" …" if len(territories) > 3 else "")
        code = ",".join(t.code or "france" for t in territories)
    return TerritoryInfo(",".join(t.reference for t in territories), name, code, index.vintage, crs.authid())


def _style_text(dataset, settings) -> str | None:
    """The QML of a dataset's style: a local file, or an https URL fetched through the cache."""
    style = dataset.style
    if style is None:
        return None
    if style.path is not None:
        return Path(style.path).read_text(encoding="utf-8")
    from ..fetch import fetch

    return fetch(style.url, settings=settings, max_age_s=86400).read_bytes().decode("utf-8")


def run_recipe(recipe: Recipe, context: QgsProcessingContext, feedback: QgsProcessingFeedback | None = None,
               *, settings=None) -> RunResult:
    """Fetch and cut every dataset of the recipe, then write the package (GeoPackage or PostGIS).

    Any dataset that fails stops the run before anything is written: the previous package stays
    as it was. Raises QgsProcessingException with a French message naming the dataset.
    """
    from ..extract.dataset import configured_catalog, download_dataset
    from ..package import PackageLayer, write_geopackage
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    settings = settings or current()
    catalog = configured_catalog(settings)
    missing = [dataset_id for dataset_id in recipe.datasets if dataset_id not in catalog]
    if missing:
        raise QgsProcessingException(tr("Jeux de données inconnus des catalogues chargés : {ids}.").format(
            ids=", ".join(missing)))
    if not recipe.datasets:
        raise QgsProcessingException(tr("Aucun jeu de données choisi : cochez au moins un jeu de données."))
    steps = QgsProcessingMultiStepFeedback(len(recipe.datasets) + 1, feedback)
    crs = QgsCoordinateReferenceSystem(recipe.crs) if recipe.crs else None
    layers, warnings = [], []
    language = user_locale()
    result_crs = None
    for number, dataset_id in enumerate(recipe.datasets):
        steps.setCurrentStep(number)
        dataset = catalog[dataset_id]
        steps.pushInfo(tr("« {title} » ({id})…").format(title=dataset.title_for(language), id=dataset_id))
        try:
            result = download_dataset(dataset, recipe.territory, recipe.vintage, QgsProcessing.TEMPORARY_OUTPUT,
                                      context, steps, catalog=catalog, settings=settings, crs=crs,
                                      buffer_m=recipe.buffer_m, mask=recipe.mask)
        except QgsProcessingException as error:
            raise QgsProcessingException(tr("« {title} » ({id}) : {error}").format(
                title=dataset.title_for(language), id=dataset_id, error=error)) from error
        if steps.isCanceled():
            raise QgsProcessingException(tr("Production annulée : aucun paquet écrit."))
        result_crs = result_crs or result.crs
        layer = QgsProcessingUtils.mapLayerFromString(result.output, context)
        warnings.extend(result.warnings)
        layers.append(PackageLayer.from_dataset(dataset, layer, fetch=result.fetches,
                                                style_qml=_style_text(dataset, settings), warnings=result.warnings,
                                                language=language))
    recipe.catalogs = sorted({catalog[d].origin.location for d in recipe.datasets
                              if catalog[d].origin.kind != "builtin" and catalog[d].origin.location})
    territory = territory_info(recipe, result_crs or QgsCoordinateReferenceSystem("EPSG:4326"))
    steps.setCurrentStep(len(recipe.datasets))
    output = recipe.output
    if output.get("kind") == "postgis":
        from ..package import write_postgis

        report = write_postgis(output["connection"], layers, recipe.to_dict(), territory.to_dict(),
                               schema=output.get("schema") or None, feedback=steps)
    else:
        report = write_geopackage(output["path"], layers, recipe.to_dict(), territory.to_dict(), feedback=steps)
    return RunResult(recipe, territory, report, layers, warnings)
