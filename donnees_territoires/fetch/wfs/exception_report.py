"""OWS exception reports: what a WFS says when it refuses a request, turned into one French error."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ...toolbelt.i18n import tr
from ..errors import FetchError, HttpStatusError, UnexpectedContentError, WfsServiceError
from ..formats import error_document


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


def service_error(error: FetchError, typename: str, label: str) -> FetchError:
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
