"""One package per territory of a parent (every commune of an EPCI, every EPCI of a département…).

The runner (runner.py) with one job per territory: every source is downloaded once and split in
one read — a per-département file (BAN, Sirene) distributed by INSEE code, a file cut by location
read once against a spatial index of the territories' contours, a per-commune file given to its
territory. Each package stores its own territory's Recipe, so that it refreshes on its own; one
already made from the very same recipe and downloads is left as it is (resumable). The « one
table per dataset » PostGIS layout is batch_tables.py; the report, batch_report.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingUtils,
)

from ..extract.acquisition import check_datasets
from ..territory import Selection
from ..toolbelt.i18n import tr
from .batch_report import (  # noqa: F401 — part of this module's interface
    FAILED,
    OBSOLETE,
    REPORT_CSV,
    REPORT_HTML,
    UNCHANGED,
    WRITTEN,
    TerritoryOutcome,
    stale_packages,
    status_label,
    write_reports,
)
from .batch_tables import TERRITORY_COLUMN, TablesRun
from .destination import TABLES_LAYOUT, GeoPackage, PostgisSchema, PostgisTables, slug
from .model import PackageError
from .recipe import DEFAULT_MAX_LOSS, Recipe, RunResult, previous_manifest, territory_info
from .runner import PackageJob, Runner
from .writing import MAX_AUTO_WORKERS, worker_count  # noqa: F401 — part of this module's interface

#: LEVEL values of the batch algorithm, in the order of its enum
LEVELS = ("commune", "epci")
#: PostGIS layouts: one schema per territory, or one table per dataset with a territory code column
SCHEMAS, TABLES = "schemas", TABLES_LAYOUT
#: POSTGIS_LAYOUT values of the batch algorithm, in the order of its enum
LAYOUTS = (SCHEMAS, TABLES)


def batch_territories(parent: Selection | str, level: str, vintage: int | None = None) -> list:
    """The territories to package: the communes of `parent` (a Selection, or references read here in COG
    `vintage`), or the EPCI having communes in it (whole EPCI)."""
    from ..territory import TerritoryKind

    parent = Selection.parse(parent, vintage) if isinstance(parent, str) else parent
    index = parent.index
    communes = {}
    for territory in parent.territories:
        for commune in index.communes(territory):
            communes.setdefault(commune.code, commune)
    if level == "commune":
        return sorted(communes.values(), key=lambda t: t.code)
    if level != "epci":
        raise ValueError(tr("Niveau inconnu : {level} (commune ou epci).").format(level=level))
    groups = {}
    for commune in communes.values():
        group = index.parent(commune, TerritoryKind.EPCI)
        if group is not None:
            groups.setdefault(group.code, group)
    return sorted(groups.values(), key=lambda t: t.code)


@dataclass
class BatchResult:
    folder: Path  # the reports' folder (and the GeoPackages')
    outcomes: list[TerritoryOutcome]
    report_csv: Path | None = None
    report_html: Path | None = None
    downloads: int = 0  # distinct sources fetched (each once)
    workers: int = 1  # processes that wrote the packages
    destination: str = ""  # the folder, or « connection / schema(s) »

    def by_status(self, status: str) -> list[TerritoryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]


def run_batch(parent: str, level: str, datasets: list[str], folder, context: QgsProcessingContext,
              feedback: QgsProcessingFeedback | None = None, *, vintage: int | None = None, buffer_m: float = 0.0,
              crs: str = "", settings=None, postgis: dict | None = None, workers: int = 1,
              strict: bool = False, max_loss_pct: int | None = None) -> BatchResult:
    """One package per territory of `parent` at `level`, then rapport.csv and rapport.html in `folder`.

    Without `postgis`, one GeoPackage per territory in `folder`. With `postgis`
    ({"connection": a QGIS connection name or a connection string, "layout": "schemas" or
    "tables", "schema": …}): one schema per territory (named commune_33063, after the optional
    prefix `schema`), or one schema (`schema`, default departement_33_communes) holding one table
    per dataset with a code_territoire column; `folder` then only receives the reports (None: the
    Processing temporary folder). `workers` processes write the packages (0: one per core).
    A territory whose download, cut or write fails is reported « échec »; the others go on. A dataset
    that fails for a territory is left out of its package (and said in the report), unless `strict`
    (then the territory fails) or the layout is « tables » (always all or nothing). A dataset whose share
    lost more than `max_loss_pct` % of the features of the package there is held as failed likewise.
    Raises QgsProcessingException for what stops everything (unknown dataset, cancel).
    """
    from ..catalog import configured_catalog
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    settings = settings or current()
    catalog = configured_catalog(settings)
    check_datasets(catalog, datasets)
    parents = Selection.parse(parent, vintage, buffer_m=buffer_m)
    vintage = parents.vintage
    if folder:
        folder = Path(folder).expanduser().absolute()
    elif postgis:
        folder = Path(QgsProcessingUtils.tempFolder()) / f"lot-{slug(parent)}-{uuid.uuid4().hex[:6]}"
    else:
        raise QgsProcessingException(tr("Indiquez un dossier pour les paquets, ou une connexion PostGIS."))
    folder.mkdir(parents=True, exist_ok=True)
    territories = batch_territories(parents, level)
    if not territories:
        raise QgsProcessingException(tr("Aucun territoire de niveau « {level} » dans {parent}.").format(
            level=level, parent=parent))
    layout, combined = (postgis or {}).get("layout", SCHEMAS), None
    if postgis and layout not in (SCHEMAS, TABLES):
        raise ValueError(tr("Organisation PostGIS inconnue : {layout} (schemas ou tables).").format(layout=layout))
    if postgis:
        from .postgis import check_connection

        check_connection(postgis["connection"])  # a wrong name or password: said before any download
    catalogs = sorted({catalog[d].origin.location for d in datasets
                       if catalog[d].origin.kind != "builtin" and catalog[d].origin.location})
    content = {"crs": crs, "catalogs": catalogs, "strict": strict,
               "max_loss_pct": DEFAULT_MAX_LOSS if max_loss_pct is None else max_loss_pct}
    if postgis and layout == TABLES:
        content["strict"] = True  # a table missing a territory's rows would drop them: all or nothing
        output = PostgisTables.named_for(postgis["connection"], parent, level, postgis.get("schema") or "")
        combined = Recipe.of(parents, datasets, output=output,
                             batch={"level": level, "layout": TABLES, "column": TERRITORY_COLUMN}, **content)
    jobs, where = _plan(territories, folder, postgis, combined, datasets, buffer_m, content)
    feedback.pushInfo(tr("{count} paquets à produire dans {destination}.").format(count=len(territories),
                                                                                 destination=where))
    if combined is not None:
        tables = TablesRun(jobs, combined, catalog, settings, context, feedback, crs=crs, workers=workers)
        runner, gone = tables.runner, tables.gone
        tables.run()
    else:
        runner, gone = Runner(jobs, catalog, settings, context, feedback, crs=crs, workers=workers), []
        runner.run()
    for job in jobs:
        if job.outcome.status == FAILED:
            feedback.reportError(tr("{name} ({code}) : {error}").format(
                name=job.territory.name, code=job.territory.code, error=job.outcome.error))
    outcomes = [job.outcome for job in jobs] + gone
    if not postgis:
        outcomes += stale_packages(folder, {outcome.label for outcome in outcomes}, level, vintage)
    result = BatchResult(folder, outcomes, downloads=runner.downloads, workers=runner.workers, destination=where)
    label = ", ".join(f"{territory.name} ({territory.reference})" for territory in parents.territories)
    result.report_csv, result.report_html = write_reports(folder, result.outcomes, datasets, label)
    return result


def _plan(territories, folder: Path, postgis: dict | None, combined, datasets: list[str], buffer_m: float,
          content: dict) -> tuple[list[PackageJob], str]:
    """(one job per territory with its recipe and destination, where the packages go — for the messages)."""
    prefix = ((postgis or {}).get("schema") or "").strip()
    if combined is not None:
        where = f"{postgis['connection']} / {combined.output.schema}"
    elif postgis:
        where = f"{postgis['connection']} / {prefix + '_' if prefix else ''}<type>_<code>"
    else:
        where = str(folder)
    jobs = []
    for territory in territories:
        if combined is not None:
            output = combined.output
            destination = label = output.schema
        elif postgis:
            output = PostgisSchema.named_for(postgis["connection"], territory, prefix)
            destination = label = output.schema
        else:
            output = GeoPackage.named_for(folder, territory)
            destination, label = output.path, Path(output.path).name
        recipe = Recipe.of(Selection.of(territory, buffer_m=buffer_m), datasets, output=output, **content)
        jobs.append(PackageJob(territory, recipe, TerritoryOutcome(territory.reference, territory.code,
                                                                   territory.name, destination, label)))
    return jobs, where


def run_tables_recipe(recipe: Recipe, context: QgsProcessingContext, feedback: QgsProcessingFeedback,
                      settings=None) -> RunResult:
    """A batch's « one table per dataset » package made again: batch_packages over the same parent and level."""
    from ..territory import TerritoryReferenceError, UnknownVintageError
    from ..territory.contour_sources import ContourError

    postgis = recipe.output.batch_postgis()
    if postgis is None:
        raise QgsProcessingException(tr("Recette de lot inconnue ({layout}) : relancez « Produire un paquet par "
                                        "territoire ».").format(layout=recipe.batch.get("layout")))
    try:
        result = run_batch(recipe.territory, recipe.batch.get("level", "commune"), recipe.datasets, None, context,
                           feedback, vintage=recipe.vintage, buffer_m=recipe.buffer_m, crs=recipe.crs,
                           settings=settings, postgis=postgis)
    except (PackageError, ContourError, TerritoryReferenceError, UnknownVintageError, ValueError) as error:
        raise QgsProcessingException(str(error)) from error
    feedback.pushInfo(tr("Rapport par territoire : {path}").format(path=result.report_html))
    failed = result.by_status(FAILED)
    if failed:  # the tables are then left as they were (all or nothing)
        raise QgsProcessingException(tr("{count} territoire(s) en échec, les tables n'ont pas été remplacées : "
                                        "{errors}").format(count=len(failed), errors=" ; ".join(
                                            f"{o.name} ({o.code}) : {o.error}"
                                            for o in [o for o in failed if not o.held][:3])))
    manifest = previous_manifest(recipe) or {}
    crs = QgsCoordinateReferenceSystem((manifest.get("territory") or {}).get("crs") or recipe.crs or "")
    unchanged = len(result.by_status(UNCHANGED)) == len(result.outcomes)
    return RunResult(recipe, territory_info(recipe, crs), None, [], [], unchanged=unchanged, manifest=manifest)
