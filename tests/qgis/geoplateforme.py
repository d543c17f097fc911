"""A local server answering like the Géoplateforme WFS (GeoServer): shared by the WFS and contour tests."""

import json
import re
import threading
import time

from werkzeug import Response

# Bordeaux Métropole, as ADMINEXPRESS-COG.LATEST:commune describes it
COMMUNES = [
    ("33003", "Ambarès-et-Lagrave"), ("33004", "Ambès"), ("33013", "Artigues-près-Bordeaux"),
    ("33032", "Bassens"), ("33039", "Bègles"), ("33056", "Blanquefort"), ("33063", "Bordeaux"),
    ("33065", "Bouliac"), ("33069", "Le Bouscat"), ("33075", "Bruges"), ("33096", "Carbon-Blanc"),
    ("33119", "Cenon"), ("33162", "Eysines"), ("33167", "Floirac"), ("33192", "Gradignan"),
    ("33200", "Le Haillan"), ("33249", "Lormont"), ("33273", "Martignas-sur-Jalle"),
    ("33281", "Mérignac"), ("33312", "Parempuyre"), ("33318", "Pessac"),
    ("33376", "Saint-Aubin-de-Médoc"), ("33434", "Saint-Louis-de-Montferrand"),
    ("33449", "Saint-Médard-en-Jalles"), ("33487", "Saint-Vincent-de-Paul"),
    ("33519", "Le Taillan-Médoc"), ("33522", "Talence"), ("33550", "Villenave-d'Ornon"),
]
WFS_PATH = "/wfs/ows"
EXCEPTION_REPORT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<ows:ExceptionReport xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.0.0" '
    'xsi:schemaLocation="http://www.opengis.net/ows/1.1 '
    'https://data.geopf.fr/wfs/schemas/ows/1.1.0/owsAll.xsd">\n'
    '<ows:Exception exceptionCode="{code}" locator="{locator}">\n'
    "<ows:ExceptionText>{text}</ows:ExceptionText>\n"
    "</ows:Exception>\n</ows:ExceptionReport>\n")


