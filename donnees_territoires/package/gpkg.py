"""The GeoPackage writer: a table per dataset, default styles, layer metadata, manifest; replaced atomically."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeedback,
    QgsProcessingException,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from ..__about__ import __title__
from ..compat import QGIS_ERRORS
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.text import elided
from .manifest import layer_row, manifest_from_rows, manifest_layers, manifest_rows
from .metadata import layer_metadata, manifest_metadata, metadata_xml
from .model import (
    LAYERS_TABLE,
    MANIFEST_TABLE,
    PackageCanceled,
    PackageError,
    PackageLayer,
    PackageReport,
    check_tables,
    fid_column,
)
from .progress import Steps
from .style import package_style
from .table_facts import check_written, describe_layer, what_to_do

#: SQLite's companion files of a database: they must not outlive the write
SIDECARS = ("-wal", "-shm", "-journal")


def write_geopackage(path, layers: list[PackageLayer], recipe: dict, territory: dict,
                     feedback: Optional[QgsFeedback] = None, missing: Optional[dict] = None) -> PackageReport:
    """Write a package to `path` (a .gpkg), replacing any previous one only once everything is written.

    The package is built in a hidden temporary file of the same folder, then renamed over `path`
    in one step: a cancelled or failed run leaves the previous package as it was and no temporary
    file. Raises PackageError (PackageCanceled when cancelled) with a French message naming the path.
    `missing`: the datasets of the recipe that failed and why, for the manifest.
    """
    target = _target(path)
    tables = check_tables(layers)
    remove_leftovers(target)
    temp = target.parent / f".{target.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    _probe(temp, target)
    steps = Steps(feedback, 2 * len(layers) + 1, str(target))
    try:
        report = _write(temp, target, list(zip(layers, tables)), recipe, territory, steps, missing or {})
        steps.check()
        leftovers = [f"{temp}{suffix}" for suffix in SIDECARS if os.path.exists(f"{temp}{suffix}")]
        if leftovers:  # an open SQLite connection: renaming now could lose what it has not written back
            raise PackageError(tr("Le paquet {path} n'a pas pu être finalisé : une connexion au fichier temporaire "
                                  "est restée ouverte. Relancez l'écriture.").format(path=target))
        try:
            os.replace(temp, target)
        except OSError as error:
            raise PackageError(tr("Impossible de remplacer {path} ({error}) : le fichier est peut-être ouvert dans "
                                  "une autre application. Fermez les couches qui l'utilisent puis relancez ; le "
                                  "paquet précédent est inchangé.").format(path=target, error=error)) from error
    except PackageError:
        discard(temp)
        raise
    except Exception as error:
        discard(temp)
        raise PackageError(tr("Échec de l'écriture du paquet {path} : {error}. Le paquet précédent est "
                              "inchangé.").format(path=target, error=error)) from error
    log.info(tr("Paquet écrit : {path} ({count} tables).").format(path=target, count=len(layers)))
    return report


#: the end of a package's temporary file, written beside it then renamed over it
TEMP_SUFFIX = ".tmp.gpkg"


#: a temporary file without a writer's process id (older versions) is left over after this long
LEFTOVER_AGE_S = 3600


def temporary_files(path) -> list[Path]:
    """What writing the package `path` leaves when the writer is stopped dead (a killed process)."""
    target = Path(path)
    return sorted(target.parent.glob(f".{target.stem}.*{TEMP_SUFFIX}*"))


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the temporary files (and SQLite journals) of writes of `target` whose process is gone (killed,
    crashed): a writer running now, in this process or another, keeps its own. Returns what was removed."""
    removed = []
    for leftover in temporary_files(target):
        if _writer_alive(leftover):
            continue
        try:
            leftover.unlink()
        except OSError as error:
            log.warning(tr("Fichier temporaire {path} d'une écriture interrompue non supprimé : {error}").format(
                path=leftover, error=error))
            continue
        removed.append(leftover)
    if removed:
        log.info(tr("{count} fichier(s) temporaire(s) d'une écriture interrompue de {path} supprimé(s).").format(
            count=len(removed), path=target))
    return removed


