"""Issue 14, item 1, 4 and 5 at the fetch level, on 127.0.0.1: a body is proven whole before it is cached or
used; redirects lead to http(s) only; a download has a total deadline; expansion is bounded.

Each case asserts the data delivered whole, or a French error naming the URL with nothing cached.
"""

import dataclasses
import gzip
import hashlib
import io
import json
import time
import zipfile

import pytest
from werkzeug import Response

from donnees_territoires.fetch import (
    DeadlineError,
    DownloadCache,
    IncompleteBodyError,
    NetworkError,
    RetryPolicy,
    fetch,
)
from tests.qgis.raw_http import answer
from tests.qgis.test_fetch_faults import BAN, _cache_files

pytestmark = pytest.mark.network

FAST = RetryPolicy(attempts=2, base_delay_s=0.05, max_delay_s=0.1, max_total_wait_s=5)
PACKED = gzip.compress(BAN)


def close_delimited(body, headers=()):
    """An answer without Content-Length: the end of the body is the end of the connection."""
    def script(conn):
        lines = ["HTTP/1.1 200 OK", "Connection: close", *headers]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    return script


def trickle(body, every_s):
    """A whole Content-Length announced, then one byte every `every_s` seconds (never silent long enough
    for the idle timeout)."""
    def script(conn):
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        for byte in body:
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return
            time.sleep(every_s)
    return script


def a_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- a .gz file cut short (no Content-Encoding: the file itself is gzip) ---------------------------------
@pytest.mark.parametrize("delimited", ["content-length", "connection-close"])
def test_a_gz_file_cut_short_is_downloaded_again_then_delivered_whole(qgis_app, scripted, fetch_settings,
                                                                     delimited):
    half = PACKED[: len(PACKED) // 2]
    first = answer(half, ["Content-Type: application/gzip"]) if delimited == "content-length" else \
        close_delimited(half, ["Content-Type: application/gzip"])
    server = scripted(first, answer(PACKED, ["Content-Type: application/gzip"]))

    result = fetch(server.url("/adresses-33.csv.gz"), settings=fetch_settings, retry=FAST)

    assert gzip.decompress(result.read_bytes()) == BAN and len(server.requests) == 2


@pytest.mark.parametrize("delimited", ["content-length", "connection-close"])
def test_a_gz_file_cut_short_every_time_is_an_error_and_nothing_is_cached(qgis_app, scripted, fetch_settings,
                                                                         tmp_path, delimited):
    half = PACKED[: len(PACKED) // 2]
    server = scripted(answer(half) if delimited == "content-length" else close_delimited(half))
    url = server.url("/adresses-33.csv.gz")

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(url, tmp_path / "adresses-33.csv.gz", settings=fetch_settings, retry=FAST)

    message = str(caught.value)
    assert url in message and "gzip tronqué" in message and "rien n'a été gardé" in message
    assert len(server.requests) == 2  # the download, and one more
    assert _cache_files(fetch_settings) == [] and not (tmp_path / "adresses-33.csv.gz").exists()


def test_a_gz_file_with_a_wrong_crc_is_refused(qgis_app, scripted, fetch_settings):
    damaged = bytearray(PACKED)
    damaged[-8] ^= 0xFF  # the CRC32 of the gzip trailer
    server = scripted(answer(bytes(damaged)))

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(server.url("/adresses-33.csv.gz"), settings=fetch_settings, retry=FAST)

    assert "gzip corrompu" in str(caught.value) and _cache_files(fetch_settings) == []


# -- zip ---------------------------------------------------------------------------------------------------
def test_a_zip_without_its_directory_is_refused(qgis_app, scripted, fetch_settings):
    archive = a_zip({"QP2024.geojson": json.dumps({"type": "FeatureCollection", "features": []})})
    server = scripted(answer(archive[: len(archive) - 30]))  # the end of central directory is gone

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(server.url("/qpv.zip"), settings=fetch_settings, retry=FAST)

    assert "archive zip" in str(caught.value) and len(server.requests) == 2


def test_a_zip_member_with_a_wrong_crc_is_refused(qgis_app, scripted, fetch_settings):
    archive = bytearray(a_zip({"adresses.csv": BAN}))
    archive[40] ^= 0xFF  # inside the member's compressed bytes
    server = scripted(answer(bytes(archive)))

    with pytest.raises(IncompleteBodyError):
        fetch(server.url("/adresses.zip"), settings=fetch_settings, retry=FAST)
    assert _cache_files(fetch_settings) == []


# -- JSON and empty bodies ----------------------------------------------------------------------------------
def test_a_json_document_cut_short_is_refused(qgis_app, fetch_http, fetch_settings):
    document = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                                      "geometry": None}] * 50})
    fetch_http.expect_request("/communes.json").respond_with_data(document[:-40], content_type="application/json")
    url = fetch_http.url_for("/communes.json")

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)

    assert url in str(caught.value) and "JSON" in str(caught.value) and len(fetch_http.log) == 2


