"""Publish a package as an open dataset of an organisation on data.gouv.fr, idempotently.

The same territory and datasets update the same dataset: found by the id recorded in the package (per platform),
else among the organisation's datasets by the extra `donnees_territoires:cle`; its resources' files are replaced
in place (same ids: links keep working). A package unchanged since its last publication sends nothing. A new
dataset is created private, its files uploaded, then made public; when that fails, the dataset the attempt
created is deleted: nothing half-made stays on the platform.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..toolbelt import log
from ..toolbelt.i18n import tr
from .api import Api, PublishError, Recorder, api_key, api_url
from .metadata import EXTRA_KEY, content_digest, dataset_payload, package_key
from .org_catalog import entries, stable_url, update_catalog

#: a spatial layer up to this many features gets a GeoJSON file of its own; beyond, the GeoPackage holds it
GEOJSON_MAX_FEATURES = 100_000
PUBLICATION_KEY = "publication"


@dataclass
class PublishResult:
    dataset_id: str = ""
    page: str = ""
    created: bool = False
    unchanged: bool = False
    resources: dict = field(default_factory=dict)  # file name → resource id
    urls: dict = field(default_factory=dict)  # file name → its stable address
    dry_run: str = ""  # the folder of the recorded requests
    catalog: str = ""  # the stable address of the organisation's catalog
    notes: list[str] = field(default_factory=list)


def exports(package: Path, manifest: dict, folder: Path, feedback=None) -> list[tuple[str, Path]]:
    """The files to publish: the GeoPackage, then one open file per layer (GeoJSON in WGS84 for a spatial layer
    up to GEOJSON_MAX_FEATURES, CSV for a table), named after the table."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsCoordinateTransformContext,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )

    folder.mkdir(parents=True, exist_ok=True)
    files = [(package.name, package)]
    for layer_record in manifest.get("layers") or []:
        table = layer_record["table_name"]
        layer = QgsVectorLayer(f"{package}|layername={table}", table, "ogr")
        if not layer.isValid():
            raise PublishError(tr("La couche {table} du paquet {path} ne s'ouvre pas.").format(table=table,
                                                                                                path=package))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.fileEncoding = "UTF-8"
        if layer.isSpatial():
            if layer.featureCount() > GEOJSON_MAX_FEATURES:
                continue
            name, options.driverName = f"{table}.geojson", "GeoJSON"
            options.layerOptions = ["RFC7946=YES"]  # WGS84 longitude/latitude, as GeoJSON wants
            options.ct = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"),
                                                QgsCoordinateTransformContext())
        else:
            name, options.driverName = f"{table}.csv", "CSV"
        target = folder / name
        result = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(target), QgsCoordinateTransformContext(), options)
        if result[0] != QgsVectorFileWriter.WriterError.NoError:
            raise PublishError(tr("Export de {table} impossible ({error}).").format(table=table, error=result[1]))
        files.append((name, target))
        del layer
    return files


def record_publication(package: Path, platform: str, record: dict) -> None:
    """Keep where the package was published in its manifest (per platform), for the next publication."""
    with sqlite3.connect(package) as db:
        row = db.execute("SELECT value FROM manifest WHERE key = ?", (PUBLICATION_KEY,)).fetchone()
        publications = json.loads(row[0]) if row and row[0] else {}
        publications[platform] = record
        db.execute("DELETE FROM manifest WHERE key = ?", (PUBLICATION_KEY,))
        db.execute("INSERT INTO manifest (key, value) VALUES (?, ?)",
                   (PUBLICATION_KEY, json.dumps(publications, ensure_ascii=False, sort_keys=True)))
    db.close()


def _with_frequencies(manifest: dict) -> dict:
    """The layers with their catalog entry's update frequency (the manifest does not keep it)."""
    try:
        from ..catalog import configured_catalog

        catalog = configured_catalog()
    except Exception:  # noqa: BLE001 - the frequency is a detail: « irregular » without the catalog
        return manifest
    layers = []
    for layer in manifest.get("layers") or []:
        dataset = catalog.get(layer.get("dataset_id") or "")
        layers.append(dict(layer, update_frequency=dataset.update_frequency) if dataset else layer)
    return dict(manifest, layers=layers)


