"""Territory contours: commune polygons repaired, dissolved per territory, buffered in the legal CRS."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeedback,
    QgsGeometry,
    QgsProject,
)

from ..__about__ import __version__
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.text import comma_list
from .contour_sources import ApiGeoSource, CommunePolygons, ContourError, LocalFileSource, WfsAdminExpressSource
from .index import TerritoryIndex, latest_vintage
from .legal_crs import MixedCrsZonesError, group_by_zone, legal_crs
from .model import COMMUNE_KINDS, Territory, TerritoryKind, parse_references
from .vintages import CogHistory

#: segments per quarter circle of a buffer: smooth at 1 km without bloating the polygon
BUFFER_SEGMENTS = 8


@dataclass
class Boundary:
    """One output contour and the facts the `territory_boundary` algorithm writes with it."""

    type: str  # territory kind value (commune, epci…), or "union"
    code: str
    name: str
    vintage: int
    commune_codes: tuple[str, ...]
    population: int | None
    source: str
    geometry: QgsGeometry


@dataclass
class BoundarySet:
    boundaries: list[Boundary]
    crs: QgsCoordinateReferenceSystem
    warnings: list[str] = field(default_factory=list)
    repaired: int = 0  # invalid commune polygons made valid
    dropped: int = 0  # polygons empty after repair


SOURCE_KEYS = ("local", "wfs", "api_geo")


def default_sources(settings=None) -> list:
    """The contour sources of the settings, in their order (`local` only when a file is set)."""
    from ..toolbelt.settings import current

    settings = settings or current()
    keys = comma_list(settings.contour_sources)
    unknown = [key for key in keys if key not in SOURCE_KEYS]
    if unknown or not keys:
        raise ContourError(tr("Ordre des sources de contours « {value} » invalide : utilisez une liste parmi "
                              "{keys}, séparée par des virgules.").format(value=settings.contour_sources,
                                                                          keys=", ".join(SOURCE_KEYS)))
    sources = []
    for key in keys:
        if key == "local" and settings.contours_path:
            sources.append(LocalFileSource(settings.contours_path))
        elif key == "wfs":
            sources.append(WfsAdminExpressSource(settings))
        elif key == "api_geo":
            sources.append(ApiGeoSource(settings))
    return sources


def _resolve(index: TerritoryIndex, references) -> list[Territory]:
    if isinstance(references, str):
        references = parse_references(references)
    territories: list[Territory] = []
    for reference in references:
        territory = index.get(reference)
        if territory not in territories:
            territories.append(territory)
    if not territories:
        raise ContourError(tr("Aucun territoire indiqué : donnez par exemple commune:33063 ou epci:243300316."))
    return territories


def _members(index: TerritoryIndex, territory: Territory) -> tuple[TerritoryKind, tuple[str, ...]]:
    """The polygons that make a territory: itself for a commune-like one, else its communes."""
    if territory.kind in COMMUNE_KINDS:
        return territory.kind, (territory.code,)
    return TerritoryKind.COMMUNE, tuple(index.commune_codes(territory))


def _departements(index: TerritoryIndex, territory: Territory) -> list[str]:
    if territory.kind is TerritoryKind.FRANCE:
        return sorted({t.departement for t in index.all(TerritoryKind.COMMUNE) if t.departement})
    if territory.departement:
        return [territory.departement]
    return [d.code for d in index.departements(territory)]


def _repair(geometry: QgsGeometry, counts: dict) -> QgsGeometry | None:
    if geometry.isNull() or geometry.isEmpty():
        counts["dropped"] += 1
        return None
    if not geometry.isGeosValid():
        geometry = geometry.makeValid()
        counts["repaired"] += 1
        if geometry.isNull() or geometry.isEmpty():
            counts["dropped"] += 1
            return None
    return geometry


def _transform(geometry: QgsGeometry, transform: QgsCoordinateTransform, territory: Territory) -> None:
    if geometry.transform(transform) != Qgis.GeometryOperationResult.Success:
        raise ContourError(tr("Impossible de reprojeter le contour de {territory} de {source} vers {target} : "
                              "vérifiez les grilles de transformation installées (Préférences › Options › "
                              "Transformations).").format(territory=territory.label,
                                                          source=transform.sourceCrs().authid(),
                                                          target=transform.destinationCrs().authid()))


def _polygons_from_sources(sources, codes_by_kind: dict, vintage: int, history: CogHistory,
                           feedback: QgsFeedback | None) -> dict[TerritoryKind, CommunePolygons]:
    """The first source able to give every polygon asked for; each failure is kept for the message."""
    failures = []
    for source in sources:
        try:
            return {kind: source.polygons(set(codes), kind, vintage, history, feedback)
                    for kind, codes in codes_by_kind.items()}
        except ContourError as error:
            failures.append(f"{source.label} : {error}")
        except Exception as error:  # noqa: BLE001 - a network failure moves on to the next source
            from ..fetch import FetchError

            if not isinstance(error, FetchError):
                raise
            failures.append(f"{source.label} : {error}")
        if feedback is not None and feedback.isCanceled():
            break
    raise ContourError(tr("Aucune source de contours n'a pu fournir les communes demandées. {details}").format(
        details=" ".join(failures)))


class BoundaryCache:
    """Contours already computed, on disk: the same request from the same sources is answered at once.

    The key holds everything the result depends on — sources (a local file by path, size and
    modification time; a network source by mirror and ISO week), vintage, territories, buffer,
    dissolve, CRS, simplification, plugin version — so an entry is never stale, only unused.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def from_settings(cls, settings=None) -> BoundaryCache:
        from ..toolbelt.settings import current

        return cls((settings or current()).cache_path() / "contours")

    def key(self, parts: dict) -> str:
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def get(self, key: str) -> BoundarySet | None:
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        boundaries = []
        for item in data["boundaries"]:
            geometry = QgsGeometry()
            geometry.fromWkb(bytes.fromhex(item.pop("wkb")))
            boundaries.append(Boundary(**{**item, "commune_codes": tuple(item["commune_codes"])}, geometry=geometry))
        crs = (QgsCoordinateReferenceSystem(data["authid"]) if data.get("authid")
               else QgsCoordinateReferenceSystem.fromWkt(data["crs"]))
        return BoundarySet(boundaries, crs, data["warnings"], data["repaired"], data["dropped"])

    def put(self, key: str, result: BoundarySet) -> None:
        data = {"crs": result.crs.toWkt(), "authid": result.crs.authid(), "warnings": result.warnings,
                "repaired": result.repaired, "dropped": result.dropped,
                "boundaries": [{**{f: getattr(b, f) for f in ("type", "code", "name", "vintage", "population",
                                                               "source")},
                                "commune_codes": list(b.commune_codes), "wkb": bytes(b.geometry.asWkb()).hex()}
                               for b in result.boundaries]}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(tmp, self.folder / f"{key}.json")
        except OSError as error:  # a read-only or full cache must not stop the work
            log.warning(tr("Contour non mis en cache ({error}).").format(error=error))