def test_a_gzipped_json_document_cut_before_gzip_closes_it_is_refused(qgis_app, fetch_http, fetch_settings):
    """The producer's own file cut (a truncated upload), then gzipped whole: gzip is fine, the JSON is not."""
    document = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "id": n} for n in range(99)]})
    fetch_http.expect_request("/parcelles.json.gz").respond_with_data(gzip.compress(document[:-3].encode()))

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(fetch_http.url_for("/parcelles.json.gz"), settings=fetch_settings, retry=FAST)
    assert "JSON tronqué" in str(caught.value)


def test_an_empty_answer_is_refused(qgis_app, fetch_http, fetch_settings):
    fetch_http.expect_request("/adresses-33.csv").respond_with_data(b"", content_type="text/csv")

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(fetch_http.url_for("/adresses-33.csv"), settings=fetch_settings, retry=FAST)
    assert "réponse vide" in str(caught.value) and _cache_files(fetch_settings) == []


# -- decompression limits -------------------------------------------------------------------------------------
def test_a_gzip_expanding_beyond_the_limit_is_refused_without_a_second_try(qgis_app, scripted, fetch_settings):
    bomb = gzip.compress(b"\0" * (3 * 1024**2))  # 3 MB of zeros in a few kB
    server = scripted(answer(bomb))
    settings = dataclasses.replace(fetch_settings, max_expanded_mb=1)

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(server.url("/bombe.csv.gz"), settings=settings, retry=FAST)

    message = str(caught.value)
    assert "dépasse 1 Mo" in message and "options de l'extension" in message and not caught.value.transient
    assert len(server.requests) == 1 and _cache_files(settings) == []


def test_a_gzip_encoded_answer_expanding_beyond_the_limit_is_stopped_as_it_arrives(qgis_app, scripted,
                                                                                     fetch_settings):
    # Content-Encoding: gzip, undone by the plugin as the body arrives (not a .gz file): 64 MB of zeros
    bomb = gzip.compress(b"\0" * (64 * 1024**2), mtime=0)
    server = scripted(answer(bomb, ["Content-Encoding: gzip", "Content-Type: text/csv"]))
    settings = dataclasses.replace(fetch_settings, max_expanded_mb=1)

    with pytest.raises(IncompleteBodyError) as caught:
        fetch(server.url("/communes.csv"), settings=settings, retry=FAST)

    message = str(caught.value)
    assert "est refusé" in message and "dépasse 1 Mo" in message and server.url("/communes.csv") in message
    assert not caught.value.transient and len(server.requests) == 1
    assert _cache_files(settings) == []  # no entry, no .part left


def test_a_gz_file_of_several_members_is_counted_once(qgis_app, scripted, fetch_settings):
    # two members of 40 MB: 80 MB expanded, under a 100 MB limit (each member once, not the second twice)
    packed = gzip.compress(b"\0" * (40 * 1024**2), mtime=0) * 2
    server = scripted(answer(packed, ["Content-Type: application/gzip"]))
    settings = dataclasses.replace(fetch_settings, max_expanded_mb=100, max_expansion_ratio=10**6)

    result = fetch(server.url("/zeros.csv.gz"), settings=settings, retry=FAST)

    assert result.read_bytes() == packed


def test_the_gzip_decoder_hands_on_bounded_pieces():
    from donnees_territoires.fetch.body import BodyDecoder
    from donnees_territoires.fetch.verify import ExpansionLimits

    packed = gzip.compress(b"\0" * (40 * 1024**2), mtime=0) * 2  # two members, 80 MB in about 80 kB
    decoder = BodyDecoder("gzip", ExpansionLimits(max_bytes=1024**3, max_ratio=10**6))

    pieces = [len(piece) for piece in decoder.feed(packed)]

    assert sum(pieces) == 80 * 1024**2 and max(pieces) <= 1024**2 and decoder.complete


def test_a_zip_declaring_more_than_the_limit_is_refused(qgis_app, scripted, fetch_settings):
    server = scripted(answer(a_zip({"a.csv": b"x;y\n" * (600 * 1024)})))  # 2.4 MB expanded
    settings = dataclasses.replace(fetch_settings, max_expanded_mb=1)

    with pytest.raises(IncompleteBodyError):
        fetch(server.url("/bombe.zip"), settings=settings, retry=FAST)
    assert len(server.requests) == 1


# -- the cache: an entry never checked (an older version's) is checked at its first use ------------------------
def _plant_unchecked_entry(settings, url, body, etag='"v1"'):
    """What an older version left: a truncated .gz cached with its ETag, as if whole."""
    from donnees_territoires.fetch.cache import CacheEntry

    cache = DownloadCache.from_settings(settings)
    key = DownloadCache.key_for(url)
    part = cache.root / "planted.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(body)
    cache.store(key, part, CacheEntry(key=key, file="adresses-33.csv.gz", url=url, final_url=url, size=len(body),
                                      sha256=hashlib.sha256(body).hexdigest(), etag=etag))
    assert cache.lookup(key) is not None and not cache.lookup(key).verified


