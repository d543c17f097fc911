"""`make demo`: scripts/demo.py end to end (local mirror, qgis_process build_package, map), and its parts."""

import csv
import gzip
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts import demo, make_demo_data  # the repository root is on sys.path (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]

BAN_FILE = ROOT / "demo-data" / make_demo_data.BAN
CADASTRE = ROOT / "demo-data" / make_demo_data.CADASTRE
needs_qgis_process = pytest.mark.skipif(not Path(demo.QGIS_PROCESS).is_file(), reason="qgis_process absent")


def run_demo(*args, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONNEES_TERRITOIRES_")}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out, work = tmp_path_factory.mktemp("demo"), tmp_path_factory.mktemp("work")
    run = run_demo("--out", str(out), "--work", str(work))
    return run, out, work


def ban_rows():
    with gzip.open(BAN_FILE, "rt", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


@needs_qgis_process
def test_demo_writes_the_package_of_bordeaux_only(demo_run):
    run, out, _ = demo_run
    assert run.returncode == 0, run.stdout + run.stderr
    gpkg = out / "bordeaux-33063.gpkg"
    assert f"Paquet GeoPackage : {gpkg}" in run.stdout
    assert f"Carte             : {out / 'bordeaux-33063.png'}" in run.stdout
    with sqlite3.connect(gpkg) as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")}
        assert {"ban_adresses", "cadastre_parcelles", "cadastre_batiments"} <= tables
        communes = dict(db.execute("SELECT code_insee, count(*) FROM ban_adresses GROUP BY code_insee"))
        parcels = dict(db.execute("SELECT commune, count(*) FROM cadastre_parcelles GROUP BY commune"))
        buildings = db.execute("SELECT count(*) FROM cadastre_batiments").fetchone()[0]
        manifest = dict(db.execute("SELECT key, value FROM manifest"))
        styled = {row[0] for row in db.execute("SELECT f_table_name FROM layer_styles WHERE useAsDefault")}
    shipped = [row["code_insee"] for row in ban_rows()]
    assert {"33281", "33039"} <= set(shipped)  # the neighbours are in the département file…
    assert communes == {"33063": shipped.count("33063")}  # … and dropped by the territory filter
    with gzip.open(CADASTRE / "cadastre-33063-parcelles.json.gz") as stream:
        assert parcels == {"33063": len(json.load(stream)["features"])}
    with gzip.open(CADASTRE / "cadastre-33063-batiments.json.gz") as stream:
        assert buildings == len(json.load(stream)["features"])
    recipe = json.loads(manifest["recipe"])
    assert recipe["territory"] == "commune:33063"
    assert recipe["datasets"] == ["ban-adresses", "cadastre-parcelles", "cadastre-batiments"]
    assert styled == {"ban_adresses", "cadastre_parcelles", "cadastre_batiments"}


@needs_qgis_process
def test_demo_map_is_drawn(qgis_app, demo_run):
    from qgis.PyQt.QtGui import QImage

    run, out, _ = demo_run
    assert run.returncode == 0, run.stdout + run.stderr
    image = QImage(str(out / "bordeaux-33063.png"))
    assert (image.width(), image.height()) == (1600, 1200)
    colours = {image.pixel(x, y) for x in range(600, 1000, 3) for y in range(450, 750, 3)}
    assert len(colours) >= 5  # white ground, parcel lines, grey buildings, red addresses, antialiasing


@needs_qgis_process
def test_demo_runs_again(demo_run):
    _, out, work = demo_run
    again = run_demo("--out", str(out), "--work", str(work))
    assert again.returncode == 0, again.stdout + again.stderr
    assert (out / "bordeaux-33063.png").is_file() and (out / "bordeaux-33063.gpkg").is_file()


def test_a_failure_is_told_in_french(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    run = run_demo("--out", str(blocker / "demo"), "--work", str(tmp_path / "work"), timeout=60)
    assert run.returncode != 0
    assert "Échec de la démonstration : Impossible de créer le dossier" in run.stderr


@needs_qgis_process
def test_a_failing_production_is_told_in_french(tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "mirror"  # the cadastre only: the BAN file of the département answers 404
    cadastre = mirror / make_demo_data.CADASTRE.removeprefix("mirror/")
    cadastre.mkdir(parents=True)
    for source in CADASTRE.iterdir():
        (cadastre / source.name).write_bytes(source.read_bytes())
    monkeypatch.setattr(demo, "MIRROR", mirror)
    assert demo.main(["--out", str(tmp_path / "demo"), "--work", str(tmp_path / "work")]) == 1
    error = capsys.readouterr().err
    assert "Échec de la démonstration : La production du paquet a échoué (qgis_process" in error
    assert "adresses-33.csv.gz" in error
    assert not (tmp_path / "demo" / "bordeaux-33063.gpkg").exists()


def test_unreachable_network_is_told_in_french(monkeypatch):
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(demo.DemoError, match="Réseau injoignable.*make demo ONLINE=1.*sans ONLINE=1"):
        demo.check_network(hosts=("127.0.0.1",), port=port, timeout_s=2)


def test_mirror_serves_demo_data_and_nothing_else():
    ban = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"
    with demo.Mirror() as mirror:
        with urllib.request.urlopen(f"{mirror.url}{ban}?since=2024", timeout=5) as answer:  # query ignored
            assert answer.read() == BAN_FILE.read_bytes()
            assert answer.headers["Content-Type"] == "application/gzip"
        for path in ("/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-34.csv.gz",
                     "/adresse.data.gouv.fr/data/ban/", "/adresse.data.gouv.fr", "/../README.md", "/"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(f"{mirror.url}{path}", timeout=5)
            assert error.value.code == 404, path
        assert ("GET", ban + "?since=2024", "200") in mirror.requests


def test_demo_data_is_synthetic_reproducible_and_small():
    files = make_demo_data.build()
    assert files == make_demo_data.build()
    for name, data in files.items():
        committed = (ROOT / "demo-data" / name).read_bytes()
        if name.endswith(".gz"):
            # the compressed bytes depend on the zlib build (Debian 12 and 13 differ); the content may not
            committed, data = gzip.decompress(committed), gzip.decompress(data)
        assert committed == data, f"{name} : relancez scripts/make_demo_data.py"
    total = sum(p.stat().st_size for p in (ROOT / "demo-data").rglob("*") if p.is_file())
    assert total < 1024 * 1024
    header = gzip.decompress(files[make_demo_data.BAN]).decode("utf-8").splitlines()[0]
    assert header.split(";")[:3] == ["id", "id_fantoir", "numero"] and len(header.split(";")) == 23
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(files[make_demo_data.BAN]).decode()), delimiter=";"))
    bordeaux = make_demo_data.BORDEAUX
    assert all(make_demo_data.inside((float(r["lon"]), float(r["lat"])), bordeaux) == (r["code_insee"] == "33063")
               for r in rows)
    readme = " ".join((ROOT / "demo-data" / "README.md").read_text(encoding="utf-8").split())
    assert "Données synthétiques de démonstration" in readme and "ne représentent pas la réalité" in readme
