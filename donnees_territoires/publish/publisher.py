"""Publish a package as an open dataset of an organisation on data.gouv.fr, idempotently.

The same territory and datasets update the same dataset: found by the id recorded in the package (per platform),
else among the organisation's datasets by the extra `donnees_territoires:cle`; its resources' files are replaced
in place (same ids: links keep working). A package unchanged since its last publication sends nothing. A new
dataset is created private, its files uploaded, then made public; when that fails, the dataset the attempt
created is deleted: nothing half-made stays on the platform.
"""

from __future__ import annotations

import json
import shutil
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


def record_publication(package, platform: str, record: dict) -> None:
    """Keep where the package was published in its manifest (per platform), for the next publication."""
    from ..package.destination import PostgisSchema

    destination = _destination(package)
    publications = dict(destination.read_manifest().get(PUBLICATION_KEY) or {})
    publications[platform] = record
    value = json.dumps(publications, ensure_ascii=False, sort_keys=True)
    if isinstance(destination, PostgisSchema):
        from .postgis_export import record_publication as record_in_schema

        record_in_schema(destination, PUBLICATION_KEY, value)
        return
    with sqlite3.connect(destination.path) as db:
        db.execute("DELETE FROM manifest WHERE key = ?", (PUBLICATION_KEY,))
        db.execute("INSERT INTO manifest (key, value) VALUES (?, ?)", (PUBLICATION_KEY, value))
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


@dataclass
class FolderResult:
    """What became of the packages of a batch folder: each one published as its own dataset."""

    published: list[tuple[str, PublishResult]] = field(default_factory=list)  # (file name, result)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file name, French sentence)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    catalog: str = ""
    dry_run: str = ""
    canceled: bool = False


