#!/usr/bin/env python3
"""Prints the rule groups of a PrometheusRule manifest (its `spec`) as a Prometheus rules file, for promtool.

Usage: scripts/extract-rules.py deploy/prometheusrule.yaml > rules.yaml
Needs PyYAML (installed by scripts/install-test-tools.sh).
"""
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as manifest:
    document = yaml.safe_load(manifest)
if document.get("kind") != "PrometheusRule":
    sys.exit(f"{sys.argv[1]}: kind is {document.get('kind')!r}, not PrometheusRule")
yaml.safe_dump({"groups": document["spec"]["groups"]}, sys.stdout, sort_keys=False, width=1000)
