"""The COG index of one vintage: territories by code, hierarchy both ways, search; loaded once per vintage."""

from __future__ import annotations

import gzip
import json
import lzma
import threading
from functools import cached_property
from pathlib import Path
from typing import Optional, Union

from ..__about__ import RESOURCES_DIR
from ..toolbelt.i18n import tr
from .index_search import KIND_OF_LETTER, IndexSearch
from .model import (
    COMMUNE_KINDS,
    Territory,
    TerritoryKind,
    TerritoryRef,
    TerritoryReferenceError,
    parse_reference,
    parse_references,
)

DATA_DIR = RESOURCES_DIR / "territories"
FORMAT = 1

Reference = Union[str, TerritoryRef, Territory]


class UnknownVintageError(ValueError):
    """The plugin ships no index for that COG vintage."""


_manifest_lock = threading.Lock()
_manifest: Optional[dict] = None


def manifest() -> dict:
    """Provenance of the shipped index (resources/territories/manifest.json), read once."""
    global _manifest
    with _manifest_lock:
        if _manifest is None:
            path = DATA_DIR / "manifest.json"
            try:
                _manifest = json.loads(path.read_text(encoding="utf-8"))
            except OSError as error:
                raise UnknownVintageError(
                    tr("Index des territoires introuvable ({path}) : réinstallez l'extension, ou dans une copie "
                       "de travail lancez python3 scripts/build_territory_index.py.").format(path=path)) from error
        return _manifest


def available_vintages() -> list[int]:
    return sorted(int(year) for year in manifest()["vintages"])


def latest_vintage() -> int:
    return available_vintages()[-1]


