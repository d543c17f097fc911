#!/usr/bin/env python3
"""batch_packages over every commune of département 33 × 3 datasets, against build_package once per commune.

Synthetic mirror (Python's http.server, Last-Modified / 304 like the real hosts): the BAN and
Sirene files of département 33 (every commune's addresses and establishments) and one cadastre
parcels file per commune. Measured, each in a fresh process, the contour cache kept:
  - batch_packages cold, 1 worker (empty download cache, every package written);
  - batch_packages warm (every source answers 304, every package « à jour »);
  - scaling: every package written again (packages removed, downloads cached) with 1 then 2
    worker processes;
  - build_package on a sample of communes (cold cache), extrapolated to all communes: the way
    to do it without the batch (each run re-reads and re-filters the département files).
No budget here; the script exits with 1 when a package fails or the warm run finds one out of date.
Figures go to docs/bench/last-run.json (keys `batch_cold`, `batch_warm`, `batch_rewrite`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_package import QuietHandler, _csv, _gz, _square  # noqa: E402, F401
from last_run import LastRun, baseline  # noqa: E402
from qgis_child import PRELUDE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONTOURS = ROOT.parent / "shared" / "data" / "contours-2018" / "france-2018.gpkg"
WORK = ROOT / "build" / "bench" / "batch"
MIRROR = WORK / "mirror"
DATASETS = "ban-adresses,sirene-etablissements,cadastre-parcelles"
PARENT = "departement:33"
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "20"))
ADDRESSES, ESTABLISHMENTS, PARCELS = 300, 100, 150  # per commune

BATCH = PRELUDE + r"""
start = time.perf_counter()
result = processing.run("donnees_territoires:batch_packages", {"PARENT": PARENT, "LEVEL": 0, "DATASETS": DATASETS,
                        "OUTPUT_FOLDER": OUT, "WORKERS": WORKERS})
