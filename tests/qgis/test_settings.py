"""Typed settings over QgsSettings, environment overrides, and the options page."""

import pytest
from qgis.core import QgsSettings

from donnees_territoires.toolbelt.settings import ENV_OVERRIDES, SETTINGS_GROUP, Settings, current


@pytest.fixture
def clean_settings(monkeypatch):
    for var in ENV_OVERRIDES.values():
        monkeypatch.delenv(var, raising=False)
    QgsSettings().remove(SETTINGS_GROUP)
    yield
    QgsSettings().remove(SETTINGS_GROUP)


def test_defaults_round_trip(qgis_app, clean_settings):
    assert Settings.load() == Settings()
    stored = Settings(mirror_url="http://127.0.0.1:9/miroir", cache_max_mb=300, timeout_s=15,
                      offline=True, debug=True)
    stored.save()
    loaded = Settings.load()
    assert loaded == stored
    assert isinstance(loaded.cache_max_mb, int) and isinstance(loaded.offline, bool)


def test_environment_overrides_win_without_being_saved(qgis_app, clean_settings, monkeypatch, tmp_path):
    Settings(mirror_url="http://stored.example/").save()
    monkeypatch.setenv("DONNEES_TERRITOIRES_MIRROR", "http://127.0.0.1:8123")
    monkeypatch.setenv("DONNEES_TERRITOIRES_CONTOURS", str(tmp_path / "ae.gpkg"))
    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", str(tmp_path / "cache"))
    effective = current()
    assert effective.mirror_url == "http://127.0.0.1:8123"
    assert effective.contours_path == str(tmp_path / "ae.gpkg")
    assert effective.cache_path() == tmp_path / "cache"
    assert Settings.load().mirror_url == "http://stored.example/"


def test_empty_environment_value_does_not_override(qgis_app, clean_settings, monkeypatch):
    Settings(mirror_url="http://stored.example/").save()
    monkeypatch.setenv("DONNEES_TERRITOIRES_MIRROR", "")
    assert current().mirror_url == "http://stored.example/"


def test_default_cache_is_in_the_profile(qgis_app, clean_settings):
    path = current().cache_path()
    assert path.parts[-2:] == ("cache", "donnees_territoires")


def test_options_page_edits_and_shows_overrides(qgis_app, clean_settings, monkeypatch):
    from donnees_territoires.gui.dlg_settings import SettingsPage, SettingsPageFactory

    monkeypatch.setenv("DONNEES_TERRITOIRES_CACHE", "/srv/cache-sig")
    Settings(timeout_s=42).save()
    factory = SettingsPageFactory()
    assert factory.title() == "Données et territoires"
    page = factory.createWidget(None)
    assert isinstance(page, SettingsPage)
    assert page.timeout_s.value() == 42
    note = page._env_labels["cache_dir"]
    assert not note.isHidden()
    assert "DONNEES_TERRITOIRES_CACHE" in note.text() and "/srv/cache-sig" in note.text()
    assert page._env_labels["mirror_url"].isHidden()

    page.mirror_url.setText(" http://127.0.0.1:8080/miroir ")
    page.offline.setChecked(True)
    page.catalogs.setPlainText("https://sig.example.fr/catalogue.json\n\n  /srv/partage/catalogue.json  \n")
    page.contour_sources.setText("api_geo, local")
    page.apply()
    saved = Settings.load()
    assert saved.mirror_url == "http://127.0.0.1:8080/miroir"
    assert saved.catalogs == "https://sig.example.fr/catalogue.json\n/srv/partage/catalogue.json"
    assert saved.contour_sources == "api_geo,local"
    assert saved.offline is True and saved.timeout_s == 42
    # the override is shown, never written into the profile
    assert saved.cache_dir == ""


def test_options_page_sets_where_packages_are_published(qgis_app, clean_settings):
    """The publication's platform, organisation and API key configuration are set on the page; the key itself
    stays in the authentication database (only the configuration's id is saved)."""
    from qgis.core import QgsApplication, QgsSettings

    from donnees_territoires.gui.dlg_settings import SettingsPage
    from tests.qgis.auth_configs import basic_config

    config_id = basic_config("data.gouv.fr (options)", "", "cle-secrete-des-options")
    try:
        Settings(timeout_s=33).save()
        page = SettingsPage(None)
        assert page.publish_platform.currentData() == "demo" and page.publish_organisation.text() == ""
        page.publish_platform.setCurrentIndex(page.publish_platform.findData("production"))
        page.publish_organisation.setText("  ot-bordeaux ")
        page.publish_authcfg.setConfigId(config_id)
        page.apply()
        saved = Settings.load()
        assert (saved.publish_platform, saved.publish_organisation, saved.publish_authcfg) == \
            ("production", "ot-bordeaux", config_id)
        assert saved.timeout_s == 33  # the other fields kept
        stored = {key: QgsSettings().value(key) for key in QgsSettings().allKeys() if "donnees_territoires" in key}
        assert "cle-secrete-des-options" not in repr(stored)
        again = SettingsPage(None)
        assert again.publish_platform.currentData() == "production" and again.publish_authcfg.configId() == config_id
    finally:
        QgsApplication.authManager().removeAuthenticationConfig(config_id)
