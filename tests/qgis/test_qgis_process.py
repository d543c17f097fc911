"""After `make install`, qgis_process sees the provider headless (Debian's qgis_process.bin)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
sys.path.insert(0, str(ROOT / "scripts"))
import package_plugin  # noqa: E402


@pytest.fixture(scope="module")
def installed_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "package_plugin.py"), "install"],
                   env=user_env(home), check=True, capture_output=True)
    return home


def user_env(home):
    """The environment of a user whose HOME is `home` (pytest-qgis' profile variables removed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH")}
    return dict(env, HOME=str(home), QT_QPA_PLATFORM="offscreen")


def qgis_process(home, *args):
    env = user_env(home)
    return subprocess.run([QGIS_PROCESS, *args], env=env, cwd=home, capture_output=True, text=True,
                          timeout=120)


def test_install_enables_the_plugin_for_qgis_process(installed_home):
    plugins = qgis_process(installed_home, "plugins")
    assert plugins.returncode == 0, plugins.stderr
    assert "* donnees_territoires" in plugins.stdout


def test_provider_listed(installed_home):
    listing = qgis_process(installed_home, "list")
    assert listing.returncode == 0, listing.stderr
    assert "Données et territoires" in listing.stdout
    assert package_plugin.profile_dir("default", installed_home).joinpath(
        "python", "plugins", "donnees_territoires", "metadata.txt").is_file()


def test_run_an_algorithm_headless(installed_home, tmp_path):
    table = tmp_path / "codes.csv"
    table.write_text("insee,nom\n01154,Étrez\n33063,Bordeaux\n60054,Beaumont-les-Nonains\n", encoding="utf-8")
    output = tmp_path / "convertis.csv"
    run = qgis_process(installed_home, "run", "donnees_territoires:convert_cog_codes", "--",
                       f"INPUT={table}", "FIELD=insee", "FROM_VINTAGE=2021", f"OUTPUT={output}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 inchangés, 1 fusionnés, 1 ambigus, 0 inconnus" in run.stdout
    with output.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["insee", "nom", "code_cog", "nom_cog", "statut_cog", "candidats_cog"]
    assert rows[1] == ["01154", "Étrez", "01130", "Bresse Vallons", "fusionne", ""]
    assert rows[3] == ["60054", "Beaumont-les-Nonains", "", "", "ambigu", "60054,60694"]


def test_batch_packages_with_worker_processes_from_qgis_process(installed_home, fetch_http, tmp_path):
    """qgis_process is not a Python: the workers are started with the Python QGIS runs on."""
    from donnees_territoires.territory import TerritoryIndex
    from tests.conftest import CONTOURS_2018
    from tests.qgis.test_batch_packages import EPCI, serve

    serve(fetch_http, TerritoryIndex.load().communes(EPCI))
    env = dict(user_env(installed_home), DONNEES_TERRITOIRES_MIRROR=fetch_http.url_for("/").rstrip("/"),
               DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS_2018), DONNEES_TERRITOIRES_CACHE=str(tmp_path / "cache"))
    run = subprocess.run([QGIS_PROCESS, "--json", "run", "donnees_territoires:batch_packages", "--",
                          f"PARENT={EPCI}", "LEVEL=commune", "DATASETS=ban-adresses",
                          f"OUTPUT_FOLDER={tmp_path / 'out'}", "WORKERS=2"],
                         env=env, cwd=installed_home, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    import json

    results = json.loads(run.stdout)["results"]
    assert (results["WRITTEN"], results["FAILED"], results["WORKERS_USED"]) == (28, 0, 2)
    assert len(list((tmp_path / "out").glob("commune-*.gpkg"))) == 28


def test_a_choice_given_by_name_in_qgis_process(installed_home, tmp_path):
    """MODE=within by name: the straddling square is dropped, as with MODE=2; an unknown name is refused."""
    from tests.conftest import CONTOURS_2018

    squares = tmp_path / "carres.geojson"
    squares.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"nom": "dedans"}, "geometry": {"type": "Polygon", "coordinates": '
        '[[[-0.6, 44.8], [-0.5, 44.8], [-0.5, 44.9], [-0.6, 44.9], [-0.6, 44.8]]]}},'
        '{"type": "Feature", "properties": {"nom": "à cheval"}, "geometry": {"type": "Polygon", "coordinates": '
        '[[[0.1, 44.8], [0.5, 44.8], [0.5, 44.9], [0.1, 44.9], [0.1, 44.8]]]}}]}', encoding="utf-8")
    env = dict(user_env(installed_home), DONNEES_TERRITOIRES_CONTOURS=str(CONTOURS_2018),
               DONNEES_TERRITOIRES_CACHE=str(tmp_path / "cache"))

    def clip(mode, output):
        return subprocess.run([QGIS_PROCESS, "run", "donnees_territoires:clip_to_territory", "--",
                               f"INPUT={squares}", "TERRITORY=departement:33", f"MODE={mode}", f"OUTPUT={output}"],
                              env=env, cwd=installed_home, capture_output=True, text=True, timeout=120)

    for mode in ("within", "intersects"):
        run = clip(mode, tmp_path / f"{mode}.gpkg")
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    from qgis.core import QgsVectorLayer

    kept = {mode: sorted(f["nom"] for f in QgsVectorLayer(str(tmp_path / f"{mode}.gpkg"), mode, "ogr").getFeatures())
            for mode in ("within", "intersects")}
    assert kept == {"within": ["dedans"], "intersects": ["dedans", "à cheval"]}
    refused = clip("coupe", tmp_path / "refus.gpkg")
    assert refused.returncode != 0
    assert "« coupe » n'est pas une valeur possible" in refused.stdout + refused.stderr
    assert not (tmp_path / "refus.gpkg").exists()
