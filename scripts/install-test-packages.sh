#!/usr/bin/env bash
# System packages only the tests need (`make test`; `make run` needs none): Debian's Chromium for
# the browser tests (Playwright's own browser download can't work here) and a CJK font, without
# which Chinese renders as empty boxes in their screenshots. Safe to run repeatedly: apt is
# touched only when something is missing.
set -euo pipefail

PACKAGES=(chromium fonts-wqy-zenhei)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-packages: the tests need ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
