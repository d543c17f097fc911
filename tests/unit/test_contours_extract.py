"""The committed 2018 contours extract (tests/data): what the other tests rely on, and that it is still what the
script makes from the full file."""

import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from donnees_territoires.territory import CogHistory, ConversionStatus, TerritoryIndex
from tests.conftest import CONTOURS_2018, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_test_contours  # noqa: E402


def query(sql, *args):
    # a GeoPackage is an SQLite database: no GDAL needed to read it
    with sqlite3.connect(f"file:{CONTOURS_2018}?mode=ro", uri=True) as connection:
        return connection.execute(sql, args).fetchall()


def test_the_extract_is_small_and_laid_out_like_the_full_file():
    assert CONTOURS_2018.stat().st_size < 5 * 1024 * 1024
    assert query("SELECT table_name, column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns "
                 "ORDER BY table_name") == [(layer, "geom", "MULTIPOLYGON", 4326)
                                            for layer in ("commune", "departement", "region")]
    for layer in ("commune", "departement", "region"):
        columns = [(row[1], row[2]) for row in query(f'PRAGMA table_info("{layer}")')]
        assert columns == [("fid", "INTEGER"), ("geom", "MULTIPOLYGON"), ("code", "TEXT"), ("nom", "TEXT")]
    # no clock in the file, and the attribution inside it
    contents = query("SELECT last_change, description FROM gpkg_contents")
    assert {row[0] for row in contents} == {make_test_contours.FIXED_DATE}
    assert all("ADMIN EXPRESS" in row[1] and "Licence Ouverte" in row[1] for row in contents)
    assert [code for (code,) in query("SELECT code FROM departement ORDER BY fid")] == [
        "17", "24", "33", "40", "47", "974"]
    assert [code for (code,) in query("SELECT code FROM region ORDER BY fid")] == ["04", "75"]
    # the source's known invalid polygon (a ring self-intersection near -0.569, 48.896) is kept for the tests
    assert query("SELECT nom FROM commune WHERE code = '14174'") == [("Condé-en-Normandie",)]


def test_the_extract_covers_every_2026_commune_of_its_departements():
    codes = dict(query("SELECT code, nom FROM commune"))
    assert len(codes) == 2202
    by_departement = Counter(make_test_contours.departement_of(code) for code in codes)
    assert by_departement == {"17": 466, "24": 520, "33": 538, "40": 330, "47": 319, "974": 24, "01": 4, "14": 1}
    history = CogHistory.load()
    detection = history.detect_vintage(codes)
    assert detection.vintage == 2021 and "antérieure à 2021" in detection.explanation
    results = history.convert_many(codes, target=2026, source=detection.vintage)
    statuses = Counter(result.status for result in results.values())
    assert statuses == {ConversionStatus.INCHANGE: 2172, ConversionStatus.FUSIONNE: 30}
    covered = {code for result in results.values() for code in result.codes}
    index = TerritoryIndex.load(2026)
    expected = {commune.code for departement in make_test_contours.DEPARTEMENTS
                for commune in index.communes(f"departement:{departement}")}
    assert len(expected) == 2169
    # Bresse Vallons, Haut Valromey and Condé-en-Normandie whole, beside the six départements
    assert covered == expected | {"01130", "01187", "14174"}
    assert results["01154"].codes == ("01130",) and results["01330"].codes == ("01187",)


@pytest.mark.france_wide
def test_the_extract_is_what_the_script_makes_from_the_shared_file():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_test_contours.py"), "--check"],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "est à jour" in check.stdout
