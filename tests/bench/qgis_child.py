"""What every benchmark child process runs first: QGIS, Processing and the plugin's provider."""

#: Python source; the child's own code follows it (ROOT must be defined before)
PRELUDE = r"""
import json, resource, sys, time
sys.path.insert(0, ROOT)
sys.path.append("/usr/share/qgis/python/plugins")
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
import processing
from donnees_territoires.processing.provider import Provider
PROVIDER = Provider()  # kept: the registry does not own a Python-made provider
QgsApplication.processingRegistry().addProvider(PROVIDER)
"""
