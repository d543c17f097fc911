"""The PostGIS writer: a package in one schema, built in a staging schema and swapped in one transaction."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timezone
from typing import Optional

from qgis.core import (
    Qgis,
    QgsAbstractDatabaseProviderConnection,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsFeedback,
    QgsProviderMetadata,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsVectorLayerExporter,
)

from ..__about__ import __title__
from ..compat import QGIS_ERRORS
from ..toolbelt import log
from ..toolbelt.i18n import tr
from .manifest import LAYER_COLUMNS, layer_row, manifest_from_rows, manifest_layers, manifest_rows
from .metadata import layer_metadata, metadata_xml
from .model import (
    LAYERS_TABLE,
    MANIFEST_TABLE,
    MAX_NAME,
    PackageCanceled,
    PackageError,
    PackageLayer,
    PackageReport,
    check_tables,
    fid_column,
    hide_password,
    table_name,
)
from .progress import Steps
from .style import package_style
from .table_facts import check_written, describe_layer, what_to_do

GEOMETRY_COLUMN = "geom"
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]*$")


def default_schema_name(reference: str) -> str:
    """The schema of a territory's package: « epci:243300316 » -> epci_243300316."""
    name = table_name(reference.replace(",", "_")) if reference.strip() else "territoire"
    if len(reference) > MAX_NAME or len(name) >= MAX_NAME:
        # several territories: a readable start and a hash keep the name unique within 63 characters
        name = f"{name[:MAX_NAME - 9].rstrip('_')}_{hashlib.sha1(reference.encode('utf-8')).hexdigest()[:8]}"
    return name


def write_postgis(connection: str, layers: list[PackageLayer], recipe: dict, territory: dict,
                  schema: Optional[str] = None, feedback: Optional[QgsFeedback] = None,
                  missing: Optional[dict] = None) -> PackageReport:
    """Write a package into `schema` (default: default_schema_name of the territory) of a PostgreSQL database.

    `connection` is the name of a PostgreSQL connection saved in QGIS, or a connection string
    (service=…, or host=… port=… dbname=… user=… password=…, authcfg=… honoured). Every table is
    first written into a staging schema; one transaction then drops the previous tables of the
    package, moves the new ones in and points their default styles (layer_styles) at them. A
    cancelled or failed run leaves the schema as it was and drops the staging schema. `missing`: the
    datasets of the recipe that failed and why, for the manifest.
    """
    conn, label = resolve_connection(connection)
    schema = check_schema(schema or default_schema_name(str(territory.get("reference", ""))))
    destination = f"{label} / {schema}"
    tables = check_tables(layers)
    _check_connection(conn, label)
    if any(item.layer.isSpatial() for item in layers) and not _execute(
            conn, "SELECT 1 FROM pg_extension WHERE extname = 'postgis'", destination):
        raise PackageError(tr("L'extension PostGIS n'est pas installée dans la base de {connection} : demandez à "
                              "son administrateur d'exécuter « CREATE EXTENSION postgis; ».").format(connection=label))
    _refuse_foreign_tables(conn, schema, [*tables, MANIFEST_TABLE, LAYERS_TABLE], destination)
    staging = f"{_staging_prefix(schema)}{uuid.uuid4().hex[:8]}"
    try:
        conn.executeSql(f"CREATE SCHEMA {ident(staging)}")
    except QGIS_ERRORS as error:
        raise PackageError(tr("Impossible de créer le schéma de travail « {staging} » dans {connection} ({error}) : "
                              "l'utilisateur doit avoir le droit CREATE sur la base. Rien n'a été modifié.").format(
                                  staging=staging, connection=label, error=sql_error(error))) from error
    steps = Steps(feedback, 2 * len(layers) + 2, destination)
    try:
        report, metadata = _write(conn, staging, schema, destination, list(zip(layers, tables)), recipe, territory,
                                  steps, missing or {})
        with steps.step(tr("Remplacement du contenu du schéma {schema}…").format(schema=schema)):
            _swap(conn, staging, schema, tables, destination)
    except PackageError:
        _drop_staging(conn, staging)
        raise
    except Exception as error:
        _drop_staging(conn, staging)
        raise PackageError(tr("Échec de l'écriture du paquet dans {destination} : {error}. Le contenu précédent du "
                              "schéma est inchangé.").format(destination=destination,
                                                            error=hide_password(str(error)))) from error
    _save_metadata(conn, schema, report, metadata)
    log.info(tr("Paquet écrit : {destination} ({count} tables).").format(destination=destination, count=len(layers)))
    return report


