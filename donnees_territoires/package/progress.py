"""Progress and cancellation across the steps of a package write, on whatever QgsFeedback the caller gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Optional

from qgis.core import QgsFeedback, QgsProcessingFeedback, QgsProcessingMultiStepFeedback

from ..toolbelt.i18n import tr
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
        """One step: cancellation checked before, a child feedback during, progress moved after.

        The writers run in a task thread: the child is tied to the parent by QGIS's own C++
        connections (QgsProcessingMultiStepFeedback), never by a Python slot. A Python callable
        connected to a signal in a worker thread makes PyQt create a slot proxy there, whose
        bookkeeping races with the garbage collector of the main thread (QGIS crashed so).
        """
        self.check()
        if message:
            self.info(message)
        parent = self.feedback
        if isinstance(parent, QgsProcessingFeedback):
            child = QgsProcessingMultiStepFeedback(self.total, parent)  # scales progress, follows cancel
            child.setCurrentStep(self.done)
        else:
            child = QgsFeedback()
            if parent is not None:
                parent.canceled.connect(child.cancel)  # a C++ slot: no Python proxy
        try:
            yield child
        finally:
            if parent is not None and not isinstance(parent, QgsProcessingFeedback):
                parent.canceled.disconnect(child.cancel)
        self.done += 1
        if parent is not None:
            parent.setProgress(100.0 * self.done / self.total)
        if child.isCanceled():
            self.check()
