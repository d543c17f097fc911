"""One request of a catalog dataset downloaded (a file, a data.gouv.fr resource, a WFS query) and opened as a layer.

A downloaded file is opened only when it is cut: a package found up to date never opens it.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from .. import compat
from ..toolbelt import log
from ..toolbelt.i18n import tr


@dataclass(frozen=True)
class DownloadedFile:
    """One downloaded file of a dataset, and the request (territory unit, codes) it answers."""

    request: object  # catalog.sources.SourceRequest
    path: Path
    url: str
    member: str | None = None  # the data file inside a zip archive

    def for_request(self, request) -> DownloadedFile:
        """The same file read for another territory's request (its own codes)."""
        return DownloadedFile(request, self.path, self.url, self.member)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "url": self.url, "member": self.member, "request": asdict(self.request)}

    @classmethod
    def from_dict(cls, data: dict) -> DownloadedFile:
        from ..catalog.sources import SourceRequest

        request = SourceRequest(**dict(data["request"], codes=tuple(data["request"]["codes"])))
        return cls(request, Path(data["path"]), data["url"], data["member"])


def download(request, dataset, settings, feedback) -> tuple[DownloadedFile | None, dict | None, str | None]:
    """(file, fetch record, warning) for one request; a missing per-commune file is a warning, not a failure."""
    from ..catalog.datagouv import ResourceNotFoundError, resolve_request
    from ..fetch import FetchError, HttpStatusError, fetch, list_data_files, sniff

    if request.kind == "wfs":
        return _download_wfs(request, dataset, settings, feedback)
    if request.kind == "gtfs":
        return _download_gtfs(request, dataset, settings, feedback)
    if request.kind == "json_api":
        return _download_json_api(request, dataset, settings, feedback)
    url = request.url
    try:
        if request.needs_resolution:
            url = resolve_request(request, dataset,
                                  lambda api: fetch(api, settings=settings, max_age_s=3600).json())["url"]
        result = fetch(url, settings=settings, feedback=feedback, allow_http=dataset.source.allow_http)
    except HttpStatusError as error:
        if error.status == 404 and request.unit.startswith("commune:"):
            return None, None, tr("« {dataset} » : pas de fichier pour {unit} ({url}).").format(
                dataset=dataset.id, unit=request.unit, url=url)
        raise QgsProcessingException(str(error)) from error
    except (FetchError, ResourceNotFoundError) as error:
        raise QgsProcessingException(str(error)) from error
    member = None
    # a pattern: the producer's member name changes with each edition. The same resource is read as a plain
    # file by some clients (QPV's GeoJSON): what arrived decides, not the catalog's guess
    if dataset.format.archive_member and sniff(result.path).kind == "zip":
        members = [m for m in list_data_files(result.path) if fnmatch.fnmatch(m, dataset.format.archive_member)]
        if not members:
            raise QgsProcessingException(tr("« {dataset} » : l'archive {url} ne contient aucun fichier « {pattern} » "
                                            "(contenu : {members}).").format(
                                                dataset=dataset.id, url=url, pattern=dataset.format.archive_member,
                                                members=", ".join(list_data_files(result.path)) or "—"))
        member = members[0]
    path = Path(result.path)
    if member is not None and PurePosixPath(member).suffix.lower() in RANDOM_ACCESS_SUFFIXES:
        path, member = _extracted(path, member, result.sha256, settings), None
    record = result.to_manifest()
    if urlsplit(url).scheme == "http":  # the catalog's own address: the mirror is the user's choice
        record["insecure"] = True
    return DownloadedFile(request, path, url, member), record, None


#: members of a zip that are read by random access (SQLite): extracted once rather than read through /vsizip/,
#: where every backward seek in a deflated member decompresses it again from its start
RANDOM_ACCESS_SUFFIXES = (".gpkg", ".sqlite")


