"""GTFS feeds read into GeoJSON, and the choice of feeds from transport.data.gouv.fr's API answer."""

import json
import zipfile

import pytest

from donnees_territoires.catalog import TerritoryFacts
from donnees_territoires.catalog.transport import NoFeedError, coverage_keys, select_feeds
from donnees_territoires.fetch.errors import FormatError
from donnees_territoires.fetch.gtfs import write_layer


def feed_zip(path, tables, folder=""):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            archive.writestr(f"{folder}{name}.txt", "\ufeff" + "\n".join(rows) + "\n")
    return path


TBM = {
    "agency": ["agency_id,agency_name,agency_url,agency_timezone", "TBM,TBM,https://www.infotbm.com,Europe/Paris"],
    "stops": ["stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station",
              "S1,Quinconces,44.8445,-0.5737,1,", "P1,Quinconces quai A,44.8446,-0.5736,0,S1",
              "N1,Noeud,44.8447,-0.5735,3,S1",  # a generic node: not a stop
              "X1,Sans lieu,,,0,",  # no coordinates
              'P2,"Gare Saint-Jean, parvis",44.8256,-0.5563,,'],
    "routes": ["route_id,agency_id,route_short_name,route_long_name,route_type,route_color",
               "A,TBM,A,Mérignac Centre - La Gardette,0,7C1D5E", "B,TBM,B,Berges de la Garonne - Pessac,0,DA0A2D"],
    "trips": ["route_id,service_id,trip_id,shape_id", "A,S,T1,SH_A", "A,S,T2,SH_A", "B,S,T3,"],
    "shapes": ["shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence",
               "SH_A,44.84,-0.60,3", "SH_A,44.83,-0.65,1", "SH_A,44.835,-0.62,2"],
}


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_stops_are_points_with_their_network(tmp_path):
    feed = feed_zip(tmp_path / "tbm.zip", TBM)
    assert write_layer([(feed, "TBM (Bordeaux Métropole)")], "stops", tmp_path / "stops.geojson") == 3
    stops = read(tmp_path / "stops.geojson")
    assert [(s["properties"]["stop_id"], s["properties"]["reseau"]) for s in stops] == [
        ("S1", "TBM (Bordeaux Métropole)"), ("P1", "TBM (Bordeaux Métropole)"), ("P2", "TBM (Bordeaux Métropole)")]
    assert stops[2]["geometry"] == {"type": "Point", "coordinates": [-0.5563, 44.8256]}
    assert stops[2]["properties"]["stop_name"] == "Gare Saint-Jean, parvis" and stops[1]["properties"][
        "parent_station"] == "S1"


def test_routes_are_a_table_with_the_agency_name(tmp_path):
    feed = feed_zip(tmp_path / "tbm.zip", TBM)
    write_layer([(feed, "TBM")], "routes", tmp_path / "routes.geojson")
    routes = read(tmp_path / "routes.geojson")
    assert [r["geometry"] for r in routes] == [None, None]
    wanted = {"route_short_name": "A", "agency_name": "TBM", "route_type": "0", "route_color": "7C1D5E",
              "reseau": "TBM"}
    assert {key: routes[0]["properties"][key] for key in wanted} == wanted


def test_shapes_are_lines_in_sequence_order_with_their_route(tmp_path):
    feed = feed_zip(tmp_path / "tbm.zip", TBM, folder="gtfs/")  # some producers zip a folder
    assert write_layer([(feed, "TBM")], "shapes", tmp_path / "shapes.geojson") == 1
    (shape,) = read(tmp_path / "shapes.geojson")
    assert shape["geometry"]["coordinates"] == [[-0.65, 44.83], [-0.62, 44.835], [-0.60, 44.84]]
    assert shape["properties"]["route_short_name"] == "A" and shape["properties"]["route_id"] == "A"


