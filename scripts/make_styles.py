#!/usr/bin/env python3
"""Write resources/styles/<theme>/<dataset>.qml for every vector dataset of the built-in catalog.

Run with QGIS's Python (the styles are QGIS's own output, hence reproducible), then commit the .qml:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_styles.py          # write them all
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_styles.py --check  # exit 1 if one is missing

Each style is built on an empty memory layer of the dataset's geometry type carrying the fields the
renderer and the labels use. Sober on purpose: thin grey cadastre, grey buildings, small address
points, roads by `importance`, blue water. Only symbology, labels and rendering are saved: a style
never carries actions or form code (catalog.styles.style_problems checks it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Qt orders XML attributes by hash: a fixed seed makes two runs write byte-identical .qml files
os.environ.setdefault("QT_HASH_SEED", "0")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsRendererRange,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

from donnees_territoires.catalog import builtin_catalog  # noqa: E402
from donnees_territoires.catalog.styles import default_style_path  # noqa: E402
from donnees_territoires.compat import symbol_size_property  # noqa: E402

#: catalog geometry type -> memory layer geometry (multi types: the data mostly is)
MEMORY_GEOMETRY = {"point": "Point", "line": "MultiLineString", "polygon": "MultiPolygon", "none": "None"}

GREY_LINE = "#9e9e9e"


# -- symbols --------------------------------------------------------------------------------------
def outline(color: str, width: float, style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple({"style": "no", "color": "0,0,0,0", "outline_color": color,
                                       "outline_width": str(width), "outline_style": style})


def fill(color: str, outline_color: str, width: float = 0.1, opacity: float = 1.0) -> QgsFillSymbol:
    symbol = QgsFillSymbol.createSimple({"style": "solid", "color": color, "outline_color": outline_color,
                                         "outline_width": str(width)})
    symbol.setOpacity(opacity)
    return symbol


def line(color: str, width: float, style: str = "solid") -> QgsLineSymbol:
    return QgsLineSymbol.createSimple({"line_color": color, "line_width": str(width), "line_style": style,
                                       "capstyle": "round", "joinstyle": "round"})


#: point symbols grow as the map zooms in: `size` from 1:25,000 outwards, ZOOMED_POINT times it at 1:2,500
#: and closer (a 1 mm address point is a dot on a commune map and a readable disc on a street)
ZOOMED_POINT = 2.5


def point(color: str, size: float, shape: str = "circle", outline_color: str = "255,255,255,255",
          outline_width: float = 0.1) -> QgsMarkerSymbol:
    symbol = QgsMarkerSymbol.createSimple({"name": shape, "color": color, "size": str(size),
                                           "outline_color": outline_color, "outline_width": str(outline_width)})
    # without a map scale (legend, layout item) the expression is NULL and the fixed size applies
    grown = f"scale_linear(@map_scale, 2500, 25000, {size * ZOOMED_POINT:g}, {size:g})"
    symbol.symbolLayer(0).setDataDefinedProperty(symbol_size_property(), QgsProperty.fromExpression(grown))
    return symbol


def single(symbol):
    return QgsSingleSymbolRenderer(symbol)


def categorized(field_name: str, categories: list[tuple[str, object, str]], default=None):
    """Categories (value, symbol, French label); `default` draws every other value."""
    items = [QgsRendererCategory(value, symbol, label) for value, symbol, label in categories]
    if default is not None:
        items.append(QgsRendererCategory("", default, "Autre"))
    return QgsCategorizedSymbolRenderer(field_name, items)


def roads_by_importance():
    """Importance 1 (European links) to 6 (no car traffic): wide and warm to thin and grey, 1 on top."""
    spec = [("1", "#d7301f", 1.2), ("2", "#f16913", 0.9), ("3", "#fdae6b", 0.7),
            ("4", "#737373", 0.45), ("5", "#a3a3a3", 0.3), ("6", "#c8c8c8", 0.2)]
    categories = []
    for rank, (value, color, width) in enumerate(spec):
        symbol = line(color, width, "dash" if value == "6" else "solid")
        # symbol levels: the more important a road, the later it is drawn
        symbol.symbolLayer(0).setRenderingPass(len(spec) - rank)
        categories.append((value, symbol, f"Importance {value}"))
    other = line("#c8c8c8", 0.2)
    other.symbolLayer(0).setRenderingPass(0)
    renderer = categorized("importance", categories, other)
    renderer.setUsingSymbolLevels(True)
    return renderer


def activity_areas():
    palette = [("Administratif ou militaire", "#bcbddc"), ("Culture et loisirs", "#fbb4b9"),
               ("Gestion des eaux", "#9ecae1"), ("Industriel et commercial", "#d9d9d9"),
               ("Religieux", "#dadaeb"), ("Santé", "#fcbba1"), ("Science et enseignement", "#fee391"),
               ("Sport", "#c7e9c0")]
    return categorized("categorie", [(value, fill(color, "#969696", 0.15, 0.7), value) for value, color in palette],
                       fill("#f0f0f0", "#969696", 0.15, 0.7))


def graduated(field_name: str, bounds: list[float], colors: list[str], outline_color: str = "#ffffff"):
    """Classes [bounds[i], bounds[i+1]) in the given colours: a grid read at a glance."""
    ranges = []
    for low, high, color in zip(bounds, bounds[1:], colors):
        label = f"{low:g} à {high:g}" if high < 1e9 else f"{low:g} et plus"
        ranges.append(QgsRendererRange(low, high, fill(color, outline_color, 0.05, 0.8), label))
    return QgsGraduatedSymbolRenderer(field_name, ranges)


def zoning():
    """The CNIG zone types of a local plan: urban red, to-be-urbanised orange, agricultural yellow, natural green."""
    spec = [("U", "#e31a1c", "Urbaine (U)"), ("AUc", "#fd8d3c", "À urbaniser (AUc)"),
            ("AUs", "#fdbe85", "À urbaniser, fermée (AUs)"), ("A", "#ffff99", "Agricole (A)"),
            ("N", "#33a02c", "Naturelle et forestière (N)")]
    return categorized("typezone", [(value, fill(color, "#4d4d4d", 0.15, 0.55), label) for value, color, label in spec],
                       fill("#d9d9d9", "#4d4d4d", 0.15, 0.55))


def protected(color: str, outline_color: str):
    return single(fill(color, outline_color, 0.4, 0.3))


# -- labels ---------------------------------------------------------------------------------------
def labels(field_name: str, size: float = 8.0, color: str = "#333333", italic: bool = False,
           max_scale_denominator: float = 0.0) -> QgsVectorLayerSimpleLabeling:
    """Small labels with a white halo; shown only closer than 1:max_scale_denominator when given."""
    text = QgsTextFormat()
    font = QFont()
    font.setItalic(italic)
    text.setFont(font)
    text.setSize(size)
    text.setColor(QColor(color))
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(0.8)
    halo.setColor(QColor("white"))
    text.setBuffer(halo)
    settings = QgsPalLayerSettings()
    settings.fieldName = field_name
    settings.setFormat(text)
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale_denominator  # « minimum » scale = the most zoomed-out one
        settings.maximumScale = 0
    return QgsVectorLayerSimpleLabeling(settings)


# -- one recipe per dataset: (fields on the memory layer, renderer, labeling, field aliases) -----------
def recipes() -> dict[str, dict]:
    commune_outline = outline("#4d4d4d", 0.3)
    return {
        "admin-express-communes": {"fields": ["nom_officiel:string"], "renderer": single(commune_outline),
                                   "labels": labels("nom_officiel", 8, max_scale_denominator=250000)},
        "admin-express-epci": {"renderer": single(outline("#7b3294", 0.6))},
        "admin-express-departements": {"renderer": single(outline("#252525", 0.8))},
        "admin-express-regions": {"renderer": single(outline("#000000", 1.2))},
        "api-geo-communes": {"fields": ["nom:string"], "renderer": single(outline("#4d4d4d", 0.3)),
                             "labels": labels("nom", 8, max_scale_denominator=250000)},
        "cadastre-parcelles": {"renderer": single(outline(GREY_LINE, 0.1))},
        "cadastre-batiments": {"renderer": single(fill("#bdbdbd", "#8c8c8c", 0.1))},
        "cadastre-sections": {"fields": ["code:string"], "renderer": single(outline("#e08214", 0.4, "dash")),
                              "labels": labels("code", 9, "#b35806", max_scale_denominator=25000)},
        "cadastre-lieux-dits": {"fields": ["nom:string"], "renderer": single(outline("#8c8c8c", 0.2, "dot")),
                                "labels": labels("nom", 7.5, "#545454", italic=True, max_scale_denominator=25000)},
        "ban-adresses": {"renderer": single(point("#e34a33", 1.0, outline_width=0.0))},
        "dvf-mutations": {"renderer": single(point("#6a51a3", 1.6))},
        "sirene-etablissements": {"renderer": single(point("#1b7837", 1.4))},
        "bdtopo-batiments": {"renderer": single(fill("#c8c8c8", "#8a8a8a", 0.1))},
        "bdtopo-routes": {"fields": ["importance:string"], "renderer": roads_by_importance()},
        "bdtopo-zones-activite": {"fields": ["categorie:string"], "renderer": activity_areas()},
        "bdtopo-troncons-hydrographiques": {"renderer": single(line("#3182bd", 0.4))},
        "bdtopo-plans-d-eau": {"renderer": single(fill("#9ecae1", "#3182bd", 0.2))},
        "bdtopo-erp": {"renderer": single(point("#756bb1", 2.0, "square"))},
        "iris-contours": {"fields": ["nom_iris:string"], "renderer": single(outline("#2c7fb8", 0.3, "dash")),
                          "labels": labels("nom_iris", 7, "#2c7fb8", max_scale_denominator=50000)},
        "qpv-2024": {"renderer": single(fill("#e6550d", "#e6550d", 0.5, 0.35))},
        "france-services": {"renderer": single(point("#000091", 2.6, "circle", "255,255,255,255", 0.4))},
        "petites-villes-de-demain": {"fields": ["insee_com:string", "lib_com:string"],
                                     "aliases": {"insee_com": "Code INSEE", "lib_com": "Commune"}},
        "action-coeur-de-ville": {"fields": ["insee_com:string", "lib_com:string"],
                                  "aliases": {"insee_com": "Code INSEE", "lib_com": "Commune"}},
        # BD TOPO beyond the first six
        "bdtopo-voies-ferrees": {"renderer": single(line("#4d4d4d", 0.6, "dash"))},
        "bdtopo-surfaces-hydrographiques": {"renderer": single(fill("#9ecae1", "#3182bd", 0.15))},
        "bdtopo-cours-d-eau": {"fields": ["toponyme:string"], "renderer": single(line("#2171b5", 0.6)),
                               "labels": labels("toponyme", 7.5, "#2171b5", italic=True, max_scale_denominator=50000)},
        "bdtopo-vegetation": {"renderer": single(fill("#c7e9c0", "#a1d99b", 0.05, 0.7))},
        "bdtopo-haies": {"renderer": single(line("#31a354", 0.5))},
        "bdtopo-lignes-electriques": {"renderer": single(line("#cb181d", 0.3, "dash"))},
        "bdtopo-zones-habitation": {"fields": ["toponyme:string"], "renderer": single(fill("#fdd0a2", "#e6550d", 0.2,
                                                                                           0.4)),
                                    "labels": labels("toponyme", 7.5, "#8c2d04", max_scale_denominator=50000)},
        "bdtopo-cimetieres": {"renderer": single(fill("#d9d9d9", "#636363", 0.2))},
        "bdtopo-terrains-de-sport": {"renderer": single(fill("#c7e9c0", "#41ab5d", 0.2))},
        "bdtopo-forets-publiques": {"fields": ["toponyme:string"], "renderer": single(outline("#006d2c", 0.6, "dash")),
                                    "labels": labels("toponyme", 8, "#006d2c", italic=True,
                                                     max_scale_denominator=100000)},
        "bdtopo-parcs-reserves": {"renderer": single(fill("#a1d99b", "#238b45", 0.4, 0.35))},
        "bdtopo-equipements-transport": {"renderer": single(fill("#dadaeb", "#756bb1", 0.15))},
        "bdtopo-aerodromes": {"renderer": single(fill("#f0f0f0", "#525252", 0.3))},
        "bdtopo-constructions-surfaciques": {"renderer": single(fill("#bdbdbd", "#737373", 0.1))},
        "bdtopo-reservoirs": {"renderer": single(fill("#c6dbef", "#6baed6", 0.15))},
        "bdtopo-pylones": {"renderer": single(point("#636363", 1.2, "triangle"))},
        "bdtopo-toponymie": {"fields": ["graphie_du_toponyme:string"], "renderer": single(point("#252525", 1.0)),
                             "labels": labels("graphie_du_toponyme", 7.5, "#252525", italic=True,
                                              max_scale_denominator=25000)},
        # protected areas: a transparent fill, each family its colour
        "natura2000-habitats": {"renderer": protected("#41ab5d", "#006d2c")},
        "natura2000-oiseaux": {"renderer": protected("#4292c6", "#08519c")},
        "znieff-type-1": {"renderer": protected("#fd8d3c", "#d94701")},
        "znieff-type-2": {"renderer": protected("#fdd0a2", "#f16913")},
        "parcs-naturels-regionaux": {"renderer": single(outline("#54278f", 0.8))},
        "parcs-nationaux": {"renderer": protected("#00441b", "#00441b")},
        "reserves-naturelles-nationales": {"renderer": protected("#e7298a", "#980043")},
        "reserves-naturelles-regionales": {"renderer": protected("#df65b0", "#ce1256")},
        "reserves-naturelles-corse": {"renderer": protected("#c994c7", "#91003f")},
        "arretes-protection-biotope": {"renderer": protected("#d8b365", "#8c510a")},
        "conservatoire-du-littoral": {"renderer": protected("#6baed6", "#2171b5")},
        "rpg-parcelles": {"renderer": single(fill("#fee391", "#cc4c02", 0.1, 0.6))},
        # urbanisme
        "gpu-zonage": {"fields": ["typezone:string", "libelle:string"], "renderer": zoning(),
                       "labels": labels("libelle", 8, "#252525", max_scale_denominator=25000)},
        "gpu-prescriptions-surfaciques": {"renderer": single(fill("#cab2d6", "#6a3d9a", 0.3, 0.3))},
        "gpu-prescriptions-lineaires": {"renderer": single(line("#6a3d9a", 0.6))},
        "gpu-prescriptions-ponctuelles": {"renderer": single(point("#6a3d9a", 1.6, "diamond"))},
        "gpu-informations-surfaciques": {"renderer": single(outline("#1f78b4", 0.4, "dash"))},
        "gpu-documents": {"renderer": single(outline("#000000", 0.8, "dash"))},
        "gpu-servitudes-surfaciques": {"renderer": single(fill("#b15928", "#b15928", 0.3, 0.2))},
        # statistique
        "filosofi-carreaux-200m": {"fields": ["ind:double"], "renderer": graduated(
            "ind", [0, 10, 50, 100, 250, 1e12], ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"])},
        "bpe-equipements": {"renderer": single(point("#d95f02", 1.4))},
        # risques
        "georisques-cavites": {"renderer": single(point("#8c510a", 1.6, "triangle"))},
        "georisques-mouvements-terrain": {"renderer": single(point("#b2182b", 1.6, "diamond"))},
        "georisques-catnat": {"fields": ["code_insee:string", "libelle_commune:string", "libelle_risque_jo:string",
                                         "date_debut_evt:string", "date_publication_jo:string"],
                              "aliases": {"code_insee": "Code INSEE", "libelle_commune": "Commune",
                                          "libelle_risque_jo": "Risque", "date_debut_evt": "Début de l'événement",
                                          "date_publication_jo": "Publication au JO"}},
        "georisques-zonage-sismique": {"fields": ["code_insee:string", "libelle_commune:string", "code_zone:string",
                                                  "zone_sismicite:string"],
                                       "aliases": {"code_insee": "Code INSEE", "libelle_commune": "Commune",
                                                   "code_zone": "Zone", "zone_sismicite": "Sismicité"}},
        # mobilité
        "gtfs-arrets": {"fields": ["stop_name:string"], "renderer": single(point("#e7298a", 1.6)),
                        "labels": labels("stop_name", 7.5, "#980043", max_scale_denominator=10000)},
        "gtfs-lignes": {"fields": ["reseau:string", "route_short_name:string", "route_long_name:string"],
                        "aliases": {"reseau": "Réseau", "route_short_name": "Ligne", "route_long_name": "Nom"}},
        "gtfs-traces": {"renderer": single(line("#e7298a", 0.8))},
    }


def memory_layer(dataset_id: str, geometry_type: str, fields: list[str]) -> QgsVectorLayer:
    uri = f"{MEMORY_GEOMETRY[geometry_type]}?crs=EPSG:2154" + "".join(f"&field={f}" for f in fields)
    layer = QgsVectorLayer(uri, dataset_id, "memory")
    if not layer.isValid():
        raise RuntimeError(f"couche mémoire invalide pour {dataset_id} : {uri}")
    return layer


def write_style(dataset, recipe: dict) -> Path:
    layer = memory_layer(dataset.id, dataset.geometry_type, recipe.get("fields", []))
    categories = QgsMapLayer.StyleCategory.Rendering
    if "renderer" in recipe:
        layer.setRenderer(recipe["renderer"])
        categories |= QgsMapLayer.StyleCategory.Symbology
    if "labels" in recipe:
        layer.setLabeling(recipe["labels"])
        layer.setLabelsEnabled(True)
        categories |= QgsMapLayer.StyleCategory.Labeling
    for name, alias in recipe.get("aliases", {}).items():
        layer.setFieldAlias(layer.fields().indexOf(name), alias)
        categories |= QgsMapLayer.StyleCategory.Fields
    path = default_style_path(dataset.theme, dataset.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    message, ok = layer.saveNamedStyle(str(path), categories)
    if not ok:
        raise RuntimeError(f"{dataset.id} : style non enregistré ({message})")
    return path


def main(argv: list[str]) -> int:
    check = "--check" in argv
    app = QgsApplication([], False)
    app.initQgis()
    try:
        document = builtin_catalog()
        if document.refusals:
            print("\n".join(str(r) for r in document.refusals), file=sys.stderr)
            return 1
        table = recipes()
        vector = [d for d in document.datasets if not d.is_view_only]
        missing = [d.id for d in vector if d.id not in table]
        if missing:
            print(f"pas de recette de style pour : {', '.join(missing)}", file=sys.stderr)
            return 1
        if check:
            absent = [d.id for d in vector if not default_style_path(d.theme, d.id).is_file()]
            print("\n".join(f"style manquant : {i}" for i in absent) or f"{len(vector)} styles présents")
            return 1 if absent else 0
        for dataset in vector:
            print(write_style(dataset, table[dataset.id]).relative_to(ROOT))
        return 0
    finally:
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
