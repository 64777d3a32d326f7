#!/usr/bin/env bash
# Rebuilds the committed stylesheet and GOV.UK Frontend assets from the npm registry.
# Only needed when frontend/ changes or GOV.UK Frontend is upgraded; running the product never needs Node.js.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund --ignore-scripts
npm run build