def publish(package: str | Path, *, organisation: str, platform: str, authcfg: str = "", settings=None,
            feedback=None, work_folder: Path, dry_run: Path | None = None) -> PublishResult:
    from ..package.gpkg import read_manifest

    package = Path(package)
    manifest = _with_frequencies(read_manifest(package))
    payload = dataset_payload(manifest, organisation)
    digest = content_digest(manifest)
    previous = (manifest.get(PUBLICATION_KEY) or {}).get(platform) or {}
    if dry_run is None and previous.get("digest") == digest and previous.get("organisation") == organisation:
        return PublishResult(previous.get("dataset_id", ""), previous.get("page", ""), unchanged=True,
                             resources=dict(previous.get("resources") or {}))
    recorder = Recorder() if dry_run is not None else None
    api = Api(api_url(platform), "" if recorder else api_key(authcfg), settings=settings, feedback=feedback,
              recorder=recorder)
    files = exports(package, manifest, work_folder, feedback)
    org = api.get(f"organizations/{organisation}/", missing_ok=True)
    if org is None and recorder is None:
        raise PublishError(tr("L'organisation « {organisation} » n'existe pas sur {platform} : vérifiez son "
                              "identifiant (ou son nom court) dans les options de l'extension.").format(
            organisation=organisation, platform=api.base_url))
    payload["organization"] = (org or {}).get("id", organisation)
    existing = None if recorder else _find(api, previous, organisation, manifest)
    result = _create(api, payload, files) if existing is None else _update(api, existing, payload, files)
    result.catalog = _share(api, manifest, org or {"id": organisation, "slug": organisation, "name": organisation},
                            payload, result, package.name, settings)
    if recorder is not None:
        result.dry_run = str(recorder.write(dry_run))
        return result
    record_publication(package, platform, {
        "dataset_id": result.dataset_id, "page": result.page, "organisation": organisation, "digest": digest,
        "resources": result.resources, "catalog": result.catalog,
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    return result


def _share(api: Api, manifest: dict, organisation: dict, payload: dict, result: PublishResult, gpkg: str,
           settings) -> str:
    """The organisation's catalog updated with this package's layers (« mutualiser »); its stable address."""
    from ..fetch import FetchError, fetch

    def download(url: str) -> bytes:
        try:
            return fetch(url, settings=settings, max_age_s=0).read_bytes()
        except FetchError as error:
            raise PublishError(str(error)) from error

    page = result.page or f"{api.base_url.split('/api/1/')[0]}/fr/datasets/{result.dataset_id}/"
    new = entries(manifest, organisation, payload, result.urls.get(gpkg, ""), page)
    return update_catalog(api, organisation, new, download)


def _find(api: Api, previous: dict, organisation: str, manifest: dict) -> dict | None:
    """The dataset this package was published as: by its recorded id, else by the extra among the organisation's."""
    if previous.get("dataset_id"):
        found = api.get(f"datasets/{previous['dataset_id']}/", missing_ok=True)
        if found and not found.get("deleted"):
            return found
    return api.find_dataset(organisation, EXTRA_KEY, package_key(manifest))


def _create(api: Api, payload: dict, files: list[tuple[str, Path]]) -> PublishResult:
    created = api.post("datasets/", dict(payload, private=True))
    dataset_id = created["id"]
    result = PublishResult(dataset_id, created.get("page", ""), created=True)
    try:
        for name, path in files:
            resource = api.upload(f"datasets/{dataset_id}/upload/", path, name)
            api.put(f"datasets/{dataset_id}/resources/{resource['id']}/", {"title": name})
            result.resources[name], result.urls[name] = resource["id"], stable_url(api, resource)
        api.put(f"datasets/{dataset_id}/", {"private": False})
    except PublishError as error:
        try:
            api.delete(f"datasets/{dataset_id}/")
            cleaned = tr("le jeu créé par cette tentative a été supprimé")
        except PublishError as cleanup:
            log.warning(str(cleanup))
            cleaned = tr("le jeu privé {id} créé par cette tentative n'a pas pu être supprimé : supprimez-le sur la "
                         "plateforme").format(id=dataset_id)
        raise PublishError(tr("Publication interrompue ({error}) ; {cleaned}. Relancez la publication.").format(
            error=error, cleaned=cleaned), error.status) from error
    return result


def _update(api: Api, existing: dict, payload: dict, files: list[tuple[str, Path]]) -> PublishResult:
    dataset_id = existing["id"]
    result = PublishResult(dataset_id, existing.get("page", ""))
    by_title = {resource.get("title"): resource.get("id") for resource in existing.get("resources") or []}
    done = 0
    try:
        for name, path in files:
            if name in by_title:
                resource = api.upload(f"datasets/{dataset_id}/resources/{by_title[name]}/upload/", path, name)
            else:
                resource = api.upload(f"datasets/{dataset_id}/upload/", path, name)
            # an uploaded file's resource takes the file's name as title: the table's name is put back
            api.put(f"datasets/{dataset_id}/resources/{resource['id']}/", {"title": name})
            result.resources[name], result.urls[name] = resource["id"], stable_url(api, resource)
            done += 1
        api.put(f"datasets/{dataset_id}/", dict(payload, private=False))
    except PublishError as error:
        raise PublishError(tr("Mise à jour de la publication interrompue après {done} fichier(s) sur {count} ({error}) "
                              ": le jeu {id} reste public, avec ses fichiers précédents pour les autres. Relancez la "
                              "publication pour la terminer.").format(done=done, count=len(files), error=error,
                                                                      id=dataset_id), error.status) from error
    return result