def read_postgis_manifest(connection: str, schema: str) -> dict:
    """The manifest of the package in `schema` (see manifest.py for its keys), or PackageError."""
    conn, label = resolve_connection(connection)
    schema = check_schema(schema)
    destination = f"{label} / {schema}"
    _check_connection(conn, label)
    manifest, layers = (f"{ident(schema)}.{ident(name)}" for name in (MANIFEST_TABLE, LAYERS_TABLE))
    found = _execute(conn, f"SELECT to_regclass({literal(manifest)}) IS NOT NULL "
                           f"AND to_regclass({literal(layers)}) IS NOT NULL", destination)
    if not found[0][0]:
        raise PackageError(tr("Le schéma « {schema} » de {connection} ne contient pas de paquet {plugin} : il n'a "
                              "pas de tables « {manifest} » et « {layers} ».").format(
                                  schema=schema, connection=label, plugin=__title__, manifest=MANIFEST_TABLE,
                                  layers=LAYERS_TABLE))
    header = [{"key": key, "value": value}
              for key, value in _execute(conn, f"SELECT key, value FROM {manifest}", destination)]
    columns = list(LAYER_COLUMNS)
    rows = _execute(conn, f"SELECT {', '.join(ident(column) for column in columns)} FROM {layers} ORDER BY fid",
                    destination)
    return manifest_from_rows(header, [dict(zip(columns, row)) for row in rows])


def count_by(connection: str, schema: str, table: str, column: str) -> dict[str, int]:
    """Rows of `schema`.`table` per value of `column` (the territory code column of a batch's tables)."""
    conn, label = resolve_connection(connection)
    destination = f"{label} / {check_schema(schema)}"
    rows = _execute(conn, f"SELECT {ident(column)}, COUNT(*) FROM {ident(schema)}.{ident(table)} GROUP BY 1",
                    destination)
    return {str(value): int(count) for value, count in rows}


def layer_uri(connection: str, schema: str, table: str) -> str:
    """The QGIS data source (provider « postgres ») of a package table: it opens with its default style."""
    conn, label = resolve_connection(connection)
    destination = f"{label} / {check_schema(schema)}"
    qualified = literal(f"{ident(schema)}.{ident(table)}")
    key = _execute(conn, f"SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                         f"AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass({qualified}) "
                         f"AND i.indisprimary", destination)
    geometry = []
    if _execute(conn, "SELECT to_regclass('geometry_columns') IS NOT NULL", destination)[0][0]:
        geometry = _execute(conn, f"SELECT f_geometry_column FROM geometry_columns WHERE f_table_schema = "
                                  f"{literal(schema)} AND f_table_name = {literal(table)}", destination)
    return _uri(conn, schema, table, geometry[0][0] if geometry else "", key[0][0] if len(key) == 1 else "")


def resolve_connection(connection: str) -> tuple[QgsAbstractDatabaseProviderConnection, str]:
    """(connection, label for messages): a connection saved in QGIS by name, or one made from a connection string."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    if metadata is None:
        raise PackageError(tr("Le fournisseur PostgreSQL de QGIS n'est pas installé : installez le paquet "
                              "qgis-providers (ou l'équivalent de votre installation)."))
    text = (connection or "").strip()
    saved = metadata.connections()
    if text in saved:
        return saved[text], text
    if "=" in text:
        uri = QgsDataSourceUri(text)
        if uri.service() or uri.host() or uri.database():
            try:
                return metadata.createConnection(text, {}), _label(uri)
            except QGIS_ERRORS as error:
                raise PackageError(tr("Chaîne de connexion PostgreSQL refusée ({connection}) : {error}").format(
                    connection=_label(uri), error=error)) from error
    names = ", ".join(sorted(saved)) or tr("aucune")
    raise PackageError(tr("Connexion PostgreSQL « {name} » introuvable. Connexions enregistrées dans QGIS : {names}. "
                          "Indiquez l'une d'elles, ou une chaîne de connexion (service=… ou host=… dbname=… "
                          "user=…).").format(name=text, names=names))


def connection_label(connection: str) -> str:
    """The connection in a message, without connecting: its saved name, or where its string points (no password)."""
    text = (connection or "").strip()
    if "=" in text and text not in saved_connections():
        uri = QgsDataSourceUri(text)
        if uri.service() or uri.host() or uri.database():
            return _label(uri)
        return hide_password(text)
    return text


def saved_connections() -> list[str]:
    """The names of the PostgreSQL connections saved in QGIS."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    return sorted(metadata.connections()) if metadata is not None else []


