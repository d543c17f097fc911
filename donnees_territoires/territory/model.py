"""Territories and their reference strings (commune:33063, epci:243300316, france…): the shared contract."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple, Optional, Union

from ..toolbelt.i18n import tr


class TerritoryKind(str, Enum):
    COMMUNE = "commune"
    ARRONDISSEMENT_MUNICIPAL = "arrondissement_municipal"
    COMMUNE_DELEGUEE = "commune_deleguee"
    COMMUNE_ASSOCIEE = "commune_associee"
    EPCI = "epci"
    EPT = "ept"
    DEPARTEMENT = "departement"
    REGION = "region"
    FRANCE = "france"

    @property
    def label(self) -> str:
        """Name of the kind, as shown to the user (translated)."""
        return _KIND_LABELS[self]()

    @property
    def prefix(self) -> str:
        """Prefix of the reference string: every commune-like kind is addressed as commune:CODE."""
        return _PREFIX_OF_KIND.get(self, self.value)


# Labels are translated when read, not at import (the translator is installed later): one
# lambda per kind keeps each tr() argument a literal for scripts/translations.py.
_KIND_LABELS = {
    TerritoryKind.COMMUNE: lambda: tr("Commune"),
    TerritoryKind.ARRONDISSEMENT_MUNICIPAL: lambda: tr("Arrondissement municipal"),
    TerritoryKind.COMMUNE_DELEGUEE: lambda: tr("Commune déléguée"),
    TerritoryKind.COMMUNE_ASSOCIEE: lambda: tr("Commune associée"),
    TerritoryKind.EPCI: lambda: tr("EPCI"),
    TerritoryKind.EPT: lambda: tr("Établissement public territorial"),
    TerritoryKind.DEPARTEMENT: lambda: tr("Département"),
    TerritoryKind.REGION: lambda: tr("Région"),
    TerritoryKind.FRANCE: lambda: tr("France"),
}
_PREFIX_OF_KIND = {
    TerritoryKind.ARRONDISSEMENT_MUNICIPAL: "commune",
    TerritoryKind.COMMUNE_DELEGUEE: "commune",
    TerritoryKind.COMMUNE_ASSOCIEE: "commune",
}
COMMUNE_KINDS = frozenset({TerritoryKind.COMMUNE, TerritoryKind.ARRONDISSEMENT_MUNICIPAL,
                           TerritoryKind.COMMUNE_DELEGUEE, TerritoryKind.COMMUNE_ASSOCIEE})


@dataclass(frozen=True)
class Territory:
    """One territory of one COG vintage. Codes of linked territories, not objects: the index resolves them."""

    kind: TerritoryKind
    code: str  # INSEE code, SIREN for EPCI/EPT, "" for France
    name: str
    vintage: int
    departement: Optional[str] = None  # code; None for EPCI/EPT (they may span several), région, France
    region: Optional[str] = None
    population: Optional[int] = None  # population municipale; sums for départements and régions
    siren: Optional[str] = None
    postal_codes: tuple[str, ...] = ()
    nature: Optional[str] = None  # EPCI: CC, CA, CU, METRO or MET69 (Métropole de Lyon); EPT: EPT
    parent: Optional[str] = None  # commune code of an arrondissement municipal or commune déléguée/associée
    zone: Optional[str] = None  # metro, drom or com (collectivité d'outre-mer)

    @property
    def reference(self) -> str:
        return "france" if self.kind is TerritoryKind.FRANCE else f"{self.kind.prefix}:{self.code}"

    @property
    def label(self) -> str:
        """Name as shown in lists: communes carry their département so homonyms stay apart."""
        if self.kind in COMMUNE_KINDS or self.kind is TerritoryKind.DEPARTEMENT:
            return f"{self.name} ({self.departement})"
        return self.name

    def __str__(self) -> str:
        return f"{self.label} [{self.reference}]"


class TerritoryReferenceError(ValueError):
    """A reference string the user typed cannot be read or does not exist; the message says what to do."""


class TerritoryRef(NamedTuple):
    """A parsed reference: prefix (commune, epci, ept, departement, region, france) and code."""

    prefix: str
    code: str

    def __str__(self) -> str:
        return self.prefix if self.prefix == "france" else f"{self.prefix}:{self.code}"


EXAMPLES = "commune:33063, epci:243300316, ept:200057867, departement:33, region:75 ou france"  # French


def examples() -> str:
    """EXAMPLES in the user's language."""
    return tr("commune:33063, epci:243300316, ept:200057867, departement:33, region:75 ou france")


