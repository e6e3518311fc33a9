#!/usr/bin/env bash
# Installs what the build, the embedded database and the tests need, only when missing: a fresh Debian machine with
# Swift and nothing else is enough to run `make run` and `make test`.
set -euo pipefail

packages=(libpq-dev libcurl4-openssl-dev zlib1g-dev postgresql pkg-config)
[[ "${1:-}" == "--bench" ]] && packages+=(wrk)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exit 0
