"""URL templates: the whitelisted placeholders, what a territory gives them, and their expansion."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import quote

from ..territory.legal_crs import departement_of_commune
from ..toolbelt.i18n import tr

#: the only names a template may use; anything else between braces is refused at load time
PLACEHOLDERS = ("code_insee", "code_dep", "code_reg", "siren_epci", "millesime", "year", "bbox", "layer")
#: placeholders that make one URL per territory unit, finest first
UNIT_PLACEHOLDERS = ("code_insee", "code_dep", "code_reg", "siren_epci")

_TOKEN = re.compile(r"\{([a-z_]+)\}")
#: what a code may look like before it goes into a URL or a WFS filter (INSEE codes, SIREN)
_CODE = re.compile(r"^[0-9A-Z]{2,9}$")

#: arrondissements municipaux of Paris, Lyon and Marseille: stable since 1964 / 1964 / 1946
#: (Paris Centre, 2020, is an electoral sector: the INSEE codes 75101–75104 remain).
PLM_ARRONDISSEMENTS: dict[str, tuple[str, ...]] = {
    "75056": tuple(str(code) for code in range(75101, 75121)),
    "69123": tuple(str(code) for code in range(69381, 69390)),
    "13055": tuple(str(code) for code in range(13201, 13217)),
}


class TemplateError(ValueError):
    """A template or the territory facts do not allow building the URLs; the message is for the user."""


def template_names(template: str) -> list[str]:
    """Placeholder names of a template, in order, without checking them."""
    return _TOKEN.findall(template)


def template_problems(template: str) -> list[str]:
    """What is wrong with a template, as French phrases (empty: it only fills permitted placeholders).

    Braces must enclose a permitted name and nothing else: no attribute access, index, conversion
    or format spec ever reaches a formatter, because expansion is a plain substitution.
    """
    problems = []
    for name in template_names(template):
        if name not in PLACEHOLDERS:
            problems.append(tr("variable « {name} » inconnue (variables permises : {allowed})").format(
                name="{" + name + "}", allowed=", ".join("{" + p + "}" for p in PLACEHOLDERS)))
    if "{" in _TOKEN.sub("", template) or "}" in _TOKEN.sub("", template):
        problems.append(tr("accolades mal formées : seules les variables {allowed} sont permises").format(
            allowed=", ".join("{" + p + "}" for p in PLACEHOLDERS)))
    return problems


def fill(template: str, values: Mapping[str, str]) -> str:
    """Substitute placeholders by URL-quoted values; every placeholder of the template must have one."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS or name not in values:
            raise TemplateError(tr("Aucune valeur pour la variable « {name} » de l'adresse {template}.").format(
                name="{" + name + "}", template=template))
        return quote(str(values[name]), safe="-._~,")
    return _TOKEN.sub(value, template)


def check_code(code: str) -> str:
    """A territory code fit for a URL or a filter (INSEE or SIREN), else TemplateError."""
    text = str(code).strip().upper()
    if not _CODE.match(text):
        raise TemplateError(tr("Code de territoire invalide : « {code} ».").format(code=code))
    return text


@dataclass(frozen=True)
class TerritoryFacts:
    """What the territory of a recipe gives to templates and filters; built by whoever knows the territory.

    `communes` are INSEE codes of communes actuelles (an arrondissement municipal code is accepted
    too). Départements default to those of the communes. `bbox` is (west, south, east, north) in
    WGS84 degrees. `millesime` and `years` override the defaults of a catalog entry.
    """

    communes: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    epci: tuple[str, ...] = ()
    bbox: Optional[tuple[float, float, float, float]] = None
    millesime: Optional[str] = None
    years: tuple[int, ...] = ()
    #: authid of the CRS chosen for the territory (e.g. by territory.legal_crs); None: work it out
    crs: Optional[str] = None
    arrondissements: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(PLM_ARRONDISSEMENTS))

    @classmethod
    def for_communes(cls, codes: Iterable[str], **kwargs) -> TerritoryFacts:
        return cls(communes=tuple(codes), **kwargs)

    @property
    def departement_codes(self) -> tuple[str, ...]:
        """The départements given, else those of the communes, in first-seen order."""
        if self.departements:
            return _unique(check_code(code) for code in self.departements)
        return _unique(departement_of_commune(check_code(code)) for code in self.communes)

    def parent_commune(self, code: str) -> Optional[str]:
        """The commune an arrondissement municipal belongs to (75108 → 75056), else None."""
        for commune, arrondissements in self.arrondissements.items():
            if code in arrondissements:
                return commune
        return None

    def commune_codes(self, level: str = "commune") -> tuple[str, ...]:
        """Commune codes as a producer publishes them.

        level « commune »: an arrondissement becomes its commune (75108 → 75056). Level
        « arrondissement »: Paris, Lyon and Marseille become their arrondissements (75056 →
        75101…75120), an arrondissement stays itself.
        """
        codes = []
        for raw in self.communes:
            code = check_code(raw)
            parent = self.parent_commune(code)
            if level == "arrondissement":
                codes.extend(self.arrondissements.get(code, (code,)) if parent is None else (code,))
            else:
                codes.append(parent or code)
        return _unique(codes)

    def bbox_text(self) -> str:
        if self.bbox is None:
            raise TemplateError(tr("L'emprise du territoire est inconnue : impossible de remplir {bbox}."))
        west, south, east, north = (float(v) for v in self.bbox)
        return ",".join(_number(v) for v in (west, south, east, north))


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
