"""Where commune polygons come from: a local ADMIN EXPRESS (or any commune) layer, or API Geo.

Every source answers the same question — the polygons of these communes of this COG vintage —
so that the contour of any territory is built the same way: repaired, dissolved, buffered.
"""

from __future__ import annotations

import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeedback,
    QgsGeometry,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)

from .. import compat
from ..toolbelt.i18n import tr
from ..toolbelt.services import service_url
from ..toolbelt.settings import current as current_settings
from .index import TerritoryIndex
from .model import TerritoryKind, normalize_commune_code
from .vintages import CogHistory, ConversionStatus

#: INSEE code field names, most specific first: ADMIN EXPRESS since 2025 (code_insee), before
#: (INSEE_COM), and the names other commune layers use
CODE_FIELDS = ("code_insee", "insee_com", "code_com", "codgeo", "code_commune", "codecommune", "insee",
               "code", "com", "depcom")
NAME_FIELDS = ("nom_officiel", "nom_com", "nom_commune", "libgeo", "nom", "name", "libelle")
#: ADMIN EXPRESS layer name of each commune-like kind
LAYER_PATTERNS = {
    TerritoryKind.COMMUNE: re.compile(r"^(commune|communes|com|commune_carto)$"),
    TerritoryKind.ARRONDISSEMENT_MUNICIPAL: re.compile(r"^arrondissement[s]?_municipa(l|ux)$"),
    TerritoryKind.COMMUNE_DELEGUEE: re.compile(r"^commune_associee_ou_deleguee$"),
    TerritoryKind.COMMUNE_ASSOCIEE: re.compile(r"^commune_associee_ou_deleguee$"),
}


class ContourError(ValueError):
    """A contour cannot be built; the French message names the territory or file and what to do."""


