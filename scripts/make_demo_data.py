#!/usr/bin/env python3
"""Write demo-data/: SYNTHETIC sample data for `make demo`, in the exact formats of the real services.

    python3 scripts/make_demo_data.py           # (re)write demo-data/
    python3 scripts/make_demo_data.py --check   # exit 1 if demo-data/ differs from what this script writes

Nothing here comes from the real services (there is no network where the demo must run, and the
real files are far too big to ship): a schematic outline of Bordeaux (33063) and of two
neighbours, Mérignac (33281) and Bègles (33039), and an invented district of Bordeaux — streets,
parcels, buildings, addresses — laid out in the real file formats:

- contours/communes-demo.geojson: the communes, fields `code_insee` and `nom_officiel` (ADMIN EXPRESS);
- mirror/cadastre.data.gouv.fr/…/33063/cadastre-33063-{parcelles,batiments}.json.gz: Etalab cadastre GeoJSON;
- mirror/adresse.data.gouv.fr/…/adresses-33.csv.gz: the BAN CSV of the département (Bordeaux, and
  some Mérignac and Bègles addresses that the territory filter must drop).

Standard library only, seeded: a rerun writes identical bytes (gzip with mtime=0). Lambert-93
coordinates of the BAN are computed with the projection's own formulas (GRS80, the CRS of
RGF93 v1 being the same as WGS 84 to well under a metre).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "demo-data"
SEED = 33063
CADASTRE = "mirror/cadastre.data.gouv.fr/data/etalab-cadastre/latest/geojson/communes/33/33063"
BAN = "mirror/adresse.data.gouv.fr/data/ban/adresses/latest/csv/adresses-33.csv.gz"
CONTOURS = "contours/communes-demo.geojson"

# -- the communes: schematic outlines (lon, lat), counter-clockwise, shared edges share their vertices ----------
#: the Garonne, from Bègles northwards: the east side of (left-bank) Bordeaux, with the Port de la Lune bend
RIVER = [(-0.5530, 44.8180), (-0.5545, 44.8240), (-0.5565, 44.8300), (-0.5600, 44.8350), (-0.5650, 44.8390),
         (-0.5690, 44.8430), (-0.5700, 44.8470), (-0.5685, 44.8520), (-0.5655, 44.8570), (-0.5610, 44.8620),
         (-0.5560, 44.8670), (-0.5500, 44.8720), (-0.5440, 44.8780), (-0.5390, 44.8850), (-0.5360, 44.8930),
         (-0.5350, 44.9000)]
NORTH = [(-0.5400, 44.9070), (-0.5480, 44.9120), (-0.5580, 44.9150), (-0.5700, 44.9160), (-0.5820, 44.9130),
         (-0.5920, 44.9060), (-0.6000, 44.8980), (-0.6080, 44.8900), (-0.6180, 44.8840)]
#: the edge shared with Mérignac, from north to south
WEST = [(-0.6280, 44.8780), (-0.6350, 44.8700), (-0.6380, 44.8600), (-0.6370, 44.8500), (-0.6330, 44.8400),
        (-0.6280, 44.8320)]
SOUTH_WEST = [(-0.6150, 44.8260)]
#: the edge shared with Bègles, from west to east (it ends on the river)
SOUTH = [(-0.6000, 44.8220), (-0.5850, 44.8190), (-0.5700, 44.8160), (-0.5600, 44.8150)]

BORDEAUX = RIVER + NORTH + WEST + SOUTH_WEST + SOUTH
MERIGNAC = list(reversed(WEST)) + [(-0.6900, 44.8800), (-0.7100, 44.8500), (-0.7000, 44.8150), (-0.6400, 44.8150)]
BEGLES = list(reversed([*SOUTH, RIVER[0]])) + [(-0.6050, 44.8050), (-0.6000, 44.7900), (-0.5600, 44.7850),
                                               (-0.5450, 44.8000)]
COMMUNES = [("33039", "Bègles", BEGLES), ("33063", "Bordeaux", BORDEAUX), ("33281", "Mérignac", MERIGNAC)]


def ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """A closed GeoJSON ring, counter-clockwise (RFC 7946), 7 decimals."""
    closed = [[round(x, 7), round(y, 7)] for x, y in points]
    if signed_area(points) < 0:
        closed.reverse()
    return closed + [closed[0]]


def signed_area(points) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1])) / 2


def inside(point, polygon) -> bool:
    x, y = point
    found = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


# -- coordinates ---------------------------------------------------------------------------------------------
A, F = 6378137.0, 1 / 298.257222101  # GRS80
E = math.sqrt(2 * F - F * F)


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:2154 (Lambert conformal conic, two standard parallels 44° and 49°, origin 46.5° 3° E)."""
    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (E * math.sin(phi)) ** 2)

    def t(phi):
        return math.tan(math.pi / 4 - phi / 2) / ((1 - E * math.sin(phi)) / (1 + E * math.sin(phi))) ** (E / 2)

    phi1, phi2, phi0 = math.radians(49), math.radians(44), math.radians(46.5)
    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    big_f = m(phi1) / (n * t(phi1) ** n)
    rho, rho0 = A * big_f * t(math.radians(lat)) ** n, A * big_f * t(phi0) ** n
    theta = n * (math.radians(lon) - math.radians(3))
    return 700000 + rho * math.sin(theta), 6600000 + rho0 - rho * math.cos(theta)


