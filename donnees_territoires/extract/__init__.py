"""CUT: layers and rasters cut to a territory (attribute filter, intersects, within, clip), repaired, reprojected."""
