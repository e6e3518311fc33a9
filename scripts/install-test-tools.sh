#!/usr/bin/env bash
# Python tools the test suite drives, installed here and nowhere else (no test installs anything): html5lib (report
# well-formedness), moto with its server extras (a local S3 server), jsonschema with referencing and PyYAML (responses
# checked against openapi.yaml by scripts/openapi-check.py), openapi-spec-validator (openapi.yaml itself) and
# schemathesis (SchemathesisTests: a bounded property-based run of every operation against the real server), pinned so
# that its checks and its generated cases do not change under the tests.
set -euo pipefail
# Debian's chromium renders the item plot to a picture (ItemPlotTests); it is not a Python tool, so it comes first.
if ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    echo "installing test tool: chromium"
    $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
        || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
python3 - <<'PY' 2>/dev/null && exit 0
import html5lib, moto, moto.server, flask, flask_cors, jsonschema, referencing, yaml, openapi_spec_validator
from importlib.metadata import version
assert version("schemathesis") == "4.32.5"
PY
tools=(html5lib 'moto[server]' jsonschema referencing pyyaml openapi-spec-validator 'schemathesis==4.32.5')
echo "installing test tools: ${tools[*]}"
# A Debian system Python refuses user installs (PEP 668); the tools are only for the tests, so allow them there.
python3 -m pip install --quiet --disable-pip-version-check "${tools[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${tools[@]}"
