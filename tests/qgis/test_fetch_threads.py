"""Downloads in task threads, by the hundred, failing: no Qt object of one download is taken for another's.

PyQt marks a Qt object destroyed in a task thread as deleted only when the main thread runs its event
loop (by the wrapper then found at its address). Before fetch/thread_objects.py, a reply destroyed
at the end of an exchange let the next exchange's reply be made at its address and then be marked:
« wrapped C/C++ object of type QNetworkReply has been deleted » in a few downloads out of a hundred,
and QGIS dying when the map was being drawn. A request preprocessor in Python reading the request
(the plugin once appended its name to the User-Agent so) made it happen at every run.
"""

import gc
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from qgis.core import QgsNetworkAccessManager, QgsTask
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from donnees_territoires.fetch.errors import NetworkError
from donnees_territoires.fetch.network import RetryPolicy, download
from donnees_territoires.fetch.thread_objects import QtObjects
from tests.qgis.test_fetch_http import _run as run_task

#: no wait between attempts: hundreds of failing downloads in a few seconds
FAST = RetryPolicy(attempts=2, base_delay_s=0.0)
DOWNLOADS = 300


class _Failing(BaseHTTPRequestHandler):
    """404 for most paths; a TCP reset for /reset/…, as a proxy cutting the link."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/reset/"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        self.send_response(404)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"404\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Downloads(QgsTask):
    def __init__(self, base):
        super().__init__("téléchargements en échec")
        self.base = base
        self.outcomes = []

    def run(self):
        for number in range(DOWNLOADS):
            url = f"{self.base}/{'reset' if number % 3 == 0 else 'absent'}/{number}"
            try:
                self.outcomes.append(download(url, retry=FAST).status)
            except NetworkError:
                self.outcomes.append("coupure")
            except Exception as error:  # noqa: BLE001 - what the test is about
                self.outcomes.append(f"{type(error).__name__}: {error}")
        return True


def _run(task):
    """The task in QGIS's pool while the main thread turns its event loop and collects, as the desktop does."""
    run_task(task, until=gc.collect, timeout=120)


def test_hundreds_of_failing_downloads_in_tasks_each_end_in_their_own_answer(qgis_app, failing_server):
    tasks = [_Downloads(failing_server) for _ in range(3)]
    for task in tasks:  # one after the other: the pool's threads are reused, as in the dock's reruns
        _run(task)

    for task in tasks:
        unexpected = [outcome for outcome in task.outcomes if outcome not in (404, "coupure")]
        assert unexpected == [], unexpected[:5]
        assert task.outcomes.count(404) == DOWNLOADS - DOWNLOADS // 3
        assert task.outcomes.count("coupure") == DOWNLOADS // 3


class _Destroy(QgsTask):
    """Makes a reply, gives it to QtObjects and destroys them: is its wrapper marked when destroy() returns?"""

    def __init__(self, base, wait):
        super().__init__("destruction")
        self.base, self.wait = base, wait
        self.marked = None

    def run(self):
        reply = QgsNetworkAccessManager.instance().get(QNetworkRequest(QUrl(f"{self.base}/absent/1")))
        reply.abort()
        objects = QtObjects()
        objects.retire(reply)
        if self.wait:
            objects.destroy()
        else:  # what a plain deleteLater in this thread amounts to: destroyed, nothing waited for
            reply.deleteLater()
            QCoreApplication.sendPostedEvents(reply, 52)  # QEvent.DeferredDelete
        self.marked = sip.isdeleted(reply)
        return True


def test_a_download_waits_until_pyqt_has_marked_its_destroyed_replies(qgis_app, failing_server):
    plain = _Destroy(failing_server, wait=False)
    _run(plain)
    waited = _Destroy(failing_server, wait=True)
    _run(waited)

    # the platform fact thread_objects.py is about: destroyed in a task thread, not marked yet…
    assert plain.marked is False
    # …while QtObjects.destroy() returns once the main thread has marked it
    assert waited.marked is True
