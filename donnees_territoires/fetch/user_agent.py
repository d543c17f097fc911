"""The plugin's name and version appended to the User-Agent of its own requests, and only those."""

from __future__ import annotations

import threading

from qgis.core import QgsNetworkAccessManager
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..__about__ import USER_AGENT
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded

# QgsNetworkAccessManager.createRequest overwrites any User-Agent with « <user setting> QGIS/<ver> »
# (checked on 3.22). A request preprocessor runs after that: it appends the plugin's identity to
# the requests marked with MARKER, and leaves every other request of QGIS alone.
#: the value of the User attribute of a request the plugin sends (see mark())
MARKER = f"donnees_territoires:{USER_AGENT}"
_hook_id: str | None = None
_hook_lock = threading.Lock()


def mark(request: QNetworkRequest) -> None:
    """Make `request` one of ours: the preprocessor will append the plugin to its User-Agent."""
    request.setAttribute(QNetworkRequest.Attribute.User, MARKER)


@guarded(tr("l'identification de l'extension dans une requête réseau"))
def _append_user_agent(request: QNetworkRequest) -> None:
    if request.attribute(QNetworkRequest.Attribute.User) != MARKER:
        return
    current = bytes(request.rawHeader(b"User-Agent")).decode("latin-1")
    if USER_AGENT not in current:
        request.setRawHeader(b"User-Agent", f"{current} {USER_AGENT}".strip().encode("latin-1"))


def install_user_agent_hook() -> None:
    """Register the preprocessor once per process (it is cheap for requests that are not ours)."""
    global _hook_id
    with _hook_lock:
        if _hook_id is None:
            _hook_id = QgsNetworkAccessManager.setRequestPreprocessor(_append_user_agent)


def remove_user_agent_hook() -> None:
    """Unregister the preprocessor (plugin unload), so no dangling Python callable stays in QGIS."""
    global _hook_id
    with _hook_lock:
        if _hook_id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(_hook_id)
            _hook_id = None
