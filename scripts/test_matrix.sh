#!/usr/bin/env bash
# The whole suite (make test) on the QGIS versions users run, each in a Debian root filesystem:
# Debian 13 « trixie » (QGIS 3.40 LTR) and Debian unstable « sid » (QGIS 3.44).
#
# Each root filesystem is made once with debootstrap from Debian's own packages, kept in a cache
# folder outside the clone and reused; it is made again when absent or incomplete. The project is
# copied in (with ../shared beside it when present) and `make test` runs inside with chroot, so
# `make setup` is tried there as a new user would. Root is needed (debootstrap, chroot, mounts).
#
#   scripts/test_matrix.sh [SUITE...]          default: trixie sid
#   MATRIX_CACHE=/var/cache/donnees-territoires/matrix   where the root filesystems live
#   MATRIX_REBUILD=1                          make the root filesystems again
#   DEBIAN_MIRROR=<url>                       default: the Debian archive the host's apt uses
#   MATRIX_COMMAND='make setup && .venv/bin/python -m pytest -q tests/qgis/test_dock.py'
#                                             run that inside instead of the whole suite
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$(pwd)
SHARED=$(cd .. && pwd)/shared
CACHE=${MATRIX_CACHE:-/var/cache/donnees-territoires/matrix}
LOGS="$PROJECT/build/matrix"
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(trixie sid)

if [[ $(id -u) -ne 0 ]]; then
  exec sudo --preserve-env=MATRIX_CACHE,MATRIX_REBUILD,MATRIX_COMMAND,DEBIAN_MIRROR,CI "$0" "$@"
fi

say() { printf '%s %s\n' "[matrice $(date +%H:%M:%S)]" "$*"; }

# -- where Debian's packages come from: what the host's apt already uses ---------------------------
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  # the main archive (Origin and Label « Debian »), not -security nor -updates
  apt-get indextargets --format '$(ORIGIN)|$(LABEL)|$(RELEASE)|$(REPO_URI)' 2>/dev/null \
    | awk -F'|' '$1 == "Debian" && $2 == "Debian" && $3 !~ /-/ {print $4; exit}'
}

ensure_host_tools() {
  local missing=()
  for pkg in debootstrap debian-archive-keyring; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    say "installation de ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# -- mounts, made and always undone ----------------------------------------------------------------
MOUNTED=()
mount_into() {  # mount_into ROOT
  local root=$1
  mount -t proc proc "$root/proc"; MOUNTED+=("$root/proc")
  mount -t sysfs sysfs "$root/sys"; MOUNTED+=("$root/sys")
  mount --bind /dev "$root/dev"; MOUNTED+=("$root/dev")
  mount --bind /dev/pts "$root/dev/pts"; MOUNTED+=("$root/dev/pts")
  mount -t tmpfs -o mode=1777 shm "$root/dev/shm"; MOUNTED+=("$root/dev/shm")
}
unmount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}" 2>/dev/null || true
  done
  MOUNTED=()
}
trap unmount_all EXIT
trap 'unmount_all; exit 130' INT TERM

