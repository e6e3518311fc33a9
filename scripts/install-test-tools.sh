#!/usr/bin/env bash
# Python tools the test suite drives, installed here and nowhere else (no test installs anything): html5lib (report
# well-formedness), moto with its server extras (a local S3 server), jsonschema with referencing and PyYAML (responses
# checked against openapi.yaml by scripts/openapi-check.py), openapi-spec-validator (openapi.yaml itself) and
# schemathesis (SchemathesisTests: a bounded property-based run of every operation against the real server) and
# checkov (DeployManifestTests: deploy/ passes its Kubernetes checks), pinned so that their checks and generated cases
# do not change under the tests.
set -euo pipefail
sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo
# Debian packages, not Python tools, so they come first: chromium renders the item plot to a picture (ItemPlotTests);
# prometheus brings promtool and the Prometheus server (PrometheusRuleTests, MetricsScrapeTests); kubectl renders
# deploy/ with its built-in kustomize (DeployManifestTests).
apt_install() { # command package
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing test tool: $2"
    $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 \
        || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }
}
apt_install chromium chromium
apt_install promtool prometheus
apt_install kubectl kubectl
python3 - <<'PY' 2>/dev/null && exit 0
import html5lib, moto, moto.server, flask, flask_cors, jsonschema, referencing, yaml, openapi_spec_validator
from importlib.metadata import version
assert version("schemathesis") == "4.32.5"
assert version("checkov") == "3.3.30"
PY
tools=(html5lib 'moto[server]' jsonschema referencing pyyaml openapi-spec-validator 'schemathesis==4.32.5'
    'checkov==3.3.30')
echo "installing test tools: ${tools[*]}"
# A Debian system Python refuses user installs (PEP 668); the tools are only for the tests, so allow them there.
python3 -m pip install --quiet --disable-pip-version-check "${tools[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${tools[@]}"
