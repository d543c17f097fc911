#!/usr/bin/env python3
"""build_package for Bordeaux Métropole (28 communes) × 5 datasets from a local mirror: cold, then warm.

The mirror is Python's http.server over files generated here in the real formats (BAN and Sirene
per département, cadastre parcels and buildings per commune, DVF per commune and year), about
150,000 features in all. It sends Last-Modified and answers If-Modified-Since with 304, as the
real file hosts do. Cold: empty download cache. Warm: same run again, every source answered 304.
Goal: warm ≤ 10 % of cold, on the medians of the runs; the script exits with 1 when it is missed.
Each run is a fresh process; the contour cache is kept (see bench_clip). Figures go to
docs/bench/last-run.json (keys `package_cold`, `package_warm`).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from last_run import LastRun, baseline, budget  # noqa: E402
from qgis_child import PRELUDE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONTOURS = ROOT.parent / "shared" / "data" / "contours-2018" / "france-2018.gpkg"
WORK = ROOT / "build" / "bench" / "package"
MIRROR = WORK / "mirror"
DATASETS = "ban-adresses,sirene-etablissements,cadastre-parcelles,cadastre-batiments,dvf-mutations"
TERRITORY = "epci:243300316"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

CHILD = PRELUDE + r"""
start = time.perf_counter()
result = processing.run("donnees_territoires:build_package", {"TERRITORY": TERRITORY, "DATASETS": DATASETS,
                        "OUTPUT": OUT, "LOAD_RESULTS": False})
print(json.dumps({"s": time.perf_counter() - start, "unchanged": result["UNCHANGED"],
                  "layers": len(result["LAYERS"])}))
