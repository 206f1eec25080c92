#!/usr/bin/env bash
# Installs the Debian packages Apertura's demo and tests need: Chromium (rendering, report screenshots),
# PostgreSQL binaries (the suite starts a throwaway server), Redis, Poppler's pdftotext (the text of PDFs,
# crawler/extract_documents.py), Tesseract with its Spanish data (OCR of scanned PDFs, crawler/ocr.py), nginx, wrk
# and wget (benchmarks), and php-cli (the evaluation set of real sites serves its PHP sites with php -S). As root it
# installs what is missing; otherwise it prints the exact command and carries on.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/spa.traineddata >/dev/null 2>&1 || missing+=(tesseract-ocr-spa)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # benchmarks: serves the generated web
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v wget >/dev/null 2>&1 || missing+=(wget)
command -v php >/dev/null 2>&1 || missing+=(php-cli)  # evaluation set: serves the PHP municipal sites (php -S)
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "Instalando paquetes del sistema: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $command >/dev/null
else
  echo "Faltan paquetes del sistema: ${missing[*]}. Instálelos con:"
  echo "  sudo $command"
fi
