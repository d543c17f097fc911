"""The Recipe (territory + datasets + output) and the Runner that turns it into a package."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
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
from .destination import Destination, GeoPackage, destination_from_dict

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
    #: where the package lives; stored as its dict ({"kind": "gpkg", "path": …}…, see destination.py)
    output: Destination = field(default_factory=GeoPackage)
    catalogs: list[str] = field(default_factory=list)  # user/organisation catalogs the datasets came from
    #: a batch's « one table per dataset » package: {"level": "commune", "layout": "tables", "column": …};
    #: `territory` is then the parent, and each table holds every territory's features with its code
    batch: dict | None = None
    format: int = RECIPE_FORMAT
    plugin_version: str = __version__

    def __post_init__(self):
        self.output = destination_from_dict(self.output, self.batch)

    def to_dict(self) -> dict:
        data = asdict(replace(self, output=None))
        data["output"] = self.output.to_dict()
        return data

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
    report: object | None  # package.model.PackageReport; None when the package was already up to date
    layers: list  # PackageLayer, in recipe order (empty when unchanged)
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    manifest: dict | None = None  # the package's manifest (the previous one when unchanged)


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


#: recipe fields that decide a package's content (the output place and the catalogs list do not)
CONTENT_FIELDS = ("territory", "datasets", "vintage", "buffer_m", "crs", "mask", "batch", "plugin_version")


def previous_manifest(recipe: Recipe) -> dict | None:
    """The manifest of the package already at the recipe's output, if any."""
    return recipe.output.for_territory(recipe.territory).previous_manifest()


def is_unchanged(recipe: Recipe, fetched: list, manifest: dict | None) -> bool:
    """True when the package already holds this recipe made from exactly these downloads (same sha256)."""
    if not manifest:
        return False
    previous = manifest.get("recipe") or {}
    if any(previous.get(name) != getattr(recipe, name) for name in CONTENT_FIELDS):
        return False
    by_dataset = {layer.get("dataset_id"): sorted((r.get("url", ""), r.get("sha256", "")) for r in layer.get("fetch")
                                                  or []) for layer in manifest.get("layers", [])}
    return all(by_dataset.get(item.dataset.id) == item.sources() for item in fetched)


