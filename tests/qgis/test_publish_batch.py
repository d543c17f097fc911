"""Issue 17: a package of Bordeaux Métropole published with its EPCI zone, and a batch folder published as one
dataset per territory (each its zones and its own idempotent record), one territory failing without stopping the
others, the organisation's catalog updated once."""

import hashlib
import json

import pytest
from qgis.core import QgsProcessingException

from tests.qgis import test_publish
from tests.qgis.fake_datagouv import FakeDataGouv
from tests.qgis.test_batch_packages import EPCI, serve

authcfg = test_publish.authcfg  # the fixture: QGIS authentication configurations holding keys


@pytest.fixture
def platform(mirror):
    fake = FakeDataGouv()
    fake.register(mirror)  # before the sources' catch-all 404
    return fake


def run(algorithm, parameters):
    import processing

    return processing.run(f"donnees_territoires:{algorithm}", parameters)


def publish(authcfg_id, **parameters):
    return run("publish_package", {"ORGANISATION": "ot-bordeaux", "PLATFORM": "demo", "AUTHCFG": authcfg_id,
                                   **parameters})


def communes_of(references):
    from donnees_territoires.territory import TerritoryIndex

    index = TerritoryIndex.load()
    return [commune for reference in references for commune in index.communes(reference)]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publication_of(path):
    from donnees_territoires.package.gpkg import read_manifest

    return (read_manifest(path).get("publication") or {}).get("demo")


def test_a_package_of_bordeaux_metropole_is_published_with_its_epci_zone(qgis_app, dt_processing, platform, mirror,
                                                                          authcfg, tmp_path):
    serve(mirror, communes_of([EPCI]))
    target = tmp_path / "bordeaux-metropole.gpkg"
    run("build_package", {"TERRITORY": EPCI, "DATASETS": "ban-adresses,cadastre-parcelles", "OUTPUT": str(target),
                          "LOAD_RESULTS": False})

    result = publish(authcfg(), PACKAGE=str(target))

    (dataset,) = platform.live()
    assert result["CREATED"] is True and result["PUBLISHED"] == 1 and result["CATALOG"]
    assert dataset["title"] == "Référentiels territoriaux — Bordeaux Métropole (243300316)"
    assert dataset["spatial"] == {"zones": ["fr:epci:243300316"], "granularity": "fr:epci"}
    assert dataset["license"] == "lov2" and not dataset["private"]
    assert {r["title"] for r in dataset["resources"]} == {"bordeaux-metropole.gpkg", "ban_adresses.geojson",
                                                          "cadastre_parcelles.geojson"}
    gpkg = next(r for r in dataset["resources"] if r["title"] == "bordeaux-metropole.gpkg")
    assert gpkg["sha256"] == hashlib.sha256(platform.files[gpkg["id"]]).hexdigest()
    assert publication_of(target)["dataset_id"] == dataset["id"]
    assert publish(authcfg(), PACKAGE=str(target))["UNCHANGED"] is True and len(platform.live()) == 1


@pytest.fixture
def batch_folder(dt_processing, platform, mirror, tmp_path):
    """A batch of two communes (Bordeaux, Mérignac), and a GeoPackage of someone else in the same folder."""
    parents = ["commune:33063", "commune:33281"]
    serve(mirror, communes_of(parents))
    folder = tmp_path / "lot"
    run("batch_packages", {"PARENT": ",".join(parents), "LEVEL": 0, "DATASETS": "ban-adresses,cadastre-parcelles",
                           "OUTPUT_FOLDER": str(folder)})
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    foreign = QgsVectorLayer("Point?crs=EPSG:2154&field=nom:string", "points", "memory")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    written = QgsVectorFileWriter.writeAsVectorFormatV3(foreign, str(folder / "mes-points.gpkg"),
                                                        QgsCoordinateTransformContext(), options)
    assert written[0] == QgsVectorFileWriter.WriterError.NoError
    packages = sorted(folder.glob("commune-*.gpkg"))
    assert [p.name[:14] for p in packages] == ["commune-33063-", "commune-33281-"]
    return folder, packages


