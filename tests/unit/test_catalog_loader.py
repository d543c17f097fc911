"""User and organisation catalogs: override by id, extend, refuse bad entries alone, never run code."""

import copy
import json
import os

import pytest

from donnees_territoires.catalog import Catalog, CatalogSource, builtin_catalog, parse_catalog, read_catalog_file
from donnees_territoires.catalog.loader import fetch_catalog
from donnees_territoires.catalog.styles import STYLES_DIR


def ban_override():
    entry = copy.deepcopy(next(d.raw for d in builtin_catalog().datasets if d.id == "ban-adresses"))
    entry["source"]["url"] = "https://miroir.exemple.fr/ban/adresses-{code_dep}.csv.gz"
    entry["producer"] = "Miroir départemental de la BAN"
    return entry


def new_entry(**changes):
    entry = {
        "id": "pcrs-gironde",
        "title": {"fr": "Plan corps de rue simplifié", "en": "Simplified street plan"},
        "description": {"fr": "PCRS vecteur du département.", "en": "Vector PCRS of the département."},
        "theme": "urbanisme",
        "producer": "Département de la Gironde",
        "licence": {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
        "homepage": "https://opendata.exemple.fr/pcrs",
        "update_frequency": "annual",
        "source": {"kind": "departement_file", "url": "https://opendata.exemple.fr/pcrs/pcrs-{code_dep}.gpkg"},
        "format": {"type": "gpkg", "layer_name": "pcrs", "geometry_type": "line"},
        "cut": {"rule": "clip"},
        "key_field": "gid",
    }
    entry.update(changes)
    return entry


def catalog_text(*entries, **envelope):
    return json.dumps(dict({"format_version": 1, "datasets": list(entries)}, **envelope), ensure_ascii=False)


def write_catalog(folder, *entries, name="catalogue.json"):
    path = folder / name
    path.write_text(catalog_text(*entries), encoding="utf-8")
    return path


def test_builtin_catalog_loads_without_refusal():
    document = builtin_catalog()
    assert document.refusals == []
    assert len(document.datasets) >= 25
    assert all(d.origin.is_builtin for d in document.datasets)


def test_user_catalog_overrides_by_id_and_adds_entries(tmp_path):
    path = write_catalog(tmp_path, ban_override(), new_entry())
    catalog = Catalog.load([path])
    ban = catalog["ban-adresses"]
    assert ban.producer == "Miroir départemental de la BAN"
    assert ban.origin == CatalogSource(str(path), "file", str(path))
    assert ban.overrides is not None and ban.overrides.is_builtin
    # no style given: the override keeps the plugin's style for this id
    assert ban.style.path == STYLES_DIR / "adresses" / "ban-adresses.qml"
    added = catalog["pcrs-gironde"]
    assert added.origin.location == str(path) and added.overrides is None and added.style is None
    assert catalog["cadastre-parcelles"].origin.is_builtin
    assert len(catalog) == len(builtin_catalog().datasets) + 1
    assert catalog.refusals == []
    # the override keeps the built-in place in the order
    assert catalog.ids().index("ban-adresses") == [d.id for d in builtin_catalog().datasets].index("ban-adresses")


def test_later_catalogs_win(tmp_path):
    first = write_catalog(tmp_path, new_entry(producer="Premier"), name="a.json")
    second = write_catalog(tmp_path, new_entry(producer="Second"), name="b.json")
    dataset = Catalog.load([first, second], builtin=False)["pcrs-gironde"]
    assert dataset.producer == "Second" and dataset.overrides.location == str(first)


def test_an_invalid_entry_is_refused_alone_with_the_catalog_entry_and_field(tmp_path):
    broken = copy.deepcopy(next(d.raw for d in builtin_catalog().datasets if d.id == "cadastre-parcelles"))
    del broken["source"]["url"]
    path = write_catalog(tmp_path, broken, new_entry())
    catalog = Catalog.load([path])
    (refusal,) = catalog.refusals
    assert refusal.message == (f"Entrée « cadastre-parcelles » du catalogue {path} : "
                               "champ « source.url » manquant.")
    assert refusal.entry == "cadastre-parcelles" and refusal.fields == ("source.url",)
    assert "pcrs-gironde" in catalog  # the valid entry of the same catalog loads
    assert catalog["cadastre-parcelles"].origin.is_builtin  # the built-in entry stays


def test_every_problem_of_an_entry_is_named(tmp_path):
    entry = new_entry(theme="meteo", update_frequency="parfois")
    entry["format"]["type"] = "csv"
    entry["format"]["geometry_type"] = "point"  # a point CSV names its coordinates
    document = parse_catalog(catalog_text(entry), str(tmp_path / "c.json"))
    (refusal,) = document.refusals
    assert refusal.fields == ("theme", "update_frequency", "format.lon_field", "format.lat_field")
    assert "champ « theme » : valeur « meteo » non permise (valeurs permises : contours, cadastre" in refusal.message
    assert "champ « format.lon_field » manquant" in refusal.message


def test_an_entry_without_id_is_named_by_its_position(tmp_path):
    entry = new_entry()
    del entry["id"]
    (refusal,) = parse_catalog(catalog_text(new_entry(id="ok"), entry), "orga.json").refusals
    assert refusal.message.startswith("Entrée n° 2 du catalogue orga.json : champ « id » manquant")


def test_duplicate_ids_in_one_catalog_keep_the_first(tmp_path):
    document = parse_catalog(catalog_text(new_entry(producer="A"), new_entry(producer="B")), "c.json")
    assert [d.producer for d in document.datasets] == ["A"]
    assert "identifiant déjà utilisé" in document.refusals[0].message


@pytest.mark.parametrize("style", [
    "../../../etc/passwd", "/etc/passwd", "file:///etc/passwd", "styles/../../x.qml", "..\\x.qml",
    "C:/Windows/x.qml", "~/x.qml", "styles/x.py", "", "http://exemple.fr/x.qml", "https:///x.qml",
])
def test_styles_cannot_escape_the_catalog_folder(tmp_path, style):
    path = write_catalog(tmp_path, new_entry(style=style))
    (refusal,) = read_catalog_file(path).refusals
    assert refusal.fields == ("style",)
    assert refusal.message.startswith(f"Entrée « pcrs-gironde » du catalogue {path} : ")


def test_a_style_next_to_the_catalog_or_on_https_is_accepted(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "pcrs.qml").write_text("<qgis/>", encoding="utf-8")
    path = write_catalog(tmp_path, new_entry(style="styles/pcrs.qml"),
                         new_entry(id="other", style="https://styles.exemple.fr/pcrs.qml"))
    first, second = read_catalog_file(path).datasets
    assert first.style.path == (tmp_path / "styles" / "pcrs.qml").resolve()
    assert second.style.url == "https://styles.exemple.fr/pcrs.qml"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.qml"
    outside.write_text("<qgis/>", encoding="utf-8")
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "pcrs.qml").symlink_to(outside)
    (refusal,) = read_catalog_file(write_catalog(folder, new_entry(style="pcrs.qml"))).refusals
    assert refusal.fields == ("style",)


