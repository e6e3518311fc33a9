#!/usr/bin/env python3
"""Checks that Package.swift declares exactly the modules each target imports.

Usage: check-imports.py [PACKAGE_DIR]   (default: the current directory)

Reads the targets of Package.swift (`.target`, `.executableTarget`, `.testTarget`, `.systemLibrary`) with their
`dependencies:` and `path:`, scans every `.swift` file of each target for `import X` lines, and prints one line per
problem:
  - a module imported but not declared as a dependency of the target;
  - a dependency declared but imported by no file of the target.
Products map to the module they export (`.product(name: "Logging", package: "swift-log")` is the module `Logging`).
Modules of the toolchain (Foundation, Glibc, Testing, ...) are ignored. Exits 1 if there is any problem.
"""
import os
import re
import sys

# Modules that come with the toolchain or the platform, never declared in Package.swift.
SYSTEM_MODULES = {
    "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
    "Glibc", "Musl", "Darwin", "Android", "WinSDK", "Dispatch", "Synchronization", "Observation", "Distributed",
    "RegexBuilder", "Swift", "SwiftShims", "_Concurrency", "_StringProcessing", "Testing", "XCTest", "PackageDescription",
    "_Builtin_intrinsics",  # the compiler's own C headers (x86 intrinsics, cpuid)
}

TARGET_KINDS = ("target", "executableTarget", "testTarget", "systemLibrary")
IMPORT_LINE = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)


def strip_comments(text):
    """Package.swift without `//` and `/* */` comments (string literals there hold no `//`)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def balanced(text, start, opening, closing):
    """The text between the bracket at `start` and its partner."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return text[start + 1 : index]
    raise ValueError(f"unbalanced {opening} at offset {start}")


def parse_targets(manifest):
    """[(kind, name, path or None, [dependency module names])] in declaration order."""
    targets = []
    pattern = re.compile(r"\.(" + "|".join(TARGET_KINDS) + r")\s*\(")
    for match in pattern.finditer(manifest):
        arguments = balanced(manifest, match.end() - 1, "(", ")")
        name = re.search(r'^\s*name\s*:\s*"([^"]+)"', arguments)
        if not name:
            continue  # `.target(name:)` inside a dependency list has already been read with its target
        path = re.search(r'\bpath\s*:\s*"([^"]+)"', arguments)
        dependencies = []
        listed = re.search(r"\bdependencies\s*:\s*\[", arguments)
        if listed:
            entries = balanced(arguments, listed.end() - 1, "[", "]")
            for product in re.finditer(r"\.product\s*\(", entries):
                inner = balanced(entries, product.end() - 1, "(", ")")
                dependencies.append(re.search(r'name\s*:\s*"([^"]+)"', inner).group(1))
            without_products = re.sub(r"\.product\s*\([^)]*\)", "", entries)
            for explicit in re.finditer(r'\.(?:target|byName)\s*\(\s*name\s*:\s*"([^"]+)"[^)]*\)', without_products):
                dependencies.append(explicit.group(1))
            without_explicit = re.sub(r"\.(?:target|byName)\s*\([^)]*\)", "", without_products)
            dependencies += re.findall(r'"([^"]+)"', without_explicit)
        targets.append((match.group(1), name.group(1), path.group(1) if path else None, dependencies))
    return targets


def imported_modules(directory):
    """{module: first file importing it} for the Swift files under `directory`."""
    modules = {}
    for root, _, files in sorted(os.walk(directory)):
        for file in sorted(files):
            if not file.endswith(".swift"):
                continue
            location = os.path.join(root, file)
            in_string = False  # inside a multi-line string literal, where `import` is text (e.g. a Python script)
            with open(location, encoding="utf-8") as source:
                for line in source:
                    found = None if in_string else IMPORT_LINE.match(line)
                    if found:
                        modules.setdefault(found.group(1), location)
                    if line.count('"""') % 2 == 1:
                        in_string = not in_string
    return modules


def main():
    package = sys.argv[1] if len(sys.argv) > 1 else "."
    with open(os.path.join(package, "Package.swift"), encoding="utf-8") as file:
        targets = parse_targets(strip_comments(file.read()))
    if not targets:
        print("check-imports: no targets found in Package.swift")
        return 1
    problems = []
    for kind, name, path, dependencies in targets:
        if kind == "systemLibrary":
            continue
        directory = os.path.join(package, path or os.path.join("Tests" if kind == "testTarget" else "Sources", name))
        if not os.path.isdir(directory):
            problems.append(f"{name}: source directory {directory} does not exist")
            continue
        imports = imported_modules(directory)
        declared = set(dependencies)
        for module, location in sorted(imports.items()):
            if module in SYSTEM_MODULES or module == name or module in declared:
                continue
            problems.append(
                f"{name}: imports {module} ({os.path.relpath(location, package)}) but does not declare it")
        for module in sorted(declared):
            if module not in imports:
                problems.append(f"{name}: declares {module} but no file imports it")
        if len(dependencies) != len(declared):
            repeated = sorted({module for module in dependencies if dependencies.count(module) > 1})
            problems.append(f"{name}: declares {', '.join(repeated)} more than once")
    for problem in problems:
        print(f"check-imports: {problem}")
    if problems:
        return 1
    print(f"check-imports: {len(targets)} targets, every import declared and every dependency imported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