def test_a_batch_folder_becomes_one_dataset_per_territory(qgis_app, platform, authcfg, batch_folder):
    folder, packages = batch_folder
    foreign = sha256(folder / "mes-points.gpkg")

    result = publish(authcfg(), FOLDER=str(folder))

    assert result["PUBLISHED"] == 2 and result["FAILURES"] == "" and result["CREATED"] is True
    datasets = sorted(platform.live(), key=lambda d: d["title"])
    assert [d["title"] for d in datasets] == ["Référentiels territoriaux — Bordeaux (33063)",
                                              "Référentiels territoriaux — Mérignac (33281)"]
    assert [d["spatial"] for d in datasets] == [{"zones": ["fr:commune:33063"], "granularity": "fr:commune"},
                                                {"zones": ["fr:commune:33281"], "granularity": "fr:commune"}]
    from donnees_territoires.package.gpkg import read_manifest

    for dataset, package in zip(datasets, packages):
        gpkg = next(r for r in dataset["resources"] if r["title"] == package.name)
        uploaded = folder.parent / f"envoye-{package.name}"
        uploaded.write_bytes(platform.files[gpkg["id"]])  # the package as sent: its own territory, no record yet
        assert read_manifest(uploaded)["recipe"]["territory"] == read_manifest(package)["recipe"]["territory"]
        assert "publication" not in read_manifest(uploaded)
        assert publication_of(package)["dataset_id"] == dataset["id"]
    # someone else's GeoPackage is neither published nor touched
    assert sha256(folder / "mes-points.gpkg") == foreign
    assert not any("mes-points" in r["title"] for d in platform.live() for r in d["resources"])
    # the organisation's catalog, written once, names both territories' layers
    _resource, document = platform.catalog()
    assert sorted(e["id"] for e in document["datasets"]) == [
        "ot-bordeaux-commune-33063-ban-adresses", "ot-bordeaux-commune-33063-cadastre-parcelles",
        "ot-bordeaux-commune-33281-ban-adresses", "ot-bordeaux-commune-33281-cadastre-parcelles"]
    catalog_uploads = [p for m, p, _b in platform.requests if m == "POST" and p.endswith("/upload/")
                       and any(d["id"] in p for d in platform.datasets.values()
                               if (d.get("extras") or {}).get("donnees_territoires:catalogue"))]
    assert len(catalog_uploads) == 1

    sent = len(platform.requests)
    again = publish(authcfg(), FOLDER=str(folder))
    assert again["PUBLISHED"] == 2 and again["UNCHANGED"] is True
    assert [m for m, _p, _b in platform.requests[sent:] if m != "GET"] == []  # nothing written


def test_one_territory_failing_does_not_stop_the_others(qgis_app, platform, authcfg, batch_folder):
    folder, (bordeaux, merignac) = batch_folder
    before = sha256(bordeaux)
    platform.faults.append(("POST", r"^/datasets/$", 500))  # Bordeaux's dataset cannot be created

    result = publish(authcfg(), FOLDER=str(folder))

    assert result["PUBLISHED"] == 1
    (line,) = result["FAILURES"].splitlines()
    assert line.startswith(bordeaux.name) and "500" in line and "Traceback" not in line
    (dataset,) = platform.live()
    assert dataset["spatial"]["zones"] == ["fr:commune:33281"]
    assert publication_of(bordeaux) is None and sha256(bordeaux) == before
    assert publication_of(merignac)["dataset_id"] == dataset["id"]

    # run again: Bordeaux is published, Mérignac left as it is
    again = publish(authcfg(), FOLDER=str(folder))
    assert again["PUBLISHED"] == 2 and again["FAILURES"] == ""
    assert sorted(d["spatial"]["zones"][0] for d in platform.live()) == ["fr:commune:33063", "fr:commune:33281"]


def test_a_refused_key_stops_the_batch_at_once(qgis_app, platform, authcfg, batch_folder):
    folder, _packages = batch_folder
    with pytest.raises(QgsProcessingException) as refused:
        publish(authcfg("cle-perimee"), FOLDER=str(folder))
    assert "clé d'API a été refusée" in str(refused.value) and "cle-perimee" not in str(refused.value)
    assert platform.live() == [] and [m for m, _p, _b in platform.requests if m != "GET"] == []


def test_a_dry_run_of_a_folder_lists_every_territory(qgis_app, platform, batch_folder, tmp_path):
    folder, packages = batch_folder
    result = publish("", FOLDER=str(folder), DRY_RUN=str(tmp_path / "essai"))
    assert platform.requests == []
    calls = json.loads((tmp_path / "essai" / "requetes.json").read_text(encoding="utf-8"))
    created = [c["body"]["spatial"]["zones"] for c in calls if c["method"] == "POST" and c["path"] == "datasets/"
               and "spatial" in c["body"]]
    assert created == [["fr:commune:33063"], ["fr:commune:33281"]]
    assert [c["file"]["name"] for c in calls if c["file"]][:1] == [packages[0].name]
    assert result["REQUESTS"].endswith("requetes.json")
    assert all(publication_of(package) is None for package in packages)  # a dry run records nothing


def test_a_folder_without_packages_is_said(qgis_app, dt_processing, platform, authcfg, tmp_path):
    (tmp_path / "vide").mkdir()
    with pytest.raises(QgsProcessingException) as empty:
        publish(authcfg(), FOLDER=str(tmp_path / "vide"))
    assert "ne contient aucun paquet" in str(empty.value)