def test_a_bad_cached_copy_is_dropped_and_downloaded_again_without_a_conditional_request(
        qgis_app, fetch_http, fetch_settings):
    url = fetch_http.url_for("/adresses-33.csv.gz")
    _plant_unchecked_entry(fetch_settings, url, PACKED[: len(PACKED) // 2])
    fetch_http.expect_request("/adresses-33.csv.gz").respond_with_data(PACKED, headers={"ETag": '"v1"'})

    result = fetch(url, settings=fetch_settings, retry=FAST)

    assert gzip.decompress(result.read_bytes()) == BAN and result.status == 200
    (request, _response), = fetch_http.log
    # the bad copy's ETag was not sent: a 304 would have confirmed it
    assert "If-None-Match" not in request.headers


def test_a_good_cached_copy_of_an_older_version_is_checked_once_and_kept(qgis_app, fetch_http, fetch_settings):
    url = fetch_http.url_for("/adresses-33.csv.gz")
    _plant_unchecked_entry(fetch_settings, url, PACKED)
    fetch_http.expect_request("/adresses-33.csv.gz").respond_with_data("", status=304)

    result = fetch(url, settings=fetch_settings, retry=FAST)

    assert result.status == 304 and gzip.decompress(result.read_bytes()) == BAN
    (request, _response), = fetch_http.log
    assert request.headers.get("If-None-Match") == '"v1"'
    cache = DownloadCache.from_settings(fetch_settings)
    assert cache.lookup(DownloadCache.key_for(url)).verified


# -- redirects --------------------------------------------------------------------------------------------------
def test_a_redirect_to_a_local_file_is_refused_and_nothing_is_read(qgis_app, fetch_http, fetch_settings, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("id;mot_de_passe\n1;hunter2\n", encoding="utf-8")
    fetch_http.expect_request("/datasets/r/ban").respond_with_response(
        Response(status=302, headers={"Location": secret.as_uri()}))
    url = fetch_http.url_for("/datasets/r/ban")

    with pytest.raises(NetworkError) as caught:
        fetch(url, settings=fetch_settings, retry=FAST)

    assert "seules les adresses http et https" in str(caught.value) and url in str(caught.value)
    assert _cache_files(fetch_settings) == []


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/ban.csv", "data:text/csv,id%0A1"])
def test_redirects_to_other_schemes_are_refused(qgis_app, fetch_http, fetch_settings, target):
    fetch_http.expect_request("/datasets/r/ban").respond_with_response(
        Response(status=301, headers={"Location": target}))
    with pytest.raises(NetworkError):
        fetch(fetch_http.url_for("/datasets/r/ban"), settings=fetch_settings, retry=FAST)


def test_an_https_to_http_downgrade_is_refused_unless_allowed(qgis_app):
    from donnees_territoires.fetch.network import _redirect_target

    with pytest.raises(NetworkError) as caught:
        _redirect_target("https://data.geopf.fr/a", "http://data.geopf.fr/a", "", allow_http=False)
    assert "non chiffrée" in str(caught.value)
    assert _redirect_target("https://data.geopf.fr/a", "http://data.geopf.fr/a", "", allow_http=True) == \
        "http://data.geopf.fr/a"
    assert _redirect_target("http://a.fr/x", "https://b.fr/y", "http://127.0.0.1:8000", allow_http=False) == \
        "http://127.0.0.1:8000/b.fr/y"


# -- a total deadline -------------------------------------------------------------------------------------------
def test_a_body_trickling_in_stops_at_the_total_deadline(qgis_app, scripted, fetch_settings):
    server = scripted(trickle(BAN[:400], every_s=0.05))  # 20 s to send it, never silent for 10 s
    settings = dataclasses.replace(fetch_settings, download_deadline_s=2)
    started = time.monotonic()

    with pytest.raises(DeadlineError) as caught:
        fetch(server.url("/adresses-33.csv"), settings=settings, retry=FAST)

    assert time.monotonic() - started < 15  # stopped by the deadline, not by the end of the body
    assert "durée maximale de 2 s" in str(caught.value) and not caught.value.transient
    assert len(server.requests) == 1 and _cache_files(settings) == []


def test_the_deadline_grows_with_the_announced_size(qgis_app):
    from donnees_territoires.fetch.exchange import deadline_for

    assert deadline_for(600, None) == 600 and deadline_for(600, 10_000_000) == 600
    assert deadline_for(600, 1_000_000_000) == 10_000  # 1 GB: 10,000 s at 100 kB/s
