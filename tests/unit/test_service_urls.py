"""Service addresses live in data (resources/services.json, the catalog), never in the code."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "donnees_territoires"
URL_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)")


def service_hosts() -> set[str]:
    """The hosts of resources/services.json and of every address in the built-in catalog."""
    texts = [(ROOT / "resources" / "services.json").read_text(encoding="utf-8"),
             *(path.read_text(encoding="utf-8") for path in (ROOT / "resources" / "catalog").glob("*.json"))]
    return {host.lower() for text in texts for host in URL_HOST.findall(text)} - {"json-schema.org"}


def addresses_in_code(package: Path = PACKAGE) -> list[str]:
    """`file:line: url` for each string constant of the code holding the address of a known service."""
    hosts = service_hosts()
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [f"{path.relative_to(package.parent)}:{node.lineno}: {host}"
                          for host in URL_HOST.findall(node.value) if host.lower() in hosts]
    return found


def test_no_service_address_in_the_code():
    assert addresses_in_code() == [], "ces adresses vont dans resources/services.json ou le catalogue"


def test_the_services_file_names_what_the_code_asks_for():
    from donnees_territoires.toolbelt.services import service_url

    assert service_url("geoplateforme_wfs") == "https://data.geopf.fr/wfs/ows"
    assert service_url("api_geo").startswith("https://") and service_url("datagouv_datasets").endswith("/")
    assert {"data.geopf.fr", "geo.api.gouv.fr", "www.data.gouv.fr", "cadastre.data.gouv.fr"} <= service_hosts()


def test_an_address_written_in_the_code_is_found(tmp_path):
    package = tmp_path / "donnees_territoires"
    package.mkdir()
    (package / "a.py").write_text('API = "https://geo.api.gouv.fr/communes"\nNOTE = "https:// seulement"\n',
                                  encoding="utf-8")
    assert addresses_in_code(package) == ["donnees_territoires/a.py:1: geo.api.gouv.fr"]
