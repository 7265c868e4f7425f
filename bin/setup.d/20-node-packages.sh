# Installs the npm packages of the js-libp2p test peers with `npm ci` and tells the interop tests
# (libp2p, transport-p2p, node) where they are. Sourced by bin/test with `set -euo pipefail`.
#   libp2p/src/test/js                 connection stack, identify, ping, HTTP  -> GOSSIPNET_JS_PEER_DIR
#   libp2p/src/test/js-pubsub          GossipSub and Kademlia                  -> GOSSIPNET_JS_PUBSUB_PEER_DIR
#   transport-p2p/src/test/js-algorand go-algorand's P2P protocol (gossip       -> GOSSIPNET_JS_ALGORAND_PEER_DIR
#                                      stream, TX GossipSub, HTTP) for the transport-p2p and node tests
#   http-services/src/test/js-ui       playwright-core, driving Chromium on the -> GOSSIPNET_JS_UI_DIR
#                                      node's /ui page (UiPageTest; the browser: 30-chromium.sh)
# Also exports REQUIRE_NODE=1: the interop tests then fail, never skip, when Node or the packages
# are missing. A directory whose lockfile has not changed since its last install is skipped.
_gn_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export REQUIRE_NODE=1
export GOSSIPNET_JS_PEER_DIR="$_gn_root/libp2p/src/test/js"
export GOSSIPNET_JS_PUBSUB_PEER_DIR="$_gn_root/libp2p/src/test/js-pubsub"
export GOSSIPNET_JS_ALGORAND_PEER_DIR="$_gn_root/transport-p2p/src/test/js-algorand"
export GOSSIPNET_JS_UI_DIR="$_gn_root/http-services/src/test/js-ui"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node-packages: node and npm are required for the libp2p interop tests (Node >= 20.19)" >&2
  return 1 2>/dev/null || exit 1
fi
_gn_node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$_gn_node_major" -lt 20 ]; then
  echo "node-packages: Node $(node --version) is too old; js-libp2p 3.x needs Node >= 20.19" >&2
  return 1 2>/dev/null || exit 1
fi
for _gn_js in "$GOSSIPNET_JS_PEER_DIR" "$GOSSIPNET_JS_PUBSUB_PEER_DIR" "$GOSSIPNET_JS_ALGORAND_PEER_DIR" "$GOSSIPNET_JS_UI_DIR"; do
  if [ -f "$_gn_js/node_modules/.package-lock.json" ] && cmp -s "$_gn_js/package-lock.json" "$_gn_js/node_modules/.gossipnet-lock"; then
    echo "node-packages: already installed in $_gn_js"
  else
    echo "node-packages: npm ci in $_gn_js"
    (cd "$_gn_js" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$_gn_js/package-lock.json" "$_gn_js/node_modules/.gossipnet-lock"
  fi
done
unset _gn_root _gn_js _gn_node_major