def build_boundaries(references, vintage: int | None = None, *, buffer_m: float = 0.0, dissolve: bool = False,
                     crs: QgsCoordinateReferenceSystem | str | None = None, simplify_m: float = 0.0,
                     sources: Iterable | None = None, transform_context: QgsCoordinateTransformContext | None = None,
                     feedback: QgsFeedback | None = None, cache: BoundaryCache | None = None) -> BoundarySet:
    """Contours of territories (`commune:33063,epci:243300316` or parsed references) of a COG vintage.

    Each territory is the union of its communes' repaired polygons (a commune-like territory is
    its own polygon), buffered by `buffer_m` metres and simplified by `simplify_m` metres in the
    legal CRS of its zone, then expressed in `crs` (default: the legal CRS; a selection across
    zones must name one). With `dissolve`, one feature: the union of all territories. Results
    are kept in the cache (default: the settings' cache folder).
    """
    vintage = latest_vintage() if vintage is None else int(vintage)
    sources = list(sources) if sources is not None else default_sources()
    if isinstance(crs, QgsCoordinateReferenceSystem):
        crs = crs.authid() or crs.toWkt()
    items = parse_references(references) if isinstance(references, str) else list(references)
    refs = [r.reference if isinstance(r, Territory) else str(r) for r in items]
    cache = cache or BoundaryCache.from_settings()
    key = cache.key({"version": __version__, "sources": [source.identity() for source in sources],
                     "vintage": vintage, "territories": refs, "buffer": buffer_m, "dissolve": dissolve,
                     "crs": crs or "", "simplify": simplify_m})
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _build(items, vintage, buffer_m, dissolve, crs, simplify_m, sources, transform_context, feedback)
    if not (feedback is not None and feedback.isCanceled()):
        cache.put(key, result)
    return result


