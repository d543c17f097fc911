"""The catalog schema and the validator shipped instead of jsonschema: same verdicts, French messages."""

import copy
import json

import pytest

from donnees_territoires.catalog import SchemaValidator, catalog_schema
from donnees_territoires.catalog.loader import BUILTIN_CATALOG, schema_problem
from donnees_territoires.catalog.schema import UnsupportedSchemaError, catalog_validator


def builtin_json():
    return json.loads(BUILTIN_CATALOG.read_text(encoding="utf-8"))


def test_builtin_catalog_is_valid_for_the_shipped_validator():
    assert catalog_validator().errors(builtin_json()) == []


def test_builtin_catalog_is_valid_for_jsonschema_too():
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(catalog_schema())
    errors = [e.message for e in jsonschema.Draft202012Validator(catalog_schema()).iter_errors(builtin_json())]
    assert errors == []


def test_the_schema_uses_only_keywords_the_validator_checks():
    schema = copy.deepcopy(catalog_schema())
    SchemaValidator(schema)  # does not raise
    schema["$defs"]["dataset"]["properties"]["id"]["format"] = "uri"
    with pytest.raises(UnsupportedSchemaError, match="format"):
        SchemaValidator(schema)


def _entry():
    return copy.deepcopy(builtin_json()["datasets"][0])


BROKEN_ENTRIES = {
    "missing source.url": lambda e: e["source"].pop("url"),
    "unknown theme": lambda e: e.update(theme="meteo"),
    "unknown field": lambda e: e.update(licence_name="x"),
    "id with capitals": lambda e: e.update(id="Admin"),
    "title without English": lambda e: e["title"].pop("en"),
    "boolean as gzip string": lambda e: e["format"].update(gzip="yes"),
    "attribute cut without field": lambda e: e["cut"].pop("field"),
    "point csv without coordinates": lambda e: e["format"].update(type="csv", geometry_type="point"),
    "unknown separator": lambda e: e["format"].update(type="csv", separator=":"),
    "resource id not a uuid": lambda e: e["source"].update(kind="datagouv", dataset="x", resource={"id": "pvd"}),
    "partition without a placeholder": lambda e: e["source"].update(partitions=["DU_33063"]),
    "split département not one": lambda e: e["source"].update(split_departements=["750"]),
    "documentation without url": lambda e: e.update(documentation=[{"title": "page"}]),
    "fallback without url": lambda e: e["source"].update(fallback={"gzip": True}),
    "wfs without typename": lambda e: e["source"].pop("typename"),
    "wmts with a geometry format": lambda e: e["source"].update(kind="wmts", layer="X"),
    "http url": lambda e: e.update(homepage="ftp://example.org"),
    "years out of range": lambda e: e["source"].update(years=[1800]),
    "duplicate years": lambda e: e["source"].update(years=[2020, 2020]),
    "empty resource selector": lambda e: e["source"].update(kind="datagouv", dataset="x", resource={}),
    "target crs": lambda e: e.update(target_crs="Lambert 93"),
    "key field with a space": lambda e: e.update(key_field=["id mutation"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN_ENTRIES))
def test_validator_and_jsonschema_agree_on_broken_entries(case):
    entry = _entry()
    BROKEN_ENTRIES[case](entry)
    validator = catalog_validator()
    mine = validator.errors(entry, validator.subschema("#/$defs/dataset"))
    assert mine, case
    jsonschema = pytest.importorskip("jsonschema")
    document = {"format_version": 1, "datasets": [entry]}
    assert list(jsonschema.Draft202012Validator(catalog_schema()).iter_errors(document)), case


def test_a_valid_entry_passes_both():
    entry = _entry()
    validator = catalog_validator()
    assert validator.errors(entry, validator.subschema("#/$defs/dataset")) == []


def test_one_type_error_gives_one_message():
    validator = SchemaValidator({"type": "object", "properties": {"n": {"type": "integer", "minimum": 3}}})
    errors = validator.errors({"n": "deux"})
    assert [(e.field, e.keyword) for e in errors] == [("n", "type")]
    assert schema_problem(errors[0]) == "champ « n » : il faut un nombre entier"


def test_json_types_are_strict():
    validator = SchemaValidator({"type": "integer"})
    assert not validator.is_valid(True)
    assert validator.is_valid(2020)
    assert validator.is_valid(2020.0)
    assert not SchemaValidator({"const": 1}).is_valid(True)
    assert not SchemaValidator({"enum": [False]}).is_valid(0)


def test_if_then_else_and_refs():
    validator = SchemaValidator({
        "$defs": {"kind": {"enum": ["a", "b"]}},
        "type": "object",
        "properties": {"kind": {"$ref": "#/$defs/kind"}},
        "if": {"required": ["kind"], "properties": {"kind": {"const": "a"}}},
        "then": {"required": ["url"]},
        "else": {"required": ["name"]},
    })
    assert [e.field for e in validator.errors({"kind": "a"})] == ["url"]
    assert [e.field for e in validator.errors({"kind": "b"})] == ["name"]
    assert [e.keyword for e in validator.errors({"kind": "c", "name": "x"})] == ["enum"]


def test_paths_name_nested_fields_and_list_items():
    validator = SchemaValidator({"type": "object", "properties": {
        "source": {"type": "object", "required": ["url"], "additionalProperties": False,
                   "properties": {"url": {"type": "string"}}},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1}}}})
    errors = validator.errors({"source": {"ulr": "x"}, "keywords": ["a", ""]})
    assert [(e.field, e.keyword) for e in errors] == [
        ("source.url", "required"), ("source.ulr", "additionalProperties"), ("keywords[1]", "minLength")]
    assert [schema_problem(e) for e in errors] == [
        "champ « source.url » manquant", "champ « source.ulr » inconnu", "champ « keywords[1] » vide"]
