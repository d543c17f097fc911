"""A GTFS feed (a zip of CSV tables) read into GeoJSON: its stops as points, its routes as a table, its shapes
as lines, each row naming the network it comes from.

The GTFS Schedule reference: stops.txt (stop_id, stop_name, stop_lat,
stop_lon, location_type, parent_station), routes.txt (route_id, agency_id, route_short_name, route_long_name,
route_type), agency.txt (agency_id, agency_name), trips.txt (route_id, trip_id, shape_id), shapes.txt (shape_id,
shape_pt_lat, shape_pt_lon, shape_pt_sequence). Files are UTF-8 (a BOM is allowed); optional files may be
absent, and so may optional columns.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..toolbelt.i18n import tr
from .errors import FormatError

#: the layers a feed gives: stops (points), routes (a table), shapes (lines)
GTFS_LAYERS = ("stops", "routes", "shapes")
#: location_type values kept as stops: stop or platform (0, empty), station (1), entrance or exit (2); generic
#: nodes (3) and boarding areas (4) are inner details of a station
STOP_TYPES = ("", "0", "1", "2")
STOP_COLUMNS = ("stop_id", "stop_code", "stop_name", "location_type", "parent_station", "wheelchair_boarding")
ROUTE_COLUMNS = ("route_id", "agency_id", "route_short_name", "route_long_name", "route_type", "route_color")


class Feed:
    """The tables of a GTFS zip, found at its root or in one folder (some producers zip a folder)."""

    def __init__(self, path: str | Path, label: str) -> None:
        self.path = Path(path)
        self.label = label
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as error:
            raise FormatError(tr("Le flux GTFS {label} n'est pas une archive zip lisible ({error}).").format(
                label=label, error=error), str(path)) from error
        self._names = {PurePosixPath(info.filename).name.lower(): info.filename
                       for info in self._zip.infolist() if not info.is_dir()}

    def close(self) -> None:
        self._zip.close()

    def has(self, table: str) -> bool:
        return f"{table}.txt" in self._names

    def rows(self, table: str, required: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
        """The rows of `table`.txt as dicts (stripped values); FormatError when a required column is missing."""
        name = self._names.get(f"{table}.txt")
        if name is None:
            if required:
                raise FormatError(tr("Le flux GTFS {label} n'a pas de fichier {table}.txt.").format(
                    label=self.label, table=table), str(self.path))
            return
        with self._zip.open(name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.DictReader(text)
            columns = [column.strip() for column in reader.fieldnames or []]
            absent = [column for column in required if column not in columns]
            if absent:
                raise FormatError(tr("Le fichier {table}.txt du flux GTFS {label} n'a pas les colonnes {columns}."
                                     ).format(table=table, label=self.label, columns=", ".join(absent)),
                                  str(self.path))
            reader.fieldnames = columns
            for row in reader:
                yield {key: (value or "").strip() for key, value in row.items() if key is not None}


def _coordinate(text: str, bound: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and -bound <= value <= bound else None


def stops(feed: Feed, network: str) -> Iterator[dict]:
    """Point features of the stops, stations and entrances with coordinates; `reseau` names the network."""
    for row in feed.rows("stops", ("stop_id", "stop_lat", "stop_lon")):
        if row.get("location_type", "") not in STOP_TYPES:
            continue
        lon, lat = _coordinate(row["stop_lon"], 180.0), _coordinate(row["stop_lat"], 90.0)
        if lon is None or lat is None or (lon == 0 and lat == 0):
            continue  # a stop without a place (GTFS allows it for generic nodes): nothing to map
        properties = {"reseau": network, **{column: row.get(column, "") for column in STOP_COLUMNS}}
        yield {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
               "properties": properties}


def _agencies(feed: Feed) -> dict[str, str]:
    names = {row.get("agency_id", ""): row.get("agency_name", "") for row in feed.rows("agency")}
    if len(names) == 1:  # the one agency may be referred to without its id
        names[""] = next(iter(names.values()))
    return names


def routes(feed: Feed, network: str) -> Iterator[dict]:
    """The routes as features without geometry, with their agency's name."""
    agencies = _agencies(feed)
    for row in feed.rows("routes", ("route_id", "route_type")):
        properties = {"reseau": network, **{column: row.get(column, "") for column in ROUTE_COLUMNS},
                      "agency_name": agencies.get(row.get("agency_id", ""), "")}
        yield {"type": "Feature", "geometry": None, "properties": properties}


def shapes(feed: Feed, network: str) -> Iterator[dict]:
    """One line per shape, its points in shape_pt_sequence order, with the route it draws (through trips)."""
    if not feed.has("shapes"):
        return
    route_of_shape: dict[str, str] = {}
    for row in feed.rows("trips", ("route_id", "trip_id")):
        if row.get("shape_id"):
            route_of_shape.setdefault(row["shape_id"], row["route_id"])
    route_rows = {row["route_id"]: row for row in feed.rows("routes", ("route_id", "route_type"))}
    points: dict[str, list[tuple[float, float, float]]] = {}
    for row in feed.rows("shapes", ("shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence")):
        lon, lat = _coordinate(row["shape_pt_lon"], 180.0), _coordinate(row["shape_pt_lat"], 90.0)
        sequence = _coordinate(row["shape_pt_sequence"], 1e12)
        if lon is None or lat is None or sequence is None:
            continue
        points.setdefault(row["shape_id"], []).append((sequence, lon, lat))
    for shape_id, sequence in points.items():
        if len(sequence) < 2:
            continue
        sequence.sort()
        route = route_rows.get(route_of_shape.get(shape_id, ""), {})
        properties = {"reseau": network, "shape_id": shape_id, "route_id": route.get("route_id", ""),
                      "route_short_name": route.get("route_short_name", ""),
                      "route_long_name": route.get("route_long_name", ""),
                      "route_type": route.get("route_type", ""), "route_color": route.get("route_color", "")}
        yield {"type": "Feature", "properties": properties,
               "geometry": {"type": "LineString", "coordinates": [[lon, lat] for _s, lon, lat in sequence]}}


READERS = {"stops": stops, "routes": routes, "shapes": shapes}


def write_layer(feeds: list[tuple[Path, str]], layer: str, dest: Path) -> int:
    """Write the `layer` of every feed ((zip path, network name)) into one GeoJSON file; its feature count."""
    if layer not in READERS:
        raise ValueError(f"couche GTFS inconnue : {layer}")
    count = 0
    temporary = dest.with_name(dest.name + ".part")
    with temporary.open("w", encoding="utf-8") as stream:
        stream.write(json.dumps({"type": "FeatureCollection", "name": layer})[:-1] + ', "features": [\n')
        for path, network in feeds:
            feed = Feed(path, network)
            try:
                for feature in READERS[layer](feed, network):
                    stream.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
                    count += 1
            finally:
                feed.close()
        stream.write("\n]}\n")
    temporary.replace(dest)
    return count