def _writer_alive(leftover: Path) -> bool:
    """Whether the process that writes `leftover` (`.<stem>.<pid>-<hex>.tmp.gpkg[-journal]`) still runs; a file
    named without a process id is deemed alive until LEFTOVER_AGE_S old."""
    middle = leftover.name.split(TEMP_SUFFIX)[0].rsplit(".", 1)[-1]
    pid = middle.split("-", 1)[0]
    if not ("-" in middle and pid.isdigit()):
        try:
            return time.time() - leftover.stat().st_mtime < LEFTOVER_AGE_S
        except OSError:
            return True
    if int(pid) == os.getpid():
        return True  # this process: another thread of it may be writing the same package
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def foreign_file_problem(target: Path) -> str | None:
    """Why the file `target` may not be replaced by a package: it exists, is not empty and is not a package of
    ours (a user's own GeoPackage, any other file); None when it may."""
    try:
        if not target.is_file() or target.stat().st_size == 0:
            return None
        read_manifest(target)
    except PackageError:
        return tr("{path} existe déjà et n'est pas un paquet {plugin} (il n'a pas de manifeste) : il n'est pas "
                  "remplacé. Choisissez un autre nom de fichier, ou supprimez-le vous-même si vous voulez le "
                  "remplacer.").format(path=target, plugin=__title__)
    except OSError:
        return None  # unreadable: writing will say why
    return None


def read_manifest(path) -> dict:
    """The manifest of a GeoPackage package (see manifest.py for its keys), or PackageError.

    Read with SQLite directly, not through a QGIS layer: QGIS would keep the file open, and a
    refresh must then be able to replace it.
    """
    target = Path(path).expanduser().absolute()
    if not target.is_file():
        raise PackageError(tr("Le paquet {path} n'existe pas.").format(path=target))
    try:
        connection = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise PackageError(tr("Le paquet {path} ne peut pas être lu : {error}").format(path=target,
                                                                                     error=error)) from error
    try:
        header = [{"key": key, "value": value}
                  for key, value in connection.execute(f'SELECT key, value FROM "{MANIFEST_TABLE}"')]
        cursor = connection.execute(f'SELECT * FROM "{LAYERS_TABLE}" ORDER BY rowid')
        names = [column[0] for column in cursor.description]
        rows = [{name: value for name, value in zip(names, row) if name != "fid"} for row in cursor]
    except sqlite3.Error as error:
        raise PackageError(tr("{path} n'est pas un paquet {plugin} : il n'a pas de tables « {manifest} » et "
                              "« {layers} » ({error}).").format(path=target, plugin=__title__,
                                                                manifest=MANIFEST_TABLE, layers=LAYERS_TABLE,
                                                                error=error)) from error
    finally:
        connection.close()
    return manifest_from_rows(header, rows)


def store_changes(path: Path, changes: list, vintage: int, notes: list[str]) -> None:
    """A refresh's change report (refresh.LayerChange) as a `manifest_changes` table of the GeoPackage (one row per
    layer, appended)."""
    from osgeo import ogr

    dataset = ogr.Open(str(path), update=1)
    if dataset is None:
        raise QgsProcessingException(tr("Impossible d'ouvrir {path} pour y noter les changements.").format(path=path))
    try:
        layer = dataset.GetLayerByName("manifest_changes")
        if layer is None:
            layer = dataset.CreateLayer("manifest_changes", geom_type=ogr.wkbNone)
            for name, kind in (("refreshed_at", ogr.OFTString), ("cog_vintage", ogr.OFTInteger),
                               ("dataset_id", ogr.OFTString), ("table_name", ogr.OFTString),
                               ("added", ogr.OFTInteger), ("removed", ogr.OFTInteger),
                               ("modified", ogr.OFTInteger), ("unchanged", ogr.OFTInteger),
                               ("by_key", ogr.OFTInteger), ("notes", ogr.OFTString)):
                layer.CreateField(ogr.FieldDefn(name, kind))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for change in changes:
            feature = ogr.Feature(layer.GetLayerDefn())
            for name, value in (("refreshed_at", now), ("cog_vintage", vintage),
                                ("dataset_id", change.dataset_id), ("table_name", change.table),
                                ("added", change.added), ("removed", change.removed),
                                ("modified", change.modified), ("unchanged", change.unchanged),
                                ("by_key", int(change.by_key)), ("notes", " ".join(notes))):
                feature.SetField(name, value)
            layer.CreateFeature(feature)
    finally:
        dataset = None  # closes the file (GDAL's Python bindings close on release)


