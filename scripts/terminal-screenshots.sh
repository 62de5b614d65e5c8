#!/usr/bin/env bash
# Retakes the README's picture of the terminal app (docs/screenshots/terminal.svg):
# the real `woofer` binary in a pseudo-terminal against the real server on a
# fresh SQLite database seeded with a few dogs, its screen drawn as SVG.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p woofer --bin woofer
cargo run -p woofer --example terminal-screenshots -- docs/screenshots