@dataclass
class CommunePolygons:
    """Polygons of commune codes of the target vintage, in `crs`, as a source delivered them."""

    geometries: dict[str, QgsGeometry]
    crs: QgsCoordinateReferenceSystem
    source: str  # French label for the `source` field and the metadata
    #: codes of the target vintage that the source cannot give separately (split since its vintage),
    #: with the polygon covering all of them: usable only when all of them are wanted together
    shared: dict[frozenset, QgsGeometry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# -- a local layer ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LocalLayer:
    """One commune-like layer inside a local file, with the fields that matter."""

    uri: str
    name: str
    code_field: str
    name_field: str | None


def _vector_sublayers(path: str) -> list[tuple[str, str]]:
    """(layer name, uri) of the polygon layers of a file (GeoPackage, Shapefile, GeoJSON…)."""
    metadata = QgsProviderRegistry.instance().providerMetadata("ogr")
    found = []
    for sublayer in metadata.querySublayers(path):
        geometry = QgsWkbTypes.geometryType(sublayer.wkbType())
        if geometry in (compat.GEOMETRY_POLYGON, compat.GEOMETRY_UNKNOWN):
            found.append((sublayer.name(), sublayer.uri()))
    return found


def _pick_field(names: Iterable[str], candidates: tuple[str, ...]) -> str | None:
    by_folded = {_fold(name): name for name in names}
    for candidate in candidates:
        if candidate in by_folded:
            return by_folded[candidate]
    return None


def find_layers(path: str | os.PathLike) -> dict[TerritoryKind, LocalLayer]:
    """The commune (and, when present, arrondissement and déléguée) layers of a contours file.

    An ADMIN EXPRESS GeoPackage or Shapefile folder holds several layers: they are told apart by
    name. Any other file needs one polygon layer with an INSEE code field (code_insee, INSEE_COM,
    insee_com, code, codgeo…).
    """
    path = str(path)
    if not Path(path).exists():
        raise ContourError(tr("Le fichier de contours {path} est introuvable : corrigez le chemin dans les "
                              "options de l'extension (Contours locaux) ou la variable "
                              "DONNEES_TERRITOIRES_CONTOURS.").format(path=path))
    candidates = []
    for name, uri in _vector_sublayers(path):
        layer = QgsVectorLayer(uri, name, "ogr")
        if not layer.isValid():
            continue
        fields = [f.name() for f in layer.fields()]
        code_field = _pick_field(fields, CODE_FIELDS)
        if code_field:
            candidates.append(LocalLayer(uri, name, code_field, _pick_field(fields, NAME_FIELDS)))
    layers: dict[TerritoryKind, LocalLayer] = {}
    for kind, pattern in LAYER_PATTERNS.items():
        match = next((c for c in candidates if pattern.match(_fold(c.name))), None)
        if match:
            layers[kind] = match
    if TerritoryKind.COMMUNE not in layers:
        others = [c for c in candidates if c not in layers.values()]
        if len(others) == 1:
            layers[TerritoryKind.COMMUNE] = others[0]
        elif others:
            # several unnamed layers: the one whose name says « commune » (a file of the user's)
            named = [c for c in others if "commune" in _fold(c.name)]
            layers[TerritoryKind.COMMUNE] = (named or others)[0]
    if TerritoryKind.COMMUNE not in layers:
        raise ContourError(tr("Aucune couche de communes dans {path} : il faut une couche de polygones avec un "
                              "champ de code INSEE ({fields}).").format(path=path, fields=", ".join(CODE_FIELDS[:5])))
    return layers


class LocalFileSource:
    """Commune polygons from a local file, whatever its COG vintage (codes converted)."""

    _mappings: dict[tuple, tuple[int | None, dict]] = {}
    _lock = threading.Lock()

    _layers: dict[tuple, dict] = {}

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        key = (self.path, *self._state())
        if key not in self._layers:  # opening every layer of a big GeoPackage is not free
            self._layers[key] = find_layers(self.path)
        self.layers = self._layers[key]

    def _state(self) -> tuple:
        try:
            stat = os.stat(self.path)
        except OSError:
            return (None, None)
        return (stat.st_size, stat.st_mtime_ns)

    @property
    def label(self) -> str:
        return tr("fichier local {name}").format(name=Path(self.path).name)

    def identity(self) -> list:
        """What the polygons depend on, for the contour cache: the file as it is now."""
        return ["local", os.path.abspath(self.path), *self._state()]

    def _mapping(self, kind: TerritoryKind, target_vintage: int, history: CogHistory):
        """(the file's COG as French text, {target code: [(fid, status, all target codes)]}), cached per
        file, modification time, layer and target vintage."""
        layer_info = self.layers[kind]
        key = (self.path, os.path.getmtime(self.path), layer_info.uri, target_vintage)
        with self._lock:
            if key in self._mappings:
                return self._mappings[key]
        layer = QgsVectorLayer(layer_info.uri, layer_info.name, "ogr")
        index = layer.fields().lookupField(layer_info.code_field)
        request = QgsFeatureRequest().setFlags(compat.REQUEST_NO_GEOMETRY).setSubsetOfAttributes([index])
        rows = [(f.id(), normalize_commune_code(f[index])) for f in layer.getFeatures(request)]
        detection = history.detect_vintage(code for _, code in rows)
        detected = detection.vintage
        older = detected == history.vintages[0] and any(
            score.unmatched for score in detection.scores if score.vintage == detected)
        # codes older than the first shipped vintage are read through their history (former codes)
        vintage_text = (tr("antérieur à {first}").format(first=detected) if older
                        else str(detected) if detected else "?")
        conversions = history.convert_many((code for _, code in rows), target=target_vintage, source=detected)
        by_target: dict[str, list] = {}
        for fid, code in rows:
            conversion = conversions[code]
            if conversion.status is ConversionStatus.INCONNU:
                continue
            for target in conversion.codes:
                by_target.setdefault(target, []).append((fid, conversion.status, frozenset(conversion.codes)))
        result = (vintage_text, by_target)
        with self._lock:
            self._mappings[key] = result
        return result

    def polygons(self, codes: set[str], kind: TerritoryKind, vintage: int, history: CogHistory,
                 feedback: QgsFeedback | None = None) -> CommunePolygons:
        if kind not in self.layers:
            raise ContourError(tr("Le fichier de contours {path} n'a pas de couche « {kind} » : utilisez un "
                                  "ADMIN EXPRESS complet ou une autre source de contours.").format(
                                      path=self.path, kind=kind.label))
        layer_info = self.layers[kind]
        file_vintage, by_target = self._mapping(kind, vintage, history)
        layer = QgsVectorLayer(layer_info.uri, layer_info.name, "ogr")
        wanted_fids: dict[int, set[str]] = {}
        shared_groups: dict[int, frozenset] = {}
        missing = []
        for code in sorted(codes):
            entries = by_target.get(code)
            if not entries:
                missing.append(code)
                continue
            for fid, status, targets in entries:
                wanted_fids.setdefault(fid, set()).add(code)
                if status is ConversionStatus.AMBIGU:
                    shared_groups[fid] = targets
        if missing:
            index = TerritoryIndex.load(vintage)
            listed = ", ".join(f"{c} {index.commune_name(c) or ''}".strip() for c in missing[:10])
            more = "…" if len(missing) > 10 else ""
            raise ContourError(tr("Le fichier de contours {path} (COG {file_vintage}) n'a pas de polygone pour "
                                  "{count} commune(s) du COG {vintage} : {listed}{more}. Utilisez un fichier "
                                  "ADMIN EXPRESS plus récent, ou une source réseau.").format(
                                      path=self.path, file_vintage=file_vintage, count=len(missing),
                                      vintage=vintage,
                                      listed=listed, more=more))
        request = QgsFeatureRequest().setFilterFids(list(wanted_fids))
        pieces: dict[str, list[QgsGeometry]] = {}
        shared: dict[frozenset, QgsGeometry] = {}
        for feature in layer.getFeatures(request):
            if feedback is not None and feedback.isCanceled():
                break
            geometry = QgsGeometry(feature.geometry())
            group = shared_groups.get(feature.id())
            if group is not None:
                shared[group] = geometry
                continue
            for code in wanted_fids[feature.id()]:
                pieces.setdefault(code, []).append(geometry)
        geometries = {code: parts[0] if len(parts) == 1 else QgsGeometry.collectGeometry(parts)
                      for code, parts in pieces.items()}
        warnings = []
        if file_vintage != str(vintage):
            warnings.append(tr("Contours lus dans {path} (COG {file_vintage} détecté) et rapportés au COG "
                               "{vintage} : les communes fusionnées depuis sont réunies.").format(
                                   path=Path(self.path).name, file_vintage=file_vintage, vintage=vintage))
        return CommunePolygons(geometries, layer.crs(), self.label, shared, warnings)


# -- Géoplateforme WFS (ADMIN EXPRESS COG, full precision) ------------------------------------------
WFS_LAYERS = {
    TerritoryKind.COMMUNE: "ADMINEXPRESS-COG.LATEST:commune",
    TerritoryKind.ARRONDISSEMENT_MUNICIPAL: "ADMINEXPRESS-COG.LATEST:arrondissement_municipal",
    TerritoryKind.COMMUNE_DELEGUEE: "ADMINEXPRESS-COG.LATEST:commune_associee_ou_deleguee",
    TerritoryKind.COMMUNE_ASSOCIEE: "ADMINEXPRESS-COG.LATEST:commune_associee_ou_deleguee",
}


def _require_field(layer, name: str, source: str) -> None:
    """ContourError (the next contour source is tried) when the answer lacks the code field it must have."""
    if layer.fields().lookupField(name) < 0:
        raise ContourError(tr("{source} a répondu sans champ « {field} » (champs : {fields}) : le service a peut-être "
                              "changé.").format(source=source, field=name,
                                                fields=", ".join(layer.fields().names()[:12]) or "—"))


def _changed_since(codes: set[str], vintage: int, history: CogHistory) -> list[str]:
    """Codes of `vintage` that are not the same commune in the latest COG (network sources know only that one)."""
    return [code for code in sorted(codes)
            if history.convert(code, target=history.latest, source=vintage).codes != (code,)]


class WfsAdminExpressSource:
    """Commune polygons from the Géoplateforme WFS layer ADMINEXPRESS-COG.LATEST: full precision, latest COG."""

    def __init__(self, settings=None):
        self.settings = settings

    @property
    def label(self) -> str:
        return tr("ADMIN EXPRESS COG (WFS Géoplateforme), pleine précision")

    def identity(self) -> list:
        mirror = self.settings.mirror_url if self.settings is not None else current_settings().mirror_url
        return ["wfs_admin_express", mirror, time.strftime("%G-%V")]

    def polygons(self, codes: set[str], kind: TerritoryKind, vintage: int, history: CogHistory,
                 feedback: QgsFeedback | None = None) -> CommunePolygons:
        import tempfile

        from ..fetch.wfs import WfsQuery, get_features

        changed = _changed_since(codes, vintage, history)
        if changed:
            raise ContourError(tr("Le WFS ADMIN EXPRESS COG suit le COG {latest} ; ces communes du COG {vintage} ont "
                                  "changé depuis : {codes}. Pour ce millésime, indiquez un fichier ADMIN EXPRESS "
                                  "COG {vintage} dans les options (Contours locaux).").format(
                                      latest=history.latest, vintage=vintage, codes=", ".join(changed[:10])))
        query = WfsQuery(WFS_LAYERS[kind], service_url("geoplateforme_wfs"), srsname="EPSG:4326",
                         sort_by="code_insee", property_name="code_insee", property_values=tuple(sorted(codes)))
        with tempfile.TemporaryDirectory(prefix="dt-contours-") as folder:
            result = get_features(query, Path(folder) / "communes.geojson", settings=self.settings,
                                  feedback=feedback)
            layer = result.open_layer("admin-express")
            _require_field(layer, "code_insee", self.label)
            geometries = {normalize_commune_code(f["code_insee"]): QgsGeometry(f.geometry())
                          for f in layer.getFeatures()}
            crs = layer.crs() if layer.crs().isValid() else QgsCoordinateReferenceSystem("EPSG:4326")
        missing = sorted(codes - geometries.keys())
        if missing and not (feedback is not None and feedback.isCanceled()):
            raise ContourError(tr("Le WFS ADMIN EXPRESS n'a pas renvoyé le contour de : {codes}.").format(
                codes=", ".join(missing[:20])))
        return CommunePolygons(geometries, crs, self.label)


# -- API Geo ---------------------------------------------------------------------------------------
#: above this many communes of one département, one request for the whole département is cheaper
PER_DEPARTEMENT_THRESHOLD = 15


class ApiGeoSource:
    """Commune polygons from API Geo (geo.api.gouv.fr): current COG only, simplified at about 5 m."""

    def __init__(self, settings=None):
        self.settings = settings

    @property
    def label(self) -> str:
        return tr("API Geo (geo.api.gouv.fr), contours simplifiés à environ 5 m")

    def identity(self) -> list:
        """For the contour cache: API Geo changes with the COG, a week-old contour is still right."""
        mirror = self.settings.mirror_url if self.settings is not None else current_settings().mirror_url
        return ["api_geo", mirror, time.strftime("%G-%V")]

    def _features(self, url: str, feedback) -> list:
        from ..fetch import fetch, open_layer

        result = fetch(url, settings=self.settings, feedback=feedback)
        layer = open_layer(result.path, "api-geo")
        _require_field(layer, "code", self.label)
        return [(normalize_commune_code(f["code"]), QgsGeometry(f.geometry())) for f in layer.getFeatures()]

    def polygons(self, codes: set[str], kind: TerritoryKind, vintage: int, history: CogHistory,
                 feedback: QgsFeedback | None = None) -> CommunePolygons:
        latest = history.latest
        changed = _changed_since(codes, vintage, history)
        if changed:
            raise ContourError(tr("API Geo ne connaît que le COG {latest} ; ces communes du COG {vintage} ont changé "
                                  "depuis : {codes}. Pour ce millésime, indiquez un fichier ADMIN EXPRESS COG "
                                  "{vintage} dans les options (Contours locaux).").format(
                                      latest=latest, vintage=vintage, codes=", ".join(changed[:10])))
        type_param = "&type=arrondissement-municipal" if kind is TerritoryKind.ARRONDISSEMENT_MUNICIPAL else ""
        by_departement: dict[str, list[str]] = {}
        for code in codes:
            by_departement.setdefault(code[:3] if code.startswith("97") else code[:2], []).append(code)
        geometries: dict[str, QgsGeometry] = {}
        for departement, members in sorted(by_departement.items()):
            if len(members) > PER_DEPARTEMENT_THRESHOLD and kind is TerritoryKind.COMMUNE:
                url = f"{service_url('api_geo')}/departements/{departement}/communes?format=geojson&geometry=contour"
                for code, geometry in self._features(url, feedback):
                    if code in codes:
                        geometries[code] = geometry
            else:
                for code in sorted(members):
                    url = f"{service_url('api_geo')}/communes/{code}?format=geojson&geometry=contour{type_param}"
                    for found, geometry in self._features(url, feedback):
                        geometries[found] = geometry
            if feedback is not None and feedback.isCanceled():
                break
        missing = sorted(codes - geometries.keys())
        if missing and not (feedback is not None and feedback.isCanceled()):
            raise ContourError(tr("API Geo n'a pas renvoyé le contour de : {codes}.").format(codes=", ".join(missing)))
        return CommunePolygons(geometries, QgsCoordinateReferenceSystem("EPSG:4326"), self.label)
