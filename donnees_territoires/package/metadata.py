"""The QGIS layer metadata of a package table: title, abstract, licence, producer, sources, dates, extent."""

from __future__ import annotations

from qgis.core import QgsBox3d, QgsCoordinateReferenceSystem, QgsLayerMetadata, QgsRectangle
from qgis.PyQt.QtXml import QDomDocument

from ..__about__ import __title__, __version__
from ..catalog.model import theme_label
from ..toolbelt.i18n import tr
from .model import LayerReport, PackageLayer
from .style import parse_xml


def layer_metadata(item: PackageLayer, report: LayerReport, territory: dict, created_at: str,
                   crs: QgsCoordinateReferenceSystem) -> QgsLayerMetadata:
    """Metadata for one table, from its catalog description and what was written."""
    reference = str(territory.get("reference", ""))
    name = str(territory.get("name", "")) or reference
    vintage = str(territory.get("vintage", ""))
    metadata = QgsLayerMetadata()
    metadata.setIdentifier(f"{reference}/{item.dataset_id}" if reference else item.dataset_id)
    metadata.setType("dataset")
    metadata.setLanguage("fr")
    metadata.setEncoding("UTF-8")
    metadata.setTitle(item.title or item.dataset_id)
    summary = tr("Découpé sur {territory} ({reference}), COG {vintage}, par l'extension QGIS {plugin} {version} "
                 "le {date}.").format(territory=name, reference=reference, vintage=vintage or "?",
                                      plugin=__title__, version=__version__, date=created_at)
    metadata.setAbstract(f"{item.abstract}\n\n{summary}" if item.abstract else summary)
    if item.theme:
        metadata.setCategories([theme_label(item.theme)])
    keywords = {__title__: [word for word in (item.dataset_id, item.theme) if word],
                tr("Territoire"): [word for word in (name, reference) if word]}
    if vintage:
        keywords["COG"] = [f"COG {vintage}"]
    if item.keywords:
        keywords[tr("Mots-clés")] = list(item.keywords)
    metadata.setKeywords(keywords)
    licence = item.licence_name
    if licence:
        metadata.setLicenses([f"{licence} — {item.licence_url}" if item.licence_url else licence])
    if item.producer:
        metadata.setRights([tr("Données © {producer}").format(producer=item.producer)])
        contact = QgsLayerMetadata.Contact()
        contact.organization = item.producer
        contact.name = item.producer
        contact.role = "originator"  # ISO 19115 CI_RoleCode: who created the data
        metadata.addContact(contact)
    for url in item.source_urls:
        metadata.addLink(_link(tr("Source"), url, tr("Adresse de téléchargement des données")))
    if item.homepage:
        metadata.addLink(_link(tr("Page du jeu de données"), item.homepage, ""))
    if item.licence_url:
        metadata.addLink(_link(tr("Licence"), item.licence_url, licence))
    # QGIS 3.22 metadata has no date fields: the dates go into the history, oldest first
    history = []
    for record in item.fetch:
        history.append(tr("{date} : téléchargé depuis {url}").format(date=record.get("fetched_at", "?"),
                                                                   url=record.get("url", "?")))
    history.append(tr("{date} : écrit dans le paquet par {plugin} {version}").format(
        date=created_at, plugin=__title__, version=__version__))
    metadata.setHistory(history)
    if crs.isValid():
        metadata.setCrs(crs)
    if report.extent is not None:
        spatial = QgsLayerMetadata.SpatialExtent()
        spatial.extentCrs = crs
        spatial.bounds = QgsBox3d(QgsRectangle(*report.extent))
        extent = QgsLayerMetadata.Extent()
        extent.setSpatialExtents([spatial])
        metadata.setExtent(extent)
    return metadata


def manifest_metadata(title: str, abstract: str) -> QgsLayerMetadata:
    """Metadata of the manifest tables, so they explain themselves in QGIS's layer properties."""
    metadata = QgsLayerMetadata()
    metadata.setType("dataset")
    metadata.setLanguage("fr")
    metadata.setTitle(title)
    metadata.setAbstract(abstract)
    return metadata


def metadata_xml(metadata: QgsLayerMetadata) -> str:
    """The metadata as a QGIS .qmd document (kept in the manifest for providers that cannot store it)."""
    document = QDomDocument("qgis")
    root = document.createElement("qgis")
    document.appendChild(root)
    metadata.writeMetadataXml(root, document)
    return document.toString()


def read_metadata_xml(text: str) -> QgsLayerMetadata:
    """The metadata of a .qmd document (empty metadata when the text is not one)."""
    metadata = QgsLayerMetadata()
    document = parse_xml(text) if text else None
    if document is not None:
        metadata.readMetadataXml(document.documentElement())
    return metadata


def _link(name: str, url: str, description: str) -> QgsLayerMetadata.Link:
    link = QgsLayerMetadata.Link(name, "WWW:LINK", url)
    link.description = description
    return link
