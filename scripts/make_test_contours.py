#!/usr/bin/env python3
"""Write tests/data/contours-2018/extract-2018.gpkg: the real 2018 contours the tests need, cut from the shared file.

    python3 scripts/make_test_contours.py           # (re)write the extract from ../shared/data
    python3 scripts/make_test_contours.py --check   # exit 1 if the committed extract differs from a rebuild

The source is ../shared/data/contours-2018/france-2018.gpkg (IGN ADMIN EXPRESS COG 2018, simplified,
Licence Ouverte / Etalab 2.0; see tests/data/README.md), beside the checkout and never inside it. The
extract has the same layers (commune, departement, region), the same fields (code, nom), the same
geometry column (geom, MultiPolygon, EPSG:4326) and the same geometries, untouched: code that reads
the full file reads the extract the same way. It holds:

- the communes and the contour of Gironde (33), of its neighbours Charente-Maritime (17), Dordogne (24),
  Landes (40) and Lot-et-Garonne (47), and of La Réunion (974), an overseas département in its own
  legal projection;
- the few other communes a test names (EXTRA_COMMUNES, with the reason of each);
- the régions of those départements: Nouvelle-Aquitaine (75) and La Réunion (04).

Byte-reproducible with one GDAL version: rows in code order, fids 1..n, the GeoPackage's last_change
dates fixed through OGR_CURRENT_DATE. Another GDAL may lay the same content out in other bytes:
--check then compares the content (layers, fields, SRS, every row with its geometry) and says so.
Needs the GDAL Python bindings (Debian: python3-gdal, present in the project's .venv).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "contours-2018" / "france-2018.gpkg"
TARGET = ROOT / "tests" / "data" / "contours-2018" / "extract-2018.gpkg"

#: whole départements: Gironde, its neighbours, and one overseas département
DEPARTEMENTS = ("17", "24", "33", "40", "47", "974")
#: their régions: Nouvelle-Aquitaine and La Réunion
REGIONS = ("04", "75")
#: single communes outside those départements, each named by a test (tests/qgis/…)
EXTRA_COMMUNES = {
    "01130": "Cras-sur-Reyssouze: with Étrez, Bresse Vallons (01130) since 2019 (test_contours)",
    "01154": "Étrez: merged into Bresse Vallons in 2019, a former code (test_contours)",
    "01187": "Haut Valromey: Ruffieu's commune nouvelle since 2025 (test_refresh_package, test_batch_packages)",
    "01330": "Ruffieu: a commune of COG 2024, merged in 2025 (test_refresh_package)",
    "14174": "Condé-en-Normandie: the source's invalid polygon, a ring self-intersection (test_contours)",
}
LAYERS = ("commune", "departement", "region")
#: the date written as last_change in gpkg_contents (the COG 2018's): no clock in the file
FIXED_DATE = "2018-01-01T00:00:00.000Z"
DESCRIPTION = ("Extrait pour les tests : IGN ADMIN EXPRESS COG 2018, simplifié (france-geojson), "
               "Licence Ouverte / Etalab 2.0 ; voir tests/data/README.md")


def _ogr():
    try:
        from osgeo import gdal, ogr
    except ImportError:
        sys.exit("Les liaisons Python de GDAL manquent : installez python3-gdal (ou lancez .venv/bin/python).")
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr


def departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def wanted(layer: str, code: str) -> bool:
    if layer == "commune":
        return departement_of(code) in DEPARTEMENTS or code in EXTRA_COMMUNES
    if layer == "departement":
        return code in DEPARTEMENTS
    return code in REGIONS


def write(source: Path, target: Path) -> dict[str, int]:
    """The extract of `source` written to `target` (replaced); feature count per layer."""
    gdal, ogr = _ogr()
    if not source.is_file():
        sys.exit(f"{source} absent : ce script lit les contours 2018 complets de ../shared/data.")
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_DATE)
    gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "OFF")
    counts = {}
    try:
        if target.exists():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = ogr.Open(str(source))
        writer = ogr.GetDriverByName("GPKG").CreateDataSource(str(target))
        for name in LAYERS:
            layer = reader.GetLayerByName(name)
            if layer is None:
                sys.exit(f"{source} n'a pas de couche « {name} »")
            definition = layer.GetLayerDefn()
            out = writer.CreateLayer(name, layer.GetSpatialRef(), layer.GetGeomType(), options=[
                f"FID={layer.GetFIDColumn() or 'fid'}", f"GEOMETRY_NAME={layer.GetGeometryColumn() or 'geom'}",
                "SPATIAL_INDEX=YES", f"DESCRIPTION={DESCRIPTION}"])
            for index in range(definition.GetFieldCount()):
                out.CreateField(definition.GetFieldDefn(index))
            rows = []
            for feature in layer:
                code = feature.GetField("code")
                if code and wanted(name, code):
                    rows.append((code, feature.GetField("nom"), feature.GetGeometryRef().ExportToIsoWkb()))
            rows.sort()
            out.StartTransaction()
            for fid, (code, nom, wkb) in enumerate(rows, start=1):
                feature = ogr.Feature(out.GetLayerDefn())
                feature.SetFID(fid)
                feature.SetField("code", code)
                feature.SetField("nom", nom)
                feature.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
                out.CreateFeature(feature)
            out.CommitTransaction()
            counts[name] = len(rows)
        writer = reader = None  # closes both files
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
        gdal.SetConfigOption("OGR_SQLITE_JOURNAL", None)
    missing = sorted(set(EXTRA_COMMUNES) - set(codes(target, "commune")))
    if missing:
        sys.exit(f"{source} n'a pas les communes {', '.join(missing)} : EXTRA_COMMUNES est à revoir.")
    return counts


def codes(path: Path, layer: str) -> list[str]:
    _, ogr = _ogr()
    source = ogr.Open(str(path))
    return [feature.GetField("code") for feature in source.GetLayerByName(layer)]


def content(path: Path) -> str:
    """A digest of what a reader sees: layers, fields, SRS, extents, every row with its geometry."""
    _, ogr = _ogr()
    digest = hashlib.sha256()
    source = ogr.Open(str(path))
    for name in LAYERS:
        layer = source.GetLayerByName(name)
        if layer is None:
            digest.update(f"no layer {name}".encode())
            continue
        definition = layer.GetLayerDefn()
        fields = [(definition.GetFieldDefn(i).GetName(), definition.GetFieldDefn(i).GetTypeName())
                  for i in range(definition.GetFieldCount())]
        srs = layer.GetSpatialRef()
        digest.update(repr((name, layer.GetFIDColumn(), layer.GetGeometryColumn(), layer.GetGeomType(), fields,
                            srs.GetAuthorityCode(None) if srs else None)).encode())
        for feature in layer:
            digest.update(repr((feature.GetFID(), [feature.GetField(i) for i in range(len(fields))])).encode())
            digest.update(feature.GetGeometryRef().ExportToIsoWkb())
    return digest.hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="vérifier que l'extrait versionné est à jour")
    parser.add_argument("--source", type=Path, default=SOURCE, help="contours 2018 complets (../shared/data)")
    args = parser.parse_args(argv)
    shown = TARGET.relative_to(ROOT)
    if args.check:
        if not TARGET.is_file():
            print(f"{shown} absent : lancez python3 scripts/make_test_contours.py", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory(prefix="dt-contours-") as folder:
            rebuilt = Path(folder) / TARGET.name
            write(args.source, rebuilt)
            if rebuilt.read_bytes() == TARGET.read_bytes():
                print(f"{shown} est à jour (sha256 {sha256(TARGET)}).")
                return 0
            if content(rebuilt) == content(TARGET):
                gdal, _ = _ogr()
                print(f"{shown} est à jour : même contenu ; les octets diffèrent avec GDAL {gdal.__version__}.")
                return 0
        print(f"{shown} n'est pas à jour : relancez python3 scripts/make_test_contours.py", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="dt-contours-", dir=ROOT) as folder:
        built = Path(folder) / TARGET.name
        counts = write(args.source, built)
        if not TARGET.is_file() or built.read_bytes() != TARGET.read_bytes():
            TARGET.parent.mkdir(parents=True, exist_ok=True)
            built.replace(TARGET)
    listed = ", ".join(f"{count} {name}(s)" for name, count in counts.items())
    print(f"{shown} : {listed}, {TARGET.stat().st_size / 1024:.0f} Kio, sha256 {sha256(TARGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
