#!/usr/bin/env bash
# Installs whatever Parley needs and is missing; safe to run again (a second run takes seconds).
#   Debian packages · pnpm (project-local) · the workspace's npm packages ·
#   livekit-server built from its Go module · livekit-sip built from its pinned upstream sources ·
#   the PocketSphinx streaming shim
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
  flite festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k sox baresip
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

step "livekit-sip $LIVEKIT_SIP_VERSION (built from source)"
# The Go module proxy reachable here refuses github.com/livekit/sip and the media-sdk/protocol versions
# it pins, so the exact upstream sources come as archives in ../shared/third_party/livekit-sip/
# (sha256-checked below). Where the proxy serves the module, `go install` builds the same program.
SIP_ARCHIVES=${PARLEY_THIRD_PARTY:-$ROOT/../shared/third_party}/livekit-sip
SIP_SUMS="be5c0056d150efe310ab33333187fa71b9e2f6240e196d857a9c2ba127323bf3  livekit-sip-v1.11.0.tar.gz
f62e330b3517cb52c9b338698b52dfeb3713b5ccab747f7805daea353ed696c5  livekit-media-sdk-5a5218b19550.tar.gz
d45db238ccc2a993eb73ec0f673c01d65e1c4a3fc26f176d10d93fb89b857216  livekit-protocol-cae1efd79202.tar.gz"
SIP_STAMP="$LIVEKIT_SIP_VERSION $(echo "$SIP_SUMS" | sha256sum | cut -c1-16)"
if [ -x "$BIN/livekit-sip" ] && [ "$(cat "$BIN/livekit-sip.stamp" 2>/dev/null)" = "$SIP_STAMP" ]; then
  echo "already built: $BIN/livekit-sip"
else
  command -v go >/dev/null || { echo "Go is required to build livekit-sip"; exit 1; }
  progress() { awk '{ n++; printf "  [%4d] %s\n", n, $0; fflush() }'; }
  if [ -d "$SIP_ARCHIVES" ]; then
    echo "from $SIP_ARCHIVES (first time: about 2 minutes; package names show progress)"
    (cd "$SIP_ARCHIVES" && echo "$SIP_SUMS" | sha256sum --check --quiet) \
      || { echo "livekit-sip archives do not match their pinned sha256"; exit 1; }
    src=$TOOLS/src/livekit-sip-$LIVEKIT_SIP_VERSION
    rm -rf "$src" && mkdir -p "$src"
    for a in "$SIP_ARCHIVES"/*.tar.gz; do tar -xzf "$a" -C "$src"; done
    (cd "$src/sip" \
      && go mod edit -replace github.com/livekit/media-sdk=../media-sdk \
                     -replace github.com/livekit/protocol=../protocol \
      && CGO_ENABLED=1 go build -v -o "$BIN/livekit-sip.new" ./cmd/livekit-sip 2>&1 | progress)
    [ -x "$BIN/livekit-sip.new" ] || { echo "livekit-sip build failed"; exit 1; }
    mv "$BIN/livekit-sip.new" "$BIN/livekit-sip"
    rm -rf "$src"
  else
    echo "no archives at $SIP_ARCHIVES: go install from the module proxy"
    CGO_ENABLED=1 GOBIN=$BIN go install -v "github.com/livekit/sip/cmd/livekit-sip@$LIVEKIT_SIP_VERSION" 2>&1 | progress || true
    [ -x "$BIN/livekit-sip" ] || {
      echo "livekit-sip build failed: where the module proxy refuses it, set PARLEY_THIRD_PARTY to the"
      echo "folder holding livekit-sip/ (the pinned source archives; ../shared/third_party by default)"
      exit 1
    }
  fi
  echo "$SIP_STAMP" > "$BIN/livekit-sip.stamp"
  echo "built: $BIN/livekit-sip"
fi

step "native helpers (PocketSphinx streaming shim, Opus decoder)"
make -s -C agent/native OUT="$BIN"
echo "$BIN/parley-ps-stream $BIN/parley-opus-decode"

echo
echo "bootstrap done in $(( $(date +%s) - started )) s"
