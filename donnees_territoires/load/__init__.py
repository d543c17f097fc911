"""LOAD: a package into the project — its territory's group, styled layers, zoom, base maps, updates in place."""

from .base_maps import BaseMaps
from .group import KEY_PROPERTY, TABLE_PROPERTY, drop_stale, loaded_tables, place_layer
from .package import (
    IntoTerritoryGroup,
    PackageTable,
    fetch_dates,
    load_on_completion,
    load_results,
    package_tables,
    update_loaded,
)
from .zoom import contours_in_background, main_canvas, zoom_to_extent, zoom_to_territory

__all__ = [
    "KEY_PROPERTY", "TABLE_PROPERTY", "BaseMaps", "IntoTerritoryGroup", "PackageTable", "contours_in_background",
    "drop_stale", "fetch_dates", "load_on_completion", "load_results", "loaded_tables", "main_canvas",
    "package_tables", "place_layer", "update_loaded", "zoom_to_extent", "zoom_to_territory",
]
