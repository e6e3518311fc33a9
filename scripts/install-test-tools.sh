#!/usr/bin/env bash
# Python tools the test suite drives: html5lib (report well-formedness), moto (a local S3 server), and jsonschema
# with PyYAML (responses checked against openapi.yaml).
set -euo pipefail
python3 - <<'PY' 2>/dev/null && exit 0
import html5lib, moto, flask, flask_cors, jsonschema, referencing, yaml
PY
echo "installing test tools: html5lib moto[server] jsonschema pyyaml"
tools=(html5lib 'moto[server]' jsonschema pyyaml)
# A Debian system Python refuses user installs (PEP 668); the tools are only for the tests, so allow them there.
python3 -m pip install --quiet --disable-pip-version-check "${tools[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${tools[@]}"
