"""Output choice (temporary layers, GeoPackage, PostGIS, CRS) and the selection memory in QgsSettings."""

import uuid

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProviderRegistry, QgsSettings

from donnees_territoires.gui import selection_memory
from donnees_territoires.gui.wdg_output import OutputChoice
from donnees_territoires.package import GeoPackage, Memory, PostgisSchema


@pytest.fixture
def output(qgis_app):
    widget = OutputChoice()
    widget.show()
    yield widget
    widget.hide()
    widget.deleteLater()


@pytest.fixture
def pg_connection(qgis_app):
    """A saved PostgreSQL connection (never opened), removed afterwards."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    name = f"dt-test-{uuid.uuid4().hex[:8]}"
    connection = metadata.createConnection("dbname='territoires' host=127.0.0.1 port=5432", {})
    metadata.saveConnection(connection, name)
    yield name
    metadata.deleteConnection(name)


def count_changes(widget):
    calls = []
    widget.changed.connect(lambda: calls.append(1))
    return calls


def test_temporary_layers_by_default(output):
    assert output.destination().to_dict() == {"kind": "memory"}
    assert output.validate() is None
    assert output.crs() is None
    assert output.load_results() is True
    assert not output.load_check.isEnabled()  # temporary layers are always loaded
    assert not output.gpkg_panel.isVisibleTo(output) and not output.postgis_panel.isVisibleTo(output)


def test_geopackage_needs_a_file_in_an_existing_folder(output, tmp_path):
    changes = count_changes(output)
    output.gpkg_radio.setChecked(True)
    assert changes == [1]
    assert output.gpkg_panel.isVisibleTo(output)
    assert output.destination().to_dict() == {"kind": "gpkg", "path": ""}
    assert output.validate() == "Choisissez le fichier GeoPackage où écrire les données."
    output.file_widget.setFilePath(str(tmp_path / "absent" / "bordeaux.gpkg"))
    assert "n'existe pas" in output.validate() and "absent" in output.validate()
    output.file_widget.setFilePath(str(tmp_path / "bordeaux"))
    assert output.destination().to_dict() == {"kind": "gpkg", "path": str(tmp_path / "bordeaux.gpkg")}
    assert output.validate() is None
    output.file_widget.setFilePath(str(tmp_path / "bordeaux.shp"))
    assert "n'est pas un GeoPackage" in output.validate()
    output.file_widget.setFilePath(str(tmp_path / "bordeaux.gpkg"))
    assert output.validate() is None
    assert changes[-1] == 1 and len(changes) >= 4
    output.load_check.setChecked(False)
    assert output.load_results() is False


def test_postgis_without_saved_connection(output):
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    if metadata.connections():
        pytest.skip("this profile has saved PostgreSQL connections")
    output.postgis_radio.setChecked(True)
    assert "Aucune connexion PostgreSQL" in output.validate()
    assert output.no_connection_label.isVisibleTo(output)


def test_postgis_needs_a_connection_and_a_schema(pg_connection):
    output = OutputChoice()
    output.set_destination({"kind": "postgis", "connection": pg_connection, "schema": ""})
    assert output.kind() == "postgis"
    assert output.destination().to_dict() == {"kind": "postgis", "connection": pg_connection, "schema": ""}
    assert "schéma PostgreSQL" in output.validate()
    output.schema_edit.setText(" territoires_33 ")
    assert output.destination() == PostgisSchema(pg_connection, "territoires_33")
    assert output.validate() is None
    output.schema_edit.setText('mauvais"nom')
    assert "nom de schéma" in output.validate()
    output.deleteLater()


def test_crs_empty_means_the_legal_projection(output):
    assert output.crs() is None
    output.set_crs("EPSG:3857")
    assert output.crs().authid() == "EPSG:3857"
    output.set_crs(QgsCoordinateReferenceSystem("EPSG:2154"))
    assert output.crs().authid() == "EPSG:2154"
    output.set_crs(None)
    assert output.crs() is None


def test_set_destination_round_trips(output, tmp_path):
    path = str(tmp_path / "paquet.gpkg")
    output.set_destination({"kind": "gpkg", "path": path})
    assert output.destination().to_dict() == {"kind": "gpkg", "path": path}
    output.set_load_results(False)
    output.set_destination({"kind": "memory"})
    assert output.destination().to_dict() == {"kind": "memory"} and output.load_results() is True
    output.set_destination({"kind": "gpkg", "path": path})
    assert output.load_results() is False  # the user's choice comes back with the GeoPackage


# -- selection memory -------------------------------------------------------------------------------
@pytest.fixture
def memory_group(monkeypatch):
    group = f"donnees_territoires_tests/{uuid.uuid4().hex}"
    monkeypatch.setattr(selection_memory, "SETTINGS_GROUP", group)
    yield group
    QgsSettings().remove("donnees_territoires_tests")


def test_recent_territories_most_recent_first_deduplicated_at_most_ten(memory_group):
    assert selection_memory.recent() == []
    selection_memory.push_recent("commune:33063")
    selection_memory.push_recent("epci:243300316")
    selection_memory.push_recent("commune:33063")
    assert selection_memory.recent() == ["commune:33063", "epci:243300316"]
    for code in range(1, 13):
        selection_memory.push_recent(f"departement:{code:02d}")
    recent = selection_memory.recent()
    assert len(recent) == selection_memory.MAX_RECENT == 10
    assert recent[0] == "departement:12" and "commune:33063" not in recent
    selection_memory.clear_recent()
    assert selection_memory.recent() == []


def test_the_last_selection_round_trips_through_qgssettings(memory_group, tmp_path):
    assert selection_memory.load_selection() == selection_memory.DEFAULT_SELECTION
    selection = {
        "references": ["epci:243300316", "commune:33063"],
        "vintage": 2025,
        "buffer_m": 250.0,
        "dataset_ids": ["cadastre-parcelles", "ban-adresses"],
        "output": GeoPackage(str(tmp_path / "bordeaux.gpkg")),
        "crs": "EPSG:2154",
        "load_results": False,
    }
    selection_memory.save_selection(selection)
    assert QgsSettings().value(f"{memory_group}/last/vintage") in (2025, "2025")
    assert selection_memory.load_selection() == selection
    one = {**selection, "references": ["commune:33063"], "dataset_ids": ["ban-adresses"], "vintage": None,
           "output": PostgisSchema("sig", "ref")}
    selection_memory.save_selection(one)
    assert selection_memory.load_selection() == one
    selection_memory.forget()
    assert selection_memory.load_selection() == selection_memory.DEFAULT_SELECTION


def test_defaults_are_not_shared_between_calls(memory_group):
    first = selection_memory.load_selection()
    first["references"].append("commune:33063")
    first["dataset_ids"].append("ban-adresses")
    assert first["output"] == Memory()  # a Destination is immutable: nothing to share by mistake
    assert selection_memory.load_selection() == selection_memory.DEFAULT_SELECTION
