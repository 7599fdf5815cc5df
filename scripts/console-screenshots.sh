#!/bin/sh
# Regenerates the console screenshots of docs/CONSOLE.md (docs/img/console-*.png): runs the
# console's browser test (tests/browser_console.rs), which drives headless Chromium
# (/usr/bin/chromium) at 1280 x 900 and saves what it checked.
#
#   scripts/console-screenshots.sh
set -eu
cd "$(dirname "$0")/.."
CONSOLE_SCREENSHOTS_DIR="$PWD/docs/img" cargo test --test browser_console -- --nocapture
CONSOLE_SCREENSHOTS_DIR="$PWD/docs/img" cargo test --test browser_console_upload -- --nocapture
ls -l docs/img/console-*.png