class TerritoryIndex(IndexSearch):
    """Every territory of one COG vintage, held as the columns of the data file.

    Territory objects are built on demand; reverse links (members, children) and search
    structures are built the first time they are needed, so that loading stays cheap when only
    codes are looked up (as in the conversion between vintages, which loads every vintage).
    """

    _cache: dict[int, TerritoryIndex] = {}
    _cache_lock = threading.Lock()

    @classmethod
    def load(cls, vintage: Optional[int] = None, keep: bool = True) -> TerritoryIndex:
        """The index of a COG vintage (the latest when None), read once then kept in memory.

        keep=False reads it without keeping it (unless it is kept already): about 30 MB each,
        the conversion between vintages reads every one and only needs their codes.
        """
        vintage = latest_vintage() if vintage is None else int(vintage)
        with cls._cache_lock:
            index = cls._cache.get(vintage)
            if index is None:
                entry = manifest()["vintages"].get(str(vintage))
                if entry is None:
                    years = available_vintages()
                    raise UnknownVintageError(
                        tr("Le COG {vintage} n'est pas disponible dans cette version de l'extension "
                           "(millésimes disponibles : {first} à {last}). Choisissez l'un d'eux, "
                           "ou mettez à jour l'extension.").format(vintage=vintage, first=years[0], last=years[-1]))
                index = cls.from_file(DATA_DIR / entry["file"], entry)
                if keep:
                    cls._cache[vintage] = index
            return index

    @classmethod
    def from_file(cls, path: Path, provenance: Optional[dict] = None) -> TerritoryIndex:
        opener = gzip.open if path.suffix == ".gz" else lzma.open  # the latest vintage in gzip: quicker to read
        with opener(path, "rb") as stream:
            document = json.loads(stream.read())
        if document.get("format") != FORMAT:
            raise UnknownVintageError(
                tr("{file} est au format {format} et cette extension lit le format {supported} : mettez "
                   "l'extension à jour.").format(file=path.name, format=document.get("format"), supported=FORMAT))
        return cls(document, provenance or {})

    def __init__(self, document: dict, provenance: dict):
        self.vintage: int = document["vintage"]
        self.provenance = provenance
        columns = document["communes"]
        self._code: list[str] = columns["code"]
        self._name: list[str] = columns["name"]
        self._kind: str = columns["kind"]
        self._departement: list[str] = columns["departement"]
        self._parent: list[str] = columns["parent"]
        self._siren: list[str] = columns["siren"]
        self._postal_codes: list[str] = columns["postal_codes"]
        self._population: list[Optional[int]] = columns["population"]
        self._former_codes: list[str] = columns["former_codes"]
        self._epci_of_row: list[int] = columns["epci"]
        self._ept_of_row: list[int] = columns["ept"]
        self._epci: list[list] = document["epci"]  # code, name, nature, population
        self._ept: list[list] = document["ept"]
        self._departements = {row[0]: row for row in document["departements"]}  # code, name, region, …
        self._regions = {row[0]: row for row in document["regions"]}  # code, name, chef-lieu, zone, pop
        # Communes actuelles and arrondissements municipaux have distinct codes; a commune
        # déléguée or associée may share the code of its commune nouvelle (the chef-lieu one).
        self._row_of_code: dict[str, int] = {}
        self._secondary_row: dict[str, int] = {}
        for row, (code, kind) in enumerate(zip(self._code, self._kind)):
            if kind in "CM":
                self._row_of_code[code] = row
            else:
                self._secondary_row.setdefault(code, row)
        self._epci_row = {row[0]: position for position, row in enumerate(self._epci)}
        self._ept_row = {row[0]: position for position, row in enumerate(self._ept)}

    def __repr__(self) -> str:
        return f"<TerritoryIndex COG {self.vintage}: {len(self.actual_codes)} communes>"

    @property
    def source_label(self) -> str:
        """Where the data comes from, in the user's language, for metadata and manifests."""
        version = self.provenance.get("version", "?")
        package = self.provenance.get("package", "@etalab/decoupage-administratif")
        return tr("COG {vintage} (INSEE, via {package} {version}, Licence Ouverte)").format(
            vintage=self.vintage, package=package, version=version)

    @property
    def has_ept(self) -> bool:
        """The source package lists the EPT from COG 2023 onwards only."""
        return bool(self._ept)

    # -- territories -------------------------------------------------------------------------

    def _commune(self, row: int) -> Territory:
        departement = self._departement[row]
        dep = self._departements[departement]
        return Territory(
            kind=KIND_OF_LETTER[self._kind[row]], code=self._code[row], name=self._name[row],
            vintage=self.vintage, departement=departement, region=dep[2],
            population=self._population[row], siren=self._siren[row] or None,
            postal_codes=tuple(self._postal_codes[row].split()), parent=self._parent[row] or None,
            zone=dep[4])

    def _group(self, kind: TerritoryKind, row: list) -> Territory:
        return Territory(kind=kind, code=row[0], name=row[1], vintage=self.vintage, population=row[3],
                         siren=row[0], nature=row[2])

    def _departement_territory(self, code: str) -> Territory:
        code, name, region, _chef_lieu, zone, population = self._departements[code]
        return Territory(TerritoryKind.DEPARTEMENT, code, name, self.vintage, departement=code, region=region,
                         population=population, zone=zone)

    def _region_territory(self, code: str) -> Territory:
        code, name, _chef_lieu, zone, population = self._regions[code]
        return Territory(TerritoryKind.REGION, code, name, self.vintage, region=code, population=population,
                         zone=zone)

    @cached_property
    def france(self) -> Territory:
        return Territory(TerritoryKind.FRANCE, "", "France", self.vintage,
                         population=sum(row[4] for row in self._regions.values()))

    def find(self, prefix: Union[str, TerritoryKind], code: str = "") -> Optional[Territory]:
        """The territory with that reference prefix (commune, epci…) and code, or None."""
        prefix = prefix.prefix if isinstance(prefix, TerritoryKind) else prefix
        if prefix == "france":
            return self.france
        if prefix == "commune":
            row = self._row_of_code.get(code, self._secondary_row.get(code))
            return None if row is None else self._commune(row)
        if prefix in ("epci", "ept"):
            rows, table = (self._epci_row, self._epci) if prefix == "epci" else (self._ept_row, self._ept)
            position = rows.get(code)
            kind = TerritoryKind.EPCI if prefix == "epci" else TerritoryKind.EPT
            return None if position is None else self._group(kind, table[position])
        if prefix == "departement":
            return self._departement_territory(code) if code in self._departements else None
        if prefix == "region":
            return self._region_territory(code) if code in self._regions else None
        return None

    def get(self, reference: Reference) -> Territory:
        """The territory a reference designates in this vintage; TerritoryReferenceError says why not."""
        if isinstance(reference, Territory):
            if reference.vintage == self.vintage:
                return reference
            reference = reference.reference
        ref = reference if isinstance(reference, TerritoryRef) else parse_reference(reference)
        territory = self.find(ref.prefix, ref.code)
        if territory is None:
            raise TerritoryReferenceError(self._why_unknown(ref))
        return territory

    def resolve(self, text: str) -> list[Territory]:
        """Territories of a comma-separated reference string, in order."""
        return [self.get(ref) for ref in parse_references(text)]

    def _why_unknown(self, ref: TerritoryRef) -> str:
        head = tr("« {reference} » n'existe pas dans le COG {vintage}").format(reference=ref, vintage=self.vintage)
        if ref.prefix == "commune":
            successor = self.absorbing_commune(ref.code)
            if successor:
                return tr("{head} : c'est un ancien code de la commune {code} {name}. Utilisez commune:{code}, "
                          "ou convertissez vos codes vers ce millésime.").format(
                    head=head, code=successor, name=self.commune_name(successor))
            return tr("{head}. Vérifiez le code INSEE (5 caractères, à ne pas confondre avec le code postal), "
                      "cherchez la commune par son nom, ou convertissez des codes d'un autre millésime.").format(
                head=head)
        if ref.prefix in ("epci", "ept"):
            other = "ept" if ref.prefix == "epci" else "epci"
            found = self.find(other, ref.code)
            if found:
                return tr("{head} : {code} est {kind} « {name} » ; écrivez {reference}.").format(
                    head=head, code=ref.code, kind=found.kind.label, name=found.name, reference=found.reference)
            if ref.prefix == "ept" and not self.has_ept:
                return tr("{head} : la source de ce millésime ne contient pas les établissements publics "
                          "territoriaux (ils y figurent à partir du COG 2023). Choisissez un millésime plus "
                          "récent, ou désignez les communes de l'EPT.").format(head=head)
            return tr("{head}. Vérifiez le SIREN, ou cherchez le groupement par son nom.").format(head=head)
        if ref.prefix == "departement" and ref.code == "20":
            return tr("{head} : la Corse est divisée en departement:2A (Corse-du-Sud) et departement:2B "
                      "(Haute-Corse).").format(head=head)
        if ref.prefix == "departement":
            return tr("{head}. Codes possibles : 01 à 95 (sans 20), 2A, 2B, 971 à 976 ; 975, 977, 978, 984 et "
                      "986 à 989 pour les collectivités d'outre-mer.").format(head=head)
        return tr("{head}. Codes possibles : {codes}.").format(head=head, codes=", ".join(sorted(self._regions)))

    def all(self, kind: TerritoryKind) -> list[Territory]:
        """Every territory of a kind, by code (pickers list départements and régions this way)."""
        if kind is TerritoryKind.FRANCE:
            return [self.france]
        if kind is TerritoryKind.EPCI:
            return [self._group(kind, row) for row in self._epci]
        if kind is TerritoryKind.EPT:
            return [self._group(kind, row) for row in self._ept]
        if kind is TerritoryKind.DEPARTEMENT:
            return [self._departement_territory(code) for code in sorted(self._departements)]
        if kind is TerritoryKind.REGION:
            return [self._region_territory(code) for code in sorted(self._regions)]
        letter = next(letter for letter, value in KIND_OF_LETTER.items() if value is kind)
        return [self._commune(row) for row, found in enumerate(self._kind) if found == letter]

    # -- hierarchy -----------------------------------------------------------------------------

    @cached_property
    def _rows_by_departement(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for row, (kind, departement) in enumerate(zip(self._kind, self._departement)):
            if kind == "C":
                rows.setdefault(departement, []).append(row)
        return rows

    @cached_property
    def _member_rows(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        epci: dict[int, list[int]] = {}
        ept: dict[int, list[int]] = {}
        for row, (in_epci, in_ept) in enumerate(zip(self._epci_of_row, self._ept_of_row)):
            if in_epci >= 0:
                epci.setdefault(in_epci, []).append(row)
            if in_ept >= 0:
                ept.setdefault(in_ept, []).append(row)
        return epci, ept

    @cached_property
    def _sub_rows(self) -> dict[str, list[int]]:
        """Arrondissements municipaux and communes déléguées/associées, by commune code."""
        rows: dict[str, list[int]] = {}
        for row, (kind, parent) in enumerate(zip(self._kind, self._parent)):
            if kind != "C" and parent:
                rows.setdefault(parent, []).append(row)
        return rows

    @cached_property
    def _group_departements(self) -> dict[tuple[str, int], set[str]]:
        """(E or T, position) of an EPCI or EPT → codes of the départements of its members."""
        found: dict[tuple[str, int], set[str]] = {}
        for in_epci, in_ept, departement in zip(self._epci_of_row, self._ept_of_row, self._departement):
            if in_epci >= 0:
                found.setdefault(("E", in_epci), set()).add(departement)
            if in_ept >= 0:
                found.setdefault(("T", in_ept), set()).add(departement)
        return found

    def _actual_row(self, territory: Territory) -> Optional[int]:
        """Row of the commune actuelle a commune-like territory belongs to."""
        code = territory.code if territory.kind is TerritoryKind.COMMUNE else territory.parent
        return self._row_of_code.get(code or "")

    def parents(self, reference: Reference) -> list[Territory]:
        """What contains a territory, nearest first.

        Commune: EPT, EPCI, département, région, France (an arrondissement municipal or a commune
        déléguée starts with its commune). EPCI and EPT: every département and région they touch.
        """
        territory = self.get(reference)
        kind = territory.kind
        if kind is TerritoryKind.FRANCE:
            return []
        chain: list[Territory] = []
        if kind in COMMUNE_KINDS:
            row = self._actual_row(territory)
            if row is not None and kind is not TerritoryKind.COMMUNE:
                chain.append(self._commune(row))
            if row is not None and self._ept_of_row[row] >= 0:
                chain.append(self._group(TerritoryKind.EPT, self._ept[self._ept_of_row[row]]))
            if row is not None and self._epci_of_row[row] >= 0:
                chain.append(self._group(TerritoryKind.EPCI, self._epci[self._epci_of_row[row]]))
        if territory.departement and kind is not TerritoryKind.DEPARTEMENT:
            chain.append(self._departement_territory(territory.departement))
        if territory.region and kind is not TerritoryKind.REGION:
            chain.append(self._region_territory(territory.region))
        if kind in (TerritoryKind.EPCI, TerritoryKind.EPT):
            # a groupement may span départements (and, rarely, régions): list each one it touches
            chain.extend(self.departements(territory))
            chain.extend(self._region_territory(code) for code in
                         dict.fromkeys(t.region for t in chain if t.region))
        chain.append(self.france)
        return chain

    def parent(self, reference: Reference, kind: TerritoryKind) -> Optional[Territory]:
        """The first container of a kind: parent(commune, EPCI) is the commune's EPCI (None if it has none)."""
        return next((t for t in self.parents(reference) if t.kind is kind), None)

    def children(self, reference: Reference) -> list[Territory]:
        """What a territory directly contains: France → régions → départements → communes; EPCI/EPT →
        member communes; commune → arrondissements municipaux and communes déléguées/associées."""
        territory = self.get(reference)
        kind = territory.kind
        if kind is TerritoryKind.FRANCE:
            return self.all(TerritoryKind.REGION)
        if kind is TerritoryKind.REGION:
            return [self._departement_territory(code) for code, row in sorted(self._departements.items())
                    if row[2] == territory.code]
        if kind is TerritoryKind.DEPARTEMENT:
            return [self._commune(row) for row in self._rows_by_departement.get(territory.code, [])]
        if kind in (TerritoryKind.EPCI, TerritoryKind.EPT):
            epci, ept = self._member_rows
            members, positions = (epci, self._epci_row) if kind is TerritoryKind.EPCI else (ept, self._ept_row)
            return [self._commune(row) for row in members.get(positions[territory.code], [])]
        if kind is TerritoryKind.COMMUNE:
            return [self._commune(row) for row in self._sub_rows.get(territory.code, [])]
        return []

    def communes(self, reference: Reference) -> list[Territory]:
        """The communes actuelles that make up a territory, by code. An arrondissement municipal or a
        commune déléguée gives the commune it belongs to: the unit datasets are published by."""
        territory = self.get(reference)
        kind = territory.kind
        if kind is TerritoryKind.FRANCE:
            return self.all(TerritoryKind.COMMUNE)
        if kind is TerritoryKind.REGION:
            return [commune for departement in self.children(territory) for commune in self.children(departement)]
        if kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.EPCI, TerritoryKind.EPT):
            return self.children(territory)
        row = self._actual_row(territory)
        return [] if row is None else [self._commune(row)]

    def commune_codes(self, reference: Reference) -> list[str]:
        return [commune.code for commune in self.communes(reference)]

    def departements(self, reference: Reference) -> list[Territory]:
        """The départements a territory lies in (several for an EPCI that crosses a département line)."""
        territory = self.get(reference)
        if territory.kind is TerritoryKind.DEPARTEMENT:
            return [territory]
        if territory.kind in (TerritoryKind.REGION, TerritoryKind.FRANCE):
            return [t for t in self.all(TerritoryKind.DEPARTEMENT)
                    if territory.kind is TerritoryKind.FRANCE or t.region == territory.code]
        if territory.departement:
            return [self._departement_territory(territory.departement)]
        if territory.kind is TerritoryKind.EPCI:
            codes = self._group_departements.get(("E", self._epci_row[territory.code]), set())
        else:
            codes = self._group_departements.get(("T", self._ept_row[territory.code]), set())
        return [self._departement_territory(code) for code in sorted(codes)]

    # -- codes, for the conversion between vintages --------------------------------------------

    @cached_property
    def actual_codes(self) -> frozenset:
        """Codes of the communes actuelles."""
        return frozenset(code for code, kind in zip(self._code, self._kind) if kind == "C")

    @cached_property
    def arrondissement_codes(self) -> dict[str, str]:
        """Arrondissement municipal code → its commune (Paris 75056, Lyon 69123, Marseille 13055)."""
        return {code: parent for code, kind, parent in zip(self._code, self._kind, self._parent) if kind == "M"}

    @cached_property
    def absorbed_codes(self) -> dict[str, str]:
        """Code that is no commune actuelle any more → the commune actuelle holding its territory.

        A commune déléguée or associée points to its chef-lieu; the other former codes come from
        the COG's history (anciensCodes). When both speak, the déléguée link wins: it is the
        current one (anciensCodes still lists 60455 under 60054 after 60694 was restored in 2024).
        """
        absorbed: dict[str, str] = {}
        for code, kind, former in zip(self._code, self._kind, self._former_codes):
            if kind == "C" and former:
                for old in former.split():
                    absorbed[old] = code
        for code, kind, parent in zip(self._code, self._kind, self._parent):
            if kind in "DA":
                absorbed[code] = parent
        for code in self.actual_codes:
            absorbed.pop(code, None)
        return absorbed

    def absorbing_commune(self, code: str) -> Optional[str]:
        return self.absorbed_codes.get(code)

    def commune_name(self, code: str) -> Optional[str]:
        row = self._row_of_code.get(code, self._secondary_row.get(code))
        return None if row is None else self._name[row]
