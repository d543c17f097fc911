"""What to get: the dataset catalog, built-in and user catalogs, validation, URL templates."""

from .catalog import Catalog, UnknownDatasetError, configured_catalog
from .datagouv import ResourceNotFoundError, select_resource
from .loader import (
    BUILTIN_CATALOG,
    CatalogDocument,
    Refusal,
    builtin_catalog,
    fetch_catalog,
    parse_catalog,
    read_catalog_file,
)
from .model import (
    THEMES,
    CatalogSource,
    CutRule,
    Dataset,
    FormatOptions,
    Licence,
    LocalizedText,
    ResourceSelector,
    Source,
    StyleRef,
    theme_label,
)
from .schema import SchemaValidator, catalog_schema
from .sources import SourceRequest, expand_urls, target_crs, wmts_layer_uri, wmts_tile_matrix_sets
from .styles import style_problems
from .templates import PLACEHOLDERS, PLM_ARRONDISSEMENTS, TemplateError, TerritoryFacts
from .territory_facts import facts_from_index

__all__ = [
    "BUILTIN_CATALOG", "PLACEHOLDERS", "PLM_ARRONDISSEMENTS", "THEMES", "Catalog", "CatalogDocument",
    "CatalogSource", "CutRule", "Dataset", "FormatOptions", "Licence", "LocalizedText", "Refusal",
    "ResourceNotFoundError", "ResourceSelector", "SchemaValidator", "Source", "SourceRequest", "StyleRef",
    "TemplateError", "TerritoryFacts", "UnknownDatasetError", "builtin_catalog", "catalog_schema", "configured_catalog",
    "expand_urls", "facts_from_index", "fetch_catalog", "parse_catalog", "read_catalog_file", "select_resource",
    "style_problems", "target_crs", "theme_label", "wmts_layer_uri", "wmts_tile_matrix_sets",
]
