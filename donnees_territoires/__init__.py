"""Données et territoires: French territorial reference data, cut to your territory."""


def classFactory(iface):  # noqa: N802 - name imposed by QGIS
    """Entry point QGIS calls; imports lazily so that QGIS start-up stays fast."""
    from .plugin import DonneesTerritoiresPlugin

    return DonneesTerritoiresPlugin(iface)