# what the host's package clients and TLS need, so installs inside behave as on the host
copy_host_config() {  # copy_host_config ROOT SUITE
  local root=$1 suite=$2 file
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  mkdir -p "$root/etc/apt/apt.conf.d" "$root/etc/apt/auth.conf.d" "$root/usr/local/share/ca-certificates"
  for file in /etc/apt/apt.conf.d/* /etc/apt/auth.conf.d/*; do
    [[ -f "$file" ]] && cp "$file" "$root$file"
  done
  if [[ "$suite" == sid || "$suite" == unstable ]]; then
    # unstable's Release file in a registry can be past its validity window
    echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/80donnees-territoires-unstable"
  fi
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$root/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  fi
  [[ -f /etc/pip.conf ]] && cp /etc/pip.conf "$root/etc/pip.conf"
  if [[ -d /etc/xdg/pip ]]; then
    mkdir -p "$root/etc/xdg/pip" && cp -r /etc/xdg/pip/. "$root/etc/xdg/pip/"
  fi
  true
}

# -- the root filesystem of one suite --------------------------------------------------------------
ensure_rootfs() {  # ensure_rootfs SUITE ROOT
  local suite=$1 root=$2 mirror
  if [[ -f "$root/.donnees-territoires-ready" && -z "${MATRIX_REBUILD:-}" ]]; then
    say "$suite : système de fichiers racine réutilisé ($root)"
    return
  fi
  mirror=$(debian_mirror)
  if [[ -z "$mirror" ]]; then
    echo "Aucune archive Debian dans la configuration d'apt de cette machine : indiquez-en une avec DEBIAN_MIRROR=<adresse>." >&2
    exit 1
  fi
  say "$suite : debootstrap (variante minbase) dans $root"
  rm -rf "$root" "$root.part"
  mkdir -p "$(dirname "$root")"
  if ! debootstrap --variant=minbase --include=ca-certificates,make "$suite" "$root.part" "$mirror" \
      > "$LOGS/$suite-debootstrap.log" 2>&1; then
    tail -n 20 "$LOGS/$suite-debootstrap.log" >&2
    echo "debootstrap de $suite a échoué (détails : $LOGS/$suite-debootstrap.log)." >&2
    exit 1
  fi
  touch "$root.part/.donnees-territoires-ready"
  mv "$root.part" "$root"
}

# the project and ../shared, copied in afresh (the venv made inside is kept between runs)
sync_project() {  # sync_project ROOT
  local root=$1 dest=$1/src/main
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
  tar -C "$PROJECT" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist --exclude=./demo \
      --exclude=./tests/artifacts --exclude=__pycache__ --exclude=.pytest_cache --exclude=.ruff_cache -cf - . \
    | tar -C "$dest" -xf -
  rm -rf "$root/src/shared"
  if [[ -d "$SHARED" ]]; then
    cp -rL "$SHARED" "$root/src/shared"
  fi
}

run_suite() {  # run_suite SUITE ROOT -> 0 when the whole suite passed
  local suite=$1 root=$2 status=0 var
  local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
              DEBIAN_FRONTEND=noninteractive)
  for var in CI PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_DEFAULT_TIMEOUT PIP_CERT \
             SSL_CERT_FILE REQUESTS_CA_BUNDLE http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [[ -n "${!var:-}" ]] && envs+=("$var=${!var}")
  done
  copy_host_config "$root" "$suite"
  sync_project "$root"
  mount_into "$root"
  # an earlier run stopped in the middle of an install leaves dpkg half-done: finish it first
  chroot "$root" /usr/bin/env -i "${envs[@]}" dpkg --configure -a >> "$LOGS/$suite-debootstrap.log" 2>&1 || true
  # -k: every layer runs even when an earlier one fails, so one run shows everything to fix
  local command=${MATRIX_COMMAND:-make -k test}
  say "$suite : $command (journal : build/matrix/$suite.log)"
  chroot "$root" /usr/bin/env -i "${envs[@]}" bash -c "cd /src/main && $command" \
    > "$LOGS/$suite.log" 2>&1 < /dev/null || status=$?
  chroot "$root" /usr/bin/env -i "${envs[@]}" bash -c \
    'echo "QGIS $(dpkg-query -W -f="\${Version}" qgis | cut -d+ -f1), Python $(python3 -c "import platform; print(platform.python_version())"), $(. /etc/os-release; echo "$PRETTY_NAME")"' \
    > "$LOGS/$suite.versions" 2>/dev/null || true
  rm -rf "$LOGS/$suite-artifacts"
  if [[ -d "$root/src/main/tests/artifacts" ]]; then
    cp -r "$root/src/main/tests/artifacts" "$LOGS/$suite-artifacts"
  fi
  unmount_all
  return "$status"
}

summary_line() {  # summary_line SUITE STATUS SECONDS
  local suite=$1 status=$2 seconds=$3 counts
  # each layer's pytest summary, after the command that started it (a layer that aborted has none)
  counts=$(awk '
    /-m pytest .*tests\/unit/ {layer = "unitaires"}
    /-m pytest .*tests\/qgis/ {layer = "QGIS"}
    /-m pytest .*tests\/gui/ {layer = "fenêtre"}
    /^(=+ )?[0-9]+ (passed|failed|error)/ && layer != "" {
      line = $0; gsub(/^=+ | =+$/, "", line); sub(/ in [0-9.]+s.*$/, "", line)
      printf "%s%s : %s", sep, layer, line; sep = " ; "; layer = ""
    }' "$LOGS/$suite.log")
  printf '%-7s %-58s %-7s %4d s  %s\n' "$suite" "$(cat "$LOGS/$suite.versions" 2>/dev/null)" \
    "$([[ $status -eq 0 ]] && echo réussi || echo ÉCHEC)" "$seconds" "${counts:-aucun résumé pytest}"
}

mkdir -p "$LOGS" "$CACHE"
ensure_host_tools
failed=0
summary=()
for suite in "${SUITES[@]}"; do
  start=$SECONDS
  root="$CACHE/$suite"
  ensure_rootfs "$suite" "$root"
  status=0
  run_suite "$suite" "$root" || status=$?
  ((status == 0)) || failed=1
  line=$(summary_line "$suite" "$status" $((SECONDS - start)))
  summary+=("$line")
  say "$line"
  if ((status != 0)); then
    echo "--- fin du journal de $suite ---"
    tail -n 60 "$LOGS/$suite.log"
  fi
done
echo
echo "Matrice de tests (détails dans build/matrix/) :"
printf '%s\n' "${summary[@]}"
exit "$failed"