def test_a_feed_without_shapes_gives_no_line_and_several_feeds_are_merged(tmp_path):
    tables = dict(TBM)
    tables.pop("shapes")
    first = feed_zip(tmp_path / "a.zip", tables)
    second = feed_zip(tmp_path / "b.zip", TBM)
    assert write_layer([(first, "Réseau A"), (second, "Réseau B")], "shapes", tmp_path / "s.geojson") == 1
    assert write_layer([(first, "Réseau A"), (second, "Réseau B")], "stops", tmp_path / "p.geojson") == 6


def test_a_feed_missing_a_required_column_is_said_in_french(tmp_path):
    tables = dict(TBM, stops=["stop_id,stop_name", "S1,Quinconces"])
    feed = feed_zip(tmp_path / "bad.zip", tables)
    with pytest.raises(FormatError) as caught:
        write_layer([(feed, "TBM")], "stops", tmp_path / "stops.geojson")
    assert "stop_lat" in str(caught.value) and "TBM" in str(caught.value)
    assert not (tmp_path / "stops.geojson").exists()


def test_a_file_that_is_not_a_zip_is_said_in_french(tmp_path):
    (tmp_path / "page.zip").write_text("<html>", encoding="utf-8")
    with pytest.raises(FormatError, match="archive zip"):
        write_layer([(tmp_path / "page.zip", "TBM")], "stops", tmp_path / "stops.geojson")


# -- which feeds: transport.data.gouv.fr's answer ------------------------------------------------------------------
def dataset(title, areas, resources, kind="public-transit"):
    return {"id": title.lower(), "title": title, "type": kind, "covered_area": areas, "resources": resources}


def gtfs(url, **extra):
    return {"format": "GTFS", "url": url, "title": "GTFS", **extra}


API_ANSWER = [
    dataset("TBM", [{"type": "epci", "insee": "243300316", "nom": "Bordeaux Métropole"}],
            [gtfs("https://transport.data.gouv.fr/resources/1/download"),
             {"format": "gtfs-rt", "url": "https://bdx.mecatran.com/utw/ws/gtfsfeed/realtime/bordeaux"},
             {"format": "NeTEx", "url": "https://transport.data.gouv.fr/resources/2/download"}]),
    dataset("TER Nouvelle-Aquitaine", [{"type": "region", "insee": "75", "nom": "Nouvelle-Aquitaine"}],
            [gtfs("https://transport.data.gouv.fr/resources/3/download"),
             gtfs("https://transport.data.gouv.fr/resources/4/download", is_available=False)]),
    dataset("SNCF national", [{"type": "pays", "insee": "FR", "nom": "France"}],
            [gtfs("https://transport.data.gouv.fr/resources/5/download")]),
    dataset("Ilévia", [{"type": "epci", "insee": "200093201", "nom": "MEL"}],
            [gtfs("https://transport.data.gouv.fr/resources/6/download")]),
    dataset("Vélos Bordeaux", [{"type": "epci", "insee": "243300316", "nom": "Bordeaux Métropole"}],
            [gtfs("https://transport.data.gouv.fr/resources/7/download")], kind="vehicles-sharing"),
    # the answer's shape before September 2025: one covered area object
    dataset("Car régional ancien", {"type": "region", "insee": "75", "nom": "Nouvelle-Aquitaine"},
            [gtfs("https://transport.data.gouv.fr/resources/8/download")]),
]


def test_the_feeds_of_the_networks_covering_the_territory():
    keys = coverage_keys(TerritoryFacts.for_communes(["33063"], epci=("243300316",), regions=("75",)))
    assert keys == ("commune:33063", "epci:243300316", "departement:33", "region:75")
    feeds = select_feeds(API_ANSWER, keys)
    assert [(f.network, f.url.rsplit("/", 2)[1]) for f in feeds] == [
        ("TBM", "1"), ("TER Nouvelle-Aquitaine", "3"), ("Car régional ancien", "8")]


def test_a_territory_no_network_covers_is_said():
    with pytest.raises(NoFeedError) as caught:
        select_feeds(API_ANSWER, ("commune:97411", "departement:974"), label="Saint-Denis (97411)")
    assert "Saint-Denis (97411)" in str(caught.value) and "GTFS" in str(caught.value)
    with pytest.raises(NoFeedError):
        select_feeds({"error": "not a list"}, ("commune:33063",))
