"""Stress in a real QGIS window (issue 15): twenty runs of the dock in a row, each with over a hundred failing
downloads (404, 500 and 503 answers, connection resets) from a local mirror, while the map pans and Python's
garbage collector is forced in the main thread. QGIS must come out alive.

Before f60943a and f62740f, Python callables connected to signals in the task thread made PyQt create slot
proxies there, whose table the main thread's garbage collector walked without a lock: QGIS died on signal 11
(about one real-window run in five on QGIS 3.44). QGIS runs with PYTHONFAULTHANDLER=1: a fatal signal leaves
Python's traceback of every thread in its stderr (tests/artifacts/stress-qgis-stderr.txt).
"""

import gzip
import json
import re
import socket
import struct
import threading
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from donnees_territoires.territory import TerritoryIndex
from tests.conftest import CONTOURS_2018
from tests.gui.conftest import keep_artifact, launch_qgis
from tests.qgis.test_download_dataset import BAN_HEADER, ban_row, parcel

RUNS = 20
#: per-commune files (28 communes of Bordeaux Métropole): 28 parcel files, 28 × 5 years of DVF
DATASETS = ["cadastre-parcelles", "ban-adresses", "dvf-mutations"]
COMMUNES = [commune.code for commune in TerritoryIndex.load().communes("epci:243300316")]
#: the communes whose files exist (the others' are missing: 404)
PRESENT = {"33063": (-0.575, 44.838), "33281": (-0.645, 44.835)}
DVF_YEAR_PRESENT = "2024"
#: DVF files of these communes answer 500, then 503 (both with Retry-After: 0, retried at once), then 404
FLAKY = {("2022", code) for code in COMMUNES[:6]}
#: DVF files of these communes reset the connection twice, then answer 404
RESET = {("2023", code) for code in COMMUNES[6:8]}
#: in these runs, once HARD_AFTER addresses have failed, the next DVF file asked answers 500 for good: the
#: run fails (or, with partial success, leaves DVF out) and says so in French
FAILING_RUNS = {5, 10, 15, 20}
HARD_AFTER = 110
FAILURE_KINDS = ("404", "500", "503", "reset")
#: the main thread's load: the map moved every PAN_MS, Python's garbage collector forced every COLLECT_MS
PAN_MS = 40
COLLECT_MS = 100
SUCCESS = ("Paquet produit", "Déjà à jour", "Couches temporaires produites")
FAILURE = "Échec : "
PYTHON_EXCEPTION = re.compile(r"\b[A-Z]\w*(Error|Exception)\b")

DVF_HEADER = ("id_mutation,date_mutation,numero_disposition,nature_mutation,valeur_fonciere,adresse_numero,"
              "adresse_nom_voie,code_postal,code_commune,nom_commune,code_departement,id_parcelle,type_local,"
              "surface_reelle_bati,longitude,latitude")


def dvf_file(code, lon, lat):
    rows = [f"2024-{code}-{n},2024-03-{n:02d},000001,Vente,{150000 + 1000 * n},{n},RUE DE LA PAIX,33000,{code},"
            f"Commune,33,{code}000AB{n:04d},Maison,90,{lon + n * 0.001:.6f},{lat:.6f}" for n in range(1, 13)]
    return ("\n".join([DVF_HEADER, *rows]) + "\n").encode()


