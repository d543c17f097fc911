#!/usr/bin/env python3
"""clip_to_territory on about 1 M address-like points, against its baselines measured in the same run.

Input: ../shared/tools/gen_points.py points (cached in build/bench/), as a GeoPackage with its
spatial index (a national file a GIS team holds). Territory: département 33 from the real 2018
contours. Each run is a fresh process, the methods taking turns; time is wall-clock, memory is the
peak resident size.

- ogr2ogr pipeline: `ogr2ogr -spat <bbox> -clipsrc <département polygon>`
- native:extractbylocation on a ready polygon (the plain native algorithm)
- donnees_territoires:clip_to_territory, cold (contour computed from the communes, included) then
  warm (contour from the on-disk contour cache, as in every later run on that territory)
Goals, on the warm figure: ≥ 10× faster than the ogr2ogr pipeline, ≤ 1.3× the plain native algorithm,
both judged on the medians of the runs. The script exits with 1 when one is missed; figures go to
docs/bench/last-run.json (keys `clip_warm`, `clip_cold`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from last_run import LastRun, baseline, budget  # noqa: E402
from qgis_child import PRELUDE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CONTOURS = SHARED / "data" / "contours-2018" / "france-2018.gpkg"
WORK = ROOT / "build" / "bench"
N_POINTS = int(os.environ.get("BENCH_POINTS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

QGIS_CHILD = PRELUDE + r"""
start = time.perf_counter()
if MODE == "native":
    result = processing.run("native:extractbylocation", {"INPUT": POINTS, "PREDICATE": [0],
                            "INTERSECT": POLYGON, "OUTPUT": OUT})
else:
    result = processing.run("donnees_territoires:clip_to_territory", {"INPUT": POINTS,
                            "TERRITORY": "departement:33", "MODE": 0, "CRS": "EPSG:4326", "OUTPUT": OUT})
elapsed = time.perf_counter() - start
count = QgsVectorLayer(result["OUTPUT"], "out", "ogr").featureCount()
print(json.dumps({"s": elapsed, "count": count, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def prepare() -> tuple[Path, Path]:
    """The points (CSV → GeoPackage with spatial index) and the département 33 polygon, built once."""
    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = WORK / f"points-{N_POINTS}.csv"
    gpkg = WORK / f"points-{N_POINTS}.gpkg"
    polygon = WORK / "departement-33.gpkg"
    if not csv_path.exists():
        print(f"génération de {N_POINTS} points (une fois, ~35 s par million)…", flush=True)
        # gen_points.py lets its ogr.Open() dataset be collected while it reads the layer, which crashes
        # with Debian's GDAL 3.6 bindings: run it with the datasets kept alive
        wrapper = ("import runpy, sys\nfrom osgeo import ogr\nkept = []\nopen_ = ogr.Open\n"
                   "def keep_open(*args, **kwargs):\n    kept.append(open_(*args, **kwargs))\n    return kept[-1]\n"
                   "ogr.Open = keep_open\nsys.argv = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')\n")
        subprocess.run([sys.executable, "-c", wrapper, str(SHARED / "tools" / "gen_points.py"), str(N_POINTS),
                        str(csv_path)], check=True, capture_output=True)
    if not gpkg.exists():
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(csv_path), "-nln", "points", "-a_srs", "EPSG:4326",
                        "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "SEPARATOR=SEMICOLON"],
                       check=True, capture_output=True)
    if not polygon.exists():
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import os\n"
                "from qgis.core import QgsApplication\n"
                "app = QgsApplication([], False); app.initQgis()\n"
                "sys.path.append('/usr/share/qgis/python/plugins')\n"
                "from processing.core.Processing import Processing; Processing.initialize()\n"
                "import processing\n"
                "from donnees_territoires.processing.provider import Provider\n"
                "provider = Provider()\n"
                "QgsApplication.processingRegistry().addProvider(provider)\n"
                "processing.run('donnees_territoires:territory_boundary', {'TERRITORY': 'departement:33',"
                f" 'DISSOLVE': True, 'CRS': 'EPSG:4326', 'OUTPUT': {str(polygon)!r}}})\n")
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=_env())
    return gpkg, polygon


def _env() -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS),
                DONNEES_TERRITOIRES_CACHE=str(WORK / "cache"))


