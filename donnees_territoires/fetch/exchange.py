"""One HTTP exchange on QGIS's network stack: a request, its reply streamed to a file in a local event loop."""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from qgis.core import QgsApplication, QgsFeedback, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QEventLoop, QIODevice, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from ..toolbelt.i18n import tr
from .body import BodyDecoder, PartFile
from .errors import (
    AuthConfigError,
    DeadlineError,
    FetchCanceledError,
    FetchError,
    FetchTimeoutError,
    NetworkError,
    host_of,
)
from .thread_objects import LoopAndTimer, QtObjects
from .verify import BodyProblem, ExpansionLimits, body_error

#: the only kind of body the plugin sends: OGC key-value parameters too long for a URL (GeoServer
#: reads a POST as KVP when its Content-Type is exactly this, without a charset)
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
#: how much of an error body is kept to explain the error
ERROR_BODY_BYTES = 64 * 1024
#: the slowest steady rate a large download is granted time for, beyond the deadline's floor
DEADLINE_BYTES_PER_S = 100_000

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


def deadline_for(floor_s: float, content_length: int | None) -> float:
    """The total time a download may take: `floor_s`, or more for a large announced body (time to
    receive it at DEADLINE_BYTES_PER_S)."""
    return max(floor_s, (content_length or 0) / DEADLINE_BYTES_PER_S)


def exchange(url: str, *, headers: dict[str, str] | None = None, authcfg: str = "",
             timeout_s: float = 60, feedback: QgsFeedback | None = None,
             part_dir: Path | None = None, body: bytes | None = None,
             content_type: str = FORM_CONTENT_TYPE, qt_objects: QtObjects | None = None,
             deadline_s: float | None = None, limits: ExpansionLimits | None = None, method: str = "") -> Response:
    """One GET (a POST of `body` when given; `method` PUT or DELETE for an API's writes), no retry, no
    redirect followed; a 2xx body is streamed to a file in `part_dir`, decoded if the server gzipped it.

    `timeout_s` bounds a silence; `deadline_s` (when given) the whole exchange, however steadily
    bytes trickle in: it is lengthened for a large Content-Length (deadline_for). A gzip-encoded
    body is refused as it arrives once it expands beyond `limits` (IncompleteBodyError).

    Runs a local event loop in the calling thread, so it works from a QgsTask worker thread
    (QgsNetworkAccessManager.instance() is per thread and copies the user's proxy and SSL setup).
    The reply, loop and timer go to `qt_objects` (the download's, destroyed at its end), or are
    destroyed before returning.
    """
    request = _request(url, headers, body, content_type)
    _authorize(request, authcfg, url)
    own = qt_objects is None
    qt_objects = QtObjects() if own else qt_objects
    try:
        return _Exchange(url, timeout_s, feedback, part_dir, deadline_s, limits).run(request, body, authcfg, qt_objects,
                                                                                     method)
    finally:
        if own:
            qt_objects.destroy()


