"""Real QGIS Desktop runs: the plugin installed from its zip into a throwaway profile, a script driving it."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
#: DT_QGIS_BIN: QGIS started through a wrapper instead (a script running it under gdb, to see who destroys what)
QGIS_BIN = os.environ.get("DT_QGIS_BIN", "/usr/bin/qgis.bin")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import package_plugin  # noqa: E402


def launch_qgis(tmp_path_factory, script: str, extra_env: dict | None = None, timeout: int = 180) -> Path:
    """Start QGIS with `script` (tests/gui/<script>) under a fresh HOME; return the folder it wrote into."""
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a display: run under xvfb-run")
    home = tmp_path_factory.mktemp("home")
    out = tmp_path_factory.mktemp("gui")
    # install the way a user does: the zip of `make zip` unpacked into the profile, then enabled
    archive = package_plugin.build_zip(tmp_path_factory.mktemp("dist"))
    profile = package_plugin.profile_dir("default", home)
    with zipfile.ZipFile(archive) as content:
        content.extractall(profile / "python" / "plugins")
    ini = profile / "QGIS" / "QGIS3.ini"
    package_plugin.enable_in_ini(ini)
    # a first start must not stop on the welcome questions
    ini.write_text(ini.read_text(encoding="utf-8") + "\n[qgis]\ncheckVersion=false\n"
                   "showTips=false\n[core]\nNewsFeed\\httpsnewsfeedqgisorg\\disabled=true\n",
                   encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH")}
    env.update(HOME=str(home), DT_GUI_OUT=str(out), DT_GUI_SCRIPTS=str(ROOT / "tests" / "gui"), LANG="fr_FR.UTF-8",
               **(extra_env or {}))
    env.pop("QT_QPA_PLATFORM", None)  # a real window on the X server
    command = [QGIS_BIN, "--nologo", "--noversioncheck", "--code", str(ROOT / "tests" / "gui" / script)]
    try:
        completed = subprocess.run(command, env=env, cwd=home, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as hung:
        # Once in some 25 CI runs (6 December 2026), QGIS printed nothing and the script never ended, and the same
        # run passed at once when started again: what the script had written is kept for the next one to see, and
        # QGIS is started once more. A hang that comes back fails the test.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        written = sorted(str(path.relative_to(out)) for path in out.rglob("*"))
        (ARTIFACTS / f"timeout-{script}.txt").write_text(
            f"{script}: QGIS still running after {timeout} s; the script had written: {written}\n"
            f"stderr: {hung.stderr!r}\n", encoding="utf-8")
        print(f"{script} : QGIS bloqué {timeout} s, relancé une fois (détail : {ARTIFACTS})", file=sys.stderr)
        completed = subprocess.run(command, env=env, cwd=home, capture_output=True, text=True, timeout=timeout)
    (out / "qgis-stderr.txt").write_text(completed.stderr, encoding="utf-8")
    (out / "qgis-stdout.txt").write_text(completed.stdout, encoding="utf-8")  # where QGIS's crash handler runs gdb
    # negative: the signal QGIS died of
    (out / "qgis-returncode.txt").write_text(str(completed.returncode), encoding="utf-8")
    return out


def keep_artifact(source: Path, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    if source.is_file():
        shutil.copy(source, target)
    return target


def mirrored_scenario(tmp_path_factory, script: str, report: str, serve, shots=(), prefix: str = "",
                      extra_env: dict | None = None) -> tuple[dict, Path]:
    """Run `script` in QGIS against a local mirror on 127.0.0.1 that `serve(server)` fills (the real contours
    extract, a fresh download cache); keep its screenshots `shots` as artifacts named `prefix` + name; return
    (the JSON report it wrote, its folder)."""
    import json

    from pytest_httpserver import HTTPServer

    from tests.conftest import CONTOURS_2018

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        serve(server)
        out = launch_qgis(tmp_path_factory, script, {
            "DONNEES_TERRITOIRES_MIRROR": server.url_for("/").rstrip("/"),
            "DONNEES_TERRITOIRES_CONTOURS": str(CONTOURS_2018),
            "DONNEES_TERRITOIRES_CACHE": str(tmp_path_factory.mktemp("cache")), **(extra_env or {})})
    finally:
        server.clear()
        server.stop()
    path = out / report
    assert path.is_file(), f"QGIS n'a rien écrit :\n{(out / 'qgis-stderr.txt').read_text()[-3000:]}"
    for name in shots:
        keep_artifact(out / name, f"{prefix}{name}")
    return json.loads(path.read_text(encoding="utf-8")), out
