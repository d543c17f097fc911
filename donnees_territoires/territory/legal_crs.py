"""The legal projected CRS of each part of France (décret 2000-1276 modified), by département code."""

from __future__ import annotations

from dataclasses import dataclass

from ..toolbelt.i18n import tr


@dataclass(frozen=True)
class CrsZone:
    """A part of France with one legal projection."""

    key: str
    epsg: int
    #: (longitude, latitude) of a town of the zone: the table is checked against pyproj's area of use
    reference_point: tuple[float, float]

    @property
    def label(self) -> str:
        """Name of the zone, as shown to the user (translated)."""
        return _ZONE_LABELS[self.key]()

    @property
    def authid(self) -> str:
        return f"EPSG:{self.epsg}"


# Translated when read, not at import (the translator is installed later); literal tr() arguments
# for scripts/translations.py.
_ZONE_LABELS = {
    "metropole": lambda: tr("France métropolitaine et Corse"),
    "antilles": lambda: tr("Guadeloupe et Martinique"),
    "guyane": lambda: tr("Guyane"),
    "reunion": lambda: tr("La Réunion"),
    "mayotte": lambda: tr("Mayotte"),
    "saint_pierre_et_miquelon": lambda: tr("Saint-Pierre-et-Miquelon"),
    "saint_barthelemy_saint_martin": lambda: tr("Saint-Barthélemy et Saint-Martin"),
}
METROPOLE = CrsZone("metropole", 2154, (2.35, 48.86))
ZONES = {
    z.key: z
    for z in (
        METROPOLE,
        CrsZone("antilles", 5490, (-61.73, 16.0)),
        CrsZone("guyane", 2972, (-52.33, 4.94)),
        CrsZone("reunion", 2975, (55.45, -20.88)),
        CrsZone("mayotte", 4471, (45.23, -12.78)),
        CrsZone("saint_pierre_et_miquelon", 4467, (-56.18, 46.78)),
        CrsZone("saint_barthelemy_saint_martin", 5490, (-63.08, 18.07)),
    )
}

#: département (or collectivité) code → zone key; every other code is métropole or Corse
_OVERSEAS = {
    "971": "antilles", "972": "antilles", "973": "guyane", "974": "reunion", "976": "mayotte",
    "975": "saint_pierre_et_miquelon", "977": "saint_barthelemy_saint_martin",
    "978": "saint_barthelemy_saint_martin",
}


class MixedCrsZonesError(ValueError):
    """A selection spans several legal projections: the caller must split it or name a CRS."""

    def __init__(self, zones: dict[CrsZone, list[str]]):
        self.zones = zones
        parts = ", ".join(tr("{zone} ({crs} : {codes})").format(zone=zone.label, crs=zone.authid,
                                                               codes=", ".join(codes))
                          for zone, codes in zones.items())
        super().__init__(
            tr("La sélection couvre plusieurs zones de projection légale : {zones}. "
               "Produisez une sortie par zone, ou indiquez vous-même un SCR commun "
               "(par exemple EPSG:4326 ou EPSG:3857).").format(zones=parts)
        )


def departement_of_commune(code_insee: str) -> str:
    """Département code of a commune INSEE code: 3 characters overseas (97x), else 2 (incl. 2A/2B)."""
    code = code_insee.strip().upper()
    return code[:3] if code.startswith("97") else code[:2]


def zone_of_departement(code: str) -> CrsZone:
    return ZONES[_OVERSEAS.get(code.strip().upper(), "metropole")]


def zone_of_commune(code_insee: str) -> CrsZone:
    return zone_of_departement(departement_of_commune(code_insee))


def group_by_zone(departement_codes) -> dict[CrsZone, list[str]]:
    """Département codes grouped by legal projection zone, in first-seen order (per-zone outputs)."""
    groups: dict[CrsZone, list[str]] = {}
    for code in departement_codes:
        codes = groups.setdefault(zone_of_departement(code), [])
        if code not in codes:
            codes.append(code)
    return groups


def legal_crs(departement_codes) -> CrsZone:
    """The one legal projection of a selection, or MixedCrsZonesError when it spans several.

    Two zones can share an EPSG code (Antilles and Saint-Barthélemy/Saint-Martin): that is one CRS.
    """
    groups = group_by_zone(departement_codes)
    if not groups:
        raise ValueError(tr("Aucun département : impossible de choisir une projection légale."))
    if len({zone.epsg for zone in groups}) > 1:
        raise MixedCrsZonesError(groups)
    return next(iter(groups))
