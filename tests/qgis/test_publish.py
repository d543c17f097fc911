"""Issue 17: a package of Bordeaux published to a local data.gouv.fr API (tests/qgis/fake_datagouv.py), republished
without duplicates, refused cleanly on each failure, and written out as requests in a dry run."""

import hashlib
import json

import pytest
from qgis.core import QgsApplication, QgsProcessingException

from tests.qgis.fake_datagouv import KEY, FakeDataGouv
from tests.qgis.test_fault_matrix import FaultServer, _serving, build
from tests.qgis.test_partial_package import manifest_of


@pytest.fixture
def platform(mirror, tmp_path):
    """The fake API (registered first: the sources' catch-all answers 404 to the rest), the sources of a Bordeaux
    package, and an authentication configuration holding the key."""
    fake = FakeDataGouv()
    fake.register(mirror)
    sources = FaultServer(mirror, tmp_path)
    fake.sources = sources
    yield fake


def auth_config(key=KEY) -> str:
    from tests.qgis.auth_configs import basic_config

    return basic_config("data.gouv.fr (tests)", "", key)


@pytest.fixture
def authcfg():
    ids = []

    def make(key=KEY):
        ids.append(auth_config(key))
        return ids[-1]
    yield make
    for config_id in ids:
        QgsApplication.authManager().removeAuthenticationConfig(config_id)


def publish(package, authcfg_id, **extra):
    import processing

    return processing.run("donnees_territoires:publish_package", {
        "PACKAGE": str(package), "ORGANISATION": "ot-bordeaux", "PLATFORM": "demo", "AUTHCFG": authcfg_id, **extra})


def package(tmp_path):
    target = tmp_path / "bordeaux.gpkg"
    build(target)
    return target


def test_a_package_is_published_with_its_zones_licence_and_files(qgis_app, dt_processing, platform, authcfg,
                                                                  tmp_path):
    target = package(tmp_path)
    sha = hashlib.sha256(target.read_bytes()).hexdigest()

    result = publish(target, authcfg())

    (dataset,) = platform.live()
    assert result["CREATED"] is True and result["DATASET_ID"] == dataset["id"] and result["PAGE"] == dataset["page"]
    assert dataset["private"] is False and dataset["license"] == "lov2"
    assert dataset["title"] == "Référentiels territoriaux — Bordeaux (33063)"
    assert dataset["spatial"] == {"zones": ["fr:commune:33063"], "granularity": "fr:commune"}
    assert dataset["organization"]["slug"] == "ot-bordeaux"
    assert dataset["extras"] == {"donnees_territoires:cle": "commune:33063|ban-adresses,cadastre-parcelles"}
    assert "Base adresse nationale" in dataset["description"] or "ban_adresses" in dataset["description"]
    assert "refresh_package" in dataset["description"]
    titles = {r["title"]: r for r in dataset["resources"]}
    assert set(titles) == {"bordeaux.gpkg", "ban_adresses.geojson", "cadastre_parcelles.geojson"}
    assert titles["bordeaux.gpkg"]["sha256"] == sha  # the package as it was, uploaded whole
    addresses = json.loads(platform.files[titles["ban_adresses.geojson"]["id"]])
    assert len(addresses["features"]) == 120 and -1 < addresses["features"][0]["geometry"]["coordinates"][0] < 0
    # created private, files sent, then made public
    writes = [(method, path) for method, path, _body in platform.requests if method != "GET"]
    own = [write for write in writes if dataset["id"] in write[1]]
    assert writes[0] == ("POST", "/datasets/") and own[-1] == ("PUT", f"/datasets/{dataset['id']}/")
    assert platform.requests[[m for m, _p, _b in platform.requests].index("POST")][2]["private"] is True
    # the key went in the header only: never in the package
    assert KEY.encode() not in target.read_bytes()


def test_republishing_sends_nothing_when_unchanged_and_replaces_files_in_place(qgis_app, dt_processing, platform,
                                                                             authcfg, tmp_path):
    target, key = package(tmp_path), authcfg()
    first = publish(target, key)
    resources = {r["title"]: r["id"] for r in platform.live()[0]["resources"]}
    sent = len(platform.requests)

    again = publish(target, key)
    assert again["UNCHANGED"] is True and again["DATASET_ID"] == first["DATASET_ID"]
    assert len(platform.requests) == sent  # not a single request

    # new addresses: the package is rebuilt (its manifest, and the record of the publication, written anew); the
    # dataset is found again among the organisation's, its files replaced under the same resource ids
    platform.sources.fault = _serving(130)
    build(target)
    changed = publish(target, key)
    (dataset,) = platform.live()
    assert changed["CREATED"] is False and changed["UNCHANGED"] is False and dataset["id"] == first["DATASET_ID"]
    assert {r["title"]: r["id"] for r in dataset["resources"]} == resources
    addresses = next(r for r in dataset["resources"] if r["title"] == "ban_adresses.geojson")
    assert len(json.loads(platform.files[addresses["id"]])["features"]) == 130


