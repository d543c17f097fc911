#!/usr/bin/env python3
"""Build resources/territories/ (the COG index the plugin ships) from @etalab/decoupage-administratif.

    python3 scripts/build_territory_index.py                      # rebuild every vintage of sources.json
    python3 scripts/build_territory_index.py --vintage 2027=7.0.0 # add (or move) a vintage, then build it
    python3 scripts/build_territory_index.py --check              # fail if the committed files are stale

One npm package version per COG vintage (the map lives in resources/territories/sources.json).
Tarballs come from `npm pack` (the npm client's own configuration says from where) and are cached
in build/npm-cache/ (ignored by git); each is checked against the integrity recorded in the manifest,
or published by the registry (`npm view … dist.integrity`) for a new version. The output is
byte-identical from one run to the next: sorted keys, fixed row order, gzip (the latest vintage) or
xz (the others), neither with a timestamp.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import lzma
import re
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "resources" / "territories"
SOURCES = OUTPUT / "sources.json"
CACHE = ROOT / "build" / "npm-cache"
FORMAT = 1
LICENCE = "Licence Ouverte / Open Licence (Etalab) 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"

# One letter per row in the communes table: the loader maps them back to TerritoryKind.
KIND_LETTERS = {
    "commune-actuelle": "C",
    "arrondissement-municipal": "M",
    "commune-deleguee": "D",
    "commune-associee": "A",
}
KIND_ORDER = "CMDA"


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compressed(data: bytes, latest: bool) -> bytes:
    """The latest vintage in gzip, the others in xz; neither container holds a timestamp (reruns identical).

    The latest vintage is read at every start (budget 150 ms): gzip decompresses it in 6 ms
    instead of 24 ms. The older ones serve conversions only: xz keeps them a third smaller, so
    that the six vintages stay under 3 MB.
    """
    if latest:
        return gzip.compress(data, compresslevel=9, mtime=0)
    return lzma.compress(data, format=lzma.FORMAT_XZ, preset=9 | lzma.PRESET_EXTREME)


def file_name(vintage: int, latest: bool) -> str:
    return f"cog-{vintage}.json.{'gz' if latest else 'xz'}"


def fetch_tarball(package: str, version: str, cache: Path) -> Path:
    """The package tarball from the cache, or from the npm registry through `npm pack`."""
    name = package.lstrip("@").replace("/", "-")
    path = cache / f"{name}-{version}.tgz"
    if path.is_file():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# npm tarballs downloaded by scripts/build_territory_index.py\n*\n")
    try:
        subprocess.run(["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", str(cache)],
                       check=True, stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"npm pack {package}@{version} a échoué ({error}) : vérifiez que npm est installé, "
                 f"que la version existe (npm view {package} versions) et l'accès au registre npm.")
    if not path.is_file():
        sys.exit(f"npm pack n'a pas produit {path}")
    return path


def read_tarball(path: Path) -> dict[str, list]:
    """The JSON data files of the package, by name without extension (ept is absent before 3.x)."""
    files: dict[str, list] = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            match = re.fullmatch(r"package/data/(\w+)\.json", member.name)
            if match:
                files[match.group(1)] = json.load(archive.extractfile(member))
    missing = {"communes", "departements", "regions", "epci"} - files.keys()
    if missing:
        sys.exit(f"{path.name} : fichiers de données manquants {sorted(missing)}")
    return files


def departement_zone(code: str) -> str:
    """metro, drom (971 to 976) or com (collectivités d'outre-mer 975, 977, 978, 984 and 986 to 989)."""
    if len(code) == 3:
        return "drom" if code in ("971", "972", "973", "974", "976") else "com"
    return "metro"


def region_zone(code: str) -> str:
    if len(code) == 3:
        return "com"
    return "drom" if code < "11" else "metro"


def build_vintage(vintage: int, files: dict[str, list], source: str) -> tuple[dict, dict]:
    """The index document of one vintage (`source`: package@version), and its counts for the manifest."""
    communes = [dict(row) for row in files["communes"]]
    departements = {row["code"]: dict(row) for row in files["departements"]}
    regions = {row["code"]: dict(row) for row in files["regions"]}

    # Package 1.x (COG 2021) gives the communes of the collectivités d'outre-mer a
    # collectiviteOutremer object instead of a département; 2.x onwards lists each COM as its
    # own département and région. Normalise the old shape to the new one.
    for row in communes:
        com = row.pop("collectiviteOutremer", None)
        if com:
            row["departement"] = row["region"] = com["code"]
            departements.setdefault(com["code"], {"code": com["code"], "nom": com["nom"],
                                                  "region": com["code"], "chefLieu": ""})
            regions.setdefault(com["code"], {"code": com["code"], "nom": com["nom"], "chefLieu": ""})

    epci_rows = sorted(files["epci"], key=lambda row: row["code"])
    ept_rows = sorted(files.get("ept", []), key=lambda row: row["code"])
    epci_of: dict[str, int] = {}
    ept_of: dict[str, int] = {}
    member_siren: dict[str, str] = {}
    for table, rows in ((epci_of, epci_rows), (ept_of, ept_rows)):
        for position, row in enumerate(rows):
            for member in row["membres"]:
                if member["code"] in table:
                    sys.exit(f"COG {vintage} : la commune {member['code']} appartient à deux groupements")
                table[member["code"]] = position
                if member.get("siren"):
                    member_siren[member["code"]] = member["siren"]

    communes.sort(key=lambda row: (row["code"], KIND_ORDER.index(KIND_LETTERS[row["type"]])))
    actual = {row["code"] for row in communes if row["type"] == "commune-actuelle"}
    for code in list(epci_of) + list(ept_of):
        if code not in actual:
            sys.exit(f"COG {vintage} : le membre {code} d'un groupement n'est pas une commune actuelle")

    population_of_departement: dict[str, int] = {}
    columns: dict[str, list] = {key: [] for key in (
        "code", "name", "departement", "parent", "siren", "postal_codes", "population",
        "former_codes", "epci", "ept")}
    kinds = []
    for row in communes:
        kind = KIND_LETTERS[row["type"]]
        departement = row["departement"]
        if departement not in departements:
            sys.exit(f"COG {vintage} : département {departement!r} inconnu pour la commune {row['code']}")
        if departements[departement]["region"] != row["region"]:
            sys.exit(f"COG {vintage} : région incohérente pour la commune {row['code']}")
        actual_row = kind == "C"
        kinds.append(kind)
        columns["code"].append(row["code"])
        columns["name"].append(row["nom"])
        columns["departement"].append(departement)
        columns["parent"].append(row.get("chefLieu") or row.get("commune") or "")
        # COG 2021 (package 1.x) has no commune SIREN: the EPCI member lists carry it
        siren = row.get("siren") or (member_siren.get(row["code"], "") if actual_row else "")
        columns["siren"].append(siren)
        columns["postal_codes"].append(" ".join(sorted(set(row.get("codesPostaux", [])))))
        columns["population"].append(row.get("population"))
        columns["former_codes"].append(" ".join(sorted(row.get("anciensCodes", []))))
        columns["epci"].append(epci_of.get(row["code"], -1) if actual_row else -1)
        columns["ept"].append(ept_of.get(row["code"], -1) if actual_row else -1)
        if actual_row:
            population_of_departement[departement] = (
                population_of_departement.get(departement, 0) + (row.get("population") or 0))
    columns["kind"] = "".join(kinds)

    population_of_region: dict[str, int] = {}
    for code, population in population_of_departement.items():
        region = departements[code]["region"]
        population_of_region[region] = population_of_region.get(region, 0) + population

    def group_row(row: dict) -> list:
        return [row["code"], row["nom"], row["type"], row.get("populationMunicipale")]

    document = {
        "format": FORMAT,
        "licence": LICENCE,
        "source": source,
        "vintage": vintage,
        "regions": [[code, row["nom"], row.get("chefLieu") or "", region_zone(code),
                     population_of_region.get(code, 0)]
                    for code, row in sorted(regions.items())],
        "departements": [[code, row["nom"], row["region"], row.get("chefLieu") or "", departement_zone(code),
                          population_of_departement.get(code, 0)]
                         for code, row in sorted(departements.items())],
        "epci": [group_row(row) for row in epci_rows],
        "ept": [group_row(row) for row in ept_rows],
        "communes": columns,
    }
    counts = {
        "communes_actuelles": kinds.count("C"),
        "arrondissements_municipaux": kinds.count("M"),
        "communes_deleguees": kinds.count("D"),
        "communes_associees": kinds.count("A"),
        "epci": len(epci_rows),
        "ept": len(ept_rows),
        "departements": len(departements),
        "regions": len(regions),
    }
    return document, counts


def registry_integrity(package: str, version: str) -> str:
    """The tarball's integrity as the npm registry publishes it (`npm view … dist.integrity`)."""
    try:
        answer = subprocess.run(["npm", "view", f"{package}@{version}", "dist.integrity"], check=True,
                                capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"npm view {package}@{version} dist.integrity a échoué ({error}) : vérifiez que npm est installé "
                 f"et que la version existe (npm view {package} versions).")
    return answer.stdout.strip()


def verified_tarball(package: str, version: str, cache: Path, expected: str) -> Path:
    """The tarball, whose sha512 is `expected` (a cached copy that differs is fetched again once)."""
    for _attempt in range(2):
        tarball = fetch_tarball(package, version, cache)
        if integrity(tarball)["integrity"] == expected:
            return tarball
        tarball.unlink()
    sys.exit(f"{package}@{version} : l'archive reçue n'a pas l'empreinte attendue ({expected}). Elle n'est pas "
             f"utilisée : vérifiez la configuration de npm (registre, miroir) puis relancez.")


def integrity(path: Path) -> dict[str, str]:
    data = path.read_bytes()
    return {
        "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii"),
        "shasum": hashlib.sha1(data).hexdigest(),
    }


