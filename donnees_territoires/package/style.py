"""The style a package stores for a table: only how to draw it, never actions or Python code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from qgis.core import QgsFeatureRequest, QgsMapLayer, QgsVectorLayer
from qgis.PyQt.QtXml import QDomDocument

from .. import compat
from ..catalog.styles import style_problems
from ..toolbelt.i18n import tr

#: what the built-in styles are made of (scripts/make_styles.py); actions, forms (Python init
#: code), map tips and custom properties of a user catalog's QML never reach a package
SAFE_CATEGORIES = (QgsMapLayer.StyleCategory.Symbology | QgsMapLayer.StyleCategory.Labeling
                   | QgsMapLayer.StyleCategory.Rendering | QgsMapLayer.StyleCategory.Fields)


@dataclass
class PackageStyle:
    """A style ready for a `layer_styles` table: QML limited to SAFE_CATEGORIES, and its SLD."""

    qml: str
    sld: str


def package_style(layer: QgsVectorLayer, qml_text: Optional[str],
                  dataset: str) -> tuple[Optional[PackageStyle], list[str]]:
    """(style, warnings) for `layer` from the dataset's QML; (None, warnings) when it cannot be used.

    The QML is loaded into an empty copy of the layer with SAFE_CATEGORIES only, then exported
    again: whatever else it carried is dropped, and said in a warning.
    """
    if not qml_text or not qml_text.strip():
        return None, []
    problems = style_problems(qml_text)
    document = parse_xml(qml_text)
    if document is None or document.documentElement().tagName() != "qgis":
        return None, [tr("Style du jeu « {dataset} » ignoré : {problems}.").format(
            dataset=dataset, problems="; ".join(problems) or tr("fichier QML illisible"))]
    warnings = []
    if problems:
        warnings.append(tr("Style du jeu « {dataset} » : {problems} ; seuls la symbologie, les étiquettes, le rendu et "
                           "les alias de champs sont repris dans le paquet.").format(dataset=dataset,
                                                                                     problems="; ".join(problems)))
    # an empty copy: the caller's layer keeps its own style
    scratch = layer.materialize(QgsFeatureRequest().setFilterFids([]))
    ok, message = scratch.importNamedStyle(document, SAFE_CATEGORIES)
    if not ok:
        return None, warnings + [tr("Style du jeu « {dataset} » ignoré : QGIS ne peut pas le lire ({error}).").format(
            dataset=dataset, error=message)]
    exported = QDomDocument()
    message = scratch.exportNamedStyle(exported, categories=SAFE_CATEGORIES)
    qml = exported.toString()
    if message or style_problems(qml):
        return None, warnings + [tr("Style du jeu « {dataset} » ignoré : il n'a pas pu être nettoyé ({error}).").format(
            dataset=dataset, error=message or "; ".join(style_problems(qml)))]
    return PackageStyle(qml=qml, sld=compat.export_sld(scratch)), warnings


def parse_xml(text: str) -> Optional[QDomDocument]:
    """The parsed document, or None when `text` is not well-formed XML."""
    document = QDomDocument()
    result = document.setContent(text)
    # PyQt gives (ok, message, line, column); a plain bool otherwise
    ok = result[0] if isinstance(result, tuple) else bool(result)
    return document if ok else None
