"""One request of a catalog dataset downloaded (a file, a data.gouv.fr resource, a WFS query) and opened as a layer.

A downloaded file is opened only when it is cut: a package found up to date never opens it.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from .. import compat
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
    from ..catalog.datagouv import resolve
    from ..fetch import FetchError, HttpStatusError, fetch, list_data_files

    url = request.url
    if request.needs_resolution:
        url = resolve(dataset, lambda api: fetch(api, settings=settings, max_age_s=3600).json())["url"]
    if request.kind == "wfs":
        return _download_wfs(request, dataset, settings, feedback)
    try:
        result = fetch(url, settings=settings, feedback=feedback, allow_http=dataset.source.allow_http)
    except HttpStatusError as error:
        if error.status == 404 and request.unit.startswith("commune:"):
            return None, None, tr("« {dataset} » : pas de fichier pour {unit} ({url}).").format(
                dataset=dataset.id, unit=request.unit, url=url)
        raise QgsProcessingException(str(error)) from error
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    member = None
    if dataset.format.archive_member:  # a pattern: the producer's member name changes with each edition
        members = [m for m in list_data_files(result.path) if fnmatch.fnmatch(m, dataset.format.archive_member)]
        if not members:
            raise QgsProcessingException(tr("« {dataset} » : l'archive {url} ne contient aucun fichier « {pattern} » "
                                            "(contenu : {members}).").format(
                                                dataset=dataset.id, url=url, pattern=dataset.format.archive_member,
                                                members=", ".join(list_data_files(result.path)) or "—"))
        member = members[0]
    record = result.to_manifest()
    if urlsplit(url).scheme == "http":  # the catalog's own address: the mirror is the user's choice
        record["insecure"] = True
    return DownloadedFile(request, Path(result.path), url, member), record, None


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


def open_download(downloaded: DownloadedFile, dataset) -> QgsVectorLayer:
    """The file as a layer; a file without a CRS takes the catalog's."""
    from ..fetch import FetchError, open_layer

    try:
        layer = open_layer(downloaded.path, f"{dataset.id} {downloaded.request.unit}", member=downloaded.member)
    except FetchError as error:
        raise QgsProcessingException(str(error)) from error
    if not layer.isValid():
        raise QgsProcessingException(tr("« {dataset} » : le fichier reçu de {url} ne s'ouvre pas comme une couche "
                                        "(format {type} attendu).").format(dataset=dataset.id, url=downloaded.url,
                                                                           type=dataset.format.type))
    if dataset.geometry_type != "none" and not layer.isSpatial():
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