def build(sources: dict, cache: Path, only: set[int] | None = None) -> dict[str, bytes]:
    """Every output file (name → bytes). Vintages outside `only` are copied from the current manifest."""
    package = sources["package"]
    previous = {}
    if (OUTPUT / "manifest.json").is_file():
        previous = json.loads((OUTPUT / "manifest.json").read_text(encoding="utf-8"))["vintages"]
    outputs: dict[str, bytes] = {}
    entries = {}
    last = max(int(year) for year in sources["vintages"])
    for year, version in sorted(sources["vintages"].items()):
        vintage = int(year)
        name = file_name(vintage, vintage == last)
        if only is not None and vintage not in only and year in previous \
                and previous[year]["version"] == version and (OUTPUT / name).is_file():
            entries[year] = previous[year]
            continue
        # the fingerprint already recorded for this version, or the one the registry publishes
        known = previous.get(year, {})
        expected = known["integrity"] if known.get("version") == version else registry_integrity(package, version)
        tarball = verified_tarball(package, version, cache, expected)
        try:
            document, counts = build_vintage(vintage, read_tarball(tarball), f"{package}@{version}")
        except KeyError as error:
            sys.exit(f"{package}@{version} : le champ {error} manque ; le format des données a changé, "
                     "adaptez build_vintage() à cette version.")
        outputs[name] = compressed(dumps(document), vintage == last)
        entries[year] = {
            "cog_date": f"{vintage}-01-01",
            "counts": counts,
            "file": name,
            "package": package,
            "sha256": hashlib.sha256(outputs[name]).hexdigest(),
            "version": version,
            **integrity(tarball),
        }
        print(f"COG {vintage} ← {package}@{version} : {counts['communes_actuelles']} communes, "
              f"{counts['epci']} EPCI, {counts['ept']} EPT, {len(outputs[name]) / 1024:.0f} Kio")
    manifest = {
        "format": FORMAT,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "producer": "INSEE (COG), DGCL (EPCI), La Poste (codes postaux), via Etalab",
        "source": f"npm {package}",
        "source_url": "https://github.com/datagouv/decoupage-administratif",
        "vintages": entries,
    }
    outputs["manifest.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n"
    return outputs


def same_content(path: Path, data: bytes) -> bool:
    """`path` holds `data`, or the same JSON under another zlib/liblzma build (their bytes may differ)."""
    if not path.is_file():
        return False
    committed = path.read_bytes()
    if committed == data:
        return True
    unpack = {".gz": gzip.decompress, ".xz": lzma.decompress}.get(path.suffix)
    return unpack is not None and unpack(committed) == unpack(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vintage", action="append", default=[], metavar="YEAR=VERSION",
                        help="add or update a vintage in sources.json, then build only that vintage")
    parser.add_argument("--cache", type=Path, default=CACHE, help="npm tarball cache (default build/npm-cache)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and fail if resources/territories differs")
    args = parser.parse_args(argv)

    sources = json.loads(SOURCES.read_text(encoding="utf-8"))
    only = None
    if args.vintage:
        only = set()
        for item in args.vintage:
            match = re.fullmatch(r"(\d{4})=(\d+\.\d+\.\d+)", item)
            if not match:
                parser.error(f"--vintage {item!r} : attendu ANNÉE=VERSION, par exemple 2027=7.0.0")
            sources["vintages"][match.group(1)] = match.group(2)
            only.add(int(match.group(1)))

    outputs = build(sources, args.cache, None if args.check else only)
    if args.check:
        stale = [name for name, data in outputs.items() if not same_content(OUTPUT / name, data)]
        if stale:
            print(f"Index des territoires périmé : {', '.join(stale)}. "
                  f"Relancez python3 scripts/build_territory_index.py", file=sys.stderr)
            return 1
        print("Index des territoires à jour.")
        return 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        (OUTPUT / name).write_bytes(data)
    listed = {entry["file"] for entry in json.loads(outputs["manifest.json"])["vintages"].values()}
    for stale in OUTPUT.glob("cog-*.json.*"):
        if stale.name not in listed:  # a vintage that is no longer the latest changes container
            stale.unlink()
    SOURCES.write_text(json.dumps(sources, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    total = sum((OUTPUT / entry["file"]).stat().st_size
                for entry in json.loads(outputs["manifest.json"])["vintages"].values())
    print(f"{OUTPUT.relative_to(ROOT)} : {total / 1024:.0f} Kio de données")
    return 0


if __name__ == "__main__":
    sys.exit(main())