def test_relative_styles_of_a_url_catalog_stay_in_its_folder():
    document = parse_catalog(catalog_text(new_entry(style="styles/pcrs.qml")),
                             CatalogSource.from_location("https://sig.exemple.fr/catalogues/orga.json"))
    assert document.datasets[0].style.url == "https://sig.exemple.fr/catalogues/styles/pcrs.qml"
    refused = parse_catalog(catalog_text(new_entry(style="../pcrs.qml")),
                            CatalogSource.from_location("https://sig.exemple.fr/catalogues/orga.json"))
    assert refused.refusals[0].fields == ("style",)


@pytest.mark.parametrize("url, field", [
    ("https://exemple.fr/{__import__}.csv", "source.url"),
    ("https://exemple.fr/{code_dep.__class__.__mro__}.csv", "source.url"),
    ("https://exemple.fr/national.csv", "source.url"),  # a departement_file needs {code_dep}
    ("file:///etc/passwd", "source.url"),
    ("https://exemple.fr/{code_insee}.csv", "source.url"),  # {code_insee} is for commune files
])
def test_templates_fill_only_whitelisted_placeholders(url, field):
    entry = new_entry()
    entry["source"]["url"] = url
    (refusal,) = parse_catalog(catalog_text(entry), "c.json").refusals
    assert refusal.fields == (field,)


