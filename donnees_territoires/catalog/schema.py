"""The catalog's JSON Schema and a small validator for the keywords it uses (no jsonschema at run time)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from ..__about__ import RESOURCES_DIR

SCHEMA_PATH = RESOURCES_DIR / "catalog" / "catalog.schema.json"

#: keywords that only describe: accepted anywhere, never checked
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default", "examples"})
#: keywords this validator checks. The schema may use nothing else: SchemaValidator refuses it,
#: so the schema cannot silently outgrow the validator the plugin ships.
ASSERTIONS = frozenset({
    "$defs", "$ref", "type", "properties", "required", "additionalProperties", "minProperties",
    "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "items", "minItems", "maxItems", "uniqueItems", "allOf", "if", "then", "else",
})

PathPart = Union[str, int]


@dataclass(frozen=True)
class SchemaError:
    """One broken rule: where (path in the instance), which keyword, and the values a message needs."""

    path: tuple[PathPart, ...]
    keyword: str
    value: Any = None
    expected: Any = None

    @property
    def field(self) -> str:
        """Dotted path as a catalog author writes it: source.url, keywords[2]."""
        return format_path(self.path)


def format_path(path: tuple[PathPart, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword this validator does not check."""


class SchemaValidator:
    """Validate JSON values against a draft 2020-12 schema restricted to ASSERTIONS.

    Local `$ref` only (`#/$defs/name`). A value of the wrong type reports that one error and
    skips the other keywords of the same schema, so one mistake gives one message.
    """

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        unsupported = sorted(set(_keywords(schema)) - ANNOTATIONS - ASSERTIONS)
        if unsupported:
            raise UnsupportedSchemaError(f"mots-clés de schéma non pris en charge : {', '.join(unsupported)}")
        self._patterns: dict[str, re.Pattern] = {}

    def subschema(self, ref: str) -> dict:
        """The schema at a local reference such as `#/$defs/dataset`."""
        if not ref.startswith("#"):
            raise UnsupportedSchemaError(f"référence non locale : {ref}")
        node: Any = self.schema
        for token in filter(None, ref[1:].split("/")):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def errors(self, instance: Any, schema: dict | None = None,
               path: tuple[PathPart, ...] = ()) -> list[SchemaError]:
        return list(self._iter_errors(instance, self.schema if schema is None else schema, path))

    def is_valid(self, instance: Any, schema: dict | None = None) -> bool:
        return next(self._iter_errors(instance, self.schema if schema is None else schema, ()), None) is None

    # -- the keywords ---------------------------------------------------------------------------
    def _iter_errors(self, value: Any, schema: Any, path: tuple[PathPart, ...]) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            yield SchemaError(path, "false")
            return
        if "$ref" in schema:
            yield from self._iter_errors(value, self.subschema(schema["$ref"]), path)
        if "type" in schema and not _has_type(value, schema["type"]):
            yield SchemaError(path, "type", value, schema["type"])
            return
        if "const" in schema and not _json_equal(value, schema["const"]):
            yield SchemaError(path, "const", value, schema["const"])
        if "enum" in schema and not any(_json_equal(value, option) for option in schema["enum"]):
            yield SchemaError(path, "enum", value, schema["enum"])
        if isinstance(value, str):
            yield from self._string(value, schema, path)
        elif _is_number(value):
            if "minimum" in schema and value < schema["minimum"]:
                yield SchemaError(path, "minimum", value, schema["minimum"])
            if "maximum" in schema and value > schema["maximum"]:
                yield SchemaError(path, "maximum", value, schema["maximum"])
        elif isinstance(value, list):
            yield from self._array(value, schema, path)
        elif isinstance(value, dict):
            yield from self._object(value, schema, path)
        for sub in schema.get("allOf", ()):
            yield from self._iter_errors(value, sub, path)
        if "if" in schema:
            if self.is_valid(value, schema["if"]):
                if "then" in schema:
                    yield from self._iter_errors(value, schema["then"], path)
            elif "else" in schema:
                yield from self._iter_errors(value, schema["else"], path)

    def _string(self, value: str, schema: dict, path) -> Iterator[SchemaError]:
        if "minLength" in schema and len(value) < schema["minLength"]:
            yield SchemaError(path, "minLength", value, schema["minLength"])
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield SchemaError(path, "maxLength", value, schema["maxLength"])
        if "pattern" in schema:
            pattern = self._patterns.get(schema["pattern"])
            if pattern is None:
                pattern = self._patterns[schema["pattern"]] = re.compile(schema["pattern"])
            if not pattern.search(value):
                yield SchemaError(path, "pattern", value, schema["pattern"])

    def _array(self, value: list, schema: dict, path) -> Iterator[SchemaError]:
        if "minItems" in schema and len(value) < schema["minItems"]:
            yield SchemaError(path, "minItems", len(value), schema["minItems"])
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield SchemaError(path, "maxItems", len(value), schema["maxItems"])
        if schema.get("uniqueItems"):
            seen: list = []
            for item in value:
                if any(_json_equal(item, other) for other in seen):
                    yield SchemaError(path, "uniqueItems", item)
                    break
                seen.append(item)
        if "items" in schema:
            for index, item in enumerate(value):
                yield from self._iter_errors(item, schema["items"], path + (index,))

    def _object(self, value: dict, schema: dict, path) -> Iterator[SchemaError]:
        for name in schema.get("required", ()):
            if name not in value:
                yield SchemaError(path + (name,), "required")
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            yield SchemaError(path, "minProperties", len(value), schema["minProperties"])
        properties = schema.get("properties", {})
        for name, sub in properties.items():
            if name in value:
                yield from self._iter_errors(value[name], sub, path + (name,))
        extra = schema.get("additionalProperties", True)
        if extra is not True:
            for name in value:
                if name in properties:
                    continue
                if extra is False:
                    yield SchemaError(path + (name,), "additionalProperties", name)
                else:
                    yield from self._iter_errors(value[name], extra, path + (name,))


def _keywords(schema: Any) -> Iterator[str]:
    """Every keyword used in a schema, recursively (property names are data, not keywords)."""
    if not isinstance(schema, dict):
        return
    for key, sub in schema.items():
        yield key
        if key in ("properties", "$defs"):
            for child in sub.values():
                yield from _keywords(child)
        elif key in ("allOf",):
            for child in sub:
                yield from _keywords(child)
        elif key in ("items", "additionalProperties", "if", "then", "else"):
            yield from _keywords(sub)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and math.isfinite(v) and v.is_integer()),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _has_type(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    return any(_TYPE_CHECKS[name](value) for name in names)


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON means it: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return a == b


@lru_cache(maxsize=1)
def catalog_schema() -> dict:
    """The schema shipped in resources/catalog/, read once."""
    return json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def catalog_validator() -> SchemaValidator:
    return SchemaValidator(catalog_schema())
