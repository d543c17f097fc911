"""Recognise a downloaded file (GeoJSON, CSV, gzip, zip) and open it as a QgsVectorLayer."""

from __future__ import annotations

import contextlib
import csv
import gzip
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

from ..toolbelt.i18n import tr
from .archive import list_data_files
from .errors import FormatError

HEAD_BYTES = 256 * 1024
#: small enough to parse entirely, which settles the GeoJSON type for certain
FULL_PARSE_BYTES = 16 * 1024**2
DELIMITERS = (";", ",", "\t", "|")
#: column names holding WGS 84 coordinates (BAN: lon/lat; DVF géolocalisées: longitude/latitude).
#: x/y are left out on purpose: in the BAN they are Lambert 93.
LON_NAMES = ("lon", "longitude", "long", "lng", "lon_wgs84", "longitude_wgs84", "x_wgs84")
LAT_NAMES = ("lat", "latitude", "lat_wgs84", "latitude_wgs84", "y_wgs84")
_GEOJSON_TYPES = ("FeatureCollection", "Feature", "Point", "MultiPoint", "LineString",
                  "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")
_GEOJSON_TYPE_RE = re.compile(r'"type"\s*:\s*"(' + "|".join(_GEOJSON_TYPES) + r')"')


@dataclass(frozen=True)
class FileFormat:
    """What a file holds, as far as opening it is concerned."""

    #: geojson, json, csv, zip, gpkg, xml, html or unknown
    kind: str
    #: the file is gzip-compressed and the fields below describe its content
    gzipped: bool = False
    #: FeatureCollection, Feature or a geometry type (GeoJSON only)
    geojson_type: str = ""
    #: UTF-8, ISO-8859-1 or windows-1252 (CSV only)
    encoding: str = ""
    delimiter: str = ""
    columns: tuple[str, ...] = ()
    lon_field: str = ""
    lat_field: str = ""
    #: data files inside a zip
    members: tuple[str, ...] = ()

    @property
    def has_points(self) -> bool:
        return bool(self.lon_field and self.lat_field)


def sniff(path: str | Path, member: str | None = None) -> FileFormat:
    """Recognise `path` (or the zip member `member` of it) from its first bytes."""
    path = Path(path)
    head, complete = _read_head(path, member)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") and member is None:
        return FileFormat("zip", members=tuple(list_data_files(path)))
    if head[:2] == b"\x1f\x8b":
        inner, inner_complete = _read_head(path, member, gunzip=True)
        return replace(_sniff_bytes(inner, inner_complete, b""), gzipped=True)
    if head.startswith(b"SQLite format 3\x00"):
        return FileFormat("gpkg")
    return _sniff_bytes(head, complete, b"" if complete or member else _read_tail(path))


def open_layer(path: str | Path, name: str = "", member: str | None = None, layer_name: str = "") -> QgsVectorLayer:
    """Open a GeoJSON, CSV (lon/lat columns become points in EPSG:4326), GeoPackage, gzip or zip as a layer
    (`layer_name`: the table of a GeoPackage holding several).

    CSV fields are read as text, except the coordinates: INSEE codes, postcodes and SIREN keep
    their leading zeros (« 01001 », « 2A004 »); casting numbers is left to the caller.
    A zip must hold one data file, or `member` must name one (see `FileFormat.members`).
    """
    path = Path(path)
    fmt = sniff(path, member)
    if fmt.kind == "zip":
        if member is None and len(fmt.members) == 1:
            return open_layer(path, name, fmt.members[0], layer_name)
        raise FormatError(tr("L'archive {path} contient {count} fichiers de données ({names}) : "
                             "précisez celui à ouvrir.").format(
            path=path, count=len(fmt.members), names=", ".join(fmt.members) or tr("aucun")),
            str(path))
    if fmt.kind in ("html", "unknown"):
        raise FormatError(tr("Le fichier {path} n'est ni du GeoJSON, ni du CSV, ni un format "
                             "reconnu ({kind}) : vérifiez la source dans le catalogue.").format(
            path=path if member is None else f"{path}/{member}", kind=fmt.kind), str(path))
    source = str(path)
    if member is not None:
        # braces: the archive is known as such whatever its name (a cached « qp2024 » has no .zip to tell GDAL)
        source = f"/vsizip/{{{source}}}/{member}"
    if fmt.gzipped:
        source = f"/vsigzip/{source}"
    options = []
    if fmt.kind == "csv":
        # the CSV: prefix lets GDAL read a .gz or an extension-less cache file as CSV
        source = f"CSV:{source}"
        # no separator option: SEPARATOR is a creation option only (GDAL 3.6 warns); reading, GDAL
        # finds , ; tab or | in the header line itself, as sniff() did. Fields as text (GDAL's default, said:
        # QGIS 3.22 does not open « CSV:/vsigzip/… » given without any option)
        options.append("AUTODETECT_TYPE=NO")
        if fmt.has_points:
            options += [f"X_POSSIBLE_NAMES={fmt.lon_field}", f"Y_POSSIBLE_NAMES={fmt.lat_field}"]
    uri = source + "".join(f"|option:{option}" for option in options)
    if layer_name and fmt.kind == "gpkg":
        uri += f"|layername={layer_name}"
    layer = QgsVectorLayer(uri, name or _layer_name(path, member), "ogr")
    if not layer.isValid():
        raise FormatError(tr("Impossible d'ouvrir {path} comme couche vecteur ({kind}) : le "
                             "fichier est peut-être incomplet ou d'un format inattendu.").format(
            path=path if member is None else f"{path}/{member}", kind=fmt.kind), str(path))
    if fmt.kind == "csv":
        if fmt.encoding != "UTF-8":
            layer.setProviderEncoding(fmt.encoding)
        if fmt.has_points:
            layer.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    return layer


