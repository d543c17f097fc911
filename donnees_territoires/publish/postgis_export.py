"""A package kept in a PostGIS schema, for its publication: exported to a GeoPackage, and where it was published
recorded back in the schema's manifest.

export_geopackage() writes `<folder>/<schema>.gpkg`: every table the manifest lists (same features, fields and
CRS; a table without geometry stays a table), its default style and layer metadata when the schema has them,
and the two manifest tables, so that gpkg.read_manifest() of the file gives what read_postgis_manifest() gives.
The file is built under a temporary name and renamed once complete and counted. record_publication() stores
one manifest row in one transaction.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsDataSourceUri,
    QgsFeedback,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from ..compat import QGIS_ERRORS
from ..package.destination import PostgisSchema
from ..package.gpkg import (
    DETAIL_CHARS,
    SIDECARS,
    TEMP_SUFFIX,
    count_rows,
    discard,
    remove_leftovers,
    unique_identifiers,
    write_layer,
)
from ..package.manifest import LAYER_COLUMNS, manifest_from_rows, manifest_layers
from ..package.metadata import read_metadata_xml
from ..package.model import LAYERS_TABLE, MANIFEST_TABLE, PackageCanceled, PackageError, fid_column
from ..package.postgis import (
    check_connection,
    check_schema,
    ident,
    literal,
    read_postgis_manifest,
    resolve_connection,
    sql_error,
)
from ..package.postgis import layer_uri as postgis_layer_uri
from ..package.progress import Steps
from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.text import elided
from .api import PublishError


def export_geopackage(destination: PostgisSchema, folder: Path, feedback: Optional[QgsFeedback] = None) -> Path:
    """Write the package of the schema `destination.schema` to `folder/<schema>.gpkg` and return its path.

    A file of that name in `folder` (a work folder) is replaced, only once the new one is complete: a
    failed or cancelled export leaves no file at that name (nor a temporary one). Raises PublishError
    with a French sentence naming the schema or the table and what to do.
    """
    schema = destination.schema
    conn, label = _connection(destination)
    where = f"« {schema} » ({label})"
    _check_package(conn, schema, label)
    manifest = _package_call(read_postgis_manifest, destination.connection, schema)
    tables = [str(record.get("table_name") or "") for record in manifest.get("layers") or []]
    target = _target(Path(folder), schema)
    remove_leftovers(target)
    temp = target.parent / f".{target.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}"
    steps = Steps(feedback, 2 * len(tables) + 1, where)
    try:
        _export(conn, destination, manifest, temp, where, steps)
        steps.check()
        _finish(temp, target)
    except PackageCanceled as error:
        discard(temp)
        raise PublishError(tr("Publication annulée : l'export du schéma {where} en GeoPackage a été interrompu, "
                              "rien n'a été publié.").format(where=where)) from error
    except PublishError:
        discard(temp)
        raise
    except PackageError as error:
        discard(temp)
        raise PublishError(str(error)) from error
    except Exception as error:
        discard(temp)
        log.warning(tr("Export du schéma {where} en GeoPackage : {error}").format(where=where, error=error))
        raise PublishError(tr("L'export du schéma {where} en GeoPackage a échoué ({error}) : vérifiez l'espace disque "
                              "du dossier {folder}, puis relancez la publication.").format(
                                  where=where, error=_short(str(error)), folder=target.parent)) from error
    log.info(tr("Paquet du schéma {where} exporté en GeoPackage : {path} ({count} tables).").format(
        where=where, path=target, count=len(tables)))
    return target


def record_publication(destination: PostgisSchema, key: str, value: str) -> None:
    """Store `value` (text; JSON already encoded by the caller) as the manifest row `key` of the schema's package,
    replacing the previous row of that key, in one transaction. PublishError when it cannot be written."""
    schema = destination.schema
    conn, label = _connection(destination)
    if not key:
        raise PublishError(tr("Aucune clé à enregistrer dans le manifeste du schéma « {schema} » ({connection})."
                              ).format(schema=schema, connection=label))
    _check_package(conn, schema, label)
    manifest = f"{ident(schema)}.{ident(MANIFEST_TABLE)}"
    # several statements in one call run as one implicit transaction: both, or neither
    statements = [f"DELETE FROM {manifest} WHERE key = {literal(key)}",
                  f"INSERT INTO {manifest} (key, value) VALUES ({literal(key)}, {literal(value)})"]
    try:
        conn.executeSql(";\n".join(statements))
    except QGIS_ERRORS as error:
        raise PublishError(tr("La publication n'a pas pu être notée dans le manifeste du schéma « {schema} » "
                              "({connection}) : {error}. Vérifiez que vous avez le droit de modifier la table "
                              "« {table} » de ce schéma ; le jeu publié reste en ligne.").format(
                                  schema=schema, connection=label, error=sql_error(error),
                                  table=MANIFEST_TABLE)) from error


# -- the export ---------------------------------------------------------------------------------------
def _export(conn, destination: PostgisSchema, manifest: dict, temp: Path, where: str, steps: Steps) -> None:
    schema = destination.schema
    records = list(manifest.get("layers") or [])
    tables = [str(record.get("table_name") or "") for record in records]
    identifiers = unique_identifiers({str(r.get("table_name")): str(r.get("title") or r.get("table_name"))
                                      for r in records})
    written = []
    for index, record in enumerate(records):
        table = tables[index]
        with steps.step(tr("Export de la table {table}…").format(table=table)) as child:
            layer, key = _open(destination, table, where)
            _write_table(layer, temp, table, index == 0, child, where, [
                f"IDENTIFIER={identifiers[table]}", f"DESCRIPTION={record.get('title') or ''}",
                f"FID={key or fid_column(layer)}"])
            del layer  # the PostgreSQL connection of the layer is given back now, not at the end
            source = _sql(conn, f"SELECT COUNT(*) FROM {ident(schema)}.{ident(table)}", where)[0][0]
            _check_count(temp, table, int(source), record, where)
            written.append((record, table))
    for record, table in written:
        with steps.step(tr("Style et métadonnées de la table {table}…").format(table=table)):
            _copy_style(conn, schema, table, str(record.get("style") or ""), temp, where)
            _copy_metadata(str(record.get("metadata_qmd") or ""), temp, table, where)
    with steps.step(tr("Écriture du manifeste…")) as child:
        header = [(row[0], row[1]) for row in _sql(
            conn, f"SELECT key, value FROM {ident(schema)}.{ident(MANIFEST_TABLE)}", where)]
        columns = list(LAYER_COLUMNS)
        rows = [dict(zip(columns, row)) for row in _sql(
            conn, f"SELECT {', '.join(ident(column) for column in columns)} FROM "
                  f"{ident(schema)}.{ident(LAYERS_TABLE)} ORDER BY fid", where)]
        if manifest_from_rows([{"key": key, "value": value} for key, value in header], rows) != manifest:
            # a refresh swapped the schema's content (or a publication was recorded) while it was exported
            raise PublishError(tr("Le paquet du schéma {where} a changé pendant son export (une actualisation en "
                                  "cours ?) : relancez la publication une fois l'actualisation terminée.").format(
                                      where=where))
        tables_of_manifest = manifest_layers(header, rows)
        for index, (name, layer) in enumerate(zip((MANIFEST_TABLE, LAYERS_TABLE), tables_of_manifest)):
            _write_table(layer, temp, name, not records and index == 0, child, where, [])


def _open(destination: PostgisSchema, table: str, where: str) -> tuple[QgsVectorLayer, str]:
    """The package table as a QGIS layer (provider « postgres »), and its primary key column."""
    uri = _package_call(postgis_layer_uri, destination.connection, destination.schema, table)
    layer = QgsVectorLayer(uri, table, "postgres")
    if not layer.isValid():
        raise PublishError(tr("La table « {table} » du schéma {where} ne s'ouvre pas dans QGIS : vérifiez qu'elle "
                              "existe encore et que vous avez le droit de la lire, ou réécrivez le paquet.").format(
                                  table=table, where=where))
    return layer, QgsDataSourceUri(uri).keyColumn()


def _write_table(layer: QgsVectorLayer, temp: Path, table: str, create_file: bool, feedback: QgsFeedback,
                 where: str, layer_options: list[str]) -> None:
    error, message = write_layer(layer, temp, table, create_file, feedback, layer_options)
    if error == QgsVectorFileWriter.WriterError.Canceled or feedback.isCanceled():
        raise PackageCanceled(message or "")
    if error != QgsVectorFileWriter.WriterError.NoError:
        detail = (message or str(error)).strip()
        log.warning(tr("Export de la table « {table} » du schéma {where} : {detail}").format(table=table, where=where,
                                                                                     detail=detail))
        raise PublishError(tr("La table « {table} » du schéma {where} n'a pas pu être exportée en GeoPackage "
                              "({error}) : vérifiez l'espace disque du dossier de travail, puis relancez la "
                              "publication.").format(
                                  table=table, where=where, error=_short(detail)))


def _check_count(temp: Path, table: str, source: int, record: dict, where: str) -> None:
    """PublishError unless the GeoPackage holds every row of the PostGIS table, and the manifest counts them."""
    exported = count_rows(temp, table)
    if exported != source:
        raise PublishError(tr("La table « {table} » du schéma {where} est incomplète dans le GeoPackage exporté "
                              "({count} lignes sur {expected}) : vérifiez l'espace disque du dossier de travail, "
                              "puis relancez la publication.").format(table=table, where=where, count=exported or 0,
                                                        expected=source))
    announced = int(record.get("feature_count") or 0)
    if source != announced:
        raise PublishError(tr("La table « {table} » du schéma {where} compte {count} lignes mais son manifeste en "
                              "annonce {expected} : elle a été modifiée depuis l'écriture du paquet ; "
                              "actualisez ou réécrivez le paquet avant de le publier.").format(
                                  table=table, where=where, count=source, expected=announced))


def _copy_style(conn, schema: str, table: str, style: str, temp: Path, where: str) -> None:
    """The table's default style (named in the manifest) into the GeoPackage's layer_styles, as its default."""
    if not style or not _sql(conn, "SELECT to_regclass('layer_styles') IS NOT NULL", where)[0][0]:
        return
    found = _sql(conn, f"SELECT styleqml::text, stylesld::text, description FROM layer_styles WHERE f_table_schema = "
                       f"{literal(schema)} AND f_table_name = {literal(table)} AND stylename = {literal(style)} "
                       f"ORDER BY useasdefault DESC, id DESC LIMIT 1", where)
    if not found or not found[0][0]:
        log.warning(tr("Le style « {style} » de la table « {table} » du schéma {where} est introuvable : la table est "
                       "exportée sans style.").format(style=style, table=table, where=where))
        return
    qml, sld, description = (str(value) if value is not None else "" for value in found[0])
    uri = f"{temp}|layername={table}"
    if not QgsProviderRegistry.instance().saveStyle("ogr", uri, qml, sld, style, description,
                                                    "", True, ""):
        log.warning(tr("Le style de la table « {table} » du schéma {where} n'a pas pu être copié dans le GeoPackage "
                       "exporté.").format(table=table, where=where))


def _copy_metadata(qmd: str, temp: Path, table: str, where: str) -> None:
    if not qmd:
        return
    try:
        saved, error = QgsProviderRegistry.instance().saveLayerMetadata("ogr", f"{temp}|layername={table}",
                                                                        read_metadata_xml(qmd))
    except QGIS_ERRORS as exception:  # QgsNotSupportedException: this GDAL/QGIS cannot store it
        saved, error = False, str(exception)
    if not saved:
        log.warning(tr("Les métadonnées de la table « {table} » du schéma {where} n'ont pas pu être copiées dans le "
                       "GeoPackage exporté ({error}) ; elles restent dans le manifeste.").format(
                           table=table, where=where, error=error))


def _finish(temp: Path, target: Path) -> None:
    leftovers = [f"{temp}{suffix}" for suffix in SIDECARS if os.path.exists(f"{temp}{suffix}")]
    if leftovers:  # an open SQLite connection: renaming now could lose what it has not written back
        raise PublishError(tr("Le GeoPackage {path} n'a pas pu être finalisé : une connexion au fichier temporaire "
                              "est restée ouverte. Relancez la publication.").format(path=target))
    try:
        os.replace(temp, target)
    except OSError as error:
        raise PublishError(tr("Impossible de remplacer {path} ({error}) : le fichier est peut-être ouvert dans une "
                              "autre application ; fermez-la, puis relancez la publication.").format(
                                  path=target, error=error)) from error


# -- checks, SQL, files ---------------------------------------------------------------------------------
def _connection(destination: PostgisSchema):
    """(connection, label) of the destination, its schema name checked; PublishError otherwise."""
    _package_call(check_schema, destination.schema or "")
    _package_call(check_connection, destination.connection)  # its message says what to check in QGIS
    return _package_call(resolve_connection, destination.connection)


def _check_package(conn, schema: str, label: str) -> None:
    """PublishError unless `schema` exists and holds the two manifest tables of a package."""
    where = f"« {schema} » ({label})"
    if not _sql(conn, f"SELECT to_regnamespace({literal(schema)}) IS NOT NULL", where)[0][0]:
        raise PublishError(tr("Le schéma « {schema} » n'existe pas dans {connection} : vérifiez le nom du schéma et "
                              "la connexion du paquet à publier.").format(schema=schema, connection=label))
    manifest, layers = (literal(f"{ident(schema)}.{ident(name)}") for name in (MANIFEST_TABLE, LAYERS_TABLE))
    if not _sql(conn, f"SELECT to_regclass({manifest}) IS NOT NULL AND to_regclass({layers}) IS NOT NULL",
                where)[0][0]:
        raise PublishError(tr("Le schéma « {schema} » de {connection} n'est pas un paquet de l'extension (il n'a pas "
                              "de tables « {manifest} » et « {layers} ») : choisissez le schéma d'un paquet écrit par "
                              "l'extension pour le publier.").format(schema=schema, connection=label,
                                                                     manifest=MANIFEST_TABLE, layers=LAYERS_TABLE))


def _package_call(function, *args):
    """`function(*args)` of the package layer, its PackageError (already one French sentence) as a PublishError."""
    try:
        return function(*args)
    except PackageError as error:
        raise PublishError(str(error)) from error


def _sql(conn, sql: str, where: str) -> list:
    try:
        return conn.executeSql(sql) or []
    except QGIS_ERRORS as error:
        raise PublishError(tr("Erreur PostgreSQL en lisant le schéma {where} : {error}. Vérifiez la connexion et vos "
                              "droits de lecture sur ce schéma, puis relancez la publication.").format(
                                  where=where, error=sql_error(error))) from error


def _short(text: str) -> str:
    """The first line of a writer's or PostgreSQL's error, as a message shows it (the whole is in the log)."""
    return elided((text.strip().splitlines() or [""])[0], DETAIL_CHARS)


def _target(folder: Path, schema: str) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PublishError(tr("Impossible de créer le dossier de travail {folder} ({error}) : choisissez un dossier "
                              "où vous avez le droit d'écrire.").format(folder=folder, error=error)) from error
    target = (folder / f"{schema}.gpkg").absolute()
    if target.exists() and not target.is_file():
        raise PublishError(tr("Impossible d'écrire {path} : c'est un dossier ; supprimez-le ou choisissez un autre "
                              "dossier de travail.").format(path=target))
    return target
