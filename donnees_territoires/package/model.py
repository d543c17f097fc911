"""What a package is made of: the layers handed to a writer, what the writer reports, and its errors."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional

from qgis.core import QgsVectorLayer

from ..toolbelt.i18n import tr

#: the manifest's two tables (see manifest.py); no dataset table may take these names
MANIFEST_TABLE = "manifest"
LAYERS_TABLE = "manifest_layers"
#: names QGIS, GDAL or SQLite keep for themselves in a GeoPackage or a PostGIS schema
RESERVED_TABLES = {MANIFEST_TABLE, LAYERS_TABLE, "layer_styles", "qgis_layer_metadata", "qgis_projects",
                   "spatial_ref_sys", "geometry_columns"}
RESERVED_PREFIXES = ("gpkg_", "rtree_", "sqlite_", "pg_")
MAX_NAME = 63  # PostgreSQL identifiers; kept for GeoPackage too so both packages have the same tables


class PackageError(Exception):
    """A package could not be written or read; the message is French, names the path or schema, and says what to do."""


class PackageCanceled(PackageError):
    """The user cancelled: nothing was replaced."""


@dataclass
class PackageLayer:
    """One dataset cut to the territory and reprojected, ready to become one table of the package."""

    #: table name; made safe by table_name() (lower case ASCII, digits, underscores)
    name: str
    layer: QgsVectorLayer
    dataset_id: str
    title: str
    abstract: str = ""
    theme: str = ""
    #: {"name": …, "url": …}, a catalog Licence, or a plain name
    licence: Any = None
    producer: str = ""
    source_urls: list[str] = field(default_factory=list)
    #: FetchResult.to_manifest() of every download the layer was made from
    fetch: list[dict] = field(default_factory=list)
    #: the dataset's QML style (only symbology, labels, rendering and field aliases are kept)
    style_qml: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    #: the dataset's identifying fields: the checksum orders features by them
    key_fields: tuple[str, ...] = ()
    homepage: str = ""
    keywords: tuple[str, ...] = ()

    @classmethod
    def from_dataset(cls, dataset, layer: QgsVectorLayer, *, fetch: list[dict] | None = None,
                     style_qml: Optional[str] = None, warnings: list[str] | None = None,
                     name: str = "", language: str = "fr") -> PackageLayer:
        """A package layer described by its catalog entry (catalog.model.Dataset)."""
        # the URLs really fetched: a catalog URL may still hold {placeholders}
        urls = list(dict.fromkeys(record["url"] for record in fetch or [] if record.get("url")))
        return cls(name=name or dataset.id, layer=layer, dataset_id=dataset.id,
                   title=dataset.title_for(language), abstract=dataset.description_for(language),
                   theme=dataset.theme, licence=dataset.licence, producer=dataset.producer,
                   source_urls=urls, fetch=list(fetch or []), style_qml=style_qml,
                   warnings=list(warnings or []), key_fields=tuple(dataset.key_fields),
                   homepage=dataset.homepage, keywords=tuple(dataset.keywords))

    @property
    def table(self) -> str:
        return table_name(self.name or self.dataset_id)

    @property
    def licence_name(self) -> str:
        return _licence_part(self.licence, "name")

    @property
    def licence_url(self) -> str:
        return _licence_part(self.licence, "url")


def _licence_part(licence: Any, part: str) -> str:
    if licence is None:
        return ""
    if isinstance(licence, str):
        return licence if part == "name" else ""
    if isinstance(licence, dict):
        return str(licence.get(part, "") or "")
    return str(getattr(licence, part, "") or "")


@dataclass
class LayerReport:
    """One written table, as read back from the package."""

    table: str
    dataset_id: str
    title: str
    feature_count: int
    checksum: str
    geometry_type: str
    crs: str
    #: (xmin, ymin, xmax, ymax) in the layer's CRS; None for a table without geometry or without features
    extent: Optional[tuple[float, float, float, float]]
    styled: bool
    warnings: list[str] = field(default_factory=list)
    #: the QGIS data source of the written table (provider « ogr » or « postgres »): it opens styled
    uri: str = ""


@dataclass
class PackageReport:
    """What a writer did: where, which tables, and the manifest it stored."""

    #: « gpkg » or « postgis »
    kind: str
    #: the GeoPackage path, or « connection / schema »
    destination: str
    layers: list[LayerReport]
    manifest: dict
    warnings: list[str] = field(default_factory=list)
    #: the PostGIS schema (empty for a GeoPackage)
    schema: str = ""


def hide_password(text: str) -> str:
    """`text` with the value of any « password=… » of a connection string replaced by ***."""
    return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'\",]+)", r"\1***", text)


def table_name(text: str) -> str:
    """A table name GeoPackage and PostgreSQL take without quoting: « cadastre-parcelles » -> cadastre_parcelles."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9_]+", "_", ascii_text.lower()).strip("_")
    name = re.sub(r"_+", "_", name)
    if not name or name[0].isdigit():
        name = f"t_{name}"
    return name[:MAX_NAME].rstrip("_")


def check_tables(layers: list[PackageLayer]) -> list[str]:
    """The table names of `layers`, or PackageError when two collide or one is reserved."""
    names: list[str] = []
    for item in layers:
        name = item.table
        if name in RESERVED_TABLES or name.startswith(RESERVED_PREFIXES):
            raise PackageError(tr("Le jeu « {dataset} » ne peut pas s'appeler « {table} » dans un paquet : ce nom est "
                                  "réservé. Donnez-lui un autre nom de table.").format(dataset=item.dataset_id,
                                                                                         table=name))
        if name in names:
            raise PackageError(tr("Deux jeux de données donneraient la même table « {table} » dans le paquet : "
                                  "donnez-leur des noms différents.").format(table=name))
        if not isinstance(item.layer, QgsVectorLayer) or not item.layer.isValid():
            raise PackageError(tr("La couche du jeu « {dataset} » n'est pas une couche vecteur valide : "
                                  "rien n'a été écrit.").format(dataset=item.dataset_id))
        names.append(name)
    return names


def fid_column(layer: QgsVectorLayer) -> str:
    """The feature id column to create: « fid », unless the data already has a column of that name.

    GDAL takes an existing « fid » column as the feature id and fails when it is not a unique integer;
    another name keeps the data's column as it is.
    """
    taken = {name.lower() for name in layer.fields().names()}
    name = "fid"
    while name in taken:
        name = f"dt_{name}"
    return name
