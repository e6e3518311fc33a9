#!/usr/bin/env python3
"""Checks recorded responses against openapi.yaml.

Usage: openapi-check.py SPEC SAMPLES
SAMPLES is JSON lines: {"method", "path" (the documented template), "status", "body"}. Each JSON body is validated
against the schema documented for that method, path and status (JSON Schema 2020-12, as OpenAPI 3.1 uses).
Prints one line per problem and exits 1 if there is any.
"""
import json
import sys

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    registry = Registry().with_resource("urn:spec", DRAFT202012.create_resource(spec))
    problems = 0
    checked = 0
    for line in open(sys.argv[2]):
        sample = json.loads(line)
        operation = spec["paths"].get(sample["path"], {}).get(sample["method"].lower())
        where = f'{sample["method"]} {sample["path"]} {sample["status"]}'
        if operation is None:
            print(f"{where}: not documented")
            problems += 1
            continue
        response = operation["responses"].get(str(sample["status"]))
        if response is None:
            print(f"{where}: status not documented")
            problems += 1
            continue
        response = resolve(spec, response)
        content = response.get("content", {}).get("application/json")
        if content is None:
            continue
        schema = {"$ref": "urn:spec#" + pointer(spec, content["schema"], sample)}
        validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        for error in validator.iter_errors(sample["body"]):
            print(f"{where}: {error.json_path}: {error.message}")
            problems += 1
        checked += 1
    print(f"checked {checked} responses, {problems} problems")
    sys.exit(1 if problems else 0)


def pointer(spec, schema, sample):
    """A JSON pointer to the schema object inside the spec (so that its $refs resolve against the spec)."""
    operation = spec["paths"][sample["path"]][sample["method"].lower()]
    status = str(sample["status"])
    response = operation["responses"][status]
    if "$ref" in response:
        base = response["$ref"].lstrip("#")
    else:
        path = sample["path"].replace("~", "~0").replace("/", "~1")
        base = f"/paths/{path}/{sample['method'].lower()}/responses/{status}"
    return base + "/content/application~1json/schema"


if __name__ == "__main__":
    main()
