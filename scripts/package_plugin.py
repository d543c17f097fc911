#!/usr/bin/env python3
"""Assemble the plugin folder, zip it for the Plugin Manager, or install it into a QGIS profile.

    python3 scripts/package_plugin.py stage              # build/plugin/donnees_territoires/
    python3 scripts/package_plugin.py zip                # dist/donnees_territoires-<version>.zip
    python3 scripts/package_plugin.py install [PROFILE]  # $HOME/.local/share/QGIS/QGIS3/profiles/<PROFILE>

The plugin folder holds metadata.txt, LICENSE, the code, resources/ and the compiled
translations (i18n/*.qm): never tests, caches or .ts sources.
"""

from __future__ import annotations

import configparser
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "donnees_territoires"
STAGE = ROOT / "build" / "plugin" / PLUGIN
MAX_ZIP_BYTES = 25 * 1024 * 1024
EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".ts", ".orig", ".rej"}


def version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def _wanted(path: Path) -> bool:
    return (path.is_file() and not EXCLUDED_PARTS.intersection(path.parts)
            and path.suffix not in EXCLUDED_SUFFIXES)


def plugin_files() -> list[tuple[Path, str]]:
    """(source file, path inside the plugin folder), sorted, for every file the plugin ships."""
    files: list[tuple[Path, str]] = []
    for name in ("metadata.txt", "LICENSE"):
        files.append((ROOT / name, name))
    for path in sorted((ROOT / PLUGIN).rglob("*")):
        if _wanted(path):
            files.append((path, path.relative_to(ROOT / PLUGIN).as_posix()))
    for folder in ("resources",):
        for path in sorted((ROOT / folder).rglob("*")):
            if _wanted(path):
                files.append((path, path.relative_to(ROOT).as_posix()))
    qms = sorted((ROOT / "i18n").glob("*.qm"))
    if not qms:
        sys.exit("Aucune traduction compilée dans i18n/ : lancez d'abord « make translations ».")
    files += [(qm, f"i18n/{qm.name}") for qm in qms]
    return files


def stage(target: Path = STAGE) -> Path:
    """Copy the plugin folder to `target` (replaced whole, so no stale file survives)."""
    if target.exists():
        shutil.rmtree(target)
    for source, relative in plugin_files():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    return target


def build_zip(dist: Path = ROOT / "dist") -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{PLUGIN}-{version()}.zip"
    fd, tmp_name = tempfile.mkstemp(dir=dist, suffix=".zip.part")
    os.close(fd)
    with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, relative in plugin_files():
            info = zipfile.ZipInfo(f"{PLUGIN}/{relative}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read_bytes())
    size = Path(tmp_name).stat().st_size
    if size > MAX_ZIP_BYTES:
        os.unlink(tmp_name)
        sys.exit(f"Le zip ferait {size / 1e6:.1f} Mo, au-delà de la limite de 25 Mo du dépôt QGIS.")
    os.replace(tmp_name, target)
    print(f"{target} ({size / 1e6:.2f} Mo)")
    return target


def profile_dir(profile: str = "default", home: Path | None = None) -> Path:
    home = home or Path(os.environ.get("HOME") or Path.home())
    return home / ".local" / "share" / "QGIS" / "QGIS3" / "profiles" / profile


def enable_in_ini(ini: Path, plugin: str = PLUGIN) -> None:
    """Set `<plugin>=true` under [PythonPlugins], touching no other line of QGIS3.ini."""
    lines = ini.read_text(encoding="utf-8").splitlines() if ini.is_file() else []
    section_start = next((i for i, line in enumerate(lines) if line.strip() == "[PythonPlugins]"), None)
    entry = f"{plugin}=true"
    if section_start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[PythonPlugins]", entry]
    else:
        end = next((i for i in range(section_start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        for i in range(section_start + 1, end):
            if lines[i].split("=", 1)[0].strip() == plugin:
                lines[i] = entry
                break
        else:
            lines.insert(section_start + 1, entry)
    ini.parent.mkdir(parents=True, exist_ok=True)
    tmp = ini.with_suffix(".ini.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, ini)


def install(profile: str = "default", home: Path | None = None) -> Path:
    base = profile_dir(profile, home)
    target = stage(base / "python" / "plugins" / PLUGIN)
    enable_in_ini(base / "QGIS" / "QGIS3.ini")
    print(f"Extension installée dans {target} et activée (profil {profile}).")
    return target


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "zip"
    if command == "stage":
        print(stage())
    elif command == "zip":
        build_zip()
    elif command == "install":
        install(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("PROFILE") or "default")
    else:
        sys.exit(__doc__)
