"""Reading catalogs: JSON text in, valid datasets and the refused entries (with French reasons) out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Union

from ..__about__ import RESOURCES_DIR
from ..toolbelt.i18n import tr
from .model import CatalogSource, Dataset, LocalizedText, dataset_from_dict
from .schema import SchemaError, catalog_validator
from .styles import StyleRefusedError, builtin_style, resolve_style
from .templates import UNIT_PLACEHOLDERS, template_names, template_problems

BUILTIN_CATALOG = RESOURCES_DIR / "catalog" / "catalog.json"
MAX_CATALOG_BYTES = 5 * 1024 * 1024

#: the unit placeholder a file source must use, and the ones it must not
_FILE_KINDS = {
    "commune_file": ("code_insee", ()),
    "departement_file": ("code_dep", ("code_insee",)),
    "region_file": ("code_reg", ("code_insee", "code_dep")),
    "epci_file": ("siren_epci", ("code_insee", "code_dep")),
    "national_file": (None, UNIT_PLACEHOLDERS),
    # a paged JSON API asked commune by commune (Géorisques)
    "json_api": ("code_insee", ()),
}


@dataclass(frozen=True)
class Refusal:
    """A catalog or an entry that was not loaded, and why (a French sentence naming both)."""

    catalog: CatalogSource
    #: entry id (or « n° 3 » when it has none); "" when the whole catalog is refused
    entry: str
    #: fields at fault, dotted (source.url); empty when the catalog could not be read at all
    fields: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class CatalogDocument:
    """One catalog as read: its valid datasets, in order, and what was refused."""

    source: CatalogSource
    datasets: list[Dataset] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    name: Optional[LocalizedText] = None
    publisher: str = ""

    @property
    def refused_whole(self) -> bool:
        return any(not refusal.entry for refusal in self.refusals)


Data = Union[str, bytes]


def parse_catalog(data: Data, source: Union[CatalogSource, str]) -> CatalogDocument:
    """Read a catalog from its JSON text. Never raises for bad content: problems become refusals.

    `source` names the catalog in messages (a CatalogSource, or a path/URL as text) and is the
    base of relative style paths. An invalid entry is refused alone; the others load.
    """
    if isinstance(source, str):
        source = CatalogSource.from_location(source)
    document = CatalogDocument(source)
    if len(data) > MAX_CATALOG_BYTES:
        return _refuse(document, tr("Catalogue {catalog} refusé : il dépasse {limit} Mo.").format(
            catalog=source.label, limit=MAX_CATALOG_BYTES // (1024 * 1024)))
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        content = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        return _refuse(document, tr("Catalogue {catalog} refusé : le fichier n'est pas encodé en UTF-8.").format(
            catalog=source.label))
    except json.JSONDecodeError as error:
        return _refuse(document, tr("Catalogue {catalog} refusé : ce n'est pas du JSON valide (ligne {line}, "
                                    "colonne {column} : {error}).").format(
            catalog=source.label, line=error.lineno, column=error.colno, error=error.msg))
    except (ValueError, RecursionError):
        return _refuse(document, tr("Catalogue {catalog} refusé : ce n'est pas du JSON valide.").format(
            catalog=source.label))
    if not isinstance(content, dict):
        return _refuse(document, tr("Catalogue {catalog} refusé : le document doit être un objet JSON "
                                    "avec « format_version » et « datasets ».").format(catalog=source.label))

    validator = catalog_validator()
    envelope = dict(content, datasets=[]) if isinstance(content.get("datasets"), list) else content
    errors = validator.errors(envelope)
    if errors:
        return _refuse(document, tr("Catalogue {catalog} refusé : {problems}.").format(
            catalog=source.label, problems=" ; ".join(schema_problem(e) for e in errors)),
            tuple(e.field for e in errors))
    if "name" in content:
        document.name = LocalizedText(**content["name"])
    document.publisher = content.get("publisher", "")

    entry_schema = validator.subschema("#/$defs/dataset")
    seen: set[str] = set()
    for index, entry in enumerate(content["datasets"]):
        label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        if not isinstance(entry, dict):
            problems = [("", tr("l'entrée doit être un objet JSON"))]
        else:
            problems = [(e.field, schema_problem(e)) for e in validator.errors(entry, entry_schema)]
        if not problems:
            problems = _semantic_problems(entry)
        style = None
        if not problems:
            try:
                style = _style_for(entry, source)
            except StyleRefusedError as error:
                problems = [("style", str(error))]
        if not problems and entry["id"] in seen:
            problems = [("id", tr("identifiant déjà utilisé par une entrée précédente de ce catalogue"))]
        if problems:
            document.refusals.append(_entry_refusal(source, label, index, problems))
            continue
        seen.add(entry["id"])
        document.datasets.append(dataset_from_dict(entry, source, style))
    return document


def read_catalog_file(path: Union[str, Path]) -> CatalogDocument:
    """A catalog from a local file (its folder may hold the styles it names)."""
    source = CatalogSource.from_location(str(path))
    try:
        size = Path(path).stat().st_size
        if size > MAX_CATALOG_BYTES:
            return _refuse(CatalogDocument(source), tr("Catalogue {catalog} refusé : il dépasse {limit} Mo.").format(
                catalog=source.label, limit=MAX_CATALOG_BYTES // (1024 * 1024)))
        data = Path(path).read_bytes()
    except OSError as error:
        return _refuse(CatalogDocument(source), tr("Catalogue {catalog} illisible : {error}.").format(
            catalog=source.label, error=error.strerror or error))
    return parse_catalog(data, source)


def fetch_catalog(url: str, **fetch_kwargs: Any) -> CatalogDocument:
    """A catalog from an https URL, downloaded with the plugin's fetch() (QGIS network stack, cache).

    Runs in a task or an algorithm, never on the GUI thread. A download error becomes a
    refusal of the whole catalog; a cancel propagates.
    """
    source = CatalogSource.from_location(url)
    if not url.strip().lower().startswith("https://"):
        return _refuse(CatalogDocument(source), tr("Catalogue {catalog} refusé : seules les adresses https:// "
                                                   "sont acceptées.").format(catalog=source.label))
    from ..fetch import FetchCanceledError, FetchError, fetch

    try:
        result = fetch(url.strip(), **fetch_kwargs)
    except FetchCanceledError:
        raise
    except FetchError as error:
        return _refuse(CatalogDocument(source), tr("Catalogue {catalog} non téléchargé : {error}").format(
            catalog=source.label, error=error))
    if result.size > MAX_CATALOG_BYTES:
        return _refuse(CatalogDocument(source), tr("Catalogue {catalog} refusé : il dépasse {limit} Mo.").format(
            catalog=source.label, limit=MAX_CATALOG_BYTES // (1024 * 1024)))
    return parse_catalog(result.read_bytes(), source)


@lru_cache(maxsize=1)
def builtin_catalog() -> CatalogDocument:
    """The catalog shipped with the plugin (read once; treat it as read-only)."""
    source = CatalogSource.builtin(BUILTIN_CATALOG)
    try:
        data = BUILTIN_CATALOG.read_bytes()
    except OSError as error:
        return _refuse(CatalogDocument(source), tr("Catalogue {catalog} illisible : {error}.").format(
            catalog=source.label, error=error.strerror or error))
    return parse_catalog(data, source)


# -- checks the schema cannot express -------------------------------------------------------------
def _semantic_problems(entry: dict) -> list[tuple[str, str]]:
    source = entry["source"]
    kind = source["kind"]
    url = source.get("url", "")
    problems = [("source.url", tr("champ « {field} » : {problem}").format(field="source.url", problem=p))
                for p in template_problems(url)]
    if problems:
        return problems
    names = template_names(url)
    if kind in _FILE_KINDS:
        required, forbidden = _FILE_KINDS[kind]
        if required and required not in names:
            problems.append(("source.url", tr("champ « {field} » : une source « {kind} » demande la variable "
                                              "{placeholder} dans l'adresse").format(
                field="source.url", kind=kind, placeholder="{" + required + "}")))
        for name in forbidden:
            if name in names:
                problems.append(("source.url", tr("champ « {field} » : la variable {placeholder} ne convient pas "
                                                  "à une source « {kind} »").format(
                    field="source.url", kind=kind, placeholder="{" + name + "}")))
        if "layer" in names and not source.get("layer"):
            problems.append(("source.layer", tr("champ « {field} » manquant : l'adresse utilise {placeholder}").format(
                field="source.layer", placeholder="{layer}")))
    elif names:
        problems.append(("source.url", tr("champ « {field} » : l'adresse d'un service (« {kind} ») ne prend "
                                          "aucune variable").format(field="source.url", kind=kind)))
    return problems


def _style_for(entry: dict, source: CatalogSource):
    if "style" in entry:
        return resolve_style(entry["style"], source)
    # an entry without style, built-in or overriding one, gets the plugin's style for its id
    return builtin_style(entry["theme"], entry["id"])


# -- messages -------------------------------------------------------------------------------------
def _type_names(expected) -> str:
    labels = {"string": tr("un texte"), "integer": tr("un nombre entier"), "number": tr("un nombre"),
              "boolean": tr("true ou false"), "object": tr("un objet"), "array": tr("une liste"), "null": "null"}
    names = [expected] if isinstance(expected, str) else list(expected)
    return tr(" ou ").join(labels.get(name, name) for name in names)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def _pattern_hint(field_name: str) -> str:
    last = field_name.rsplit(".", 1)[-1]
    hints = {
        "id": tr("minuscules, chiffres et tirets"),
        "url": tr("une adresse http:// ou https:// est attendue"),
        "homepage": tr("une adresse http:// ou https:// est attendue"),
        "target_crs": tr("« legal » ou « EPSG:code » est attendu"),
        "crs": tr("« EPSG:code » est attendu"),
        "millesime": tr("« latest » ou une date AAAA-MM-JJ est attendue"),
        "typename": tr("« espace:couche » est attendu"),
    }
    if last.endswith("field") or last in ("sort_key", "lon_field", "lat_field") or "key_field" in field_name:
        return tr("un nom de champ (lettres, chiffres, _) est attendu")
    return hints.get(last, "")


def schema_problem(error: SchemaError) -> str:
    """One broken schema rule as a French phrase naming the field."""
    name = error.field or tr("(document)")
    keyword = error.keyword
    if keyword == "required":
        return tr("champ « {field} » manquant").format(field=name)
    if keyword == "additionalProperties":
        return tr("champ « {field} » inconnu").format(field=name)
    if keyword == "type":
        return tr("champ « {field} » : il faut {expected}").format(field=name, expected=_type_names(error.expected))
    if keyword == "enum":
        return tr("champ « {field} » : valeur « {value} » non permise (valeurs permises : {allowed})").format(
            field=name, value=_shown(error.value), allowed=", ".join(_shown(v) for v in error.expected))
    if keyword == "const":
        return tr("champ « {field} » : valeur « {value} » non permise (attendu : {allowed})").format(
            field=name, value=_shown(error.value), allowed=_shown(error.expected))
    if keyword == "pattern":
        hint = _pattern_hint(name)
        if hint:
            return tr("champ « {field} » : valeur « {value} » mal formée ({hint})").format(
                field=name, value=_shown(error.value), hint=hint)
        return tr("champ « {field} » : valeur « {value} » mal formée").format(field=name, value=_shown(error.value))
    if keyword in ("minLength", "minProperties") and not error.value:
        return tr("champ « {field} » vide").format(field=name)
    if keyword == "minLength":
        return tr("champ « {field} » trop court (au moins {limit} caractères)").format(field=name, limit=error.expected)
    if keyword == "maxLength":
        return tr("champ « {field} » trop long (au plus {limit} caractères)").format(field=name, limit=error.expected)
    if keyword == "minimum":
        return tr("champ « {field} » : {value} est inférieur au minimum {limit}").format(
            field=name, value=error.value, limit=error.expected)
    if keyword == "maximum":
        return tr("champ « {field} » : {value} est supérieur au maximum {limit}").format(
            field=name, value=error.value, limit=error.expected)
    if keyword == "minItems":
        return tr("liste « {field} » trop courte (au moins {limit} éléments)").format(field=name, limit=error.expected)
    if keyword == "maxItems":
        return tr("liste « {field} » trop longue (au plus {limit} éléments)").format(field=name, limit=error.expected)
    if keyword == "uniqueItems":
        return tr("liste « {field} » : « {value} » en double").format(field=name, value=_shown(error.value))
    return tr("champ « {field} » non valide").format(field=name)


def _entry_refusal(source: CatalogSource, label: Optional[str], index: int,
                   problems: list[tuple[str, str]]) -> Refusal:
    text = " ; ".join(problem for _, problem in problems)
    if label:
        message = tr("Entrée « {entry} » du catalogue {catalog} : {problems}.").format(
            entry=label, catalog=source.label, problems=text)
    else:
        label = tr("n° {number}").format(number=index + 1)
        message = tr("Entrée n° {number} du catalogue {catalog} : {problems}.").format(
            number=index + 1, catalog=source.label, problems=text)
    return Refusal(source, label, tuple(dict.fromkeys(f for f, _ in problems if f)), message)


def _refuse(document: CatalogDocument, message: str, fields: tuple[str, ...] = ()) -> CatalogDocument:
    document.refusals.append(Refusal(document.source, "", fields, message))
    return document


def _refuse_constant(name: str):
    raise ValueError(f"constante JSON non standard : {name}")
