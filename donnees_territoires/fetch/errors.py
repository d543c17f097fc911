"""Typed errors of the fetch layer: each message says what failed, for which URL, and what to do."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..toolbelt.i18n import tr


class FetchError(Exception):
    """Base of every error raised by fetch/; `str(error)` is a French message meant for the user."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class HttpStatusError(FetchError):
    """The server answered with an error status (after the retries, for the transient ones)."""

    def __init__(self, message: str, url: str, status: int, body: bytes = b"") -> None:
        super().__init__(message, url)
        self.status = status
        #: the start of the error body (an OGC exception report, a JSON problem), for callers
        #: that can explain it better
        self.body = body


class NetworkError(FetchError):
    """No usable HTTP answer: DNS, refused connection, proxy, SSL, truncated transfer."""

    def __init__(self, message: str, url: str = "", transient: bool = False) -> None:
        super().__init__(message, url)
        #: the same request may succeed if tried again
        self.transient = transient


class FetchTimeoutError(NetworkError):
    """The server stopped sending data for longer than the configured timeout."""

    def __init__(self, message: str, url: str = "") -> None:
        super().__init__(message, url, transient=True)


class DeadlineError(NetworkError):
    """A download took longer than its total deadline, although bytes kept arriving (not retried:
    a server that slow would be as slow again)."""


class IncompleteBodyError(NetworkError):
    """A body arrived but is not whole (gzip cut, zip directory missing, JSON unfinished, empty), or
    expands beyond the limits; nothing of it was cached."""


class FetchCanceledError(FetchError):
    """The user (or the task) canceled the download; nothing partial was left on disk."""


class OfflineError(FetchError):
    """Offline mode is on and the resource is not in the cache."""


class AuthConfigError(FetchError):
    """The QGIS authentication configuration given for the request cannot be applied."""


class UnexpectedContentError(FetchError):
    """An HTML page or an OGC exception report arrived where data was expected."""

    def __init__(self, message: str, url: str = "", body: bytes = b"") -> None:
        super().__init__(message, url)
        #: the start of the document that was refused
        self.body = body


class WfsError(FetchError):
    """A WFS answer that cannot be used as data for a layer (unreadable page, missing schema)."""

    def __init__(self, message: str, url: str = "", typename: str = "") -> None:
        super().__init__(message, url)
        self.typename = typename


class WfsServiceError(WfsError):
    """The WFS answered with an OGC exception report (HTTP 400, or 200 with the report as body)."""

    def __init__(self, message: str, url: str, typename: str, *, status: int, code: str = "",
                 locator: str = "", text: str = "") -> None:
        super().__init__(message, url, typename)
        self.status = status
        self.code = code
        self.locator = locator
        self.text = text


class WfsIncompleteError(WfsError):
    """Fewer features arrived than the server announced (numberMatched) or than a page should hold."""

    def __init__(self, message: str, url: str, typename: str, *, expected: int,
                 received: int) -> None:
        super().__init__(message, url, typename)
        self.expected = expected
        self.received = received


class ArchiveError(FetchError):
    """A zip or gzip archive is broken or unsafe (path outside the target folder, bomb)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message, path)
        self.path = path


class FormatError(FetchError):
    """A downloaded file could not be recognised or opened as a layer."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message, path)
        self.path = path


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


def http_status_message(url: str, status: int, *, attempts: int = 1, detail: str = "",
                        mirror: str = "", authcfg: str = "") -> str:
    """The French message for an HTTP error status, with the next step for the user."""
    host = host_of(url)
    if status in (404, 410):
        text = tr("Le serveur {host} a répondu {status} (ressource introuvable) pour {url} : "
                  "l'adresse a peut-être changé ; vérifiez-la dans le catalogue ou mettez à jour "
                  "l'extension.")
    elif status in (401, 403, 407):
        text = tr("Le serveur {host} a répondu {status} (accès refusé) pour {url} : vérifiez la "
                  "configuration d'authentification QGIS choisie ({authcfg}), vos droits d'accès "
                  "ou le proxy (Préférences › Options › Réseau).")
    elif status == 429:
        text = tr("Le serveur {host} a répondu 429 (trop de requêtes) pour {url} après {attempts} "
                  "tentative(s) : le service limite le débit ; réessayez dans quelques minutes.")
    elif status >= 500:
        text = tr("Le serveur {host} a répondu {status} (erreur du serveur) pour {url} après "
                  "{attempts} tentative(s) : le service est peut-être indisponible ; réessayez "
                  "plus tard.")
    else:
        text = tr("Le serveur {host} a répondu {status} pour {url} : la requête a été refusée ; "
                  "vérifiez l'adresse et ses paramètres.")
    message = text.format(host=host, status=status, url=url, attempts=attempts,
                          authcfg=authcfg or tr("aucune"))
    if detail:
        message += " " + tr("Réponse du serveur : « {detail} ».").format(detail=detail)
    if mirror:
        message += " " + tr("(Requête passée par le miroir {mirror} : vérifiez qu'il contient "
                            "cette ressource.)").format(mirror=mirror)
    return message
