"""The dataset model: one catalog entry, where it came from, and how to get and cut it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..toolbelt.i18n import tr

#: themes in display order; the style of a dataset lives in resources/styles/<theme>/<id>.qml
THEMES = ("contours", "cadastre", "adresses", "foncier", "urbanisme", "economie", "bdtopo", "statistique",
          "politiques_publiques", "environnement", "agriculture", "risques", "mobilite", "fonds_de_plan",
          "autre")

SOURCE_KINDS = ("commune_file", "departement_file", "region_file", "epci_file", "national_file", "wfs", "datagouv",
                "wmts", "wms", "gtfs", "json_api")
CUT_RULES = ("attribute", "intersects", "clip", "within", "none")
GEOMETRY_TYPES = ("point", "line", "polygon", "none")


def theme_label(theme: str) -> str:
    """French name of a theme, as shown in the dataset tree."""
    labels = {
        "contours": tr("Contours administratifs"),
        "cadastre": tr("Cadastre"),
        "adresses": tr("Adresses"),
        "foncier": tr("Foncier"),
        "economie": tr("Économie"),
        "bdtopo": tr("BD TOPO"),
        "statistique": tr("Statistique"),
        "politiques_publiques": tr("Politiques publiques"),
        "fonds_de_plan": tr("Fonds de plan"),
        "urbanisme": tr("Urbanisme"),
        "environnement": tr("Environnement"),
        "agriculture": tr("Agriculture"),
        "risques": tr("Risques"),
        "mobilite": tr("Mobilité"),
        "autre": tr("Autres données"),
    }
    return labels.get(theme, theme)


@dataclass(frozen=True)
class CatalogSource:
    """Where a catalog came from: shown in every message about it, and the base of relative styles."""

    #: « intégré », a file path or an https URL: what the user recognises
    label: str
    #: builtin, file, url, or text (JSON handed over without a location)
    kind: str
    #: the catalog file (kind file) or URL (kind url); "" otherwise
    location: str = ""

    @classmethod
    def builtin(cls, path: Path) -> CatalogSource:
        return cls(tr("intégré"), "builtin", str(path))

    @classmethod
    def from_location(cls, location: str | Path) -> CatalogSource:
        """A file path or an http(s) URL, as the user typed it."""
        text = str(location).strip()
        if text.lower().startswith(("https://", "http://")):
            return cls(text, "url", text)
        return cls(text, "file", text)

    @property
    def is_builtin(self) -> bool:
        return self.kind == "builtin"


@dataclass(frozen=True)
class LocalizedText:
    fr: str
    en: str

    def get(self, language: str = "fr") -> str:
        return self.en if language == "en" else self.fr


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


@dataclass(frozen=True)
class ResourceSelector:
    """Which resource of a data.gouv.fr dataset to take: its stable id, else the latest of a format and a
    title pattern (* and ?) — also the fallback when the producer replaced the resource of that id."""

    id: str = ""
    format: str = ""
    title_pattern: str = ""


@dataclass(frozen=True)
class Fallback:
    """A national file to read, filtered on the cut field, when every per-commune file of a year is missing
    at the producer's (a producer that stopped writing them: DVF since 2026): an address template ({year}),
    or the resource of a data.gouv.fr dataset whose title matches a pattern ({year} filled)."""

    url: str = ""
    dataset: str = ""
    title_pattern: str = ""


@dataclass(frozen=True)
class DocLink:
    """A page documenting a dataset: the producer's page, its schema, the code that writes it."""

    title: str
    url: str


@dataclass(frozen=True)
class Source:
    kind: str
    url: str = ""
    typename: str = ""
    layer: str = ""
    millesime: str = ""
    years: tuple[int, ...] = ()
    #: « arrondissement » when Paris, Lyon and Marseille are published by arrondissement municipal
    commune_codes: str = "commune"
    dataset: str = ""
    resource: Optional[ResourceSelector] = None
    wmts_style: str = "normal"
    #: a redirect from https to plain http may be followed (refused by default: the data could be altered)
    allow_http: bool = False
    #: départements the producer publishes as one file per arrondissement municipal ({code_dep} then takes
    #: 75101…75120): Sirene's Paris
    split_departements: tuple[str, ...] = ()
    #: WFS: values of `partition_field` to ask for, as templates (« DU_{code_insee} », « DU_{siren_epci} »)
    partitions: tuple[str, ...] = ()
    partition_field: str = "partition"
    fallback: Optional[Fallback] = None
    #: json_api: the member of each page holding the records, and the one giving the next page's address
    items_key: str = "data"
    next_key: str = "next"


