#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests
# (npx jest -c jest.browser.config.js). playwright-core drives it; no browser is downloaded.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present) at $CHROMIUM"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "chromium: not found at $CHROMIUM; installing it with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo installed) at $CHROMIUM"
  exit 0
fi

cat >&2 <<MSG
chromium: not found at $CHROMIUM, and this script is not running as root, so it cannot install it.
The browser tests drive Debian's Chromium. Install it with:

  sudo apt-get update && sudo apt-get install -y chromium

(or run this script as root: sudo bash scripts/ensure-chromium.sh), then run the tests again.
MSG
exit 1