print(json.dumps({"s": time.perf_counter() - start, "written": result["WRITTEN"], "unchanged": result["UNCHANGED"],
                  "failed": result["FAILED"], "workers": result["WORKERS_USED"],
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SINGLE = PRELUDE + r"""
times = []
for code in CODES:
    start = time.perf_counter()
    processing.run("donnees_territoires:build_package", {"TERRITORY": f"commune:{code}", "DATASETS": DATASETS,
                   "OUTPUT": f"{OUT}/commune-{code}.gpkg", "LOAD_RESULTS": False})
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times}))
"""


def generate(communes: list[str]) -> None:
    if (MIRROR / "done").exists():
        return
    shutil.rmtree(MIRROR, ignore_errors=True)
    rng = random.Random(33)
    ban_header = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
                  "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
                  "source_position;source_nom_voie;certification_commune;cad_parcelles").split(";")
    ban, sirene = [], []
    centre = {code: (-1.2 + (i % 25) * 0.06, 44.2 + (i // 25) * 0.06) for i, code in enumerate(communes)}
    for code in communes:
        x0, y0 = centre[code]
        for n in range(ADDRESSES):
            lon, lat = x0 + rng.random() * 0.05, y0 + rng.random() * 0.05
            ban.append([f"{code}_x_{n:05d}", f"{code}_x", n, "", "Rue synthétique", "33000", code, "", "", "", 0, 0,
                        f"{lon:.6f}", f"{lat:.6f}", "entrée", "", "", "", "", "commune", "commune", 1, ""])
        for n in range(ESTABLISHMENTS):
            lon, lat = x0 + rng.random() * 0.05, y0 + rng.random() * 0.05
            sirene.append([f"{n:09d}{code}"[:14], code, "47.11Z", f"{lon:.6f}", f"{lat:.6f}"])
        parcels = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": _square(
            x0 + (n % 15) * 0.003, y0 + (n // 15) * 0.003, 0.0025)},
            "properties": {"id": f"{code}000AB{n:04d}", "commune": code, "section": "AB", "numero": str(n),
                           "contenance": 1000}} for n in range(PARCELS)]
        _gz(MIRROR / f"cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/{code}/"
            f"cadastre-{code}-parcelles.json.gz", json.dumps({"type": "FeatureCollection", "features": parcels}))
    _gz(MIRROR / "adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz", _csv(ban, ban_header, ";"))
    _gz(MIRROR / "files.data.gouv.fr/geo-sirene/last/dep/geo_siret_33.csv.gz",
        _csv(sirene, ["siret", "codeCommuneEtablissement", "activitePrincipaleEtablissement", "longitude",
                      "latitude"], ","))
    (MIRROR / "done").write_text("")


def serve():
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(MIRROR)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def clear_downloads() -> None:
    for folder in (WORK / "cache").glob("*"):
        if folder.name != "contours":  # the contours are not what this bench measures
            shutil.rmtree(folder, ignore_errors=True)


def child(code: str, mirror: str, **values) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DONNEES_TERRITOIRES_MIRROR=mirror,
               DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS), DONNEES_TERRITOIRES_CACHE=str(WORK / "cache"))
    head = f"ROOT = {str(ROOT)!r}\nDATASETS = {DATASETS!r}\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
    done = subprocess.run([sys.executable, "-c", head + code], capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"le processus de mesure a échoué :\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    if not CONTOURS.is_file():
        sys.exit("../shared/data absent : ce banc d'essai a besoin des contours 2018 réels.")
    sys.path.insert(0, str(ROOT))
    from donnees_territoires.territory import TerritoryIndex

    communes = TerritoryIndex.load().commune_codes(PARENT)
    generate(communes)
    server, mirror = serve()
    try:
        out = WORK / "paquets"
        shutil.rmtree(out, ignore_errors=True)
        clear_downloads()
        cold = child(BATCH, mirror, PARENT=PARENT, OUT=str(out), WORKERS=1)
        warm = child(BATCH, mirror, PARENT=PARENT, OUT=str(out), WORKERS=1)
        scaling = {}
        for workers in (1, 2):
            shutil.rmtree(out, ignore_errors=True)
            scaling[workers] = child(BATCH, mirror, PARENT=PARENT, OUT=str(out), WORKERS=workers)
        sample = random.Random(1).sample(communes, min(SAMPLE, len(communes)))
        single_out = WORK / "unitaires"
        shutil.rmtree(single_out, ignore_errors=True)
        single_out.mkdir(parents=True)
        clear_downloads()
        single = child(SINGLE, mirror, CODES=sample, OUT=str(single_out))
    finally:
        server.shutdown()
    times = single["times"]
    per_commune = sum(times[1:]) / max(1, len(times) - 1)  # the first one also pays the download
    extrapolated = times[0] + per_commune * (len(communes) - 1)
    n = len(communes)
    print(f"batch_packages {PARENT} ({n} communes) × 3 jeux ({DATASETS}), miroir local synthétique "
          f"({ADDRESSES} adresses, {ESTABLISHMENTS} établissements, {PARCELS} parcelles par commune) :")
    print(f"  froid, 1 processus : {cold['s']:7.1f} s — {n / cold['s']:.1f} paquets/s ; écrits {cold['written']}, "
          f"échecs {cold['failed']}, mémoire max {cold['rss_mb']:.0f} Mo")
    print(f"  chaud (tout répondu 304, tout à jour) : {warm['s']:6.1f} s — à jour {warm['unchanged']}")
    one, two = scaling[1], scaling[2]
    print(f"  tout réécrire (téléchargements en cache) : 1 processus {one['s']:.1f} s, {two['workers']} processus "
          f"{two['s']:.1f} s — accélération {one['s'] / two['s']:.2f}× ({os.cpu_count()} cœurs) ; "
          f"écrits {one['written']} / {two['written']}, échecs {one['failed']} / {two['failed']}")
    print(f"  build_package une commune à la fois, {len(times)} communes tirées au sort : premier {times[0]:.2f} s, "
          f"puis {per_commune:.2f} s par commune")
    print(f"  extrapolé aux {n} communes : {extrapolated:7.1f} s — batch_packages "
          f"{extrapolated / cold['s']:.1f}× plus rapide")
    record = LastRun(__file__)
    details = {"communes": n, "addresses_per_commune": ADDRESSES, "establishments_per_commune": ESTABLISHMENTS,
               "parcels_per_commune": PARCELS}
    record.measure("batch_cold", cold["s"], "s", statistic="un processus",
                   baselines={"build_package": baseline(f"build_package commune par commune, extrapolé de {len(times)} "
                                                        "communes", extrapolated, "s")},
                   workers=cold["workers"], written=cold["written"], failed=cold["failed"], rss_mb=cold["rss_mb"],
                   packages_per_s=n / cold["s"], sample=len(times), single_first_s=times[0],
                   single_per_commune_s=per_commune, **details)
    record.measure("batch_warm", warm["s"], "s", statistic="un processus", unchanged=warm["unchanged"],
                   failed=warm["failed"], **details)
    record.measure("batch_rewrite", two["s"], "s", statistic="un processus",
                   baselines={"one_worker": baseline("le même avec 1 processus de travail", one["s"], "s")},
                   workers=two["workers"], written=two["written"], failed=two["failed"],
                   one_worker_written=one["written"], one_worker_failed=one["failed"], **details)
    for name, result in (("froid", cold), ("chaud", warm), ("1 processus", one), ("2 processus", two)):
        record.require(not result["failed"], f"{result['failed']} paquet(s) en échec au passage {name}")
    record.require(cold["written"] == n and one["written"] == n and two["written"] == n,
                   f"paquets écrits {cold['written']} / {one['written']} / {two['written']} au lieu de {n}")
    record.require(warm["unchanged"] == n, f"passage chaud : {warm['unchanged']} paquets à jour sur {n}")
    return record.finish()


if __name__ == "__main__":
    start = time.perf_counter()
    status = main()
    print(f"  (banc complet en {time.perf_counter() - start:.0f} s)")
    sys.exit(status)
