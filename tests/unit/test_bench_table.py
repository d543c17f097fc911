"""The README's Performances table is the one rendered from the committed last bench run."""

import copy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_table  # noqa: E402


@pytest.fixture(scope="module")
def last_run():
    return bench_table.load()


def test_the_last_run_has_every_measurement_the_readme_names(last_run):
    assert not bench_table.missing(last_run), (
        f"docs/bench/last-run.json n'a pas {bench_table.missing(last_run)} : lancez make bench")


def test_the_readme_table_is_the_one_rendered_from_the_last_run(last_run):
    block = bench_table.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block.splitlines() == bench_table.render(last_run).splitlines(), (
        "le tableau Performances du README ne correspond pas à docs/bench/last-run.json : "
        "python3 scripts/bench_table.py --write (après make bench)")


def test_each_row_of_the_readme_block_is_a_measurement_of_the_table(last_run):
    block = bench_table.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    rows = [line for line in block.splitlines() if line.startswith("| ") and not line.startswith("| Mesure |")]
    assert len(rows) == len(bench_table.ROWS)


def test_a_measurement_missing_from_the_file_is_an_error_not_a_blank(last_run):
    data = copy.deepcopy(last_run)
    del data["measurements"]["clip_warm"]
    assert bench_table.missing(data) == ["clip_warm"]
    with pytest.raises(bench_table.MissingMeasurement, match="clip_warm"):
        bench_table.render(data)


def test_a_missed_budget_shows_in_the_table_and_a_new_figure_changes_the_block(last_run, tmp_path):
    data = copy.deepcopy(last_run)
    startup = data["measurements"]["startup"]
    startup["value"], startup["budgets"][0]["measured"], startup["budgets"][0]["met"] = 170.0, 170.0, False
    rendered = bench_table.render(data)
    assert "| 170 ms — **budget manqué** |" in rendered
    readme = tmp_path / "README.md"
    readme.write_text("# titre\n\n" + bench_table.render(last_run) + "\n\nsuite\n", encoding="utf-8")
    assert bench_table.write(readme, data) is True
    assert readme.read_text(encoding="utf-8") == "# titre\n\n" + rendered + "\n\nsuite\n"
    assert bench_table.write(readme, data) is False


def test_french_numbers():
    assert bench_table.number(15064, 0) == "15 064"
    assert bench_table.amount(0.2345) == "0,23"
    assert bench_table.amount(44.56) == "44,6"
    assert bench_table.amount(640.4) == "640"
    assert bench_table.times(11.63) == "11,6×"
