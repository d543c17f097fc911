"""Shared by every test layer (unit, qgis, gui): the repository root on sys.path, where the contours come
from, and the skip policy.

Contours: every test reads the real 2018 contours of the committed extract (CONTOURS_2018, made by
scripts/make_test_contours.py from the shared file, see tests/data/README.md), so that a clone runs the
same tests as the workshop. Only France-wide checks read the full file beside the checkout
(FRANCE_2018, in ../shared/data, never inside the repository): they are marked
`@pytest.mark.france_wide` and skip when it is absent.

Skip policy: at the end of a session one line says how many tests were skipped and why, and the
session fails when a test that should have run was skipped. Allowed: a france_wide test without
../shared/data, and a `@pytest.mark.qgis_before(version)` test (a fact of older QGIS versions) on a
newer QGIS.
"""

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
#: the real 2018 contours (Gironde and its neighbours, La Réunion, a few named communes), committed
CONTOURS_2018 = TEST_DATA / "contours-2018" / "extract-2018.gpkg"
#: the full 2018 contours of France (35,357 communes): France-wide checks only (@pytest.mark.france_wide)
FRANCE_2018 = SHARED_DATA / "contours-2018" / "france-2018.gpkg"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FRANCE_WIDE_REASON = "../shared/data absent : vérification à l'échelle de la France (contours 2018 complets)"
_SKIPS = pytest.StashKey[list]()
_COLLECT_SKIPS: list = []  # collection reports carry no config: emptied when a session is configured


def pytest_configure(config):
    config.addinivalue_line("markers", "france_wide: a France-wide check on ../shared/data (the full 2018 "
                                       "contours); allowed to skip when ../shared/data is absent")
    config.addinivalue_line("markers", "qgis_before(version): a fact of QGIS versions older than `version` "
                                       "(Qgis.QGIS_VERSION_INT, e.g. 32400); skipped, as allowed, on newer ones")
    config.addinivalue_line("markers", "expects_guarded_error: the test makes a guarded slot catch an exception on "
                                       "purpose (toolbelt/slots.report_exception); without it, such a catch fails "
                                       "the test (tests/qgis/conftest.py)")
    config.stash[_SKIPS] = []
    _COLLECT_SKIPS.clear()


def _qgis_version() -> int:
    from qgis.core import Qgis

    return Qgis.QGIS_VERSION_INT


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("france_wide") and not FRANCE_2018.is_file():
            item.add_marker(pytest.mark.skip(reason=FRANCE_WIDE_REASON))
        before = item.get_closest_marker("qgis_before")
        if before and _qgis_version() >= before.args[0]:
            item.add_marker(pytest.mark.skip(reason=f"constat propre aux QGIS antérieurs à {before.args[0]}"))


def _allowed(item) -> bool:
    if item.get_closest_marker("france_wide") and not FRANCE_2018.is_file():
        return True
    before = item.get_closest_marker("qgis_before")
    return bool(before) and _qgis_version() >= before.args[0]


def _reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        item.config.stash[_SKIPS].append((report.nodeid, _reason(report), _allowed(item)))
    return report


def pytest_collectreport(report):
    """A module skipped as a whole at import (pytest.skip(allow_module_level=True)) is never allowed."""
    if report.skipped:
        _COLLECT_SKIPS.append((report.nodeid, _reason(report), False))


def _all_skips(config) -> list:
    return config.stash.get(_SKIPS, []) + _COLLECT_SKIPS


def pytest_sessionfinish(session, exitstatus):
    refused = [skip for skip in _all_skips(session.config) if not skip[2]]
    if refused and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skips = _all_skips(config)
    reasons = Counter(reason for _, reason, _ in skips)
    line = f"{len(skips)} test(s) ignoré(s)"
    if reasons:
        line += " : " + " ; ".join(f"{count} × {reason}" for reason, count in sorted(reasons.items()))
    refused = [skip for skip in skips if not skip[2]]
    terminalreporter.write_line(line + ".", red=bool(refused), yellow=bool(skips) and not refused)
    if refused:
        terminalreporter.write_line(refused_message(len(refused)), red=True)
        for nodeid, reason, _ in refused:
            terminalreporter.write_line(f"  {nodeid} — {reason}", red=True)


def refused_message(count: int) -> str:
    """The failing line above the list of tests skipped although they should have run."""
    what = ("1 test ignoré alors qu'il aurait dû tourner" if count == 1
            else f"{count} tests ignorés alors qu'ils auraient dû tourner")
    return (f"ÉCHEC : {what}. Seuls peuvent être ignorés un test france_wide sans ../shared/data et un constat "
            "qgis_before sur un QGIS plus récent. Installez ce qui manque (make setup) ou corrigez la cause ; "
            "une vérification qui a besoin des contours de toute la France se marque @pytest.mark.france_wide :")
