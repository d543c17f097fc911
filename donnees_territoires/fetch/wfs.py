"""WFS 2.0 GetFeature to one GeoJSON file: filters, parallel pages under the rate limit, checked counts."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from qgis.core import QgsFeedback, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, Qt, QThread

from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.settings import Settings
from ..toolbelt.settings import current as current_settings
from .cache import file_sha256, safe_file_name, utc_now_iso
from .download import FetchResult, fetch, forget
from .errors import (
    FetchCanceledError,
    FetchError,
    HttpStatusError,
    UnexpectedContentError,
    WfsError,
    WfsIncompleteError,
    WfsServiceError,
    host_of,
)
from .formats import error_document, open_layer
from .network import RetryPolicy, mirrored_url

GEOPLATEFORME_WFS_URL = "https://data.geopf.fr/wfs/ows"
#: most features one GetFeature page of the Géoplateforme holds
SERVER_MAX_COUNT = 5000
#: data.geopf.fr accepts 30 requests/s per IP address, then answers 429 for 5 s. The client stays
#: below: the map canvas of the same user may be loading Géoplateforme tiles at the same time.
REQUESTS_PER_S = 20.0
REQUESTS_BURST = 5
DEFAULT_WORKERS = 4
#: a GetFeature URL longer than this is sent as a POST form: proxies and servers commonly refuse
#: request lines beyond 8 KiB, and a territory polygon in a filter easily exceeds that
MAX_GET_URL_CHARS = 4000
#: how long a layer description (DescribeFeatureType) is reused from the download cache
DESCRIBE_MAX_AGE_S = 24 * 3600
#: a filter longer than this is recorded in the manifest by its checksum only
MANIFEST_FILTER_CHARS = 2000

#: parameters the client writes itself; any other one (FILTER, PROPERTYNAME, a key) is passed on
_MANAGED_PARAMS = frozenset({"SERVICE", "VERSION", "REQUEST", "TYPENAMES", "TYPENAME", "OUTPUTFORMAT",
                             "SRSNAME", "SORTBY", "BBOX", "CQL_FILTER", "COUNT", "MAXFEATURES",
                             "STARTINDEX", "RESULTTYPE"})
_XSD_NS = "http://www.w3.org/2001/XMLSchema"
_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_EPSG_RE = re.compile(r"^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:)(\d+)$", re.I)
_POLL_S = 0.05


# -- the query -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WfsQuery:
    """What to ask a WFS 2.0 for: one feature type, its filters, its order and its output CRS.

    Filters are joined with AND. A BBOX alone goes as the BBOX parameter; any other combination
    becomes one CQL_FILTER (GeoServer's ECQL, which the Géoplateforme accepts), which needs the
    geometry column: it is read from DescribeFeatureType.
    """

    #: e.g. ADMINEXPRESS-COG.LATEST:commune, BDTOPO_V3:batiment
    typename: str
    #: the service address; fixed parameters in its query string (a key) are kept
    service_url: str = GEOPLATEFORME_WFS_URL
    #: output CRS; "" keeps the layer's own. EPSG:4326 in this short form is longitude/latitude
    #: on GeoServer
    srsname: str = "EPSG:4326"
    #: a stable, unique field (cleabs): without an order, pages may overlap and miss features
    sort_by: str = ""
    #: (xmin, ymin, xmax, ymax) in bbox_crs
    bbox: Optional[tuple[float, float, float, float]] = None
    bbox_crs: str = "EPSG:4326"
    #: WKT of a geometry the features must intersect (a territory polygon), in intersects_crs
    intersects_wkt: str = ""
    intersects_crs: str = "EPSG:4326"
    #: attribute cut: property_name IN property_values (code_insee IN ('33063', …))
    property_name: str = ""
    property_values: tuple[str, ...] = ()
    #: a further ECQL condition
    cql_filter: str = ""
    #: other parameters, sent as they are (PROPERTYNAME, vendor parameters)
    extra_params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str) -> WfsQuery:
        """The query of a GetFeature URL (as catalog.sources builds them); paging is dropped."""
        parts = urlsplit(url)
        values: dict[str, Any] = {"srsname": ""}
        extra = []
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            name = key.upper()
            if name in ("TYPENAMES", "TYPENAME"):
                values["typename"] = value
            elif name == "SRSNAME":
                values["srsname"] = value
            elif name == "SORTBY":
                values["sort_by"] = value
            elif name == "CQL_FILTER":
                values["cql_filter"] = value
            elif name == "BBOX":
                numbers = value.split(",")
                try:
                    values["bbox"] = tuple(float(number) for number in numbers[:4])
                except ValueError:
                    values["bbox"] = ()
                if len(values["bbox"]) != 4:
                    raise WfsError(tr("Emprise (BBOX) illisible « {bbox} » dans {url} : vérifiez "
                                      "le catalogue.").format(bbox=value, url=url), url)
                if len(numbers) > 4:
                    values["bbox_crs"] = numbers[4]
            elif name not in _MANAGED_PARAMS:
                extra.append((key, value))
        if not values.get("typename"):
            raise WfsError(tr("L'adresse {url} ne précise pas de couche (TYPENAMES) : vérifiez le "
                              "catalogue.").format(url=url), url)
        endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return cls(service_url=endpoint, extra_params=tuple(extra), **values)

    @property
    def layer_name(self) -> str:
        """The feature type without its namespace (commune, batiment)."""
        return self.typename.rsplit(":", 1)[-1]

    @property
    def endpoint(self) -> str:
        """The service address without its query string."""
        parts = urlsplit(self.service_url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    @property
    def needs_geometry_column(self) -> bool:
        """True when the filter names the geometry column (it must then be described first)."""
        return bool(self.intersects_wkt) or (
            self.bbox is not None and bool(self.property_name or self.cql_filter))

    def params(self, geometry_column: str = "") -> list[tuple[str, str]]:
        """GetFeature parameters, paging excluded, in a stable order (the cache key depends on it)."""
        params = [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetFeature"),
                  ("TYPENAMES", self.typename), ("OUTPUTFORMAT", "application/json")]
        if self.srsname:
            params.append(("SRSNAME", self.srsname))
        if self.sort_by:
            params.append(("SORTBY", self.sort_by))
        params += self._filter(geometry_column)
        return params + _fixed_params(self.service_url) + list(self.extra_params)

    def _filter(self, geometry_column: str) -> list[tuple[str, str]]:
        conditions = []
        if self.property_name:
            if not _FIELD_RE.match(self.property_name):
                raise WfsError(tr("Nom de champ invalide « {field} » pour filtrer la couche "
                                  "{layer} : vérifiez le catalogue.").format(
                    field=self.property_name, layer=self.typename), self.service_url, self.typename)
            if not self.property_values:
                raise WfsError(tr("Aucune valeur pour filtrer la couche {layer} sur le champ "
                                  "« {field} ».").format(layer=self.typename,
                                                         field=self.property_name),
                               self.service_url, self.typename)
            values = ",".join(_cql_string(value) for value in self.property_values)
            conditions.append(f"{self.property_name} IN ({values})")
        if self.cql_filter:
            conditions.append(self.cql_filter)
        if self.bbox is not None and not conditions and not self.intersects_wkt:
            return [("BBOX", ",".join(_number(v) for v in self.bbox) + f",{self.bbox_crs}")]
        if self.bbox is not None or self.intersects_wkt:
            if not geometry_column:
                raise ValueError("the geometry column is needed for this filter: describe the layer")
            if self.bbox is not None:
                corners = ", ".join(_number(v) for v in self.bbox)
                conditions.insert(0, f"BBOX({geometry_column}, {corners}, '{self.bbox_crs}')")
            if self.intersects_wkt:
                srid = _epsg_code(self.intersects_crs)
                conditions.insert(0, f"INTERSECTS({geometry_column}, "
                                     f"SRID={srid};{self.intersects_wkt.strip()})")
        if len(conditions) > 1:
            # a free condition may hold OR: its own parentheses keep AND binding to all of it
            conditions = [f"({condition})" if condition == self.cql_filter else condition
                          for condition in conditions]
        return [("CQL_FILTER", " AND ".join(conditions))] if conditions else []


def _fixed_params(service_url: str) -> list[tuple[str, str]]:
    """Parameters written in the service address itself (a key, a vendor option)."""
    return [(key, value) for key, value in parse_qsl(urlsplit(service_url).query,
                                                      keep_blank_values=True)
            if key.upper() not in _MANAGED_PARAMS]


def _cql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _number(value: float) -> str:
    return format(float(value), ".12g")


def _epsg_code(crs: str) -> str:
    found = _EPSG_RE.match(crs.strip())
    if not found:
        raise ValueError(f"an EPSG code is needed for a CQL geometry, not {crs!r}")
    return found.group(1)


# -- layer description -----------------------------------------------------------------------------
@dataclass(frozen=True)
class FeatureType:
    """What DescribeFeatureType says of a layer."""

    typename: str
    #: the geometry property (geometrie, geom…); "" for a table without geometry
    geometry_column: str
    #: GML geometry type without « PropertyType » (MultiSurface, Point, Geometry…)
    geometry_type: str
    #: (name, XSD type) of every property, geometry included, in schema order
    properties: tuple[tuple[str, str], ...]


_feature_types: dict[tuple[str, str, str], FeatureType] = {}
_feature_types_lock = threading.Lock()


def clear_feature_type_cache() -> None:
    """Forget the layer descriptions kept for this QGIS session."""
    with _feature_types_lock:
        _feature_types.clear()


def describe_feature_type(typename: str, service_url: str = GEOPLATEFORME_WFS_URL, *,
                          settings: Settings | None = None, feedback: QgsFeedback | None = None,
                          authcfg: str = "", retry: RetryPolicy | None = None,
                          limiter: RateLimiter | None = None) -> FeatureType:
    """The description of a layer, asked once per session (and kept a day in the download cache)."""
    settings = settings or current_settings()
    key = (service_url, typename, authcfg)
    with _feature_types_lock:
        if key in _feature_types:
            return _feature_types[key]
    params = [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "DescribeFeatureType"),
              ("TYPENAMES", typename)] + _fixed_params(service_url)
    url = _get_url(WfsQuery(typename, service_url).endpoint, params)
    (limiter or rate_limiter_for(mirrored_url(url, settings.mirror_url))).acquire(feedback, url)
    try:
        result = fetch(url, settings=settings, feedback=feedback, authcfg=authcfg, retry=retry,
                       max_age_s=DESCRIBE_MAX_AGE_S)
    except (HttpStatusError, UnexpectedContentError) as error:
        raise _service_error(error, typename, url) from error
    try:
        feature_type = parse_feature_type(result.read_bytes(), typename, url)
    except WfsError:
        forget(url, settings=settings, authcfg=authcfg)
        raise
    with _feature_types_lock:
        _feature_types[key] = feature_type
    return feature_type


def parse_feature_type(xsd: bytes, typename: str, url: str = "") -> FeatureType:
    """Read a DescribeFeatureType answer (an XML schema, as GeoServer writes it)."""
    try:
        namespaces: dict[str, str] = {}
        for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xsd), events=("start-ns",)):
            namespaces.setdefault(prefix, uri)
        root = ET.fromstring(xsd)
    except ET.ParseError as error:
        raise WfsError(tr("La description de la couche {layer} reçue de {url} n'est pas un schéma "
                          "XML lisible ({error}) : le service est peut-être en maintenance ; "
                          "réessayez plus tard.").format(layer=typename, url=url, error=error),
                       url, typename) from error
    local = typename.rsplit(":", 1)[-1]
    declared = {element.get("name"): element.get("type", "").rsplit(":", 1)[-1]
                for element in root.findall(f"{{{_XSD_NS}}}element")}
    complex_types = root.findall(f"{{{_XSD_NS}}}complexType")
    chosen = next((item for item in complex_types if item.get("name") == declared.get(local)), None)
    if chosen is None and len(complex_types) == 1:
        chosen = complex_types[0]
    if chosen is None:
        raise WfsError(tr("La description reçue de {url} ne décrit pas la couche {layer} : "
                          "vérifiez son nom dans le catalogue.").format(url=url, layer=typename),
                       url, typename)
    properties = []
    geometry_column = geometry_type = ""
    for element in chosen.iter(f"{{{_XSD_NS}}}element"):
        name, xsd_type = element.get("name", ""), element.get("type", "")
        if not name:
            continue
        properties.append((name, xsd_type))
        prefix, _sep, type_name = xsd_type.rpartition(":")
        is_gml = namespaces.get(prefix, "").startswith("http://www.opengis.net/gml")
        if is_gml and type_name.endswith("PropertyType") and not geometry_column:
            geometry_column, geometry_type = name, type_name[: -len("PropertyType")]
    return FeatureType(typename, geometry_column, geometry_type, tuple(properties))


# -- OGC exception reports ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OwsException:
    """One exception of an OWS ExceptionReport."""

    code: str
    locator: str
    text: str


def parse_exception_report(data: bytes) -> list[OwsException]:
    """The exceptions of an ows:ExceptionReport (or a WMS-style ServiceExceptionReport); [] if
    `data` is not one. A report cut short (error bodies are truncated) still gives its text."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        problem = error_document(data)
        return [OwsException("", "", problem[1])] if problem and problem[0] == "ogc" else []
    if _local(root.tag) not in ("ExceptionReport", "ServiceExceptionReport"):
        return []
    found = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "Exception":
            texts = [" ".join((child.text or "").split()) for child in element
                     if _local(child.tag) == "ExceptionText"]
            found.append(OwsException(element.get("exceptionCode", ""), element.get("locator", ""),
                                      " ".join(text for text in texts if text)))
        elif tag == "ServiceException":
            found.append(OwsException(element.get("code", ""), element.get("locator", ""),
                                      " ".join((element.text or "").split())))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _service_error(error: FetchError, typename: str, label: str) -> FetchError:
    """A WfsServiceError with the exception text when `error` carries an exception report, else
    the same error naming the layer and the request (a POST's URL alone does not say which)."""
    exceptions = parse_exception_report(getattr(error, "body", b"") or b"")
    if not exceptions:
        note = tr("(Couche WFS {layer} : {url}.)").format(layer=typename, url=label)
        if isinstance(error, HttpStatusError):
            return HttpStatusError(f"{error.message} {note}", error.url, error.status, body=error.body)
        if isinstance(error, UnexpectedContentError):
            return UnexpectedContentError(f"{error.message} {note}", error.url, body=error.body)
        return error
    status = getattr(error, "status", 200)
    text = " ; ".join(item.text for item in exceptions if item.text) or "?"
    first = exceptions[0]
    details = ", ".join(part for part in (first.code, first.locator and tr("paramètre {name}").format(
        name=first.locator), f"HTTP {status}") if part)
    message = tr("Le service WFS a refusé la requête sur la couche {layer} : « {text} » ({details}). "
                 "Adresse : {url}. Vérifiez le nom de la couche, le filtre et le champ de tri dans "
                 "le catalogue.").format(layer=typename, text=text, details=details, url=label)
    return WfsServiceError(message, error.url, typename, status=status, code=first.code,
                           locator=first.locator, text=text)


# -- rate limit --------------------------------------------------------------------------------------
class RateLimiter:
    """Token bucket shared by threads: at most `per_second` requests a second, `burst` at once."""

    def __init__(self, per_second: float = REQUESTS_PER_S, burst: int = REQUESTS_BURST) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self.burst = max(1, int(burst))
        self._tokens = float(self.burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, feedback: QgsFeedback | None = None, url: str = "") -> None:
        """Wait for a token; FetchCanceledError if `feedback` is canceled meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.per_second)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                delay = (1 - self._tokens) / self.per_second
            if feedback is not None and feedback.isCanceled():
                raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
            time.sleep(min(delay, _POLL_S))


_limiters: dict[str, RateLimiter] = {}
_limiters_lock = threading.Lock()


def rate_limiter_for(url: str) -> RateLimiter:
    """The limiter shared by every request of this process to the host of `url` (the limit of
    data.geopf.fr is per IP address, so all downloads running together share it)."""
    host = host_of(url).lower()
    with _limiters_lock:
        return _limiters.setdefault(host, RateLimiter())


# -- results ---------------------------------------------------------------------------------------
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


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- one page ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _PageRequest:
    start: int
    count: int
    #: features the page must hold, None when unknown (first page, no numberMatched)
    expected: Optional[int]
    #: GET: the whole URL; POST: the service address
    url: str
    body: Optional[bytes]
    #: how the request is named in messages
    label: str


@dataclass(frozen=True)
class _PageOutcome:
    request: _PageRequest
    download: FetchResult
    returned: int
    matched: Optional[int]
    #: the "crs" member of the page, copied as is into the merged file
    crs: Optional[dict]
    geometry_name: str
    fragment: Path
    ids: tuple[str, ...]


@dataclass
class _Plan:
    query: WfsQuery
    params: list[tuple[str, str]]
    settings: Settings
    authcfg: str
    retry: Optional[RetryPolicy]
    max_age_s: Optional[float]
    limiter: RateLimiter
    max_get_chars: int
    work: Path
    #: keep feature ids to detect overlapping pages (only without a sort key: with one, paging is
    #: stable and the ids of millions of buildings would cost memory for nothing)
    keep_ids: bool
    #: pages read so far (appended by the workers)
    fetched: list[_PageRequest] = field(default_factory=list)

    def forget_pages(self) -> None:
        """Drop the cached pages of a result refused as a whole (counts changed, pages overlapping):
        a later run must not rebuild it from the same copies."""
        for request in list(self.fetched):
            forget(request.url, settings=self.settings, authcfg=self.authcfg, body=request.body)

    def request(self, start: int, count: int, expected: Optional[int]) -> _PageRequest:
        params = self.params + [("STARTINDEX", str(start)), ("COUNT", str(count))]
        url = _get_url(self.query.endpoint, params)
        if len(url) <= self.max_get_chars:
            return _PageRequest(start, count, expected, url, None, url)
        body = urlencode(params).encode("ascii")
        label = (f"{self.query.endpoint} [POST TYPENAMES={self.query.typename} "
                 f"STARTINDEX={start} COUNT={count}]")
        return _PageRequest(start, count, expected, self.query.endpoint, body, label)


def _get_url(endpoint: str, params: list[tuple[str, str]]) -> str:
    # the characters left readable are those catalog.sources leaves too: same URL, same cache entry
    return endpoint + "?" + urlencode(params, safe=":,'()", quote_via=quote)


def _fetch_page(plan: _Plan, request: _PageRequest, feedback: QgsFeedback) -> _PageOutcome:
    """Fetch, read and check one page, and write its features as a fragment of the final file."""
    typename = plan.query.typename
    plan.limiter.acquire(feedback, request.label)
    raw = plan.work / f"page-{request.start:012d}.json"
    for attempt in (1, 2):
        try:
            result = fetch(request.url, settings=plan.settings, feedback=feedback,
                           authcfg=plan.authcfg, retry=plan.retry, max_age_s=plan.max_age_s,
                           body=request.body)
            # a private copy: other pages stored meanwhile may evict this one from the cache
            shutil.copyfile(result.path, raw)
            break
        except FileNotFoundError:
            # the cache evicted the page between its download and its copy (a cache smaller than
            # the pages in flight): once more, then give up with the OS error
            if attempt == 2:
                raise
        except (HttpStatusError, UnexpectedContentError) as error:
            mirror = plan.settings.mirror_url
            if (request.body is not None and mirror and isinstance(error, HttpStatusError)
                    and error.status in (404, 405, 501)):
                raise WfsError(tr("Le miroir {mirror} n'a pas accepté la requête POST de la couche "
                                  "{layer} (HTTP {status}) : un filtre trop long pour une adresse "
                                  "est envoyé en POST au miroir ({url}), qui doit alors transmettre "
                                  "ces requêtes au service. Désactivez le miroir ou découpez par "
                                  "codes plutôt que par contour.").format(
                    mirror=mirror, layer=typename, status=error.status, url=request.label),
                    error.url, typename) from error
            raise _service_error(error, typename, request.label) from error
    try:
        outcome = _read_page(plan, request, result, raw)
    except WfsError:
        forget(request.url, settings=plan.settings, authcfg=plan.authcfg, body=request.body)
        raise
    finally:
        raw.unlink(missing_ok=True)
    plan.fetched.append(request)
    return outcome


def _read_page(plan: _Plan, request: _PageRequest, result: FetchResult, raw: Path) -> _PageOutcome:
    typename = plan.query.typename
    try:
        collection = json.loads(raw.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise WfsError(tr("La page WFS de la couche {layer} n'est pas du GeoJSON lisible ({error}) : "
                          "la réponse a sans doute été coupée ; rien n'a été écrit, relancez. "
                          "Adresse : {url}.").format(layer=typename, error=error,
                                                     url=request.label),
                       result.final_url, typename) from error
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise WfsError(tr("La réponse WFS de la couche {layer} n'est pas une collection d'objets "
                          "GeoJSON ({url}) : vérifiez le format de sortie demandé.").format(
            layer=typename, url=request.label), result.final_url, typename)
    announced = _count(collection.get("numberReturned"))
    if announced is not None and announced != len(features):
        raise WfsIncompleteError(tr("Page WFS incohérente pour la couche {layer} : elle annonce "
                                    "{announced} objet(s) (numberReturned) mais en contient "
                                    "{received} ({url}). La réponse a été tronquée ; rien n'a été "
                                    "écrit, relancez.").format(
            layer=typename, announced=announced, received=len(features), url=request.label),
            result.final_url, typename, expected=announced, received=len(features))
    if request.expected is not None and len(features) != request.expected:
        raise _short_page(typename, request, len(features), result.final_url)
    matched = _count(collection.get("numberMatched"))
    if matched is None:
        matched = _count(collection.get("totalFeatures"))
    fragment = plan.work / f"fragment-{request.start:012d}.json"
    with open(fragment, "w", encoding="utf-8") as stream:
        for index, feature in enumerate(features):
            if index:
                stream.write(",\n")
            stream.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    ids = tuple(str(feature.get("id")) for feature in features
                if isinstance(feature, dict) and feature.get("id") is not None) if plan.keep_ids else ()
    geometry_name = next((feature.get("geometry_name", "") for feature in features
                          if isinstance(feature, dict)), "")
    crs = collection.get("crs") if isinstance(collection.get("crs"), dict) else None
    return _PageOutcome(request, result, len(features), matched, crs, geometry_name or "",
                        fragment, ids)


def _short_page(typename: str, request: _PageRequest, received: int, url: str) -> WfsIncompleteError:
    return WfsIncompleteError(tr("Résultat WFS incomplet pour la couche {layer} : la page commençant "
                                 "à l'objet {start} contient {received} objet(s) au lieu de "
                                 "{expected} ({url}). Le serveur a tronqué sa réponse ; rien n'a "
                                 "été écrit. Relancez ; si cela persiste, réduisez la taille des "
                                 "pages ou l'emprise demandée.").format(
        layer=typename, start=request.start, received=received, expected=request.expected,
        url=request.label), url, typename, expected=request.expected or 0, received=received)


def _count(value: Any) -> Optional[int]:
    """numberMatched and friends: an int, or None for "unknown" and absent values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _crs_authid(member: Optional[dict]) -> str:
    """EPSG:2154 from a GeoJSON "crs" member naming urn:ogc:def:crs:EPSG::2154."""
    name = str(((member or {}).get("properties") or {}).get("name", ""))
    found = _EPSG_RE.match(name)
    return f"EPSG:{found.group(1)}" if found else name


# -- all pages ---------------------------------------------------------------------------------------------
def get_features(query: WfsQuery, dest: str | Path, *, page_size: int = SERVER_MAX_COUNT,
                 max_workers: int = DEFAULT_WORKERS, settings: Settings | None = None,
                 feedback: QgsFeedback | None = None, authcfg: str = "",
                 retry: RetryPolicy | None = None, max_age_s: float | None = None,
                 limiter: RateLimiter | None = None,
                 max_get_chars: int = MAX_GET_URL_CHARS) -> WfsResult:
    """Every feature of `query`, page by page, merged into the GeoJSON file `dest` (a file, or an
    existing folder that receives `<layer>.geojson`).

    - The first page tells numberMatched; the others are fetched by `max_workers` threads, each
      request waiting for `limiter` (default: shared per host, under the Géoplateforme's limit).
    - If the server serves fewer features per page than `page_size` (its cap), the pages follow
      its size. Any other shortfall — a page shorter than it must be, numberReturned not matching
      the features, a total below numberMatched, a count changing between pages — is a
      WfsIncompleteError: a truncated layer is never written.
    - A request whose URL would exceed `max_get_chars` is sent as a POST form (see network.download
      for the mirror).
    - Pages go through fetch(): cache, offline mode, mirror, retries; `max_age_s` is passed on.
    - `dest` is written under a temporary name, then renamed: on error or cancel nothing is left.
    Call it from a QgsTask or a Processing algorithm: it blocks until every page has arrived.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    settings = settings or current_settings()
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"{safe_file_name(query.layer_name, 'wfs')}.geojson"
    geometry_column = ""
    if query.needs_geometry_column:
        geometry_column = describe_feature_type(query.typename, query.service_url, settings=settings,
                                                feedback=feedback, authcfg=authcfg, retry=retry,
                                                limiter=limiter).geometry_column
        if not geometry_column:
            raise WfsError(tr("La couche {layer} n'a pas de géométrie d'après sa description : elle "
                              "ne peut pas être filtrée par emprise ou par contour.").format(
                layer=query.typename), query.endpoint, query.typename)
    params = query.params(geometry_column)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    plan = _Plan(query, params, settings, authcfg, retry, max_age_s,
                 limiter or rate_limiter_for(mirrored_url(query.endpoint, settings.mirror_url)),
                 max_get_chars, work, keep_ids=not query.sort_by)
    # one feedback for every page: canceled by the caller's, or by the first failing page
    inner = QgsFeedback()
    if feedback is not None:
        # direct: cancel() may come from the GUI thread while this one waits for the pages
        feedback.canceled.connect(inner.cancel, Qt.ConnectionType.DirectConnection)
    try:
        outcomes = _fetch_all(plan, page_size, max_workers, feedback, inner)
        result = _merge(plan, outcomes, dest, geometry_column)
    except FetchCanceledError:
        if feedback is not None and feedback.isCanceled():
            raise _canceled(plan) from None
        raise
    except WfsError:
        plan.forget_pages()
        raise
    finally:
        inner.cancel()
        if feedback is not None:
            feedback.canceled.disconnect(inner.cancel)
        shutil.rmtree(work, ignore_errors=True)
    if feedback is not None:
        feedback.setProgress(100)
    return result


def load_layer(query: WfsQuery, dest: str | Path | None = None, *, name: str = "",
               **kwargs) -> QgsVectorLayer:
    """get_features() then the file as a layer; without `dest`, a new temporary folder holds it."""
    if dest is None:
        dest = Path(tempfile.mkdtemp(prefix="donnees_territoires_wfs_"))
    return get_features(query, dest, **kwargs).open_layer(name)


def _fetch_all(plan: _Plan, page_size: int, max_workers: int, feedback: QgsFeedback | None,
               inner: QgsFeedback) -> list[_PageOutcome]:
    typename = plan.query.typename
    _check_canceled(feedback, plan)
    first = _fetch_page(plan, plan.request(0, page_size, None), inner)
    _check_canceled(feedback, plan)
    matched = first.matched
    if matched is None:
        log.warning(tr("La couche {layer} n'indique pas son nombre total d'objets (numberMatched) : "
                       "les pages sont lues l'une après l'autre jusqu'à une page vide, sans "
                       "pouvoir vérifier que rien ne manque ({url}).").format(
            layer=typename, url=first.request.label))
        return _fetch_sequentially(plan, first, page_size, feedback, inner)
    if first.returned > matched:
        raise WfsIncompleteError(tr("Réponse WFS incohérente pour la couche {layer} : {received} "
                                    "objet(s) reçu(s) pour {expected} annoncé(s) (numberMatched) "
                                    "({url}) ; rien n'a été écrit, relancez.").format(
            layer=typename, received=first.returned, expected=matched, url=first.request.label),
            first.download.final_url, typename, expected=matched, received=first.returned)
    step = page_size
    if first.returned < min(page_size, matched):
        if first.returned == 0:
            raise _short_page(typename, plan.request(0, page_size, min(page_size, matched)), 0,
                              first.download.final_url)
        # WFS 2.0 lets a server serve fewer features than COUNT (its own maximum): follow it; the
        # counts of every page and the total are still checked against numberMatched
        step = first.returned
        log.info(tr("Le service limite les pages de la couche {layer} à {count} objets : les pages "
                    "suivantes sont demandées à cette taille.").format(layer=typename, count=step))
    requests = [plan.request(start, step, min(step, matched - start))
                for start in range(first.returned, matched, step)]
    if requests and not plan.query.sort_by:
        log.warning(tr("Aucun champ de tri (SORTBY) pour la couche {layer} : sans ordre stable, les "
                       "pages peuvent se chevaucher ; précisez un champ unique dans le catalogue."
                       ).format(layer=typename))
    total_pages = 1 + len(requests)
    if feedback is not None:
        feedback.setProgress(100.0 / total_pages)
    rest = _run_pages(plan, requests, max_workers, feedback, inner, total_pages)
    outcomes = [first] + rest
    for outcome in rest:
        if outcome.matched is not None and outcome.matched != matched:
            raise WfsIncompleteError(tr("Les données de la couche {layer} ont changé pendant le "
                                        "téléchargement ({first} objets annoncés au début, {now} "
                                        "ensuite, {url}) : les pages ne concordent plus ; rien n'a "
                                        "été écrit, relancez.").format(
                layer=typename, first=matched, now=outcome.matched, url=outcome.request.label),
                outcome.download.final_url, typename, expected=matched, received=outcome.matched)
    received = sum(outcome.returned for outcome in outcomes)
    if received != matched:
        raise WfsIncompleteError(tr("Résultat WFS incomplet pour la couche {layer} : {received} "
                                    "objet(s) reçu(s) sur {expected} annoncé(s) par le serveur "
                                    "(numberMatched) pour {url}. Rien n'a été écrit ; relancez, et "
                                    "si cela persiste réduisez la taille des pages ou l'emprise "
                                    "demandée.").format(layer=typename, received=received,
                                                        expected=matched, url=first.request.label),
                                 first.download.final_url, typename, expected=matched, received=received)
    return outcomes


def _fetch_sequentially(plan: _Plan, first: _PageOutcome, page_size: int,
                        feedback: QgsFeedback | None, inner: QgsFeedback) -> list[_PageOutcome]:
    """Without numberMatched: the next page starts where the last one ended, until an empty one
    (a server capping pages below page_size is then followed, never mistaken for the end)."""
    outcomes = [first]
    while outcomes[-1].returned > 0:
        start = outcomes[-1].request.start + outcomes[-1].returned
        outcomes.append(_fetch_page(plan, plan.request(start, page_size, None), inner))
        _check_canceled(feedback, plan)
    return outcomes


def _run_pages(plan: _Plan, requests: list[_PageRequest], max_workers: int,
               feedback: QgsFeedback | None, inner: QgsFeedback,
               total_pages: int) -> list[_PageOutcome]:
    """Fetch `requests` in worker threads; the first error (or a cancel) stops them all.

    Each worker thread gets its own QgsNetworkAccessManager (QGIS makes one per thread, with the
    user's proxy and SSL settings). This thread only waits; if it is the main thread it keeps
    processing events, which the workers' network managers need for SSL and login prompts.
    """
    if not requests:
        return []
    on_main_thread = QCoreApplication.instance() is not None and \
        QThread.currentThread() == QCoreApplication.instance().thread()
    outcomes: dict[int, _PageOutcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(requests))),
                            thread_name_prefix="wfs-page") as pool:
        futures: dict[Future, _PageRequest] = {
            pool.submit(_fetch_page, plan, request, inner): request for request in requests}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=_POLL_S, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    outcomes[outcome.request.start] = outcome
                if feedback is not None:
                    feedback.setProgress(min(99.0, 100.0 * (1 + len(outcomes)) / total_pages))
                _check_canceled(feedback, plan)
                if on_main_thread:
                    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        except BaseException:
            # stop the others before the pool waits for them: their exchanges poll this feedback
            inner.cancel()
            for future in pending:
                future.cancel()
            raise
    return [outcomes[start] for start in sorted(outcomes)]


def _check_canceled(feedback: QgsFeedback | None, plan: _Plan) -> None:
    if feedback is not None and feedback.isCanceled():
        raise _canceled(plan)


def _canceled(plan: _Plan) -> FetchCanceledError:
    return FetchCanceledError(tr("Téléchargement WFS annulé : couche {layer} ({url}). Rien n'a été "
                                 "écrit.").format(layer=plan.query.typename,
                                                  url=plan.query.endpoint), plan.query.endpoint)


def _merge(plan: _Plan, outcomes: list[_PageOutcome], dest: Path, geometry_column: str) -> WfsResult:
    """Write the fragments in page order into one FeatureCollection, then rename it to `dest`."""
    typename = plan.query.typename
    first = outcomes[0]
    count = sum(outcome.returned for outcome in outcomes)
    if plan.keep_ids:
        seen: set[str] = set()
        repeated = ""
        for outcome in outcomes:
            for feature_id in outcome.ids:
                if feature_id in seen and not repeated:
                    repeated = feature_id
                seen.add(feature_id)
        if repeated:
            # as many features as announced, but some twice: as many others were never sent
            raise WfsIncompleteError(tr("Les pages WFS de la couche {layer} se chevauchent (objet "
                                        "{id} reçu deux fois) : sans champ de tri (SORTBY), l'ordre "
                                        "n'est pas stable. Précisez un champ unique dans le "
                                        "catalogue ; rien n'a été écrit ({url}).").format(
                layer=typename, id=repeated, url=first.request.label),
                first.download.final_url, typename, expected=count, received=len(seen))
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


def _sha256_bytes(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""
