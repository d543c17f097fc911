"""HTTP exchanges on QGIS's network stack: streaming to disk, retries, redirects, mirror, User-Agent."""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from qgis.core import QgsApplication, QgsFeedback, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QEventLoop, QTimer, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from ..__about__ import USER_AGENT
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .errors import (
    AuthConfigError,
    FetchCanceledError,
    FetchError,
    FetchTimeoutError,
    HttpStatusError,
    NetworkError,
    host_of,
)

#: statuses worth another try: rate limiting (data.geopf.fr answers 429 beyond 30 requests/s and
#: blocks for 5 s) and transient server or gateway failures
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: the only kind of body the plugin sends: OGC key-value parameters too long for a URL (GeoServer
#: reads a POST as KVP when its Content-Type is exactly this, without a charset)
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_REDIRECTS = 10
#: how much of an error body is kept to explain the error
ERROR_BODY_BYTES = 64 * 1024
_CANCEL_POLL_MS = 100
#: what failed, in the user's words, should a slot of a reply raise
RECEIVING = tr("la réception d'un téléchargement")

_Attr = QNetworkRequest.Attribute
_NetErr = QNetworkReply.NetworkError
#: Qt errors after which the same request may well succeed
_TRANSIENT_ERRORS = frozenset({
    _NetErr.RemoteHostClosedError, _NetErr.TemporaryNetworkFailureError,
    _NetErr.NetworkSessionFailedError, _NetErr.UnknownNetworkError, _NetErr.ProxyTimeoutError,
    _NetErr.TimeoutError, _NetErr.UnknownServerError, _NetErr.InternalServerError,
    _NetErr.ServiceUnavailableError,
})
_SSL_ERRORS = frozenset({_NetErr.SslHandshakeFailedError})
_PROXY_ERRORS = frozenset({
    _NetErr.ProxyConnectionRefusedError, _NetErr.ProxyConnectionClosedError,
    _NetErr.ProxyNotFoundError, _NetErr.ProxyTimeoutError,
    _NetErr.ProxyAuthenticationRequiredError, _NetErr.UnknownProxyError,
})


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
class Response:
    """One HTTP answer. A 2xx body is in `body_path` (a temporary file the caller moves or
    deletes); any other body is kept, truncated, in `error_body`."""

    url: str
    status: int
    headers: dict[str, str]
    body_path: Path | None = None
    size: int = 0
    sha256: str = ""
    error_body: bytes = b""
    attempts: int = 1

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def discard(self) -> None:
        if self.body_path is not None:
            self.body_path.unlink(missing_ok=True)
            self.body_path = None


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


# -- User-Agent ----------------------------------------------------------------------------------
# QgsNetworkAccessManager.createRequest overwrites any User-Agent with « <user setting> QGIS/<ver> »
# (checked on 3.22). A request preprocessor runs after that: it appends the plugin's identity to
# the requests this module marks, and leaves every other request of QGIS alone.
_UA_MARKER = f"donnees_territoires:{USER_AGENT}"
_ua_hook_id: str | None = None
_ua_hook_lock = threading.Lock()


@guarded(tr("l'identification de l'extension dans une requête réseau"))
def _append_user_agent(request: QNetworkRequest) -> None:
    if request.attribute(_Attr.User) != _UA_MARKER:
        return
    current = bytes(request.rawHeader(b"User-Agent")).decode("latin-1")
    if USER_AGENT not in current:
        request.setRawHeader(b"User-Agent", f"{current} {USER_AGENT}".strip().encode("latin-1"))


def install_user_agent_hook() -> None:
    """Register the preprocessor once per process (it is cheap for requests that are not ours)."""
    global _ua_hook_id
    with _ua_hook_lock:
        if _ua_hook_id is None:
            _ua_hook_id = QgsNetworkAccessManager.setRequestPreprocessor(_append_user_agent)


def remove_user_agent_hook() -> None:
    """Unregister the preprocessor (plugin unload), so no dangling Python callable stays in QGIS."""
    global _ua_hook_id
    with _ua_hook_lock:
        if _ua_hook_id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(_ua_hook_id)
            _ua_hook_id = None


# -- one exchange --------------------------------------------------------------------------------
def exchange(url: str, *, headers: dict[str, str] | None = None, authcfg: str = "",
             timeout_s: float = 60, feedback: QgsFeedback | None = None,
             part_dir: Path | None = None, body: bytes | None = None,
             content_type: str = FORM_CONTENT_TYPE) -> Response:
    """One GET (a POST of `body` when given), no retry, no redirect followed; a 2xx body is
    streamed to a file in `part_dir`, decoded if the server gzipped it.

    Runs a local event loop in the calling thread, so it works from a QgsTask worker thread
    (QgsNetworkAccessManager.instance() is per thread and copies the user's proxy and SSL setup).
    """
    request = QNetworkRequest(QUrl(url))
    # redirects are followed by `download`, identically on Qt 5 (manual by default) and Qt 6
    request.setAttribute(_Attr.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
    # our own cache keeps validated copies; QGIS's HTTP cache would answer 304s on our behalf
    # and store gigabytes of data files
    request.setAttribute(_Attr.CacheLoadControlAttribute,
                         QNetworkRequest.CacheLoadControl.AlwaysNetwork)
    request.setAttribute(_Attr.CacheSaveControlAttribute, False)
    request.setAttribute(_Attr.User, _UA_MARKER)
    # Qt decodes gzip by itself only when it wrote Accept-Encoding, and then cannot tell a cut
    # stream from a whole one (Qt 5.15: half a gzip body arrived as a shorter "successful" file).
    # Asking for gzip here keeps the raw bytes: their count is checked against Content-Length and
    # the end of the gzip stream is checked by _Decoder.
    request.setRawHeader(b"Accept-Encoding", b"gzip")
    if body is not None:
        request.setRawHeader(b"Content-Type", content_type.encode("latin-1"))
    for name, value in (headers or {}).items():
        request.setRawHeader(name.encode("latin-1"), value.encode("latin-1"))
    auth_manager = QgsApplication.authManager()
    # updateNetworkRequest() answers True for an unknown id: the request would leave without
    # the credentials the user chose, so the id is checked first
    if authcfg and (authcfg not in auth_manager.configIds()
                    or not auth_manager.updateNetworkRequest(request, authcfg)):
        raise AuthConfigError(tr("La configuration d'authentification QGIS « {authcfg} » n'a pas pu "
                                 "être appliquée à {url} : vérifiez qu'elle existe (Préférences › "
                                 "Options › Authentification) et que le mot de passe maître est "
                                 "saisi.").format(authcfg=authcfg, url=url), url)
    install_user_agent_hook()

    sink = _Sink(part_dir)
    state = {"canceled": False, "timed_out": False, "error_body": b"", "decoder": None}
    loop = QEventLoop()
    idle = QTimer()
    idle.setSingleShot(True)
    idle.setInterval(max(1, int(timeout_s * 1000)))
    poll = QTimer()
    poll.setInterval(_CANCEL_POLL_MS)

    manager = QgsNetworkAccessManager.instance()
    reply = manager.get(request) if body is None else manager.post(request, QByteArray(body))
    if authcfg:
        auth_manager.updateNetworkReply(reply, authcfg)

    def read_available() -> None:
        data = bytes(reply.readAll())
        if not data:
            return
        if state["decoder"] is None:
            state["decoder"] = _Decoder(bytes(reply.rawHeader(b"Content-Encoding")).decode("latin-1"))
        decoder = state["decoder"]
        status = reply.attribute(_Attr.HttpStatusCodeAttribute)
        if status is not None and 200 <= int(status) < 300:
            sink.write(decoder.feed(data))
        elif len(state["error_body"]) < ERROR_BODY_BYTES:
            try:
                data = decoder.feed(data)
            except zlib.error:
                pass  # an error body is only used to explain the error: keep what arrived
            state["error_body"] += data[: ERROR_BODY_BYTES - len(state["error_body"])]

    # the reply's slots run in the fetching thread (often a task's): the guard only logs there
    @guarded(RECEIVING)
    def on_ready_read() -> None:
        idle.start()
        try:
            read_available()
        except zlib.error:
            # a corrupt gzip stream: the answer is unusable, stop receiving it
            state["decode_error"] = True
            reply.abort()
        except Exception as error:  # noqa: BLE001 - disk full, permissions: stop now and say why, as a
            # failed download (the guard would only log it)
            state["disk_error"] = error
            reply.abort()

    @guarded(RECEIVING)
    def on_upload_progress(_sent: int, _total: int) -> None:
        idle.start()

    @guarded(RECEIVING)
    def on_progress(received: int, total: int) -> None:
        idle.start()
        if feedback is not None and total > 0:
            feedback.setProgress(min(100.0, 100.0 * received / total))

    @guarded(RECEIVING)
    def on_poll() -> None:
        # polled rather than connected to QgsFeedback.canceled: that signal is emitted in the
        # thread calling cancel(), and the reply must only be touched from its own thread
        if feedback is not None and feedback.isCanceled():
            state["canceled"] = True
            reply.abort()

    @guarded(RECEIVING)
    def on_idle() -> None:
        state["timed_out"] = True
        reply.abort()

    reply.readyRead.connect(on_ready_read)
    reply.downloadProgress.connect(on_progress)
    reply.uploadProgress.connect(on_upload_progress)
    reply.finished.connect(loop.quit)
    idle.timeout.connect(on_idle)
    poll.timeout.connect(on_poll)
    idle.start()
    poll.start()
    on_poll()
    if not reply.isFinished():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    idle.stop()
    poll.stop()
    decoding_failed = state.get("decode_error", False)
    try:
        if not (state["canceled"] or state["timed_out"]):
            read_available()
            final_status = reply.attribute(_Attr.HttpStatusCodeAttribute)
            if state["decoder"] is not None and final_status is not None \
                    and 200 <= int(final_status) < 300:
                sink.write(state["decoder"].finish())
    except OSError as error:
        state["disk_error"] = error
    except zlib.error:
        decoding_failed = True
    status = reply.attribute(_Attr.HttpStatusCodeAttribute)
    error = reply.error()
    error_text = reply.errorString()
    response_headers = {bytes(name).decode("latin-1").lower(): bytes(reply.rawHeader(name))
                        .decode("latin-1") for name in reply.rawHeaderList()}
    reply.deleteLater()

    if state["canceled"]:
        sink.discard()
        raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
    if "disk_error" in state:
        sink.discard()
        raise FetchError(tr("Impossible d'écrire le téléchargement de {url} sur le disque "
                            "({error}) : vérifiez l'espace libre et les droits du dossier de "
                            "cache ({folder}).").format(url=url, error=state["disk_error"],
                                                        folder=part_dir), url)
    if state["timed_out"] or (error == _NetErr.OperationCanceledError and status is None):
        # OperationCanceled without our cancel: QGIS's own network timeout aborted the reply
        sink.discard()
        raise FetchTimeoutError(tr("Le serveur {host} n'a rien envoyé pendant {timeout} s pour "
                                   "{url} : il est peut-être surchargé ; réessayez plus tard ou "
                                   "augmentez le délai d'attente dans les options de l'extension."
                                   ).format(host=host_of(url), timeout=timeout_s, url=url), url)
    if status is None:
        sink.discard()
        raise _network_error(url, error, error_text)
    status = int(status)
    if 200 <= status < 300:
        decoder = state["decoder"] or _Decoder("")
        if decoder.unsupported:
            sink.discard()
            raise NetworkError(tr("Le serveur {host} a envoyé {url} avec un encodage non pris en "
                                  "charge (« {encoding} ») : signalez-le au producteur de la "
                                  "donnée.").format(host=host_of(url), url=url,
                                                    encoding=decoder.encoding), url)
        expected = response_headers.get("content-length", "")
        # Content-Length counts the bytes on the wire, before any gzip decoding
        truncated = (error != _NetErr.NoError or (
            expected.isdigit() and int(expected) != decoder.raw_size))
        if not truncated and (decoding_failed or not decoder.complete):
            sink.discard()
            raise NetworkError(tr("Le téléchargement de {url} est incomplet : le flux compressé "
                                  "(gzip) s'arrête avant sa fin ou est corrompu ({received} octets "
                                  "reçus) ; relancez.").format(url=url, received=decoder.raw_size),
                               url, transient=True)
        if truncated:
            sink.discard()
            raise NetworkError(tr("Le téléchargement de {url} s'est interrompu ({received} octets "
                                  "reçus sur {expected}) : la connexion a été coupée ; relancez."
                                  ).format(url=url, received=decoder.raw_size,
                                           expected=expected or "?"),
                               url, transient=True)
        path = sink.close()
        return Response(url, status, response_headers, path, sink.size, sink.sha256())
    sink.discard()
    return Response(url, status, response_headers, error_body=state["error_body"])


class _Sink:
    """Body of a 2xx answer: a temporary file created on the first byte, hashed as it arrives."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.size = 0
        self._hash = hashlib.sha256()
        self._stream = None
        self._path: Path | None = None

    def _open(self) -> None:
        folder = self.folder or Path(tempfile.gettempdir())
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(suffix=".part", dir=folder)
        self._stream = os.fdopen(fd, "wb")
        self._path = Path(name)

    def write(self, data: bytes) -> None:
        if self._stream is None:
            self._open()
        self._stream.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> Path:
        if self._stream is None:  # empty body
            self._open()
        self._stream.close()
        return self._path

    def sha256(self) -> str:
        return self._hash.hexdigest()

    def discard(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)


class _Decoder:
    """Undo a gzip Content-Encoding as the body arrives, and tell whether the stream was whole."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        self.gzipped = self.encoding in ("gzip", "x-gzip")
        #: an encoding we did not ask for and cannot undo
        self.unsupported = self.encoding not in ("", "identity") and not self.gzipped
        #: bytes received on the wire
        self.raw_size = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if self.gzipped else None

    def feed(self, data: bytes) -> bytes:
        self.raw_size += len(data)
        if self._inflater is None:
            return data
        out = self._inflater.decompress(data)
        # a body may hold several gzip members one after the other (RFC 1952 § 2.2)
        while self._inflater.eof and self._inflater.unused_data:
            rest = self._inflater.unused_data
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += self._inflater.decompress(rest)
        return out

    def finish(self) -> bytes:
        return self._inflater.flush() if self._inflater is not None else b""

    @property
    def complete(self) -> bool:
        """False when a gzip stream stopped before its end marker (an empty body is whole)."""
        return self._inflater is None or self.raw_size == 0 or self._inflater.eof


def _network_error(url: str, error, error_text: str) -> NetworkError:
    host = host_of(url)
    if error in _SSL_ERRORS:
        text = tr("La connexion sécurisée à {host} a échoué pour {url} ({detail}) : si votre réseau "
                  "passe par un proxy qui re-signe les certificats, ajoutez son autorité de "
                  "certification dans QGIS (Préférences › Options › Authentification).")
    elif error in _PROXY_ERRORS:
        text = tr("Le proxy n'a pas permis de joindre {host} pour {url} ({detail}) : vérifiez la "
                  "configuration du proxy dans Préférences › Options › Réseau.")
    elif error == _NetErr.HostNotFoundError:
        text = tr("Le serveur {host} est introuvable pour {url} ({detail}) : vérifiez votre "
                  "connexion internet, le proxy (Préférences › Options › Réseau) ou utilisez le "
                  "mode hors ligne.")
    else:
        text = tr("Impossible de joindre {host} pour {url} ({detail}) : vérifiez votre connexion "
                  "et le proxy (Préférences › Options › Réseau), puis réessayez.")
    return NetworkError(text.format(host=host, url=url, detail=error_text), url,
                        transient=error in _TRANSIENT_ERRORS)


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
             **kwargs) -> Response:
    """GET `url` (POST `body` to it when given) through the mirror if any, following redirects and
    retrying transient failures.

    The QGIS authentication configuration is applied to the first host only: a redirect to
    another host (a CDN, a signed storage URL) must not receive the user's credentials.

    POST is only used for read-only queries too long for a URL (a WFS filter holding a territory
    polygon), so it is retried like a GET. Through a mirror it goes to the same rewritten address,
    `<mirror>/host/path`, with the same body: the mirror must then forward (or answer from a record
    keyed on the body) POST requests, which a plain file tree cannot do. A 303 is followed with a
    GET, as it means; the other redirects repeat the POST, since a GET would lose the query.
    """
    budget = _Budget(retry or RetryPolicy())
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
        target = mirrored_url(urljoin(current, location.strip()), mirror)
        if current.startswith("https:") and target.startswith("http:"):
            log.warning(tr("{url} redirige vers une adresse non chiffrée : {target}.").format(
                url=current, target=target))
        current = target
    raise NetworkError(tr("Trop de redirections (plus de {count}) à partir de {url} : l'adresse "
                          "boucle ; vérifiez-la dans le catalogue.").format(count=MAX_REDIRECTS,
                                                                           url=url), url)


def _sleep(seconds: float, feedback: QgsFeedback | None, url: str) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if feedback is not None and feedback.isCanceled():
            raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
        time.sleep(min(0.05, left))
