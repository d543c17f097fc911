"""The manifest of a package: two attribute tables saying what it holds, where it came from, and how to redo it.

`manifest` — one row per key (all values text; JSON where marked):

    manifest_version     "1"
    generator            « Données et territoires »
    plugin_version       the plugin version that wrote the package
    qgis_version         the QGIS version that wrote it
    created_at           ISO 8601 UTC time of writing
    territory            JSON {reference, name, vintage, crs}
    territory_reference  e.g. epci:243300316 (copied out of `territory` for SQL users)
    territory_name       e.g. Bordeaux Métropole
    cog_vintage          e.g. 2024
    crs                  the package CRS, e.g. EPSG:2154
    recipe               JSON: the recipe a refresh runs again (a password=… in it is stored as ***)
    layer_count          number of dataset tables
    checksum_method      how `manifest_layers.checksum` is computed (checksum.CHECKSUM_METHOD)
    warnings             JSON list of the package's warnings

`manifest_layers` — one row per dataset table:

    table_name, dataset_id, title, theme, producer, licence, licence_url, homepage
    source_urls      JSON list of the catalog's URLs
    fetch            JSON list of FetchResult.to_manifest(): url, final_url, etag, last_modified,
                     fetched_at, sha256, size, status, from_cache… of every download
    fetched_at       the latest fetch time (ISO 8601)
    feature_count    integer
    geometry_type    e.g. MultiPolygon, NoGeometry
    crs              e.g. EPSG:2154
    extent_xmin, extent_ymin, extent_xmax, extent_ymax   extent in `crs` (NULL without geometry
                     or features; read_manifest() gives them as `extent`: [xmin, ymin, xmax, ymax])
    checksum         layer_checksum() of the table as written
    key_fields, warnings  JSON lists
    style            name of the table's default style in layer_styles ("" when none)
    metadata_qmd     the layer metadata as a QGIS .qmd document
    written_at       ISO 8601 UTC time of writing
"""

from __future__ import annotations

import json
from typing import Any

from qgis.core import Qgis, QgsFeature, QgsVectorLayer

from ..__about__ import __title__, __version__
from ..compat import make_field
from .checksum import CHECKSUM_METHOD, canonical_value
from .model import LAYERS_TABLE, MANIFEST_TABLE, LayerReport, PackageLayer, hide_password

MANIFEST_VERSION = 1

#: manifest_layers columns: name -> portable type (compat.make_field); the JSON ones are decoded on reading
LAYER_COLUMNS = {
    "table_name": "string", "dataset_id": "string", "title": "string", "theme": "string", "producer": "string",
    "licence": "string", "licence_url": "string", "homepage": "string", "source_urls": "string",
    "fetch": "string", "fetched_at": "string", "feature_count": "int64", "geometry_type": "string",
    "crs": "string", "extent_xmin": "double", "extent_ymin": "double", "extent_xmax": "double",
    "extent_ymax": "double",
    "checksum": "string", "key_fields": "string", "warnings": "string", "style": "string",
    "metadata_qmd": "string", "written_at": "string",
}
LAYER_JSON = ("source_urls", "fetch", "key_fields", "warnings")
#: « publication »: where the package was published, per platform (publish/publisher.py)
MANIFEST_JSON = ("territory", "recipe", "warnings", "missing", "publication")
MANIFEST_INT = ("manifest_version", "layer_count")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "authid"):  # a QgsCoordinateReferenceSystem
        return value.authid() or value.toWkt()
    return str(value)


