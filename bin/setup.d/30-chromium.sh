# Installs Debian's chromium (the headless browser of UiPageTest, driven by playwright-core from
# http-services/src/test/js-ui; a browser download by Playwright does not work here) and tells the
# test where it is. Sourced by bin/test with `set -euo pipefail`. Exports REQUIRE_BROWSER=1: the
# browser test then fails, never skips, without it.
export REQUIRE_BROWSER=1
if [ -z "${GOSSIPNET_CHROMIUM:-}" ]; then
  for _gn_c in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$_gn_c" ]; then GOSSIPNET_CHROMIUM=$_gn_c; break; fi
  done
fi
if [ -z "${GOSSIPNET_CHROMIUM:-}" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not found; install Debian's chromium (apt-get install chromium) or set GOSSIPNET_CHROMIUM" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "chromium: apt-get install chromium (once)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/gossipnet-apt-chromium.log 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/tmp/gossipnet-apt-chromium.log 2>&1; } \
    || { echo "chromium: apt-get install failed; see /tmp/gossipnet-apt-chromium.log" >&2; return 1 2>/dev/null || exit 1; }
  GOSSIPNET_CHROMIUM=/usr/bin/chromium
fi
export GOSSIPNET_CHROMIUM
echo "chromium: $("$GOSSIPNET_CHROMIUM" --version 2>/dev/null || echo "$GOSSIPNET_CHROMIUM")"
unset _gn_c
