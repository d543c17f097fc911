"""What to ask a WFS 2.0 for: the query (layer, filters, order, CRS) and its GetFeature parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ...toolbelt.i18n import tr
from ..errors import WfsError

#: parameters the client writes itself; any other one (FILTER, PROPERTYNAME, a key) is passed on
_MANAGED_PARAMS = frozenset({"SERVICE", "VERSION", "REQUEST", "TYPENAMES", "TYPENAME", "OUTPUTFORMAT",
                             "SRSNAME", "SORTBY", "BBOX", "CQL_FILTER", "COUNT", "MAXFEATURES",
                             "STARTINDEX", "RESULTTYPE"})
_FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
#: EPSG:2154 or urn:ogc:def:crs:EPSG::2154 (also read from the "crs" member of a GeoJSON page)
EPSG_RE = re.compile(r"^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:)(\d+)$", re.I)


@dataclass(frozen=True)
class WfsQuery:
    """What to ask a WFS 2.0 for: one feature type, its filters, its order and its output CRS.

    Filters are joined with AND. A BBOX alone goes as the BBOX parameter; any other combination
    becomes one CQL_FILTER (GeoServer's ECQL, which the Géoplateforme accepts), which needs the
    geometry column: it is read from DescribeFeatureType.
    """

    #: e.g. ADMINEXPRESS-COG.LATEST:commune, BDTOPO_V3:batiment
    typename: str
    #: the service address; fixed parameters in its query string (a key) are kept
    service_url: str
    #: output CRS; "" keeps the layer's own. EPSG:4326 in this short form is longitude/latitude
    #: on GeoServer
    srsname: str = "EPSG:4326"
    #: a stable, unique field (cleabs): without an order, pages may overlap and miss features
    sort_by: str = ""
    #: (xmin, ymin, xmax, ymax) in bbox_crs
    bbox: Optional[tuple[float, float, float, float]] = None
    bbox_crs: str = "EPSG:4326"
    #: WKT of a geometry the features must intersect (a territory polygon), in intersects_crs
    intersects_wkt: str = ""
    intersects_crs: str = "EPSG:4326"
    #: attribute cut: property_name IN property_values (code_insee IN ('33063', …))
    property_name: str = ""
    property_values: tuple[str, ...] = ()
    #: a further ECQL condition
    cql_filter: str = ""
    #: other parameters, sent as they are (PROPERTYNAME, vendor parameters)
    extra_params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str) -> WfsQuery:
        """The query of a GetFeature URL (as catalog.sources builds them); paging is dropped."""
        parts = urlsplit(url)
        values: dict[str, Any] = {"srsname": ""}
        extra = []
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            name = key.upper()
            if name in ("TYPENAMES", "TYPENAME"):
                values["typename"] = value
            elif name == "SRSNAME":
                values["srsname"] = value
            elif name == "SORTBY":
                values["sort_by"] = value
            elif name == "CQL_FILTER":
                values["cql_filter"] = value
            elif name == "BBOX":
                values.update(_bbox_values(value, url))
            elif name not in _MANAGED_PARAMS:
                extra.append((key, value))
        if not values.get("typename"):
            raise WfsError(tr("L'adresse {url} ne précise pas de couche (TYPENAMES) : vérifiez le "
                              "catalogue.").format(url=url), url)
        return cls(service_url=endpoint_of(url), extra_params=tuple(extra), **values)

    @property
    def layer_name(self) -> str:
        """The feature type without its namespace (commune, batiment)."""
        return self.typename.rsplit(":", 1)[-1]

    @property
    def endpoint(self) -> str:
        """The service address without its query string."""
        return endpoint_of(self.service_url)

    @property
    def needs_geometry_column(self) -> bool:
        """True when the filter names the geometry column (it must then be described first)."""
        return bool(self.intersects_wkt) or (
            self.bbox is not None and bool(self.property_name or self.cql_filter))

    def params(self, geometry_column: str = "") -> list[tuple[str, str]]:
        """GetFeature parameters, paging excluded, in a stable order (the cache key depends on it)."""
        params = [("SERVICE", "WFS"), ("VERSION", "2.0.0"), ("REQUEST", "GetFeature"),
                  ("TYPENAMES", self.typename), ("OUTPUTFORMAT", "application/json")]
        if self.srsname:
            params.append(("SRSNAME", self.srsname))
        if self.sort_by:
            params.append(("SORTBY", self.sort_by))
        params += self._filter(geometry_column)
        return params + fixed_params(self.service_url) + list(self.extra_params)

    def _filter(self, geometry_column: str) -> list[tuple[str, str]]:
        conditions = []
        if self.property_name:
            if not _FIELD_RE.match(self.property_name):
                raise WfsError(tr("Nom de champ invalide « {field} » pour filtrer la couche "
                                  "{layer} : vérifiez le catalogue.").format(
                    field=self.property_name, layer=self.typename), self.service_url, self.typename)
            if not self.property_values:
                raise WfsError(tr("Aucune valeur pour filtrer la couche {layer} sur le champ "
                                  "« {field} ».").format(layer=self.typename,
                                                         field=self.property_name),
                               self.service_url, self.typename)
            values = ",".join(_cql_string(value) for value in self.property_values)
            conditions.append(f"{self.property_name} IN ({values})")
        if self.cql_filter:
            conditions.append(self.cql_filter)
        if self.bbox is not None and not conditions and not self.intersects_wkt:
            return [("BBOX", ",".join(_number(v) for v in self.bbox) + f",{self.bbox_crs}")]
        if self.bbox is not None or self.intersects_wkt:
            if not geometry_column:
                raise ValueError("the geometry column is needed for this filter: describe the layer")
            if self.bbox is not None:
                corners = ", ".join(_number(v) for v in self.bbox)
                conditions.insert(0, f"BBOX({geometry_column}, {corners}, '{self.bbox_crs}')")
            if self.intersects_wkt:
                srid = _epsg_code(self.intersects_crs)
                conditions.insert(0, f"INTERSECTS({geometry_column}, "
                                     f"SRID={srid};{self.intersects_wkt.strip()})")
        if len(conditions) > 1:
            # a free condition may hold OR: its own parentheses keep AND binding to all of it
            conditions = [f"({condition})" if condition == self.cql_filter else condition
                          for condition in conditions]
        return [("CQL_FILTER", " AND ".join(conditions))] if conditions else []


def _bbox_values(value: str, url: str) -> dict[str, Any]:
    """bbox (and bbox_crs when given) of a BBOX parameter: xmin,ymin,xmax,ymax[,crs]."""
    numbers = value.split(",")
    try:
        bbox = tuple(float(number) for number in numbers[:4])
    except ValueError:
        bbox = ()
    if len(bbox) != 4:
        raise WfsError(tr("Emprise (BBOX) illisible « {bbox} » dans {url} : vérifiez "
                          "le catalogue.").format(bbox=value, url=url), url)
    return {"bbox": bbox, "bbox_crs": numbers[4]} if len(numbers) > 4 else {"bbox": bbox}


def endpoint_of(service_url: str) -> str:
    """A service address without its query string."""
    parts = urlsplit(service_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def fixed_params(service_url: str) -> list[tuple[str, str]]:
    """Parameters written in the service address itself (a key, a vendor option)."""
    return [(key, value) for key, value in parse_qsl(urlsplit(service_url).query,
                                                      keep_blank_values=True)
            if key.upper() not in _MANAGED_PARAMS]


def request_url(endpoint: str, params: list[tuple[str, str]]) -> str:
    """A key-value-pair request as a GET URL."""
    # the characters left readable are those catalog.sources leaves too: same URL, same cache entry
    return endpoint + "?" + urlencode(params, safe=":,'()", quote_via=quote)


def _cql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _number(value: float) -> str:
    return format(float(value), ".12g")


def _epsg_code(crs: str) -> str:
    found = EPSG_RE.match(crs.strip())
    if not found:
        raise ValueError(f"an EPSG code is needed for a CQL geometry, not {crs!r}")
    return found.group(1)
