"""The skip policy of tests/conftest.py, run on small test files in a separate pytest (pytester).

Each run loads the policy's hooks from tests/conftest.py into its own conftest, with the full
shared file it looks for (FRANCE_2018) and the QGIS version it reads (_qgis_version) replaced: no
../shared/data and no QGIS needed, whatever the clone. The runs are subprocesses, so that the
policy's module state (the list of module-level skips) stays that of this session.
"""

from __future__ import annotations

import pytest

from tests.conftest import FRANCE_WIDE_REASON, ROOT, refused_message

pytest_plugins = ["pytester"]

CONFTEST = """
import sys
from pathlib import Path

sys.path.insert(0, {root!r})
import tests.conftest as policy
from tests.conftest import (  # noqa: F401 - the policy's hooks, as in the repository's tests
    pytest_collection_modifyitems,
    pytest_collectreport,
    pytest_configure,
    pytest_runtest_makereport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

policy.FRANCE_2018 = Path({france!r})
policy._qgis_version = lambda: {qgis}
"""


@pytest.fixture
def run(pytester, tmp_path):
    """run(test_file_text, france_file=False, qgis=32200) -> the pytest result, in a subprocess."""
    def run_(text: str, france_file: bool = False, qgis: int = 32200):
        france = tmp_path / "shared" / "france-2018.gpkg"
        if france_file:
            france.parent.mkdir(parents=True, exist_ok=True)
            france.write_bytes(b"")
        pytester.makeconftest(CONFTEST.format(root=str(ROOT), france=str(france), qgis=qgis))
        pytester.makepyfile(test_policy=text)
        # unit tests run without QGIS: its pytest plugin must not start a QgsApplication in the child
        return pytester.runpytest_subprocess("-p", "no:pytest_qgis", "-p", "no:cacheprovider", "-rs")
    return run_


def test_a_plain_skip_fails_the_session_with_the_french_listing(run):
    result = run("""
        import pytest

        def test_runs():
            pass

        def test_skipped():
            pytest.skip("jsonschema absent")
        """)
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "1 test(s) ignoré(s) : 1 × jsonschema absent.",
        refused_message(1),
        "  test_policy.py::test_skipped — jsonschema absent",
    ])


def test_the_message_agrees_with_the_number_of_refused_tests():
    assert refused_message(1).startswith("ÉCHEC : 1 test ignoré alors qu'il aurait dû tourner. ")
    assert refused_message(3).startswith("ÉCHEC : 3 tests ignorés alors qu'ils auraient dû tourner. ")
    assert "make setup" in refused_message(2) and "@pytest.mark.france_wide" in refused_message(2)


def test_a_skipif_is_refused_as_well(run):
    result = run("""
        import pytest

        @pytest.mark.skipif(True, reason="pas sur cette machine")
        def test_skipped():
            pass
        """)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["  test_policy.py::test_skipped — pas sur cette machine"])


FRANCE_WIDE = """
    import pytest

    @pytest.mark.france_wide
    def test_france():
        print("tourné")
    """


def test_a_france_wide_test_is_skipped_and_accepted_without_the_full_shared_file(run):
    result = run(FRANCE_WIDE, france_file=False)
    result.assert_outcomes(skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"1 test(s) ignoré(s) : 1 × {FRANCE_WIDE_REASON}."])
    result.stdout.no_fnmatch_line("ÉCHEC*")


def test_a_france_wide_test_runs_when_the_full_shared_file_is_there(run):
    result = run(FRANCE_WIDE, france_file=True)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["0 test(s) ignoré(s)."])


def test_a_france_wide_test_skipped_for_another_reason_is_refused(run):
    result = run("""
        import pytest

        @pytest.mark.france_wide
        def test_france():
            pytest.skip("pyproj absent")
        """, france_file=True)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["  test_policy.py::test_france — pyproj absent"])


def test_a_module_level_skip_is_refused(run):
    result = run("""
        import pytest

        pytest.skip("../shared absent", allow_module_level=True)

        def test_never_collected():
            pass
        """)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "1 test(s) ignoré(s) : 1 × ../shared absent.",
        refused_message(1),
        "  test_policy.py — ../shared absent",
    ])


def test_an_importorskip_is_refused(run):
    result = run("""
        import pytest

        pytest.importorskip("un_module_qui_n_existe_pas")

        def test_never_collected():
            pass
        """)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*could not import 'un_module_qui_n_existe_pas'*", refused_message(1)])


QGIS_BEFORE = """
    import pytest

    @pytest.mark.qgis_before(32400)
    def test_old_qgis_fact():
        pass
    """


def test_a_qgis_before_test_runs_on_an_older_qgis(run):
    result = run(QGIS_BEFORE, qgis=32215)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK


def test_a_qgis_before_test_is_skipped_and_accepted_on_a_newer_qgis(run):
    result = run(QGIS_BEFORE, qgis=34010)
    result.assert_outcomes(skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["1 test(s) ignoré(s) : 1 × constat propre aux QGIS antérieurs à 32400."])


def test_only_the_refused_skip_is_listed_and_a_failure_keeps_its_exit_code(run):
    result = run("""
        import pytest

        @pytest.mark.france_wide
        def test_france():
            pass

        def test_skipped():
            pytest.skip("pas installé")

        def test_failing():
            assert False
        """, france_file=False)
    result.assert_outcomes(failed=1, skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([refused_message(1), "  test_policy.py::test_skipped — pas installé"])
    result.stdout.no_fnmatch_line("  test_policy.py::test_france*")
