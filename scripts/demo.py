#!/usr/bin/env python3
"""`make demo`: a territorial package of Bordeaux (33063) produced headless, and a map of it.

    python3 scripts/demo.py              # offline: synthetic sample data of demo-data/ through a local mirror
    python3 scripts/demo.py --online     # the same from the real services (needs internet)
    python3 scripts/demo.py --out DIR --work DIR   # other output / working folders (tests)

Steps: install the plugin into a throwaway QGIS profile (HOME = <work>/demo-home), serve
demo-data/mirror/ on 127.0.0.1 (offline), run `qgis_process.bin run donnees_territoires:build_package`,
then render the package with its embedded styles into a PNG. Every step can be run again: the
package is replaced, the cache revalidated. Exits non-zero with a French message on any failure.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEMO_DATA = ROOT / "demo-data"
MIRROR = DEMO_DATA / "mirror"
CONTOURS = DEMO_DATA / "contours" / "communes-demo.geojson"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
TERRITORY = "commune:33063"
DATASETS = "ban-adresses,cadastre-parcelles,cadastre-batiments"
NAME = "bordeaux-33063"
#: hosts the online run needs first (the BAN and the cadastre); contours come from data.geopf.fr or geo.api.gouv.fr
ONLINE_HOSTS = ("adresse.data.gouv.fr", "cadastre.data.gouv.fr")
#: environment variables of the caller that must not reach the throwaway profile's QGIS
#: (XDG_*: Qt would put the QGIS profile there instead of under HOME, where the plugin is installed)
DROPPED_ENV = ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
               "DONNEES_TERRITOIRES_MIRROR", "DONNEES_TERRITOIRES_CONTOURS", "DONNEES_TERRITOIRES_CACHE")
WIDTH, HEIGHT = 1600, 1200
_APP = None  # the QgsApplication of the --render process


class DemoError(Exception):
    """A failure the user can act on: the French message says what went wrong and what to do."""


# -- the local mirror ----------------------------------------------------------------------------------------
class MirrorHandler(SimpleHTTPRequestHandler):
    """`/<host>/<path>` → demo-data/mirror/<host>/<path>; the query string is ignored; 404 for anything else."""

    server_version = "DemoMirror/1"
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s : %(explain)s\n"

    def send_head(self):
        path = self.translate_path(self.path)  # drops the query string and any « .. »
        if not os.path.isfile(path):
            self.send_error(404, "Not Found", "absent du miroir de démonstration (demo-data/mirror)")
            return None
        return super().send_head()

    def log_request(self, code="-", size="-"):
        self.server.requests.append((self.command, self.path, str(int(code)) if str(code).isdigit() or
                                     hasattr(code, "value") else str(code)))

    def log_message(self, format, *args):  # noqa: A002 - the base class' name; the console stays quiet
        pass


class Mirror:
    """A threaded HTTP server on 127.0.0.1 (any free port) serving `root`, for a `with` block."""

    def __init__(self, root: Path | None = None):
        self.root = root or MIRROR
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        return list(self.server.requests)

    def __enter__(self) -> Mirror:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(MirrorHandler, directory=str(self.root)))
        self.server.daemon_threads = True
        self.server.requests = []
        self.thread = threading.Thread(target=self.server.serve_forever, name="demo-mirror", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# -- steps ---------------------------------------------------------------------------------------------------
def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    return dict(env, HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1", **extra)


def check_tools() -> None:
    if not Path(QGIS_PROCESS).is_file():
        raise DemoError(f"{QGIS_PROCESS} est introuvable : QGIS n'est pas installé. Lancez « make setup » "
                        "(paquets Debian qgis, python3-qgis, qgis-providers).")
    if not list((ROOT / "i18n").glob("*.qm")):
        raise DemoError("Aucune traduction compilée dans i18n/ : lancez « make translations » (ou « make demo », "
                        "qui le fait).")


def check_demo_data() -> None:
    missing = [_shown(p) for p in (CONTOURS, MIRROR) if not p.exists()]
    if missing:
        raise DemoError("Données de démonstration absentes : " + ", ".join(missing) + ". Elles sont dans le dépôt ; "
                        "refaites-les avec « python3 scripts/make_demo_data.py ».")


def install_plugin(home: Path) -> None:
    """Install the plugin from this clone into <home>'s default profile (replaced whole), and enable it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import package_plugin
    finally:
        sys.path.pop(0)
    try:
        package_plugin.install("default", home)
    except SystemExit as error:  # package_plugin says what is wrong in French
        raise DemoError(f"Installation de l'extension impossible : {error}") from None
    except OSError as error:
        raise DemoError(f"Installation de l'extension dans {home} impossible : {error}.") from None


