#!/usr/bin/env bash
# The web client's browser journeys (Tests/Browser/journeys.py): headless Chromium driven by
# selenium against a real `vigor serve` with the bundled offline plugins.
#
# Installs what is missing (Debian `chromium` and `chromium-driver`, through sudo when not
# root; PyPI `selenium`), builds nothing: it uses the `vigor` and plugin libraries already
# built in SwiftPM's bin path (VIGOR_BIN_DIR to point elsewhere). A browser that is still
# missing after the install is a failure, not a skip. Screenshots: .build/screenshots/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SWIFT=${SWIFT:-swift}
BIN=${VIGOR_BIN_DIR:-$(cd "$ROOT" && "$SWIFT" build --show-bin-path)}
SUDO=""
[ "$(id -u)" = "0" ] || SUDO=sudo

have_browser() {
    { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } &&
        { command -v chromedriver >/dev/null || [ -x /usr/lib/chromium/chromedriver ]; }
}
if ! have_browser; then
    echo "installing chromium and chromium-driver"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi
have_browser || { echo "FAIL: chromium and chromedriver are still missing after the install"; exit 1; }

if ! python3 -c "import selenium" 2>/dev/null; then
    echo "installing selenium"
    python3 -m pip install --quiet selenium || pip install --quiet selenium
fi
python3 -c "import selenium" || { echo "FAIL: the selenium Python package could not be installed"; exit 1; }

[ -x "$BIN/vigor" ] || { echo "FAIL: no vigor in $BIN (run swift build first)"; exit 1; }
exec python3 "$ROOT/Tests/Browser/journeys.py" --bin "$BIN"