def _build(references, vintage, buffer_m, dissolve, crs, simplify_m, sources, transform_context,
           feedback) -> BoundarySet:
    index = TerritoryIndex.load(vintage)
    history = CogHistory.load()
    territories = _resolve(index, references)
    context = transform_context or QgsProject.instance().transformContext()

    departements = {t.reference: _departements(index, t) for t in territories}
    if crs:
        output_crs = QgsCoordinateReferenceSystem(crs) if isinstance(crs, str) else crs
        if not output_crs.isValid():
            raise ContourError(tr("Système de coordonnées « {crs} » inconnu : indiquez un code comme "
                                  "EPSG:2154.").format(crs=crs))
    else:
        try:
            zone = legal_crs(code for codes in departements.values() for code in codes)
        except MixedCrsZonesError as error:
            raise ContourError(str(error)) from error
        output_crs = QgsCoordinateReferenceSystem(zone.authid)

    members = {t.reference: _members(index, t) for t in territories}
    codes_by_kind: dict[TerritoryKind, set] = {}
    for kind, codes in members.values():
        codes_by_kind.setdefault(kind, set()).update(codes)
    polygons = {}
    for kind, codes in codes_by_kind.items():
        try:
            polygons.update(_polygons_from_sources(sources, {kind: codes}, vintage, history, feedback))
        except ContourError as error:
            if kind not in (TerritoryKind.COMMUNE_DELEGUEE, TerritoryKind.COMMUNE_ASSOCIEE):
                raise
            # a merged commune: say which commune it belongs to now, that is what the user wants
            merged = [t for t in territories if t.kind is kind]
            raise ContourError(tr("{territories} : commune(s) fusionnée(s), devenue(s) déléguée(s) ou associée(s) "
                                  "dans le COG {vintage} ; aucune source n'a leur contour propre (il faut la couche "
                                  "commune_associee_ou_deleguee d'ADMIN EXPRESS). Pour la commune actuelle, utilisez "
                                  "{successors}. ({details})").format(
                                      territories=", ".join(f"{t.name} ({t.code})" for t in merged), vintage=vintage,
                                      successors=", ".join(f"commune:{t.parent} {index.commune_name(t.parent)}"
                                                           for t in merged),
                                      details=error)) from error

    counts = {"repaired": 0, "dropped": 0}
    boundaries = []
    warnings = [w for found in polygons.values() for w in found.warnings]
    for territory in territories:
        if feedback is not None and feedback.isCanceled():
            break
        kind, codes = members[territory.reference]
        found = polygons[kind]
        # the legal CRS of the territory's own zone: buffers and simplification are in metres there
        zones = group_by_zone(departements[territory.reference])
        local_crs = QgsCoordinateReferenceSystem(next(iter(zones)).authid if len(zones) == 1 else output_crs.authid())
        to_local = QgsCoordinateTransform(found.crs, local_crs, context)
        parts = []
        used_shared = set()
        for code in codes:
            geometry = found.geometries.get(code)
            if geometry is None:
                group = next((g for g in found.shared if code in g), None)
                if group is None or group in used_shared:
                    continue
                if not group <= set(codes):
                    raise ContourError(tr(
                        "Le contour de {territory} demande la commune {code}, qui ne forme qu'un polygone avec "
                        "{others} dans le fichier de contours (commune rétablie depuis) : utilisez un fichier "
                        "ADMIN EXPRESS du COG {vintage} ou une source réseau.").format(
                            territory=territory.label, code=code, others=", ".join(sorted(group - {code})),
                            vintage=vintage))
                used_shared.add(group)
                geometry = found.shared[group]
            geometry = _repair(QgsGeometry(geometry), counts)
            if geometry is None:
                continue
            _transform(geometry, to_local, territory)
            parts.append(geometry)
        if not parts:
            raise ContourError(tr("Aucun polygone valide pour {territory} : vérifiez la source de contours.").format(
                territory=territory.label))
        shape = QgsGeometry.unaryUnion(parts) if len(parts) > 1 else parts[0]
        if buffer_m:
            shape = shape.buffer(buffer_m, BUFFER_SEGMENTS)
        if simplify_m:
            shape = _repair(shape.simplify(simplify_m), counts) or shape
        _transform(shape, QgsCoordinateTransform(local_crs, output_crs, context), territory)
        population = territory.population
        if population is None and kind is TerritoryKind.COMMUNE and len(codes) > 1:
            population = sum(index.find("commune", c).population or 0 for c in codes)
        boundaries.append(Boundary(territory.kind.value, territory.code, territory.name, vintage, tuple(codes),
                                   population, found.source, shape))

    if dissolve and len(boundaries) > 1:
        union = QgsGeometry.unaryUnion([b.geometry for b in boundaries])
        all_codes = tuple(dict.fromkeys(c for b in boundaries for c in b.commune_codes))
        # from the distinct communes: an EPCI and one of its communes must not count twice
        communes = [index.find("commune", code) for code in all_codes]
        population = None if None in communes else sum(c.population or 0 for c in communes)
        boundaries = [Boundary("union", ",".join(t.reference for t in territories),
                               " + ".join(b.name for b in boundaries), vintage, all_codes, population,
                               boundaries[0].source, union)]
    return BoundarySet(boundaries, output_crs, warnings, counts["repaired"], counts["dropped"])

