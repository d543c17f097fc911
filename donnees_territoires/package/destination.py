"""Where a package lives — a GeoPackage file, temporary layers, a PostGIS schema, a batch's PostGIS tables.

A Destination writes a package there, reads its manifest, gives the QGIS data source of each of
its tables, says whether something is there and whether it is a package of ours, and turns into
the dict a recipe stores ({"kind": "gpkg", "path": …}, {"kind": "memory"}, {"kind": "postgis",
"connection": …, "schema": …}: the keys of the packages already written, which keep being read).
Nothing outside this module asks which kind a destination is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from qgis.core import QgsDataSourceUri, QgsProcessing, QgsProviderRegistry

from ..toolbelt.i18n import tr
from . import gpkg, postgis
from .model import MAX_NAME, PackageError
from .postgis import default_schema_name

#: the schema the dock proposes, and its messages give as an example
EXAMPLE_SCHEMA = "donnees_territoires"
#: the batch's « one table per dataset » layout, as a recipe's batch["layout"] says it
TABLES_LAYOUT = "tables"
#: build_package's and refresh_package's parameters that name a destination
OUTPUT, PACKAGE, CONNECTION, SCHEMA = "OUTPUT", "PACKAGE", "POSTGIS_CONNECTION", "POSTGIS_SCHEMA"


@dataclass(frozen=True)
class Destination:
    """Where a package lives. Subclasses set KIND (the stored « kind ») and PROVIDER (QGIS's, for its layers)."""

    KIND: ClassVar[str] = ""
    PROVIDER: ClassVar[str] = ""
    #: temporary layers are lost unless loaded: the dock always loads them
    must_load: ClassVar[bool] = False
    #: PostgreSQL keeps every package's default styles in one layer_styles table, created with the first
    #: style: a batch writes its first package alone before starting worker processes
    shared_styles: ClassVar[bool] = False

    # -- the stored dict -----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """The destination in a French message: a path, or « connexion / schéma »."""
        raise NotImplementedError

    @property
    def load_key(self) -> str:
        """What makes a second run « the same package » in the project: its layers are then updated in place."""
        return f"{self.KIND}:{self.label}"

    # -- the package there ---------------------------------------------------------------------------
    def write(self, layers: list, recipe: dict, territory: dict, feedback=None, missing: dict | None = None):
        """Write the package (gpkg.py or postgis.py); its PackageReport. PackageError when it fails.

        `missing`: {dataset id: why it failed} of the recipe's datasets that failed, for the manifest."""
        raise NotImplementedError

    def read_manifest(self) -> dict:
        """The manifest of the package there (see manifest.py), or PackageError in French."""
        raise NotImplementedError

    def previous_manifest(self) -> dict | None:
        """The manifest of the package already there; None when there is none (or not one of ours)."""
        try:
            return self.read_manifest()
        except PackageError:
            return None

    def exists(self) -> bool:
        """Something is there already (a file, a schema)."""
        raise NotImplementedError

    def is_package(self) -> bool:
        """What is there is a package of ours (it has a readable manifest)."""
        return self.previous_manifest() is not None

    def layer_address(self, table: str) -> str:
        """The QGIS data source of one of the package's tables (provider PROVIDER): it opens with its style."""
        raise NotImplementedError

    def table_of(self, layer) -> str | None:
        """The table of this package a project layer shows, or None when the layer is not one of them."""
        raise NotImplementedError

    def read_table(self, table: str, read):
        """`read(layer)` on one of the package's tables (a layer that may be invalid), and what it returns; QGIS
        lets go of the table then, so that the package can be replaced."""
        from qgis.core import QgsVectorLayer
        from qgis.PyQt.QtCore import QCoreApplication, QEvent

        layer = QgsVectorLayer(self.layer_address(table), table, self.PROVIDER)
        try:
            return read(layer)
        finally:
            del layer
            # the provider goes with a deferred delete, and with it QGIS's handle on the file: a thread without an
            # event loop (a Processing run, a batch worker) must deliver it, or the package could not be replaced
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    # -- defaults and edges ---------------------------------------------------------------------------
    def for_territory(self, reference: str) -> Destination:
        """This destination with its default name filled in for a territory (« epci:243300316 »)."""
        return self

    def problem(self) -> str | None:
        """What is missing before a package can be written here, in French; None when nothing is."""
        return None

    def build_parameters(self) -> dict:
        """build_package's parameters naming this destination."""
        raise NotImplementedError

    def refresh_parameters(self) -> dict:
        """refresh_package's parameters naming this destination."""
        raise NotImplementedError

    def batch_postgis(self) -> dict | None:
        """batch.run_batch's `postgis` argument that makes this package again (a batch's tables), or None."""
        return None

    def report_path(self) -> Path | None:
        """Where a refresh writes its Markdown change report when not told (None: nowhere)."""
        return None

    def store_changes(self, changes: list, vintage: int, notes: list[str]) -> None:
        """Keep a refresh's change report inside the package, where the format allows it."""

    def check(self) -> None:
        """PackageError in French when the destination cannot be reached at all (before any download)."""

    def discard_partial(self) -> None:
        """Remove what a writer stopped dead (a killed worker process) left behind."""


@dataclass(frozen=True)
class GeoPackage(Destination):
    """A package in one .gpkg file, replaced atomically (gpkg.py)."""

    path: str = ""
    KIND: ClassVar[str] = "gpkg"
    PROVIDER: ClassVar[str] = "ogr"

    def to_dict(self) -> dict:
        return {"kind": self.KIND, "path": self.path}

    @classmethod
    def named_for(cls, folder, territory) -> GeoPackage:
        """The package of one territory (territory.Territory) of a batch: `<folder>/commune-33063-bordeaux.gpkg`."""
        return cls(str(Path(folder) / package_name(territory)))

    @property
    def label(self) -> str:
        return str(self.path)

    @property
    def load_key(self) -> str:
        return f"{self.KIND}:{_absolute(self.path)}"

    def write(self, layers: list, recipe: dict, territory: dict, feedback=None, missing: dict | None = None):
        return gpkg.write_geopackage(self.path, layers, recipe, territory, feedback=feedback, missing=missing)

    def read_manifest(self) -> dict:
        return gpkg.read_manifest(self.path)

    def exists(self) -> bool:
        return bool(self.path) and Path(self.path).exists()

    def layer_address(self, table: str) -> str:
        return f"{self.path}|layername={table}"

    def table_of(self, layer) -> str | None:
        if not self.path or layer is None or layer.providerType() != self.PROVIDER:
            return None
        parts = QgsProviderRegistry.instance().decodeUri(self.PROVIDER, layer.source())
        if not parts.get("path") or _absolute(parts["path"]) != _absolute(self.path):
            return None
        return parts.get("layerName") or None

    def problem(self) -> str | None:
        if not self.path:
            return tr("Choisissez le fichier GeoPackage où écrire les données.")
        target = Path(self.path)
        if target.suffix.lower() != ".gpkg":
            return tr("« {name} » n'est pas un GeoPackage : choisissez un fichier .gpkg.").format(name=target.name)
        if not target.parent.is_dir():
            return tr("Le dossier « {folder} » n'existe pas : choisissez un autre emplacement pour le "
                      "GeoPackage.").format(folder=str(target.parent))
        if target.exists() and not target.is_file():
            return tr("« {path} » est un dossier : choisissez un fichier .gpkg.").format(path=self.path)
        return gpkg.foreign_file_problem(target)

    def build_parameters(self) -> dict:
        return {OUTPUT: self.path}

    def refresh_parameters(self) -> dict:
        return {PACKAGE: self.path}

    def report_path(self) -> Path | None:
        path = Path(self.path)
        return path.with_name(f"{path.stem}.changements.md")

    def store_changes(self, changes: list, vintage: int, notes: list[str]) -> None:
        gpkg.store_changes(Path(self.path), changes, vintage, notes)

    def discard_partial(self) -> None:
        for leftover in gpkg.temporary_files(self.path):
            leftover.unlink(missing_ok=True)


@dataclass(frozen=True)
class Memory(GeoPackage):
    """« Couches temporaires »: a GeoPackage in Processing's temporary folder, chosen by Processing at run time
    (`path` empty until then), always loaded. A second run for the same territory updates the first's layers."""

    KIND: ClassVar[str] = "memory"
    must_load: ClassVar[bool] = True

    def to_dict(self) -> dict:
        return {"kind": self.KIND, **({"path": self.path} if self.path else {})}

    @property
    def label(self) -> str:
        return str(self.path) or tr("couches temporaires")

    @property
    def load_key(self) -> str:
        return self.KIND  # a new temporary file at each run: the territory's group says which package it is

    def problem(self) -> str | None:
        return None

    def build_parameters(self) -> dict:
        return {OUTPUT: QgsProcessing.TEMPORARY_OUTPUT}

    def report_path(self) -> Path | None:
        return super().report_path() if self.path else None


@dataclass(frozen=True)
class PostgisSchema(Destination):
    """A package in one schema of a PostgreSQL database, swapped in one transaction (postgis.py).

    `connection` is a connection saved in QGIS (its name) or a connection string; `schema` empty
    means the territory's default name (for_territory)."""

    connection: str = ""
    schema: str = ""
    KIND: ClassVar[str] = "postgis"
    PROVIDER: ClassVar[str] = "postgres"
    shared_styles: ClassVar[bool] = True

    def to_dict(self) -> dict:
        return {"kind": self.KIND, "connection": self.connection, "schema": self.schema}

    @property
    def label(self) -> str:
        return f"{postgis.connection_label(self.connection)} / {self.schema}"

    def write(self, layers: list, recipe: dict, territory: dict, feedback=None, missing: dict | None = None):
        return postgis.write_postgis(self.connection, layers, recipe, territory, schema=self.schema or None,
                                     feedback=feedback, missing=missing)

    def read_manifest(self) -> dict:
        return postgis.read_postgis_manifest(self.connection, self.schema)

    def exists(self) -> bool:
        try:
            return postgis.schema_exists(self.connection, self.schema)
        except PackageError:
            return False

    def layer_address(self, table: str) -> str:
        return postgis.layer_uri(self.connection, self.schema, table)

    def table_of(self, layer) -> str | None:
        if layer is None or layer.providerType() != self.PROVIDER:
            return None
        uri = QgsDataSourceUri(layer.source())
        if uri.schema() != self.schema or not postgis.same_database(self.connection, uri):
            return None
        return uri.table() or None

    @classmethod
    def named_for(cls, connection: str, territory, prefix: str = "") -> PostgisSchema:
        """The schema of one territory (territory.Territory) of a batch: commune_33063, after `prefix`_ if any."""
        name = default_schema_name(territory.reference)
        return cls(connection, postgis.check_schema(f"{prefix}_{name}" if prefix else name))

    def for_territory(self, reference: str) -> Destination:
        return self if self.schema else replace(self, schema=default_schema_name(reference))

    def problem(self) -> str | None:
        if not self.connection:
            if not postgis.saved_connections():
                return tr("Aucune connexion PostgreSQL n'est enregistrée dans QGIS : créez-en une dans "
                          "l'Explorateur (PostgreSQL > Nouvelle connexion), ou choisissez un GeoPackage.")
            return tr("Choisissez la connexion PostgreSQL où écrire les données.")
        if not self.schema:
            return tr("Indiquez le schéma PostgreSQL où écrire les données (par exemple {schema}).").format(
                schema=EXAMPLE_SCHEMA)
        if '"' in self.schema or "\x00" in self.schema or len(self.schema.encode("utf-8")) > MAX_NAME:
            return tr("« {schema} » ne peut pas servir de nom de schéma PostgreSQL : 63 octets au plus, sans "
                      "guillemet.").format(schema=self.schema)
        return None

    def build_parameters(self) -> dict:
        return {CONNECTION: self.connection, SCHEMA: self.schema}

    def refresh_parameters(self) -> dict:
        return {CONNECTION: self.connection, SCHEMA: self.schema}

    def check(self) -> None:
        postgis.check_connection(self.connection)

    def discard_partial(self) -> None:
        postgis.drop_staging_schemas(self.connection, self.schema)


@dataclass(frozen=True)
class PostgisTables(PostgisSchema):
    """A batch's « one table per dataset » package: one schema whose tables hold every territory of a parent,
    with a territory code column. Stored as a PostGIS schema (same keys): the layout is the recipe's `batch`."""

    @classmethod
    def named_for(cls, connection: str, parent: str, level: str, schema: str = "") -> PostgisTables:
        """`schema`, or the default one of the batch: departement_33_communes."""
        return cls(connection, postgis.check_schema(schema.strip() or default_schema_name(f"{parent} {level}s")))

    def for_territory(self, reference: str) -> Destination:
        return self  # always named when made (named_for)

    def batch_postgis(self) -> dict | None:
        return {"connection": self.connection, "layout": TABLES_LAYOUT, "schema": self.schema}


def slug(text: str) -> str:
    """« Saint-Médard-en-Jalles » → saint-medard-en-jalles: ASCII, lower case, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "territoire"


def package_name(territory) -> str:
    """`commune-33063-bordeaux.gpkg`: <type>-<code>-<name-slug>.gpkg."""
    return f"{territory.kind.prefix}-{territory.code}-{slug(territory.name)}.gpkg"


#: the stored « kind » of each destination (PostgisTables is stored as a PostGIS schema)
KINDS = {kind.KIND: kind for kind in (GeoPackage, Memory, PostgisSchema)}


def destination_from_dict(data: dict | Destination | None, batch: dict | None = None, *,
                          unknown: type[Destination] | None = None) -> Destination:
    """The Destination a recipe (or the dock's settings) stored; `batch` is the recipe's batch, if any.

    An unknown or missing kind reads as `unknown`, by default a GeoPackage (as a recipe has always been read)."""
    data = data.to_dict() if isinstance(data, Destination) else dict(data or {})
    kind = KINDS.get(str(data.get("kind") or ""), unknown or GeoPackage)
    if kind is PostgisSchema:
        tables = (batch or {}).get("layout") == TABLES_LAYOUT
        return (PostgisTables if tables else PostgisSchema)(str(data.get("connection") or ""),
                                                             str(data.get("schema") or ""))
    return kind(str(data.get("path") or ""))


def destination_from_parameters(*, path: str = "", connection: str = "", schema: str = "",
                                temporary: bool = False) -> Destination | None:
    """The destination an algorithm's parameters name: a PostgreSQL connection (and schema) before a file;
    None when they name none."""
    if connection:
        return PostgisSchema(connection, schema.strip())
    if path:
        return Memory(path) if temporary else GeoPackage(path)
    return None


def destination_of_layer(layer) -> Destination | None:
    """The package a project layer comes from, as far as its data source says: a GeoPackage; None otherwise."""
    if layer is None or layer.providerType() != GeoPackage.PROVIDER:
        return None
    path = str(QgsProviderRegistry.instance().decodeUri(GeoPackage.PROVIDER, layer.source()).get("path") or "")
    return GeoPackage(path) if path.lower().endswith(".gpkg") else None


def _absolute(path: str) -> str:
    return str(Path(path).expanduser().absolute()) if path else ""


__all__ = ["Destination", "GeoPackage", "Memory", "PostgisSchema", "PostgisTables", "default_schema_name",
           "destination_from_dict", "destination_from_parameters", "destination_of_layer", "package_name", "slug"]