# -- the steps ----------------------------------------------------------------------------------
def _target(path) -> Path:
    target = Path(path).expanduser()
    if target.is_symlink():
        target = target.resolve()  # replace the file the link points to, not the link
    target = target.absolute()
    if target.suffix.lower() != ".gpkg":
        raise PackageError(tr("Le paquet doit être un fichier .gpkg : {path}").format(path=target))
    if not target.parent.is_dir():
        raise PackageError(tr("Impossible d'écrire le paquet {path} : le dossier {folder} n'existe pas. Créez-le ou "
                              "choisissez un autre emplacement.").format(path=target, folder=target.parent))
    if target.exists() and not target.is_file():
        raise PackageError(tr("Impossible d'écrire le paquet {path} : c'est un dossier.").format(path=target))
    problem = foreign_file_problem(target)
    if problem:
        raise PackageError(problem)
    return target


def _probe(temp: Path, target: Path) -> None:
    """Fail early, with the folder's name, when nothing can be created next to the package."""
    try:
        temp.touch(exist_ok=False)
        temp.unlink()
    except OSError as error:
        raise PackageError(tr("Impossible d'écrire le paquet {path} : le dossier {folder} n'accepte pas de nouveau "
                              "fichier ({error}). Choisissez un dossier où vous avez le droit d'écrire.").format(
                                  path=target, folder=target.parent, error=error.strerror or error)) from error


def _write(temp: Path, target: Path, items: list[tuple[PackageLayer, str]], recipe: dict, territory: dict,
           steps: Steps, missing: dict) -> PackageReport:
    created_at = _now()
    identifiers = unique_identifiers({table: item.title or table for item, table in items})
    for index, (item, table) in enumerate(items):
        with steps.step(tr("Écriture de la table {table}…").format(table=table)) as child:
            _write_table(item.layer, temp, table, index == 0, child, target, [
                f"IDENTIFIER={identifiers[table]}", f"DESCRIPTION={item.title}",
                f"FID={fid_column(item.layer)}"])
    registry = QgsProviderRegistry.instance()
    reports, rows, warnings = [], [], []
    for item, table in items:
        with steps.step(tr("Vérification, style et métadonnées de la table {table}…").format(table=table)) as child:
            uri = f"{temp}|layername={table}"
            report = describe_layer(item, table, child)
            steps.check()
            check_written(item, report, str(target), count_rows(temp, table))
            style, style_warnings = package_style(item.layer, item.style_qml, item.dataset_id)
            report.warnings.extend(style_warnings)
            if style is not None:
                report.styled = registry.saveStyle("ogr", uri, style.qml, style.sld, table, _style_description(item),
                                                   "", True, "")
                if not report.styled:
                    report.warnings.append(tr("Le style de la table « {table} » n'a pas pu être enregistré dans "
                                              "{path}.").format(table=table, path=target))
            metadata = layer_metadata(item, report, territory, created_at, item.layer.crs())
            _save_metadata(uri, metadata, report, target)
        reports.append(report)
        warnings.extend(report.warnings)
        rows.append(layer_row(item, report, table if report.styled else "", metadata_xml(metadata), created_at))
    with steps.step(tr("Écriture du manifeste…")) as child:
        header = manifest_rows(recipe, territory, created_at, len(items), warnings, missing)
        manifest, layer_table = manifest_layers(header, rows)
        for index, (table, layer) in enumerate(((MANIFEST_TABLE, manifest), (LAYERS_TABLE, layer_table))):
            _write_table(layer, temp, table, not items and index == 0, child, target, [])
            _save_metadata(f"{temp}|layername={table}", _manifest_metadata(table), None, target)
    for report in reports:
        report.uri = f"{target}|layername={report.table}"
    return PackageReport(kind="gpkg", destination=str(target), layers=reports,
                         manifest=manifest_from_rows([{"key": k, "value": v} for k, v in header], rows),
                         warnings=warnings)


