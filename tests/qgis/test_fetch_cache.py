"""The download cache: conditional GET, corrupt entries, LRU eviction, offline mode, copies."""

import json

import pytest
from werkzeug import Response

from donnees_territoires.fetch import DownloadCache, OfflineError, fetch

pytestmark = pytest.mark.network

ETAG = '"5f3a-adresses-01"'
LAST_MODIFIED = "Tue, 04 Mar 2025 08:00:00 GMT"
BAN = ("id;numero;nom_voie;code_postal;code_insee;nom_commune;lon;lat\n"
       "01001_0001_00001;1;Route de Bourg;01400;01001;L'Abergement-Clémenciat;4.92;46.15\n").encode()


def _validated(request):
    """Serve BAN with validators, or 304 when the client already has this version."""
    if request.headers.get("If-None-Match") == ETAG:
        return Response(status=304, headers={"ETag": ETAG})
    return Response(BAN, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED,
                                  "Content-Type": "text/csv; charset=utf-8"})


def test_conditional_get_serves_the_cached_file_on_304(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/adresses-01.csv").respond_with_handler(_validated)
    url = fetch_http.url_for("/adresses-01.csv")

    first = fetch(url, settings=fetch_settings)
    second = fetch(url, settings=fetch_settings)

    assert (first.status, first.from_cache) == (200, False)
    assert (second.status, second.from_cache) == (304, True)
    assert second.path == first.path and second.read_bytes() == BAN
    assert second.sha256 == first.sha256 and second.etag == ETAG
    assert second.last_modified == LAST_MODIFIED
    (req1, _), (req2, resp2) = fetch_http.log
    assert "If-None-Match" not in req1.headers
    assert req2.headers["If-None-Match"] == ETAG
    assert req2.headers["If-Modified-Since"] == LAST_MODIFIED
    assert resp2.status_code == 304 and resp2.get_data() == b""


def test_corrupt_cache_entry_is_fetched_again(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/adresses-01.csv").respond_with_handler(_validated)
    url = fetch_http.url_for("/adresses-01.csv")
    first = fetch(url, settings=fetch_settings)
    first.path.write_bytes(BAN.replace(b"Route", b"Rxute"))  # bit rot, or a user editing it

    again = fetch(url, settings=fetch_settings)

    assert (again.status, again.from_cache) == (200, False)
    assert again.read_bytes() == BAN and again.sha256 == first.sha256
    # validators of a corrupt copy must not be sent: a 304 would keep the damaged file
    assert "If-None-Match" not in fetch_http.log[1][0].headers


def test_unreadable_sidecar_is_a_cache_miss(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/a.csv").respond_with_data(BAN)
    url = fetch_http.url_for("/a.csv")
    first = fetch(url, settings=fetch_settings)
    (first.path.parent / "entry.json").write_text("{pas du json")

    again = fetch(url, settings=fetch_settings)

    assert not again.from_cache and len(fetch_http.log) == 2


def test_least_recently_used_entries_are_evicted_beyond_the_size_cap(
        qgis_app, fetch_http, fetch_settings):
    fetch_settings.cache_max_mb = 1
    body = b"0" * 400_000
    for name in ("a", "b", "c"):
        fetch_http.expect_request(f"/{name}.bin").respond_with_data(body)
    urls = {name: fetch_http.url_for(f"/{name}.bin") for name in "abc"}

    fetch(urls["a"], settings=fetch_settings)
    fetch(urls["b"], settings=fetch_settings)
    fetch(urls["a"], settings=fetch_settings, max_age_s=3600)  # a is used again: b is now oldest
    fetch(urls["c"], settings=fetch_settings)

    cache = DownloadCache.from_settings(fetch_settings)
    kept = {entry.url for entry in cache.entries()}
    assert kept == {urls["a"], urls["c"]}
    assert cache.total_bytes() <= 1024**2


def test_an_entry_larger_than_the_cap_is_still_delivered(qgis_app, fetch_http, fetch_settings):
    fetch_settings.cache_max_mb = 0
    fetch_http.expect_request("/gros.bin").respond_with_data(b"1" * 1000)
    result = fetch(fetch_http.url_for("/gros.bin"), settings=fetch_settings)
    assert result.path.is_file() and result.size == 1000


def test_offline_mode_serves_the_cache_and_says_when_it_cannot(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/adresses-01.csv").respond_with_handler(_validated)
    url = fetch_http.url_for("/adresses-01.csv")
    online = fetch(url, settings=fetch_settings)
    fetch_settings.offline = True

    offline = fetch(url, settings=fetch_settings)
    with pytest.raises(OfflineError) as caught:
        fetch(fetch_http.url_for("/jamais-vu.csv"), settings=fetch_settings)

    assert offline.from_cache and offline.read_bytes() == BAN
    assert offline.fetched_at == online.fetched_at  # the manifest shows how old the copy is
    assert len(fetch_http.log) == 1  # offline means no request at all
    message = str(caught.value)
    assert fetch_http.url_for("/jamais-vu.csv") in message and "hors ligne" in message


def test_max_age_skips_the_request(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/api/communes").respond_with_json([{"code": "01001"}])
    url = fetch_http.url_for("/api/communes")

    fetch(url, settings=fetch_settings)
    again = fetch(url, settings=fetch_settings, max_age_s=600)

    assert again.from_cache and again.json() == [{"code": "01001"}]
    assert len(fetch_http.log) == 1


def test_dest_receives_a_copy_the_caller_owns(qgis_app, fetch_http, fetch_settings, tmp_path):
    fetch_http.expect_request("/datasets/r/77").respond_with_data(
        BAN, headers={"Content-Disposition": 'attachment; filename="adresses-01.csv"'})
    out = tmp_path / "paquet"
    out.mkdir()

    result = fetch(fetch_http.url_for("/datasets/r/77"), out, settings=fetch_settings)
    result.path.write_bytes(b"modified by the caller")
    again = fetch(fetch_http.url_for("/datasets/r/77"), tmp_path / "autre.csv",
                  settings=fetch_settings, max_age_s=60)

    assert result.path == out / "adresses-01.csv"
    assert again.read_bytes() == BAN and again.path == tmp_path / "autre.csv"
    assert sorted(p.name for p in out.iterdir()) == ["adresses-01.csv"]  # no temporary left


def test_manifest_record(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/adresses-01.csv").respond_with_handler(_validated)
    record = fetch(fetch_http.url_for("/adresses-01.csv"), settings=fetch_settings).to_manifest()

    json.dumps(record)
    assert record["etag"] == ETAG and record["status"] == 200 and not record["from_cache"]
    assert len(record["sha256"]) == 64 and record["size"] == len(BAN)
    assert record["fetched_at"].endswith("+00:00")


def test_key_depends_on_url_auth_and_headers():
    key = DownloadCache.key_for
    assert key("https://a.fr/x") == key("https://a.fr/x")
    assert len({key("https://a.fr/x"), key("https://a.fr/y"), key("https://a.fr/x", "abc1234"),
                key("https://a.fr/x", headers={"Accept": "application/json"})}) == 4
