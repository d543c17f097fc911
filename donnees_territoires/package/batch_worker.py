"""The writing half of batch_packages, in this process or in worker processes.

Once every source has been downloaded and split (batch.py), what remains is one job per
territory: read its share of each split file, cut its per-commune files, write its package.
A job is a JSON file (`job_spec`), so that it can run here (`run_job`) or in another process:
`python -m donnees_territoires.package.batch_worker <folder>` starts QGIS headless with the
user's profile and takes jobs from `<folder>/pending` until none is left. A job is claimed by
renaming its file (atomic: two workers never take the same one); its outcome is written to
`<folder>/done`. The packages themselves are written to a temporary file and renamed, so a
stopped worker never leaves a half-written package.

Inside QGIS Desktop `sys.executable` is QGIS itself, not a Python: `worker_python()` looks for
the Python QGIS runs on and checks, once per session, that it can import QGIS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsMemoryProviderUtils,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .destination import destination_from_dict

#: column of a spill file naming the territory each feature was given to
SPILL_KEY = "dt_batch_territory"
#: feature id column of a spill file (a source may have a « fid » column of its own)
SPILL_FID = "dt_batch_fid"
PENDING, CLAIMED, DONE, CANCEL = "pending", "claimed", "done", "cancel"


# -- jobs ---------------------------------------------------------------------------------------------
def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    """An authority id, or the WKT of a CRS that has none (a user-defined one)."""
    return crs.authid() or crs.toWkt()


def job_spec(job, spills: dict, destination) -> dict:
    """What a worker needs to write one territory's package: plain JSON, no QGIS object."""
    datasets = []
    for dataset_id in job.recipe.datasets:
        fetched = job.fetched[dataset_id]
        item = {"id": dataset_id, "target": crs_text(fetched.target), "warnings": list(fetched.warnings),
                "fetches": list(fetched.fetches)}
        if fetched.dataset.cut.rule == "none":
            item["pieces"] = [{"path": str(piece.path), "url": piece.url, "member": piece.member,
                               "request": asdict(piece.request)} for piece in fetched.pieces]
        else:
            spill = spills.get(dataset_id)
            item["spill"] = None if spill is None else {"path": str(spill.path), "name": spill.name}
        datasets.append(item)
    territory = job.territory
    return {"territory": {"reference": territory.reference, "code": territory.code, "name": territory.name},
            "recipe": job.recipe.to_dict(), "destination": destination.to_dict(), "datasets": datasets}


def shared_spec(catalog, datasets: list[str], styles: dict, language: str, destination=None) -> dict:
    """What every job of a batch shares: the catalog entries and their styles (nothing is downloaded by a job),
    the language of the titles, a destination of the batch (a Destination) a worker checks before taking any job."""
    entries = {}
    for dataset_id in datasets:
        dataset = catalog[dataset_id]
        entries[dataset_id] = {"entry": dataset.raw, "origin": asdict(dataset.origin)}
    return {"datasets": entries, "styles": styles, "language": language,
            "destination": destination.to_dict() if destination is not None else None}


def _datasets(shared: dict) -> dict:
    from ..catalog.model import CatalogSource, dataset_from_dict

    return {dataset_id: dataset_from_dict(item["entry"], CatalogSource(**item["origin"]), None)
            for dataset_id, item in shared["datasets"].items()}


#: spill files opened by this process (path → layer): opened once, not once per territory
_OPENED: dict[str, QgsVectorLayer] = {}


def forget_spills() -> None:
    """Close the spill files this process has opened (before they are deleted)."""
    _OPENED.clear()