class Publication:
    """Publications to one organisation of one platform: the API (or a recorder in a dry run), the organisation
    read once, and the catalog entries of what was published, shared once at the end (« mutualiser »)."""

    def __init__(self, *, organisation: str, platform: str, authcfg: str = "", settings=None, feedback=None,
                 dry_run: bool = False) -> None:
        self.organisation, self.platform, self.settings, self.feedback = organisation, platform, settings, feedback
        self.recorder = Recorder() if dry_run else None
        self.api = Api(api_url(platform), "" if dry_run else api_key(authcfg), settings=settings, feedback=feedback,
                       recorder=self.recorder)
        org = self.api.get(f"organizations/{organisation}/", missing_ok=True)
        if org is None and not dry_run:
            raise PublishError(tr("L'organisation « {organisation} » n'existe pas sur {platform} : vérifiez son "
                                  "identifiant (ou son nom court) dans les options de l'extension.").format(
                organisation=organisation, platform=self.api.base_url))
        self.org = org or {"id": organisation, "slug": organisation, "name": organisation}
        self.entries: list[dict] = []
        self._records: list[tuple[object, dict]] = []  # (destination, record) written once shared

    def package(self, destination, work_folder: Path, manifest: dict | None = None) -> PublishResult:
        """Publish one package (a GeoPackage or PostGIS Destination; its `manifest` when already read); its
        record is kept for `finish`."""
        manifest = destination.read_manifest() if manifest is None else manifest
        unchanged = None if self.recorder else _unchanged(manifest, self.platform, self.organisation)
        if unchanged is not None:
            return unchanged
        manifest = _with_frequencies(manifest)
        payload = dataset_payload(manifest, self.organisation)
        payload["organization"] = self.org.get("id", self.organisation)
        api = self.api
        try:
            gpkg = _as_geopackage(destination, work_folder, self.feedback)
            files = exports(gpkg, manifest, work_folder, self.feedback)
            existing = None if self.recorder else _find(api, _previous(manifest, self.platform), self.organisation,
                                                     manifest)
            result = _create(api, payload, files) if existing is None else _update(api, existing, payload, files)
        finally:
            shutil.rmtree(work_folder, ignore_errors=True)
        page = result.page or f"{api.base_url.split('/api/1/')[0]}/fr/datasets/{result.dataset_id}/"
        self.entries += entries(manifest, self.org, payload, result.urls.get(gpkg.name, ""), page)
        self._records.append((destination, {
            "dataset_id": result.dataset_id, "page": result.page, "organisation": self.organisation,
            "digest": content_digest(manifest), "resources": result.resources,
            "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        return result

    def finish(self, dry_run: Path | None = None) -> tuple[str, str]:
        """The organisation's catalog updated with what was published, then each publication recorded in its
        package (a package is recorded only once its layers are in the catalog: else the next run, finding it
        unchanged, would never put them there). The catalog's address and the dry run's requests file."""
        try:
            catalog = self._share() if self.entries else ""
        except PublishError as error:
            raise PublishError(tr("Les fichiers sont publiés, mais le catalogue de l'organisation n'a pas pu être "
                                  "mis à jour ({error}) : relancez la publication pour l'y inscrire.").format(
                                      error=error),
                               error.status) from error
        if self.recorder is not None:
            return catalog, str(self.recorder.write(dry_run))
        for destination, record in self._records:
            record_publication(destination, self.platform, dict(record, catalog=catalog))
        self._records = []
        return catalog, ""

    def _share(self) -> str:
        from ..fetch import FetchError, fetch

        def download(url: str) -> bytes:
            try:
                return fetch(url, settings=self.settings, max_age_s=0).read_bytes()
            except FetchError as error:
                raise PublishError(str(error)) from error

        return update_catalog(self.api, self.org, self.entries, download)


def publish(package, *, organisation: str, platform: str, authcfg: str = "", settings=None, feedback=None,
            work_folder: Path, dry_run: Path | None = None) -> PublishResult:
    """Publish one package: a GeoPackage (its path) or a Destination (a PostGIS schema is exported first)."""
    destination = _destination(package)
    # a package that is not one is refused, and an unchanged one ends here, before any request (and any key)
    manifest = destination.read_manifest()
    unchanged = None if dry_run is not None else _unchanged(manifest, platform, organisation)
    if unchanged is not None:
        return unchanged
    session = Publication(organisation=organisation, platform=platform, authcfg=authcfg, settings=settings,
                          feedback=feedback, dry_run=dry_run is not None)
    result = session.package(destination, work_folder, manifest)
    result.catalog, result.dry_run = session.finish(dry_run)
    return result


def folder_packages(folder: Path) -> tuple[list[tuple[Path, dict]], list[tuple[str, str]]]:
    """The packages of a batch folder to publish (each with its manifest), and the files left aside with why: a
    GeoPackage that is not a package of the plugin, or one made in an older COG than the folder's newest (its
    territory is gone: the batch report says « obsolète »)."""
    from ..package.gpkg import read_manifest
    from ..package.model import PackageError

    found, skipped = [], []
    for path in sorted(folder.glob("*.gpkg")):
        try:
            found.append((path, read_manifest(path)))
        except PackageError:
            skipped.append((path.name, tr("ce n'est pas un paquet de l'extension")))
    newest = max((int(manifest.get("cog_vintage") or 0) for _path, manifest in found), default=0)
    packages = []
    for path, manifest in found:
        vintage = int(manifest.get("cog_vintage") or 0)
        if vintage < newest:
            skipped.append((path.name, tr("fait avec le COG {vintage}, plus ancien que celui du lot ({newest}) : son "
                                          "territoire n'existe plus").format(vintage=vintage, newest=newest)))
        else:
            packages.append((path, manifest))
    return packages, skipped


def publish_folder(folder: str | Path, *, organisation: str, platform: str, authcfg: str = "", settings=None,
                   feedback=None, work_folder: Path, dry_run: Path | None = None) -> FolderResult:
    """Publish each package of a batch folder as a dataset of its own (its territory's zones, its own
    idempotent record); one failing does not stop the others; the organisation's catalog is updated once."""
    folder = Path(folder)
    packages, skipped = folder_packages(folder)
    if not packages:
        raise PublishError(tr("Le dossier {folder} ne contient aucun paquet de l'extension à publier (fichiers "
                              ".gpkg produits par « Produire un paquet par territoire »).").format(folder=folder))
    session = Publication(organisation=organisation, platform=platform, authcfg=authcfg, settings=settings,
                          feedback=feedback, dry_run=dry_run is not None)
    result = FolderResult(skipped=skipped)
    for number, (path, manifest) in enumerate(packages):
        if feedback is not None:
            if feedback.isCanceled():
                result.canceled = True
                break
            feedback.setProgress(100 * number / len(packages))
            feedback.pushInfo(tr("Publication de {name} ({number}/{count})…").format(
                name=path.name, number=number + 1, count=len(packages)))
        try:
            result.published.append((path.name, session.package(_destination(path), work_folder / path.stem,
                                                                       manifest)))
        except PublishError as error:
            log.warning(str(error))
            result.failures.append((path.name, str(error)))
            if error.status in (401, 403):  # the key or its rights: every other territory would fail alike
                break
    result.catalog, result.dry_run = session.finish(dry_run)
    return result


def _unchanged(manifest: dict, platform: str, organisation: str) -> PublishResult | None:
    """The last publication of the package to this platform and organisation when its content is the same."""
    previous = _previous(manifest, platform)
    if previous.get("digest") != content_digest(manifest) or previous.get("organisation") != organisation:
        return None
    return PublishResult(previous.get("dataset_id", ""), previous.get("page", ""), unchanged=True,
                         resources=dict(previous.get("resources") or {}))


def _previous(manifest: dict, platform: str) -> dict:
    """Where the package was last published on `platform`, as its manifest keeps it ({} before any)."""
    return (manifest.get(PUBLICATION_KEY) or {}).get(platform) or {}


def _destination(package):
    from ..package.destination import Destination, GeoPackage

    return package if isinstance(package, Destination) else GeoPackage(str(Path(package).expanduser().absolute()))


def _as_geopackage(destination, work_folder: Path, feedback) -> Path:
    """The GeoPackage to upload: the package itself, or a PostGIS package exported to one first."""
    from ..package.destination import PostgisSchema

    if isinstance(destination, PostgisSchema):
        from .postgis_export import export_geopackage

        return export_geopackage(destination, work_folder, feedback)
    return Path(destination.path)


def _find(api: Api, previous: dict, organisation: str, manifest: dict) -> dict | None:
    """The dataset this package was published as: by its recorded id, else by the extra among the organisation's."""
    if previous.get("dataset_id"):
        found = api.get(f"datasets/{previous['dataset_id']}/", missing_ok=True)
        if found and not found.get("deleted"):
            return found
    return api.find_dataset(organisation, EXTRA_KEY, package_key(manifest))


def _create(api: Api, payload: dict, files: list[tuple[str, Path]]) -> PublishResult:
    try:
        created = api.post("datasets/", dict(payload, private=True))
    except PublishError as error:
        if error.status:  # the platform answered: nothing was created
            raise
        raise PublishError(tr("Publication interrompue ({error}) ; {cleaned}. Relancez la publication.").format(
            error=error, cleaned=_remove_lost_create(api, payload))) from error
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
            api.for_cleanup().delete(f"datasets/{dataset_id}/")
            cleaned = tr("le jeu créé par cette tentative a été supprimé")
        except PublishError as cleanup:
            log.warning(str(cleanup))
            cleaned = tr("le jeu privé {id} créé par cette tentative n'a pas pu être supprimé : supprimez-le sur la "
                         "plateforme").format(id=dataset_id)
        raise PublishError(tr("Publication interrompue ({error}) ; {cleaned}. Relancez la publication.").format(
            error=error, cleaned=cleaned), error.status) from error
    return result


def _remove_lost_create(api: Api, payload: dict) -> str:
    """The connection was cut before the answer to the creation: the platform may have created the dataset all
    the same. No dataset of this package existed before (_find looked), so one found now is this attempt's."""
    api = api.for_cleanup()
    try:
        lost = api.find_dataset(payload["organization"], EXTRA_KEY, payload["extras"][EXTRA_KEY])
        if lost is None:
            return tr("aucun jeu n'a été créé")
        api.delete(f"datasets/{lost['id']}/")
        return tr("le jeu créé par cette tentative a été supprimé")
    except PublishError as error:
        log.warning(str(error))
        return tr("un jeu privé a peut-être été créé : la prochaine publication le retrouvera et le complétera")


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
