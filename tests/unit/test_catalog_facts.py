"""From COG territories to catalog requests: the real 2026 index, Paris, Lyon, an EPCI on two départements."""

import pytest

from donnees_territoires.catalog import Catalog
from donnees_territoires.catalog.territory_facts import facts_from_index
from donnees_territoires.territory.index import TerritoryIndex


@pytest.fixture(scope="module")
def index():
    return TerritoryIndex.load(2026)


@pytest.fixture(scope="module")
def catalog():
    return Catalog.load()


def test_paris_gives_its_arrondissements_to_the_cadastre(index, catalog):
    facts = facts_from_index(index, "commune:75056")
    assert facts.communes == ("75056",) and facts.departements == ("75",) and facts.regions == ("11",)
    requests = catalog.expand_urls("cadastre-parcelles", facts)
    assert [r.unit for r in requests] == [f"commune:{code}" for code in range(75101, 75121)]


def test_one_arrondissement_fetches_only_itself(index, catalog):
    facts = facts_from_index(index, "commune:75108")
    assert facts.communes == ("75108",)
    assert [r.unit for r in catalog.expand_urls("cadastre-batiments", facts)] == ["commune:75108"]
    assert catalog.expand_urls("ban-adresses", facts)[0].codes == ("75108",)


def test_lyon_belongs_to_the_metropole(index, catalog):
    facts = facts_from_index(index, "commune:69123")
    assert facts.epci == ("200046977",)
    assert "CQL_FILTER=code_siren+IN+('200046977')" in catalog.expand_urls("admin-express-epci", facts)[0].url


def test_an_epci_across_two_departements_downloads_both_ban_files(index, catalog):
    facts = facts_from_index(index, "epci:200030435")  # CC d'Aire-sur-l'Adour: Gers and Landes
    assert facts.departements == ("32", "40") and facts.epci == ("200030435",)
    requests = catalog.expand_urls("ban-adresses", facts)
    assert [r.url.rsplit("/", 1)[-1] for r in requests] == ["adresses-32.csv.gz", "adresses-40.csv.gz"]
    assert sorted(requests[0].codes + requests[1].codes) == sorted(facts.communes)
    assert all(code.startswith("32") for code in requests[0].codes)


def test_several_references_and_pass_through_options(index):
    facts = facts_from_index(index, "commune:2A004,commune:97411", millesime="2025-01-01", years=(2024,))
    assert facts.communes == ("2A004", "97411") and facts.departements == ("2A", "974")
    assert facts.millesime == "2025-01-01" and facts.years == (2024,)
