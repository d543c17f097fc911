"""The one runner: packages for N territories, each source acquired once and cut in one read.

build_package is the runner with one job, batch_packages with one job per territory, and
refresh_package replays a package's recipe through it. The stages, each in its share of the
progress: acquire every dataset for every job (extract/acquisition.py: a URL several jobs need is
downloaded once); leave alone the packages already made from the same recipe and downloads; split
each downloaded file once among the jobs that asked for it (extract/split.py, into temporary split
tables); write each job's package, here or in worker processes (writing.py). A job whose download,
cut or write fails is failed with a French sentence; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
)

from ..extract.acquisition import Acquisition, check_datasets, dataset_failure
from ..extract.cut import CutMode, CutReport
from ..extract.download import open_download
from ..extract.split import Share, split_layer
from ..extract.split_table import SplitTable, forget_opened_tables
from ..toolbelt.i18n import tr, user_locale
from .batch_report import FAILED, UNCHANGED, TerritoryOutcome
from .recipe import Recipe, RunResult, TerritoryInfo, is_unchanged, previous_manifest, territory_info
from .writing import PackageWriting


@dataclass
class PackageJob:
    """One package to make: its territory, recipe and report line; per dataset what was fetched and cut for it."""

    territory: object  # anything with .reference, .code, .name: a batch's territory.Territory, or a Selection
    recipe: Recipe
    outcome: TerritoryOutcome
    fetched: dict = field(default_factory=dict)  # dataset id → acquisition.FetchedDataset
    tables: dict = field(default_factory=dict)  # dataset id → the SplitTable holding its share
    cuts: dict = field(default_factory=dict)  # dataset id → the CutReport of its share
    previous: dict | None = None  # the manifest of the package already there, if any
    #: datasets whose files only this job reads: it cuts them itself when its package is written
    own_files: set = field(default_factory=set)
    failed: bool = False

    @property
    def missing(self) -> dict:
        """Dataset id → why it failed for this job (a French sentence), when the others go on without it: its
        report line's."""
        return self.outcome.missing

    def fail(self, message: str) -> None:
        if not self.failed:
            self.failed = True
            self.outcome.error = message

    def lose(self, dataset_id: str, message: str) -> None:
        """A dataset failed for this job: the package is made without it, unless its recipe is strict (all or
        nothing) or no dataset is left, then the job fails."""
        if self.recipe.strict:
            self.fail(message)
            return
        self.missing[dataset_id] = message
        if all(dataset in self.missing for dataset in self.recipe.datasets):
            self.fail("\n".join(self.missing[dataset] for dataset in self.recipe.datasets))

    def has(self, dataset_id: str) -> bool:
        """The job goes on and has the dataset's download (it did not fail for it)."""
        return not self.failed and dataset_id in self.fetched

    def warnings(self, dataset_id: str) -> list[str]:
        """What the acquisition and the cut of a dataset had to say for this territory."""
        cut = self.cuts.get(dataset_id)
        fetched = self.fetched[dataset_id]
        return list(dict.fromkeys(fetched.warnings + fetched.notes + (cut.notes if cut is not None else [])))


def default_table(dataset, layer, target: QgsCoordinateReferenceSystem, context: QgsProcessingContext) -> SplitTable:
    """A per-territory packages' split table: a clip makes multi-part geometries, as native:clip does."""
    return SplitTable(dataset.id, layer, target, context.transformContext(), multi=dataset.cut.rule == "clip")


