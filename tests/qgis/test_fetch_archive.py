"""Archive extraction: zip-slip and bombs refused, nothing partial left, data files listed."""

import gzip
import stat
import zipfile

import pytest

from donnees_territoires.fetch import ArchiveError, ExtractLimits, extract_zip, gunzip, list_data_files

GEOJSON = b'{"type":"FeatureCollection","features":[]}'


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_extract_zip_keeps_the_tree(tmp_path):
    archive = _zip(tmp_path / "ADMIN-EXPRESS.zip", {
        "ADE/COMMUNE.shp": b"shp", "ADE/COMMUNE.dbf": b"dbf", "ADE/LISEZ-MOI.txt": b"txt",
        "communes.geojson": GEOJSON})
    out = tmp_path / "out"

    written = extract_zip(archive, out)

    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "ADE/COMMUNE.dbf", "ADE/COMMUNE.shp", "ADE/LISEZ-MOI.txt", "communes.geojson"]
    assert (out / "communes.geojson").read_bytes() == GEOJSON
    assert _files(out) == ["ADE/COMMUNE.dbf", "ADE/COMMUNE.shp", "ADE/LISEZ-MOI.txt",
                           "communes.geojson"]


def test_extract_selected_members(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"a.csv": b"a;b\n", "b.csv": b"c;d\n"})
    assert [p.name for p in extract_zip(archive, tmp_path / "out", ["b.csv"])] == ["b.csv"]
    with pytest.raises(ArchiveError, match="c.csv"):
        extract_zip(archive, tmp_path / "out", ["c.csv"])


def test_list_data_files_skips_side_files_and_mac_folders(tmp_path):
    archive = _zip(tmp_path / "a.zip", {
        "ADE/COMMUNE.shp": b"", "ADE/COMMUNE.dbf": b"", "ADE/COMMUNE.prj": b"",
        "__MACOSX/ADE/._COMMUNE.shp": b"", "LISEZ-MOI.txt": b"", "dvf/01.csv": b"",
        "carto/communes.GeoJSON": b""})
    assert list_data_files(archive) == ["ADE/COMMUNE.shp", "dvf/01.csv", "carto/communes.GeoJSON"]


@pytest.mark.parametrize("evil", ["../evasion.txt", "ok/../../evasion.txt", "/tmp/evasion.txt",
                                  "..\\evasion.txt", "C:/evasion.txt"])
def test_zip_slip_is_refused_and_nothing_is_written(tmp_path, evil):
    archive = _zip(tmp_path / "piege.zip", {"legit.csv": b"a;b\n", evil: b"pwned"})
    out = tmp_path / "sub" / "out"

    with pytest.raises(ArchiveError) as caught:
        extract_zip(archive, out)

    assert evil in str(caught.value) and "piege.zip" in str(caught.value)
    assert _files(tmp_path) == ["piege.zip"]


def test_symlink_member_is_refused(tmp_path):
    link = zipfile.ZipInfo("lien")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "lien.zip", "w") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(ArchiveError):
        extract_zip(tmp_path / "lien.zip", tmp_path / "out")
    assert _files(tmp_path / "out") == []


def test_zip_bomb_is_refused_by_total_size(tmp_path):
    archive = _zip(tmp_path / "bombe.zip", {"a.csv": b"0" * 3_000_000})
    with pytest.raises(ArchiveError, match="bombe.zip"):
        extract_zip(archive, tmp_path / "out", limits=ExtractLimits(max_bytes=1_000_000))
    assert _files(tmp_path / "out") == []


def test_zip_bomb_is_refused_by_ratio(tmp_path):
    archive = _zip(tmp_path / "bombe.zip", {"ok.csv": b"a;b\n", "zeros.csv": b"0" * 5_000_000})
    limits = ExtractLimits(max_ratio=100, ratio_floor_bytes=1_000_000)
    with pytest.raises(ArchiveError, match="zeros.csv"):
        extract_zip(archive, tmp_path / "out", limits=limits)
    assert _files(tmp_path / "out") == []  # ok.csv was staged, then removed with the rest


def test_broken_zip_is_an_archive_error(tmp_path):
    (tmp_path / "tronque.zip").write_bytes(b"PK\x03\x04 pas vraiment un zip")
    with pytest.raises(ArchiveError, match="tronque.zip"):
        extract_zip(tmp_path / "tronque.zip", tmp_path / "out")


def test_gunzip(tmp_path):
    data = b"id;numero\n" + b"01001_0001_00001;1\n" * 1000
    (tmp_path / "adresses-01.csv.gz").write_bytes(gzip.compress(data))

    out = gunzip(tmp_path / "adresses-01.csv.gz", tmp_path / "out" / "adresses-01.csv")

    assert out.read_bytes() == data
    assert _files(tmp_path / "out") == ["adresses-01.csv"]


def test_gunzip_bomb_and_broken_file_leave_nothing(tmp_path):
    (tmp_path / "bombe.gz").write_bytes(gzip.compress(b"0" * 3_000_000))
    (tmp_path / "tronque.gz").write_bytes(gzip.compress(b"abc" * 100_000)[:200])

    with pytest.raises(ArchiveError):
        gunzip(tmp_path / "bombe.gz", tmp_path / "out" / "a", ExtractLimits(max_bytes=1_000_000))
    with pytest.raises(ArchiveError, match="tronque.gz"):
        gunzip(tmp_path / "tronque.gz", tmp_path / "out" / "b")

    assert _files(tmp_path / "out") == []


def test_gunzip_of_an_already_decompressed_file_copies_it(tmp_path):
    (tmp_path / "adresses-01.csv.gz").write_bytes(b"id;numero\n1;1\n")
    out = gunzip(tmp_path / "adresses-01.csv.gz", tmp_path / "out" / "adresses-01.csv")
    assert out.read_bytes() == b"id;numero\n1;1\n" and _files(tmp_path / "out") == ["adresses-01.csv"]