"""


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as stream:
        stream.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def _csv(rows, header, delimiter) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _square(x, y, size):
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def generate(communes: list[str]) -> None:
    """Synthetic files in the real formats, placed where the catalog's URLs point (under the mirror)."""
    if (MIRROR / "done").exists():
        return
    shutil.rmtree(MIRROR, ignore_errors=True)
    rng = random.Random(42)
    centre = {code: (-0.75 + (i % 7) * 0.05, 44.75 + (i // 7) * 0.05) for i, code in enumerate(communes)}
    others = [f"33{n:03d}" for n in range(400, 460)]
    ban_header = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
                  "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
                  "source_position;source_nom_voie;certification_commune;cad_parcelles").split(";")
    ban, sirene = [], []
    for code in communes + others:
        x0, y0 = centre.get(code, (-0.2, 44.5))
        for n in range(1500):
            lon, lat = x0 + rng.random() * 0.04, y0 + rng.random() * 0.04
            ban.append([f"{code}_x_{n:05d}", f"{code}_x", n, "", "Rue synthétique", "33000", code, "", "", "", 0, 0,
                        f"{lon:.6f}", f"{lat:.6f}", "entrée", "", "", "", "", "commune", "commune", 1, ""])
        for n in range(600):
            lon, lat = x0 + rng.random() * 0.04, y0 + rng.random() * 0.04
            sirene.append([f"{n:09d}{code}"[:14], code, "47.11Z", f"{lon:.6f}", f"{lat:.6f}"])
    _gz(MIRROR / "adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz", _csv(ban, ban_header, ";"))
    _gz(MIRROR / "files.data.gouv.fr/geo-sirene/last/dep/geo_siret_33.csv.gz",
        _csv(sirene, ["siret", "codeCommuneEtablissement", "activitePrincipaleEtablissement", "longitude",
                      "latitude"], ","))
    for code in communes:
        x0, y0 = centre[code]
        base = MIRROR / f"cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/{code}"
        parcels = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(
            x0 + (n % 25) * 0.0015, y0 + (n // 25) * 0.0015, 0.0012)},
            "properties": {"id": f"{code}000AB{n:04d}", "commune": code, "section": "AB", "numero": str(n),
                           "contenance": 1000}} for n in range(500)]
        buildings = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(
            x0 + (n % 25) * 0.0015 + 0.0003, y0 + (n // 25) * 0.0015 + 0.0003, 0.0005)},
            "properties": {"type": "01", "commune": code}} for n in range(500)]
        _gz(base / f"cadastre-{code}-parcelles.json.gz", json.dumps({"type": "FeatureCollection", "features": parcels}))
        _gz(base / f"cadastre-{code}-batiments.json.gz",
            json.dumps({"type": "FeatureCollection", "features": buildings}))
        for year in range(2021, 2026):
            rows = [[f"{year}-{n}", f"{year}-06-01", "Vente", 150000 + n, code, f"{x0 + 0.01:.6f}", f"{y0 + 0.01:.6f}"]
                    for n in range(60)]
            path = MIRROR / f"files.data.gouv.fr/geo-dvf/latest/csv/{year}/communes/33/{code}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_csv(rows, ["id_mutation", "date_mutation", "nature_mutation", "valeur_fonciere",
                                        "code_commune", "longitude", "latitude"], ","), encoding="utf-8")
    (MIRROR / "done").write_text("")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(MIRROR)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def run(mirror: str, out: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DONNEES_TERRITOIRES_MIRROR=mirror,
               DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS), DONNEES_TERRITOIRES_CACHE=str(WORK / "cache"))
    code = (f"ROOT = {str(ROOT)!r}\nTERRITORY = {TERRITORY!r}\nDATASETS = {DATASETS!r}\nOUT = {str(out)!r}\n"
            + CHILD)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"build_package a échoué :\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    if not CONTOURS.is_file():
        sys.exit("../shared/data absent : ce banc d'essai a besoin des contours 2018 réels.")
    sys.path.insert(0, str(ROOT))
    from donnees_territoires.territory import TerritoryIndex

    generate(TerritoryIndex.load().commune_codes(TERRITORY))
    server, mirror = serve()
    try:
        colds, warms = [], []
        for _ in range(RUNS):
            shutil.rmtree(WORK / "cache" / "downloads", ignore_errors=True)
            for folder in (WORK / "cache").glob("*"):
                if folder.name != "contours":  # the contour is not what this bench measures
                    shutil.rmtree(folder, ignore_errors=True)
            out = WORK / "bordeaux-metropole.gpkg"
            out.unlink(missing_ok=True)
            colds.append(run(mirror, out))
            warms.append(run(mirror, out))
    finally:
        server.shutdown()
    cold = sorted(r["s"] for r in colds)[len(colds) // 2]
    warm = sorted(r["s"] for r in warms)[len(warms) // 2]
    print(f"build_package {TERRITORY} × 5 jeux ({DATASETS}), miroir local, médiane de {RUNS} :")
    print(f"  froid (cache vide, tout téléchargé, découpé, écrit) : {cold:6.2f} s")
    print(f"  chaud (tout répondu 304, paquet déjà à jour)        : {warm:6.2f} s — "
          f"{100 * warm / cold:.1f} % du froid (objectif ≤ 10 %) : {'atteint' if warm <= 0.1 * cold else 'MANQUÉ'}")
    print(f"  couches : {colds[0]['layers']} ; chaud inchangé : {all(r['unchanged'] for r in warms)}")
    record = LastRun(__file__)
    statistic = f"médiane de {RUNS} processus"
    record.measure("package_cold", cold, "s", statistic=statistic, runs=RUNS, layers=colds[0]["layers"])
    record.measure("package_warm", warm, "s", statistic=statistic,
                   baselines={"cold": baseline("le même, froid", cold, "s")},
                   budgets=(budget("build_package chaud par rapport au froid (médianes)", 100 * warm / cold, 10.0,
                                   "%"),),
                   runs=RUNS, unchanged=all(r["unchanged"] for r in warms))
    record.require(all(r["unchanged"] for r in warms), "un passage chaud n'a pas trouvé le paquet à jour")
    return record.finish()


if __name__ == "__main__":
    start = time.perf_counter()
    status = main()
    print(f"  (banc complet en {time.perf_counter() - start:.0f} s)")
    sys.exit(status)
