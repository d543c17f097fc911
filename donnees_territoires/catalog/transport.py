"""The national access point to transport data: the public-transport datasets whose covered area meets a
territory, and their GTFS.

Its public API (`GET …/api/datasets`, the catalog entry's address, no key) answers one JSON array of datasets:
`title`, `type` (« public-transit » for timetables), `covered_area` — since September 2025 an array of
`{"type": "commune" | "epci" | "departement" | "region" | "pays", "insee": …, "nom": …}` — and `resources`, each
with `format` (« GTFS », « NeTEx », « gtfs-rt »…), `url` (stable), `original_url`, `is_available`, `title`.
Keys whose value is null are left out by the API. (etalab/transport-site, datasets_controller.ex.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..toolbelt.i18n import tr
from .templates import TerritoryFacts

#: covered-area levels a territory's feeds are looked for at; « pays » (national coaches and trains) is left
#: out: a national feed is not a territory's network
COVERAGE_LEVELS = ("commune", "epci", "departement", "region")


class NoFeedError(LookupError):
    """No public-transport dataset of the API covers the territory."""


@dataclass(frozen=True)
class Feed:
    """One GTFS resource to download: the network's name (the dataset's title) and the file's URL."""

    network: str
    url: str
    dataset_id: str = ""


def coverage_keys(facts: TerritoryFacts) -> tuple[str, ...]:
    """« commune:33063 », « epci:243300316 », « departement:33 », « region:75 »: what a covered area of the
    territory may name (a commune's arrondissements count as the commune)."""
    keys = [f"commune:{code}" for code in facts.commune_codes("commune")]
    keys += [f"epci:{siren}" for siren in facts.epci]
    keys += [f"departement:{code}" for code in facts.departement_codes]
    keys += [f"region:{code}" for code in facts.regions]
    return tuple(dict.fromkeys(keys))


def _areas(dataset: dict) -> list[str]:
    areas = dataset.get("covered_area")
    if isinstance(areas, dict):  # the shape before September 2025: one object
        areas = [areas]
    keys = []
    for area in areas if isinstance(areas, list) else []:
        if isinstance(area, dict) and area.get("type") in COVERAGE_LEVELS and area.get("insee"):
            keys.append(f"{area['type']}:{area['insee']}")
    return keys


def select_feeds(document: Any, keys: tuple[str, ...], label: str = "") -> list[Feed]:
    """The GTFS resources of the public-transit datasets covering one of `keys` (coverage_keys), one per
    dataset and URL, in the API's order; NoFeedError (French) when there is none."""
    wanted = set(keys)
    feeds: list[Feed] = []
    seen: set[str] = set()
    for dataset in document if isinstance(document, list) else []:
        if not isinstance(dataset, dict) or dataset.get("type") != "public-transit":
            continue
        if not wanted.intersection(_areas(dataset)):
            continue
        for resource in dataset.get("resources") or []:
            if not isinstance(resource, dict) or str(resource.get("format") or "").upper() != "GTFS":
                continue
            if resource.get("is_available") is False:
                continue
            url = str(resource.get("url") or resource.get("original_url") or "")
            if not url.lower().startswith(("https://", "http://")) or url in seen:
                continue
            seen.add(url)
            feeds.append(Feed(str(dataset.get("title") or resource.get("title") or "?"), url,
                              str(dataset.get("id") or dataset.get("datagouv_id") or "")))
    if not feeds:
        raise NoFeedError(tr("Aucun jeu de transport en commun (GTFS) du point d'accès national ne couvre {territory} "
                             "(communes, EPCI, départements et régions du territoire regardés).").format(
            territory=label or ", ".join(keys[:3])))
    return feeds