class Local:
    """Metres east/north of an origin, to degrees: plenty for a district a kilometre across."""

    def __init__(self, lon0: float, lat0: float):
        phi = math.radians(lat0)
        w = math.sqrt(1 - (E * math.sin(phi)) ** 2)
        self.lon0, self.lat0 = lon0, lat0
        self.m_per_deg_lat = math.radians(1) * A * (1 - E * E) / w ** 3
        self.m_per_deg_lon = math.radians(1) * A / w * math.cos(phi)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / self.m_per_deg_lon, self.lat0 + y / self.m_per_deg_lat


# -- the district: a street grid, blocks, parcels, buildings -------------------------------------------------------
ORIGIN = (-0.5930, 44.8500)
ROTATION = math.radians(-9)
COLUMNS, ROWS = 8, 6
STREET_M, BOULEVARD_M = 12.0, 22.0
BOULEVARD_COLUMN = 4  # the vertical street with this index is a boulevard
STREETS = ["Rue des Tilleuls", "Rue du Moulin", "Rue Jean Jaurès", "Rue des Écoles", "Rue de la Fontaine",
           "Rue Pasteur", "Rue des Vignes"]
FANTOIR = ["A012", "A047", "B105", "B233", "C310", "C348", "D402"]
SPECIAL = {(2, 2): "place", (5, 4): "parc", (1, 4): "ecole", (6, 1): "eglise", (3, 0): "halle"}


