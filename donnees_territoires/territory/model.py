"""Territories and their reference strings (commune:33063, epci:243300316, france…): the shared contract."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple, Optional, Union


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
        """French name of the kind, as shown to the user."""
        return _KIND_LABELS[self]

    @property
    def prefix(self) -> str:
        """Prefix of the reference string: every commune-like kind is addressed as commune:CODE."""
        return _PREFIX_OF_KIND.get(self, self.value)


_KIND_LABELS = {
    TerritoryKind.COMMUNE: "Commune",
    TerritoryKind.ARRONDISSEMENT_MUNICIPAL: "Arrondissement municipal",
    TerritoryKind.COMMUNE_DELEGUEE: "Commune déléguée",
    TerritoryKind.COMMUNE_ASSOCIEE: "Commune associée",
    TerritoryKind.EPCI: "EPCI",
    TerritoryKind.EPT: "Établissement public territorial",
    TerritoryKind.DEPARTEMENT: "Département",
    TerritoryKind.REGION: "Région",
    TerritoryKind.FRANCE: "France",
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


EXAMPLES = "commune:33063, epci:243300316, ept:200057867, departement:33, region:75 ou france"
_CODE_PATTERNS = {
    # COG codes: Corse is 2A/2B, overseas départements have 3 characters (971…976, 975…989 for COM)
    "commune": (re.compile(r"(?:\d{2}|2[AB])\d{3}"), "5 caractères, par exemple commune:33063 ou commune:2A004"),
    "epci": (re.compile(r"\d{9}"), "le SIREN à 9 chiffres, par exemple epci:243300316"),
    "ept": (re.compile(r"\d{9}"), "le SIREN à 9 chiffres, par exemple ept:200057867"),
    "departement": (re.compile(r"\d{2}|2[AB]|9[78]\d"),
                    "2 caractères (01…95, 2A, 2B) ou 3 chiffres outre-mer (971…976), par exemple departement:33"),
    "region": (re.compile(r"\d{2}|9[78]\d"), "2 chiffres, par exemple region:75"),
}


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def parse_reference(text: str) -> TerritoryRef:
    """One reference string, checked for syntax only (existence is the index's job)."""
    raw = text.strip()
    if not raw:
        raise TerritoryReferenceError(f"Référence de territoire vide : indiquez par exemple {EXAMPLES}.")
    if ":" not in raw:
        if _ascii_lower(raw) == "france":
            return TerritoryRef("france", "")
        raise TerritoryReferenceError(
            f"« {raw} » : il manque le type de territoire devant le code. {_guess(raw.upper())}")
    prefix, code = (part.strip() for part in raw.split(":", 1))
    prefix, code = _ascii_lower(prefix), code.upper()
    if prefix == "france":
        raise TerritoryReferenceError(f"« {raw} » : france ne prend pas de code ; écrivez simplement france.")
    if prefix not in _CODE_PATTERNS:
        raise TerritoryReferenceError(
            f"« {raw} » : type de territoire « {prefix} » inconnu. Types acceptés : commune, epci, ept, "
            f"departement, region, france (exemples : {EXAMPLES}).")
    if prefix == "departement" and code in ("69D", "69M"):
        raise TerritoryReferenceError(
            f"« {raw} » : le COG n'a qu'un département 69 (Rhône), Métropole de Lyon comprise. Écrivez "
            "departement:69, ou epci:200046977 pour la seule Métropole de Lyon.")
    pattern, expected = _CODE_PATTERNS[prefix]
    if not pattern.fullmatch(code):
        raise TerritoryReferenceError(f"« {raw} » : code de {prefix} invalide ; attendu {expected}.")
    return TerritoryRef(prefix, code)


def _guess(code: str) -> str:
    """A suggestion for a bare code, from its shape."""
    for prefix in ("commune", "departement", "epci"):
        if _CODE_PATTERNS[prefix][0].fullmatch(code):
            if prefix == "epci":
                return f"Écrivez epci:{code} (ou ept:{code} pour un établissement public territorial)."
            return f"Écrivez par exemple {prefix}:{code}."
    return f"Écrivez par exemple {EXAMPLES}."


def parse_references(text: str) -> list[TerritoryRef]:
    """References joined with commas, in order, without duplicates."""
    if not text or not text.strip():
        raise TerritoryReferenceError(f"Aucun territoire indiqué : écrivez par exemple {EXAMPLES}.")
    refs: list[TerritoryRef] = []
    for part in text.split(","):
        if not part.strip():
            raise TerritoryReferenceError(
                f"« {text.strip()} » : référence vide entre deux virgules ; séparez les territoires par une "
                "seule virgule, par exemple commune:33063,commune:33281.")
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