def run_recipe(recipe: Recipe, context: QgsProcessingContext, feedback: QgsProcessingFeedback | None = None,
               *, settings=None, force: bool = False) -> RunResult:
    """Fetch every dataset of the recipe; unless the package there was made from the very same
    downloads (then it is left as it is, `unchanged`), cut them and write the package.

    Downloads are conditional (ETag / Last-Modified): a second run on unchanged sources costs a
    few 304 answers and no cutting or writing. Any dataset that fails stops the run before
    anything is written: the previous package stays as it was. Raises QgsProcessingException
    with a French message naming the dataset.
    """
    from ..catalog import configured_catalog
    from ..extract.dataset import cut_dataset, fetch_dataset
    from ..package import PackageLayer
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    if recipe.batch:
        return _run_batch_recipe(recipe, context, feedback, settings)
    recipe.output = recipe.output.for_territory(recipe.territory)  # a PostGIS schema left empty: its default
    settings = settings or current()
    catalog = configured_catalog(settings)
    missing = [dataset_id for dataset_id in recipe.datasets if dataset_id not in catalog]
    if missing:
        raise QgsProcessingException(tr("Jeux de données inconnus des catalogues chargés : {ids}.").format(
            ids=", ".join(missing)))
    if not recipe.datasets:
        raise QgsProcessingException(tr("Aucun jeu de données choisi : cochez au moins un jeu de données."))
    steps = QgsProcessingMultiStepFeedback(2 * len(recipe.datasets) + 1, feedback)
    crs = QgsCoordinateReferenceSystem(recipe.crs) if recipe.crs else None
    language = user_locale()

    from ..extract.dataset import territory_boundaries

    boundaries = territory_boundaries(recipe.territory, recipe.vintage, context, buffer_m=recipe.buffer_m,
                                      mask=recipe.mask)
    fetched = []
    for number, dataset_id in enumerate(recipe.datasets):
        steps.setCurrentStep(number)
        dataset = catalog[dataset_id]
        steps.pushInfo(tr("« {title} » ({id}) : téléchargement…").format(title=dataset.title_for(language),
                                                                          id=dataset_id))
        try:
            fetched.append(fetch_dataset(dataset, recipe.territory, recipe.vintage, context, steps, catalog=catalog,
                                         settings=settings, crs=crs, buffer_m=recipe.buffer_m, mask=recipe.mask,
                                         boundaries=boundaries))
        except QgsProcessingException as error:
            raise QgsProcessingException(tr("« {title} » ({id}) : {error}").format(
                title=dataset.title_for(language), id=dataset_id, error=error)) from error
        if steps.isCanceled():
            raise QgsProcessingException(tr("Production annulée : aucun paquet écrit."))
    recipe.catalogs = sorted({catalog[d].origin.location for d in recipe.datasets
                              if catalog[d].origin.kind != "builtin" and catalog[d].origin.location})
    territory = territory_info(recipe, fetched[0].target)
    warnings = [warning for item in fetched for warning in item.warnings]

    previous = None if force else previous_manifest(recipe)
    if is_unchanged(recipe, fetched, previous):
        steps.pushInfo(tr("Sources inchangées depuis la production du paquet : il est à jour et n'a pas été "
                          "réécrit."))
        return RunResult(recipe, territory, None, [], warnings, unchanged=True, manifest=previous)

    layers = []
    for number, item in enumerate(fetched):
        steps.setCurrentStep(len(recipe.datasets) + number)
        dataset = item.dataset
        steps.pushInfo(tr("« {title} » ({id}) : découpe…").format(title=dataset.title_for(language), id=dataset.id))
        result = cut_dataset(item, QgsProcessing.TEMPORARY_OUTPUT, context, steps)
        if steps.isCanceled():
            raise QgsProcessingException(tr("Production annulée : aucun paquet écrit."))
        layer = QgsProcessingUtils.mapLayerFromString(result.output, context)
        layers.append(PackageLayer.from_dataset(dataset, layer, fetch=result.fetches,
                                                style_qml=_style_text(dataset, settings), warnings=result.warnings,
                                                language=language))
    steps.setCurrentStep(2 * len(recipe.datasets))
    report = recipe.output.write(layers, recipe.to_dict(), territory.to_dict(), feedback=steps)
    return RunResult(recipe, territory, report, layers, warnings, manifest=report.manifest)


def _run_batch_recipe(recipe: Recipe, context: QgsProcessingContext, feedback: QgsProcessingFeedback,
                      settings=None) -> RunResult:
    """A batch's « one table per dataset » package made again: batch_packages over the same parent and level."""
    from .batch import FAILED, UNCHANGED, run_batch

    postgis = recipe.output.batch_postgis()
    if postgis is None:
        raise QgsProcessingException(tr("Recette de lot inconnue ({layout}) : relancez « Produire un paquet par "
                                        "territoire ».").format(layout=recipe.batch.get("layout")))
    from ..territory import TerritoryReferenceError, UnknownVintageError
    from ..territory.contour_sources import ContourError
    from . import PackageError

    try:
        result = run_batch(recipe.territory, recipe.batch.get("level", "commune"), recipe.datasets, None, context,
                           feedback, vintage=recipe.vintage, buffer_m=recipe.buffer_m, crs=recipe.crs,
                           settings=settings, postgis=postgis)
    except (PackageError, ContourError, TerritoryReferenceError, UnknownVintageError, ValueError) as error:
        raise QgsProcessingException(str(error)) from error
    feedback.pushInfo(tr("Rapport par territoire : {path}").format(path=result.report_html))
    failed = result.by_status(FAILED)
    if failed:  # the tables are then left as they were (all or nothing)
        raise QgsProcessingException(tr("{count} territoire(s) en échec, les tables n'ont pas été remplacées : "
                                        "{errors}").format(count=len(failed), errors=" ; ".join(
                                            f"{o.name} ({o.code}) : {o.error}"
                                            for o in [o for o in failed if not o.held][:3])))
    warnings = []
    manifest = previous_manifest(recipe) or {}
    crs = QgsCoordinateReferenceSystem((manifest.get("territory") or {}).get("crs") or recipe.crs or "")
    unchanged = len(result.by_status(UNCHANGED)) == len(result.outcomes)
    return RunResult(recipe, territory_info(recipe, crs), None, [], warnings, unchanged=unchanged, manifest=manifest)