def check_network(hosts=ONLINE_HOSTS, port: int = 443, timeout_s: float = 8.0) -> None:
    """Raise DemoError (French) unless a TCP connection to each host (or to the HTTPS proxy) opens."""
    proxy = os.environ.get("https_proxy") or os.environ.get("HTTPS_PROXY")
    targets = [(h, port) for h in hosts]
    if proxy:
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        targets = [(parts.hostname or "", parts.port or 3128)]
    for host, target_port in targets:
        try:
            with socket.create_connection((host, target_port), timeout=timeout_s):
                pass
        except OSError as error:
            raise DemoError(
                f"Réseau injoignable : impossible de joindre {host}:{target_port} ({error}). « make demo ONLINE=1 » "
                "télécharge les vraies données (BAN, cadastre, contours) et a besoin d'internet. Vérifiez la "
                "connexion (ou la variable https_proxy), ou lancez « make demo » sans ONLINE=1 : la démonstration "
                "hors ligne, sur les données synthétiques de demo-data/.") from None


def run_build_package(home: Path, output: Path, env: dict[str, str], log_path: Path, timeout_s: float) -> str:
    """Run build_package with qgis_process; its output goes to the console (indented) and to `log_path`."""
    command = [QGIS_PROCESS, "run", "donnees_territoires:build_package", "--", f"TERRITORY={TERRITORY}",
               f"DATASETS={DATASETS}", f"OUTPUT={output}", "LOAD_RESULTS=false",
               "STRICT=true"]  # a demonstration lacking a dataset has failed
    lines: list[str] = []
    shown: set[str] = set()  # qgis_process repeats an error (message, ERROR:, exception): shown once
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(" ".join(command) + "\n\n")
        try:
            process = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, errors="replace", bufsize=1)
        except OSError as error:
            raise DemoError(f"{QGIS_PROCESS} ne se lance pas : {error}.") from None
        timed_out = threading.Event()
        timer = threading.Timer(timeout_s, lambda: (timed_out.set(), process.kill()))
        timer.start()
        try:
            for line in process.stdout:
                log.write(line)
                lines.append(line.rstrip("\n"))
                text = _console_line(line)
                if text and text not in shown:
                    shown.add(text)
                    print("    " + text, flush=True)
            code = process.wait()
        finally:
            timer.cancel()
    if timed_out.is_set():
        raise DemoError(f"qgis_process n'a pas fini en {timeout_s:.0f} s : arrêté. Journal complet : {log_path}")
    if code != 0 or not output.is_file():
        errors = [text.split(":", 1)[1].strip() for text in (PROGRESS.sub("", line.strip()) for line in lines)
                  if text.startswith("ERROR:")]
        reason = errors[-1] if errors else "\n".join("    " + line for line in lines[-15:])
        raise DemoError(f"La production du paquet a échoué (qgis_process, code {code}) : {reason}\n"
                        f"Journal complet : {log_path}")
    return "\n".join(lines)


#: qgis_process's progress (« 0...10...20 ») glued to the start of the next message
PROGRESS = re.compile(r"^[\d.]+(?=[^\d.\s-])")
#: lines of a headless qgis_process run that tell the user nothing (all of them stay in the log)
NOISE = ("QStandardPaths", "Qt WebEngine", "qt.qpa", "libEGL", "MESA", "Application path", "QGIS version",
         "QGIS code", "Qt version", "Python version", "GDAL version", "GEOS version", "PROJ version", "PDAL version",
         "Algorithm", "Input parameters", "Inputs", "Results", "----", "TERRITORY:", "DATASETS:", "OUTPUT:",
         "LOAD_RESULTS:", "LAYERS:", "UNCHANGED:", "distance_units", "area_units", "ellipsoid", "project_path",
         "<string>:", "Warning 6:", "100 - done")


def _console_line(line: str) -> str | None:
    """What the console shows of one qgis_process line: the plugin's messages and errors, no noise."""
    text = PROGRESS.sub("", line.strip()).strip()
    if text.startswith("ERROR:"):
        text = text.split(":", 1)[1].strip()
    if not text or text.startswith(NOISE):
        return None
    return text