def read_spill(path: str, name: str, territory: str, crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    """A memory layer with the features of `territory` in a spill file (its source's fields, `crs`)."""
    from ..extract.cut import code_filter_expression

    spilled = _OPENED.get(path)
    if spilled is None:
        spilled = QgsVectorLayer(f"{path}|layername=spill", name, "ogr")
        if not spilled.isValid():
            raise QgsProcessingException(tr("« {dataset} » : fichier de travail {path} illisible.").format(
                dataset=name, path=path))
        _OPENED[path] = spilled
    fields = QgsFields()
    positions = []
    for position, spilled_field in enumerate(spilled.fields()):
        if spilled_field.name() not in (SPILL_KEY, SPILL_FID):
            fields.append(spilled_field)
            positions.append(position)
    layer = QgsMemoryProviderUtils.createMemoryLayer(name, fields, spilled.wkbType(), crs)
    request = QgsFeatureRequest().setFilterExpression(code_filter_expression(SPILL_KEY, [territory]))
    features = []
    for feature in spilled.getFeatures(request):
        copy = QgsFeature(fields)
        values = feature.attributes()
        copy.setAttributes([values[position] for position in positions])
        if feature.hasGeometry():
            copy.setGeometry(feature.geometry())
        features.append(copy)
    if not layer.dataProvider().addFeatures(features)[0]:
        raise QgsProcessingException(tr("« {dataset} » : entités refusées par la couche de travail de {name}.")
                                     .format(dataset=name, name=territory))
    return layer


def job_layers(spec: dict, datasets: dict, shared: dict, context: QgsProcessingContext,
               feedback: QgsProcessingFeedback | None = None) -> tuple[list, list[str]]:
    """(PackageLayer per dataset, warnings) of one job: its share of the spill files, its own files cut."""
    from ..catalog.sources import SourceRequest
    from ..extract.dataset import FetchedDataset, Piece, cut_dataset
    from . import PackageCanceled, PackageLayer

    reference = spec["territory"]["reference"]
    layers, warnings = [], []
    for item in spec["datasets"]:
        if feedback is not None and feedback.isCanceled():
            raise PackageCanceled(tr("Production annulée : le paquet de {name} n'a pas été écrit.").format(
                name=spec["territory"]["name"]))
        dataset = datasets[item["id"]]
        target = QgsCoordinateReferenceSystem(item["target"])
        if "pieces" in item:  # per-commune files: they belong to this territory only
            pieces = [Piece(SourceRequest(**dict(piece["request"], codes=tuple(piece["request"]["codes"]))),
                            Path(piece["path"]), piece["url"], piece["member"]) for piece in item["pieces"]]
            fetched = FetchedDataset(dataset, reference, None, target, pieces, list(item["fetches"]),
                                     list(item["warnings"]))
            result = cut_dataset(fetched, QgsProcessing.TEMPORARY_OUTPUT, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise PackageCanceled(tr("Production annulée : le paquet de {name} n'a pas été écrit.").format(
                    name=spec["territory"]["name"]))
            layer = QgsProcessingUtils.mapLayerFromString(result.output, context)
            layer_warnings = result.warnings
        else:
            if not item.get("spill"):  # every piece was empty for this territory
                raise QgsProcessingException(tr("« {dataset} » : aucune donnée découpée.").format(
                    dataset=dataset.id))
            layer = read_spill(item["spill"]["path"], item["spill"]["name"], reference, target)
            layer_warnings = list(item["warnings"])
            if not layer.featureCount():
                layer_warnings.append(tr("Aucune entité de « {name} » sur le territoire : la couche produite est "
                                         "vide.").format(name=dataset.id))
        warnings.extend(layer_warnings)
        layers.append(PackageLayer.from_dataset(dataset, layer, fetch=item["fetches"],
                                                style_qml=shared["styles"].get(dataset.id), warnings=layer_warnings,
                                                language=shared["language"]))
    return layers, list(dict.fromkeys(warnings))


def run_job(spec: dict, shared: dict, datasets: dict | None = None, context: QgsProcessingContext | None = None,
            feedback: QgsProcessingFeedback | None = None) -> dict:
    """Write one territory's package; its outcome: {"reference", "status", "counts", "warnings", "error"}."""
    from . import PackageCanceled, PackageError
    from .batch_report import FAILED, WRITTEN
    from .recipe import Recipe, territory_info

    datasets = datasets if datasets is not None else _datasets(shared)
    outcome = {"reference": spec["territory"]["reference"], "status": FAILED, "counts": {}, "warnings": [],
               "error": ""}
    # the territory's intermediate layers live in a context of their own, dropped once it is written
    own = QgsProcessingContext()
    if context is not None:
        own.copyThreadSafeSettings(context)
    try:
        layers, warnings = job_layers(spec, datasets, shared, own, feedback)
        recipe = Recipe.from_dict(spec["recipe"])
        territory = territory_info(recipe, layers[0].layer.crs())
        destination = destination_from_dict(spec["destination"])
        before = _previous_tables(destination)
        report = destination.write(layers, recipe.to_dict(), territory.to_dict(), feedback=feedback)
    except PackageCanceled:
        raise
    except (QgsProcessingException, PackageError) as error:
        outcome["error"] = str(error)
        return outcome
    except Exception as error:  # noqa: BLE001 — one territory's failure must not stop the others
        log.warning(traceback.format_exc())
        outcome["error"] = tr("Erreur inattendue : {error}").format(error=error)
        return outcome
    outcome.update(status=WRITTEN, counts={table.dataset_id: table.feature_count for table in report.layers},
                   warnings=warnings)
    if before is not None:  # a package replaced: what changed in it, as refresh_package says it
        try:
            outcome["changes"] = _changes(destination, recipe, before, report.manifest, territory.vintage)
        except Exception as error:  # noqa: BLE001 — the package is written: a report left out is a warning
            outcome["warnings"].append(tr("Changements non calculés : {error}").format(error=error))
    return outcome


def _previous_tables(destination) -> dict | None:
    """Snapshots of the package about to be replaced (refresh.snapshots), None when there is none."""
    from . import PackageError
    from .refresh import snapshots

    manifest = destination.previous_manifest()
    if manifest is None:  # none there, or not a package of ours: nothing to compare with
        return None
    try:
        return snapshots(destination, manifest)
    except PackageError:
        return None


def _changes(destination, recipe, before: dict, manifest: dict, vintage: int) -> dict:
    """{dataset id: [added, removed, modified]}; also kept in a GeoPackage's manifest_changes table."""
    from .refresh import layer_changes

    changes = layer_changes(destination, recipe.datasets, before, manifest)
    destination.store_changes(changes, vintage, [tr("Production par lot.")])
    return {change.dataset_id: [change.added, change.removed, change.modified] for change in changes}


# -- the worker processes -------------------------------------------------------------------------------
_PYTHON: dict[str, object] = {}


def worker_python() -> str | None:
    """A Python able to import this QGIS (checked once); None when there is none to be found."""
    if "found" not in _PYTHON:
        _PYTHON["found"] = next((candidate for candidate in _python_candidates() if _can_run_qgis(candidate)),
                                None)
        if _PYTHON["found"] is None:
            log.warning(tr("Aucun interpréteur Python capable de lancer QGIS n'a été trouvé : les paquets sont "
                           "écrits dans ce processus, un à la fois."))
    return _PYTHON["found"]


def _python_candidates():
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    executable = Path(sys.executable or "")
    if executable.name.lower().startswith("python"):
        yield str(executable)
    for prefix in dict.fromkeys((sys.exec_prefix, sys.base_exec_prefix)):
        if os.name == "nt":
            yield str(Path(prefix) / "python.exe")
            yield str(Path(prefix) / "python3.exe")
        else:
            yield str(Path(prefix) / "bin" / f"python{version}")
            yield str(Path(prefix) / "bin" / "python3")
    for name in (f"python{version}", "python3", "python"):
        found = shutil.which(name)
        if found:
            yield found


def _can_run_qgis(python: str) -> bool:
    from qgis.core import Qgis

    if not Path(python).is_file():
        return False
    probe = ("import sys; from qgis.core import Qgis; "
             "print(sys.version_info[0], sys.version_info[1], Qgis.QGIS_VERSION_INT)")
    try:
        done = subprocess.run([python, "-c", probe], env=worker_environment(), capture_output=True, text=True,
                              timeout=60, **_no_window())
    except (OSError, subprocess.SubprocessError):
        return False
    expected = f"{sys.version_info[0]} {sys.version_info[1]} {Qgis.QGIS_VERSION_INT}"
    return done.returncode == 0 and done.stdout.strip().endswith(expected)


def _no_window() -> dict:
    """No console window flashing up on Windows for each worker."""
    return {"creationflags": subprocess.CREATE_NO_WINDOW} if os.name == "nt" else {}


def worker_environment() -> dict:
    """This process' environment, with its Python path (QGIS, Processing, the plugin) and QGIS' prefix."""
    from qgis.core import QgsApplication

    plugin_parent = str(Path(__file__).resolve().parents[2])
    paths = [plugin_parent] + [path for path in sys.path if path and Path(path).is_dir()]
    env = dict(os.environ)
    env.update(PYTHONPATH=os.pathsep.join(dict.fromkeys(paths)), QT_QPA_PLATFORM="offscreen",
               DT_QGIS_PREFIX=QgsApplication.prefixPath(), DT_QGIS_PROFILE=QgsApplication.qgisSettingsDirPath(),
               DT_QSETTINGS=settings_location(), PYTHONIOENCODING="utf-8")
    return env


class WorkerPool:
    """`count` worker processes taking jobs from a folder; progress and cancel from the calling thread."""

    POLL_S = 0.2

    def __init__(self, folder: Path, python: str, count: int):
        self.folder, self.python, self.count = folder, python, count
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self) -> None:
        """Start the workers; an OSError (the Python cannot be run) leaves none running."""
        env = worker_environment()
        module = f"{__package__}.batch_worker"
        try:
            for number in range(self.count):
                log_path = self.folder / f"worker-{number + 1}.log"
                with log_path.open("wb") as stream:
                    process = subprocess.Popen([self.python, "-m", module, str(self.folder)], env=env,
                                               stdin=subprocess.DEVNULL, stdout=stream, stderr=subprocess.STDOUT,
                                               **_no_window())
                self.processes.append((process, log_path))
        except OSError:
            self.stop(grace_s=0)
            raise

    def alive(self) -> bool:
        return any(process.poll() is None for process, _log in self.processes)

    def wait(self, feedback: QgsProcessingFeedback, progress=None) -> None:
        """Until every worker has stopped; `progress(done)` as outcomes arrive; cancel stops the workers."""
        done_folder = self.folder / DONE
        reported = -1
        while self.alive():
            if feedback.isCanceled():
                self.stop()
                return
            done = sum(1 for _path in done_folder.glob("*.json"))
            if done != reported and progress is not None:
                progress(done)
                reported = done
            time.sleep(self.POLL_S)
        for process, log_path in self.processes:
            if process.returncode:
                feedback.pushWarning(tr("Un processus de travail s'est arrêté en erreur (code {code}) : voir "
                                        "{log}.").format(code=process.returncode, log=log_path))

    def succeeded(self) -> bool:
        """Every worker ended normally."""
        return all(process.returncode == 0 for process, _log in self.processes)

    def stop(self, grace_s: float = 30.0) -> None:
        """Ask the workers to stop after their current package, then end those still running."""
        (self.folder / CANCEL).touch()
        deadline = time.monotonic() + grace_s
        for process, _log in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def discard_partial(spec: dict) -> None:
    """What a killed worker may have left of the package it was writing: the temporary file or schema."""
    try:
        destination_from_dict(spec["destination"]).discard_partial()
    except Exception as error:  # noqa: BLE001 — a leftover is worth a warning, not a failure
        log.warning(tr("Reste d'écriture non supprimé pour {name} : {error}").format(
            name=spec["territory"]["name"], error=error))


def write_jobs(folder: Path, specs: list[dict], shared: dict) -> None:
    for name in (PENDING, CLAIMED, DONE):
        (folder / name).mkdir(parents=True, exist_ok=True)
    _write_json(folder / "shared.json", shared)
    for number, spec in enumerate(specs):
        _write_json(folder / PENDING / f"{number:06d}.json", spec)


def read_outcomes(folder: Path) -> dict[str, dict]:
    outcomes = {}
    for path in sorted((folder / DONE).glob("*.json")):
        outcome = json.loads(path.read_text(encoding="utf-8"))
        outcomes[outcome["reference"]] = outcome
    return outcomes


def left_over(folder: Path) -> tuple[list[dict], dict[int, list[dict]]]:
    """(jobs no worker took, {worker pid: the job it took and did not finish})."""
    finished = {path.name for path in (folder / DONE).glob("*.json")}
    unclaimed = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((folder / PENDING).glob("*.json"))]
    interrupted: dict[int, list[dict]] = {}
    for path in sorted((folder / CLAIMED).glob("*/*.json")):
        if path.name not in finished:
            interrupted.setdefault(int(path.parent.name), []).append(json.loads(path.read_text(encoding="utf-8")))
    return unclaimed, interrupted


