"""A worker process of batch_packages: `python -m donnees_territoires.package.batch_worker <folder>`.

It starts QGIS headless with the user's profile and settings (the same saved PostgreSQL connections,
proxy and authentication), then takes jobs from the folder's queue (worker_pool.py) and writes their
packages (job.py) until none is left. The packages are written to a temporary file or schema and
renamed, so a stopped worker never leaves a half-written package.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

from qgis.core import QgsProcessingFeedback

from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from .batch_report import FAILED
from .destination import destination_from_dict
from .job import shared_datasets, write_job
from .model import PackageCanceled, PackageError
from .worker_pool import (  # noqa: F401 — settings_location and worker_python: the real-window scripts take them here
    CANCEL,
    CLAIMED,
    DONE,
    PENDING,
    settings_location,
    worker_python,
    write_json,
)


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


def take_jobs(folder: Path) -> int:
    """The worker's loop (QGIS is running): write packages until no job is left."""
    shared = json.loads((folder / "shared.json").read_text(encoding="utf-8"))
    try:
        destination_from_dict(shared.get("destination")).check()
    except PackageError as error:  # its jobs stay pending: the batch writes them itself
        print(error, flush=True)
        return 3
    datasets = shared_datasets(shared)
    mine = folder / CLAIMED / str(os.getpid())
    mine.mkdir(parents=True, exist_ok=True)
    feedback = _CancelFile(folder / CANCEL)
    while True:
        path = _claim(folder, mine)
        if path is None:
            return 0
        spec = json.loads(path.read_text(encoding="utf-8"))
        try:
            outcome = write_job(spec, shared, datasets, feedback=feedback).outcome
        except PackageCanceled:
            return 0  # the package being written was discarded; the batch is resumable
        except Exception as error:  # noqa: BLE001 — one territory's failure must not stop the others
            outcome = {"reference": spec["territory"]["reference"], "status": FAILED, "counts": {}, "warnings": [],
                       "error": tr("Erreur inattendue : {error}").format(error=error)}
        outcome["worker"] = os.getpid()
        write_json(folder / DONE / path.name, outcome)
        print(f"{outcome['status']} {outcome['reference']}", flush=True)


def main(argv: list[str]) -> None:
    """Entry point of a worker process: QGIS headless with the user's profile, Processing, then take_jobs()."""
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
        code = take_jobs(folder)
    except Exception:  # noqa: BLE001 — said in the worker's log; its jobs are taken up by the batch
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    shutil.rmtree(QgsProcessingUtils.tempFolder(), ignore_errors=True)  # exitQgis would have removed it
    # every outcome is on disk: skip QGIS' teardown, which can crash a headless process at exit
    os._exit(code)


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
