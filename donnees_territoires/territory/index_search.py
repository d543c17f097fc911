"""Search in a TerritoryIndex: what a user typed — a code (INSEE, SIREN, postal code, département, région)
or a name — to the territories it may mean, best first."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from .model import Territory, TerritoryKind
from .search import NameIndex, query_key, spaced_forms

#: the kind of a commune row by its letter in the index file
KIND_OF_LETTER = {
    "C": TerritoryKind.COMMUNE,
    "M": TerritoryKind.ARRONDISSEMENT_MUNICIPAL,
    "D": TerritoryKind.COMMUNE_DELEGUEE,
    "A": TerritoryKind.COMMUNE_ASSOCIEE,
}
# Among equally populated matches, the larger kind first (Paris the département before Paris the commune).
_KIND_RANK = {"R": 0, "P": 1, "E": 2, "T": 3, "C": 4, "M": 5, "D": 6, "A": 7}
_LETTER_OF_KIND = {**{kind: letter for letter, kind in KIND_OF_LETTER.items()},
                   TerritoryKind.EPCI: "E", TerritoryKind.EPT: "T", TerritoryKind.DEPARTEMENT: "P",
                   TerritoryKind.REGION: "R", TerritoryKind.FRANCE: "F"}
_COMMUNE_CODE = re.compile(r"(?:\d{2}|2[AB])\d{3}")
_SHORT_CODE = re.compile(r"\d{2}|2[AB]|9[78]\d")
_TRAILING_DEPARTEMENT = re.compile(r"(.*?\S)[\s,(]+(\d{2}|2[AB]|9[78]\d)\)?\s*")


@dataclass(frozen=True)
class SearchResult:
    territory: Territory
    match: str  # how it was found: code, siren, postal_code, exact, prefix, contains or fuzzy


class IndexSearch:
    """The search half of TerritoryIndex (its base class): it reads the index's columns and builds its
    own structures (name keys, postal codes, SIREN) the first time a search needs them."""

    @cached_property
    def _names(self) -> NameIndex:
        """Name keys of every territory. Entries: commune rows, then EPCI, EPT, départements, régions."""
        n_rows = len(self._code)
        names = (self._name + [row[1] for row in self._epci] + [row[1] for row in self._ept]
                 + [row[1] for row in self._departements.values()] + [row[1] for row in self._regions.values()])
        letters = self._entry_letters
        populations = (self._population + [row[3] for row in self._epci] + [row[3] for row in self._ept]
                       + [row[5] for row in self._departements.values()]
                       + [row[4] for row in self._regions.values()])
        # a commune déléguée named and coded like its commune nouvelle would only repeat it
        duplicates = [row for row in range(n_rows) if self._kind[row] in "DA"
                      and self._name[self._row_of_code.get(self._code[row], row)] == self._name[row]
                      and self._code[row] in self._row_of_code]
        weight = [-(population or 0) * 8 + _KIND_RANK[letter] for population, letter in zip(populations, letters)]
        rank = [0] * len(weight)
        for position, entry in enumerate(sorted(range(len(weight)), key=weight.__getitem__)):
            rank[entry] = position
        return NameIndex(spaced_forms(names), rank, skip=duplicates)

    @cached_property
    def _entry_letters(self) -> str:
        """One letter per search entry: the commune kinds, then E (EPCI), T (EPT), P (département), R."""
        return (self._kind + "E" * len(self._epci) + "T" * len(self._ept)
                + "P" * len(self._departements) + "R" * len(self._regions))

    @cached_property
    def _entry_offsets(self) -> tuple[int, int, int, int]:
        first_epci = len(self._code)
        first_ept = first_epci + len(self._epci)
        first_departement = first_ept + len(self._ept)
        return first_epci, first_ept, first_departement, first_departement + len(self._departements)

    @cached_property
    def _departement_codes(self) -> list[str]:
        return list(self._departements)

    @cached_property
    def _region_codes(self) -> list[str]:
        return list(self._regions)

    def _entry(self, entry: int) -> Territory:
        first_epci, first_ept, first_departement, first_region = self._entry_offsets
        if entry < first_epci:
            return self._commune(entry)
        if entry < first_ept:
            return self._group(TerritoryKind.EPCI, self._epci[entry - first_epci])
        if entry < first_departement:
            return self._group(TerritoryKind.EPT, self._ept[entry - first_ept])
        if entry < first_region:
            return self._departement_territory(self._departement_codes[entry - first_departement])
        return self._region_territory(self._region_codes[entry - first_region])

    @cached_property
    def _rows_by_postal_code(self) -> dict[str, list[int]]:
        rows: defaultdict[str, list[int]] = defaultdict(list)
        for row, codes in enumerate(self._postal_codes):
            if len(codes) == 5:  # most communes have one postal code
                rows[codes].append(row)
            else:
                for code in codes.split():
                    rows[code].append(row)
        return dict(rows)

    @cached_property
    def _row_by_siren(self) -> dict[str, int]:
        return {siren: row for row, siren in enumerate(self._siren) if siren}

    def search(self, query: str, limit: int = 10,
               kinds: Optional[Iterable[TerritoryKind]] = None) -> list[SearchResult]:
        """Territories matching what a user typed: a code (INSEE, SIREN, postal code, département,
        région) or a name, blind to accents, case, hyphens and apostrophes, St/Ste for Saint/Sainte.

        Exact names first, then names that start with the query, then names one typo away, then
        names that hold the query further in; within each group the most populated first.
        « Castres 81 » or « Castres (81) » keeps the Castres of département 81.
        """
        text = " ".join(query.split())
        if not text or limit <= 0:
            return []
        wanted = None if kinds is None else frozenset(kinds)
        results: list[SearchResult] = []
        seen: set[str] = set()

        def add(territories: Iterable[Territory], match: str) -> None:
            for territory in territories:
                key = f"{territory.kind.value}:{territory.code}"
                if key not in seen and (wanted is None or territory.kind in wanted):
                    seen.add(key)
                    results.append(SearchResult(territory, match))

        compact = text.upper().replace(" ", "")
        if compact.isdigit() and len(compact) == 9:
            add(filter(None, (self.find("epci", compact), self.find("ept", compact))), "siren")
            row = self._row_by_siren.get(compact)
            add([] if row is None else [self._commune(row)], "siren")
        if _COMMUNE_CODE.fullmatch(compact):
            add(filter(None, [self.find("commune", compact)]), "code")
            add(self.postal_code_communes(compact), "postal_code")
        if _SHORT_CODE.fullmatch(compact):
            add(filter(None, (self.find("departement", compact), self.find("region", compact))), "code")
        if results and not any(char.isalpha() for char in compact.replace("2A", "").replace("2B", "")):
            return results[:limit]

        departement = None
        match = _TRAILING_DEPARTEMENT.fullmatch(text)
        if match and match.group(2).upper() in self._departements:
            text, departement = match.group(1), match.group(2).upper()
        key = query_key(text)
        if not key:
            return results[:limit]
        names = self._names
        letters = None if wanted is None else {_LETTER_OF_KIND[kind] for kind in wanted}

        def keep(entries: set[int]) -> list[Territory]:
            if letters is not None:
                entries = {entry for entry in entries if self._entry_letters[entry] in letters}
            if departement:
                entries = {entry for entry in entries if self._entry_in_departement(entry, departement)}
            return [self._entry(entry) for entry in names.best(entries, limit)]

        exact = names.exact(key)
        add(keep(exact), "exact")
        done = set(exact)
        # then the start of the name, one typo, anywhere in the name: each only while room is left
        tiers = (("prefix", lambda: [names.prefix(key)]), ("fuzzy", lambda: names.fuzzy(key)),
                 ("contains", lambda: [names.contains(key)]))
        for match_kind, lookup in tiers:
            if len(results) >= limit:
                break
            for entries in lookup():
                add(keep(entries - done), match_kind)
                done |= entries
        return results[:limit]

    def postal_code_communes(self, postal_code: str) -> list[Territory]:
        """Communes (and arrondissements municipaux) served by a postal code, most populated first."""
        rows = self._rows_by_postal_code.get(postal_code.strip(), [])
        return [self._commune(row) for row in sorted(rows, key=lambda row: -(self._population[row] or 0))]

    def _entry_in_departement(self, entry: int, departement: str) -> bool:
        if entry < len(self._code):
            return self._departement[entry] == departement
        first_epci, first_ept, first_departement, first_region = self._entry_offsets
        if entry < first_ept:
            return departement in self._group_departements.get(("E", entry - first_epci), ())
        if entry < first_departement:
            return departement in self._group_departements.get(("T", entry - first_ept), ())
        if entry < first_region:
            return self._departement_codes[entry - first_departement] == departement
        return self._departements[departement][2] == self._region_codes[entry - first_region]
