"""fetch(): the one way the plugin downloads a URL — cache, conditional GET, offline mode, checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from qgis.core import QgsFeedback

from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.settings import Settings
from ..toolbelt.settings import current as current_settings
from .cache import CacheEntry, DownloadCache, safe_file_name, utc_now_iso
from .errors import HttpStatusError, IncompleteBodyError, OfflineError, UnexpectedContentError, http_status_message
from .exchange import FORM_CONTENT_TYPE, Response
from .formats import error_document
from .network import RetryPolicy, download
from .verify import BodyProblem, ExpansionLimits, body_error, check_body


@dataclass(frozen=True)
class FetchResult:
    """A downloaded file and where it came from; `to_manifest()` is what a package records."""

    #: URL asked for (before mirror and redirects)
    url: str
    #: URL that served the bytes (mirror and redirects applied)
    final_url: str
    #: the file: inside the cache (read-only, may be evicted later) unless `dest` was given
    path: Path
    size: int
    sha256: str
    #: 200 for a download, 304 when the cached copy was confirmed by the server, the stored
    #: status when served from the cache without asking (offline, max_age_s)
    status: int
    etag: str
    last_modified: str
    content_type: str
    #: ISO 8601 UTC time the server last confirmed this content
    fetched_at: str
    from_cache: bool

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def json(self) -> Any:
        return json.loads(self.path.read_bytes().decode("utf-8-sig"))

    def to_manifest(self) -> dict[str, Any]:
        return {"url": self.url, "final_url": self.final_url, "file": self.path.name,
                "size": self.size, "sha256": self.sha256, "status": self.status,
                "etag": self.etag, "last_modified": self.last_modified,
                "content_type": self.content_type, "fetched_at": self.fetched_at,
                "from_cache": self.from_cache}


def fetch(url: str, dest: str | Path | None = None, *, settings: Settings | None = None,
          feedback: QgsFeedback | None = None, authcfg: str = "",
          headers: dict[str, str] | None = None, max_age_s: float | None = None,
          accept_html: bool = False, retry: RetryPolicy | None = None,
          body: bytes | None = None, content_type: str = FORM_CONTENT_TYPE,
          allow_http: bool = False) -> FetchResult:
    """Download `url` through the cache and return the file with its provenance.

    - A cached copy is revalidated with If-None-Match / If-Modified-Since; a 304 serves it
      without downloading again. With `max_age_s`, a copy younger than that is used as is.
    - Offline mode (settings.offline) serves the cache only, OfflineError otherwise.
    - Redirects lead to http(s) only; from https to plain http only with `allow_http`.
    - settings.mirror_url rewrites `https://host/path?q` to `<mirror>/host/path?q`.
    - `dest` (a file, or an existing folder) receives a copy the caller owns.
    - An HTML page (unless `accept_html`) or an OGC exception report is an error, not data.
    - A body is checked whole before it is cached or returned (verify.check_body: gzip to its end,
      zip CRCs, JSON parsed, bounded expansion); one that is not is downloaded once more, then
      IncompleteBodyError. A cached copy never checked (an older version's cache) is checked at
      its first use, and dropped when it fails.
    - With `body`, the request is a POST of it (a read-only query too long for a URL, such as a
      WFS filter): cached under the URL and the body together, never revalidated (a conditional
      POST means something else), so `max_age_s` decides how long a copy is used.
    Raises a FetchError subclass with a French message naming the URL. Call it from a QgsTask or
    a Processing algorithm, never from the GUI thread: it blocks until the download ends.
    """
    settings = settings or current_settings()
    cache = DownloadCache.from_settings(settings)
    key = _cache_key(url, authcfg, headers, body, content_type)
    with cache.locked(key):
        entry = _checked(cache, cache.lookup(key), ExpansionLimits.from_settings(settings))
        if settings.offline:
            if entry is None:
                raise OfflineError(tr("Mode hors ligne : {url} n'est pas dans le cache ({folder}). "
                                      "Désactivez le mode hors ligne dans les options de "
                                      "l'extension pour le télécharger, ou remplissez le cache "
                                      "depuis un poste connecté.").format(url=url,
                                                                         folder=cache.root), url)
            result = _cached_result(cache, cache.touch(entry), url)
        elif entry is not None and max_age_s is not None and _age_s(entry) <= max_age_s:
            result = _cached_result(cache, cache.touch(entry), url)
        else:
            try:
                result = _fetch_online(url, cache, key, entry, settings, feedback, authcfg, headers,
                                       accept_html, retry, body, content_type, allow_http=allow_http)
            except IncompleteBodyError as error:
                if not error.transient:
                    raise
                log.info(tr("{url} : nouvelle tentative, le fichier reçu n'était pas entier ({error}).").format(
                    url=url, error=error))
                result = _fetch_online(url, cache, key, entry, settings, feedback, authcfg, headers,
                                       accept_html, retry, body, content_type, last_try=True,
                                       allow_http=allow_http)
    if feedback is not None:
        feedback.setProgress(100)
    return _deliver(result, Path(dest)) if dest is not None else result


def _fetch_online(url: str, cache: DownloadCache, key: str, entry: CacheEntry | None,
                  settings: Settings, feedback: QgsFeedback | None, authcfg: str,
                  headers: dict[str, str] | None, accept_html: bool,
                  retry: RetryPolicy | None, body: bytes | None = None,
                  content_type: str = FORM_CONTENT_TYPE, last_try: bool = False,
                  allow_http: bool = False) -> FetchResult:
    request_headers = dict(headers or {})
    if entry is not None and body is None:
        if entry.etag:
            request_headers["If-None-Match"] = entry.etag
        if entry.last_modified:
            request_headers["If-Modified-Since"] = entry.last_modified
    response = download(url, mirror=settings.mirror_url, retry=retry, authcfg=authcfg,
                        headers=request_headers, timeout_s=settings.timeout_s, feedback=feedback,
                        part_dir=cache.partial_dir, body=body, content_type=content_type,
                        deadline_s=settings.download_deadline_s, allow_http=allow_http,
                        limits=ExpansionLimits.from_settings(settings))
    if response.status == 304 and entry is not None:
        entry = cache.touch(entry, fetched_at=utc_now_iso())
        return replace(_cached_result(cache, entry, url), status=304)
    if 200 <= response.status < 300:
        try:
            _check_payload(response, accept_html)
            _check_whole(response, ExpansionLimits.from_settings(settings), last_try)
        except (UnexpectedContentError, IncompleteBodyError):
            response.discard()
            raise
        stored = cache.store(key, response.body_path, CacheEntry(
            key=key, file=_file_name(response), url=url, final_url=response.url,
            size=response.size, sha256=response.sha256, status=response.status,
            etag=response.header("etag"), last_modified=response.header("last-modified"),
            content_type=response.header("content-type"), fetched_at=utc_now_iso(), verified=True))
        cache.evict(keep=(key,))
        return replace(_cached_result(cache, stored, url), from_cache=False)
    message = http_status_message(response.url, response.status, attempts=response.attempts,
                                  detail=_error_detail(response), mirror=settings.mirror_url,
                                  authcfg=authcfg)
    if response.url != url:
        message += " " + tr("(Adresse demandée : {url}.)").format(url=url)
    raise HttpStatusError(message, response.url, response.status, body=response.error_body)


def forget(url: str, *, settings: Settings | None = None, authcfg: str = "",
           headers: dict[str, str] | None = None, body: bytes | None = None,
           content_type: str = FORM_CONTENT_TYPE) -> None:
    """Drop the cached answer of a request (same arguments as `fetch`) that proved unusable, such
    as a WFS page holding fewer features than announced: the next fetch downloads it again."""
    cache = DownloadCache.from_settings(settings or current_settings())
    key = _cache_key(url, authcfg, headers, body, content_type)
    with cache.locked(key):
        cache.remove(key)


def _cache_key(url: str, authcfg: str, headers: dict[str, str] | None, body: bytes | None,
               content_type: str) -> str:
    """The cache key of a GET is unchanged by POST support; a POST adds its body to the URL."""
    if body is None:
        return DownloadCache.key_for(url, authcfg, headers)
    digest = hashlib.sha256(body).hexdigest()
    return DownloadCache.key_for(f"POST {url}\n{content_type}\n{digest}", authcfg, headers)


def _cached_result(cache: DownloadCache, entry: CacheEntry, url: str) -> FetchResult:
    return FetchResult(url=url, final_url=entry.final_url, path=cache.path_of(entry),
                       size=entry.size, sha256=entry.sha256, status=entry.status, etag=entry.etag,
                       last_modified=entry.last_modified, content_type=entry.content_type,
                       fetched_at=entry.fetched_at, from_cache=True)


def _check_whole(response: Response, limits: ExpansionLimits, last_try: bool) -> None:
    """IncompleteBodyError unless the body is whole (transient: worth one more download, unless
    `last_try` or the body expands beyond the limits)."""
    if response.status == 204:
        return
    try:
        check_body(response.body_path, limits)
    except BodyProblem as problem:
        raise body_error(response.url, problem, last_try) from None


def _checked(cache: DownloadCache, entry: CacheEntry | None, limits: ExpansionLimits) -> CacheEntry | None:
    """`entry`, once its file is known whole (checked now if it never was); None, the entry dropped,
    when it is not: it will be downloaded again."""
    if entry is None or entry.verified:
        return entry
    try:
        check_body(cache.path_of(entry), limits)
    except BodyProblem as problem:
        log.warning(tr("Copie en cache de {url} inutilisable ({reason}) : elle est supprimée et sera "
                       "téléchargée de nouveau.").format(url=entry.url, reason=problem.reason))
        cache.remove(entry.key)
        return None
    return cache.touch(entry, verified=True)


def _age_s(entry: CacheEntry) -> float:
    try:
        fetched = datetime.fromisoformat(entry.fetched_at)
    except ValueError:
        return float("inf")
    return (datetime.now(timezone.utc) - fetched).total_seconds()


def _check_payload(response: Response, accept_html: bool) -> None:
    with open(response.body_path, "rb") as stream:
        head = stream.read(8192)
    problem = error_document(head, response.header("content-type"))
    if problem is None or (problem[0] == "html" and accept_html):
        return
    kind, detail = problem
    if kind == "ogc":
        message = tr("Le service a renvoyé une exception OGC pour {url} : « {detail} ». Vérifiez "
                     "les paramètres de la requête (nom de couche, emprise, format) dans le "
                     "catalogue.").format(url=response.url, detail=detail or "?")
    else:
        message = tr("{url} a renvoyé une page HTML (« {title} ») au lieu des données attendues : "
                     "le lien a peut-être changé ou le service est en maintenance ; ouvrez "
                     "l'adresse dans un navigateur pour vérifier.").format(
            url=response.url, title=detail or tr("sans titre"))
    raise UnexpectedContentError(message, response.url, body=head)


def _error_detail(response: Response) -> str:
    """A short human-readable reason from an error body, when the server gave one."""
    problem = error_document(response.error_body, response.header("content-type"))
    if problem is not None:
        return problem[1]
    content_type = response.header("content-type").lower()
    if content_type.startswith(("text/plain", "application/json", "application/problem+json")):
        return " ".join(response.error_body[:300].decode("utf-8", "replace").split())
    return ""


def _file_name(response: Response) -> str:
    disposition = response.header("content-disposition")
    found = re.search(r"filename\*\s*=\s*[^']*'[^']*'([^;]+)", disposition) or re.search(
        r'filename\s*=\s*"?([^";]+)"?', disposition)
    if found:
        return safe_file_name(unquote(found.group(1)))
    return safe_file_name(unquote(urlsplit(response.url).path))


def _deliver(result: FetchResult, dest: Path) -> FetchResult:
    """Copy the cached file to `dest` under a temporary name, then rename: never a partial file."""
    if dest.is_dir():
        dest = dest / result.path.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copyfile(result.path, tmp_name)
        os.replace(tmp_name, dest)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return replace(result, path=dest)
