"""The Qt objects of a download (replies, local event loops, timers), destroyed so that PyQt never confuses them.

PyQt learns that a Qt object was destroyed in a task thread only later, when the main thread runs its
event loop; it then marks as deleted the Python wrapper it finds at that object's address. If the task
thread has meanwhile made another object at the same address (memory is reused at once), the new
object's wrapper is the one marked: « wrapped C/C++ object of type QNetworkReply has been deleted »
in the middle of a download, or a stale wrapper answering for another object, up to QGIS dying
(« double free or corruption », a bus error). The real-window stress test met it in most of its runs
once each run hit a hundred failing URLs (tests/gui/test_stress.py, tests/qgis/test_fetch_threads.py).

So a download keeps the Qt objects of its exchanges (retries, redirects) alive until it ends, then
destroys them together in its own thread, and, in a task thread, waits until the main thread has gone
through its event queue (a few seconds at most): PyQt has then marked them before anything else can
be made at their addresses. In the main thread PyQt marks a destroyed object at once.
"""

from __future__ import annotations

import threading

from qgis.PyQt import sip
from qgis.PyQt.QtCore import (
    Q_ARG,
    QCoreApplication,
    QEventLoop,
    QMetaObject,
    QObject,
    Qt,
    QTimer,
    pyqtSlot,
)
from qgis.PyQt.QtNetwork import QNetworkReply

from ..toolbelt.slots import on_main_thread

#: how often the local loop wakes up to look at cancellation, silence and progress
POLL_MS = 100
#: how long a task thread waits for the main thread after destroying a download's Qt objects (the main
#: thread may itself be waiting for the task: the download then goes on)
MAIN_THREAD_WAIT_S = 2.0


class LoopAndTimer:
    """A local event loop and the timer that wakes it every POLL_MS (connected once, C++ to C++)."""

    def __init__(self) -> None:
        self.loop = QEventLoop()
        self.timer = QTimer()
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.loop.quit)

    def wake_on(self, reply: QNetworkReply) -> None:
        """The loop returns as soon as `reply` has data or has finished (C++ to C++ connections)."""
        reply.readyRead.connect(self.loop.quit)
        reply.finished.connect(self.loop.quit)


class QtObjects:
    """The Qt objects one download made, in the thread that runs it, destroyed together by `destroy`."""

    def __init__(self) -> None:
        self._objects: list[QObject] = []

    def loop(self) -> LoopAndTimer:
        pair = LoopAndTimer()
        self._objects += [pair.timer, pair.loop]
        return pair

    def keep(self, qt_object: QObject | None) -> None:
        """Destroy `qt_object` with the others (a request's body device, which its reply reads)."""
        if qt_object is not None:
            self._objects.append(qt_object)

    def retire(self, reply: QNetworkReply | None) -> None:
        """`reply` is finished or aborted: no signal of it reaches a loop any more; destroyed later."""
        if reply is not None and not sip.isdeleted(reply):
            reply.disconnect()
            self._objects.insert(0, reply)

    def destroy(self) -> None:
        """Destroy them now; in a task thread, then wait until the main thread has marked them."""
        objects, self._objects = self._objects, []
        for qt_object in objects:
            if not sip.isdeleted(qt_object):
                sip.delete(qt_object)
        if objects and QCoreApplication.instance() is not None and not on_main_thread():
            _main_thread_mark().wait(MAIN_THREAD_WAIT_S)


class _MainThreadMark(QObject):
    """Lives in the main thread: a task thread posts a call to `reach` and waits until it ran, which
    means that the main thread went through everything queued before it."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._waiting: dict[int, threading.Event] = {}
        self._count = 0

    @pyqtSlot(int)
    def reach(self, number: int) -> None:
        # a Qt slot: nothing in it may raise (a dict pop and an Event.set do not)
        with self._lock:
            event = self._waiting.pop(number, None)
        if event is not None:
            event.set()

    def wait(self, timeout_s: float) -> bool:
        """From a task thread: True once the main thread has processed what was queued before this call."""
        with self._lock:
            self._count += 1
            number = self._count
            event = self._waiting[number] = threading.Event()
        QMetaObject.invokeMethod(self, "reach", Qt.ConnectionType.QueuedConnection, Q_ARG(int, number))
        reached = event.wait(timeout_s)
        if not reached:
            with self._lock:
                self._waiting.pop(number, None)
        return reached


_mark: _MainThreadMark | None = None
_mark_lock = threading.Lock()


def _main_thread_mark() -> _MainThreadMark:
    global _mark
    with _mark_lock:
        if _mark is None:
            mark = _MainThreadMark()
            app = QCoreApplication.instance()
            if app is not None and mark.thread() != app.thread():
                mark.moveToThread(app.thread())
            _mark = mark
        return _mark
