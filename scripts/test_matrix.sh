#!/usr/bin/env bash
# The whole suite (make test) on the QGIS versions users run, each in a Debian root filesystem:
# Debian 13 « trixie » (QGIS 3.40 LTR) and Debian unstable « sid » (QGIS 3.44).
#
# Each root filesystem is made once with debootstrap from Debian's own packages, kept in a cache
# folder outside the clone and reused; it is made again when absent, unfinished or older than
# MATRIX_MAX_AGE_DAYS. The project's files (those git knows, committed or not, and no ignored
# ones) are copied in, with ../shared beside them when present, and `make test` runs inside with
# chroot, so `make setup` is tried there as a new user would. Root is needed (debootstrap, chroot,
# mounts); the script runs in a mount namespace of its own, so its mounts vanish with it even if
# it is killed, and never show on the host.
#
#   scripts/test_matrix.sh [SUITE...]          default: trixie sid
#   MATRIX_CACHE=/var/cache/donnees-territoires/matrix   where the root filesystems live
#   MATRIX_REBUILD=1                          make the root filesystems again
#   MATRIX_MAX_AGE_DAYS=30                    make a root filesystem again when older (0: never)
#   DEBIAN_MIRROR=<url>                       default: the Debian archive the host's apt uses
#   MATRIX_COMMAND='make setup && QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q tests/qgis/test_dock.py'
#                                             run that inside instead of the whole suite
set -euo pipefail
SELF=$(readlink -f "$0")
PROJECT=$(cd "$(dirname "$SELF")/.." && pwd)
SHARED=$(cd "$PROJECT/.." && pwd)/shared
CACHE=${MATRIX_CACHE:-/var/cache/donnees-territoires/matrix}
LOGS="$PROJECT/build/matrix"
MAX_AGE_DAYS=${MATRIX_MAX_AGE_DAYS:-30}
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(trixie sid)
# what the package clients and TLS need inside, as on the host
PASSED_ENV=(CI PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST PIP_DEFAULT_TIMEOUT PIP_CERT PIP_CONFIG_FILE
            SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE CURL_CA_BUNDLE
            http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY)

if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo > /dev/null; then
    echo "make test-matrix doit tourner en root (debootstrap, chroot, montages) : relancez-le en root." >&2
    exit 1
  fi
  keep=$(IFS=,; echo "MATRIX_CACHE,MATRIX_REBUILD,MATRIX_MAX_AGE_DAYS,MATRIX_COMMAND,DEBIAN_MIRROR,${PASSED_ENV[*]}")
  exec sudo --preserve-env="$keep" bash "$SELF" "$@"
fi
if [[ -z "${DT_MATRIX_PRIVATE:-}" ]]; then
  # a private mount namespace: the mounts below are the script's alone, and die with it
  exec env DT_MATRIX_PRIVATE=1 unshare --mount --propagation private bash "$SELF" "$@"
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
    apt-get update -q > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
  fi
}

# -- mounts and processes inside a root filesystem, always undone ---------------------------------
MOUNTED=()
CURRENT_ROOT=""
mount_into() {  # mount_into ROOT
  local root=$1
  mount -t proc proc "$root/proc" && MOUNTED+=("$root/proc") &&
  mount -t sysfs sysfs "$root/sys" && MOUNTED+=("$root/sys") &&
  mount --bind /dev "$root/dev" && MOUNTED+=("$root/dev") &&
  mount --bind /dev/pts "$root/dev/pts" && MOUNTED+=("$root/dev/pts") &&
  mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && MOUNTED+=("$root/dev/shm") &&
  # the tests' temporary files (QGIS profiles, clusters) go with the run instead of piling up
  mount -t tmpfs -o mode=1777 tmp "$root/tmp" && MOUNTED+=("$root/tmp")
}
kill_inside() {  # kill_inside ROOT: the processes whose root is ROOT (a server a test left running)
  local root=$1 pid link found=0
  [[ -n "$root" ]] || return 0
  for pid in /proc/[0-9]*; do
    link=$(readlink "$pid/root" 2>/dev/null) || continue
    if [[ "$link" == "$root" ]]; then
      kill -KILL "${pid#/proc/}" 2>/dev/null && found=1
    fi
  done
  ((found == 0)) || sleep 1
}
unmount_all() {
  local i
  kill_inside "$CURRENT_ROOT"
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}" 2>/dev/null || true
  done
  MOUNTED=()
}
mounted_under() {  # mounted_under DIR: is anything mounted at or below DIR?
  awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 {found = 1} END {exit !found}' /proc/self/mountinfo
}
finish() {
  unmount_all
  # logs readable and removable by the developer who ran it through sudo
  if [[ -n "${SUDO_UID:-}" && -d "$LOGS" ]]; then chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$LOGS" || true; fi
}
trap finish EXIT
trap 'echo "matrice interrompue" >&2; exit 143' INT TERM

