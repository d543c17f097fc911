"""QGIS authentication configurations for the tests, in the test profile's authentication database."""

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig

MASTER_PASSWORD = "donnees-territoires-tests"


def basic_config(name: str, username: str, password: str) -> str:
    """A « Basic » configuration stored in the test profile's database (.qgis-settings, out of git); its id. The
    test is skipped when that database was made with another master password."""
    manager = QgsApplication.authManager()
    if not manager.setMasterPassword(MASTER_PASSWORD, True):
        pytest.skip("the test profile's QGIS authentication database has another master password")
    config = QgsAuthMethodConfig("Basic")
    config.setName(name)
    config.setConfig("username", username)
    config.setConfig("password", password)
    assert manager.storeAuthenticationConfig(config)[0]
    return config.id()
