# Sourced by scripts/test: makes sure the browser tests have Debian's headless Chromium and its
# WebDriver (chromium, chromium-driver), installing them when missing and allowed to. Without
# them, and without LEDGER_SKIP_BROWSER=1, the tests cannot run: say what to install and stop.

ensure_chromium() {
    local chromium="${LEDGER_CHROMIUM:-/usr/bin/chromium}"
    local driver="${LEDGER_CHROMEDRIVER:-/usr/bin/chromedriver}"
    if [[ "${LEDGER_SKIP_BROWSER:-}" == "1" ]]; then
        echo "scripts/test: LEDGER_SKIP_BROWSER=1, browser tests will be skipped" >&2
        return 0
    fi
    if [[ -x "$chromium" && -x "$driver" ]]; then
        return 0
    fi
    local sudo=""
    if [[ "$(id -u)" != "0" ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    fi
    if command -v apt-get >/dev/null && [[ "$(id -u)" == "0" || -n "$sudo" ]]; then
        echo "scripts/test: installing chromium and chromium-driver for the browser tests" >&2
        $sudo apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
    if [[ ! -x "$chromium" || ! -x "$driver" ]]; then
        echo "scripts/test: the browser tests need Chromium and its WebDriver at $chromium and $driver:" >&2
        echo "  apt-get install chromium chromium-driver   (as root), or LEDGER_SKIP_BROWSER=1 to skip them" >&2
        return 1
    fi
}