# pattern of the code, and what is expected (translated when a message needs it)
_CODE_PATTERNS = {
    # COG codes: Corse is 2A/2B, overseas départements have 3 characters (971…976, 975…989 for COM)
    "commune": (re.compile(r"(?:\d{2}|2[AB])\d{3}"),
                lambda: tr("5 caractères, par exemple commune:33063 ou commune:2A004")),
    "epci": (re.compile(r"\d{9}"), lambda: tr("le SIREN à 9 chiffres, par exemple epci:243300316")),
    "ept": (re.compile(r"\d{9}"), lambda: tr("le SIREN à 9 chiffres, par exemple ept:200057867")),
    "departement": (re.compile(r"\d{2}|2[AB]|9[78]\d"),
                    lambda: tr("2 caractères (01…95, 2A, 2B) ou 3 chiffres outre-mer (971…976), "
                               "par exemple departement:33")),
    "region": (re.compile(r"\d{2}|9[78]\d"), lambda: tr("2 chiffres, par exemple region:75")),
}


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def parse_reference(text: str) -> TerritoryRef:
    """One reference string, checked for syntax only (existence is the index's job)."""
    raw = text.strip()
    if not raw:
        raise TerritoryReferenceError(
            tr("Référence de territoire vide : indiquez par exemple {examples}.").format(examples=examples()))
    if ":" not in raw:
        if _ascii_lower(raw) == "france":
            return TerritoryRef("france", "")
        raise TerritoryReferenceError(
            tr("« {reference} » : il manque le type de territoire devant le code. {suggestion}").format(
                reference=raw, suggestion=_guess(raw.upper())))
    prefix, code = (part.strip() for part in raw.split(":", 1))
    prefix, code = _ascii_lower(prefix), code.upper()
    if prefix == "france":
        raise TerritoryReferenceError(
            tr("« {reference} » : france ne prend pas de code ; écrivez simplement france.").format(reference=raw))
    if prefix not in _CODE_PATTERNS:
        raise TerritoryReferenceError(
            tr("« {reference} » : type de territoire « {prefix} » inconnu. Types acceptés : commune, epci, ept, "
               "departement, region, france (exemples : {examples}).").format(
                reference=raw, prefix=prefix, examples=examples()))
    if prefix == "departement" and code in ("69D", "69M"):
        raise TerritoryReferenceError(
            tr("« {reference} » : le COG n'a qu'un département 69 (Rhône), Métropole de Lyon comprise. Écrivez "
               "departement:69, ou epci:200046977 pour la seule Métropole de Lyon.").format(reference=raw))
    pattern, expected = _CODE_PATTERNS[prefix]
    if not pattern.fullmatch(code):
        raise TerritoryReferenceError(tr("« {reference} » : code de {prefix} invalide ; attendu {expected}.").format(
            reference=raw, prefix=prefix, expected=expected()))
    return TerritoryRef(prefix, code)


def _guess(code: str) -> str:
    """A suggestion for a bare code, from its shape."""
    for prefix in ("commune", "departement", "epci"):
        if _CODE_PATTERNS[prefix][0].fullmatch(code):
            if prefix == "epci":
                return tr("Écrivez epci:{code} (ou ept:{code} pour un établissement public territorial).").format(
                    code=code)
            return tr("Écrivez par exemple {reference}.").format(reference=f"{prefix}:{code}")
    return tr("Écrivez par exemple {reference}.").format(reference=examples())


def parse_references(text: str) -> list[TerritoryRef]:
    """References joined with commas, in order, without duplicates."""
    if not text or not text.strip():
        raise TerritoryReferenceError(
            tr("Aucun territoire indiqué : écrivez par exemple {examples}.").format(examples=examples()))
    refs: list[TerritoryRef] = []
    for part in text.split(","):
        if not part.strip():
            raise TerritoryReferenceError(
                tr("« {references} » : référence vide entre deux virgules ; séparez les territoires par une "
                   "seule virgule, par exemple commune:33063,commune:33281.").format(references=text.strip()))
        ref = parse_reference(part)
        if ref not in refs:
            refs.append(ref)
    return refs


def format_references(items: Iterable[Union[Territory, TerritoryRef, str]]) -> str:
    """The canonical string of several territories (the inverse of parse_references)."""
    parts = []
    for item in items:
        text = item.reference if isinstance(item, Territory) else str(parse_reference(str(item)))
        if text not in parts:
            parts.append(text)
    return ",".join(parts)


def normalize_commune_code(value: object) -> str:
    """A commune code as written in the COG, from what layers really hold.

    Numeric columns lose the leading zero (1001 for 01001) and Corse may be written in lower
    case; anything else is returned stripped, as is, for the caller to report.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    code = str(value).strip().upper()
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    return code