def error_document(head: bytes, content_type: str = "") -> tuple[str, str] | None:
    """("html", page title) or ("ogc", exception text) when `head` starts an error page.

    The Content-Type alone is not trusted: some servers label any file text/html.
    """
    text = head[:8192].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    lower = text[:200].lower()
    if lower.startswith(("<!doctype html", "<html")) or (
            "html" in content_type.lower() and lower.startswith("<")):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
        return "html", _clean(title.group(1)) if title else ""
    if lower.startswith("<") and re.search(r"<(?:\w+:)?(?:Service)?ExceptionReport\b", text):
        found = re.search(r"<(?:\w+:)?(?:ExceptionText|ServiceException)\b[^>]*>(.*?)</", text,
                          re.S)
        return "ogc", _clean(found.group(1)) if found else ""
    return None


# -- helpers -----------------------------------------------------------------------------------
def _read_head(path: Path, member: str | None, gunzip: bool = False) -> tuple[bytes, bool]:
    """The first HEAD_BYTES of the file (or zip member, decompressed if asked), and whether
    that is the whole of it."""
    where = path if member is None else f"{path}/{member}"
    try:
        with contextlib.ExitStack() as stack:
            if member is None:
                stream = stack.enter_context(open(path, "rb"))
            else:
                archive = stack.enter_context(zipfile.ZipFile(path))
                stream = stack.enter_context(archive.open(member))
            if gunzip:
                stream = stack.enter_context(gzip.GzipFile(fileobj=stream, mode="rb"))
            head = stream.read(HEAD_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        raise FormatError(tr("Impossible de lire {path} ({error}) : le fichier est peut-être "
                             "incomplet ; supprimez-le du cache et relancez.").format(
            path=where, error=error), str(path)) from error
    return head[:HEAD_BYTES], len(head) <= HEAD_BYTES


def _read_tail(path: Path, size: int = 64 * 1024) -> bytes:
    """The end of a large file: a Latin-1 accent may first appear far from the header."""
    with open(path, "rb") as stream:
        stream.seek(max(0, path.stat().st_size - size))
        tail = stream.read()
    start = tail.find(b"\n")
    return tail[start + 1:] if start >= 0 else b""


def _sniff_bytes(head: bytes, complete: bool, tail: bytes) -> FileFormat:
    if not complete:
        # a multi-byte character or a CSV row may be cut at the end of the sample
        head = head[: head.rfind(b"\n") + 1] or head
    encoding = _detect_encoding(head, tail)
    text = head.decode(encoding, "replace").lstrip("\ufeff")
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return _sniff_json(text, complete)
    if start == "<":
        problem = error_document(head)
        return FileFormat("html" if problem and problem[0] == "html" else "xml")
    return _sniff_csv(text, encoding)


def _detect_encoding(*samples: bytes) -> str:
    """UTF-8 when every sample decodes as such, else Latin-1 (windows-1252 if it uses 0x80-0x9F)."""
    try:
        for sample in samples:
            sample.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "windows-1252" if any(re.search(rb"[\x80-\x9f]", s) for s in samples) else "ISO-8859-1"


def _sniff_json(text: str, complete: bool) -> FileFormat:
    if complete:
        try:
            data = json.loads(text)
        except ValueError:
            return FileFormat("unknown")
        kind = data.get("type") if isinstance(data, dict) else None
        if kind in _GEOJSON_TYPES:
            return FileFormat("geojson", geojson_type=kind)
        return FileFormat("json")
    # too big to parse here: the "type" member may come after "crs" or even after "features"
    if re.search(r'"type"\s*:\s*"FeatureCollection"', text) or re.search(r'"features"\s*:', text):
        return FileFormat("geojson", geojson_type="FeatureCollection")
    found = _GEOJSON_TYPE_RE.search(text)
    if found:
        return FileFormat("geojson", geojson_type=found.group(1))
    return FileFormat("json")


def _sniff_csv(text: str, encoding: str) -> FileFormat:
    best: tuple[tuple[bool, int], str, list[list[str]]] | None = None
    for delimiter in DELIMITERS:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row][:50]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (all(len(row) == width for row in rows[1:]), width)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    if best is None:
        return FileFormat("unknown", encoding=encoding)
    _score, delimiter, rows = best
    columns = tuple(name.strip() for name in rows[0])
    lon = _coordinate_column(columns, rows[1:], LON_NAMES, 180.0)
    lat = _coordinate_column(columns, rows[1:], LAT_NAMES, 90.0)
    if not (lon and lat):
        lon = lat = ""
    return FileFormat("csv", encoding=encoding, delimiter=delimiter, columns=columns,
                      lon_field=lon, lat_field=lat)


def _coordinate_column(columns: tuple[str, ...], rows: list[list[str]], names: tuple[str, ...],
                       bound: float) -> str:
    lowered = [column.lower() for column in columns]
    for name in names:
        if name not in lowered:
            continue
        index = lowered.index(name)
        values = [row[index].strip() for row in rows if len(row) > index and row[index].strip()]
        try:
            if all(abs(float(value)) <= bound for value in values):
                return columns[index]
        except ValueError:
            # decimal commas or text: GDAL would not read them as coordinates either
            pass
        return ""
    return ""


def _layer_name(path: Path, member: str | None) -> str:
    name = Path(member).name if member else path.name
    for suffix in (".gz", ".zip", ".csv", ".geojson", ".json", ".gpkg"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.stem


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())[:300]