def same_database(connection: str, uri: QgsDataSourceUri) -> bool:
    """True when the data source `uri` (a layer's) is in the database `connection` reaches."""
    try:
        conn, _label_text = resolve_connection(connection)
    except PackageError:
        return False
    ours = QgsDataSourceUri(conn.uri())
    if ours.service() or uri.service():
        return ours.service() == uri.service() and ours.database() == uri.database()
    return ((ours.host() or "localhost", ours.port() or "5432", ours.database())
            == (uri.host() or "localhost", uri.port() or "5432", uri.database()))


def schema_exists(connection: str, schema: str) -> bool:
    """True when `schema` exists in the database (PackageError when it cannot be reached)."""
    conn, label = resolve_connection(connection)
    return bool(_execute(conn, f"SELECT to_regnamespace({literal(check_schema(schema))}) IS NOT NULL",
                         f"{label} / {schema}")[0][0])


def check_connection(connection: str) -> None:
    """PackageError with a French message when `connection` cannot be reached."""
    conn, label = resolve_connection(connection)
    _check_connection(conn, label)


def check_schema(schema: str) -> str:
    """`schema` if a package may be written there, PackageError otherwise."""
    if (not _SCHEMA.match(schema or "") or len(schema) > MAX_NAME or schema.startswith("pg_")
            or schema == "information_schema"):
        raise PackageError(tr("Nom de schéma « {schema} » refusé : utilisez des minuscules sans accent, des chiffres "
                              "et « _ » ({max} caractères au plus), sans commencer par « pg_ ».").format(
                                  schema=schema, max=MAX_NAME))
    return schema


# -- the steps ----------------------------------------------------------------------------------
def _write(conn, staging: str, schema: str, destination: str, items: list[tuple[PackageLayer, str]], recipe: dict,
           territory: dict, steps: Steps, missing: dict) -> tuple[PackageReport, list]:
    created_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    keys = {}
    for item, table in items:
        with steps.step(tr("Écriture de la table {table}…").format(table=table)) as child:
            keys[table] = fid_column(item.layer)
            geometry = GEOMETRY_COLUMN if item.layer.isSpatial() else ""
            _export(item.layer, _uri(conn, staging, table, geometry, keys[table]), child, destination, table)
            if geometry:
                _execute(conn, f"CREATE INDEX ON {ident(staging)}.{ident(table)} USING GIST ({ident(geometry)})",
                         destination)
            _execute(conn, f"ANALYZE {ident(staging)}.{ident(table)}", destination)
    registry = QgsProviderRegistry.instance()
    reports, rows, warnings, metadata = [], [], [], []
    for item, table in items:
        with steps.step(tr("Vérification, style et métadonnées de la table {table}…").format(table=table)) as child:
            geometry = GEOMETRY_COLUMN if item.layer.isSpatial() else ""
            uri = _uri(conn, staging, table, geometry, keys[table])
            report = describe_layer(item, table, child)
            report.uri = _uri(conn, schema, table, geometry, keys[table])
            steps.check()
            count = _execute(conn, f"SELECT COUNT(*) FROM {ident(staging)}.{ident(table)}", destination)[0][0]
            check_written(item, report, destination, int(count))
            crs = item.layer.crs() if geometry else QgsCoordinateReferenceSystem()
            style, style_warnings = package_style(item.layer, item.style_qml, item.dataset_id)
            report.warnings.extend(style_warnings)
            if style is not None:
                # a fresh staging schema: no style of that name exists yet (QGIS < 3.24 would ask in a dialog)
                report.styled = registry.saveStyle("postgres", uri, style.qml, style.sld, table,
                                                   tr("Style de « {title} » ({plugin})").format(
                                                       title=item.title or item.dataset_id, plugin=__title__),
                                                   "", True, "")
                if not report.styled:
                    report.warnings.append(tr("Le style de la table « {table} » n'a pas pu être enregistré dans "
                                              "{destination}.").format(table=table, destination=destination))
            layer_md = layer_metadata(item, report, territory, created_at, crs)
            # what every QGIS version shows: the table comment becomes the layer's abstract
            _execute(conn, f"COMMENT ON TABLE {ident(staging)}.{ident(table)} IS "
                           f"{literal(layer_md.title() + chr(10) + chr(10) + layer_md.abstract())}", destination)
        reports.append(report)
        metadata.append(layer_md)
        warnings.extend(report.warnings)
        rows.append(layer_row(item, report, table if report.styled else "", metadata_xml(layer_md), created_at))
    with steps.step(tr("Écriture du manifeste…")) as child:
        header = manifest_rows(recipe, territory, created_at, len(items), warnings, missing)
        manifest, layer_table = manifest_layers(header, rows)
        for table, layer in ((MANIFEST_TABLE, manifest), (LAYERS_TABLE, layer_table)):
            _export(layer, _uri(conn, staging, table, "", "fid"), child, destination, table)
    report = PackageReport(kind="postgis", destination=destination, layers=reports, schema=schema,
                           manifest=manifest_from_rows([{"key": k, "value": v} for k, v in header], rows),
                           warnings=warnings)
    return report, metadata


