#!/usr/bin/env bash
# Install what the tests and tools need, only what is missing: Debian packages, then .venv.
# Idempotent; works as root with no standard input (CI) or through sudo for a developer.
# Debian 12 (QGIS 3.22), Debian 13 (QGIS 3.40) and Debian unstable (QGIS 3.44): the PostgreSQL
# version is the one the distribution's `postgresql` package depends on.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
updated=0
apt_update() {
  if ((!updated)); then
    $SUDO apt-get update -q
    updated=1
  fi
}

# the PostgreSQL major version this distribution ships (15 in Debian 12, 17 in 13, 18 in unstable)
postgresql_major() {
  apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n1
}
pg_major=$(postgresql_major)
if [[ -z "$pg_major" ]]; then
  apt_update
  pg_major=$(postgresql_major)
fi
if [[ -z "$pg_major" ]]; then
  echo "Le paquet Debian « postgresql » est introuvable : vérifiez les sources d'apt (/etc/apt/sources.list*)." >&2
  exit 1
fi

APT_PACKAGES=(
  qgis python3-qgis qgis-providers            # QGIS (3.22 LTR on Debian 12, 3.40 LTR on 13, 3.44 on unstable)
  gdal-bin python3-gdal python3-pyproj        # ogr2ogr (bench baseline), CRS facts
  proj-data proj-bin                          # PROJ's grids and database: pyproj in the venv needs them
  xvfb xauth                                  # a real QGIS window, headless
  qttools5-dev-tools pyqt5-dev-tools          # lrelease / pylupdate5 (translations)
  python3-venv make
  python3-jsonschema                          # the catalog schema checked by a real validator in tests
  "postgresql-$pg_major" "postgresql-$pg_major-postgis-3"   # PostGIS output tests (throwaway cluster)
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "Paquets Debian manquants : ${missing[*]}"
  apt_update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

VENV=.venv
STAMP="$VENV/.requirements.sha256"
want=$( (sha256sum requirements-test.txt; /usr/bin/python3 --version) | sha256sum | cut -d' ' -f1)
# a venv made by another Python (the distribution moved on, 3.11 -> 3.13): start again
made_with=$(sed -n 's/^version *= *\([0-9]*\.[0-9]*\).*/\1/p' "$VENV/pyvenv.cfg" 2>/dev/null || true)
running=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ -d "$VENV" && "$made_with" != "$running" ]]; then
  rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt
  echo "$want" > "$STAMP"
fi
"$VENV/bin/python" -c "import qgis.core, pytest, pytest_qgis, pytest_httpserver" \
  || { echo "L'environnement .venv est incomplet : supprimez .venv et relancez make setup." >&2; exit 1; }
# pyproj reads PROJ's database from the distribution (proj-data), not from a copy of its own
"$VENV/bin/python" -c "import pyproj; pyproj.CRS.from_epsg(2154)" \
  || { echo "pyproj ne trouve pas la base de PROJ (proj.db) malgré proj-data : vérifiez que PROJ_DATA (ou PROJ_LIB) n'indique pas un autre dossier, puis relancez make setup." >&2; exit 1; }
