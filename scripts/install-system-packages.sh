#!/usr/bin/env bash
# Debian packages Certify needs: pango for WeasyPrint, fonts with Cyrillic, poppler for PDF checks,
# chromium for the browser tests. Installs only what is missing.
set -euo pipefail
needed=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation2 poppler-utils chromium)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
