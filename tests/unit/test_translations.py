"""Every French source string has an English translation."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402


def test_collects_tr_calls_and_algorithm_names(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'from x import tr\n'
        'class Alg:\n'
        '    DISPLAY_NAME = "Contour d\'un territoire"\n'
        '    GROUP = "Territoires"\n'
        '    def f(self):\n'
        '        return self.tr("Territoire"), tr("Texte " "long"), tr(variable), other("non")\n',
        encoding="utf-8")
    assert sorted(translations.source_strings(package)) == ["Contour d'un territoire", "Territoire",
                                                            "Territoires", "Texte long"]


def test_formatted_strings_are_never_passed_to_tr(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text('tr(f"Code {c}")\ntr("Code {c}".format(c=1))\ntr("Code {c}").format(c=1)\n',
                                  encoding="utf-8")
    assert translations.untranslatable_calls(package) == ["pkg/a.py:1", "pkg/a.py:2"]
    assert translations.untranslatable_calls() == []


def test_english_translation_is_complete():
    missing = translations.missing_translations("en")
    assert missing == [], "chaînes sans traduction anglaise (make translations, puis traduire i18n/*.ts)"


def test_help_files_exist_in_both_languages():
    help_dir = ROOT / "resources" / "help"
    french = {p.name for p in (help_dir / "fr").glob("*.md")} if (help_dir / "fr").is_dir() else set()
    english = {p.name for p in (help_dir / "en").glob("*.md")} if (help_dir / "en").is_dir() else set()
    assert french == english
