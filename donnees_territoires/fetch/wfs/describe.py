"""DescribeFeatureType: a layer's geometry column and properties, read from its XML schema."""

from __future__ import annotations

import io
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from qgis.core import QgsFeedback

from ...toolbelt.i18n import tr
from ...toolbelt.settings import Settings
from ...toolbelt.settings import current as current_settings
from ..download import fetch, forget
from ..errors import HttpStatusError, UnexpectedContentError, WfsError
from ..network import RetryPolicy, mirrored_url
from .exception_report import service_error
from .query import endpoint_of, fixed_params, request_url
from .rate_limit import RateLimiter, rate_limiter_for

#: how long a layer description (DescribeFeatureType) is reused from the download cache
DESCRIBE_MAX_AGE_S = 24 * 3600
_XSD_NS = "http://www.w3.org/2001/XMLSchema"


@dataclass(frozen=True)
class FeatureType:
    """What DescribeFeatureType says of a layer."""

    typename: str
    #: the geometry property (geometrie, geom…); "" for a table without geometry
    geometry_column: str
    #: GML geometry type without « PropertyType » (MultiSurface, Point, Geometry…)
    geometry_type: str
    #: (name, XSD type) of every property, geometry included, in schema order
    properties: tuple[tuple[str, str], ...]


_feature_types: dict[tuple[str, str, str], FeatureType] = {}
_feature_types_lock = threading.Lock()


def clear_feature_type_cache() -> None:
    """Forget the layer descriptions kept for this QGIS session."""
    with _feature_types_lock:
        _feature_types.clear()


def describe_feature_type(typename: str, service_url: str, *,
                          settings: Settings | None = None, feedback: QgsFeedback | None = None,
                          authcfg: str = "", retry: RetryPolicy | None = None,
                          limiter: RateLimiter | None = None) -> FeatureType:
    """The description of a layer, asked once per session (and kept a day in the download cache)."""
    settings = settings or current_settings()
    key = (service_url, typename, authcfg)
    with _feature_types_lock:
        if key in _feature_types:
            return _feature_types[key]
    params = [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "DescribeFeatureType"),
              ("TYPENAMES", typename)] + fixed_params(service_url)
    url = request_url(endpoint_of(service_url), params)
    (limiter or rate_limiter_for(mirrored_url(url, settings.mirror_url))).acquire(feedback, url)
    try:
        result = fetch(url, settings=settings, feedback=feedback, authcfg=authcfg, retry=retry,
                       max_age_s=DESCRIBE_MAX_AGE_S)
    except (HttpStatusError, UnexpectedContentError) as error:
        raise service_error(error, typename, url) from error
    try:
        feature_type = parse_feature_type(result.read_bytes(), typename, url)
    except WfsError:
        forget(url, settings=settings, authcfg=authcfg)
        raise
    with _feature_types_lock:
        _feature_types[key] = feature_type
    return feature_type


def parse_feature_type(xsd: bytes, typename: str, url: str = "") -> FeatureType:
    """Read a DescribeFeatureType answer (an XML schema, as GeoServer writes it)."""
    try:
        namespaces: dict[str, str] = {}
        for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xsd), events=("start-ns",)):
            namespaces.setdefault(prefix, uri)
        root = ET.fromstring(xsd)
    except ET.ParseError as error:
        raise WfsError(tr("La description de la couche {layer} reçue de {url} n'est pas un schéma "
                          "XML lisible ({error}) : le service est peut-être en maintenance ; "
                          "réessayez plus tard.").format(layer=typename, url=url, error=error),
                       url, typename) from error
    local = typename.rsplit(":", 1)[-1]
    declared = {element.get("name"): element.get("type", "").rsplit(":", 1)[-1]
                for element in root.findall(f"{{{_XSD_NS}}}element")}
    complex_types = root.findall(f"{{{_XSD_NS}}}complexType")
    chosen = next((item for item in complex_types if item.get("name") == declared.get(local)), None)
    if chosen is None and len(complex_types) == 1:
        chosen = complex_types[0]
    if chosen is None:
        raise WfsError(tr("La description reçue de {url} ne décrit pas la couche {layer} : "
                          "vérifiez son nom dans le catalogue.").format(url=url, layer=typename),
                       url, typename)
    properties = []
    geometry_column = geometry_type = ""
    for element in chosen.iter(f"{{{_XSD_NS}}}element"):
        name, xsd_type = element.get("name", ""), element.get("type", "")
        if not name:
            continue
        properties.append((name, xsd_type))
        prefix, _sep, type_name = xsd_type.rpartition(":")
        is_gml = namespaces.get(prefix, "").startswith("http://www.opengis.net/gml")
        if is_gml and type_name.endswith("PropertyType") and not geometry_column:
            geometry_column, geometry_type = name, type_name[: -len("PropertyType")]
    return FeatureType(typename, geometry_column, geometry_type, tuple(properties))