def _export(layer: QgsVectorLayer, uri: str, feedback: QgsFeedback, destination: str, table: str) -> None:
    crs = layer.crs() if layer.isSpatial() else QgsCoordinateReferenceSystem()
    result, message = QgsVectorLayerExporter.exportLayer(layer, uri, "postgres", crs, False, {}, feedback)
    if result == Qgis.VectorExportResult.UserCanceled or feedback.isCanceled():
        raise PackageCanceled(tr("Écriture du paquet {destination} annulée : le contenu précédent est "
                                 "inchangé.").format(destination=destination))
    if result != Qgis.VectorExportResult.Success:
        raise PackageError(tr("La table « {table} » n'a pas pu être écrite dans {destination} : {error}.").format(
            table=table, destination=destination, error=hide_password(message or str(result)).strip().rstrip("."))
            + " "
            + what_to_do(layer) + " " + tr("Le contenu précédent du schéma est inchangé."))


def _swap(conn, staging: str, schema: str, tables: list[str], destination: str) -> None:
    """One transaction: drop the package's previous tables, move the new ones in, re-point their styles."""
    moved = [*tables, MANIFEST_TABLE, LAYERS_TABLE]
    previous = _previous_tables(conn, schema, destination)
    replaced = list(dict.fromkeys(moved + previous))
    target, stage = ident(schema), ident(staging)
    statements = ["SET LOCAL lock_timeout = '60s'", f"CREATE SCHEMA IF NOT EXISTS {target}"]
    statements += [f"DROP TABLE IF EXISTS {target}.{ident(table)}" for table in replaced]
    if _execute(conn, "SELECT to_regclass('layer_styles') IS NOT NULL", destination)[0][0]:
        names = ", ".join(literal(table) for table in replaced)
        # our previous default styles are named after their table; other styles stay, no longer default
        statements += [
            f"DELETE FROM layer_styles WHERE f_table_schema = {literal(schema)} AND f_table_name IN ({names}) "
            f"AND stylename = f_table_name",
            f"UPDATE layer_styles SET useasdefault = false WHERE f_table_schema = {literal(schema)} "
            f"AND f_table_name IN ({', '.join(literal(table) for table in tables)})" if tables else "",
            f"UPDATE layer_styles SET f_table_schema = {literal(schema)} WHERE f_table_schema = {literal(staging)}",
        ]
    gone = [table for table in previous if table not in moved]
    metadata_schema = _execute(conn, "SELECT table_schema FROM information_schema.tables "
                                     "WHERE table_name = 'qgis_layer_metadata' LIMIT 1", destination)
    if metadata_schema and gone:
        statements.append(f"DELETE FROM {ident(metadata_schema[0][0])}.qgis_layer_metadata WHERE f_table_schema = "
                          f"{literal(schema)} AND f_table_name IN ({', '.join(literal(t) for t in gone)})")
    statements += [f"ALTER TABLE {stage}.{ident(table)} SET SCHEMA {target}" for table in moved]
    statements.append(f"DROP SCHEMA {stage}")
    # several statements in one call run as one implicit transaction: all of them, or none
    try:
        conn.executeSql(";\n".join(statement for statement in statements if statement))
    except QGIS_ERRORS as error:
        detail = sql_error(error)
        advice = tr("Vérifiez que vous avez le droit de modifier ce schéma, puis relancez.")
        if re.search(r"d[eé]pend", detail):
            advice = tr("Une vue ou une table dépend d'une table du paquet et empêche de la remplacer : "
                        "supprimez-la, relancez, puis recréez-la.")
        raise PackageError(tr("Le contenu du schéma « {schema} » ({destination}) n'a pas pu être remplacé : {error}. "
                              "{advice} Le contenu précédent du schéma est inchangé.").format(
                                  schema=schema, destination=destination, error=detail, advice=advice)) from error