# what the host's package clients and TLS need, so installs inside behave as on the host
copy_host_config() {  # copy_host_config ROOT SUITE
  local root=$1 suite=$2 file var
  rm -f "$root/etc/resolv.conf"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  mkdir -p "$root/etc/apt/apt.conf.d" "$root/etc/apt/auth.conf.d" "$root/usr/local/share/ca-certificates"
  for file in /etc/apt/apt.conf.d/* /etc/apt/auth.conf.d/*; do
    [[ -f "$file" ]] || continue
    # the host's own settings (proxy, registry), never over a file a package of the suite installed
    if [[ -e "$root$file" ]] && chroot "$root" dpkg-query -S "$file" > /dev/null 2>&1; then continue; fi
    cp "$file" "$root$file"
  done
  if [[ "$suite" == sid || "$suite" == unstable ]]; then
    # unstable's Release file in a registry can be past its validity window
    echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/80donnees-territoires-unstable"
  fi
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2> /dev/null || true
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$root/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  fi
  # the files the passed environment names must exist at the same place inside
  for var in SSL_CERT_FILE REQUESTS_CA_BUNDLE CURL_CA_BUNDLE PIP_CERT PIP_CONFIG_FILE; do
    file=${!var:-}
    if [[ -n "$file" && -f "$file" ]]; then
      mkdir -p "$root$(dirname "$file")" && cp -L "$file" "$root$file"
    fi
  done
  if [[ -f /etc/pip.conf ]]; then cp /etc/pip.conf "$root/etc/pip.conf"; fi
  if [[ -d /etc/xdg/pip ]]; then mkdir -p "$root/etc/xdg/pip" && cp -r /etc/xdg/pip/. "$root/etc/xdg/pip/"; fi
  if [[ -f "$HOME/.config/pip/pip.conf" ]]; then
    mkdir -p "$root/root/.config/pip" && cp "$HOME/.config/pip/pip.conf" "$root/root/.config/pip/pip.conf"
  fi
}

# -- the root filesystem of one suite --------------------------------------------------------------
rootfs_usable() {  # rootfs_usable ROOT: made, finished, young enough, not to be remade
  local root=$1 stamp=$1/.donnees-territoires-ready
  [[ -f "$stamp" && -z "${MATRIX_REBUILD:-}" ]] || return 1
  ((MAX_AGE_DAYS == 0)) || [[ -z $(find "$stamp" -mtime "+$MAX_AGE_DAYS") ]]
}

ensure_rootfs() {  # ensure_rootfs SUITE ROOT
  local suite=$1 root=$2 mirror dir
  if rootfs_usable "$root"; then
    say "$suite : système de fichiers racine réutilisé ($root)"
    return 0
  fi
  for dir in "$root" "$root.part"; do
    if mounted_under "$dir"; then
      echo "$dir a encore des systèmes de fichiers montés : démontez-les (umount -R $dir) avant de le refaire." >&2
      return 1
    fi
  done
  mirror=$(debian_mirror)
  if [[ -z "$mirror" ]]; then
    apt-get update -q > /dev/null 2>&1 || true  # a machine whose package lists were never fetched
    mirror=$(debian_mirror)
  fi
  if [[ -z "$mirror" ]]; then
    echo "Aucune archive Debian dans la configuration d'apt de cette machine : indiquez-en une avec DEBIAN_MIRROR=<adresse>." >&2
    return 1
  fi
  say "$suite : debootstrap (variante minbase) dans $root"
  rm -rf --one-file-system "$root" "$root.part"
  mkdir -p "$(dirname "$root")"
  if ! debootstrap --variant=minbase --include=ca-certificates,make "$suite" "$root.part" "$mirror" \
      > "$LOGS/$suite-debootstrap.log" 2>&1; then
    tail -n 20 "$LOGS/$suite-debootstrap.log" >&2
    echo "debootstrap de $suite a échoué : vérifiez l'accès à l'archive Debian ($mirror) ou donnez-en une autre avec DEBIAN_MIRROR=<adresse> (détails : $LOGS/$suite-debootstrap.log)." >&2
    rm -rf --one-file-system "$root.part"
    return 1
  fi
  touch "$root.part/.donnees-territoires-ready"
  mv "$root.part" "$root"
}

# the project's files (what git knows, committed or not; nothing ignored) and ../shared, copied in
# afresh; the venv made inside is kept between runs
sync_project() {  # sync_project ROOT
  local root=$1 dest=$1/src/main
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf --one-file-system {} + || return 1
  if git -C "$PROJECT" rev-parse --git-dir > /dev/null 2>&1; then
    git -C "$PROJECT" ls-files -z -co --exclude-standard \
      | (cd "$PROJECT" && tar --null --no-recursion --ignore-failed-read -T - -cf - 2> /dev/null) \
      | tar -C "$dest" -xf - || return 1
  else
    tar -C "$PROJECT" --exclude=./.venv --exclude=./build --exclude=./dist --exclude=./demo \
        --exclude=./tests/artifacts --exclude=__pycache__ -cf - . | tar -C "$dest" -xf - || return 1
  fi
  rm -rf --one-file-system "$root/src/shared"
  if [[ -d "$SHARED" ]]; then
    cp -rL "$SHARED" "$root/src/shared" || return 1
  fi
}

run_suite() {  # run_suite SUITE ROOT -> 0 when the whole suite passed
  local suite=$1 root=$2 status=0 var command
  local envs=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
              DEBIAN_FRONTEND=noninteractive)
  for var in "${PASSED_ENV[@]}"; do
    if [[ -n "${!var:-}" ]]; then envs+=("$var=${!var}"); fi
  done
  # each step checked: a half-copied tree or a missing mount must not pass for a test run
  if ! copy_host_config "$root" "$suite" || ! sync_project "$root"; then
    echo "La copie du projet ou de la configuration dans $root a échoué : vérifiez la place disque (df -h $root)." >&2
    return 90
  fi
  CURRENT_ROOT=$root
  if ! mount_into "$root"; then
    unmount_all
    echo "Les montages dans $root ont échoué (proc, sys, dev, tmp) : lancez la matrice en root, sur Linux." >&2
    return 91
  fi
  # an earlier run stopped in the middle of an install leaves dpkg half-done: finish it first
  chroot "$root" /usr/bin/env -i "${envs[@]}" dpkg --configure -a >> "$LOGS/$suite-debootstrap.log" 2>&1 || true
  # -k: every layer runs even when an earlier one fails, so one run shows everything to fix
  command=${MATRIX_COMMAND:-make -k test}
  say "$suite : $command (journal : build/matrix/$suite.log)"
  # in the background: a signal to this script is handled at once, not after the run
  chroot "$root" /usr/bin/env -i "${envs[@]}" bash -c "cd /src/main && $command" \
    > "$LOGS/$suite.log" 2>&1 < /dev/null &
  wait $! || status=$?
  chroot "$root" /usr/bin/env -i "${envs[@]}" bash -c \
    'echo "QGIS $(dpkg-query -W -f="\${Version}" qgis | cut -d+ -f1), Python $(python3 -c "import platform; print(platform.python_version())"), $(. /etc/os-release; echo "$PRETTY_NAME")"' \
    > "$LOGS/$suite.versions" 2> /dev/null || true
  rm -rf "$LOGS/$suite-artifacts"
  if [[ -d "$root/src/main/tests/artifacts" ]]; then
    cp -r "$root/src/main/tests/artifacts" "$LOGS/$suite-artifacts"
  fi
  unmount_all
  CURRENT_ROOT=""
  return "$status"
}

summary_line() {  # summary_line SUITE STATUS SECONDS
  local suite=$1 status=$2 seconds=$3 counts failed
  # each layer's pytest summary, after the command that started it; a layer that started and wrote
  # no summary was interrupted (an interpreter abort, a crash)
  counts=$(awk '
    function close_layer() { if (layer != "") { printf "%s%s : interrompu", sep, layer; sep = " ; " } }
    /-m pytest .*tests\/unit/ {close_layer(); layer = "unitaires"}
    /-m pytest .*tests\/qgis/ {close_layer(); layer = "QGIS"}
    /-m pytest .*tests\/gui/ {close_layer(); layer = "fenêtre"}
    /^(=+ )?[0-9]+ (passed|failed|error)/ && layer != "" {
      line = $0; gsub(/^=+ | =+$/, "", line); sub(/ in [0-9.]+s.*$/, "", line)
      printf "%s%s : %s", sep, layer, line; sep = " ; "; layer = ""
    }
    END {close_layer()}' "$LOGS/$suite.log")
  # the make targets that failed (lint, setup…), which have no pytest summary
  failed=$(sed -n 's/.*make\[[0-9]*\]: \*\*\* \[Makefile:[0-9]*: \([a-z-]*\)\].*/\1/p; s/^make: \*\*\* \[Makefile:[0-9]*: \([a-z-]*\)\].*/\1/p' \
             "$LOGS/$suite.log" | grep -v '^test$' | sort -u | paste -sd, -)
  printf '%-7s %-58s %-7s %4d s  %s%s\n' "$suite" "$(cat "$LOGS/$suite.versions" 2> /dev/null)" \
    "$([[ $status -eq 0 ]] && echo réussi || echo ÉCHEC)" "$seconds" "${counts:-aucun résumé pytest}" \
    "${failed:+ ; cibles en échec : $failed}"
}

