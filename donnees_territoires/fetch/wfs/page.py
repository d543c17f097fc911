"""One GetFeature page: its request (GET, or POST when too long), its download, its checks, its fragment."""

from __future__ import annotations

import itertools
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from qgis.core import QgsFeedback

from ...toolbelt.i18n import tr
from ...toolbelt.settings import Settings
from ..download import FetchResult, fetch, forget
from ..errors import HttpStatusError, UnexpectedContentError, WfsError, WfsIncompleteError
from ..network import RetryPolicy
from .exception_report import service_error
from .query import WfsQuery, request_url
from .rate_limit import RateLimiter

#: a GetFeature URL longer than this is sent as a POST form: proxies and servers commonly refuse
#: request lines beyond 8 KiB, and a territory polygon in a filter easily exceeds that
MAX_GET_URL_CHARS = 4000


@dataclass(frozen=True)
class PageRequest:
    """One page to ask for."""

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
class PageOutcome:
    """One page received and checked; its features wait in `fragment` to be merged."""

    request: PageRequest
    download: FetchResult
    returned: int
    matched: Optional[int]
    #: the "crs" member of the page, copied as is into the merged file
    crs: Optional[dict]
    geometry_name: str
    fragment: Path
    #: the features' ids: every one, or the page's first only (PagingPlan.keep_ids)
    ids: tuple[str, ...]


@dataclass
class PagingPlan:
    """What every page of one get_features() shares: the query, how to fetch, where fragments go."""

    query: WfsQuery
    params: list[tuple[str, str]]
    settings: Settings
    authcfg: str
    retry: Optional[RetryPolicy]
    max_age_s: Optional[float]
    limiter: RateLimiter
    max_get_chars: int
    work: Path
    #: keep every feature id to detect overlapping pages (only without a sort key: with one, paging is
    #: stable and the ids of millions of buildings would cost memory for nothing; each page's first id
    #: is kept anyway, to tell a service that ignores STARTINDEX and serves the same page again)
    keep_ids: bool
    #: pages read so far (appended by the workers)
    fetched: list[PageRequest] = field(default_factory=list)

    def forget_pages(self) -> None:
        """Drop the cached pages of a result refused as a whole (counts changed, pages overlapping):
        a later run must not rebuild it from the same copies."""
        for request in list(self.fetched):
            forget(request.url, settings=self.settings, authcfg=self.authcfg, body=request.body)

    def request(self, start: int, count: int, expected: Optional[int]) -> PageRequest:
        params = self.params + [("STARTINDEX", str(start)), ("COUNT", str(count))]
        url = request_url(self.query.endpoint, params)
        if len(url) <= self.max_get_chars:
            return PageRequest(start, count, expected, url, None, url)
        body = urlencode(params).encode("ascii")
        label = (f"{self.query.endpoint} [POST TYPENAMES={self.query.typename} "
                 f"STARTINDEX={start} COUNT={count}]")
        return PageRequest(start, count, expected, self.query.endpoint, body, label)


def fetch_page(plan: PagingPlan, request: PageRequest, feedback: QgsFeedback) -> PageOutcome:
    """Fetch, read and check one page, and write its features as a fragment of the final file."""
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
            raise _refused(plan, request, error) from error
    try:
        outcome = _read_page(plan, request, result, raw)
    except WfsError:
        forget(request.url, settings=plan.settings, authcfg=plan.authcfg, body=request.body)
        raise
    finally:
        raw.unlink(missing_ok=True)
    plan.fetched.append(request)
    return outcome


def _refused(plan: PagingPlan, request: PageRequest, error: HttpStatusError | UnexpectedContentError):
    """The error to raise for a page the server (or the mirror) would not serve."""
    typename = plan.query.typename
    mirror = plan.settings.mirror_url
    if (request.body is not None and mirror and isinstance(error, HttpStatusError)
            and error.status in (404, 405, 501)):
        return WfsError(tr("Le miroir {mirror} n'a pas accepté la requête POST de la couche "
                           "{layer} (HTTP {status}) : un filtre trop long pour une adresse "
                           "est envoyé en POST au miroir ({url}), qui doit alors transmettre "
                           "ces requêtes au service. Désactivez le miroir ou découpez par "
                           "codes plutôt que par contour.").format(
            mirror=mirror, layer=typename, status=error.status, url=request.label),
            error.url, typename)
    return service_error(error, typename, request.label)


def _read_page(plan: PagingPlan, request: PageRequest, result: FetchResult, raw: Path) -> PageOutcome:
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
        raise short_page_error(typename, request, len(features), result.final_url)
    matched = _count(collection.get("numberMatched"))
    if matched is None:
        matched = _count(collection.get("totalFeatures"))
    fragment = plan.work / f"fragment-{request.start:012d}.json"
    with open(fragment, "w", encoding="utf-8") as stream:
        for index, feature in enumerate(features):
            if index:
                stream.write(",\n")
            stream.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    found = (str(feature.get("id")) for feature in features
             if isinstance(feature, dict) and feature.get("id") is not None)
    ids = tuple(found) if plan.keep_ids else tuple(itertools.islice(found, 1))
    geometry_name = next((feature.get("geometry_name", "") for feature in features
                          if isinstance(feature, dict)), "")
    crs = collection.get("crs") if isinstance(collection.get("crs"), dict) else None
    return PageOutcome(request, result, len(features), matched, crs, geometry_name or "",
                       fragment, ids)


def short_page_error(typename: str, request: PageRequest, received: int, url: str) -> WfsIncompleteError:
    """A page holding fewer features than it must."""
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
