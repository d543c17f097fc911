"""Progress and cancellation across the steps of a package write, on whatever QgsFeedback the caller gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Optional

from qgis.core import QgsFeedback

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .model import PackageCanceled


class Steps:
    """`total` equal steps; each gets a child feedback whose progress fills its share of the parent's."""

    def __init__(self, feedback: Optional[QgsFeedback], total: int, destination: str) -> None:
        self.feedback = feedback
        self.total = max(total, 1)
        self.done = 0
        self.destination = destination

    def check(self) -> None:
        """PackageCanceled when the user has cancelled."""
        if self.feedback is not None and self.feedback.isCanceled():
            raise PackageCanceled(tr("Écriture du paquet {destination} annulée : le contenu précédent est "
                                     "inchangé.").format(destination=self.destination))

    def info(self, message: str) -> None:
        if self.feedback is not None and hasattr(self.feedback, "pushInfo"):
            self.feedback.pushInfo(message)

    @contextmanager
    def step(self, message: str = "") -> Iterator[QgsFeedback]:
        """One step: cancellation checked before, a child feedback during, progress moved after."""
        self.check()
        if message:
            self.info(message)
        child = QgsFeedback()
        parent = self.feedback
        if parent is not None:
            base, share = 100.0 * self.done / self.total, 100.0 / self.total

            @guarded(tr("le suivi de la progression"))
            def on_progress(value: float) -> None:
                parent.setProgress(base + share * value / 100.0)

            child.progressChanged.connect(on_progress)
            parent.canceled.connect(child.cancel)
        try:
            yield child
        finally:
            if parent is not None:
                parent.canceled.disconnect(child.cancel)
        self.done += 1
        if parent is not None:
            parent.setProgress(100.0 * self.done / self.total)
        if child.isCanceled():
            self.check()