class Runner:
    """The stages of a run over `jobs` (public: the « one table per dataset » layout drives them its own way).

    `key(job)` is what a split table's territory column holds for a job; `new_table(dataset, layer,
    target, context)` makes a split table; `report_changes`: a replaced package says what changed;
    `own_files`: a dataset whose every file only one job reads is cut by that job when its package is
    written (in memory, in the process that writes it) rather than split here.
    """

    def __init__(self, jobs: list[PackageJob], catalog, settings, context: QgsProcessingContext,
                 feedback: QgsProcessingFeedback, *, crs: str = "", workers: int = 1,
                 key=lambda job: job.territory.reference, new_table=default_table, report_changes: bool = True,
                 own_files: bool = True, canceled: str = ""):
        self.jobs, self.catalog, self.settings, self.context, self.feedback = jobs, catalog, settings, context, feedback
        self.acquisition = Acquisition(catalog, settings, context.transformContext(), feedback,
                                       crs=QgsCoordinateReferenceSystem(crs) if crs else None)
        self.key, self.new_table, self.own_files = key, new_table, own_files
        self.writing = PackageWriting(self, workers, report_changes)
        self.canceled = canceled or tr("Production annulée : les paquets déjà écrits sont gardés.")
        self.language = user_locale()
        self._tables: dict[tuple[str, str], SplitTable] = {}
        self.datasets = list(jobs[0].recipe.datasets) if jobs else []
        self.total = 2 * len(self.datasets) + 1  # progress: acquire each dataset, split each one, write

    @property
    def downloads(self) -> int:
        return self.acquisition.downloads

    @property
    def workers(self) -> int:
        return self.writing.workers

    def check_canceled(self) -> None:
        if self.feedback.isCanceled():
            raise QgsProcessingException(self.canceled)

    def progress(self, step: float) -> None:
        self.feedback.setProgress(100 * step / self.total)

    def run(self, produce=None) -> None:
        """Acquire every dataset, then produce the packages (`produce()`, by default produce_packages)."""
        try:
            self.acquire()
            (produce or self.produce_packages)()
        finally:
            forget_opened_tables()
            for table in self._tables.values():
                table.remove()
            self._tables.clear()
        for job in self.jobs:
            if job.failed or (job.outcome.status == FAILED and job.outcome.error):
                job.outcome.status = FAILED
        self.feedback.setProgress(100)

    # -- 1. acquire: every distinct source once ------------------------------------------------------
    def acquire(self) -> None:
        for number, dataset_id in enumerate(self.datasets):
            self.progress(number)
            dataset = self.catalog[dataset_id]
            jobs = [job for job in self.jobs if not job.failed]
            selections = [job.recipe.selection for job in jobs]
            for job, fetched in zip(jobs, self.acquisition.fetch(dataset, selections, number, self.total)):
                if isinstance(fetched, str):
                    job.lose(dataset_id, fetched)
                else:
                    job.fetched[dataset_id] = fetched
            self.check_canceled()

    # -- 2. the packages already made from the same recipe and downloads ------------------------------
    def produce_packages(self) -> None:
        """Per-territory packages: the up-to-date ones left as they are, the others split and written."""
        pending = []
        for job in self.jobs:
            if job.failed:
                continue
            job.previous = previous_manifest(job.recipe)
            # a dataset that failed: the package there keeps its table of it as it is (or still lacks it)
            fetched = [d for d in self.datasets if d in job.fetched]
            if is_unchanged(job.recipe, {d: job.fetched[d].sources() for d in fetched}, job.previous):
                job.outcome.status = UNCHANGED
                job.outcome.counts = {layer.get("dataset_id"): layer.get("feature_count")
                                      for layer in job.previous.get("layers", [])}
                job.outcome.warnings = list(dict.fromkeys(w for d in fetched for w in job.warnings(d)))
            else:
                pending.append(job)
        if len(self.jobs) == 1:
            if not pending and not self.jobs[0].failed:
                self.feedback.pushInfo(tr("Sources inchangées depuis la production du paquet : il est à jour et "
                                          "n'a pas été réécrit."))
        else:
            self.feedback.pushInfo(tr("{count} paquet(s) déjà à jour, {todo} à écrire.").format(
                count=sum(1 for job in self.jobs if job.outcome.status == UNCHANGED), todo=len(pending)))
        self.split(pending)
        self.writing.write([job for job in pending if not job.failed])

    # -- 3. split: each downloaded file read once ------------------------------------------------------
    def split(self, jobs: list[PackageJob]) -> None:
        """Each dataset's files read once, their features given to the jobs that asked for them."""
        for number, dataset_id in enumerate(self.datasets):
            self.progress(len(self.datasets) + number)
            dataset = self.catalog[dataset_id]
            todo = [job for job in jobs if job.has(dataset_id)]
            if todo:
                self.feedback.pushInfo(tr("« {title} » ({id}) : découpe…").format(
                    title=dataset.title_for(self.language), id=dataset.id))
                self._split_dataset(dataset, todo)
            self.check_canceled()

    def _split_dataset(self, dataset, jobs: list[PackageJob]) -> None:
        readers: dict[tuple, list] = {}  # (path, member) → [(job, its request's file)]
        for job in jobs:
            for downloaded in job.fetched[dataset.id].files:
                readers.setdefault((str(downloaded.path), downloaded.member), []).append((job, downloaded))
        if self.own_files and all(len(owners) == 1 for owners in readers.values()):
            for job in jobs:
                job.own_files.add(dataset.id)
            return
        for job in jobs:
            job.cuts[dataset.id] = CutReport(CutMode(dataset.cut.rule))
        for owners in readers.values():
            self.check_canceled()
            try:
                layer = open_download(owners[0][1], dataset)
                shares = [self._share(job, dataset, layer, downloaded) for job, downloaded in owners]
                split_layer(layer, dataset.id, dataset.cut.rule, shares, self.context.transformContext(),
                            code_field=dataset.cut.field, feedback=self.feedback)
            except QgsProcessingException as error:
                for job, _downloaded in owners:
                    job.lose(dataset.id, dataset_failure(dataset, error))
        for (dataset_id, _crs), table in self._tables.items():
            if dataset_id == dataset.id:
                table.finish()
        for job in jobs:
            job.cuts[dataset.id].add_notes(dataset.id)

    def _share(self, job: PackageJob, dataset, layer, downloaded) -> Share:
        fetched = job.fetched[dataset.id]
        key = (dataset.id, fetched.target.authid() or fetched.target.toWkt())
        if key not in self._tables:
            self._tables[key] = self.new_table(dataset, layer, fetched.target, self.context)
        else:
            self._tables[key].source_single_type(layer)
        job.tables[dataset.id] = self._tables[key]
        return Share(self.key(job), job.territory.name, fetched.target, self._tables[key], fetched.shape,
                     tuple(downloaded.request.codes), job.cuts[dataset.id])

    def tables_of(self, dataset_id: str) -> list[SplitTable]:
        """The split tables of a dataset (one per target CRS)."""
        return [table for (table_dataset, _crs), table in self._tables.items() if table_dataset == dataset_id]


