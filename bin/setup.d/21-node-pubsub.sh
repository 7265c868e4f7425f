# Installs the js-libp2p GossipSub / Kademlia test peer's npm packages (libp2p/src/test/js-pubsub)
# with `npm ci` and tells the pubsub and kad interop tests where it is. Sourced by bin/test with
# `set -euo pipefail`.
# Exports: GOSSIPNET_JS_PUBSUB_PEER_DIR (the js peer), REQUIRE_NODE=1 (interop tests fail, never
# skip, when Node or the packages are missing).
_gn_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_gn_jsps="$_gn_root/libp2p/src/test/js-pubsub"
export REQUIRE_NODE=1
export GOSSIPNET_JS_PUBSUB_PEER_DIR="$_gn_jsps"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "21-node-pubsub: node and npm are required for the pubsub/kad interop tests (Node >= 20.19)" >&2
  return 1 2>/dev/null || exit 1
fi
_gn_node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$_gn_node_major" -lt 20 ]; then
  echo "21-node-pubsub: Node $(node --version) is too old; js-libp2p 3.x needs Node >= 20.19" >&2
  return 1 2>/dev/null || exit 1
fi
if [ -f "$_gn_jsps/node_modules/.package-lock.json" ] && cmp -s "$_gn_jsps/package-lock.json" "$_gn_jsps/node_modules/.gossipnet-lock"; then
  echo "21-node-pubsub: js pubsub peer packages already installed in $_gn_jsps"
else
  echo "21-node-pubsub: npm ci in $_gn_jsps"
  (cd "$_gn_jsps" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$_gn_jsps/package-lock.json" "$_gn_jsps/node_modules/.gossipnet-lock"
fi
unset _gn_root _gn_jsps _gn_node_major
