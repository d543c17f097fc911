"""Commune codes across COG vintages: conversion (mergers, splits, former codes) and vintage detection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Optional

from ..toolbelt.i18n import tr
from .index import TerritoryIndex, UnknownVintageError, available_vintages
from .model import normalize_commune_code


class ConversionStatus(str, Enum):
    """What became of a code. The values are a contract: the conversion algorithm writes them out."""

    INCHANGE = "inchange"  # the code is a commune (or arrondissement municipal) of the target vintage
    FUSIONNE = "fusionne"  # one target commune with another code: merger, déléguée/associée, code change
    AMBIGU = "ambigu"  # several target communes: split, restored communes, or backwards over a merger
    INCONNU = "inconnu"  # in no vintage, neither as a commune nor as a former code


@dataclass(frozen=True)
class CodeConversion:
    code: str  # the source code, normalised (01001 for 1001)
    status: ConversionStatus
    codes: tuple[str, ...]  # target codes: one for inchange/fusionne, several for ambigu, none for inconnu
    names: tuple[str, ...]  # their names in the target vintage
    target_vintage: int
    source_vintage: Optional[int]  # the vintage the code was read in (given, or inferred)
    message: str  # for the user, in their language

    @property
    def target_code(self) -> Optional[str]:
        """The single target code, None when ambiguous or unknown."""
        return self.codes[0] if len(self.codes) == 1 else None

    @property
    def target_name(self) -> Optional[str]:
        return self.names[0] if len(self.names) == 1 else None


@dataclass(frozen=True)
class VintageScore:
    vintage: int
    matched: int  # input codes that are communes (or arrondissements municipaux) of that vintage
    unmatched: int  # input codes that are not
    missing: int  # communes of that vintage, in the input's départements, absent from the input


@dataclass(frozen=True)
class VintageDetection:
    vintage: Optional[int]  # best match (the most recent one on a tie); None without any usable code
    tied: tuple[int, ...]  # every vintage that matches exactly as well
    scores: tuple[VintageScore, ...]
    explanation: str  # for the user, in their language


def _departement_of(code: str) -> str:
    return code[:3] if code[:2] in ("97", "98") else code[:2]


@dataclass(frozen=True)
class VintageCodes:
    """What the conversion needs of one vintage: a few MB instead of the whole index."""

    vintage: int
    actual_codes: frozenset  # communes actuelles
    arrondissements: dict  # arrondissement municipal → its commune
    absorbed: dict  # former code, commune déléguée or associée → commune actuelle holding it

    @classmethod
    def of(cls, index: TerritoryIndex) -> VintageCodes:
        return cls(index.vintage, index.actual_codes, index.arrondissement_codes, index.absorbed_codes)


class CogHistory:
    """Every shipped vintage, linked year to year.

    Between two consecutive vintages V → W, a commune actuelle of V goes to itself if W still has
    it, else to the commune of W that absorbed its code (commune déléguée/associée or former code).
    A commune of W that is new and was, in V, part of a commune of V (a restored commune) is added
    to that commune's targets: its territory is then split. Backwards, W → V is the inverse link.
    Codes older than the first vintage enter through their former-code link (anciensCodes, or
    the chef-lieu of a commune déléguée/associée) in the vintage nearest to the target.
    """

    def __init__(self, vintages: Iterable[VintageCodes]):
        self.codes = {codes.vintage: codes for codes in sorted(vintages, key=lambda codes: codes.vintage)}
        if not self.codes:
            raise UnknownVintageError(tr("Aucun millésime du COG disponible pour convertir des codes."))
        self.vintages = list(self.codes)
        self._forward: dict[int, dict[str, frozenset]] = {}
        self._backward: dict[int, dict[str, frozenset]] = {}

    @classmethod
    def load(cls, vintages: Optional[Iterable[int]] = None) -> CogHistory:
        """Codes of every shipped vintage; the indexes not already in memory are not kept."""
        return cls(VintageCodes.of(TerritoryIndex.load(vintage, keep=False))
                   for vintage in (vintages or available_vintages()))

    @property
    def latest(self) -> int:
        return self.vintages[-1]

    def _check_vintage(self, vintage: int) -> int:
        if vintage not in self.codes:
            raise UnknownVintageError(
                tr("Millésime du COG {vintage} non disponible : choisissez un millésime de {first} à {last}.").format(
                    vintage=vintage, first=self.vintages[0], last=self.vintages[-1]))
        return vintage

    # -- steps between consecutive vintages ---------------------------------------------------

    def _step_forward(self, vintage: int) -> dict[str, frozenset]:
        """Commune actuelle of `vintage` → communes actuelles of the next vintage (non-trivial steps only)."""
        if vintage not in self._forward:
            old = self.codes[vintage]
            new = self.codes[self.vintages[self.vintages.index(vintage) + 1]]
            steps: dict[str, set] = {}
            for code in old.actual_codes - new.actual_codes:
                successor = new.absorbed.get(code)
                steps[code] = {successor} if successor else set()
            for code in new.actual_codes - old.actual_codes:
                origin = old.absorbed.get(code)
                if origin in old.actual_codes:
                    steps.setdefault(origin, {origin} if origin in new.actual_codes else set()).add(code)
            self._forward[vintage] = {code: frozenset(targets) for code, targets in steps.items()}
        return self._forward[vintage]

    def _step_backward(self, vintage: int) -> dict[str, frozenset]:
        """Commune actuelle of `vintage` → communes actuelles of the previous vintage (non-trivial only)."""
        if vintage not in self._backward:
            previous = self.vintages[self.vintages.index(vintage) - 1]
            forward = self._step_forward(previous)
            new_codes = self.codes[vintage].actual_codes
            # a commune created from nothing known in the previous vintage has no predecessor
            sources: dict[str, set] = {code: set() for code in new_codes - self.codes[previous].actual_codes}
            for code, targets in forward.items():
                for target in targets:
                    sources.setdefault(target, set()).add(code)
            # a commune of both vintages that only gained territory still maps to itself too
            steps = {}
            for target, codes in sources.items():
                if target in self.codes[previous].actual_codes and target in new_codes:
                    codes.add(target)
                steps[target] = frozenset(codes)
            self._backward[vintage] = steps
        return self._backward[vintage]

    def _walk(self, codes: frozenset, start: int, target: int) -> frozenset:
        position = self.vintages.index(start)
        end = self.vintages.index(target)
        while position != end and codes:
            if position < end:
                steps = self._step_forward(self.vintages[position])
                position += 1
            else:
                steps = self._step_backward(self.vintages[position])
                position -= 1
            codes = frozenset(c for code in codes for c in steps.get(code, (code,)))
        return codes

    # -- conversion ---------------------------------------------------------------------------

    def convert(self, code: object, target: Optional[int] = None, source: Optional[int] = None,
                arrondissements_to_commune: bool = False) -> CodeConversion:
        """Where a commune code of any vintage (2018 included) lies in the target vintage (default: latest).

        Give `source` when the codes' vintage is known (detect_vintage finds it): a commune split
        since then is reported as ambiguous, whereas without it a code still valid in the target
        vintage is taken as unchanged. Arrondissements municipaux stay themselves unless
        `arrondissements_to_commune`, which gives Paris, Lyon or Marseille.
        """
        target = self._check_vintage(self.latest if target is None else int(target))
        if source is not None:
            source = self._check_vintage(int(source))
        code = normalize_commune_code(code)
        codes_of_target = self.codes[target]
        index = TerritoryIndex.load(target)  # names; the target vintage is usually the one in use

        def result(status: ConversionStatus, codes: Iterable[str], start: Optional[int], message: str):
            codes = tuple(sorted(codes))
            names = tuple(index.commune_name(c) or "" for c in codes)
            return CodeConversion(code, status, codes, names, target, start, message)

        parent = codes_of_target.arrondissements.get(code)
        if parent is not None:
            if arrondissements_to_commune:
                return result(ConversionStatus.FUSIONNE, [parent], source,
                              tr("Arrondissement municipal de {code} {name}.").format(
                                  code=parent, name=index.commune_name(parent)))
            return result(ConversionStatus.INCHANGE, [code], source, tr("Arrondissement municipal, inchangé."))

        start, codes, former = self._start(code, target, source)
        if start is None:
            return result(ConversionStatus.INCONNU, [], None, self._why_unknown(code))
        targets = self._walk(codes, start, target)
        if not targets:
            return result(ConversionStatus.INCONNU, [], start,
                          tr("Le code {code} (COG {source}) n'a pas de successeur connu dans le COG {target}.").format(
                              code=code, source=start, target=target))
        listed = ", ".join(f"{c} {index.commune_name(c)}" for c in sorted(targets))
        if len(targets) > 1:
            return result(ConversionStatus.AMBIGU, targets, start,
                          tr("Le territoire de {code} (COG {source}) correspond à plusieurs communes du COG "
                             "{target} : {communes}. Choisissez, ou répartissez les valeurs.").format(
                              code=code, source=start, target=target, communes=listed))
        if targets == {code} and not former:
            return result(ConversionStatus.INCHANGE, targets, start, tr("Code inchangé."))
        return result(ConversionStatus.FUSIONNE, targets, start,
                      tr("Le code {code} (COG {source}) correspond à la commune {commune} du COG {target}.").format(
                          code=code, source=start, commune=listed, target=target))

    def _start(self, code: str, target: int, source: Optional[int]) -> tuple[Optional[int], frozenset, bool]:
        """(vintage, codes of communes actuelles in it, entered through a former code) to walk from."""
        if source is not None and code in self.codes[source].actual_codes:
            return source, frozenset({code}), False
        if source is None and code in self.codes[target].actual_codes:
            return target, frozenset({code}), False
        present = [vintage for vintage in self.vintages if code in self.codes[vintage].actual_codes]
        if present:
            # the vintage nearest to the source (or target) that has the code: fewest steps to guess
            reference = source if source is not None else target
            return min(present, key=lambda vintage: (abs(vintage - reference), -vintage)), frozenset({code}), False
        # A former code: read it in the vintage nearest to the target that knows it, because the
        # latest attachment is the most precise one (60455, merged into 60054 before 2021, lies in
        # 60694 since the 2024 split; starting from 2021 would only say « 60054 or 60694 »).
        absorbed = [vintage for vintage in self.vintages if self.codes[vintage].absorbed.get(code)]
        if absorbed:
            vintage = min(absorbed, key=lambda vintage: (abs(vintage - target), -vintage))
            return vintage, frozenset({self.codes[vintage].absorbed.get(code)}), True
        return None, frozenset(), False

    def _why_unknown(self, code: str) -> str:
        if not code:
            return tr("Code vide.")
        first, last = self.vintages[0], self.vintages[-1]
        if code.isdigit() and len(code) == 5 and TerritoryIndex.load(self.latest).postal_code_communes(code):
            return tr("Le code {code} n'est pas un code commune du COG {first} à {last}, mais c'est un code postal : "
                      "la colonne contient peut-être des codes postaux au lieu de codes INSEE.").format(
                code=code, first=first, last=last)
        return tr("Le code {code} n'existe dans aucun millésime du COG {first} à {last}, ni comme ancien code : "
                  "vérifiez la colonne (code INSEE à 5 caractères, 2A/2B pour la Corse).").format(
            code=code, first=first, last=last)

    def convert_many(self, codes: Iterable[object], target: Optional[int] = None, source: Optional[int] = None,
                     arrondissements_to_commune: bool = False) -> dict[str, CodeConversion]:
        """Each distinct normalised code once (a layer repeats codes)."""
        results: dict[str, CodeConversion] = {}
        for value in codes:
            code = normalize_commune_code(value)
            if code not in results:
                results[code] = self.convert(code, target, source, arrondissements_to_commune)
        return results

    # -- vintage detection --------------------------------------------------------------------

    def detect_vintage(self, codes: Iterable[object]) -> VintageDetection:
        """The vintage whose communes best match a column of codes.

        Fewest codes that are not communes of the vintage first; then, among those, fewest
        communes of the vintage missing from the column in the départements it covers (so a
        département's layer is compared with that département only).
        """
        distinct = {normalize_commune_code(value) for value in codes} - {""}
        if not distinct:
            return VintageDetection(None, (), (), tr("Aucun code commune dans la colonne."))
        departements = {_departement_of(code) for code in distinct}
        scores = []
        for vintage, codes_of in self.codes.items():
            known = codes_of.actual_codes | codes_of.arrondissements.keys()
            matched = len(distinct & known)
            missing = sum(1 for code in codes_of.actual_codes - distinct if _departement_of(code) in departements)
            scores.append(VintageScore(vintage, matched, len(distinct) - matched, missing))
        best = min((score.unmatched, score.missing) for score in scores)
        tied = tuple(score.vintage for score in scores if (score.unmatched, score.missing) == best)
        chosen = tied[-1]
        return VintageDetection(chosen, tied, tuple(scores), self._explain(chosen, tied, scores, distinct))

    def _explain(self, chosen: int, tied: tuple, scores: list, distinct: set) -> str:
        score = next(s for s in scores if s.vintage == chosen)
        if score.missing:
            text = tr("{matched} codes sur {total} sont des communes du COG {vintage} ; {missing} communes de ce "
                      "millésime manquent dans les départements couverts.").format(
                matched=score.matched, total=len(distinct), vintage=chosen, missing=score.missing)
        else:
            text = tr("{matched} codes sur {total} sont des communes du COG {vintage}.").format(
                matched=score.matched, total=len(distinct), vintage=chosen)
        if len(tied) > 1:
            text += " " + tr("Les millésimes {vintages} correspondent aussi bien : leurs codes ne diffèrent pas "
                             "pour ces communes ; le plus récent ({vintage}) est retenu.").format(
                vintages=", ".join(map(str, tied)), vintage=chosen)
        if score.unmatched:
            unmatched = distinct - self.codes[chosen].actual_codes - self.codes[chosen].arrondissements.keys()
            older = sum(1 for code in unmatched
                        if any(codes_of.absorbed.get(code) for codes_of in self.codes.values())
                        and not any(code in codes_of.actual_codes for codes_of in self.codes.values()))
            if older and chosen == self.vintages[0]:
                text += " " + tr("{unmatched} codes ne sont pas des communes du COG {vintage}, dont {older} anciens "
                                 "codes de communes fusionnées avant {vintage} : la couche est probablement "
                                 "antérieure à {vintage} ; convertissez-la.").format(
                    unmatched=score.unmatched, vintage=chosen, older=older)
            else:
                text += " " + tr("{unmatched} codes ne sont pas des communes du COG {vintage}.").format(
                    unmatched=score.unmatched, vintage=chosen)
        return text
