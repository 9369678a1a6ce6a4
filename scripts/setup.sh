#!/usr/bin/env bash
# Sets up docq on a fresh Debian machine: system packages (when missing), npm packages, build.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server: the queue; tesseract + chi_sim: the Simplified Chinese traineddata docq loads, the CLI that
# reads the page prose (and the reference in bench/ocr); poppler-utils: pdftoppm renders born-digital pages for the review
# page (api/poppler-render.ts), pdftotext/pdfimages for benchmarks; docker-compose: validates
# docker-compose.yml without an engine; fonts-noto-cjk: CJK glyphs for test fixtures drawn in code;
# qpdf: encrypted-PDF fixtures in the queue tests; pdftotext also probes whether a PDF is a scan;
# chromium: the browser the review-page tests drive through playwright-core (no browser download); it and the
# arphic, wqy and liberation fonts also print the reports of bench/scan-matrix.ts.
DEBIAN_PACKAGES=(redis-server tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim poppler-utils qpdf docker-compose fonts-noto-cjk
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-wqy-microhei fonts-liberation chromium)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm install (not npm ci: this npm rejects the lockfile over optional platform packages it cannot list)
# follows package-lock.json and honours package.json "allowScripts" (native builds of better-sqlite3, sharp, msgpackr).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm install --no-audit --no-fund --loglevel=error
fi

echo "setup: building" >&2
npm run -s build
echo "setup: done" >&2
