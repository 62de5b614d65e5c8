#!/usr/bin/env bash
# Retakes the README's screenshots of the web face (docs/screenshots/*.png):
# the real server on a fresh SQLite database, seeded with a few dogs, in
# headless Chromium (Debian: apt-get install chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -p woofer-tests --bin woofer-screenshots -- docs/screenshots