def files():
    """What the mirror holds: path (without the run prefix) -> (body, content type)."""
    held = {}
    rows = [BAN_HEADER] + [ban_row(code, "Commune", n, lon + n * 0.001, lat) for n in range(1, 30)
                           for code, (lon, lat) in PRESENT.items()]
    held["/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"] = (
        gzip.compress(("\n".join(rows) + "\n").encode()), "application/gzip")
    for code, (lon, lat) in PRESENT.items():
        parcels = {"type": "FeatureCollection", "features": [parcel(code, n, lon + (n % 8) * 0.0012,
                                                                    lat + (n // 8) * 0.0012) for n in range(1, 40)]}
        held[f"/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/{code}/"
             f"cadastre-{code}-parcelles.json.gz"] = (gzip.compress(json.dumps(parcels).encode()), "application/gzip")
        held[f"/files.data.gouv.fr/geo-dvf/latest/csv/{DVF_YEAR_PRESENT}/communes/33/{code}.csv"] = (
            dvf_file(code, lon, lat), "text/csv")
    return held


DVF_PATH = re.compile(r"^/files\.data\.gouv\.fr/geo-dvf/latest/csv/(\d{4})/communes/33/(\d{5})\.csv$")
RUN_PATH = re.compile(r"^/run(\d+)(/.*)$")


class FailingMirror(ThreadingHTTPServer):
    """A mirror on 127.0.0.1 whose answers depend on the run asking (/runNN/<host>/<path>) and on how many
    times that run asked for the path; it counts what it answered to each run."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), MirrorHandler)
        self.files = files()
        self.lock = threading.Lock()
        self.asked = defaultdict(Counter)  # run -> path -> times asked
        self.answered = defaultdict(Counter)  # run -> kind -> count
        self.failed = defaultdict(set)  # run -> the paths answered with a failure at least once
        self.hard = {}  # run -> the DVF path failing for good
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, raw_path):
        """("file", body, type), ("status", code) or ("reset",) for a GET of `raw_path`, counted."""
        match = RUN_PATH.match(raw_path.split("?", 1)[0])
        run, path = (int(match.group(1)), match.group(2)) if match else (0, raw_path)
        with self.lock:
            self.asked[run][path] += 1
            times = self.asked[run][path]
            answer = self._decide(run, path, times)
            kind = "200" if answer[0] == "file" else str(answer[-1])
            self.answered[run][kind] += 1
            if kind in FAILURE_KINDS:
                self.failed[run].add(path)
        return answer

    def _decide(self, run, path, times):
        if path in self.files:
            return ("file", *self.files[path])
        dvf = DVF_PATH.match(path)
        if dvf and run in FAILING_RUNS:
            if run not in self.hard and len(self.failed[run]) >= HARD_AFTER:
                self.hard[run] = path
            if self.hard.get(run) == path:
                return ("status", 500)
        if dvf and dvf.groups() in FLAKY and times <= 2:
            return ("status", 500 if times == 1 else 503)
        if dvf and dvf.groups() in RESET and times <= 2:
            return ("reset",)
        return ("status", 404)


class MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real services

    def setup(self):
        super().setup()
        # headers and body leave at once: without it, Nagle's algorithm and the client's delayed ACK hold
        # each answer back 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):  # noqa: N802 - http.server's name
        answer = self.server.answer(self.path)
        if answer[0] == "reset":  # SO_LINGER 0: the close sends a TCP reset, as a proxy killing the link
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if answer[0] == "file":
            _, body, content_type = answer
            self.send_response(200)
        else:
            status = answer[1]
            body, content_type = f"{status}\n".encode(), "text/plain"
            self.send_response(status)
            if status in (500, 503):
                self.send_header("Retry-After", "0")  # retried at once: the test stays short
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    mirror = FailingMirror()
    try:
        cache = tmp_path_factory.mktemp("cache")
        out = launch_qgis(tmp_path_factory, "stress_script.py", {
            "PYTHONFAULTHANDLER": "1", "DT_STRESS_RUNS": str(RUNS), "DT_STRESS_MIRROR": mirror.url,
            "DT_STRESS_DATASETS": ",".join(DATASETS), "DT_STRESS_PAN_MS": str(PAN_MS),
            "DT_STRESS_COLLECT_MS": str(COLLECT_MS),
            "DONNEES_TERRITOIRES_CONTOURS": str(CONTOURS_2018), "DONNEES_TERRITOIRES_CACHE": str(cache)},
            timeout=400)
    finally:
        mirror.shutdown()
        mirror.server_close()
    stderr = (out / "qgis-stderr.txt").read_text(encoding="utf-8")
    keep_artifact(out / "qgis-stderr.txt", "stress-qgis-stderr.txt")
    keep_artifact(out / "qgis-stdout.txt", "stress-qgis-stdout.txt")
    report = out / "stress.json"
    result = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
    keep_artifact(report, "stress.json")
    return {"result": result, "stderr": stderr, "returncode": int((out / "qgis-returncode.txt").read_text()),
            "answered": {run: dict(counts) for run, counts in mirror.answered.items()},
            "failed": {run: len(paths) for run, paths in mirror.failed.items()}}


def test_qgis_survives_the_twenty_runs(stress):
    tail = stress["stderr"][-4000:]
    # QGIS's crash handler says « QGIS died on signal N » and may exit with another signal (abort); Python's
    # fault handler prints « Fatal Python error » with each thread's Python stack
    assert stress["returncode"] >= 0, f"QGIS est mort du signal {-stress['returncode']} :\n{tail}"
    assert "died on signal" not in stress["stderr"], f"QGIS a planté :\n{tail}"
    assert "Fatal Python error" not in stress["stderr"], f"erreur fatale dans la sortie de QGIS :\n{tail}"
    assert stress["result"] is not None, f"QGIS n'a pas écrit son rapport :\n{tail}"
    assert stress["returncode"] == 0, f"QGIS a quitté avec le code {stress['returncode']} :\n{tail}"
    assert stress["result"]["errors"] == []
    assert stress["result"]["button"] == "Produire"
    assert stress["result"]["references"] == ["epci:243300316"]
    assert sorted(stress["result"]["checked"]) == sorted(DATASETS)


def reported(stress):
    """What the script wrote (the run is over for these tests when QGIS died before writing it)."""
    if stress["result"] is None:
        pytest.fail("QGIS n'a pas écrit son rapport (voir tests/artifacts/stress-qgis-stderr.txt)")
    return stress["result"]


def test_every_run_ends_with_its_result_or_a_french_failure(stress):
    runs = reported(stress)["runs"]
    assert [run["run"] for run in runs] == list(range(1, RUNS + 1))
    for run in runs:
        assert run["ended"] and run["button_enabled"], f"la production {run['run']} n'a pas fini : {run}"
        status = run["status"]
        # one French sentence, never a Python exception (« Échec : RuntimeError: … »)
        assert not PYTHON_EXCEPTION.search(status) and "Traceback" not in status, run
        if run["run"] in FAILING_RUNS:
            assert status.startswith((FAILURE, *SUCCESS)), run
        else:
            assert status.startswith(SUCCESS), run


def test_each_run_hits_over_a_hundred_failing_urls(stress):
    answered = stress["answered"]
    assert sorted(answered) == list(range(1, RUNS + 1)), "chaque production passe par son adresse de miroir"
    for run, counts in answered.items():
        assert stress["failed"][run] >= 100, (run, stress["failed"][run], counts)
        assert counts.get("200", 0) >= 3, (run, counts)  # and some files arrive
        assert all(counts.get(kind, 0) >= 2 for kind in FAILURE_KINDS), (run, counts)


def test_no_exception_caught_by_the_plugin_guards(stress):
    """A guarded slot keeps QGIS alive but would hide a bug from this test: nothing may be caught."""
    assert reported(stress)["guarded"] == []


def test_the_map_pans_and_the_collector_runs_during_the_runs(stress):
    runs = reported(stress)["runs"]
    load = reported(stress)["main_thread"]
    assert load["pans"] > 10 * RUNS and load["collections"] > 10 * RUNS, load
    # both went on through every run, not only between them
    for run in runs:
        assert run["pans"] >= 3 and run["collections"] >= 3, run