def bilinear(quad, u: float, v: float) -> tuple[float, float]:
    """The point (u, v) of a quadrilateral (bottom-left, bottom-right, top-right, top-left), u, v in [0, 1]."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return ((1 - u) * (1 - v) * x0 + u * (1 - v) * x1 + u * v * x2 + (1 - u) * v * x3,
            (1 - u) * (1 - v) * y0 + u * (1 - v) * y1 + u * v * y2 + (1 - u) * v * y3)


def sub_quad(quad, u0, u1, v0, v1):
    return [bilinear(quad, u0, v0), bilinear(quad, u1, v0), bilinear(quad, u1, v1), bilinear(quad, u0, v1)]


def grid(rng: random.Random):
    """Street intersections (metres, rotated, jittered), and the x/y spacing of the streets."""
    xs, ys = [0.0], [0.0]
    for _ in range(COLUMNS):
        xs.append(xs[-1] + rng.uniform(95, 135))
    for _ in range(ROWS):
        ys.append(ys[-1] + rng.uniform(64, 86))
    cx, cy = xs[-1] / 2, ys[-1] / 2
    cos, sin = math.cos(ROTATION), math.sin(ROTATION)
    nodes = {}
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            px, py = x - cx + rng.uniform(-5, 5), y - cy + rng.uniform(-4, 4)
            nodes[i, j] = (px * cos - py * sin, px * sin + py * cos)
    return nodes, xs, ys


def block_quad(nodes, xs, ys, i, j):
    """The built part of block (i, j): the street quadrilateral shrunk by half the width of each street."""
    width, height = xs[i + 1] - xs[i], ys[j + 1] - ys[j]
    left = (BOULEVARD_M if i == BOULEVARD_COLUMN else STREET_M) / 2 / width
    right = (BOULEVARD_M if i + 1 == BOULEVARD_COLUMN else STREET_M) / 2 / width
    margin_v = STREET_M / 2 / height
    quad = [nodes[i, j], nodes[i + 1, j], nodes[i + 1, j + 1], nodes[i, j + 1]]
    return sub_quad(quad, left, 1 - right, margin_v, 1 - margin_v), width, height


def area(points) -> float:
    return abs(signed_area(points))


def dates(rng: random.Random) -> tuple[str, str]:
    created = (rng.randint(2003, 2016), rng.randint(1, 12), rng.randint(1, 28))
    updated = (rng.randint(created[0] + 1, 2025), rng.randint(1, 12), rng.randint(1, 28))
    return "{:04d}-{:02d}-{:02d}".format(*created), "{:04d}-{:02d}-{:02d}".format(*updated)


def section_of(i: int, j: int) -> str:
    return "K" + "ABCDEFGHJKLMNPRS"[(j // 2) * 4 + i // 2]


def district(rng: random.Random):
    """(parcels, buildings, addresses) of the invented district, in local metres."""
    nodes, xs, ys = grid(rng)
    parcels, buildings, fronts = [], [], []
    numbers: dict[str, int] = {}
    for j in range(ROWS):
        for i in range(COLUMNS):
            quad, width, height = block_quad(nodes, xs, ys, i, j)
            section = section_of(i, j)
            kind = SPECIAL.get((i, j))
            if kind == "place":
                continue  # public space: no parcel in the cadastre
            if kind:
                big = [quad]
                if kind in ("ecole", "halle"):  # two parcels, the building on the street side
                    big = [sub_quad(quad, 0, 0.55, 0, 1), sub_quad(quad, 0.55, 1, 0, 1)]
                for n, polygon in enumerate(big):
                    parcels.append({"section": section, "ring": polygon, "front": (j, True)})
                    if kind == "parc":
                        buildings.append(("02", sub_quad(polygon, 0.46, 0.54, 0.45, 0.56)))
                    elif kind == "eglise":
                        buildings.append(("01", sub_quad(polygon, 0.30, 0.70, 0.25, 0.62)))
                        buildings.append(("01", sub_quad(polygon, 0.44, 0.56, 0.62, 0.78)))
                    elif n == 0:
                        buildings.append(("01", sub_quad(polygon, 0.08, 0.92, 0.06, 0.46)))
                        buildings.append(("01", sub_quad(polygon, 0.08, 0.32, 0.46, 0.80)))
                    else:
                        buildings.append(("01", sub_quad(polygon, 0.10, 0.90, 0.08, 0.40)))
                continue
            dense = rng.random() < 0.6  # terraced « échoppes », or detached houses with side gardens
            for side, (v0, v1) in (("sud", (0.0, 0.5)), ("nord", (0.5, 1.0))):
                u = 0.0
                while u < 1 - 1e-9:
                    step = rng.uniform(9, 14) if dense else rng.uniform(15, 24)
                    u1 = min(1.0, u + step / width)
                    if 1 - u1 < 8 / width:
                        u1 = 1.0
                    polygon = sub_quad(quad, u, u1, v0, v1)
                    # the south half fronts the street below the block (on its north side), the
                    # north half the street above (on its south side)
                    parcels.append({"section": section, "ring": polygon,
                                    "front": (j, True) if side == "sud" else (j + 1, False)})
                    # the house on the street side (v = 0 for the south half, v = 1 for the north one)
                    gap = 0.02 if dense else rng.uniform(0.12, 0.22)
                    depth = rng.uniform(0.22, 0.38) if dense else rng.uniform(0.25, 0.40)
                    setback = 0.0 if dense else rng.uniform(0.08, 0.16)
                    a, b = (setback, setback + depth) if side == "sud" else (1 - setback - depth, 1 - setback)
                    if rng.random() < 0.94:
                        buildings.append(("01", sub_quad(polygon, gap, 1 - gap, a, b)))
                    if rng.random() < 0.3:  # a shed at the back of the garden
                        c, d = (0.80, 0.92) if side == "sud" else (0.08, 0.20)
                        buildings.append(("02", sub_quad(polygon, 0.55, 0.85, c, d)))
                    u = u1
    # addresses: one per parcel, 3 m or so inside its front, numbered along its street (odd: north side)
    for parcel in parcels:
        street, north_side = parcel["front"]
        fronts.append((street, north_side, bilinear(parcel["ring"], 0.5, 0.08 if north_side else 0.92), parcel))
    fronts.sort(key=lambda f: (f[0], f[1], f[2][0]))
    addresses = []
    for street, north_side, point, parcel in fronts:
        key = f"{street}{north_side}"
        numbers[key] = numbers.get(key, 0) + 1
        number = 2 * numbers[key] - (1 if north_side else 0)
        addresses.append({"street": street, "numero": number, "point": point, "parcel": parcel})
    return parcels, buildings, addresses


# -- writers -------------------------------------------------------------------------------------------------
def fold_upper(text: str) -> str:
    """BAN `nom_afnor`: upper case, no accents, apostrophes and hyphens as spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.upper().replace("'", " ").replace("-", " ").split())


def ban_row(code, commune, postcode, street, fantoir, number, lon, lat, parcel_id, rng):
    x, y = lambert93(lon, lat)
    position = "entrée" if rng.random() < 0.85 else "bâtiment"
    return ";".join([
        f"{code}_{fantoir.lower()}_{number:05d}", f"{code}_{fantoir}", str(number), "", street, postcode, code,
        commune, "", "", f"{x:.2f}", f"{y:.2f}", f"{lon:.6f}", f"{lat:.6f}", position, "", "", fold_upper(commune),
        fold_upper(street), "commune", "commune", "1", parcel_id])


