#!/usr/bin/env bash
# What scripts/render_fixtures.py needs, and nothing else needs: the tests read the committed
# files in tests/fixtures/published/ and use none of this. A real office suite (LibreOffice,
# headless) renders the workbooks and PDFs; a CJK font so the PDFs carry Chinese glyphs;
# poppler-utils to check the PDFs and rasterise a page for the scanned sample; img2pdf to wrap
# that image back into a PDF without a text layer; qpdf to encrypt a PDF.
# Safe to run repeatedly: apt is touched only when something is missing.
set -euo pipefail

PACKAGES=(libreoffice-calc-nogui libreoffice-writer-nogui fonts-wqy-zenhei poppler-utils qpdf img2pdf)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-fixture-tools: missing ${missing[*]}; run this script as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Another apt run on this machine may hold the lock for a while; wait for it, don't fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# msoffcrypto-tool encrypts password.xlsx; pdfplumber reads the rendered PDFs' cells back to
# check them. Neither is a project dependency, so they live in a throwaway venv of their own
# (where render_fixtures.py looks for them), pinned.
VENV="${TMPDIR:-/tmp}/perfdw-fixture-tools"
if [ ! -x "$VENV/bin/msoffcrypto-tool" ] || ! "$VENV/bin/python" -c "import pdfplumber" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet msoffcrypto-tool==6.1.0 pdfplumber==0.11.9
fi