def _write_json(path: Path, data: dict) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def _claim(folder: Path, mine: Path) -> Path | None:
    """The next pending job, now ours; None when there is none left (or the batch is cancelled)."""
    while not (folder / CANCEL).exists():
        pending = sorted((folder / PENDING).glob("*.json"))
        if not pending:
            return None
        for path in pending:
            target = mine / path.name
            try:
                os.replace(path, target)  # only one worker's rename finds the file
            except FileNotFoundError:
                continue
            except PermissionError:  # Windows: opened for a moment by an antivirus or the indexer
                time.sleep(0.05)
                continue
            return target
    return None


class _CancelFile(QgsProcessingFeedback):
    """Cancelled as soon as the batch's cancel file appears (looked at each time progress is reported)."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.progressChanged.connect(self._look)

    @guarded(tr("la recherche du fichier d'annulation du lot"))
    def _look(self, _progress: float = 0.0) -> None:
        if not super().isCanceled() and self.path.exists():
            self.cancel()

    def isCanceled(self) -> bool:  # noqa: N802 — asked between steps by this plugin's own code
        self._look()
        return super().isCanceled()


def work(folder: Path) -> int:
    """The worker's loop (QGIS is running): write packages until no job is left."""
    from . import PackageCanceled, PackageError
    from .batch_report import FAILED

    shared = json.loads((folder / "shared.json").read_text(encoding="utf-8"))
    try:
        destination_from_dict(shared.get("destination")).check()
    except PackageError as error:  # its jobs stay pending: the batch writes them itself
        print(error, flush=True)
        return 3
    datasets = _datasets(shared)
    mine = folder / CLAIMED / str(os.getpid())
    mine.mkdir(parents=True, exist_ok=True)
    feedback = _CancelFile(folder / CANCEL)
    while True:
        path = _claim(folder, mine)
        if path is None:
            return 0
        spec = json.loads(path.read_text(encoding="utf-8"))
        try:
            outcome = run_job(spec, shared, datasets, feedback=feedback)
        except PackageCanceled:
            return 0  # the package being written was discarded; the batch is resumable
        except Exception as error:  # noqa: BLE001 — one territory's failure must not stop the others
            outcome = {"reference": spec["territory"]["reference"], "status": FAILED, "counts": {}, "warnings": [],
                       "error": tr("Erreur inattendue : {error}").format(error=error)}
        outcome["worker"] = os.getpid()
        _write_json(folder / DONE / path.name, outcome)
        print(f"{outcome['status']} {outcome['reference']}", flush=True)