mkdir -p "$LOGS" "$CACHE"
exec 9> "$CACHE/.lock"
if ! flock -n 9; then
  echo "Une autre matrice de tests tourne déjà (verrou $CACHE/.lock) : attendez qu'elle se termine." >&2
  exit 1
fi
ensure_host_tools
revision="arbre sans git"
if git -C "$PROJECT" rev-parse --git-dir > /dev/null 2>&1; then
  revision="commit $(git -C "$PROJECT" rev-parse --short HEAD)"
  if [[ -n $(git -C "$PROJECT" status --porcelain --untracked-files=normal) ]]; then
    revision="$revision, arbre modifié"
  fi
fi
say "projet : $PROJECT ($revision)"
failed=0
summary=()
for suite in "${SUITES[@]}"; do
  start=$SECONDS
  root="$CACHE/$suite"
  status=0
  if ensure_rootfs "$suite" "$root"; then
    run_suite "$suite" "$root" || status=$?
  else
    status=92
    : > "$LOGS/$suite.log"
  fi
  ((status == 0)) || failed=1
  line=$(summary_line "$suite" "$status" $((SECONDS - start)))
  summary+=("$line")
  say "$line"
  if ((status != 0)) && [[ -s "$LOGS/$suite.log" ]]; then
    echo "--- fin du journal de $suite ---"
    tail -n 60 "$LOGS/$suite.log"
  fi
done
echo
echo "Matrice de tests, $revision (détails dans build/matrix/) :"
printf '%s\n' "${summary[@]}"
exit "$failed"