def manifest_rows(recipe: dict, territory: dict, created_at: str, layer_count: int,
                  warnings: list[str], missing: dict | None = None) -> list[tuple[str, str]]:
    """The (key, value) rows of the `manifest` table; `missing`: {dataset id: why it failed} of the recipe's
    datasets that failed at this writing (their table is the previous package's, or there is none)."""
    crs = territory.get("crs", "")
    crs_text = _json_default(crs) if hasattr(crs, "authid") else str(crs or "")
    return [
        ("manifest_version", str(MANIFEST_VERSION)),
        ("generator", __title__),
        ("plugin_version", __version__),
        ("qgis_version", Qgis.QGIS_VERSION),
        ("created_at", created_at),
        ("territory", to_json(territory)),
        ("territory_reference", str(territory.get("reference", ""))),
        ("territory_name", str(territory.get("name", ""))),
        ("cog_vintage", str(territory.get("vintage", ""))),
        ("crs", crs_text),
        # a recipe should name a saved connection, a service or an authcfg: never keep a password
        ("recipe", hide_password(to_json(recipe))),
        ("layer_count", str(layer_count)),
        ("checksum_method", CHECKSUM_METHOD),
        ("warnings", to_json(list(warnings))),
        ("missing", to_json(dict(missing or {}))),
    ]


def layer_row(item: PackageLayer, report: LayerReport, style_name: str, metadata_qmd: str,
              written_at: str) -> dict[str, Any]:
    """The `manifest_layers` row of one table."""
    extent = report.extent or (None, None, None, None)
    fetched = [str(record.get("fetched_at", "")) for record in item.fetch if record.get("fetched_at")]
    return {
        "table_name": report.table, "dataset_id": item.dataset_id, "title": item.title, "theme": item.theme,
        "producer": item.producer, "licence": item.licence_name, "licence_url": item.licence_url,
        "homepage": item.homepage, "source_urls": to_json(list(item.source_urls)), "fetch": to_json(list(item.fetch)),
        "fetched_at": max(fetched) if fetched else "", "feature_count": report.feature_count,
        "geometry_type": report.geometry_type, "crs": report.crs,
        "extent_xmin": extent[0], "extent_ymin": extent[1], "extent_xmax": extent[2], "extent_ymax": extent[3],
        "checksum": report.checksum, "key_fields": to_json(list(item.key_fields)),
        "warnings": to_json(list(report.warnings)), "style": style_name, "metadata_qmd": metadata_qmd,
        "written_at": written_at,
    }


def manifest_layers(rows: list[tuple[str, str]],
                    layer_rows: list[dict[str, Any]]) -> tuple[QgsVectorLayer, QgsVectorLayer]:
    """Two memory tables (no geometry) holding the manifest, for a writer to copy into the package."""
    manifest = _table(MANIFEST_TABLE, {"key": "string", "value": "string"},
                      [{"key": key, "value": value} for key, value in rows])
    layers = _table(LAYERS_TABLE, LAYER_COLUMNS, layer_rows)
    return manifest, layers


def _table(name: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> QgsVectorLayer:
    table = QgsVectorLayer("None", name, "memory")
    provider = table.dataProvider()
    provider.addAttributes([make_field(column, kind) for column, kind in columns.items()])
    table.updateFields()
    features = []
    for row in rows:
        feature = QgsFeature(table.fields())
        feature.setAttributes([row.get(column) for column in columns])
        features.append(feature)
    provider.addFeatures(features)
    return table


def manifest_from_rows(rows: list[dict[str, Any]], layer_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest as read_manifest() returns it: keys with JSON decoded, and `layers` in table order."""
    manifest: dict[str, Any] = {}
    for row in rows:
        key, value = canonical_value(row.get("key")), canonical_value(row.get("value"))
        if key is None:
            continue
        manifest[key] = _decode(value, key in MANIFEST_JSON, key in MANIFEST_INT)
    layers = []
    for row in layer_rows:
        record = {str(name): canonical_value(value) for name, value in row.items()}
        for column in LAYER_JSON:
            record[column] = _decode(record.get(column), True, False) or []
        bounds = [record.pop(f"extent_{column}", None) for column in ("xmin", "ymin", "xmax", "ymax")]
        record["extent"] = None if any(value is None for value in bounds) else [float(value) for value in bounds]
        record["feature_count"] = int(record.get("feature_count") or 0)
        layers.append(record)
    manifest["layers"] = layers
    return manifest


def _decode(value: Any, is_json: bool, is_int: bool) -> Any:
    if value is None:
        return None
    if is_json:
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            return value
    if is_int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value
