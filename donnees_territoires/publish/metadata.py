"""A package's manifest as data.gouv.fr dataset metadata, in French whatever QGIS's language (the platform's
public reads French; the strings are not translated): title, description from the recipe, tags,
temporal coverage, frequency, spatial coverage as the platform's zones, and the licence its sources impose.

Zones and granularities are the platform's (`fr:commune:33063`, `fr:epci:243300316`, `fr:departement:33`,
`fr:region:75`; granularity `fr:commune`…, `other` for a custom shape). Licences: Licence Ouverte 2.0 is
`lov2`, ODbL `odc-odbl`; a package holding an ODbL source is published under ODbL (share-alike), otherwise under
Licence Ouverte 2.0; a source under any other licence is not published, and the refusal names it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from ..toolbelt.i18n import tr
from .api import PublishError

#: the extra that finds a package's dataset again on the platform (extras cannot be searched: the organisation's
#: datasets are listed and matched)
EXTRA_KEY = "donnees_territoires:cle"
TAG = "donnees-et-territoires"
#: territory kind → the platform's zone level
ZONE_LEVELS = {"commune": "fr:commune", "epci": "fr:epci", "departement": "fr:departement", "region": "fr:region"}
GRANULARITY_ORDER = ("fr:commune", "fr:epci", "fr:departement", "fr:region")
#: the catalog's update frequencies, most frequent first: the platform takes them as they are (values valid before
#: and after its 2025 list)
FREQUENCY_RANK = ("continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")


def licence_id(layers: list[dict]) -> str:
    """`odc-odbl` when a layer's source is under ODbL, else `lov2` when all are under Licence Ouverte; PublishError
    naming the layer and its licence for any other."""
    found = set()
    for layer in layers:
        name = f"{layer.get('licence') or ''} {layer.get('licence_url') or ''}".lower()
        if "odbl" in name or "open database" in name:
            found.add("odc-odbl")
        elif "licence ouverte" in name or "open licence" in name or "etalab" in name:
            found.add("lov2")
        else:
            raise PublishError(tr("« {title} » ({table}) est sous « {licence} », une licence qui ne permet pas de "
                                  "le republier comme donnée ouverte sans vérification : retirez ce jeu du paquet "
                                  "avant de le publier.").format(title=layer.get("title") or layer.get("dataset_id"),
                                                        table=layer.get("table_name"),
                                                        licence=layer.get("licence") or "?"))
    return "odc-odbl" if "odc-odbl" in found else "lov2"


def package_key(manifest: dict) -> str:
    """What makes two packages the same publication: the territory and the datasets of the recipe."""
    recipe = manifest.get("recipe") or {}
    return "{}|{}".format(recipe.get("territory") or manifest.get("territory_reference") or "",
                          ",".join(sorted(recipe.get("datasets") or [])))


def content_digest(manifest: dict) -> str:
    """A digest of what the package holds (each table's checksum, the COG vintage): equal, nothing to publish."""
    parts = [str(manifest.get("cog_vintage") or "")] + sorted(
        f"{layer.get('table_name')}:{layer.get('checksum')}" for layer in manifest.get("layers") or [])
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def spatial(manifest: dict) -> dict:
    """The platform's spatial coverage of the package's territories (a custom shape: granularity `other`)."""
    recipe = manifest.get("recipe") or {}
    reference = str(recipe.get("territory") or manifest.get("territory_reference") or "")
    zones, levels = [], []
    for part in filter(None, (item.strip() for item in reference.split(","))):
        kind, _, code = part.partition(":")
        level = ZONE_LEVELS.get(kind)
        if level and code:
            zones.append(f"{level}:{code}")
            levels.append(level)
    if recipe.get("mask") or not zones:
        return {"granularity": "other", **({"zones": zones} if zones else {})}
    return {"zones": zones, "granularity": min(levels, key=GRANULARITY_ORDER.index)}


def dataset_payload(manifest: dict, organisation: str) -> dict:
    """The dataset's metadata, in French, from the manifest."""
    territory = manifest.get("territory") or {}
    name, code = territory.get("name") or manifest.get("territory_name") or "?", territory.get("code") or ""
    layers = manifest.get("layers") or []
    dates = sorted(str(layer.get("fetched_at") or layer.get("written_at") or "")[:10] for layer in layers
                   if layer.get("fetched_at") or layer.get("written_at"))
    day = dates[-1] if dates else date.today().isoformat()
    frequencies = [layer.get("update_frequency") for layer in layers]
    frequency = min((f for f in frequencies if f in FREQUENCY_RANK), key=FREQUENCY_RANK.index, default="irregular")
    themes = sorted({str(layer.get("theme") or "") for layer in layers} - {""})
    payload = {
        "title": ("Référentiels territoriaux — {name}{code}").format(name=name, code=f" ({code})" if code else ""),
        "description": description(manifest),
        "organization": organisation,
        "license": licence_id(layers),
        "frequency": frequency,
        "tags": [TAG, "referentiel-territorial", *[theme.replace("_", "-") for theme in themes]],
        "temporal_coverage": {"start": dates[0] if dates else day, "end": day},
        "spatial": spatial(manifest),
        "extras": {EXTRA_KEY: package_key(manifest)},
    }
    return payload


def description(manifest: dict) -> str:
    """Markdown, in French: what the package holds, from where, under which licence, how it was cut, how to
    refresh it."""
    recipe = manifest.get("recipe") or {}
    territory = manifest.get("territory") or {}
    lines = [("Référentiels de données découpés sur le territoire « {name} » ({reference}) par l'extension QGIS "
                "Données et territoires, à partir des sources ci-dessous.").format(
        name=territory.get("name") or manifest.get("territory_name") or "?",
        reference=recipe.get("territory") or manifest.get("territory_reference") or "?"), "",
        ("## Jeux de données"), ""]
    for layer in manifest.get("layers") or []:
        lines.append(("- **{title}** (table `{table}`, {count} objets) — {producer} ; licence : [{licence}]({url}) ; "
                        "données lues le {date} ; source : {source}").format(
            title=layer.get("title") or layer.get("dataset_id"), table=layer.get("table_name"),
            count=layer.get("feature_count", 0), producer=layer.get("producer") or "?",
            licence=layer.get("licence") or "?", url=layer.get("licence_url") or "",
            date=str(layer.get("fetched_at") or layer.get("written_at") or "")[:10] or "?",
            source=layer.get("homepage") or ", ".join(layer.get("source_urls") or []) or "?"))
    buffer = recipe.get("buffer_m") or 0
    lines += ["", ("## Découpage"), "",
              ("- Code officiel géographique (COG) {vintage} ; projection {crs}.").format(
                  vintage=manifest.get("cog_vintage") or "?", crs=manifest.get("crs") or "?"),
              ("- Chaque jeu est découpé selon la règle de son catalogue (code INSEE, intersection, découpe au "
                 "contour ou inclusion){buffer}.").format(
                  buffer=(f", avec une zone tampon de {buffer:g} m") if buffer else ""),
              "", ("## Mettre à jour"), "",
              ("Le paquet GeoPackage contient sa recette (table `manifest`) : dans QGIS, avec l'extension Données et "
                 "territoires, ouvrez-le et cliquez « Mettre à jour », ou lancez l'algorithme "
                 "`donnees_territoires:refresh_package` ; chaque couche existe aussi en fichier ouvert (GeoJSON ou "
                 "CSV).")]
    warnings = manifest.get("warnings") or []
    if warnings:
        lines += ["", ("## Avertissements"), "", *[f"- {warning}" for warning in warnings]]
    return "\n".join(lines)


def canonical(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)