def neighbour_addresses(rng, code, commune, postcode, polygon, streets):
    """A few addresses along straight synthetic streets of a neighbouring commune, inside its outline."""
    rows = []
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    for s, (street, fantoir) in enumerate(streets):
        lat = min(ys) + (max(ys) - min(ys)) * (0.35 + 0.3 * s)
        number = 0
        lon = min(xs)
        while lon < max(xs) and number < 24:
            lon += rng.uniform(0.0004, 0.0007)
            point = (lon, lat + rng.uniform(-0.00003, 0.00003))
            if inside(point, polygon):
                number += 1
                rows.append(ban_row(code, commune, postcode, street, fantoir, number, point[0], point[1], "", rng))
    return rows


def feature_collection(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def build() -> dict[str, bytes]:
    """{relative path: bytes} of every file of demo-data/ this script owns."""
    rng = random.Random(SEED)
    to_degrees = Local(*ORIGIN)
    parcels, buildings, addresses = district(rng)

    files: dict[str, bytes] = {}
    contours = [{"type": "Feature", "properties": {"code_insee": code, "nom_officiel": name},
                 "geometry": {"type": "Polygon", "coordinates": [ring(outline)]}} for code, name, outline in COMMUNES]
    files[CONTOURS] = json.dumps({"type": "FeatureCollection", "name": "communes_demo", "features": contours},
                                 ensure_ascii=False, indent=1).encode("utf-8") + b"\n"

    counters: dict[str, int] = {}
    parcel_features = []
    for parcel in parcels:
        section = parcel["section"]
        counters[section] = counters.get(section, 0) + 1
        number = counters[section]
        parcel["id"] = f"33063000{section}{number:04d}"
        degrees = [to_degrees(x, y) for x, y in parcel["ring"]]
        if not all(inside(p, BORDEAUX) for p in degrees):
            raise SystemExit(f"parcelle {parcel['id']} hors du contour de Bordeaux : revoir ORIGIN")
        created, updated = dates(rng)
        parcel_features.append({
            "type": "Feature", "id": parcel["id"],
            "geometry": {"type": "Polygon", "coordinates": [ring(degrees)]},
            "properties": {"id": parcel["id"], "commune": "33063", "prefixe": "000", "section": section,
                           "numero": str(number), "contenance": round(area(parcel["ring"])), "arpente": False,
                           "created": created, "updated": updated}})
    building_features = []
    for kind, polygon in buildings:
        created, updated = dates(rng)
        building_features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring([to_degrees(x, y) for x, y in polygon])]},
            "properties": {"type": kind, "nom": None, "commune": "33063", "created": created, "updated": updated}})
    files[f"{CADASTRE}/cadastre-33063-parcelles.json.gz"] = gzip.compress(
        feature_collection(parcel_features), compresslevel=9, mtime=0)
    files[f"{CADASTRE}/cadastre-33063-batiments.json.gz"] = gzip.compress(
        feature_collection(building_features), compresslevel=9, mtime=0)

    header = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
              "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
              "source_position;source_nom_voie;certification_commune;cad_parcelles")
    bordeaux = []
    for address in sorted(addresses, key=lambda a: (FANTOIR[a["street"]], a["numero"])):
        lon, lat = to_degrees(*address["point"])
        bordeaux.append(ban_row("33063", "Bordeaux", "33000", STREETS[address["street"]], FANTOIR[address["street"]],
                                address["numero"], lon, lat, address["parcel"]["id"], rng))
    begles = neighbour_addresses(rng, "33039", "Bègles", "33130", BEGLES,
                                 [("Rue Calixte Camelle", "B014"), ("Avenue du Maréchal Leclerc", "B120")])
    merignac = neighbour_addresses(rng, "33281", "Mérignac", "33700", MERIGNAC,
                                   [("Avenue de la Marne", "M031"), ("Rue Jean Giono", "M208")])
    text = "\n".join([header, *begles, *bordeaux, *merignac]) + "\n"
    files[BAN] = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="vérifier que demo-data/ est à jour, sans rien écrire")
    args = parser.parse_args()
    files = build()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (DATA / name).is_file() or (DATA / name).read_bytes() != data]
        if stale:
            print("demo-data/ n'est pas à jour : " + ", ".join(stale) + " (relancez scripts/make_demo_data.py)",
                  file=sys.stderr)
            return 1
        print("demo-data/ est à jour.")
        return 0
    for name, data in files.items():
        path = DATA / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        print(f"{path.relative_to(ROOT)} ({len(data) / 1024:.1f} Kio)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
