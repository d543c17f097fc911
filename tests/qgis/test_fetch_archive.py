"""What a zip holds: its data files listed (side files and Mac folders left out), a broken zip refused."""

import zipfile

import pytest

from donnees_territoires.fetch import ArchiveError, list_data_files


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_list_data_files_skips_side_files_and_mac_folders(tmp_path):
    archive = _zip(tmp_path / "a.zip", {
        "ADE/COMMUNE.shp": b"", "ADE/COMMUNE.dbf": b"", "ADE/COMMUNE.prj": b"",
        "__MACOSX/ADE/._COMMUNE.shp": b"", "LISEZ-MOI.txt": b"", "dvf/01.csv": b"",
        "carto/communes.GeoJSON": b""})
    assert list_data_files(archive) == ["ADE/COMMUNE.shp", "dvf/01.csv", "carto/communes.GeoJSON"]


def test_broken_zip_is_an_archive_error(tmp_path):
    (tmp_path / "tronque.zip").write_bytes(b"PK\x03\x04 pas vraiment un zip")
    with pytest.raises(ArchiveError, match="tronque.zip"):
        list_data_files(tmp_path / "tronque.zip")