def run_qgis(mode: str, points: Path, polygon: Path) -> dict:
    out = WORK / f"out-{mode}.gpkg"
    out.unlink(missing_ok=True)
    code = (f"ROOT = {str(ROOT)!r}\nMODE = {mode!r}\nPOINTS = {str(points)!r}\nPOLYGON = {str(polygon)!r}\n"
            f"OUT = {str(out)!r}\n" + QGIS_CHILD)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env())
    if done.returncode:
        sys.exit(f"{mode} a échoué :\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_ogr2ogr(points: Path, polygon: Path) -> dict:
    from osgeo import ogr

    out = WORK / "out-ogr2ogr.gpkg"
    out.unlink(missing_ok=True)
    dataset = ogr.Open(str(polygon))  # kept alive while its layer is used (GDAL's Python bindings)
    xmin, xmax, ymin, ymax = dataset.GetLayer(0).GetExtent()
    start = time.perf_counter()
    command = ["/usr/bin/time", "-f", "%M", "ogr2ogr", "-f", "GPKG", str(out), str(points), "-spat", str(xmin),
               str(ymin), str(xmax), str(ymax), "-clipsrc", str(polygon)]
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"ogr2ogr a échoué :\n{done.stderr[-2000:]}")
    result = ogr.Open(str(out))
    count = result.GetLayer(0).GetFeatureCount()
    return {"s": elapsed, "count": count, "rss_mb": int(done.stderr.strip().splitlines()[-1]) / 1024}


def median_of(runs: list[dict]) -> dict:
    return {"s": statistics.median(r["s"] for r in runs), "count": runs[0]["count"],
            "rss_mb": max(r["rss_mb"] for r in runs)}


def main() -> int:
    if not CONTOURS.is_file():
        sys.exit("../shared/data absent : ce banc d'essai a besoin des contours 2018 réels.")
    points, polygon = prepare()
    shutil.rmtree(WORK / "cache" / "contours", ignore_errors=True)
    runs: dict[str, list[dict]] = {"ogr2ogr -spat -clipsrc": [], "native:extractbylocation": [],
                                   "clip_to_territory": []}
    cold = None
    # the methods take turns, so that a change of load on this shared machine weighs on each alike
    for _ in range(RUNS):
        runs["ogr2ogr -spat -clipsrc"].append(run_ogr2ogr(points, polygon))
        runs["native:extractbylocation"].append(run_qgis("native", points, polygon))
        if cold is None:  # first run: the contour is computed from the 35,357 communes and cached
            cold = run_qgis("ours", points, polygon)
        runs["clip_to_territory"].append(run_qgis("ours", points, polygon))
    results = {"ogr2ogr -spat -clipsrc": median_of(runs["ogr2ogr -spat -clipsrc"]),
               "native:extractbylocation": median_of(runs["native:extractbylocation"]),
               "clip_to_territory (froid)": cold, "clip_to_territory": median_of(runs["clip_to_territory"])}
    ours = results["clip_to_territory"]
    print(f"Découpe de {N_POINTS} points sur le département 33 (médiane de {RUNS} processus, GeoPackage indexé ;"
          " « froid » : contour calculé, sinon contour en cache)")
    print(f"  {'méthode':28} {'temps':>9} {'entités':>8} {'mémoire max':>12} {'ratio':>8}")
    for name, result in results.items():
        ratio = ours["s"] / result["s"]
        print(f"  {name:28} {result['s']:8.2f}s {result['count']:8d} {result['rss_mb']:10.0f} Mo "
              f"{'' if result is ours else f'{ratio:7.2f}×'}")
    speedup = results["ogr2ogr -spat -clipsrc"]["s"] / ours["s"]
    versus_native = ours["s"] / results["native:extractbylocation"]["s"]
    print(f"  objectif ≥ 10× plus rapide qu'ogr2ogr : {speedup:.1f}× ({'atteint' if speedup >= 10 else 'MANQUÉ'})")
    print(f"  objectif ≤ 1,3× l'algorithme natif : {versus_native:.2f}× "
          f"({'atteint' if versus_native <= 1.3 else 'MANQUÉ'})")
    counts = {r["count"] for r in results.values()}
    if len(counts) > 1:
        print(f"  attention : nombres d'entités différents {sorted(counts)} (contour fusionné des communes "
              "contre polygone du département)")
    ogr, native = results["ogr2ogr -spat -clipsrc"], results["native:extractbylocation"]
    record = LastRun(__file__)
    record.measure("clip_warm", ours["s"], "s", statistic=f"médiane de {RUNS} processus",
                   baselines={"ogr2ogr": baseline("ogr2ogr -spat -clipsrc", ogr["s"], "s"),
                              "native": baseline("native:extractbylocation sur un polygone prêt", native["s"], "s")},
                   budgets=(budget("découpe plus rapide qu'ogr2ogr (médianes)", speedup, 10.0, "×", at_least=True),
                            budget("découpe par rapport à l'algorithme natif (médianes)", versus_native, 1.3, "×")),
                   runs=RUNS, points=N_POINTS, count=ours["count"], rss_mb=ours["rss_mb"], ogr2ogr_count=ogr["count"],
                   ogr2ogr_rss_mb=ogr["rss_mb"], native_count=native["count"], native_rss_mb=native["rss_mb"])
    record.measure("clip_cold", cold["s"], "s", statistic="un processus", points=N_POINTS, count=cold["count"],
                   rss_mb=cold["rss_mb"])
    return record.finish()


if __name__ == "__main__":
    sys.exit(main())