def _extracted(archive: Path, member: str, sha256: str, settings) -> Path:
    """The zip member `member` of the cached `archive`, extracted beside the cache (once per edition: the
    archive's checksum names it; an older edition's copy of the same member is removed)."""
    import os
    import shutil
    import zipfile

    from ..fetch import DownloadCache

    folder = DownloadCache.from_settings(settings).root / "extraits"
    name = PurePosixPath(member).name
    target = folder / f"{sha256[:16]}-{name}"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    for older in folder.glob(f"*-{name}"):  # an older edition's copy (a live reader keeps its open file)
        older.unlink(missing_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        with zipfile.ZipFile(archive) as source, source.open(member) as stream, partial.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        partial.replace(target)
    except (OSError, zipfile.BadZipFile) as error:
        partial.unlink(missing_ok=True)
        raise QgsProcessingException(tr("Impossible d'extraire {member} de {archive} ({error}) : vérifiez l'espace "
                                        "libre du dossier de cache ({folder}).").format(
            member=member, archive=archive.name, error=error, folder=folder)) from error
    return target


def insecure_note(dataset, record: dict) -> str:
    """The warning a download over plain http gets (in the log, and the package's layer warnings); "" if none."""
    if not record.get("insecure"):
        return ""
    return tr("« {dataset} » : source en http non chiffré ({url}) ; les données pourraient être modifiées en "
              "chemin : préférez une adresse https dans le catalogue.").format(dataset=dataset.id,
                                                                           url=record.get("url", ""))


def _download_wfs(request, dataset, settings, feedback) -> tuple[DownloadedFile, dict, None]:
    """All pages of a WFS query, merged into one GeoJSON in the Processing temporary folder."""
    from ..fetch import FetchError
    from ..fetch.wfs import WfsQuery, get_features

    folder = Path(QgsProcessingUtils.tempFolder())
    target = folder / f"{dataset.id}-{hashlib.sha256(request.url.encode()).hexdigest()[:12]}.geojson"
    try:
        result = get_features(WfsQuery.from_url(request.url), target, settings=settings, feedback=feedback)
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    return DownloadedFile(request, Path(result.path), request.url), result.to_manifest(), None


def _download_gtfs(request, dataset, settings, feedback) -> tuple[DownloadedFile, dict, None]:
    """The GTFS feeds of the networks covering the territory (the national access point's API), each downloaded
    through the cache, and the catalog entry's layer of them (stops, routes or shapes) written into one GeoJSON
    in the Processing temporary folder — once for the territories of a run that get the same feeds."""
    from ..catalog.transport import NoFeedError, select_feeds
    from ..fetch import FetchError, fetch
    from ..fetch.gtfs import write_layer

    api = request.url.split("#", 1)[0]
    try:
        feeds = select_feeds(fetch(api, settings=settings, max_age_s=86400).json(), request.codes)
        results = [fetch(feed.url, settings=settings, feedback=feedback, allow_http=dataset.source.allow_http)
                   for feed in feeds]
    except (FetchError, NoFeedError) as error:
        raise QgsProcessingException(str(error)) from error
    except ValueError as error:  # not JSON, or not the API's array
        raise QgsProcessingException(tr("La réponse de {url} n'est pas la liste de jeux attendue ({error}).").format(
            url=api, error=str(error)[:200])) from error
    layer = dataset.source.layer
    digest = hashlib.sha256("\n".join([layer] + [r.sha256 for r in results]).encode()).hexdigest()
    target = Path(QgsProcessingUtils.tempFolder()) / f"{dataset.id}-{digest[:16]}.geojson"
    if not target.exists():
        try:
            count = write_layer([(Path(r.path), feed.network) for feed, r in zip(feeds, results)], layer, target)
        except FetchError as error:
            raise QgsProcessingException(str(error)) from error
        log.info(tr("« {dataset} » : {count} objet(s) lus dans {feeds} flux GTFS ({networks}).").format(
            dataset=dataset.id, count=count, feeds=len(feeds), networks=", ".join(f.network for f in feeds)))
    record = {"kind": "gtfs", "url": api, "sha256": digest, "layer": layer, "file": target.name,
              "feeds": [dict(result.to_manifest(), network=feed.network) for feed, result in zip(feeds, results)]}
    return DownloadedFile(request, target, api), record, None


#: pages of a JSON API followed at most for one request: beyond, the service loops or the query is too wide
MAX_API_PAGES = 500


def _download_json_api(request, dataset, settings, feedback) -> tuple[DownloadedFile, dict, None]:
    """Every page of a paged JSON API (Géorisques: `{"data": [...], "next": "…page=2…"}`), each through the cache,
    its records written as GeoJSON features (a point from the entry's lon/lat fields when they hold numbers, no
    geometry otherwise; nested values as JSON text) in the Processing temporary folder."""
    import json

    from ..fetch import FetchError, fetch

    host = urlsplit(request.url).netloc
    url, seen, records, features = request.url, set(), [], []
    source = dataset.source
    while url:
        if url in seen or len(seen) >= MAX_API_PAGES:
            raise QgsProcessingException(tr("« {dataset} » : l'API {url} renvoie vers une page déjà lue ou au-delà "
                                            "de {count} pages : rien n'a été gardé.").format(
                dataset=dataset.id, url=request.url, count=MAX_API_PAGES))
        seen.add(url)
        try:
            result = fetch(url, settings=settings, feedback=feedback, allow_http=source.allow_http)
            page = result.json()
        except FetchError as error:
            raise QgsProcessingException(str(error)) from error
        except ValueError as error:
            raise QgsProcessingException(tr("La réponse de {url} n'est pas du JSON ({error}).").format(
                url=url, error=str(error)[:200])) from error
        items = page.get(source.items_key) if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise QgsProcessingException(tr("« {dataset} » : la réponse de {url} n'a pas de liste « {key} » : l'API a "
                                            "peut-être changé ; vérifiez l'entrée du catalogue.").format(
                dataset=dataset.id, url=url, key=source.items_key))
        records.append(result.to_manifest())
        features.extend(_api_feature(item, dataset.format) for item in items if isinstance(item, dict))
        following = page.get(source.next_key) or ""
        if following and (not isinstance(following, str) or urlsplit(following).netloc != host
                          or urlsplit(following).scheme not in ("http", "https")):
            raise QgsProcessingException(tr("« {dataset} » : la page suivante annoncée par {url} est ailleurs "
                                            "({following}) : elle n'est pas suivie.").format(
                dataset=dataset.id, url=url, following=str(following)[:200]))
        url = following
    digest = hashlib.sha256("\n".join(record["sha256"] for record in records).encode()).hexdigest()
    target = Path(QgsProcessingUtils.tempFolder()) / f"{dataset.id}-{digest[:16]}.geojson"
    collection = {"type": "FeatureCollection", "name": dataset.id, "features": features}
    target.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    record = {"kind": "json_api", "url": request.url, "sha256": digest, "pages": records,
              "feature_count": len(features), "file": target.name}
    return DownloadedFile(request, target, request.url), record, None


def _api_feature(item: dict, fmt) -> dict:
    import json
    import math

    properties = {key: value if value is None or isinstance(value, (str, int, float, bool))
                  else json.dumps(value, ensure_ascii=False) for key, value in item.items()}
    geometry = None
    if fmt.lon_field and fmt.lat_field:
        try:
            lon, lat = float(item.get(fmt.lon_field)), float(item.get(fmt.lat_field))
        except (TypeError, ValueError):
            lon = lat = math.nan
        if math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def open_download(downloaded: DownloadedFile, dataset) -> QgsVectorLayer:
    """The file as a layer; a file without a CRS takes the catalog's."""
    from ..fetch import FetchError, open_layer

    try:
        layer = open_layer(downloaded.path, f"{dataset.id} {downloaded.request.unit}", member=downloaded.member,
                           layer_name=dataset.format.layer_name)
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    if not layer.isValid():
        raise QgsProcessingException(tr("« {dataset} » : le fichier reçu de {url} ne s'ouvre pas comme une couche "
                                        "(format {type} attendu).").format(dataset=dataset.id, url=downloaded.url,
                                                                           type=dataset.format.type))
    # an empty answer (no GTFS shapes, no cavity in the commune) has no geometry type to show: it is empty, not
    # a file without geometry
    if dataset.geometry_type != "none" and not layer.isSpatial() and _has_a_row(layer):
        columns = ", ".join(layer.fields().names()[:12])
        raise QgsProcessingException(tr(
            "le fichier reçu de {url} n'a pas de géométrie (pour un CSV : pas de colonnes lon/lat ou "
            "longitude/latitude reconnues ; colonnes : {columns}). La source a peut-être changé de format : "
            "vérifiez l'entrée du catalogue, ou signalez-le au producteur.").format(
                url=downloaded.url, columns=columns or tr("aucune")))
    if layer.storageType() == "CSV" and not _has_a_row(layer):
        # a producer's CSV is never published empty: a header alone is a cut or failed export
        raise QgsProcessingException(tr(
            "le fichier reçu de {url} ne contient aucune ligne de données, seulement son en-tête ({columns}) : "
            "rien n'en a été écrit ; relancez plus tard, et signalez-le au producteur si cela persiste.").format(
                url=downloaded.url, columns=", ".join(layer.fields().names()[:8])))
    if not layer.crs().isValid() and layer.isSpatial():
        layer.setCrs(QgsCoordinateReferenceSystem(dataset.format.crs))
    return layer


def _has_a_row(layer: QgsVectorLayer) -> bool:
    """At least one feature (read without counting them all: a département's CSV holds millions)."""
    request = QgsFeatureRequest().setLimit(1).setFlags(compat.REQUEST_NO_GEOMETRY).setNoAttributes()
    return any(True for _feature in layer.getFeatures(request))