def _refuse_foreign_tables(conn, schema: str, names: list[str], destination: str) -> None:
    """PackageError when `schema` is not a package of ours (no manifest) and already holds a table or view the
    package would replace: a user's own tables are never overwritten (other tables beside ours are left alone)."""
    manifest = f"{ident(schema)}.{ident(MANIFEST_TABLE)}"
    if _execute(conn, f"SELECT to_regclass({literal(manifest)}) IS NOT NULL", destination)[0][0]:
        return
    listed = ", ".join(literal(name) for name in names)
    taken = [row[0] for row in _execute(conn, f"SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                              f"{literal(schema)} AND table_name IN ({listed}) ORDER BY 1",
                                        destination)]
    if taken:
        raise PackageError(tr("Le schéma « {schema} » ({destination}) n'est pas un paquet {plugin} (il n'a pas de "
                              "manifeste) et contient déjà {tables} : rien n'est remplacé. Choisissez un autre schéma, "
                              "ou renommez ces tables.").format(schema=schema, destination=destination,
                                                                plugin=__title__, tables=", ".join(taken)))


def _previous_tables(conn, schema: str, destination: str) -> list[str]:
    """The dataset tables the manifest already in `schema` lists (a refresh may drop some datasets)."""
    qualified = f"{ident(schema)}.{ident(LAYERS_TABLE)}"
    if not _execute(conn, f"SELECT to_regclass({literal(qualified)}) IS NOT NULL", destination)[0][0]:
        return []
    rows = _execute(conn, f"SELECT table_name FROM {qualified}", destination)
    # only names this writer could have made: they are used as identifiers below
    return [row[0] for row in rows if row[0] and table_name(str(row[0])) == row[0]]


def _save_metadata(conn, schema: str, report: PackageReport, metadata: list) -> None:
    """Layer metadata in QGIS's qgis_layer_metadata table, where the provider can store it (QGIS 3.28 and later)."""
    registry = QgsProviderRegistry.instance()
    provider = registry.providerMetadata("postgres")
    if not provider.providerCapabilities() & QgsProviderMetadata.ProviderCapability.SaveLayerMetadata:
        return  # QGIS before 3.28: the table comment and the manifest hold the metadata
    for index, (layer, layer_md) in enumerate(zip(report.layers, metadata)):
        geometry = GEOMETRY_COLUMN if layer.geometry_type != "NoGeometry" else ""
        if index == 0:
            _metadata_table_in_public(conn, registry, layer_md, schema)
        try:
            saved, error = registry.saveLayerMetadata("postgres", _uri(conn, schema, layer.table, geometry, ""),
                                                      layer_md)
        except QGIS_ERRORS:  # QgsNotSupportedException: the table comment and the manifest hold it
            return
        if not saved:
            message = tr("Les métadonnées de la table « {table} » n'ont pas pu être enregistrées ({error}) ; elles "
                         "restent dans le manifeste.").format(table=layer.table, error=error)
            layer.warnings.append(message)
            report.warnings.append(message)


