"""From a catalog entry and a territory to the requests to make: files, WFS queries, WMTS layers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import product
from typing import Optional
from urllib.parse import quote, urlencode

from ..territory.legal_crs import departement_of_commune, legal_crs
from ..toolbelt.i18n import tr
from .datagouv import api_url
from .model import Dataset
from .templates import TemplateError, TerritoryFacts, check_code, fill, template_names
from .transport import coverage_keys

#: codes per WFS request when the filter is a list of codes: keeps GET URLs far below server limits
WFS_CODES_PER_REQUEST = 150


@dataclass(frozen=True)
class SourceRequest:
    """One thing to fetch for a dataset and a territory.

    `codes` are the values the cut attribute must hold in what this request returns (empty: no
    attribute filter); for a GTFS request, the covered areas its feeds are chosen by (« epci:243300316 »).
    For a WFS request the filter is already in the URL (CQL_FILTER or BBOX);
    paging (COUNT/STARTINDEX) is left to the fetcher. A data.gouv.fr request is the API URL:
    `datagouv.resolve()` turns it into the file to download. A WMTS request is the capabilities URL.
    """

    dataset_id: str
    kind: str
    url: str
    #: territory unit the request covers: commune:33063, departement:33, france
    unit: str
    codes: tuple[str, ...] = ()
    year: Optional[int] = None
    #: data.gouv.fr: the title pattern of the resource to take, instead of the entry's selector (a fallback's)
    resource_pattern: str = ""

    @property
    def needs_resolution(self) -> bool:
        return self.kind == "datagouv"


def filter_values(dataset: Dataset, facts: TerritoryFacts) -> tuple[str, ...]:
    """The codes the cut attribute must hold, as the producer writes them ("" rule: none)."""
    if dataset.cut.rule != "attribute":
        return ()
    codes = dataset.cut.codes
    if codes == "commune":
        values = facts.commune_codes(dataset.source.commune_codes)
    elif codes == "departement":
        values = facts.departement_codes
    elif codes == "region":
        values = tuple(check_code(code) for code in facts.regions)
    else:
        values = tuple(check_code(code) for code in facts.epci)
    if not values:
        raise TemplateError(tr("Le territoire ne fournit aucun code « {codes} » pour filtrer « {dataset} » "
                               "sur le champ « {field} ».").format(codes=codes, dataset=dataset.id,
                                                                  field=dataset.cut.field))
    return values


def expand_urls(dataset: Dataset, facts: TerritoryFacts) -> list[SourceRequest]:
    """Every request needed to get `dataset` for the territory described by `facts`.

    Files: one URL per unit of the finest placeholder in the template ({code_insee}: commune,
    or arrondissement for producers publishing Paris/Lyon/Marseille that way; {code_dep}:
    département; {code_reg}; {siren_epci}; none: one national file), times the years for
    {year}. Raises TemplateError (French message) when the territory lacks what is needed.
    """
    kind = dataset.source.kind
    if kind == "wmts":
        return [SourceRequest(dataset.id, kind, wmts_capabilities_url(dataset.source.url), "france")]
    if kind == "wms":
        return [SourceRequest(dataset.id, kind, wms_capabilities_url(dataset.source.url), "france")]
    if kind == "datagouv":
        return [SourceRequest(dataset.id, kind, api_url(dataset.source.dataset), "france",
                              filter_values(dataset, facts))]
    if kind == "wfs":
        return wfs_requests(dataset, facts)
    if kind == "gtfs":
        # the feeds are chosen from the API's answer by these keys (transport.select_feeds); the fragment keeps
        # two territories' requests apart (one download per distinct URL), it is not sent
        keys = coverage_keys(facts)
        return [SourceRequest(dataset.id, kind, f"{dataset.source.url}#{','.join(keys)}", "transport", keys)]
    return _file_requests(dataset, facts)


def _file_requests(dataset: Dataset, facts: TerritoryFacts) -> list[SourceRequest]:
    template = dataset.source.url
    names = set(template_names(template))
    codes = filter_values(dataset, facts)
    fixed = {}
    if "millesime" in names:
        fixed["millesime"] = facts.millesime or dataset.source.millesime or "latest"
    if "layer" in names:
        fixed["layer"] = dataset.source.layer
    if "bbox" in names:
        fixed["bbox"] = facts.bbox_text()
    years: tuple[Optional[int], ...] = (None,)
    if "year" in names:
        years = tuple(facts.years or dataset.source.years)
        if not years:
            raise TemplateError(tr("Aucune année choisie pour « {dataset} » : indiquez les années "
                                   "à télécharger.").format(dataset=dataset.id))

    units: list[tuple[str, dict, tuple[str, ...]]] = []  # (unit, values, codes)
    if "code_insee" in names:
        for code in facts.commune_codes(dataset.source.commune_codes):
            units.append((f"commune:{code}", {"code_insee": code, "code_dep": departement_of_commune(code)},
                          (code,) if codes else ()))
    elif "code_dep" in names:
        for dep in _departements_for(dataset, facts):
            if dep in dataset.source.split_departements:
                units.extend(_arrondissement_files(dataset, facts, codes, dep))
                continue
            units.append((f"departement:{dep}", {"code_dep": dep},
                          _codes_in_departement(dataset, codes, dep)))
    elif "code_reg" in names:
        for region in facts.regions:
            region = check_code(region)
            units.append((f"region:{region}", {"code_reg": region}, codes))
    elif "siren_epci" in names:
        for siren in facts.epci:
            siren = check_code(siren)
            units.append((f"epci:{siren}", {"siren_epci": siren}, codes))
    else:
        units.append(("france", {}, codes))
    if not units:
        raise TemplateError(tr("Le territoire ne fournit aucune unité pour l'adresse de « {dataset} » "
                               "({template}).").format(dataset=dataset.id, template=template))

    requests = []
    for (unit, values, unit_codes), year in product(units, years):
        filled = dict(fixed, **values)
        if year is not None:
            filled["year"] = str(year)
        requests.append(SourceRequest(dataset.id, dataset.source.kind, fill(template, filled), unit,
                                      unit_codes, year))
    return _unique_requests(requests)


def fallback_request(dataset: Dataset, year: Optional[int], codes: tuple[str, ...]) -> SourceRequest:
    """The national file standing in for a year's missing per-commune files (Source.fallback), filtered on
    `codes`."""
    fallback = dataset.source.fallback
    values = {"year": str(year)} if year is not None else {}
    if fallback.url:
        return SourceRequest(dataset.id, "national_file", fill(fallback.url, values), "france", codes, year)
    return SourceRequest(dataset.id, "datagouv", api_url(fallback.dataset), "france", codes, year,
                         resource_pattern=fallback.title_pattern.replace("{year}", values.get("year", "*")))


def _departements_for(dataset: Dataset, facts: TerritoryFacts) -> tuple[str, ...]:
    """Départements to download: those of the communes, else those given."""
    if facts.communes:
        return tuple(dict.fromkeys(departement_of_commune(code)
                                   for code in facts.commune_codes(dataset.source.commune_codes)))
    return facts.departement_codes


def _arrondissement_files(dataset: Dataset, facts: TerritoryFacts, codes: tuple[str, ...],
                          dep: str) -> list[tuple[str, dict, tuple[str, ...]]]:
    """A département the producer splits by arrondissement municipal (Sirene's Paris: geo_siret_75101…):
    one file per arrondissement of the territory, {code_dep} taking its code."""
    arrondissements = [code for code in facts.commune_codes("arrondissement")
                       if departement_of_commune(code) == dep and facts.parent_commune(code)]
    return [(f"commune:{code}", {"code_dep": code},
             tuple(c for c in codes if c == code or facts.parent_commune(c) == code) if codes else ())
            for code in arrondissements]


def _codes_in_departement(dataset: Dataset, codes: tuple[str, ...], dep: str) -> tuple[str, ...]:
    if dataset.cut.codes == "commune":
        return tuple(code for code in codes if departement_of_commune(code) == dep)
    if dataset.cut.codes == "departement":
        return tuple(code for code in codes if code == dep)
    return codes


def _unique_requests(requests: list[SourceRequest]) -> list[SourceRequest]:
    seen: dict[str, SourceRequest] = {}
    for request in requests:
        seen.setdefault(request.url, request)
    return list(seen.values())


# -- WFS ------------------------------------------------------------------------------------------
def wfs_requests(dataset: Dataset, facts: TerritoryFacts) -> list[SourceRequest]:
    """GetFeature URLs (WFS 2.0.0, GeoJSON, EPSG:4326 as longitude/latitude).

    Attribute rule: CQL_FILTER « field IN (…) », by batches of WFS_CODES_PER_REQUEST codes.
    Spatial rules: the territory's BBOX; the precise intersects/clip/within is the extract step's.
    """
    params = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
              "TYPENAMES": dataset.source.typename, "OUTPUTFORMAT": "application/json",
              "SRSNAME": "EPSG:4326"}
    if dataset.format.sort_key:
        params["SORTBY"] = dataset.format.sort_key
    rule = dataset.cut.rule
    requests = []
    if dataset.source.partitions:
        # the producer's own partition of the layer (the Géoportail de l'urbanisme: « DU_33063 », the PLU of
        # a commune, « DU_243300316 », the PLUi of its EPCI): asked by value; the cut rule then applies
        values = partition_values(dataset, facts)
        field = dataset.source.partition_field
        for start in range(0, len(values), WFS_CODES_PER_REQUEST):
            batch = values[start:start + WFS_CODES_PER_REQUEST]
            quoted = ",".join(f"'{value}'" for value in batch)
            url = _with_query(dataset.source.url, dict(params, CQL_FILTER=f"{field} IN ({quoted})"))
            unit = f"{field}:{batch[0]}" + (f"..{batch[-1]}" if len(batch) > 1 else "")
            requests.append(SourceRequest(dataset.id, "wfs", url, unit,
                                          filter_values(dataset, facts) if rule == "attribute" else ()))
    elif rule == "attribute":
        codes = filter_values(dataset, facts)
        for start in range(0, len(codes), WFS_CODES_PER_REQUEST):
            batch = codes[start:start + WFS_CODES_PER_REQUEST]
            quoted = ",".join(f"'{code}'" for code in batch)
            url = _with_query(dataset.source.url, dict(params, CQL_FILTER=f"{dataset.cut.field} IN ({quoted})"))
            unit = f"{dataset.cut.codes}:{batch[0]}" + (f"..{batch[-1]}" if len(batch) > 1 else "")
            requests.append(SourceRequest(dataset.id, "wfs", url, unit, batch))
    elif rule in ("intersects", "clip", "within"):
        # EPSG:4326 written this way is longitude/latitude on GeoServer (the Géoplateforme's WFS)
        url = _with_query(dataset.source.url, dict(params, BBOX=f"{facts.bbox_text()},EPSG:4326"))
        requests.append(SourceRequest(dataset.id, "wfs", url, "bbox"))
    else:
        requests.append(SourceRequest(dataset.id, "wfs", _with_query(dataset.source.url, params), "france"))
    return requests


def partition_values(dataset: Dataset, facts: TerritoryFacts) -> tuple[str, ...]:
    """Every value of the source's partition templates for the territory: one per commune for
    {code_insee}, per EPCI for {siren_epci}, per département for {code_dep}, per région for {code_reg}."""
    values: list[str] = []
    for template in dataset.source.partitions:
        names = template_names(template)
        if "code_insee" in names:
            units = [{"code_insee": code} for code in facts.commune_codes(dataset.source.commune_codes)]
        elif "siren_epci" in names:
            units = [{"siren_epci": check_code(siren)} for siren in facts.epci]
        elif "code_dep" in names:
            units = [{"code_dep": dep} for dep in facts.departement_codes]
        else:
            units = [{"code_reg": check_code(region)} for region in facts.regions]
        values.extend(fill(template, unit) for unit in units)
    if not values:
        raise TemplateError(tr("Le territoire ne fournit aucune valeur de partition pour « {dataset} » "
                               "({templates}).").format(dataset=dataset.id,
                                                       templates=", ".join(dataset.source.partitions)))
    return tuple(dict.fromkeys(values))


def _with_query(base: str, params: dict) -> str:
    separator = "&" if "?" in base else "?"
    return base + separator + urlencode(params, safe=":,'()")


# -- WMTS -----------------------------------------------------------------------------------------
def wmts_capabilities_url(service_url: str) -> str:
    return _with_query(service_url, {"SERVICE": "WMTS", "REQUEST": "GetCapabilities", "VERSION": "1.0.0"})


def wms_capabilities_url(service_url: str) -> str:
    return _with_query(service_url, {"SERVICE": "WMS", "REQUEST": "GetCapabilities", "VERSION": "1.3.0"})


def wms_layer_uri(dataset: Dataset, crs: str = "EPSG:3857") -> str:
    """Data source URI of QGIS's « wms » provider for a WMS layer of the catalog (transparent PNG)."""
    if dataset.source.kind != "wms":
        raise ValueError(f"{dataset.id} n'est pas un service WMS")
    parts = [("contextualWMSLegend", "0"), ("crs", crs), ("dpiMode", "7"),
             ("format", dataset.format.image_format), ("layers", dataset.source.layer), ("styles", ""),
             ("transparent", "true")]
    return "&".join(f"{k}={v}" for k, v in parts) + "&url=" + quote(dataset.source.url, safe=":/?")


def wmts_layer_uri(dataset: Dataset, tile_matrix_set: str, crs: str = "EPSG:3857") -> str:
    """Data source URI of QGIS's « wms » provider for a WMTS layer of the catalog.

    The tile matrix set comes from the service's capabilities at run time
    (`wmts_tile_matrix_sets`): the catalog stores only the service, the layer and the format.
    """
    if dataset.source.kind != "wmts":
        raise ValueError(f"{dataset.id} n'est pas un service WMTS")
    capabilities = wmts_capabilities_url(dataset.source.url)
    parts = [("contextualWMSLegend", "0"), ("crs", crs), ("dpiMode", "7"),
             ("format", dataset.format.image_format), ("layers", dataset.source.layer),
             ("styles", dataset.source.wmts_style), ("tileMatrixSet", tile_matrix_set)]
    return "&".join(f"{k}={v}" for k, v in parts) + "&url=" + quote(capabilities, safe=":/?")


_OWS = "{http://www.opengis.net/ows/1.1}"
_WMTS = "{http://www.opengis.net/wmts/1.0}"


def wmts_tile_matrix_sets(capabilities: bytes | str, layer: str) -> list[str]:
    """Tile matrix sets a WMTS layer offers, read from GetCapabilities (empty: no such layer)."""
    root = ET.fromstring(capabilities)
    for node in root.iter(f"{_WMTS}Layer"):
        if (node.findtext(f"{_OWS}Identifier") or "").strip() == layer:
            return [link.findtext(f"{_WMTS}TileMatrixSet", "").strip()
                    for link in node.findall(f"{_WMTS}TileMatrixSetLink")]
    return []


# -- CRS ------------------------------------------------------------------------------------------
def target_crs(dataset: Dataset, facts: TerritoryFacts) -> str:
    """Authid of the output CRS: the entry's own, else the territory's, else its legal projection.

    Raises territory.legal_crs.MixedCrsZonesError when the territory spans several zones.
    """
    if dataset.target_crs != "legal":
        return dataset.target_crs
    if facts.crs:
        return facts.crs
    return legal_crs(facts.departement_codes).authid
