"""CUT: layers cut to a territory (attribute filter, intersects, within, clip), repaired, reprojected."""