def _request(url: str, headers: dict[str, str] | None, body: bytes | None,
             content_type: str) -> QNetworkRequest:
    request = QNetworkRequest(QUrl(url))
    # redirects are followed by `download`, identically on Qt 5 (manual by default) and Qt 6
    request.setAttribute(_Attr.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
    # our own cache keeps validated copies; QGIS's HTTP cache would answer 304s on our behalf
    # and store gigabytes of data files
    request.setAttribute(_Attr.CacheLoadControlAttribute,
                         QNetworkRequest.CacheLoadControl.AlwaysNetwork)
    request.setAttribute(_Attr.CacheSaveControlAttribute, False)
    # The User-Agent is QGIS's own (« Mozilla/5.0 QGIS/32216 », the user's setting): QGIS overwrites
    # any other, and the only way around it, a Python request preprocessor
    # (QgsNetworkAccessManager.setRequestPreprocessor), is called by QGIS in the thread that sends the
    # request; on QGIS 3.22, using the request it is given in a task thread had QGIS destroy other
    # network replies of that thread under the plugin (tests/qgis/test_fetch_threads.py).
    # Qt decodes gzip by itself only when it wrote Accept-Encoding, and then cannot tell a cut
    # stream from a whole one (Qt 5.15: half a gzip body arrived as a shorter "successful" file).
    # Asking for gzip here keeps the raw bytes: their count is checked against Content-Length and
    # the end of the gzip stream is checked by BodyDecoder.
    request.setRawHeader(b"Accept-Encoding", b"gzip")
    if body is not None:
        request.setRawHeader(b"Content-Type", content_type.encode("latin-1"))
    for name, value in (headers or {}).items():
        request.setRawHeader(name.encode("latin-1"), value.encode("latin-1"))
    return request


def _authorize(request: QNetworkRequest, authcfg: str, url: str) -> None:
    """Apply the QGIS authentication configuration `authcfg` (if any), or AuthConfigError."""
    auth_manager = QgsApplication.authManager()
    # updateNetworkRequest() answers True for an unknown id: the request would leave without
    # the credentials the user chose, so the id is checked first
    if authcfg and (authcfg not in auth_manager.configIds()
                    or not auth_manager.updateNetworkRequest(request, authcfg)):
        raise AuthConfigError(tr("La configuration d'authentification QGIS « {authcfg} » n'a pas pu "
                                 "être appliquée à {url} : vérifiez qu'elle existe (Préférences › "
                                 "Options › Authentification) et que le mot de passe maître est "
                                 "saisi.").format(authcfg=authcfg, url=url), url)


def _is_success(status) -> bool:
    """`status` (the reply's HttpStatusCodeAttribute, None before the headers) is a 2xx."""
    return status is not None and 200 <= int(status) < 300


class SentOnce(QIODevice):
    """A POST body Qt can read once only. When a connection closes before the answer, Qt sends the request
    again by itself, up to three times and without a word, whenever it can rewind the body (a QByteArray): a
    POST that creates (a dataset on data.gouv.fr, a resource) was then made twice when the first answer was
    lost. This device cannot be rewound: Qt ends the reply with ContentReSendError instead, and the caller
    decides. A POST of OGC parameters (a read: FORM_CONTENT_TYPE) is left to Qt's own re-sending."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._position = 0
        self.open(QIODevice.OpenModeFlag.ReadOnly)

    def isSequential(self) -> bool:  # noqa: N802
        return True

    def bytesAvailable(self) -> int:  # noqa: N802
        return len(self._data) - self._position + super().bytesAvailable()

    def atEnd(self) -> bool:  # noqa: N802
        return self._position >= len(self._data) and super().atEnd()

    def readData(self, size: int) -> bytes:  # noqa: N802
        chunk = self._data[self._position:self._position + size]
        self._position += len(chunk)
        return chunk

    def writeData(self, _data) -> int:  # noqa: N802
        return -1

    def sent(self) -> int:
        """How much of the body Qt has taken to send."""
        return self._position


class _Exchange:
    """One request in flight: its reply read into a PartFile (2xx) or `error_body` (any other status).

    This runs in the fetching thread, often a task's. Only C++ slots are connected there (the local
    loop's quit): the Python code runs between two turns of the loop. A Python callable connected to
    a signal in a worker thread makes PyQt create a slot proxy in that thread, and PyQt's table of
    proxies is walked without a lock by the garbage collector of the main thread: QGIS crashed so,
    while downloads failed in a task and the map was being panned. readyRead and finished wake the
    loop at once; a timer wakes it every 100 ms to look at cancellation, silence and progress. The
    reply, loop and timer are destroyed by the download when it ends (thread_objects.py: PyQt marks a
    Qt object destroyed in a task thread as deleted only later).
    """

    def __init__(self, url: str, timeout_s: float, feedback: QgsFeedback | None,
                 part_dir: Path | None, deadline_s: float | None = None,
                 limits: ExpansionLimits | None = None) -> None:
        self.url = url
        self.limits = limits
        self.timeout_s = timeout_s
        self.deadline_s = deadline_s
        #: the total deadline the exchange went past, in seconds (0: none)
        self.past_deadline = 0.0
        self.feedback = feedback
        self.part_dir = part_dir
        self.sink = PartFile(part_dir)
        self.decoder: BodyDecoder | None = None
        self.error_body = b""
        self.received = 0
        self.canceled = False
        self.timed_out = False
        self.decode_failed = False
        #: why the body was refused while it arrived (it expands beyond the limits)
        self.refused: BodyProblem | None = None
        self.disk_error: Exception | None = None
        self.reply: QNetworkReply | None = None
        self._device: SentOnce | None = None
        self._loop: LoopAndTimer | None = None

    def run(self, request: QNetworkRequest, body: bytes | None, authcfg: str, qt_objects: QtObjects,
            method: str = "") -> Response:
        self._loop = qt_objects.loop()
        self.reply, self._device = self._send(request, body, authcfg, method)
        qt_objects.keep(self._device)
        try:
            self._wait()
            self._read_rest()
            reply = self.reply
            status = reply.attribute(_Attr.HttpStatusCodeAttribute)
            error = reply.error()
            error_text = reply.errorString()
            headers = {bytes(name).decode("latin-1").lower(): bytes(reply.rawHeader(name)).decode("latin-1")
                       for name in reply.rawHeaderList()}
            del reply
        finally:
            qt_objects.retire(self.reply)
            self.reply = self._loop = None
        return self._response(status, error, error_text, headers)

    @staticmethod
    def _send(request: QNetworkRequest, body: bytes | None, authcfg: str,
              method: str = "") -> tuple[QNetworkReply, QIODevice | None]:
        """The reply, and the body's device when it is sent once only (SentOnce)."""
        manager = QgsNetworkAccessManager.instance()
        verb = method.upper() or ("GET" if body is None else "POST")
        device = None
        if verb == "GET":
            reply = manager.get(request)
        elif verb == "POST" and bytes(request.rawHeader(b"Content-Type")).decode("latin-1") != FORM_CONTENT_TYPE:
            device = SentOnce(body or b"")
            request.setHeader(QNetworkRequest.KnownHeaders.ContentLengthHeader, len(body or b""))
            request.setAttribute(_Attr.DoNotBufferUploadDataAttribute, True)
            reply = manager.post(request, device)
        elif verb == "POST":
            reply = manager.post(request, QByteArray(body or b""))
        elif verb == "PUT":
            reply = manager.put(request, QByteArray(body or b""))
        elif verb == "DELETE":
            reply = manager.deleteResource(request)
        else:
            raise ValueError(f"méthode HTTP non prise en charge : {method}")
        if authcfg:
            QgsApplication.authManager().updateNetworkReply(reply, authcfg)
        return reply, device

    def _wait(self) -> None:
        """Turn the local event loop until the reply has finished, or was aborted (cancel, silence, error)."""
        reply = self.reply
        # C++ to C++ connections only (see the class): no Python slot in this thread
        loop = self._loop.loop
        self._loop.wake_on(reply)
        self._loop.timer.start()
        started = last_activity = time.monotonic()
        sent = 0
        while not reply.isFinished():
            if self._take_data():
                last_activity = time.monotonic()
            # a body being sent is activity too: a large file on a slow uplink is not a silent server
            if self._device is not None and self._device.sent() != sent:
                sent, last_activity = self._device.sent(), time.monotonic()
            if self.feedback is not None and self.feedback.isCanceled():
                self.canceled = True
            elif time.monotonic() - last_activity > self.timeout_s:
                self.timed_out = True
            elif self.deadline_s is not None and time.monotonic() - started > (limit := self._deadline()):
                self.past_deadline = limit
            if (self.canceled or self.timed_out or self.past_deadline or self.decode_failed
                    or self.refused is not None or self.disk_error is not None):
                reply.abort()
                break
            if reply.bytesAvailable() == 0 and not reply.isFinished():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self._loop.timer.stop()

    def _deadline(self) -> float:
        length = self.reply.header(QNetworkRequest.KnownHeaders.ContentLengthHeader)
        return deadline_for(self.deadline_s, int(length) if length else None)

    def _take_data(self) -> bool:
        """Read what arrived, show the progress; True when something did (the server is alive)."""
        before = self.received
        try:
            self._read_available()
        except zlib.error:
            self.decode_failed = True  # a corrupt gzip stream: the answer is unusable, stop receiving it
        except BodyProblem as problem:
            self.refused = problem  # a gzip bomb: stop receiving it
        except Exception as error:  # noqa: BLE001 - disk full, permissions: stop now, said as a failed download
            self.disk_error = error
        total = self.reply.header(QNetworkRequest.KnownHeaders.ContentLengthHeader)
        if self.feedback is not None and total:
            self.feedback.setProgress(min(100.0, 100.0 * self.received / int(total)))
        return self.received > before

    # -- the body -------------------------------------------------------------------------------
    def _read_available(self) -> None:
        data = bytes(self.reply.readAll())
        if not data:
            return
        self.received += len(data)
        if self.decoder is None:
            self.decoder = BodyDecoder(bytes(self.reply.rawHeader(b"Content-Encoding")).decode("latin-1"),
                                       self.limits)
        if _is_success(self.reply.attribute(_Attr.HttpStatusCodeAttribute)):
            for piece in self.decoder.feed(data):
                self.sink.write(piece)
        elif len(self.error_body) < ERROR_BODY_BYTES:
            self.error_body += self._error_text(data)[: ERROR_BODY_BYTES - len(self.error_body)]

    def _error_text(self, data: bytes) -> bytes:
        """The start of an error body, decoded: it is only used to explain the error, so what does not
        decode is kept as it arrived."""
        decoded = b""
        try:
            for piece in self.decoder.feed(data):
                decoded += piece
                if len(decoded) >= ERROR_BODY_BYTES:
                    break
        except (zlib.error, BodyProblem):
            return decoded or data
        return decoded

    def _read_rest(self) -> None:
        """After the loop: the bytes no readyRead delivered, and the end of a gzip stream."""
        try:
            if not (self.canceled or self.timed_out or self.past_deadline):
                self._read_available()
                if self.decoder is not None and _is_success(self.reply.attribute(_Attr.HttpStatusCodeAttribute)):
                    self.sink.write(self.decoder.finish())
        except OSError as error:
            self.disk_error = error
        except zlib.error:
            self.decode_failed = True
        except BodyProblem as problem:
            self.refused = problem

    # -- the outcome ----------------------------------------------------------------------------
    def _response(self, status, error, error_text: str, headers: dict[str, str]) -> Response:
        """The Response of a finished reply, or the FetchError saying why there is none."""
        url = self.url
        if self.canceled:
            self.sink.discard()
            raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
        if self.disk_error is not None:
            self.sink.discard()
            raise FetchError(tr("Impossible d'écrire le téléchargement de {url} sur le disque "
                                "({error}) : vérifiez l'espace libre et les droits du dossier de "
                                "cache ({folder}).").format(url=url, error=self.disk_error,
                                                            folder=self.part_dir), url)
        if self.refused is not None:
            self.sink.discard()
            raise body_error(url, self.refused)
        if self.past_deadline:
            self.sink.discard()
            raise DeadlineError(tr("Le téléchargement de {url} dépasse la durée maximale de {limit:.0f} s "
                                   "({received} octets reçus) : le serveur envoie trop lentement ; réessayez "
                                   "plus tard, ou allongez la durée maximale d'un téléchargement dans les "
                                   "options de l'extension.").format(url=url, limit=self.past_deadline,
                                                                     received=self.received), url)
        if self.timed_out or (error == _NetErr.OperationCanceledError and status is None):
            # OperationCanceled without our cancel: QGIS's own network timeout aborted the reply
            self.sink.discard()
            raise FetchTimeoutError(tr("Le serveur {host} n'a rien envoyé pendant {timeout} s pour "
                                       "{url} : il est peut-être surchargé ; réessayez plus tard ou "
                                       "augmentez le délai d'attente dans les options de l'extension."
                                       ).format(host=host_of(url), timeout=self.timeout_s, url=url), url)
        if status is None:
            self.sink.discard()
            raise _network_error(url, error, error_text)
        status = int(status)
        if 200 <= status < 300:
            return self._body(status, error, headers)
        self.sink.discard()
        return Response(url, status, headers, error_body=self.error_body)

    def _body(self, status: int, error, headers: dict[str, str]) -> Response:
        """A 2xx answer whose body arrived whole, or NetworkError (transient when it was cut)."""
        url = self.url
        decoder = self.decoder or BodyDecoder("")
        if decoder.unsupported:
            self.sink.discard()
            raise NetworkError(tr("Le serveur {host} a envoyé {url} avec un encodage non pris en "
                                  "charge (« {encoding} ») : signalez-le au producteur de la "
                                  "donnée.").format(host=host_of(url), url=url,
                                                    encoding=decoder.encoding), url)
        expected = headers.get("content-length", "")
        # Content-Length counts the bytes on the wire, before any gzip decoding
        truncated = (error != _NetErr.NoError or (
            expected.isdigit() and int(expected) != decoder.raw_size))
        if not truncated and (self.decode_failed or not decoder.complete):
            self.sink.discard()
            raise NetworkError(tr("Le téléchargement de {url} est incomplet : le flux compressé "
                                  "(gzip) s'arrête avant sa fin ou est corrompu ({received} octets "
                                  "reçus) ; relancez.").format(url=url, received=decoder.raw_size),
                               url, transient=True)
        if truncated:
            self.sink.discard()
            raise NetworkError(tr("Le téléchargement de {url} s'est interrompu ({received} octets "
                                  "reçus sur {expected}) : la connexion a été coupée ; relancez."
                                  ).format(url=url, received=decoder.raw_size,
                                           expected=expected or "?"),
                               url, transient=True)
        path = self.sink.close()
        return Response(url, status, headers, path, self.sink.size, self.sink.sha256())


def _network_error(url: str, error, error_text: str) -> NetworkError:
    host = host_of(url)
    if error in _SSL_ERRORS:
        text = tr("La connexion sécurisée à {host} a échoué pour {url} ({detail}) : si votre réseau "
                  "passe par un proxy qui re-signe les certificats, ajoutez son autorité de "
                  "certification dans QGIS (Préférences › Options › Authentification).")
    elif error in _PROXY_ERRORS:
        text = tr("Le proxy n'a pas permis de joindre {host} pour {url} ({detail}) : vérifiez la "
                  "configuration du proxy dans Préférences › Options › Réseau.")
    elif error == _NetErr.ContentReSendError:
        text = tr("La connexion à {host} a été coupée pendant l'envoi à {url} : l'envoi n'a pas été répété, "
                  "pour ne rien créer deux fois ; vérifiez votre connexion, puis relancez.")
    elif error == _NetErr.HostNotFoundError:
        text = tr("Le serveur {host} est introuvable pour {url} ({detail}) : vérifiez votre "
                  "connexion internet, le proxy (Préférences › Options › Réseau) ou utilisez le "
                  "mode hors ligne.")
    else:
        text = tr("Impossible de joindre {host} pour {url} ({detail}) : vérifiez votre connexion "
                  "et le proxy (Préférences › Options › Réseau), puis réessayez.")
    return NetworkError(text.format(host=host, url=url, detail=error_text), url,
                        transient=error in _TRANSIENT_ERRORS)
