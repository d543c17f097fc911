"""A stable fingerprint of a layer's features, so a refresh can tell which datasets changed."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

from qgis.core import QgsFeedback, QgsVectorLayer
from qgis.PyQt.QtCore import QByteArray, QDate, QDateTime, Qt, QTime, QVariant

#: recorded in the manifest next to each checksum: a later version may hash differently
CHECKSUM_METHOD = "sha256-features-v1"


def layer_checksum(layer: QgsVectorLayer, key_fields=None, feedback: Optional[QgsFeedback] = None) -> str:
    """SHA-256 over every feature: geometry WKB and attributes by field name, features in a stable order.

    - The order of features and of columns does not matter; names are compared in lower case.
    - The provider's primary key (the GeoPackage « fid », the PostGIS key) is left out: writing
      renumbers it.
    - Features are ordered by `key_fields` (the dataset's identifiers, when the layer has them), then
      by their own digest, so the result only depends on the content.
    Returns "" when `feedback` is cancelled.
    """
    digests = feature_digests(layer, key_fields, feedback)
    if feedback is not None and feedback.isCanceled():
        return ""
    return combine_digests(digests)


def combine_digests(digests: list[str]) -> str:
    """The layer checksum of feature_digests() lines: their SHA-256, sorted."""
    digest = hashlib.sha256()
    for entry in sorted(digests):
        digest.update(entry.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def feature_digests(layer: QgsVectorLayer, key_fields=None, feedback: Optional[QgsFeedback] = None) -> list[str]:
    """One « key<TAB>digest » line per feature (key empty without key fields), in the layer's order."""
    fields = layer.fields()
    provider = layer.dataProvider()
    skipped = set(provider.pkAttributeIndexes()) if provider is not None else set()
    columns = [(index, fields.at(index).name().lower()) for index in range(fields.count()) if index not in skipped]
    names = {name for _index, name in columns}
    keys = [key.lower() for key in (key_fields or ()) if key and key.lower() in names]
    total = max(layer.featureCount(), 1)
    lines = []
    for number, feature in enumerate(layer.getFeatures()):
        if feedback is not None and number % 1000 == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(100.0 * number / total)
        attributes = feature.attributes()
        values = {name: canonical_value(attributes[index]) for index, name in columns}
        geometry = feature.geometry()
        wkb = bytes(geometry.asWkb()).hex() if not geometry.isNull() else None
        text = json.dumps([wkb, values], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        key = json.dumps([values[name] for name in keys], ensure_ascii=False, separators=(",", ":")) if keys else ""
        lines.append(f"{key}\t{hashlib.sha256(text.encode('utf-8')).hexdigest()}")
    return lines


def canonical_value(value: Any) -> Any:
    """A JSON value standing for an attribute, the same whichever provider read it."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, QDateTime):
        # wall-clock time: GeoPackage and PostGIS give back the time written, in their own time spec
        return value.toString("yyyy-MM-ddTHH:mm:ss.zzz") if value.isValid() else None
    if isinstance(value, QDate):
        return value.toString(Qt.DateFormat.ISODate) if value.isValid() else None
    if isinstance(value, QTime):
        return value.toString("HH:mm:ss.zzz") if value.isValid() else None
    if isinstance(value, (QByteArray, bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): canonical_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical_value(item) for item in value]
    return str(value)
