"""Issue 17: « a network cut mid-upload » ends with a French message and the platform left consistent.

The local data.gouv.fr API (tests/qgis/fake_datagouv.py) resets the connection in the middle of a file (fault
CUT): no HTTP answer, a network error. Qt by itself would send a POST again when its connection closes (up to
three times, a create made twice): the plugin's POST body cannot be rewound (fetch/exchange.SentOnce), so one cut
is enough to fail the call. The link that stays down (LINK_DOWN requests in a row: the cleanup's DELETE, which is
retried, fails too) is lifted before publishing again.
"""

import hashlib
import json
import re

import pytest
from qgis.core import QgsProcessingException

from donnees_territoires.package.gpkg import read_manifest
from tests.qgis import test_publish as published
from tests.qgis.fake_datagouv import ANSWER_CUT, CUT, KEY
from tests.qgis.test_fault_matrix import _serving, build
from tests.qgis.test_publish import package, publish

# the fixtures of test_publish.py, in this module's namespace for pytest to find them
platform, authcfg = published.platform, published.authcfg

#: how many requests in a row a lasting cut strikes: more than the network stack tries one request
LINK_DOWN = 50
PART_BYTES = 64 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publication_record(target):
    return read_manifest(target).get("publication")


def assert_plain_french(message: str, *sentences: str) -> None:
    """One French sentence for the user: the expected phrases, no key, no Python traceback."""
    for sentence in sentences:
        assert sentence in message, message
    assert KEY not in message and "X-API-KEY" not in message, message
    assert "Traceback" not in message and 'File "' not in message and "Error:" not in message, message


def files_of(fake, dataset) -> dict:
    """title → the bytes the platform holds for each resource of `dataset`."""
    return {resource["title"]: fake.files[resource["id"]] for resource in dataset["resources"]}


def assert_whole(fake, dataset, package_sha: str, addresses: int) -> None:
    """The dataset is public and holds the package's files, whole: the GeoPackage byte for byte (as it was before
    its publication was recorded in it), its layers."""
    files = files_of(fake, dataset)
    assert set(files) == {"bordeaux.gpkg", "ban_adresses.geojson", "cadastre_parcelles.geojson"}
    assert dataset["private"] is False
    gpkg = next(r for r in dataset["resources"] if r["title"] == "bordeaux.gpkg")
    assert sha256(files["bordeaux.gpkg"]) == gpkg["sha256"] == package_sha
    assert len(json.loads(files["ban_adresses.geojson"])["features"]) == addresses
    assert len(json.loads(files["cadastre_parcelles.geojson"])["features"]) == 5


def test_a_first_publication_cut_mid_file_deletes_its_dataset_then_publishes_whole(qgis_app, dt_processing, platform,
                                                                                   authcfg, tmp_path, monkeypatch):
    from donnees_territoires.publish import api

    monkeypatch.setattr(api, "UPLOAD_PART_BYTES", PART_BYTES)  # the package goes in several parts
    target, key = package(tmp_path), authcfg()
    before = sha256(target.read_bytes())
    assert target.stat().st_size > 2 * PART_BYTES
    # the first part of the package arrives; the link goes down during the second
    platform.faults.append(("POST", r"^/datasets/[0-9a-f]{24}/upload/$", CUT, 1, 1))

    with pytest.raises(QgsProcessingException) as caught:
        publish(target, key)

    message = str(caught.value)
    assert_plain_french(message, "Publication interrompue", "le jeu créé par cette tentative a été supprimé",
                        "Relancez la publication")
    # the network failure is said, not an HTTP status the platform never sent
    assert "a répondu" not in message and "599" not in message, message
    (created,) = platform.datasets.values()
    upload = f"/datasets/{created['id']}/upload/"
    assert platform.cuts and set(platform.cuts) == {("POST", upload)}
    assert len(platform.cuts) == 1  # one cut is enough: the part is not sent again behind the plugin's back
    parts = [body for method, path, body in platform.requests if path == upload]
    assert len(parts) == 1 and "partindex" in parts[0]  # the first part only: nothing sent after the cut…
    writes = [(method, path) for method, path, _body in platform.requests if method != "GET"]
    assert writes == [("POST", "/datasets/"), ("POST", upload), ("DELETE", f"/datasets/{created['id']}/")]
    # … but the deletion of the private dataset the attempt created: nothing half-made stays
    assert created["deleted"] and created["private"] is True
    assert platform.live() == [] and platform.catalog() is None
    # the package is untouched, and the failed attempt is not recorded as a publication
    assert sha256(target.read_bytes()) == before
    assert publication_record(target) is None

    platform.faults.clear()  # the link is back
    result = publish(target, key)

    (dataset,) = platform.live()
    assert result["CREATED"] is True and result["DATASET_ID"] == dataset["id"] != created["id"]
    assert_whole(platform, dataset, before, addresses=120)
    assert publication_record(target)["demo"]["dataset_id"] == dataset["id"]