def _square(x, y, size=0.01):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def commune_features():
    features = []
    for index, (code, name) in enumerate(COMMUNES):
        # cleabs is not in code order: the output must follow SORTBY, not the codes
        cleabs = f"COMMUNE_{(index * 7919) % 1000:04d}000000{index:06d}"
        x, y = -0.75 + (index % 7) * 0.05, 44.75 + (index // 7) * 0.05
        features.append({
            "type": "Feature", "id": f"commune.{9754000 + index}", "geometry": _square(x, y),
            "geometry_name": "geometrie",
            "properties": {"cleabs": cleabs, "nom_officiel": name,
                           "nom_officiel_en_majuscules": name.upper(), "code_insee": code,
                           "code_insee_du_departement": "33", "code_insee_de_la_region": "75",
                           "code_siren": "213" + code[:2] + code[2:] + "0", "population": 1000 + index,
                           "date_du_recensement": "2021-01-01",
                           "organisme_recenseur": "INSEE", "liens_vers_autorite_administrative": None}})
    return features


def parcelle_features():
    return [{"type": "Feature", "id": f"parcelle.{index + 1}", "geometry": _square(-0.58 + index * 0.002, 44.84,
                                                                                    0.001),
             "geometry_name": "geom",
             "properties": {"idu": f"33063000AB{index + 1:04d}", "numero": f"{index + 1:04d}",
                            "feuille": 1, "section": "AB", "code_dep": "33", "nom_com": "Bordeaux",
                            "code_com": "063", "com_abs": "000", "code_arr": "000",
                            "contenance": 250 + index}} for index in range(6)]


COMMUNE_XSD = """<?xml version="1.0" encoding="UTF-8"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" \
xmlns:ADMINEXPRESS-COG.LATEST="http://ADMINEXPRESS-COG.LATEST" xmlns:gml="http://www.opengis.net/gml/3.2" \
xmlns:wfs="http://www.opengis.net/wfs/2.0" elementFormDefault="qualified" \
targetNamespace="http://ADMINEXPRESS-COG.LATEST">
  <xsd:import namespace="http://www.opengis.net/gml/3.2" \
schemaLocation="https://data.geopf.fr/wfs/schemas/gml/3.2.1/gml.xsd"/>
  <xsd:complexType name="communeType">
    <xsd:complexContent>
      <xsd:extension base="gml:AbstractFeatureType">
        <xsd:sequence>
          <xsd:element maxOccurs="1" minOccurs="0" name="cleabs" nillable="true" type="xsd:string"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="nom_officiel" nillable="true" type="xsd:string"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="code_insee" nillable="true" type="xsd:string"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="population" nillable="true" type="xsd:int"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="geometrie" nillable="true" \
type="gml:MultiSurfacePropertyType"/>
        </xsd:sequence>
      </xsd:extension>
    </xsd:complexContent>
  </xsd:complexType>
  <xsd:element name="commune" substitutionGroup="gml:AbstractFeature" \
type="ADMINEXPRESS-COG.LATEST:communeType"/>
</xsd:schema>
"""
PARCELLE_XSD = """<?xml version="1.0" encoding="UTF-8"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" \
xmlns:CADASTRALPARCELS.PARCELLAIRE_EXPRESS="http://CADASTRALPARCELS.PARCELLAIRE_EXPRESS" \
xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:wfs="http://www.opengis.net/wfs/2.0" \
elementFormDefault="qualified" targetNamespace="http://CADASTRALPARCELS.PARCELLAIRE_EXPRESS">
  <xsd:import namespace="http://www.opengis.net/gml/3.2" \
schemaLocation="https://data.geopf.fr/wfs/schemas/gml/3.2.1/gml.xsd"/>
  <xsd:complexType name="parcelleType">
    <xsd:complexContent>
      <xsd:extension base="gml:AbstractFeatureType">
        <xsd:sequence>
          <xsd:element maxOccurs="1" minOccurs="0" name="gid" nillable="true" type="xsd:int"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="geom" nillable="true" \
type="gml:MultiSurfacePropertyType"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="idu" nillable="true" type="xsd:string"/>
          <xsd:element maxOccurs="1" minOccurs="0" name="contenance" nillable="true" type="xsd:int"/>
        </xsd:sequence>
      </xsd:extension>
    </xsd:complexContent>
  </xsd:complexType>
  <xsd:element name="parcelle" substitutionGroup="gml:AbstractFeature" \
type="CADASTRALPARCELS.PARCELLAIRE_EXPRESS:parcelleType"/>
</xsd:schema>
"""
COMMUNE = "ADMINEXPRESS-COG.LATEST:commune"
PARCELLE = "CADASTRALPARCELS.PARCELLAIRE_EXPRESS:parcelle"


def _bounds(geometry):
    numbers = re.findall(r"-?\d+(?:\.\d+)?", json.dumps(geometry["coordinates"]))
    xs, ys = [float(n) for n in numbers[0::2]], [float(n) for n in numbers[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


def _overlaps(a, b):
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


class FakeGeoplateforme:
    """GetFeature / DescribeFeatureType as data.geopf.fr answers them (GeoServer): GET or POST form,
    STARTINDEX/COUNT paging capped per page, SORTBY, BBOX, CQL_FILTER (IN, BBOX, INTERSECTS on the
    right geometry column only), numberMatched/numberReturned, exception reports."""

    def __init__(self, cap=5000, delay=0.0, crs="urn:ogc:def:crs:EPSG::4326"):
        self.layers = {COMMUNE: ("geometrie", COMMUNE_XSD, commune_features()),
                       PARCELLE: ("geom", PARCELLE_XSD, parcelle_features())}
        self.cap, self.delay, self.crs = cap, delay, crs
        self.requests = []
        self.active = self.peak = 0
        self._lock = threading.Lock()
        #: (features, matched, body) -> (features, matched, body): to break a page on purpose
        self.tamper = None

    def __call__(self, request):
        params = {key.upper(): value for key, value in request.values.items()}
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.requests.append({"method": request.method, "params": params,
                                  "content_type": request.headers.get("Content-Type", ""),
                                  "user_agent": request.headers.get("User-Agent", ""),
                                  "path": request.path, "at": time.monotonic()})
        try:
            if self.delay:
                time.sleep(self.delay)
            return self._answer(params)
        finally:
            with self._lock:
                self.active -= 1

    def get_features(self):
        """GetFeature requests by start index (pages fetched in parallel arrive in any order)."""
        pages = [entry for entry in self.requests if entry["params"].get("REQUEST") == "GetFeature"]
        return sorted(pages, key=lambda entry: int(entry["params"].get("STARTINDEX", 0)))

    def _answer(self, params):
        typename = params.get("TYPENAMES") or params.get("TYPENAME", "")
        if typename not in self.layers:
            return self.report("InvalidParameterValue", "typeName", f"Feature type {typename} unknown")
        geometry, xsd, features = self.layers[typename]
        if params.get("REQUEST") == "DescribeFeatureType":
            return Response(xsd, content_type="application/gml+xml; version=3.2")
        if "CQL_FILTER" in params and "BBOX" in params:
            return self.report("InvalidParameterValue", "", "bbox and cql_filter both specified")
        selected = list(features)
        if "BBOX" in params:
            box = [float(v) for v in params["BBOX"].split(",")[:4]]
            selected = [f for f in selected if _overlaps(_bounds(f["geometry"]), box)]
        for condition in filter(None, params.get("CQL_FILTER", "").split(" AND ")):
            if condition.startswith("(") and condition.endswith(")"):
                condition = condition[1:-1]
            kept = self._cql(condition, geometry, selected)
            if isinstance(kept, Response):
                return kept
            selected = kept
        if params.get("SORTBY"):
            key = params["SORTBY"].split()[0]
            selected.sort(key=lambda f: f["properties"][key])
        start, count = int(params.get("STARTINDEX", 0)), int(params.get("COUNT", self.cap))
        page = selected[start:start + min(count, self.cap)]
        matched = len(selected)
        body = {"type": "FeatureCollection", "features": page, "totalFeatures": matched,
                "numberMatched": matched, "numberReturned": len(page),
                "timeStamp": "2025-03-04T08:00:00.000Z",
                "crs": {"type": "name", "properties": {"name": self.crs}}}
        if self.tamper is not None:
            body = self.tamper(start, body)
        return Response(json.dumps(body), content_type="application/json;charset=UTF-8")

    def _cql(self, condition, geometry, selected):
        found = re.match(r"(\w+)\((\w+), (.*)\)$", condition, re.S)
        if found and found.group(1) in ("INTERSECTS", "BBOX"):
            if found.group(2) != geometry:
                return self.report("NoApplicableCode", "",
                                   f"Illegal property name: {found.group(2)}")
            numbers = [float(n) for n in re.findall(r"-?\d+\.\d+|-?\d+(?=[ ,)])",
                                                    found.group(3).split(";")[-1])]
            if found.group(1) == "BBOX":
                box = numbers[:4]
            else:
                xs, ys = numbers[0::2], numbers[1::2]
                box = [min(xs), min(ys), max(xs), max(ys)]
            return [f for f in selected if _overlaps(_bounds(f["geometry"]), box)]
        found = re.match(r"(\w+) IN \((.*)\)$", condition, re.S)
        if found:
            values = [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", found.group(2))]
            return [f for f in selected if f["properties"].get(found.group(1)) in values]
        return self.report("InvalidParameterValue", "CQL_FILTER", f"Could not parse CQL filter: {condition}")

    @staticmethod
    def report(code, locator, text, status=400):
        return Response(EXCEPTION_REPORT.format(code=code, locator=locator, text=text), status=status,
                        content_type="application/xml")
