"""What a package table holds (count, extent, checksum) and the check that the writer really wrote it."""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsFeedback, QgsVectorLayer, QgsWkbTypes

from ..toolbelt.i18n import tr
from .checksum import combine_digests, feature_digests
from .model import LayerReport, PackageError, PackageLayer


def describe_layer(item: PackageLayer, table: str, feedback: Optional[QgsFeedback] = None) -> LayerReport:
    """The facts of the layer sent to a table: feature count, extent, CRS, geometry type, checksum.

    Computed on the layer handed over, not by reopening the package: QGIS keeps pooled read handles
    on a file it opened, and the package file must be free to be renamed.
    """
    layer = item.layer
    digests = feature_digests(layer, item.key_fields, feedback)
    # counted while hashing: some providers only estimate featureCount()
    count, checksum = len(digests), combine_digests(digests)
    extent = None
    if layer.isSpatial() and count > 0:
        rectangle = layer.extent()
        if not rectangle.isNull():
            extent = (rectangle.xMinimum(), rectangle.yMinimum(), rectangle.xMaximum(), rectangle.yMaximum())
    return LayerReport(table=table, dataset_id=item.dataset_id, title=item.title, feature_count=count,
                       checksum=checksum, geometry_type=QgsWkbTypes.displayString(layer.wkbType()),
                       crs=layer.crs().authid() if layer.isSpatial() else "", extent=extent, styled=False,
                       warnings=list(item.warnings))


def check_written(item: PackageLayer, report: LayerReport, destination: str, count: Optional[int]) -> None:
    """PackageError unless the table holds as many rows as features were sent (None: the table is missing).

    A writer can report success and still not create a table (GDAL refusing two columns whose names
    differ only by case, for instance): counting is the proof.
    """
    if count is not None and count == report.feature_count:
        return
    table = report.table
    if count is None:
        message = tr("La table « {table} » (jeu « {dataset} ») n'a pas pu être écrite dans {destination}.").format(
            table=table, dataset=item.dataset_id, destination=destination)
    else:
        message = tr("La table « {table} » (jeu « {dataset} ») est incomplète dans {destination} : {expected} "
                     "entités envoyées, {count} écrites.").format(table=table, dataset=item.dataset_id,
                                                                  destination=destination,
                                                                  expected=report.feature_count, count=count)
    raise PackageError(f"{message} {what_to_do(item.layer)} {tr('Le contenu précédent est inchangé.')}")


def what_to_do(layer: QgsVectorLayer) -> str:
    """What the user can do about a table that could not be written."""
    names = layer.fields().names()
    lowered = [name.lower() for name in names]
    clashes = sorted({name for name in names if lowered.count(name.lower()) > 1})
    if clashes:
        return tr("Ses colonnes {columns} ne diffèrent que par la casse : renommez-en une.").format(
            columns=", ".join(clashes))
    return tr("Vérifiez l'espace disque et les droits d'écriture, puis relancez.")