@dataclass(frozen=True)
class FormatOptions:
    type: str
    gzip: bool = False
    encoding: str = "utf-8"
    separator: str = ""
    lon_field: str = ""
    lat_field: str = ""
    #: layer inside the file (GeoJSON name, GeoPackage table); "" for the only/first one
    layer_name: str = ""
    #: the download is a ZIP archive: pattern (* and ?) of the member to read
    archive_member: str = ""
    #: WFS paging order: a stable, unique field
    sort_key: str = ""
    geometry_type: str = ""
    #: CRS of the data as delivered
    crs: str = "EPSG:4326"
    image_format: str = ""


@dataclass(frozen=True)
class CutRule:
    rule: str
    #: attribute holding the code (rule « attribute »)
    field: str = ""
    #: which codes of the territory the attribute holds
    codes: str = "commune"


@dataclass(frozen=True)
class StyleRef:
    """A QML style: a local file (built-in or next to a user catalog) or an https URL."""

    path: Optional[Path] = None
    url: str = ""

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else self.url


@dataclass(frozen=True)
class Dataset:
    """One entry of the catalog, validated; `origin` says which catalog it came from."""

    id: str
    title: LocalizedText
    description: LocalizedText
    theme: str
    producer: str
    licence: Licence
    homepage: str
    update_frequency: str
    source: Source
    format: FormatOptions
    cut: CutRule
    origin: CatalogSource
    style: Optional[StyleRef] = None
    target_crs: str = "legal"
    key_fields: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    verified: bool = True
    notes: str = ""
    #: the producer's pages, schema, code that writes the data
    documentation: tuple[DocLink, ...] = ()
    #: how the entry was checked against them
    evidence: str = ""
    #: the catalog whose entry of the same id this one replaces (None: nothing replaced)
    overrides: Optional[CatalogSource] = None
    #: the entry as written in the catalog (for a recipe or a manifest)
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def geometry_type(self) -> str:
        return self.format.geometry_type

    @property
    def is_view_only(self) -> bool:
        """A service shown in the project, never downloaded nor cut (WMTS and WMS base maps)."""
        return self.source.kind in ("wmts", "wms")

    def title_for(self, language: str = "fr") -> str:
        return self.title.get(language)

    def description_for(self, language: str = "fr") -> str:
        return self.description.get(language)


def dataset_from_dict(entry: dict[str, Any], origin: CatalogSource, style: Optional[StyleRef]) -> Dataset:
    """Build a Dataset from an entry the schema has accepted (no further checks here)."""
    source = entry["source"]
    resource = source.get("resource")
    fmt = entry["format"]
    cut = entry["cut"]
    key = entry.get("key_field", ())
    return Dataset(
        id=entry["id"],
        title=LocalizedText(**entry["title"]),
        description=LocalizedText(**entry["description"]),
        theme=entry["theme"],
        producer=entry["producer"],
        licence=Licence(**entry["licence"]),
        homepage=entry["homepage"],
        update_frequency=entry["update_frequency"],
        source=Source(
            kind=source["kind"], url=source.get("url", ""), typename=source.get("typename", ""),
            layer=source.get("layer", ""), millesime=source.get("millesime", ""),
            years=tuple(int(year) for year in source.get("years", ())),
            commune_codes=source.get("commune_codes", "commune"), dataset=source.get("dataset", ""),
            resource=ResourceSelector(**resource) if resource else None,
            wmts_style=source.get("wmts_style", "normal"), allow_http=bool(source.get("allow_http", False)),
            split_departements=tuple(source.get("split_departements", ())),
            partitions=tuple(source.get("partitions", ())),
            partition_field=source.get("partition_field", "partition"),
            fallback=Fallback(**source["fallback"]) if source.get("fallback") else None,
            items_key=source.get("items_key", "data"), next_key=source.get("next_key", "next")),
        format=FormatOptions(**fmt),
        cut=CutRule(**cut),
        origin=origin,
        style=style,
        target_crs=entry.get("target_crs", "legal"),
        key_fields=(key,) if isinstance(key, str) else tuple(key),
        keywords=tuple(entry.get("keywords", ())),
        verified=entry.get("verified", True),
        notes=entry.get("notes", ""),
        documentation=tuple(DocLink(**link) for link in entry.get("documentation", ())),
        evidence=entry.get("evidence", ""),
        raw=entry,
    )