def _metadata_table_in_public(conn, registry, layer_md, schema: str) -> None:
    """Have QGIS create its qgis_layer_metadata table in « public » if the database has none yet.

    QGIS creates it in the schema of the first layer it describes, then keeps that one table for the
    whole database (the first schema holding one): in a package schema, dropping the package would
    take every other layer's metadata with it. A first record for a table name that cannot exist
    makes QGIS create the table in « public » with its own layout; the record is then deleted.
    Without the right to create in « public » (PostgreSQL 15 and later, by default), QGIS's own
    choice stands, and the log says so.
    """
    try:
        if conn.executeSql("SELECT 1 FROM information_schema.tables WHERE table_name = 'qgis_layer_metadata'"):
            return
        probe = f"dt_probe_{uuid.uuid4().hex[:12]}"
        saved, error = registry.saveLayerMetadata("postgres", _uri(conn, "public", probe, "", ""), layer_md)
        if saved:
            conn.executeSql(f"DELETE FROM public.qgis_layer_metadata WHERE f_table_schema = 'public' "
                            f"AND f_table_name = {literal(probe)}")
            return
    except QGIS_ERRORS as exception:
        error = str(exception)
    log.info(tr("La table des métadonnées de QGIS (qgis_layer_metadata) n'a pas pu être créée dans « public » "
                "({error}) : QGIS la crée dans le schéma « {schema} » du paquet.").format(
                    error=hide_password(error or "?"), schema=schema))


def _staging_prefix(schema: str) -> str:
    return f"{schema[:MAX_NAME - 16]}_dt_tmp_"


def drop_staging_schemas(connection: str, schema: str) -> None:
    """Drop the staging schemas a stopped writer left for `schema` (a worker ended during its write)."""
    conn, label = resolve_connection(connection)
    pattern = _staging_prefix(check_schema(schema)).replace("_", "\\_") + "%"
    for (staging,) in _execute(conn, f"SELECT nspname FROM pg_namespace WHERE nspname LIKE {literal(pattern)}",
                               f"{label} / {schema}"):
        _drop_staging(conn, staging)


def _drop_staging(conn, staging: str) -> None:
    statements = [f"DROP SCHEMA IF EXISTS {ident(staging)} CASCADE"]
    try:
        if _execute(conn, "SELECT to_regclass('layer_styles') IS NOT NULL", staging)[0][0]:
            statements.append(f"DELETE FROM layer_styles WHERE f_table_schema = {literal(staging)}")
        _execute(conn, ";\n".join(statements), staging)
    except PackageError as error:
        log.warning(tr("Le schéma temporaire {schema} n'a pas pu être supprimé : {error}").format(schema=staging,
                                                                                                  error=error))


def _check_connection(conn, label: str) -> None:
    try:
        conn.executeSql("SELECT 1")
    except QGIS_ERRORS as error:
        raise PackageError(tr("Connexion à PostgreSQL impossible ({connection}) : {error}. Vérifiez l'hôte, la base, "
                              "l'utilisateur et le mot de passe (ou la configuration d'authentification) de la "
                              "connexion dans QGIS.").format(connection=label, error=sql_error(error))) from error


# -- SQL and URIs -----------------------------------------------------------------------------------
def _execute(conn, sql: str, destination: str) -> list:
    try:
        return conn.executeSql(sql) or []
    except QGIS_ERRORS as error:
        raise PackageError(tr("Erreur PostgreSQL sur {destination} : {error}. Le contenu précédent du schéma est "
                              "inchangé.").format(destination=destination, error=sql_error(error))) from error


def sql_error(error: Exception) -> str:
    """PostgreSQL's own message out of QGIS's exception text, without a password nor PostgreSQL's hint."""
    text = str(error).strip()
    # QGIS repeats the whole statement before PostgreSQL's message: keep the message
    match = re.search(r"\[(?:ERROR|ERREUR)\s*:\s*(.*)\]\s*$", text, re.DOTALL)
    text = match.group(1) if match else text
    # the hint suggests DROP … CASCADE, which would drop the user's views: not ours to suggest
    text = re.sub(r"\n\s*(HINT|ASTUCE)\s*:.*", "", text, flags=re.DOTALL)
    return hide_password(text).strip().rstrip(".")


def _uri(conn, schema: str, table: str, geometry: str, key: str) -> str:
    uri = QgsDataSourceUri(conn.uri())
    uri.setDataSource(schema, table, geometry, "", key)
    return uri.uri(False)  # keep authcfg as a reference: no password spelled out


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    # an escape string: correct whatever standard_conforming_strings says
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _label(uri: QgsDataSourceUri) -> str:
    """Where a connection string points, without its password."""
    if uri.service():
        return f"service={uri.service()}"
    host = uri.host() or "localhost"
    port = f":{uri.port()}" if uri.port() else ""
    return f"{host}{port}/{uri.database()}"
