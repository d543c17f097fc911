"""Worker processes of a run: the Python that can start them, their environment, their job queue on disk.

Jobs (job.py) wait in `<folder>/pending`; a worker claims one by renaming it into
`<folder>/claimed/<its pid>` (atomic: two workers never take the same one) and writes its outcome to
`<folder>/done`. A `cancel` file asks every worker to stop after its current package. Inside QGIS
Desktop `sys.executable` is QGIS itself, not a Python: worker_python() looks for the Python QGIS runs
on and checks, once per session, that it can import QGIS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from qgis.core import QgsProcessingFeedback

from ..toolbelt import log
from ..toolbelt.i18n import tr
from .destination import destination_from_dict

PENDING, CLAIMED, DONE, CANCEL = "pending", "claimed", "done", "cancel"
#: the module a worker process runs (python -m …)
WORKER_MODULE = f"{__package__}.batch_worker"


#: the Python found for the workers, looked for once a session
PYTHON_FOUND: dict[str, object] = {}


def worker_python() -> str | None:
    """A Python able to import this QGIS (checked once); None when there is none to be found."""
    if "found" not in PYTHON_FOUND:
        PYTHON_FOUND["found"] = next((candidate for candidate in _python_candidates() if _can_run_qgis(candidate)),
                                None)
        if PYTHON_FOUND["found"] is None:
            log.warning(tr("Aucun interpréteur Python capable de lancer QGIS n'a été trouvé : les paquets sont "
                           "écrits dans ce processus, un à la fois."))
    return PYTHON_FOUND["found"]


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
        try:
            for number in range(self.count):
                log_path = self.folder / f"worker-{number + 1}.log"
                with log_path.open("wb") as stream:
                    process = subprocess.Popen([self.python, "-m", WORKER_MODULE, str(self.folder)], env=env,
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
    write_json(folder / "shared.json", shared)
    for number, spec in enumerate(specs):
        write_json(folder / PENDING / f"{number:06d}.json", spec)


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


def write_json(path: Path, data: dict) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def settings_location() -> str:
    """How this process' QSettings are found (organisation, application, format, file): for the workers."""
    from qgis.PyQt.QtCore import QCoreApplication, QSettings

    settings = QSettings()
    return json.dumps({"organization": QCoreApplication.organizationName(),
                       "domain": QCoreApplication.organizationDomain(),
                       "application": QCoreApplication.applicationName(),
                       "ini": settings.format() == QSettings.Format.IniFormat, "file": settings.fileName()})
