"""The Recipe (territory + datasets + output) stored in every package, and whether a package already holds it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from qgis.core import QgsCoordinateReferenceSystem

from ..__about__ import __version__
from ..extract.acquisition import fetch_sources
from ..territory.selection import Selection
from ..toolbelt.i18n import tr
from .destination import Destination, GeoPackage, destination_from_dict

RECIPE_FORMAT = 1
#: the loss of features beyond which a dataset's new share is not trusted (percent of the previous package's)
DEFAULT_MAX_LOSS = 20
#: a loss of fewer features than this is never held against a source (2 France services of 3 may close)
MIN_LOST = 5


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
    #: all or nothing: a dataset that fails fails the package (by default the others are written, and the
    #: failed one keeps its previous table, if any, or is recorded missing in the manifest)
    strict: bool = False
    #: a dataset whose share lost more than this percentage of the features of the package there (and at least
    #: MIN_LOST of them) is held as failed: its previous table is kept (100: no check)
    max_loss_pct: int = DEFAULT_MAX_LOSS
    format: int = RECIPE_FORMAT
    plugin_version: str = __version__

    def __post_init__(self):
        self.output = destination_from_dict(self.output, self.batch)
        self._selection: tuple | None = None  # (what it was read from, Selection): not a stored field

    @classmethod
    def of(cls, selection: Selection, datasets: list[str], **options) -> Recipe:
        """The recipe of territories already read (the edge made the Selection): they are not read again."""
        recipe = cls(territory=selection.reference, datasets=list(datasets), vintage=selection.vintage,
                     buffer_m=selection.buffer_m, mask=selection.mask, **options)
        recipe._selection = (recipe._stored_territory(), selection)
        return recipe

    def _stored_territory(self) -> tuple:
        return (self.territory, self.vintage, self.buffer_m, json.dumps(self.mask, sort_keys=True))

    @property
    def selection(self) -> Selection:
        """The recipe's territories, read once from what it stores (TerritoryReferenceError, UnknownVintageError)."""
        stored = self._stored_territory()
        if self._selection is None or self._selection[0] != stored:
            self._selection = (stored, Selection.parse(self.territory, self.vintage, buffer_m=self.buffer_m,
                                                       mask=self.mask))
        return self._selection[1]

    def to_dict(self) -> dict:
        data = asdict(replace(self, output=None))
        data["output"] = self.output.to_dict()
        if not self.strict:  # the default: a recipe stored before `strict` existed reads and writes back the same
            del data["strict"]
        if self.max_loss_pct == DEFAULT_MAX_LOSS:  # likewise
            del data["max_loss_pct"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Recipe:
        if not isinstance(data, dict):
            raise ValueError(tr("la recette n'est pas un objet JSON"))
        if int(data.get("format", RECIPE_FORMAT)) > RECIPE_FORMAT:
            raise ValueError(tr("Recette au format {format}, plus récent que cette extension (format {known}) : "
                                "mettez l'extension à jour.").format(format=data.get("format"), known=RECIPE_FORMAT))
        known = {f for f in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        for name, kinds in _STORED_TYPES.items():
            if name in values and not isinstance(values[name], kinds) or (name in _REQUIRED and name not in values):
                raise ValueError(tr("champ « {name} » absent ou d'un type inattendu ({value!r})").format(
                    name=name, value=values.get(name)))
        if not all(isinstance(dataset_id, str) for dataset_id in values["datasets"]):
            raise ValueError(tr("champ « datasets » : des identifiants de jeux de données sont attendus"))
        return cls(**values)


#: what a stored recipe's fields must be (a manifest edited by hand, or damaged, is refused in French)
_STORED_TYPES = {"territory": str, "datasets": list, "vintage": (int, type(None)), "buffer_m": (int, float),
                 "crs": str, "mask": (dict, type(None)), "output": (dict, Destination), "catalogs": list,
                 "batch": (dict, type(None)), "strict": bool, "max_loss_pct": int, "format": int,
                 "plugin_version": str}
_REQUIRED = ("territory", "datasets")


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
    #: dataset id → why it failed (a French sentence): datasets left out, or kept as they were
    missing: dict = field(default_factory=dict)


def territory_info(recipe: Recipe, crs: QgsCoordinateReferenceSystem) -> TerritoryInfo:
    """The recipe's territory as its package and the project show it, in `crs`."""
    selection = recipe.selection
    return TerritoryInfo(selection.reference, selection.name, selection.code, selection.vintage, crs.authid())


def job_territory_info(territory: dict, crs: QgsCoordinateReferenceSystem) -> TerritoryInfo:
    """The same, from what a package job says of its territory (job.job_spec): nothing read again."""
    return TerritoryInfo(territory["reference"], territory["name"], territory["code"], territory["vintage"],
                         crs.authid())


#: recipe fields that decide a package's content (the output place and the catalogs list do not)
CONTENT_FIELDS = ("territory", "datasets", "vintage", "buffer_m", "crs", "mask", "batch", "plugin_version")


def previous_manifest(recipe: Recipe) -> dict | None:
    """The manifest of the package already at the recipe's output, if any."""
    return recipe.output.for_territory(recipe.territory).previous_manifest()


def is_unchanged(recipe: Recipe, sources: dict, manifest: dict | None) -> bool:
    """True when the package already holds this recipe made from exactly these downloads (same sha256).

    `sources`: dataset id → the sorted (url, sha256) of its downloads this time (a FetchedDataset's
    sources()); a dataset that failed is not in it, and keeps its table. One that had failed when the
    package was written makes it out of date, even if its previous table came from the same downloads."""
    if not manifest:
        return False
    previous = manifest.get("recipe") or {}
    if any(previous.get(name) != getattr(recipe, name) for name in CONTENT_FIELDS):
        return False
    missing = manifest.get("missing") or {}
    if any(dataset_id in missing for dataset_id in sources):  # it failed last time, not now: written again
        return False
    by_dataset = {row.get("dataset_id"): fetch_sources(row.get("fetch")) for row in manifest.get("layers", [])}
    return all(by_dataset.get(dataset_id) == found for dataset_id, found in sources.items())

