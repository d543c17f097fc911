#!/usr/bin/env bash
# Install what the tests and tools need, only what is missing: Debian packages, then .venv.
# Idempotent; works as root with no standard input (CI) or through sudo for a developer.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  qgis python3-qgis qgis-providers            # QGIS 3.22 LTR and its Python bindings
  gdal-bin python3-gdal python3-pyproj        # ogr2ogr (bench baseline), CRS facts
  xvfb xauth                                  # a real QGIS window, headless
  qttools5-dev-tools pyqt5-dev-tools          # lrelease / pylupdate5 (translations)
  python3-venv
  postgresql-15 postgresql-15-postgis-3       # PostGIS output tests (throwaway cluster)
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [[ "$pkg" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "Paquets Debian manquants : ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

VENV=.venv
STAMP="$VENV/.requirements.sha256"
want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
if [[ ! -x "$VENV/bin/python" ]]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt
  echo "$want" > "$STAMP"
fi
"$VENV/bin/python" -c "import qgis.core, pytest, pytest_qgis, pytest_httpserver" \
  || { echo "L'environnement .venv est incomplet : supprimez .venv et relancez make setup." >&2; exit 1; }
