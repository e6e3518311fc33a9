#!/usr/bin/env bash
# Python tools the test suite drives: html5lib (report well-formedness) and moto (a local S3 server).
set -euo pipefail
python3 - <<'PY' 2>/dev/null && exit 0
import html5lib, moto, flask, flask_cors
PY
echo "installing test tools: html5lib moto[server]"
python3 -m pip install --quiet --disable-pip-version-check html5lib 'moto[server]'
