"""TerritoryFacts from the COG index: what a recipe's territory gives to the catalog's templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Union

from ..territory.model import Territory, TerritoryKind, TerritoryRef
from .templates import TerritoryFacts

References = Union[str, Iterable[Union[str, Territory, TerritoryRef]]]


def facts_from_index(index: Any, references: References, **kwargs: Any) -> TerritoryFacts:
    """The facts of territories (`commune:33063,epci:243300316`…) read from a territory.TerritoryIndex.

    Communes are communes actuelles, except that an arrondissement municipal stays itself (so
    that `commune:75108` fetches the cadastre of the 8th only). EPCI are those of the communes
    (or the EPCI itself). `kwargs` (bbox, millesime, years, crs) pass through to TerritoryFacts.
    """
    territories = index.resolve(references) if isinstance(references, str) else [index.get(r) for r in references]
    communes: list[str] = []
    departements: list[str] = []
    regions: list[str] = []
    epci: list[str] = []
    for territory in territories:
        if territory.kind is TerritoryKind.ARRONDISSEMENT_MUNICIPAL:
            members = [territory]
            communes.append(territory.code)
        else:
            members = index.communes(territory)
            communes.extend(member.code for member in members)
        for departement in index.departements(territory):
            departements.append(departement.code)
            if departement.region:
                regions.append(departement.region)
        if territory.kind is TerritoryKind.EPCI:
            epci.append(territory.code)
        else:
            for member in members:
                group = index.parent(member, TerritoryKind.EPCI)
                if group is not None:
                    epci.append(group.code)
    return TerritoryFacts(communes=_unique(communes), departements=_unique(departements),
                          regions=_unique(regions), epci=_unique(epci), **kwargs)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
