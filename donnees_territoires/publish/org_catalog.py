"""The organisation's catalog (« mutualiser »): after a publication, one entry per layer of the package, in the
plugin's own catalog format, pointing at the published GeoPackage by its stable address. The catalog is itself a
resource of a dataset of the organisation (« Catalogue Données et territoires — … »), updated in place: another
team adds its one stable address in its options and gets the package's layers through the plugin.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

from ..toolbelt.i18n import tr
from .api import Api, PublishError
from .metadata import EXTRA_KEY

CATALOG_FILE = "catalogue-donnees-territoires.json"
CATALOG_EXTRA = "donnees_territoires:catalogue"
GEOMETRY = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
            "Polygon": "polygon", "MultiPolygon": "polygon", "CompoundCurve": "line", "MultiCurve": "line",
            "CurvePolygon": "polygon", "MultiSurface": "polygon"}


def entry_id(organisation: str, reference: str, dataset_id: str) -> str:
    raw = f"{organisation}-{reference.replace(':', '-').replace(',', '-')}-{dataset_id}".lower()
    text = re.sub(r"[^a-z0-9-]+", "-", raw).strip("-")
    return re.sub(r"-{2,}", "-", text)[:64].strip("-")


def entries(manifest: dict, organisation: dict, payload: dict, gpkg_url: str, page: str) -> list[dict]:
    """One catalog entry per layer of the published package."""
    territory = manifest.get("territory") or {}
    reference = (manifest.get("recipe") or {}).get("territory") or territory.get("reference") or ""
    name = territory.get("name") or reference
    # the package's licence as its sources write it (ODbL when one of them is: share-alike)
    layers = manifest.get("layers") or []
    odbl = [layer for layer in layers if "odbl" in f"{layer.get('licence')} {layer.get('licence_url')}".lower()]
    chosen = (odbl if payload["license"] == "odc-odbl" else layers or [{}])[0]
    licence_name, licence_url = chosen.get("licence") or "?", chosen.get("licence_url") or ""
    published = []
    for layer in manifest.get("layers") or []:
        geometry = GEOMETRY.get(str(layer.get("geometry_type") or "").replace("Z", "").replace("M", ""), "none")
        entry = {
            "id": entry_id(organisation.get("slug") or organisation.get("id", ""), reference, layer["dataset_id"]),
            "title": {"fr": f"{layer.get('title') or layer['dataset_id']} — {name}",
                      "en": f"{layer.get('title') or layer['dataset_id']} — {name}"},
            "description": {
                "fr": f"Couche « {layer['table_name']} » du paquet publié par {organisation.get('name', '?')} pour "
                      f"{name} ({reference}), découpée par l'extension Données et territoires. Source : "
                      f"{layer.get('producer') or '?'}.",
                "en": f"Layer « {layer['table_name']} » of the package published by {organisation.get('name', '?')} "
                      f"for {name} ({reference}), cut by the Données et territoires plugin. Source: "
                      f"{layer.get('producer') or '?'}."},
            "theme": layer.get("theme") or "autre",
            "keywords": [name, layer["dataset_id"]],
            "producer": f"{organisation.get('name', '?')}, d'après {layer.get('producer') or '?'}"[:200],
            "licence": {"name": licence_name, "url": licence_url},
            "homepage": page,
            "update_frequency": payload["frequency"],  # one of the catalog's values (metadata.FREQUENCY_RANK)
            "documentation": [{"title": "Jeu de données publié", "url": page}],
            "evidence": f"Écrit par l'extension Données et territoires en publiant le paquet le "
                        f"{date.today().isoformat()} : la couche « {layer['table_name']} » du GeoPackage publié, "
                        f"découpée sur {reference}.",
            "source": {"kind": "national_file", "url": gpkg_url},
            "format": {"type": "gpkg", "layer_name": layer["table_name"], "geometry_type": geometry,
                       "crs": layer.get("crs") or manifest.get("crs") or "EPSG:2154"},
            # already cut to the territory: a part of it is cut again, by location
            "cut": {"rule": "intersects" if geometry != "none" else "none"},
        }
        keys = [key for key in layer.get("key_fields") or [] if re.match(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$", key)]
        if keys:
            entry["key_field"] = keys[:5]
        published.append(entry)
    return published


def update_catalog(api: Api, organisation: dict, new_entries: list[dict], download) -> str:
    """Merge `new_entries` into the organisation's catalog (created on first use) and upload it in place; the
    catalog's stable address. `download(url)` reads the current catalog file (bytes)."""
    from ..catalog.schema import catalog_validator

    validator = catalog_validator()
    document = {"format_version": 1,
                "name": {"fr": f"Catalogue de {organisation.get('name', '?')}",
                         "en": f"Catalog of {organisation.get('name', '?')}"},
                "publisher": organisation.get("name") or organisation.get("slug") or "?",
                "updated": date.today().isoformat(), "datasets": []}
    dataset = api.find_dataset(organisation["id"], CATALOG_EXTRA)
    resource = None
    if dataset is not None:
        resource = next((r for r in dataset.get("resources") or [] if r.get("title") == CATALOG_FILE), None)
        if resource is not None:
            try:
                current = json.loads(download(resource.get("latest") or resource.get("url")))
                document["datasets"] = [e for e in current.get("datasets") or [] if isinstance(e, dict)]
            except (ValueError, OSError, PublishError):
                document["datasets"] = []
    replaced = {entry["id"] for entry in new_entries}
    document["datasets"] = [e for e in document["datasets"] if e.get("id") not in replaced] + new_entries
    errors = validator.errors(document, validator.schema)
    if errors:
        raise PublishError(tr("L'entrée de catalogue de l'organisation serait invalide ({errors}) : rien n'a été "
                              "publié dans le catalogue.").format(errors="; ".join(map(str, errors[:3]))))
    if dataset is None:
        dataset = api.post("datasets/", {
            "title": f"Catalogue Données et territoires — {organisation.get('name', '?')}",
            "description": "Catalogue des paquets territoriaux publiés par l'organisation avec l'extension QGIS "
                           "Données et territoires : ajoutez l'adresse de la ressource "
                           f"« {CATALOG_FILE} » dans les options de l'extension (Catalogues) pour obtenir ces "
                           "couches.",
            "organization": organisation["id"], "license": "lov2", "frequency": "irregular",
            "tags": ["donnees-et-territoires", "catalogue"], "extras": {CATALOG_EXTRA: True, EXTRA_KEY: "catalogue"}})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / CATALOG_FILE
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if resource is not None:
            uploaded = api.upload(f"datasets/{dataset['id']}/resources/{resource['id']}/upload/", path, CATALOG_FILE)
        else:
            uploaded = api.upload(f"datasets/{dataset['id']}/upload/", path, CATALOG_FILE)
    api.put(f"datasets/{dataset['id']}/resources/{uploaded['id']}/", {"title": CATALOG_FILE})
    return stable_url(api, uploaded)


def stable_url(api: Api, resource: dict) -> str:
    """The address of a resource that follows its file when it is replaced (« latest »)."""
    if resource.get("latest"):
        return resource["latest"]
    site = api.base_url.split("/api/1/")[0]
    return f"{site}/fr/datasets/r/{resource['id']}"
