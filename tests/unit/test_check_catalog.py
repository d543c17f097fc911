"""scripts/check_catalog.py: the offline validation run by make test, the online check through a local mirror,
and the README's list of datasets rendered from the catalog."""

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import check_catalog  # noqa: E402

from donnees_territoires.catalog.loader import builtin_catalog  # noqa: E402


def run(*argv):
    out = io.StringIO()
    code = check_catalog.main(list(argv), stream=out)
    return code, out.getvalue()


def test_every_builtin_entry_is_documented_and_builds_its_smallest_request():
    code, out = run()
    assert code == 0, out
    assert out.strip().endswith(f"{len(builtin_catalog().datasets)} entrée(s), 0 à corriger.")


def test_an_entry_without_documentation_is_named(monkeypatch):
    document = builtin_catalog()
    import dataclasses

    broken = dataclasses.replace(document.datasets[0], documentation=(), evidence="vérifié")
    monkeypatch.setattr(check_catalog, "builtin_catalog",
                        lambda: dataclasses.replace(document, datasets=[broken, *document.datasets[1:]]))
    code, out = run("--only", broken.id)
    assert code == 1 and "pas de lien de documentation" in out and "pas de preuve" in out


def test_the_readme_list_is_the_one_rendered_from_the_catalog():
    code, out = run("--readme", "--check")
    assert code == 0, "la liste des jeux du README est à régénérer : python3 scripts/check_catalog.py --readme --write"
    table = check_catalog.render(builtin_catalog())
    assert "| [Zonage des documents d'urbanisme (PLU, PLUi, POS)]" in table and "`gpu-zonage`" in table
    assert table.count("\n| [") == len(builtin_catalog().datasets)


BAN = "/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"


def test_online_the_answers_and_the_declared_columns_are_checked(httpserver):
    header = "id;id_fantoir;numero;nom_voie;code_postal;code_insee;nom_commune;lon;lat"
    httpserver.expect_request(BAN).respond_with_data(gzip.compress((header + "\n1;x;1;rue;33000;33063;B;-0.5;44.8\n")
                                                                   .encode()), content_type="application/gzip")
    commune = {"type": "FeatureCollection", "numberMatched": 1, "features": [
        {"type": "Feature", "geometry": None, "properties": {"cleabs": "C1", "nom_officiel": "Bordeaux"}}]}
    httpserver.expect_request("/data.geopf.fr/wfs/ows").respond_with_data(json.dumps(commune),
                                                                          content_type="application/json")
    mirror = httpserver.url_for("/").rstrip("/")

    code, out = run("--online", "--mirror", mirror, "--only", "ban-adresses,admin-express-communes,cadastre-parcelles")

    lines = {line.split()[1]: line for line in out.splitlines() if line[:3] in ("ok ", "NON")}
    assert lines["ban-adresses"].startswith("ok ") and " 200" in lines["ban-adresses"]
    # the WFS answered without code_insee, the field the entry cuts on: said
    assert lines["admin-express-communes"].startswith("NON") and "colonnes absentes : code_insee" in out
    assert lines["cadastre-parcelles"].startswith("NON") and "réponse 500" in out  # pytest-httpserver: no handler
    assert code == 1
    (wfs,) = [request for request, _response in httpserver.log if request.path == "/data.geopf.fr/wfs/ows"]
    assert wfs.args["COUNT"] == "1" and "33063" in wfs.args["CQL_FILTER"]


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch):
    """The online check goes through the mirror only: anything else would leave the machine."""
    import requests

    send = requests.Session.send

    def local_only(self, request, **kwargs):
        assert request.url.startswith("http://localhost") or request.url.startswith("http://127.0.0.1"), request.url
        return send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", local_only)
