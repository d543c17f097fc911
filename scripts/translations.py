#!/usr/bin/env python3
"""Collect the French source strings of the plugin into i18n/*.ts, and compile them to .qm.

Source strings are the literal first argument of every `tr(...)` / `self.tr(...)` call, plus the
DISPLAY_NAME and GROUP class attributes of Processing algorithms (translated through self.tr).
Existing translations are kept; new strings are added as unfinished; strings no longer in the
code are dropped. Usage:

    python3 scripts/translations.py update     # refresh i18n/donnees_territoires_en.ts
    python3 scripts/translations.py compile    # .ts -> .qm with lrelease
    python3 scripts/translations.py check      # exit 1 when a string has no translation
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "donnees_territoires"
I18N = ROOT / "i18n"
CONTEXT = "DonneesTerritoires"
LANGUAGES = ["en"]
TRANSLATED_ATTRIBUTES = {"DISPLAY_NAME", "GROUP"}


def source_strings(package: Path = PACKAGE) -> list[str]:
    """Every translatable French string in the package, in first-seen order, without duplicates."""
    found: dict[str, None] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                arg = node.args[0]
                if name == "tr" and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, None)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
                if targets & TRANSLATED_ATTRIBUTES and isinstance(node.value.value, str) and node.value.value:
                    found.setdefault(node.value.value, None)
    return list(found)


def untranslatable_calls(package: Path = PACKAGE) -> list[str]:
    """`tr(f"…")`, `tr("…".format(…))` or `tr("…" % …)`: the catalogue can never hold such a string."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            arg = node.args[0]
            formatted = isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "format")
            if name == "tr" and formatted:
                found.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    return found


def ts_path(language: str) -> Path:
    return I18N / f"donnees_territoires_{language}.ts"


def read_ts(path: Path) -> dict[str, str | None]:
    """source -> translation (None when unfinished or empty)."""
    if not path.is_file():
        return {}
    result: dict[str, str | None] = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        node = message.find("translation")
        text = node.text if node is not None else None
        unfinished = node is None or node.get("type") in ("unfinished", "obsolete", "vanished")
        result[source] = None if unfinished or not text else text
    return result


def write_ts(path: Path, language: str, sources: list[str], known: dict[str, str | None]) -> None:
    ts = ET.Element("TS", version="2.1", language=language, sourcelanguage="fr")
    context = ET.SubElement(ts, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source in sources:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if known.get(source):
            translation.text = known[source]
        else:
            translation.set("type", "unfinished")
    ET.indent(ts, space="    ")
    body = ET.tostring(ts, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def missing_translations(language: str) -> list[str]:
    known = read_ts(ts_path(language))
    return [s for s in source_strings() if not known.get(s)]


def update() -> None:
    sources = source_strings()
    for language in LANGUAGES:
        write_ts(ts_path(language), language, sources, read_ts(ts_path(language)))
        missing = missing_translations(language)
        print(f"{ts_path(language).relative_to(ROOT)}: {len(sources)} chaînes, {len(missing)} à traduire")


def compile_qm() -> None:
    lrelease = shutil.which("lrelease") or "/usr/lib/qt5/bin/lrelease"
    for language in LANGUAGES:
        subprocess.run([lrelease, "-silent", str(ts_path(language)),
                        "-qm", str(ts_path(language).with_suffix(".qm"))], check=True)


def check() -> int:
    status = 0
    for language in LANGUAGES:
        for source in missing_translations(language):
            print(f"[{language}] non traduit : {source!r}")
            status = 1
    return status


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "compile":
        compile_qm()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
