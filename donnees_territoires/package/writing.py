"""The writing stage of a run: each job's package written here, or by worker processes (worker_pool.py).

Writing the packages takes most of a batch's time; it is shared among worker processes when more
than one is asked for and a Python able to run QGIS is found. The same JSON job runs here and there.
Packages a worker could not take are written here, with a warning; a package whose worker stopped
while writing it is reported failed (running the batch again takes it up), never tried again here.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from qgis.core import QgsProcessingException, QgsProcessingMultiStepFeedback, QgsProcessingUtils

from ..toolbelt.i18n import tr
from .batch_report import WRITTEN
from .job import WrittenJob, job_spec, shared_spec, write_job
from .model import PackageCanceled
from .worker_pool import WorkerPool, discard_partial, left_over, read_outcomes, worker_python, write_jobs

#: worker processes when the user says « 0 » (one per core): each one is a QGIS of a few hundred MB
MAX_AUTO_WORKERS = 4


def worker_count(requested: int) -> int:
    """`requested`, or with 0 one per core this process may use, at most MAX_AUTO_WORKERS."""
    if requested > 0:
        return requested
    try:
        cores = len(os.sched_getaffinity(0))  # what a container or `taskset` leaves us
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


class PackageWriting:
    """Writes a runner's jobs; `workers` is how many processes did.

    `here`: what was written in this process, layers included, when the run makes one package (the
    caller loads them); a run of many keeps only each package's outcome, or it would hold every
    package's features until its end.
    """

    def __init__(self, runner, requested_workers: int, report_changes: bool):
        self.runner, self.requested_workers, self.report_changes = runner, requested_workers, report_changes
        self.workers = 1
        self.planned = 0  # packages to write in this run
        self.here: list[WrittenJob] = []

    def write(self, jobs: list) -> None:
        """Each job's package, here or in worker processes."""
        runner = self.runner
        if not jobs:
            return
        datasets = runner.datasets
        destination = jobs[0].recipe.output  # the packages of a run all go to one kind of place
        styles = {d: runner.acquisition.style(runner.catalog[d]) for d in datasets}
        shared = shared_spec(runner.catalog, datasets, styles, runner.language, destination,
                             report_changes=self.report_changes)
        specs = [job_spec(job) for job in jobs]
        self.planned = len(specs)
        for job in jobs:
            job.tables.clear()
            job.fetched.clear()
        by_reference = {job.territory.reference: job for job in jobs}
        count = min(worker_count(self.requested_workers), len(specs))
        python = worker_python() if count > 1 else None
        start, planned = 2 * len(datasets), len(specs)

        def progress(done: int) -> None:
            runner.progress(start + min(done, planned) / planned)

        here, first = specs, 0
        if python is not None:
            # QGIS creates the layer_styles table on the first style: once, before the workers
            if destination.shared_styles:
                self._write_here(specs[:1], shared, by_reference, progress)
                specs, first = specs[1:], 1
            runner.feedback.pushInfo(tr("Écriture des paquets par {count} processus de travail.").format(
                count=count))
            here = self._write_in_workers(specs, shared, python, min(count, len(specs)), by_reference,
                                          lambda done: progress(first + done))
            if here:
                runner.feedback.pushWarning(tr("{count} paquet(s) non écrit(s) par les processus de travail : "
                                               "écriture dans ce processus.").format(count=len(here)))
        self._write_here(here, shared, by_reference, progress, planned - len(here))

    def _write_here(self, specs, shared, by_reference, progress, done: int = 0) -> None:
        runner = self.runner
        datasets = {dataset_id: runner.catalog[dataset_id] for dataset_id in shared["datasets"]}
        planned = max(1, self.planned)
        # each package's own progress fills its share of the writing stage
        steps = QgsProcessingMultiStepFeedback(runner.total * planned, runner.feedback)
        for number, spec in enumerate(specs):
            progress(done + number)
            runner.check_canceled()
            steps.setCurrentStep(min((runner.total - 1) * planned + done + number, runner.total * planned - 1))
            try:
                # the same JSON a worker reads: what runs here is what runs there
                written = write_job(json.loads(json.dumps(spec)), shared, datasets,
                                    runner.context.transformContext(), feedback=steps)
            except PackageCanceled as error:
                raise QgsProcessingException(runner.canceled) from error
            if len(runner.jobs) == 1:
                self.here.append(written)
            self._record(by_reference[spec["territory"]["reference"]], written.outcome)

    def _write_in_workers(self, specs, shared, python, count, by_reference, progress) -> list[dict]:
        """Write `specs` in `count` worker processes; the jobs no worker took, to be written here."""
        if not specs:
            return []
        feedback = self.runner.feedback
        queue = Path(tempfile.mkdtemp(prefix="lot-", dir=QgsProcessingUtils.tempFolder()))
        write_jobs(queue, specs, shared)
        pool = WorkerPool(queue, python, count)
        try:
            pool.start()
        except OSError as error:
            feedback.pushWarning(tr("Processus de travail impossible à lancer ({error}).").format(error=error))
            shutil.rmtree(queue, ignore_errors=True)
            return specs
        try:
            pool.wait(feedback, progress)
        finally:
            if pool.alive():  # an error here, or QGIS closing: no worker goes on writing on its own
                pool.stop(grace_s=5)
            outcomes = read_outcomes(queue)
            for reference, outcome in outcomes.items():
                self._record(by_reference[reference], outcome)
            self.workers = max(1, len({outcome.get("worker") for outcome in outcomes.values()} - {None}))
            unclaimed, interrupted = left_over(queue)
            for claimed in interrupted.values():
                for spec in claimed:
                    discard_partial(spec)  # no worker is running any more: what is half-written goes
                    if not feedback.isCanceled():
                        # it may have ended its worker (a crash in GDAL…): not tried again inside QGIS
                        by_reference[spec["territory"]["reference"]].fail(tr(
                            "le processus de travail qui écrivait ce paquet s'est arrêté ; relancez la production "
                            "pour le reprendre."))
            if pool.succeeded():
                shutil.rmtree(queue, ignore_errors=True)
        self.runner.check_canceled()
        return unclaimed

    def _record(self, job, outcome: dict) -> None:
        """A job's outcome into its report line."""
        job.outcome.update(outcome)
        if outcome["status"] == WRITTEN and len(self.runner.jobs) > 1:
            self.runner.feedback.pushInfo(tr("Paquet écrit : {destination}.").format(
                destination=job.outcome.destination))
