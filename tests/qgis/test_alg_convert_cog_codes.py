"""donnees_territoires:convert_cog_codes on memory layers and on the real 2018 commune layer."""

import pytest
from qgis.core import NULL, QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingContext, QgsVectorLayer

from donnees_territoires.territory import ConversionStatus
from tests.conftest import FRANCE_2018


def run(layer, **params):
    import processing

    return processing.run("donnees_territoires:convert_cog_codes",
                          {"INPUT": layer, "FIELD": "insee", "OUTPUT": "memory:", **params})


def table(values, field_type="string"):
    layer = QgsVectorLayer(f"Point?crs=EPSG:4326&field=insee:{field_type}&field=label:string", "codes", "memory")
    features = []
    for i, value in enumerate(values):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([value, f"row{i}"])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(i, i)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def plain(value):
    return None if value == NULL else value


def rows(output):
    return {f["label"]: tuple(plain(f[name]) for name in ("code_cog", "nom_cog", "statut_cog", "candidats_cog"))
            for f in output.getFeatures()}


def test_each_status_with_names_and_candidates(dt_processing):
    layer = table(["33063", "1001", "01154", "60054", "99999", None, "75101"])
    result = run(layer, FROM_VINTAGE=2021, TO_VINTAGE=2026)
    out = rows(result["OUTPUT"])
    assert out["row0"] == ("33063", "Bordeaux", "inchange", None)
    assert out["row1"] == ("01001", "L'Abergement-Clémenciat", "inchange", None)
    assert out["row2"] == ("01130", "Bresse Vallons", "fusionne", None)
    # Beaumont-les-Nonains was restored in 2024 out of Les Hauts-Talican: a 2021 code is ambiguous
    assert out["row3"] == (None, None, "ambigu", "60054,60694")
    assert out["row4"] == (None, None, "inconnu", None)
    assert out["row5"] == (None, None, "inconnu", None)
    assert out["row6"] == ("75101", "Paris 1er Arrondissement", "inchange", None)
    assert (result["INCHANGE"], result["FUSIONNE"], result["AMBIGU"], result["INCONNU"]) == (3, 1, 1, 2)
    assert result["FROM_VINTAGE"] == 2021


def test_keeps_input_fields_geometry_and_crs(dt_processing):
    layer = table(["33063", "33281"])
    output = run(layer)["OUTPUT"]
    assert [f.name() for f in output.fields()] == ["insee", "label", "code_cog", "nom_cog", "statut_cog",
                                                    "candidats_cog"]
    assert output.crs().authid() == "EPSG:4326"
    assert output.featureCount() == 2
    assert next(output.getFeatures()).geometry().asPoint() == QgsPointXY(0, 0)


def test_numeric_codes_and_detected_vintage(dt_processing):
    layer = table([33063, 1001, 33281], field_type="integer")
    result = run(layer)
    assert result["FROM_VINTAGE"] == 2026
    assert {f["code_cog"] for f in result["OUTPUT"].getFeatures()} == {"33063", "01001", "33281"}


def test_unknown_source_vintage_is_a_clear_error(dt_processing):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="COG 2030 n'est pas disponible"):
        run(table(["33063"]), FROM_VINTAGE=2030)


@pytest.mark.france_wide
def test_real_2018_commune_layer_converts_to_2026(dt_processing):
    import processing

    layer = QgsVectorLayer(f"{FRANCE_2018}|layername=commune", "communes 2018", "ogr")
    assert layer.featureCount() == 35357
    context = QgsProcessingContext()
    result = processing.run("donnees_territoires:convert_cog_codes",
                            {"INPUT": layer, "FIELD": "code", "FROM_VINTAGE": 2018, "OUTPUT": "memory:"},
                            context=context)
    counts = {status: result[status.name] for status in ConversionStatus}
    assert sum(counts.values()) == 35357
    # every code is resolved or reported: hundreds merged since 2018 (35,357 communes then,
    # 34,969 in 2026), a few restored since (ambiguous), the rest unchanged
    assert counts[ConversionStatus.INCONNU] == 0
    assert 400 < counts[ConversionStatus.FUSIONNE] < 1000
    assert counts[ConversionStatus.INCHANGE] > 34000
    output = result["OUTPUT"]
    by_code = {f["code"]: f for f in output.getFeatures()}
    assert by_code["01154"]["code_cog"] == "01130"  # merged into Bresse Vallons in 2019
    assert by_code["33063"]["statut_cog"] == "inchange"
    assert all(f["code_cog"] or f["statut_cog"] == "ambigu" for f in output.getFeatures())
