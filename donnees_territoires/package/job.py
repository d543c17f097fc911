"""One package to write once its data is acquired and cut: a job, plain JSON, run here or by a worker process.

A job names its territory, its recipe and destination, and per dataset where its share of the split
table is (extract/split_table.py), the CRS it is wanted in, the fetch records and the warnings. It
reads its share, writes its package, and says what became of it (an outcome: status, counts,
warnings, error, and when a package was replaced, what changed in it).
"""

from __future__ import annotations

import traceback
from dataclasses import asdict, dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
)

from ..extract.acquisition import dataset_failure, fetch_sources
from ..extract.dataset import cut_files
from ..extract.download import DownloadedFile
from ..extract.shape import Shape
from ..extract.split_table import read_share
from ..toolbelt import log
from ..toolbelt.i18n import tr
from .batch_report import FAILED, UNCHANGED, WRITTEN
from .changes import layer_changes, snapshots
from .destination import destination_from_dict
from .model import PackageCanceled, PackageError, PackageLayer
from .recipe import MIN_LOST, Recipe, is_unchanged, job_territory_info


def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    """An authority id, or the WKT of a CRS that has none (a user-defined one)."""
    return crs.authid() or crs.toWkt()


def job_spec(job) -> dict:
    """What writing one package needs (runner.PackageJob): plain JSON, no QGIS object."""
    datasets = []
    for dataset_id in job.recipe.datasets:
        if dataset_id in job.missing:  # it failed: the package keeps its previous table of it, if any
            datasets.append({"id": dataset_id, "missing": job.missing[dataset_id]})
            continue
        fetched, table = job.fetched[dataset_id], job.tables.get(dataset_id)
        item = {"id": dataset_id, "target": crs_text(fetched.target), "warnings": job.warnings(dataset_id),
                "fetches": list(fetched.fetches), "table": None if table is None else table.to_dict()}
        if dataset_id in job.own_files:  # cut by the job itself
            item["files"] = [downloaded.to_dict() for downloaded in fetched.files]
            item["shape"] = fetched.shape.to_dict() if fetched.shape is not None else None
        datasets.append(item)
    territory = job.territory
    return {"territory": {"reference": territory.reference, "code": territory.code, "name": territory.name,
                          "vintage": job.recipe.selection.vintage},
            "recipe": job.recipe.to_dict(), "destination": job.recipe.output.to_dict(), "datasets": datasets}


def shared_spec(catalog, datasets: list[str], styles: dict, language: str, destination=None, *,
                report_changes: bool = True) -> dict:
    """What every job of a run shares: the catalog entries and their styles (a job downloads nothing), the
    language of the titles, a destination of the run (a Destination) a worker checks before taking any job,
    and whether a replaced package says what changed in it."""
    entries = {}
    for dataset_id in datasets:
        dataset = catalog[dataset_id]
        entries[dataset_id] = {"entry": dataset.raw, "origin": asdict(dataset.origin)}
    return {"datasets": entries, "styles": styles, "language": language, "report_changes": report_changes,
            "destination": destination.to_dict() if destination is not None else None}


def shared_datasets(shared: dict) -> dict:
    """The catalog entries of shared_spec(), as Datasets."""
    from ..catalog.model import CatalogSource, dataset_from_dict

    return {dataset_id: dataset_from_dict(item["entry"], CatalogSource(**item["origin"]), None)
            for dataset_id, item in shared["datasets"].items()}


