"""WRITE: a territorial package as a GeoPackage or a PostGIS schema — tables, default styles, metadata, manifest;
where it lives (Destination)."""

from .checksum import CHECKSUM_METHOD, layer_checksum
from .destination import (
    EXAMPLE_SCHEMA,
    Destination,
    GeoPackage,
    Memory,
    PostgisSchema,
    PostgisTables,
    destination_from_dict,
    destination_from_parameters,
    destination_of_layer,
)
from .gpkg import read_manifest, write_geopackage
from .manifest import MANIFEST_VERSION
from .metadata import read_metadata_xml
from .model import (
    LAYERS_TABLE,
    MANIFEST_TABLE,
    LayerReport,
    PackageCanceled,
    PackageError,
    PackageLayer,
    PackageReport,
    table_name,
)
from .postgis import default_schema_name, layer_uri, read_postgis_manifest, write_postgis

__all__ = [
    "CHECKSUM_METHOD", "EXAMPLE_SCHEMA", "LAYERS_TABLE", "MANIFEST_TABLE", "MANIFEST_VERSION", "Destination",
    "GeoPackage",
    "LayerReport", "Memory", "PackageCanceled", "PackageError", "PackageLayer", "PackageReport", "PostgisSchema",
    "PostgisTables", "default_schema_name", "destination_from_dict", "destination_from_parameters",
    "destination_of_layer", "layer_checksum", "layer_uri", "read_manifest", "read_metadata_xml",
    "read_postgis_manifest", "table_name", "write_geopackage", "write_postgis",
]