#: a writer's error said in a message, at most; the whole of it goes to the log
DETAIL_CHARS = 240


def write_layer(layer: QgsVectorLayer, temp: Path, table: str, create_file: bool, feedback: QgsFeedback,
                layer_options: list[str]) -> tuple:
    """Write `layer` as the table `table` of the GeoPackage `temp` (a new file when `create_file`); the writer's
    (error, message)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = table
    options.fileEncoding = "UTF-8"
    options.layerOptions = layer_options
    options.feedback = feedback
    options.actionOnExistingFile = (QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile if create_file
                                    else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer)
    result = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(temp), QgsCoordinateTransformContext(), options)
    return result[0], result[1]


def _write_table(layer: QgsVectorLayer, temp: Path, table: str, create_file: bool, feedback: QgsFeedback,
                 target: Path, layer_options: list[str]) -> None:
    error, message = write_layer(layer, temp, table, create_file, feedback, layer_options)
    if error == QgsVectorFileWriter.WriterError.Canceled or feedback.isCanceled():
        raise PackageCanceled(tr("Écriture du paquet {destination} annulée : le contenu précédent est "
                                 "inchangé.").format(destination=target))
    if error != QgsVectorFileWriter.WriterError.NoError:
        detail = (message or str(error)).strip()
        if len(detail) > DETAIL_CHARS or "\n" in detail:  # GDAL may repeat an error per feature (a full disk)
            log.warning(tr("Écriture de la table « {table} » dans {path} : {detail}").format(
                table=table, path=target, detail=detail))
            detail = elided(detail.splitlines()[0], DETAIL_CHARS) + " " + tr("(suite dans le journal)")
        raise PackageError(tr("La table « {table} » n'a pas pu être écrite dans {path} : {error}.").format(
            table=table, path=target, error=detail.rstrip(".")) + " "
            + what_to_do(layer) + " " + tr("Le paquet précédent est inchangé."))


def count_rows(path: Path, table: str):
    """Rows of `table` in the GeoPackage `path`, None when GDAL did not create it (or the file does not open)."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if connection.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (table,)).fetchone() is None:
            return None
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _save_metadata(uri: str, metadata, report, target: Path) -> None:
    try:
        saved, error = QgsProviderRegistry.instance().saveLayerMetadata("ogr", uri, metadata)
    except QGIS_ERRORS as exception:  # QgsNotSupportedException: this GDAL/QGIS cannot store it
        saved, error = False, str(exception)
    if not saved and report is not None:
        report.warnings.append(tr("Les métadonnées de la table « {table} » n'ont pas pu être enregistrées dans "
                                  "{path} ({error}) ; elles restent dans le manifeste.").format(
                                      table=report.table, path=target, error=error))


def unique_identifiers(titles: dict[str, str]) -> dict[str, str]:
    """gpkg_contents.identifier is UNIQUE: each table's title ({table: title}), or « title (table) » when two
    titles are the same."""
    names = list(titles.values())
    return {table: (title if names.count(title) == 1 else f"{title} ({table})") for table, title in titles.items()}


def _manifest_metadata(table: str):
    if table == MANIFEST_TABLE:
        return manifest_metadata(tr("Manifeste du paquet"),
                                 tr("Une ligne par clé : version de l'extension, recette (JSON), territoire, "
                                    "millésime du COG, date d'écriture."))
    return manifest_metadata(tr("Contenu du paquet"),
                             tr("Une ligne par table : jeu de données, sources et dates de téléchargement, nombre "
                                "d'entités, emprise, empreinte, avertissements."))


def _style_description(item: PackageLayer) -> str:
    return tr("Style de « {title} » ({plugin})").format(title=item.title or item.dataset_id, plugin=__title__)


def discard(temp: Path) -> None:
    """Remove a temporary GeoPackage and its SQLite side files."""
    for candidate in (str(temp), *(f"{temp}{suffix}" for suffix in SIDECARS)):
        try:
            os.remove(candidate)
        except FileNotFoundError:
            pass
        except OSError as error:
            log.warning(tr("Fichier temporaire {path} non supprimé : {error}").format(path=candidate, error=error))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
