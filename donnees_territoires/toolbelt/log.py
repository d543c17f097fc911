"""The plugin's one logger: a « Données et territoires » tab in the QGIS log panel."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

from ..__about__ import __title__

TAG = __title__


def log(message: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info, *, push: bool = False,
        duration: int = 0, details: str = "") -> None:
    """Write to the log tab; with push=True also show it in the message bar (GUI only).

    The message bar is for what the user must see; everything else stays in the log. `details`
    (a traceback) follows the message in the log only, never in the message bar.
    """
    QgsMessageLog.logMessage(f"{message}\n{details}" if details else message, TAG, level, notifyUser=push)
    if push:
        try:
            from qgis.utils import iface
        except ImportError:  # pragma: no cover - qgis.utils always exists inside QGIS
            iface = None
        if iface is not None and hasattr(iface, "messageBar"):
            iface.messageBar().pushMessage(TAG, message, level, duration)


def info(message: str, **kwargs) -> None:
    log(message, Qgis.MessageLevel.Info, **kwargs)


def warning(message: str, **kwargs) -> None:
    log(message, Qgis.MessageLevel.Warning, **kwargs)


def critical(message: str, **kwargs) -> None:
    log(message, Qgis.MessageLevel.Critical, **kwargs)


def success(message: str, **kwargs) -> None:
    log(message, Qgis.MessageLevel.Success, **kwargs)