def test_unknown_placeholder_message_names_it():
    entry = new_entry()
    entry["source"]["url"] = "https://exemple.fr/{__import__}/{code_dep}.csv"
    (refusal,) = parse_catalog(catalog_text(entry), "c.json").refusals
    assert "champ « source.url » : variable « {__import__} » inconnue" in refusal.message


def test_services_take_no_placeholder():
    entry = copy.deepcopy(next(d.raw for d in builtin_catalog().datasets if d.id == "bdtopo-batiments"))
    entry["source"]["url"] = "https://data.geopf.fr/{code_dep}/wfs"
    (refusal,) = parse_catalog(catalog_text(entry), "c.json").refusals
    assert refusal.fields == ("source.url",)


def test_a_catalog_is_data_no_field_runs_code():
    entry = new_entry()
    entry["source"]["python"] = "__import__('os').system('rm -rf /')"
    entry["__class__"] = "x"
    (refusal,) = parse_catalog(catalog_text(entry), "c.json").refusals
    assert set(refusal.fields) == {"source.python", "__class__"}


@pytest.mark.parametrize("text, expected", [
    ("{", "ce n'est pas du JSON valide (ligne 1"),
    ("[]", "le document doit être un objet JSON"),
    ('{"datasets": []}', "champ « format_version » manquant"),
    ('{"format_version": 2, "datasets": []}', "champ « format_version » : valeur « 2 » non permise"),
    ('{"format_version": 1, "datasets": [], "macros": "x"}', "champ « macros » inconnu"),
    ('{"format_version": 1, "datasets": {}}', "champ « datasets » : il faut une liste"),
    ('{"format_version": 1, "datasets": [NaN]}', "ce n'est pas du JSON valide"),
    (b"\xff\xfe{", "n'est pas encodé en UTF-8"),
])
def test_a_broken_catalog_is_refused_whole_without_exception(text, expected):
    document = parse_catalog(text, "orga.json")
    assert document.datasets == [] and document.refused_whole
    assert document.refusals[0].message.startswith("Catalogue orga.json refusé : ")
    assert expected in document.refusals[0].message


def test_an_unreadable_file_is_a_refusal(tmp_path):
    document = read_catalog_file(tmp_path / "absent.json")
    assert document.refused_whole and str(tmp_path / "absent.json") in str(document.refusals[0])


def test_catalogs_from_urls_must_be_https_and_go_through_the_given_fetcher(tmp_path):
    assert "seules les adresses https://" in str(fetch_catalog("http://sig.exemple.fr/c.json").refusals[0])
    asked = []

    def fetch_url(url):
        asked.append(url)
        return parse_catalog(catalog_text(new_entry()), CatalogSource.from_location(url))

    catalog = Catalog.load(["https://sig.exemple.fr/c.json", "http://sig.exemple.fr/clair.json"], fetch_url=fetch_url)
    assert asked == ["https://sig.exemple.fr/c.json"]
    assert catalog["pcrs-gironde"].origin.kind == "url"
    assert [r.message for r in catalog.refusals] == [
        "Catalogue http://sig.exemple.fr/clair.json refusé : seules les adresses https:// sont acceptées."]


def test_entries_keep_what_was_written(tmp_path):
    entry = new_entry(keywords=["PCRS"], verified=False, notes="à vérifier")
    dataset = parse_catalog(catalog_text(entry), "c.json").datasets[0]
    assert dataset.raw == entry
    assert dataset.keywords == ("PCRS",) and dataset.verified is False and dataset.key_fields == ("gid",)
    assert dataset.format.layer_name == "pcrs" and dataset.format.geometry_type == "line"