def test_a_rejected_key_and_an_unknown_organisation_are_said_in_french(qgis_app, dt_processing, platform, authcfg,
                                                                      tmp_path):
    target = package(tmp_path)
    before = hashlib.sha256(target.read_bytes()).hexdigest()

    with pytest.raises(QgsProcessingException) as refused:
        publish(target, authcfg("cle-perimee"))
    assert "clé d'API a été refusée" in str(refused.value) and "Invalid API token" in str(refused.value)
    assert "cle-perimee" not in str(refused.value)

    with pytest.raises(QgsProcessingException) as unknown:
        publish(target, authcfg(), ORGANISATION="ot-inconnue")
    assert "L'organisation « ot-inconnue » n'existe pas" in str(unknown.value)

    with pytest.raises(QgsProcessingException) as no_key:
        publish(target, "")
    assert "Aucune clé d'API" in str(no_key.value)
    assert platform.live() == [] and hashlib.sha256(target.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("status", [413, 500, 502])
def test_a_failed_upload_leaves_nothing_half_made(qgis_app, dt_processing, platform, authcfg, tmp_path, status):
    target = package(tmp_path)
    platform.faults.append(("POST", r"/upload/$", status))  # the first file sent fails

    with pytest.raises(QgsProcessingException) as caught:
        publish(target, authcfg())

    message = str(caught.value)
    assert "Publication interrompue" in message and "supprimé" in message and str(status) in message, message
    assert platform.live() == []  # the private dataset the attempt created is gone
    assert [m for m, _p, _b in platform.requests].count("DELETE") == 1


def test_a_dry_run_writes_the_requests_and_sends_nothing(qgis_app, dt_processing, platform, tmp_path):
    target = package(tmp_path)

    result = publish(target, "", DRY_RUN=str(tmp_path / "essai"))

    assert platform.requests == [] and result["REQUESTS"].endswith("requetes.json")
    calls = json.loads((tmp_path / "essai" / "requetes.json").read_text(encoding="utf-8"))
    create = next(c for c in calls if c["method"] == "POST" and c["path"] == "datasets/")
    assert create["body"]["license"] == "lov2" and create["body"]["private"] is True
    assert create["body"]["spatial"]["zones"] == ["fr:commune:33063"]
    uploads = [c["file"] for c in calls if c["file"]]
    assert [u["name"] for u in uploads] == ["bordeaux.gpkg", "ban_adresses.geojson", "cadastre_parcelles.geojson",
                                            "catalogue-donnees-territoires.json"]
    assert uploads[0]["size"] == target.stat().st_size
    assert "POST datasets/" in (tmp_path / "essai" / "requetes.txt").read_text(encoding="utf-8")


def test_a_large_file_goes_in_parts_and_arrives_whole(qgis_app, dt_processing, platform, authcfg, tmp_path,
                                                      monkeypatch):
    from donnees_territoires.publish import api

    monkeypatch.setattr(api, "UPLOAD_PART_BYTES", 64 * 1024)  # the package is a few hundred kB: several parts
    target = package(tmp_path)
    sha = hashlib.sha256(target.read_bytes()).hexdigest()

    publish(target, authcfg())

    (dataset,) = platform.live()
    gpkg = next(r for r in dataset["resources"] if r["title"] == "bordeaux.gpkg")
    assert gpkg["sha256"] == sha
    parts = [body for method, path, body in platform.requests if path.endswith("/upload/") and "partindex" in body]
    assert len(parts) >= -(-target.stat().st_size // (64 * 1024)) >= 2  # the package's parts, and the exports'



def test_the_organisation_catalog_lets_a_second_profile_fetch_the_package(qgis_app, dt_processing, platform, authcfg,
                                                                          tmp_path):
    """« Mutualiser »: the publication writes the organisation's catalog; another team adds its one address in its
    options and produces the same layers through the plugin, from the published GeoPackage."""
    import processing
    from qgis.core import QgsSettings

    from donnees_territoires.catalog import configured_catalog

    target = package(tmp_path)
    publish(target, authcfg())
    resource, document = platform.catalog()
    ids = sorted(entry["id"] for entry in document["datasets"])
    assert ids == ["ot-bordeaux-commune-33063-ban-adresses", "ot-bordeaux-commune-33063-cadastre-parcelles"]

    settings = QgsSettings()
    saved = settings.value("donnees_territoires/catalogs")
    settings.setValue("donnees_territoires/catalogs", resource["latest"])  # what the second team types
    try:
        catalog = configured_catalog()
        assert catalog.refusals == [] and all(i in catalog for i in ids)
        copy = tmp_path / "equipe-2" / "bordeaux.gpkg"
        copy.parent.mkdir()
        result = processing.run("donnees_territoires:build_package", {
            "TERRITORY": "commune:33063", "DATASETS": ",".join(ids), "OUTPUT": str(copy), "LOAD_RESULTS": False})
    finally:
        if saved is None:
            settings.remove("donnees_territoires/catalogs")
        else:
            settings.setValue("donnees_territoires/catalogs", saved)
    assert result["FAILED_DATASETS"] == ""
    counts = {table: count for table, (count, _checksum) in manifest_of(copy)[1].items()}
    original = {table: count for table, (count, _checksum) in manifest_of(target)[1].items()}
    assert counts == {f"ot_bordeaux_commune_33063_{table}": count for table, count in original.items()}, counts

    # published again: the catalog keeps one entry per layer (replaced, not added)
    platform.sources.fault = _serving(130)
    build(target)
    publish(target, authcfg())
    assert sorted(entry["id"] for entry in platform.catalog()[1]["datasets"]) == ids
