#!/usr/bin/env bash
# Installs whatever Parley needs and is missing; safe to run again (a second run takes seconds).
#   Debian packages · pnpm (project-local) · the workspace's npm packages ·
#   livekit-server built from its Go module · the PocketSphinx streaming shim
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
BIN=$TOOLS/bin
mkdir -p "$BIN"

LIVEKIT_SERVER_VERSION=v1.13.5 # newest release whose go.mod has no replace directives
LIVEKIT_SIP_VERSION=v1.11.0
PNPM_VERSION=10.34.8
APT_PACKAGES=(
  redis-server chromium postgresql
  pocketsphinx pocketsphinx-en-us libpocketsphinx-dev libsphinxbase-dev
  flite sox baresip
  gcc make pkg-config libopus-dev libopusfile-dev libsoxr-dev
)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "Debian packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all ${#APT_PACKAGES[@]} present"
fi

step "Node.js and pnpm"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<11)) { console.error("Node >= 20.11 is required, found "+process.versions.node); process.exit(1) }'
PNPM=$TOOLS/pnpm/node_modules/.bin/pnpm
if [ ! -x "$PNPM" ] || [ "$("$PNPM" --version)" != "$PNPM_VERSION" ]; then
  mkdir -p "$TOOLS/pnpm"
  echo '{"private":true}' > "$TOOLS/pnpm/package.json"
  npm install --prefix "$TOOLS/pnpm" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION"
fi
echo "node $(node --version), pnpm $("$PNPM" --version)"

step "Workspace packages"
# onnxruntime-node's install script would fetch CUDA files from the internet; the CPU build ships in
# the package itself.
export ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip
"$PNPM" install --frozen-lockfile --reporter=append-only

step "livekit-server $LIVEKIT_SERVER_VERSION (go install)"
if [ -x "$BIN/livekit-server" ] && "$BIN/livekit-server" --version 2>/dev/null | grep -q "${LIVEKIT_SERVER_VERSION#v}$"; then
  echo "already built: $BIN/livekit-server"
else
  command -v go >/dev/null || { echo "Go is required to build livekit-server"; exit 1; }
  echo "building from the Go module proxy (first time: a few minutes; package names show progress)"
  gobin=$(mktemp -d)
  GOBIN=$gobin go install -v "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_SERVER_VERSION" 2>&1 \
    | awk '{ n++; printf "  [%4d] %s\n", n, $0; fflush() }'
  mv "$gobin/server" "$BIN/livekit-server"
  rm -rf "$gobin"
fi

step "livekit-sip $LIVEKIT_SIP_VERSION (go install)"
if [ -x "$BIN/livekit-sip" ]; then
  echo "already built: $BIN/livekit-sip"
elif CGO_ENABLED=1 GOBIN=$BIN go install "github.com/livekit/sip/cmd/livekit-sip@$LIVEKIT_SIP_VERSION" 2>"$TOOLS/livekit-sip-build.log"; then
  echo "built: $BIN/livekit-sip"
else
  echo "NOT AVAILABLE — phone calls stay off. go install said:"
  sed 's/^/  /' "$TOOLS/livekit-sip-build.log" | head -5
fi

step "native helpers (PocketSphinx streaming shim, Opus decoder)"
make -s -C agent/native OUT="$BIN"
echo "$BIN/parley-ps-stream $BIN/parley-opus-decode"

echo
echo "bootstrap done in $(( $(date +%s) - started )) s"
