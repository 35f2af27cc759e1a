#!/usr/bin/env bash
# Debian packages Certify needs beyond make, python3 and python3-venv (the README's prerequisites):
#   pango (with HarfBuzz's subsetter, which WeasyPrint warns about when missing) to render PDFs;
#   DejaVu (the certificate's typeface, including the oblique of fonts-dejavu-extra) and Liberation, with
#   Cyrillic; poppler-utils (pdftotext, pdffonts, pdfinfo, pdfdetach, pdftoppm), with which the tests read
#   PDFs; chromium for the browser tests, and libatomic1, which Playwright's bundled node needs to drive it;
#   node and npm (unless the machine has them already) to install axe-core for the accessibility check.
# Installs only what is missing.
set -euo pipefail
needed=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation2
  poppler-utils chromium libatomic1
)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
