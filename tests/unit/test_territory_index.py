"""The shipped COG index: real counts, hierarchy both ways, the special cases of French geography."""

import gzip
import hashlib
import io
import json
import lzma
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from donnees_territoires.territory import (
    TerritoryIndex,
    TerritoryKind,
    TerritoryReferenceError,
    UnknownVintageError,
    available_vintages,
    latest_vintage,
    manifest,
)
from donnees_territoires.territory.index import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cog():
    return TerritoryIndex.load(2026)


def test_every_vintage_2021_to_2026_is_shipped_and_latest_is_default():
    assert available_vintages() == [2021, 2022, 2023, 2024, 2025, 2026]
    assert latest_vintage() == 2026
    assert TerritoryIndex.load() is TerritoryIndex.load(2026)  # cached in memory


def test_unknown_vintage_says_which_exist():
    with pytest.raises(UnknownVintageError, match="2021 à 2026"):
        TerritoryIndex.load(2019)


def test_manifest_records_provenance_and_matches_the_files():
    data = manifest()
    assert "Licence Ouverte" in data["licence"]
    sources = json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8"))
    assert sources["vintages"] == {"2021": "1.1.1", "2022": "2.3.1", "2023": "3.1.1", "2024": "4.1.0",
                                   "2025": "5.3.0", "2026": "6.0.0"}
    total = 0
    for year, entry in data["vintages"].items():
        assert entry["version"] == sources["vintages"][year]
        assert entry["package"] == "@etalab/decoupage-administratif"
        assert entry["integrity"].startswith("sha512-") and len(entry["shasum"]) == 40
        assert entry["cog_date"] == f"{year}-01-01"
        blob = (DATA_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(blob).hexdigest() == entry["sha256"], entry["file"]
        total += len(blob)
    assert total <= 3 * 1024 * 1024


def build_script():
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_territory_index

    return build_territory_index


def test_shipped_vintages_are_the_build_scripts_canonical_output():
    """What the build writes, checked on the committed files (rebuilding from the npm tarballs, which needs
    the registry, is `python3 scripts/build_territory_index.py --check`)."""
    build = build_script()
    for year, entry in manifest()["vintages"].items():
        blob = (DATA_DIR / entry["file"]).read_bytes()
        if entry["file"].endswith(".gz"):
            assert blob[:4] == b"\x1f\x8b\x08\x00" and blob[4:8] == b"\0\0\0\0"  # no file name, no timestamp
            raw = gzip.decompress(blob)
        else:
            raw = lzma.decompress(blob)
        document = json.loads(raw)
        assert build.dumps(document) == raw, entry["file"]  # sorted keys, compact: the same bytes every run
        assert (document["format"], document["licence"], document["vintage"]) == (build.FORMAT, build.LICENCE,
                                                                                  int(year))
        assert document["source"] == f"{entry['package']}@{entry['version']}"
        kinds = Counter(document["communes"]["kind"])
        assert entry["counts"] == {
            "communes_actuelles": kinds["C"], "arrondissements_municipaux": kinds["M"],
            "communes_deleguees": kinds["D"], "communes_associees": kinds["A"], "epci": len(document["epci"]),
            "ept": len(document["ept"]), "departements": len(document["departements"]),
            "regions": len(document["regions"])}, year


def npm_tarball(path, files):
    """A tarball laid out like @etalab/decoupage-administratif's (package/data/<name>.json)."""
    with tarfile.open(path, "w:gz") as archive:
        for name, rows in {"package.json": {"name": "@etalab/decoupage-administratif"}, **files}.items():
            data = json.dumps(rows, ensure_ascii=False).encode()
            member = tarfile.TarInfo(name if name == "package.json" else f"data/{name}.json")
            member.name = f"package/{member.name}"
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def test_build_of_a_vintage_is_deterministic_and_normalises_the_package(tmp_path):
    build = build_script()
    communes = [
        {"code": "33063", "nom": "Bordeaux", "type": "commune-actuelle", "departement": "33", "region": "75",
         "codesPostaux": ["33800", "33000", "33000"], "population": 259809, "chefLieu": None},
        {"code": "13201", "nom": "Marseille 1er Arrondissement", "type": "arrondissement-municipal",
         "commune": "13055", "departement": "13", "region": "93", "population": 40000},
        {"code": "13055", "nom": "Marseille", "type": "commune-actuelle", "departement": "13", "region": "93",
         "population": 873076, "siren": "211300553", "anciensCodes": ["13999", "13998"]},
        {"code": "33039", "nom": "Bègles", "type": "commune-actuelle", "departement": "33", "region": "75",
         "population": 30642},
        # package 1.x (COG 2021): a commune of a collectivité d'outre-mer has no département
        {"code": "98735", "nom": "Papeete", "type": "commune-actuelle", "population": 26926,
         "collectiviteOutremer": {"code": "987", "nom": "Polynésie française"}},
    ]
    files = {
        "communes": communes,
        "departements": [{"code": "33", "nom": "Gironde", "region": "75", "chefLieu": "33063"},
                         {"code": "13", "nom": "Bouches-du-Rhône", "region": "93", "chefLieu": "13055"}],
        "regions": [{"code": "93", "nom": "Provence-Alpes-Côte d'Azur", "chefLieu": "13055"},
                    {"code": "75", "nom": "Nouvelle-Aquitaine", "chefLieu": "33063"}],
        "epci": [{"code": "243300316", "nom": "Bordeaux Métropole", "type": "METRO", "populationMunicipale": 290451,
                  "membres": [{"code": "33063", "siren": "213300635"}, {"code": "33039", "siren": "213300395"}]}],
    }
    first = build.read_tarball(npm_tarball(tmp_path / "a.tgz", files))
    # the same package with its rows in another order
    files = {name: list(reversed(rows)) for name, rows in files.items()}
    again = build.read_tarball(npm_tarball(tmp_path / "b.tgz", files))
    document, counts = build.build_vintage(2021, first, "@etalab/decoupage-administratif@1.1.1")
    other, other_counts = build.build_vintage(2021, again, "@etalab/decoupage-administratif@1.1.1")
    assert build.compressed(build.dumps(document), latest=True) == build.compressed(build.dumps(other), latest=True)
    assert counts == other_counts == {"communes_actuelles": 4, "arrondissements_municipaux": 1,
                                      "communes_deleguees": 0, "communes_associees": 0, "epci": 1, "ept": 0,
                                      "departements": 3, "regions": 3}
    columns = document["communes"]
    assert columns["code"] == ["13055", "13201", "33039", "33063", "98735"] and columns["kind"] == "CMCCC"
    bordeaux = columns["code"].index("33063")
    assert columns["siren"][bordeaux] == "213300635"  # from the EPCI's member list (no commune SIREN in 1.x)
    assert columns["postal_codes"][bordeaux] == "33000 33800"
    assert columns["epci"][bordeaux] == 0 and columns["epci"][columns["code"].index("13201")] == -1
    assert columns["former_codes"][0] == "13998 13999"
    assert columns["parent"][1] == "13055"
    assert document["departements"][-1] == ["987", "Polynésie française", "987", "", "com", 26926]
    assert document["regions"][0] == ["75", "Nouvelle-Aquitaine", "33063", "metro", 259809 + 30642]
    assert document["regions"][1][-1] == 873076  # Marseille counted once, not with its arrondissement
    gz = build.compressed(build.dumps(document), latest=True)
    assert gz[4:8] == b"\0\0\0\0" and gzip.decompress(gz) == build.dumps(document)


def test_counts_of_cog_2026(cog):
    counts = manifest()["vintages"]["2026"]["counts"]
    assert len(cog.actual_codes) == counts["communes_actuelles"] == 34969
    assert len(cog.all(TerritoryKind.EPCI)) == 1255
    assert len(cog.all(TerritoryKind.EPT)) == 11
    assert len(cog.all(TerritoryKind.ARRONDISSEMENT_MUNICIPAL)) == 45
    metro_and_drom = [d for d in cog.all(TerritoryKind.DEPARTEMENT) if d.zone != "com"]
    assert len(metro_and_drom) == 101
    assert len([r for r in cog.all(TerritoryKind.REGION) if r.zone != "com"]) == 18
    # 94 of the communes actuelles belong to collectivités d'outre-mer (Polynésie, Nouvelle-Calédonie…)
    assert len([c for c in cog.all(TerritoryKind.COMMUNE) if c.zone == "com"]) == 94


def test_commune_goes_up_to_epci_departement_region_and_france(cog):
    chain = cog.parents("commune:33063")
    assert [t.reference for t in chain] == ["epci:243300316", "departement:33", "region:75", "france"]
    bordeaux = cog.get("commune:33063")
    assert bordeaux.name == "Bordeaux" and bordeaux.siren == "213300635" and "33000" in bordeaux.postal_codes
    assert cog.parent(bordeaux, TerritoryKind.EPCI).nature == "METRO"


def test_bordeaux_metropole_has_28_member_communes(cog):
    members = cog.children("epci:243300316")
    assert len(members) == 28
    assert {"33063", "33281", "33318"} <= {m.code for m in members}  # Bordeaux, Mérignac, Pessac
    assert all(m.kind is TerritoryKind.COMMUNE and m.departement == "33" for m in members)


def test_region_to_departements_to_communes(cog):
    departements = cog.children("region:75")
    assert len(departements) == 12 and "33" in {d.code for d in departements}
    gironde = cog.children("departement:33")
    assert len(gironde) == 534
    assert len(cog.communes("region:75")) == sum(len(cog.children(d)) for d in departements)
    assert len(cog.children("france")) == 26  # 18 régions and the 8 collectivités d'outre-mer
    assert len(cog.communes("france")) == 34969


def test_paris_lyon_marseille_arrondissements_belong_to_their_commune(cog):
    for commune, count in (("75056", 20), ("69123", 9), ("13055", 16)):
        arrondissements = cog.children(f"commune:{commune}")
        assert len(arrondissements) == count
        assert {a.kind for a in arrondissements} == {TerritoryKind.ARRONDISSEMENT_MUNICIPAL}
        assert {a.parent for a in arrondissements} == {commune}
    first = cog.get("commune:75101")
    assert first.name == "Paris 1er Arrondissement" and first.reference == "commune:75101"
    assert cog.parents(first)[0].code == "75056"
    assert cog.commune_codes(first) == ["75056"]  # datasets are published by commune
    assert [t.code for t in cog.parents("commune:13201")[:2]] == ["13055", "200054807"]  # Aix-Marseille-Provence


def test_lyon_metropole_is_an_epci_inside_departement_69(cog):
    # The COG has one département 69 (Rhône) that includes the Métropole de Lyon: no 69D/69M.
    assert cog.find("departement", "69M") is None and cog.find("departement", "69D") is None
    rhone = cog.get("departement:69")
    assert rhone.name == "Rhône"
    metropole = cog.get("epci:200046977")
    assert metropole.name == "Métropole de Lyon" and metropole.nature == "MET69"
    members = set(cog.commune_codes(metropole))
    assert len(members) == 58 and "69123" in members
    departement_69 = set(cog.commune_codes(rhone))
    assert len(departement_69) == 266 and members < departement_69
    assert [d.code for d in cog.departements(metropole)] == ["69"]
    assert cog.parent("commune:69123", TerritoryKind.DEPARTEMENT).code == "69"


def test_corse_is_2a_and_2b_in_region_94(cog):
    assert [d.code for d in cog.children("region:94")] == ["2A", "2B"]
    ajaccio = cog.get("commune:2A004")
    assert (ajaccio.name, ajaccio.departement, ajaccio.region) == ("Ajaccio", "2A", "94")
    with pytest.raises(TerritoryReferenceError, match="2A"):
        cog.get("departement:20")


def test_mayotte_and_overseas_have_three_character_departements(cog):
    mayotte = cog.get("departement:976")
    assert mayotte.name == "Mayotte" and mayotte.region == "06" and mayotte.zone == "drom"
    assert len(cog.children(mayotte)) == 17
    assert all(c.code.startswith("976") for c in cog.children(mayotte))
    assert cog.get("commune:97411").departement == "974"
    assert cog.parents("commune:97611")[-2].name == "Mayotte"  # the région


def test_epci_crossing_departement_and_region_lines(cog):
    beaune = cog.get("epci:200006682")  # CA Beaune, Côte et Sud: Côte-d'Or and Saône-et-Loire
    assert [d.code for d in cog.departements(beaune)] == ["21", "71"]
    members = cog.children(beaune)
    assert {m.departement for m in members} == {"21", "71"}
    redon = cog.get("epci:243500741")  # Redon Agglomération: Bretagne and Pays de la Loire
    parents = cog.parents(redon)
    assert [t.code for t in parents if t.kind is TerritoryKind.DEPARTEMENT] == ["35", "44", "56"]
    assert {t.code for t in parents if t.kind is TerritoryKind.REGION} == {"52", "53"}
    crossing = [e for e in cog.all(TerritoryKind.EPCI) if len(cog.departements(e)) > 1]
    assert len(crossing) == 89


def test_ept_is_inside_the_metropole_du_grand_paris(cog):
    chain = cog.parents("commune:93001")  # Aubervilliers
    assert [t.reference for t in chain[:3]] == ["ept:200057867", "epci:200054781", "departement:93"]
    assert len(cog.children("ept:200057867")) == 8


def test_ept_and_epci_mixed_up_get_a_correcting_message(cog):
    with pytest.raises(TerritoryReferenceError, match="écrivez epci:200054781"):
        cog.get("ept:200054781")  # the Métropole du Grand Paris is an EPCI
    with pytest.raises(TerritoryReferenceError, match="écrivez ept:200057867"):
        cog.get("epci:200057867")


def test_ept_absent_before_2023_is_explained():
    cog_2022 = TerritoryIndex.load(2022)
    assert not cog_2022.has_ept and TerritoryIndex.load(2023).has_ept
    with pytest.raises(TerritoryReferenceError, match="à partir du COG 2023"):
        cog_2022.get("ept:200057867")


def test_unknown_or_former_commune_codes_are_explained(cog):
    with pytest.raises(TerritoryReferenceError, match="code postal"):
        cog.get("commune:99999")
    with pytest.raises(TerritoryReferenceError, match="commune:2A004"):
        cog.get("commune:20004")  # Ajaccio before Corse was split in 1976


def test_commune_deleguee_points_to_its_commune_nouvelle(cog):
    deleguee = cog.get("commune:85212")  # Sainte-Florence, restored as a commune in 2024
    assert deleguee.kind is TerritoryKind.COMMUNE
    old = TerritoryIndex.load(2023).get("commune:85212")
    assert old.kind is TerritoryKind.COMMUNE_DELEGUEE and old.parent == "85084"
    assert [t.code for t in TerritoryIndex.load(2023).children("commune:85084")
            if t.kind is TerritoryKind.COMMUNE_DELEGUEE] == ["85030", "85084", "85165", "85212"]


def test_resolve_several_references(cog):
    territories = cog.resolve("commune:33063,epci:243300316,departement:2A,region:94,france")
    assert [t.kind for t in territories] == [TerritoryKind.COMMUNE, TerritoryKind.EPCI,
                                              TerritoryKind.DEPARTEMENT, TerritoryKind.REGION,
                                              TerritoryKind.FRANCE]
    assert [t.label for t in territories] == ["Bordeaux (33)", "Bordeaux Métropole", "Corse-du-Sud (2A)",
                                              "Corse", "France"]


def test_old_vintages_keep_their_own_data():
    cog_2021 = TerritoryIndex.load(2021)
    assert len(cog_2021.actual_codes) == 35059 and len(cog_2021.all(TerritoryKind.EPCI)) == 1254
    # package 1.x has no commune SIREN: the build takes it from the EPCI member lists
    assert cog_2021.get("commune:33063").siren == "213300635"
    # and lists the collectivités d'outre-mer apart: normalised as départements/régions like later vintages
    papeete = cog_2021.get("commune:98735")
    assert (papeete.departement, papeete.region, papeete.zone) == ("987", "987", "com")
    assert len(cog_2021.children("epci:200046977")) == 59  # Métropole de Lyon before a 2024 merger
