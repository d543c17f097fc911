"""Issue 14, item 6: impossible parameter values are refused in French, with what is allowed, before anything
runs (QGIS's own check says « Incorrect parameter value » in English)."""

import pytest
from qgis.core import QgsApplication, QgsProcessingContext

GOOD = {"TERRITORY": "commune:33063", "DATASETS": "ban-adresses"}

CASES = [
    ("build_package", {"TERRITORY": ""}, "(TERRITORY) est à remplir"),
    ("build_package", {"DATASETS": ""}, "(DATASETS) est à remplir"),
    ("build_package", {"BUFFER": -100}, "(BUFFER) vaut -100 : choisissez une valeur supérieure ou égale à 0"),
    ("build_package", {"VINTAGE": 1999}, "(VINTAGE) vaut 1999 : choisissez une valeur entre 2021 et"),
    ("build_package", {"CRS": "EPSG:999999"}, "Projection « EPSG:999999 » inconnue (CRS)"),
    ("build_package", {"MAX_LOSS": 150}, "(MAX_LOSS) vaut 150 : choisissez une valeur entre 0 et 100"),
    ("build_package", {"BUFFER": "beaucoup"}, "(BUFFER) attend un nombre, pas « beaucoup »"),
    ("download_dataset", {"DATASET": "ban-adresses", "VINTAGE": 2099}, "(VINTAGE) vaut 2099"),
    ("batch_packages", {"PARENT": "epci:243300316", "LEVEL": 0, "BUFFER": -1}, "(BUFFER) vaut -1"),
]


@pytest.mark.parametrize("algorithm, changed, said", CASES, ids=[f"{a}-{next(iter(c))}" for a, c, _s in CASES])
def test_an_impossible_value_is_said_in_french_with_what_is_allowed(qgis_app, dt_processing, algorithm, changed,
                                                                   said):
    alg = QgsApplication.processingRegistry().createAlgorithmById(f"donnees_territoires:{algorithm}")
    ok, message = alg.checkParameterValues({**GOOD, **changed}, QgsProcessingContext())
    assert not ok and said in message, message
    assert "Incorrect" not in message


def test_a_valid_crs_and_values_pass(qgis_app, dt_processing):
    alg = QgsApplication.processingRegistry().createAlgorithmById("donnees_territoires:build_package")
    ok, message = alg.checkParameterValues({**GOOD, "CRS": "EPSG:3948", "BUFFER": 250, "MAX_LOSS": 100},
                                           QgsProcessingContext())
    assert ok, message


def test_processing_run_refuses_before_downloading(qgis_app, dt_processing, fetch_http, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as caught:
        processing.run("donnees_territoires:build_package", {**GOOD, "BUFFER": -100,
                                                              "OUTPUT": str(tmp_path / "a.gpkg")})
    assert "BUFFER" in str(caught.value) and fetch_http.log == []