def test_an_update_cut_mid_way_keeps_the_dataset_public_and_the_next_run_completes_it(qgis_app, dt_processing,
                                                                                      platform, authcfg, tmp_path):
    target, key = package(tmp_path), authcfg()
    first = publish(target, key)
    (dataset,) = platform.live()
    resources = {r["title"]: r["id"] for r in dataset["resources"]}
    previous = files_of(platform, dataset)

    # new addresses: the package is rebuilt; the link goes down while its second file is sent
    platform.sources.fault = _serving(130)
    build(target)
    rebuilt = sha256(target.read_bytes())
    record = publication_record(target)
    sent = len(platform.requests)
    platform.faults.append(("POST", r"^/datasets/[0-9a-f]{24}/resources/[0-9a-f-]{36}/upload/$", CUT, 1, 1))

    with pytest.raises(QgsProcessingException) as caught:
        publish(target, key)

    message = str(caught.value)
    assert_plain_french(message, "Mise à jour de la publication interrompue", "reste public",
                        "Relancez la publication")
    assert re.search(r"interrompue après 1 fichier", message), message
    assert {path for _method, path in platform.cuts} == {
        f"/datasets/{dataset['id']}/resources/{resources['ban_adresses.geojson']}/upload/"}
    # the dataset is still there, public, under the same resource ids: its first file replaced, the others kept
    (after,) = platform.live()
    assert after["id"] == first["DATASET_ID"] and after["private"] is False
    assert {r["title"]: r["id"] for r in after["resources"]} == resources
    files = files_of(platform, after)
    assert sha256(files["bordeaux.gpkg"]) == rebuilt
    assert files["ban_adresses.geojson"] == previous["ban_adresses.geojson"]
    assert files["cadastre_parcelles.geojson"] == previous["cadastre_parcelles.geojson"]
    assert not any(method == "DELETE" for method, _path, _body in platform.requests[sent:])
    # the package is untouched, and the failed attempt is not recorded as a publication
    assert sha256(target.read_bytes()) == rebuilt and publication_record(target) == record

    platform.faults.clear()  # the link is back
    again = publish(target, key)

    (dataset,) = platform.live()
    assert again["CREATED"] is False and again["DATASET_ID"] == first["DATASET_ID"] == dataset["id"]
    assert {r["title"]: r["id"] for r in dataset["resources"]} == resources
    assert_whole(platform, dataset, rebuilt, addresses=130)
    assert publication_record(target)["demo"]["dataset_id"] == dataset["id"]


def test_when_the_link_stays_down_the_leftover_private_dataset_is_named_then_completed(qgis_app, dt_processing,
                                                                                      platform, authcfg, tmp_path):
    """The deletion is cut too: the message names the private dataset left behind; the next publication finds it
    (by its extra) and completes it rather than making a second one."""
    target, key = package(tmp_path), authcfg()
    before = sha256(target.read_bytes())
    platform.faults += [("POST", r"/upload/$", CUT, 0, LINK_DOWN), ("DELETE", r"^/datasets/", CUT, 0, LINK_DOWN)]

    with pytest.raises(QgsProcessingException) as caught:
        publish(target, key)

    (leftover,) = platform.live()
    assert leftover["private"] is True and leftover["resources"] == []
    assert_plain_french(str(caught.value), "Publication interrompue", f"le jeu privé {leftover['id']}",
                        "n'a pas pu être supprimé", "Relancez la publication")
    assert ("DELETE", f"/datasets/{leftover['id']}/") in platform.cuts
    assert publication_record(target) is None

    platform.faults.clear()  # the link is back
    result = publish(target, key)

    (dataset,) = platform.live()
    assert dataset["id"] == leftover["id"] == result["DATASET_ID"]
    assert_whole(platform, dataset, before, addresses=120)


def test_a_create_whose_answer_is_lost_is_not_sent_again(qgis_app, dt_processing, platform, authcfg, tmp_path):
    target, key = package(tmp_path), authcfg()
    platform.faults.append(("POST", r"^/datasets/$", ANSWER_CUT))  # created on the platform, the answer lost

    with pytest.raises(QgsProcessingException) as cut:
        publish(target, key)
    assert_plain_french(str(cut.value), "Publication interrompue", "pour ne rien créer deux fois",
                        "le jeu créé par cette tentative a été supprimé")
    own = [d for d in platform.datasets.values() if (d.get("extras") or {}).get("donnees_territoires:cle")
           and not d["extras"].get("donnees_territoires:catalogue")]
    assert len(own) == 1, f"the package's dataset was created {len(own)} times"
    assert own[0]["deleted"] and platform.live() == []  # the dataset the lost answer made is not left behind

    publish(target, key)  # the link is back: published once
    assert len(platform.live()) == 1