def package_summary(gpkg: Path) -> list[tuple[str, str, int]]:
    """(table, title, feature count) of each dataset table, from the package's manifest."""
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as db:
        return [(t, title, int(n)) for t, title, n in db.execute(
            "SELECT table_name, title, feature_count FROM manifest_layers ORDER BY rowid")]


def render(gpkg: Path, png: Path, home: Path, online: bool) -> None:
    """Render the package in a separate QGIS process (its HOME is the throwaway profile's)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--render", str(gpkg), str(png)]
    if online:
        command.append("--online")
    try:
        result = subprocess.run(command, env=clean_env(home), cwd=home, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        raise DemoError("Le rendu de la carte n'a pas fini en 180 s.") from None
    if result.returncode != 0 or not png.is_file():
        raise DemoError(f"Le rendu de la carte {png} a échoué :\n{(result.stderr or result.stdout).strip()[-3000:]}")


# -- the map (in its own process: --render) ----------------------------------------------------------------
def render_map(gpkg: Path, png: Path, online: bool) -> None:
    """Each table of the package as a layer with its default (embedded) style, drawn over white, with a title."""
    from qgis.core import (
        Qgis,
        QgsApplication,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsRectangle,
        QgsVectorLayer,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QRectF, QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QPainter, QPen

    global _APP
    _APP = QgsApplication([], False)  # left alive: the process ends with os._exit once the PNG is written
    _APP.initQgis()
    layers, extent, counts = [], None, []
    for table, title, count in package_summary(gpkg):
        layer = QgsVectorLayer(f"{gpkg}|layername={table}", title, "ogr")  # default style: layer_styles
        if not layer.isValid() or not layer.isSpatial():
            continue
        layers.append(layer)
        counts.append((title, count))
        if layer.featureCount():
            box = QgsRectangle(layer.extent())
            if extent is None:
                extent = box
            else:
                extent.combineExtentWith(box)
    if not layers or extent is None:
        raise SystemExit(f"Le paquet {gpkg} ne contient aucune couche à dessiner.")
    kinds = QgsWkbTypes.GeometryType
    rank = {kinds.PointGeometry: 0, kinds.LineGeometry: 1, kinds.PolygonGeometry: 2}
    # points above lines above polygons; among polygons, the later dataset on top (buildings over parcels)
    polygon = kinds.PolygonGeometry
    ordered = sorted(enumerate(layers), key=lambda item: (
        rank.get(item[1].geometryType(), 3), -item[0] if item[1].geometryType() == polygon else item[0]))
    settings = QgsMapSettings()
    settings.setLayers([layer for _, layer in ordered])
    settings.setDestinationCrs(layers[0].crs())
    settings.setOutputSize(QSize(WIDTH, HEIGHT))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(Qgis.MapSettingsFlag.Antialiasing, True)
    margin = max(extent.width(), extent.height()) * 0.04
    extent.grow(margin)
    extent.setYMaximum(extent.yMaximum() + extent.height() * 0.08)  # room for the title
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    title = "Bordeaux (33063) — paquet territorial"
    subtitle = ("données réelles (BAN, cadastre Etalab)" if online
                else "données synthétiques de démonstration (demo-data/), aux formats réels")
    lines = "  ·  ".join(f"{name} : {count}" for name, count in counts)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 225))
    painter.drawRoundedRect(QRectF(20, 20, 900, 118), 8, 8)
    painter.setPen(QColor(33, 33, 33))
    painter.setFont(QFont("DejaVu Sans", 22, QFont.Weight.Bold))
    painter.drawText(QRectF(36, 28, 880, 40), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    painter.setFont(QFont("DejaVu Sans", 12))
    painter.drawText(QRectF(36, 70, 880, 26), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subtitle)
    painter.setPen(QColor(90, 90, 90))
    painter.setFont(QFont("DejaVu Sans", 10))
    painter.drawText(QRectF(36, 98, 880, 26), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, lines)
    _scale_bar(painter, settings, QColor, QPen, QRectF, QFont, Qt)
    painter.end()
    png.parent.mkdir(parents=True, exist_ok=True)
    partial_png = png.with_name(f".{png.name}.part.png")
    if not image.save(str(partial_png), "PNG"):
        raise SystemExit(f"Impossible d'écrire {png}.")
    os.replace(partial_png, png)


def _scale_bar(painter, settings, QColor, QPen, QRectF, QFont, Qt) -> None:  # noqa: N803 - Qt classes
    metres_per_px = settings.mapUnitsPerPixel()
    target = metres_per_px * 250
    length = next(v for v in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 10**9)
                  if v >= target * 0.6)
    pixels = length / metres_per_px
    x, y = 40, HEIGHT - 40
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 225))
    painter.drawRoundedRect(QRectF(x - 14, y - 36, pixels + 28, 50), 6, 6)
    painter.setPen(QPen(QColor(33, 33, 33), 3))
    painter.drawLine(int(x), int(y), int(x + pixels), int(y))
    painter.drawLine(int(x), int(y - 6), int(x), int(y + 6))
    painter.drawLine(int(x + pixels), int(y - 6), int(x + pixels), int(y + 6))
    painter.setFont(QFont("DejaVu Sans", 11))
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    painter.drawText(QRectF(x, y - 32, pixels, 22), Qt.AlignmentFlag.AlignCenter, label)


# -- main ----------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Démonstration : un paquet territorial de Bordeaux (33063).")
    parser.add_argument("--online", action="store_true", help="les vrais services au lieu du miroir local")
    parser.add_argument("--out", type=Path, default=ROOT / "demo", help="dossier des résultats (défaut : demo/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="dossier de travail : profil QGIS jetable et cache (défaut : build/)")
    parser.add_argument("--render", nargs=2, type=Path, metavar=("GPKG", "PNG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.render:
        render_map(args.render[0].resolve(), args.render[1].resolve(), args.online)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # QGIS 3.22 crashes tearing down a standalone QgsApplication (segfault): skip it
    try:
        return demo(args.online, args.out.resolve(), args.work.resolve())
    except DemoError as error:
        print(f"\nÉchec de la démonstration : {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nDémonstration interrompue.", file=sys.stderr)
        return 130


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def demo(online: bool, out: Path, work: Path) -> int:
    started = time.monotonic()
    mode = "en ligne, depuis les vrais services" if online else "hors ligne, sur les données synthétiques de demo-data/"
    print(f"Démonstration « Données et territoires » : paquet de Bordeaux (33063), {mode}.")
    check_tools()
    if online:
        check_network()
    else:
        check_demo_data()
    home = work / "demo-home"
    cache = work / ("demo-cache-online" if online else "demo-cache")
    for folder in (out, home, cache):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DemoError(f"Impossible de créer le dossier {folder} : {error}.") from None
    gpkg, png = out / f"{NAME}.gpkg", out / f"{NAME}.png"

    print(f"1/3 Installation de l'extension dans un profil QGIS jetable ({home})…")
    install_plugin(home)
    print(f"2/3 Production du paquet avec qgis_process ({TERRITORY} : {DATASETS})…")
    log_path = work / "demo-qgis_process.log"
    if online:
        try:
            run_build_package(home, gpkg, clean_env(home, DONNEES_TERRITOIRES_CACHE=str(cache)), log_path, 3600)
        except DemoError as error:
            raise DemoError(f"{error}\nEn ligne, les services doivent répondre : vérifiez la connexion, ou lancez "
                            "« make demo » sans ONLINE=1 (données synthétiques de demo-data/).") from None
    else:
        with Mirror() as mirror:
            print(f"    miroir local : {mirror.url} → {_shown(mirror.root)}/")
            env = clean_env(home, DONNEES_TERRITOIRES_MIRROR=mirror.url, DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS),
                            DONNEES_TERRITOIRES_CACHE=str(cache))
            run_build_package(home, gpkg, env, log_path, 600)
            missing = [path for _, path, status in mirror.requests if status == "404"]
        for path in missing:
            print(f"    (absent du miroir, ignoré : {path})")
    print("3/3 Carte du paquet, avec ses styles intégrés…")
    if png.exists():
        png.unlink()
    render(gpkg, png, home, online)

    summary = package_summary(gpkg)
    print()
    print(f"Terminé en {time.monotonic() - started:.0f} s.")
    print(f"  Paquet GeoPackage : {gpkg}")
    for table, title, count in summary:
        print(f"      {table:<22} {count:>6} entités  ({title})")
    print(f"  Carte             : {png}")
    print(f"  Journal qgis_process : {log_path}")
    if not online:
        print("  Données synthétiques de démonstration (demo-data/README.md) : elles ne représentent pas la réalité.")
        print("  Avec les vraies données (internet nécessaire) : make demo ONLINE=1")
    print("  Ouvrez le paquet dans QGIS (glisser-déposer) : ses couches arrivent stylées.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
