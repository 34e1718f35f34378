#!/usr/bin/env bash
# Install the Debian 12 packages srdi-report needs, only those missing.
# Run as root (or with sudo available).  Idempotent and quiet when nothing is missing.
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config          # compiler and build system
  clang libclang-rt-14-dev lld              # tests: the clang ASan/UBSan + libFuzzer tree; lld links faster
  libcsv-dev                                 # ingest: RFC 4180 streaming CSV parser
  libzip-dev libexpat1-dev                   # ingest: .xlsx inputs (zip container, streaming XML)
  libhpdf-dev                                # report PDF (libharu)
  libcairo2-dev                              # figure files PNG/SVG/PDF
  zlib1g-dev                                 # figure files: the PNG writer's deflate
  libxlsxwriter-dev                          # Excel workbooks
  libfreetype-dev                            # font metrics
  libunibreak-dev                            # UAX #14 line breaking
  libcmark-gfm-dev libcmark-gfm-extensions-dev  # Markdown templates (tables, footnotes)
  libinih-dev                                # params.ini
  libjansson-dev                             # tables.json
  fonts-wqy-zenhei fonts-arphic-uming        # CJK fonts (sans / serif)
  fonts-liberation2 fonts-dejavu-core        # Latin companions for digits and letters
  python3 python3-openpyxl                   # tests: independent table check, workbook read-back
  poppler-utils qpdf libxml2-utils time      # tests: pdftotext/pdffonts, qpdf --check, xmllint, peak RSS
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
