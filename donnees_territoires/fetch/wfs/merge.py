"""The pages merged into one GeoJSON FeatureCollection, and the result with its provenance."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from qgis.core import QgsVectorLayer

from ...toolbelt.i18n import tr
from ..cache import file_sha256, utc_now_iso
from ..download import FetchResult
from ..errors import WfsIncompleteError
from ..formats import open_layer
from .page import PageOutcome, PagingPlan
from .query import EPSG_RE, WfsQuery

#: a filter longer than this is recorded in the manifest by its checksum only
MANIFEST_FILTER_CHARS = 2000


@dataclass(frozen=True)
class WfsPage:
    """One GetFeature page as it was fetched."""

    start_index: int
    count: int
    #: features the page held
    returned: int
    #: the request: the whole GET URL, or the service address for a POST
    url: str
    method: str
    #: checksum of the POST body ("" for a GET)
    body_sha256: str
    #: the download of the page: its cache entry, ETag, dates
    result: FetchResult

    def to_manifest(self) -> dict[str, Any]:
        record = self.result.to_manifest()
        record.pop("file")  # the page lives on only inside the merged file
        record.update({"url": self.url, "method": self.method, "start_index": self.start_index,
                       "count": self.count, "returned": self.returned})
        if self.body_sha256:
            record["body_sha256"] = self.body_sha256
        return record


@dataclass(frozen=True)
class WfsResult:
    """The pages of a GetFeature merged into one GeoJSON file, with their provenance."""

    query: WfsQuery
    path: Path
    #: what the server announced; None if it did not say (completeness then unchecked)
    number_matched: Optional[int]
    feature_count: int
    pages: tuple[WfsPage, ...]
    #: from DescribeFeatureType when the filter needed it, else from the pages ("" if unknown)
    geometry_column: str
    #: CRS of the file as the server wrote it (EPSG:2154), "" if the pages did not say
    crs: str
    params: tuple[tuple[str, str], ...]
    size: int
    sha256: str
    fetched_at: str

    def open_layer(self, name: str = "") -> QgsVectorLayer:
        return open_layer(self.path, name or self.query.layer_name)

    def to_manifest(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, value in self.params:
            # a territory polygon would make the manifest as big as the data: its checksum names it
            params[key] = value if len(value) <= MANIFEST_FILTER_CHARS else {
                "sha256": _sha256_text(value), "length": len(value)}
        return {"kind": "wfs", "service_url": self.query.endpoint, "typename": self.query.typename,
                "params": params, "number_matched": self.number_matched,
                "feature_count": self.feature_count, "geometry_column": self.geometry_column,
                "crs": self.crs, "file": self.path.name, "size": self.size, "sha256": self.sha256,
                "fetched_at": self.fetched_at, "pages": [page.to_manifest() for page in self.pages]}


def merge_pages(plan: PagingPlan, outcomes: list[PageOutcome], dest: Path,
                geometry_column: str) -> WfsResult:
    """Write the fragments in page order into one FeatureCollection, then rename it to `dest`."""
    first = outcomes[0]
    count = sum(outcome.returned for outcome in outcomes)
    _refuse_repeated_ids(plan, outcomes, count)  # every id, or each page's first (plan.keep_ids)
    header: dict[str, Any] = {"type": "FeatureCollection", "name": plan.query.layer_name}
    if first.crs:
        header["crs"] = first.crs
    header.update(numberMatched=first.matched if first.matched is not None else count,
                  numberReturned=count)
    opening = json.dumps(header, ensure_ascii=False)[:-1] + ', "features": [\n'
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(opening)
            written = False
            for outcome in outcomes:
                if outcome.returned == 0:
                    continue
                if written:
                    out.write(",\n")
                with open(outcome.fragment, encoding="utf-8") as fragment:
                    shutil.copyfileobj(fragment, out, 1 << 20)
                written = True
            out.write("\n]}\n")
        os.replace(tmp_name, dest)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    pages = tuple(WfsPage(outcome.request.start, outcome.request.count, outcome.returned,
                          outcome.request.url, "GET" if outcome.request.body is None else "POST",
                          _sha256_bytes(outcome.request.body), outcome.download)
                  for outcome in outcomes)
    return WfsResult(plan.query, dest, first.matched, count, pages,
                     geometry_column or first.geometry_name,
                     _crs_authid(first.crs) or plan.query.srsname,
                     tuple(plan.params), dest.stat().st_size, file_sha256(dest), utc_now_iso())


def _refuse_repeated_ids(plan: PagingPlan, outcomes: list[PageOutcome], count: int) -> None:
    """WfsIncompleteError when a feature id comes twice: as many features as announced, but some
    twice, so as many others were never sent."""
    seen: set[str] = set()
    repeated = ""
    for outcome in outcomes:
        for feature_id in outcome.ids:
            if feature_id in seen and not repeated:
                repeated = feature_id
            seen.add(feature_id)
    if repeated:
        first = outcomes[0]
        typename = plan.query.typename
        if plan.query.sort_by:
            message = tr("Les pages WFS de la couche {layer} se répètent (la page qui commence par l'objet {id} "
                         "revient) : le service semble ignorer la pagination (STARTINDEX). Rien n'a été écrit ; "
                         "réessayez plus tard ou signalez-le au producteur ({url}).")
        else:
            message = tr("Les pages WFS de la couche {layer} se chevauchent (objet {id} reçu deux fois, {count} "
                         "objets reçus dont {distinct} distincts) : sans champ de tri (SORTBY), l'ordre n'est pas "
                         "stable. Précisez un champ unique dans le catalogue ; rien n'a été écrit ({url}).")
        raise WfsIncompleteError(message.format(layer=typename, id=repeated, url=first.request.label, count=count,
                                                distinct=len(seen)),
                                 first.download.final_url, typename, expected=count, received=len(seen))


def _crs_authid(member: Optional[dict]) -> str:
    """EPSG:2154 from a GeoJSON "crs" member naming urn:ogc:def:crs:EPSG::2154."""
    name = str(((member or {}).get("properties") or {}).get("name", ""))
    found = EPSG_RE.match(name)
    return f"EPSG:{found.group(1)}" if found else name


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256_bytes(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""