def main(argv: list[str]) -> None:
    """Entry point of a worker process: QGIS headless with the user's profile, Processing, then work()."""
    from qgis.core import QgsApplication, QgsProcessingUtils

    folder = Path(argv[0])
    _same_settings_as_parent()
    if os.environ.get("DT_QGIS_PREFIX"):
        QgsApplication.setPrefixPath(os.environ["DT_QGIS_PREFIX"], True)
    profile = os.environ.get("DT_QGIS_PROFILE", "")
    app = QgsApplication([], False, profile) if profile else QgsApplication([], False)
    app.initQgis()
    plugins = Path(QgsApplication.pkgDataPath()) / "python" / "plugins"
    if str(plugins) not in sys.path:
        sys.path.append(str(plugins))
    from processing.core.Processing import Processing

    Processing.initialize()
    try:
        code = work(folder)
    except Exception:  # noqa: BLE001 — said in the worker's log; its jobs are taken up by the batch
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    shutil.rmtree(QgsProcessingUtils.tempFolder(), ignore_errors=True)  # exitQgis would have removed it
    # every outcome is on disk: skip QGIS' teardown, which can crash a headless process at exit
    os._exit(code)


def settings_location() -> str:
    """How this process' QSettings are found (organisation, application, format, file): for the workers."""
    from qgis.PyQt.QtCore import QCoreApplication, QSettings

    settings = QSettings()
    return json.dumps({"organization": QCoreApplication.organizationName(),
                       "domain": QCoreApplication.organizationDomain(),
                       "application": QCoreApplication.applicationName(),
                       "ini": settings.format() == QSettings.Format.IniFormat, "file": settings.fileName()})


def _same_settings_as_parent() -> None:
    """The QSettings file of the process that started the worker: its saved PostgreSQL connections, its
    proxy and authentication settings (QGIS Desktop keeps them in <profile>/QGIS/QGIS3.ini)."""
    from qgis.PyQt.QtCore import QCoreApplication, QSettings

    location = json.loads(os.environ.get("DT_QSETTINGS") or "{}")
    if not location.get("file"):
        return
    QCoreApplication.setOrganizationName(location["organization"])
    QCoreApplication.setOrganizationDomain(location.get("domain", ""))  # the plist's name on macOS
    QCoreApplication.setApplicationName(location["application"])
    scoped = QSettings.Format.IniFormat if location["ini"] else QSettings.Format.NativeFormat
    QSettings.setDefaultFormat(scoped)
    # <base>/<organisation>/<application>.ini: the base folder is two levels up
    QSettings.setPath(scoped, QSettings.Scope.UserScope, str(Path(location["file"]).parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
