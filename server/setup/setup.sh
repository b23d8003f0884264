#!/usr/bin/env bash
# `npm run setup`: makes a fresh Debian/Ubuntu machine ready to run e-Zal, started by any Node.
# Every step checks whether its work is already done, so running it again is fast and harmless.
#   1. Debian packages (when run as root): ffmpeg, Chromium, the mediasoup worker's build deps,
#      the PDF tools the tests check PDF/A with, PostgreSQL 15's, Ceph's, Redis's, haproxy's and
#      coturn's binaries (nothing started).
#   2. npm ci, which also brings Node 24 (the registry's node-linux-<arch> package) into
#      node_modules/.bin, so every npm script runs on Node 24 whatever the system's Node is.
#   3. The mediasoup worker: prebuilt download if the network allows, else an offline build.
#   4. The web app build.   5. The database: migrations and demo data.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

NODE_MAJOR_WANTED=24
APT_PACKAGES=(
  ffmpeg chromium fonts-dejavu-core ca-certificates
  # the tools the specs read the court's PDFs with, as PDF/A (server/src/pdf/pdfa-check.ts)
  qpdf poppler-utils libimage-exiftool-perl libxml2-utils liblcms2-utils
  # mediasoup worker, offline build (media/worker/README.md)
  meson ninja-build pkg-config g++ make python3 patch binutils dpkg-dev
  libuv1-dev libssl-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler
  # the PostgreSQL dialect's tests start private clusters with its binaries (tests/helpers/postgres.ts)
  postgresql-15
  # the object store's tests start a private S3 server: Ceph's RADOS Gateway on a one-node, in-memory
  # Ceph (tests/helpers/object-store.ts). ~61 MB to fetch, ~270 MB installed; no daemon is configured,
  # so none starts.
  ceph-mon ceph-osd radosgw
  # socket.io's adapter and the login limit across nodes (REDIS_URL); the tests start private
  # servers with its binary (tests/helpers/redis.ts). The system-wide one is neither started nor
  # enabled (below).
  redis-server
  # `npm run cluster` puts haproxy in front of the nodes (server/cluster/haproxy.cfg), and the cluster
  # failover test and benchmarks use it. The package's system-wide service is neither started nor
  # enabled (below).
  haproxy
  # TURN over TLS for phones behind networks that let out only TCP 443 (docs/media.md, "TURN setup
  # for a court"; its configuration: server/setup/coturn-config.ts). The tests start a private
  # coturn (tests/helpers/coturn.ts) and put the phone's browser in a network namespace whose
  # firewall is nftables (tests/helpers/phone-network.ts). The system-wide coturn is neither
  # started nor enabled (below).
  coturn nftables
)

step_started=-1
step() {
  if [ "$step_started" -ge 0 ]; then printf '    (%ss)\n' "$((SECONDS - step_started))"; fi
  step_started=$SECONDS
  printf '\n==> %s\n' "$*"
}
fail() {
  printf '\nsetup failed: %s\n' "$*" >&2
  exit 1
}
hash_of() { # a stable hash of files and folders' contents
  find "$@" -type f -not -path '*/node_modules/*' -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}

# 1. Debian packages -----------------------------------------------------------------------------
step "Debian packages"
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "all present"
elif [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # postgresql-common would create and start a system-wide cluster ("main" on port 5432); e-Zal
  # needs only the binaries, so that is switched off before the install (createcluster.conf
  # reads createcluster.d last).
  no_main_cluster=/etc/postgresql-common/createcluster.d/ezal-no-main-cluster.conf
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]] && [ ! -e "$no_main_cluster" ]; then
    mkdir -p "$(dirname "$no_main_cluster")"
    echo 'create_main_cluster = false' > "$no_main_cluster"
  fi
  # redis-server's package would start a system-wide Redis on port 6379, haproxy's a system-wide
  # haproxy, and enable them at boot. A policy-rc.d that refuses every start (exit 101) holds for
  # the install, unless one exists already; the services are disabled after it.
  policy=/usr/sbin/policy-rc.d
  our_policy=false
  if [[ " ${missing[*]} " == *" redis-server "* || " ${missing[*]} " == *" haproxy "* || " ${missing[*]} " == *" coturn "* ]] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && our_policy=true
  fi
  apt_log="$(mktemp)"
  apt_ok=true
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1 || apt_ok=false
  if $our_policy; then rm -f "$policy"; fi
  if ! $apt_ok; then
    cat "$apt_log" >&2
    fail "apt-get could not install: ${missing[*]}"
  fi
  rm -f "$apt_log"
  for service in redis-server haproxy coturn; do
    if [[ " ${missing[*]} " == *" $service "* ]]; then
      if [ -d /run/systemd/system ]; then systemctl disable --now "$service.service" >/dev/null 2>&1 || true
      else update-rc.d "$service" disable >/dev/null 2>&1 || true; fi
    fi
  done
