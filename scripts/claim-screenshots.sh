#!/bin/sh
# Regenerates the claim-page screenshots of docs/WALLETS.md (docs/img/claim-*.png): runs the
# claim page's browser test (tests/browser_claim.rs), which drives headless Chromium
# (/usr/bin/chromium) at a 390 x 844 phone size and saves what it checked.
#
#   scripts/claim-screenshots.sh
set -eu
cd "$(dirname "$0")/.."
CLAIM_SCREENSHOTS_DIR="$PWD/docs/img" cargo test --test browser_claim -- --nocapture
ls -l docs/img/claim-*.png