def job_layers(spec: dict, datasets: dict, shared: dict, transform_context: QgsCoordinateTransformContext,
               feedback: QgsProcessingFeedback | None = None) -> tuple[list[PackageLayer], list[str], dict]:
    """(PackageLayer per dataset, warnings, {dataset id: why it failed}) of one job: its share of each split
    table, its own files cut. A dataset that failed before (or whose cut fails here, unless the recipe is
    strict) has no layer: it is in the third item."""
    territory = spec["territory"]
    layers, warnings, missing = [], [], {}
    for item in spec["datasets"]:
        if feedback is not None and feedback.isCanceled():
            raise PackageCanceled(tr("Production annulée : le paquet de {name} n'a pas été écrit.").format(
                name=territory["name"]))
        if item.get("missing"):
            missing[item["id"]] = item["missing"]
            continue
        dataset, target = datasets[item["id"]], QgsCoordinateReferenceSystem(item["target"])
        layer_warnings = list(item["warnings"])
        if "files" in item:
            files = [DownloadedFile.from_dict(data) for data in item["files"]]
            shape = Shape.from_dict(item["shape"]) if item.get("shape") else None
            try:
                layer, report = cut_files(dataset, files, territory["reference"], territory["name"], target, shape,
                                          transform_context, feedback)
            except QgsProcessingException as error:
                if spec["recipe"].get("strict"):
                    raise QgsProcessingException(dataset_failure(dataset, error)) from error
                missing[dataset.id] = dataset_failure(dataset, error)
                continue
            layer_warnings = list(dict.fromkeys(layer_warnings + report.notes))
        elif item.get("table"):
            layer = read_share(item["table"], territory["reference"], target)
        else:  # nothing was cut for it: its files failed
            raise QgsProcessingException(tr("« {dataset} » : aucune donnée découpée.").format(dataset=dataset.id))
        warnings.extend(layer_warnings)
        layers.append(PackageLayer.from_dataset(dataset, layer, fetch=item["fetches"],
                                                style_qml=shared["styles"].get(dataset.id), warnings=layer_warnings,
                                                language=shared["language"]))
    return layers, list(dict.fromkeys(warnings)), missing


@dataclass
class WrittenJob:
    """What writing a job did: its outcome (the JSON a worker hands back), and in this process what was written."""

    outcome: dict
    report: object = None  # model.PackageReport
    layers: list = field(default_factory=list)
    territory: object = None  # recipe.TerritoryInfo


def write_job(spec: dict, shared: dict, datasets: dict | None = None,
              transform_context: QgsCoordinateTransformContext | None = None,
              feedback: QgsProcessingFeedback | None = None) -> WrittenJob:
    """Write one territory's package; its outcome: {"reference", "status", "counts", "warnings", "error"}.

    PackageCanceled goes through (the run stops); any other failure is the outcome's error.
    """
    datasets = datasets if datasets is not None else shared_datasets(shared)
    outcome = {"reference": spec["territory"]["reference"], "status": FAILED, "counts": {}, "warnings": [],
               "error": ""}
    try:
        context = transform_context or QgsProject.instance().transformContext()
        layers, warnings, missing = job_layers(spec, datasets, shared, context, feedback)
        outcome["missing"] = missing
        recipe = Recipe.from_dict(spec["recipe"])
        destination = destination_from_dict(spec["destination"])
        # the package there, read once: the features each dataset had, what changed in it, the tables of the
        # datasets that failed
        previous = destination.previous_manifest()
        layers = _hold_losses(layers, missing, previous, recipe, datasets)
        if not layers:  # every dataset failed: nothing to write, the package there stays as it is
            raise QgsProcessingException("\n".join(missing.values()))
        territory = job_territory_info(spec["territory"], layers[0].layer.crs())
        if missing and is_unchanged(recipe, {item.dataset_id: fetch_sources(item.fetch) for item in layers},
                                    previous):
            # the datasets that failed keep their tables, the others come from the very downloads of the
            # package there: it is left as it is, byte for byte
            outcome.update(status=UNCHANGED, warnings=warnings, counts={
                row.get("dataset_id"): row.get("feature_count") for row in previous.get("layers", [])})
            return WrittenJob(outcome, territory=territory)
        report_changes = shared.get("report_changes", True)
        before = _previous_tables(destination, previous) if report_changes else None
        if missing:
            layers, notes = with_previous_layers(layers, missing, recipe.datasets, destination, previous, datasets,
                                                 shared)
            warnings.extend(notes)
        report = destination.write(layers, recipe.to_dict(), territory.to_dict(), feedback=feedback,
                                   missing=missing)
    except PackageCanceled:
        raise
    except (QgsProcessingException, PackageError) as error:
        outcome["error"] = str(error)
        return WrittenJob(outcome)
    except Exception as error:  # noqa: BLE001 — one territory's failure must not stop the others
        log.warning(traceback.format_exc())
        outcome["error"] = tr("Erreur inattendue : {error}").format(error=error)
        return WrittenJob(outcome)
    outcome.update(status=WRITTEN, counts={table.dataset_id: table.feature_count for table in report.layers},
                   warnings=warnings)
    if before is not None:  # a package replaced: what changed in it, as refresh_package says it
        try:
            outcome["changes"] = _changes(destination, recipe, before, report.manifest, territory.vintage)
        except Exception as error:  # noqa: BLE001 — the package is written: a report left out is a warning
            outcome["warnings"].append(tr("Changements non calculés : {error}").format(error=error))
    return WrittenJob(outcome, report, layers, territory)


