"""HTTP downloads on QGIS's network stack: the mirror, retries with backoff, redirects (one exchange: exchange.py)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from qgis.core import QgsFeedback

from ..toolbelt import log
from ..toolbelt.i18n import tr
from .errors import FetchCanceledError, HttpStatusError, NetworkError, host_of
from .exchange import FORM_CONTENT_TYPE, Response, exchange
from .thread_objects import QtObjects

__all__ = [
    "FORM_CONTENT_TYPE", "MAX_REDIRECTS", "REDIRECT_STATUSES", "RETRY_STATUSES", "Response", "RetryPolicy",
    "download", "exchange", "exchange_with_retries", "mirrored_url", "parse_retry_after",
]

#: statuses worth another try: rate limiting (data.geopf.fr answers 429 beyond 30 requests/s and
#: blocks for 5 s) and transient server or gateway failures
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist on 429/5xx answers and transient network failures."""

    #: total tries of one request, the first included
    attempts: int = 4
    #: first backoff delay; it doubles at each retry (with ±25 % jitter), up to max_delay_s
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    #: all waits of one fetch together; a Retry-After beyond what is left ends the retries
    max_total_wait_s: float = 120.0

    def backoff(self, retry_index: int) -> float:
        delay = min(self.max_delay_s, self.base_delay_s * 2**retry_index)
        return delay * random.uniform(0.75, 1.25)


@dataclass
class _Budget:
    """Waiting already spent by one fetch, shared by its redirect hops."""

    policy: RetryPolicy
    waited_s: float = 0.0


# -- mirror ------------------------------------------------------------------------------------
def mirrored_url(url: str, mirror: str) -> str:
    """`https://host/path?q` → `<mirror>/host/path?q`; unchanged without mirror or if already on it."""
    if not mirror:
        return url
    base = mirror.rstrip("/")
    if url == base or url.startswith(base + "/"):
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    rewritten = f"{base}/{host}{parts.path or '/'}"
    return f"{rewritten}?{parts.query}" if parts.query else rewritten


# -- retries and redirects -------------------------------------------------------------------
def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date; None if absent."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def exchange_with_retries(url: str, budget: _Budget, feedback: QgsFeedback | None = None,
                          **kwargs) -> Response:
    """`exchange`, tried again on 429/5xx and transient network errors, with exponential backoff
    or the server's Retry-After, within the budget; the last answer or error is returned/raised."""
    policy = budget.policy
    for attempt in range(1, policy.attempts + 1):
        response: Response | None = None
        failure: NetworkError | None = None
        try:
            response = exchange(url, feedback=feedback, **kwargs)
        except NetworkError as error:
            if not error.transient:
                raise
            failure = error
        if response is not None:
            response.attempts = attempt
            if response.status not in RETRY_STATUSES:
                return response
        if attempt == policy.attempts:
            break
        retry_after = parse_retry_after(response.header("retry-after")) if response else None
        delay = retry_after if retry_after is not None else policy.backoff(attempt - 1)
        if budget.waited_s + delay > policy.max_total_wait_s:
            log.warning(tr("{url} : attente demandée de {delay:.0f} s au-delà du maximum, "
                           "abandon.").format(url=url, delay=delay))
            break
        reason = str(response.status) if response else failure.message
        log.info(tr("{url} : nouvelle tentative dans {delay:.1f} s ({reason}).").format(
            url=url, delay=delay, reason=reason))
        _sleep(delay, feedback, url)
        budget.waited_s += delay
    if response is not None:
        return response
    raise failure


def download(url: str, *, mirror: str = "", retry: RetryPolicy | None = None,
             authcfg: str = "", body: bytes | None = None, content_type: str = FORM_CONTENT_TYPE,
             allow_http: bool = False, **kwargs) -> Response:
    """GET `url` (POST `body` to it when given) through the mirror if any, following redirects and
    retrying transient failures.

    The QGIS authentication configuration is applied to the first host only: a redirect to
    another host (a CDN, a signed storage URL) must not receive the user's credentials.

    POST is only used for read-only queries too long for a URL (a WFS filter holding a territory
    polygon), so it is retried like a GET. Through a mirror it goes to the same rewritten address,
    `<mirror>/host/path`, with the same body: the mirror must then forward (or answer from a record
    keyed on the body) POST requests, which a plain file tree cannot do. A 303 is followed with a
    GET, as it means; the other redirects repeat the POST, since a GET would lose the query.

    A redirect is followed to http(s) addresses only, and from https to http only with `allow_http`.
    """
    qt_objects = QtObjects()  # the replies, loops and timers of every attempt and hop
    try:
        return _download(url, mirror, _Budget(retry or RetryPolicy()), authcfg, body, content_type,
                         allow_http, qt_objects=qt_objects, **kwargs)
    finally:
        qt_objects.destroy()


def _download(url: str, mirror: str, budget: _Budget, authcfg: str, body: bytes | None, content_type: str,
              allow_http: bool, **kwargs) -> Response:
    current = mirrored_url(url, mirror)
    auth_host = urlsplit(current).netloc
    for _hop in range(MAX_REDIRECTS + 1):
        hop_auth = authcfg if urlsplit(current).netloc == auth_host else ""
        response = exchange_with_retries(current, budget, authcfg=hop_auth, body=body,
                                         content_type=content_type, **kwargs)
        if response.status not in REDIRECT_STATUSES:
            return response
        if response.status == 303:
            body = None
        location = response.header("location")
        if not location:
            raise HttpStatusError(tr("Le serveur {host} a répondu {status} (redirection) pour "
                                     "{url} sans indiquer d'adresse : signalez-le au producteur "
                                     "de la donnée.").format(host=host_of(current),
                                                             status=response.status, url=current),
                                  current, response.status)
        current = _redirect_target(current, urljoin(current, location.strip()), mirror, allow_http)
    raise NetworkError(tr("Trop de redirections (plus de {count}) à partir de {url} : l'adresse "
                          "boucle ; vérifiez-la dans le catalogue.").format(count=MAX_REDIRECTS,
                                                                           url=url), url)


def _redirect_target(current: str, target: str, mirror: str, allow_http: bool) -> str:
    """Where a redirect from `current` leads (through the mirror), if it may be followed: http(s) only
    (never file:, ftp:, data:…), and from https to plain http only when `allow_http`."""
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise NetworkError(tr("Redirection refusée : seules les adresses http et https sont suivies ({url} → "
                              "{target}) ; rien n'a été lu. Signalez-le au producteur de la donnée.").format(
            url=current, target=target[:200]), current)
    if urlsplit(current).scheme.lower() == "https" and scheme == "http" and not allow_http:
        raise NetworkError(tr("Redirection refusée vers une adresse non chiffrée ({url} → {target}) : les données "
                              "pourraient être modifiées en chemin. Signalez-le au producteur ; une entrée de "
                              "catalogue peut l'autoriser (« allow_http »).").format(
            url=current, target=target[:200]), current)
    return mirrored_url(target, mirror)


def _sleep(seconds: float, feedback: QgsFeedback | None, url: str) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if feedback is not None and feedback.isCanceled():
            raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
        time.sleep(min(0.05, left))