def run_recipe(recipe: Recipe, context: QgsProcessingContext, feedback: QgsProcessingFeedback | None = None,
               *, settings=None) -> RunResult:
    """The runner with one job: fetch every dataset of the recipe; unless the package there was made from the
    very same downloads (then it is left as it is, `unchanged`), cut them and write the package.

    Downloads are conditional (ETag / Last-Modified): a second run on unchanged sources costs a
    few 304 answers and no cutting or writing. A dataset that fails is left out (RunResult.missing),
    and keeps its table of the package already there; with a strict recipe, or when every dataset
    fails, nothing is written and the previous package stays as it was. Raises
    QgsProcessingException with a French message naming the dataset.
    """
    from ..catalog import configured_catalog
    from ..toolbelt.settings import current

    feedback = feedback or QgsProcessingFeedback()
    recipe.output = recipe.output.for_territory(recipe.territory)  # a PostGIS schema left empty: its default
    settings = settings or current()
    catalog = configured_catalog(settings)
    check_datasets(catalog, recipe.datasets)
    recipe.catalogs = sorted({catalog[d].origin.location for d in recipe.datasets
                              if catalog[d].origin.kind != "builtin" and catalog[d].origin.location})
    selection = recipe.selection
    job = PackageJob(selection, recipe, TerritoryOutcome(selection.reference, selection.code, selection.name,
                                                         recipe.output.label, recipe.output.label))
    runner = Runner([job], catalog, settings, context, feedback, crs=recipe.crs, report_changes=False,
                    canceled=tr("Production annulée : aucun paquet écrit."))
    runner.run()
    if job.failed or job.outcome.status == FAILED:  # failed before the write, or at it
        raise QgsProcessingException(job.outcome.error)
    warnings, missing = list(job.outcome.warnings), dict(job.outcome.missing)
    if job.outcome.status == UNCHANGED:
        here = runner.writing.here
        # left as it is before the write (same downloads), or at it (a dataset failed or lost features while
        # the others were the same)
        territory = here[0].territory if here else territory_info(recipe, next(iter(job.fetched.values())).target)
        return RunResult(recipe, territory, None, [], warnings, unchanged=True, manifest=job.previous,
                         missing=missing)
    written = runner.writing.here[0]
    return RunResult(recipe, written.territory, written.report, written.layers, warnings,
                     manifest=written.report.manifest, missing=missing)


__all__ = ["PackageJob", "Runner", "TerritoryInfo", "run_recipe"]