def _hold_losses(layers: list[PackageLayer], missing: dict, previous: dict | None, recipe: Recipe,
                 datasets: dict) -> list[PackageLayer]:
    """`layers` without the datasets whose share lost more than the recipe's max_loss_pct of the features of
    the package there (and at least MIN_LOST): a source cut short or emptied upstream is not trusted, each
    such dataset is added to `missing` (it keeps its previous table); with a strict recipe, the job fails."""
    rows = {row.get("dataset_id"): row for row in (previous or {}).get("layers", [])}
    kept = []
    for item in layers:
        before = int(rows.get(item.dataset_id, {}).get("feature_count") or 0)
        now = item.layer.featureCount()
        lost = before - now
        if now < 0 or lost < MIN_LOST or lost * 100 <= recipe.max_loss_pct * before:
            kept.append(item)
            continue
        sentence = dataset_failure(datasets[item.dataset_id], tr(
            "la source a perdu {lost} des {before} entités du paquet précédent (plus de {pct} %) : sa table "
            "précédente est conservée. Si la baisse est réelle, relancez en admettant une perte plus grande "
            "(paramètre MAX_LOSS).").format(lost=lost, before=before, pct=recipe.max_loss_pct))
        if recipe.strict:
            raise QgsProcessingException(sentence)
        missing[item.dataset_id] = sentence
    return kept


def with_previous_layers(layers: list[PackageLayer], missing: dict, order: list[str], destination,
                         previous: dict | None, datasets: dict, shared: dict) -> tuple[list[PackageLayer], list[str]]:
    """`layers` with, for each dataset that failed, its table of the package there (`previous`: its manifest)
    as it is, in recipe `order`; and a note for each table so kept. A dataset the package there does not
    have stays left out."""
    rows = {row.get("dataset_id"): row for row in (previous or {}).get("layers", [])}
    by_dataset = {layer.dataset_id: layer for layer in layers}
    notes = []
    for dataset_id in missing:
        row = rows.get(dataset_id)
        layer = previous_layer(destination, row["table_name"]) if row else None
        if layer is None:
            continue
        note = tr("« {title} » : la couche du paquet précédent est gardée telle quelle (données du {date}), "
                  "ce jeu de données ayant échoué.").format(title=row.get("title") or dataset_id,
                                                            date=str(row.get("fetched_at") or "?")[:10])
        by_dataset[dataset_id] = PackageLayer.from_dataset(
            datasets[dataset_id], layer, fetch=list(row.get("fetch") or []), style_qml=shared["styles"].get(dataset_id),
            warnings=[*(row.get("warnings") or []), note], name=row["table_name"], language=shared["language"])
        notes.append(note)
    return [by_dataset[dataset_id] for dataset_id in order if dataset_id in by_dataset], notes


def previous_layer(destination, table: str):
    """A memory copy of one table of the package there (None when it cannot be read): the package file is
    free again when it returns, to be replaced."""
    return destination.read_table(table, _memory_copy)


def _memory_copy(source):
    from qgis.core import QgsFeatureRequest

    if not source.isValid():
        return None
    # the table's own feature id column stays behind: the new table numbers its features itself
    keys = set(source.dataProvider().pkAttributeIndexes())
    request = QgsFeatureRequest().setSubsetOfAttributes(
        [index for index in range(source.fields().count()) if index not in keys])
    return source.materialize(request)


def _previous_tables(destination, manifest: dict | None) -> dict | None:
    """Snapshots of the package about to be replaced (changes.snapshots; `manifest`: its manifest), None when
    there is none."""
    if manifest is None:  # none there, or not a package of ours: nothing to compare with
        return None
    try:
        return snapshots(destination, manifest)
    except PackageError:
        return None


def _changes(destination, recipe, before: dict, manifest: dict, vintage: int) -> dict:
    """{dataset id: [added, removed, modified]}; also kept in a GeoPackage's manifest_changes table."""
    changes = layer_changes(destination, recipe.datasets, before, manifest)
    destination.store_changes(changes, vintage, [tr("Production par lot.")])
    return {change.dataset_id: [change.added, change.removed, change.modified] for change in changes}