else
  echo "missing (run setup as root, or install them): ${missing[*]}" >&2
fi
# The worker's libsrtp is built from Debian's source package (media/worker/libsrtp.ts): apt needs
# deb-src entries for the configured Debian mirror. Enabled in debian.sources when there are none.
deb_sources=/etc/apt/sources.list.d/debian.sources
if [ "$(id -u)" -eq 0 ] && [ -f "$deb_sources" ] && ! apt-cache showsrc libsrtp2 2>/dev/null | grep -q '^Package: libsrtp2'; then
  sed -i 's/^Types: deb$/Types: deb deb-src/' "$deb_sources"
  apt-get update -qq && echo "deb-src enabled in $deb_sources"
fi

# 2. Node 24 and npm packages ---------------------------------------------------------------------
step "npm packages and Node $NODE_MAJOR_WANTED"
command -v npm >/dev/null || fail "npm is not installed (install Node.js with npm from Debian or nodejs.org)"
stamp_file=node_modules/.ezal-setup-stamp
wanted_stamp="$(sha256sum package-lock.json | cut -c1-16)"
if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$wanted_stamp" ]; then
  echo "node_modules is up to date"
else
  # mediasoup's own postinstall would download a worker binary, or build one with pip and
  # meson fetching sources from the internet; we provide the worker in step 3 instead.
  MEDIASOUP_WORKER_BIN=provided-by-ezal-setup npm ci --no-audit --no-fund
  echo "$wanted_stamp" > "$stamp_file"
fi

NODE_BIN=""
for candidate in node_modules/node-linux-*/bin/node; do
  [ -x "$candidate" ] && NODE_BIN="$ROOT/$candidate" && break
done
if [ -z "$NODE_BIN" ]; then
  # No registry build of Node for this machine's architecture: the system's must do.
  NODE_BIN="$(command -v node)"
fi
node_major="$("$NODE_BIN" -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 22 ] || fail "Node $node_major found; e-Zal needs Node >= 22.12 (24 recommended)"
export PATH="$(dirname "$NODE_BIN"):$ROOT/node_modules/.bin:$PATH"
# Any native addon built from here on is built against this Node's headers, not the system's.
export npm_config_nodedir="$(dirname "$(dirname "$NODE_BIN")")"
echo "using Node $("$NODE_BIN" --version) at $NODE_BIN"
# The native addons ship N-API builds; prove they load in the Node that will run them.
"$NODE_BIN" -e "require('better-sqlite3'); require('@node-rs/argon2')" || fail "native addons do not load in Node $("$NODE_BIN" --version)"

# 3. mediasoup worker -------------------------------------------------------------------------------
step "mediasoup worker"
"$NODE_BIN" media/worker/build.ts

# 4. Web app ----------------------------------------------------------------------------------------
step "web app"
web_stamp_file=apps/web/build/.ezal-build-stamp
web_stamp="$(hash_of apps/web/src apps/web/static apps/web/vite.config.ts svelte.config.js package-lock.json)"
if [ -f "$web_stamp_file" ] && [ "$(cat "$web_stamp_file")" = "$web_stamp" ]; then
  echo "apps/web/build is up to date"
else
  npm run --silent build:web
  echo "$web_stamp" > "$web_stamp_file"
fi

# 5. Database ---------------------------------------------------------------------------------------
step "database"
"$NODE_BIN" db/setup.ts

step "done"
echo "e-Zal is ready. Start it with: npm start   (then open http://localhost:${PORT:-3000})"
