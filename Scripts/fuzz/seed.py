#!/usr/bin/env python3
"""Writes the starting corpus of each fuzz target from the project's own fixtures.

FuzzQuery: every `Type?query` the tests, benchmarks and README send (flags byte 0, and 1 for
lenient). FuzzResource: the first records of each sample NDJSON file and, when ../shared is
there, of the IG examples (flags 0, 1 and 3). FuzzIndexFile: a tiny index built by plandir.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def queries():
    pattern = re.compile(r"/fhir/([A-Z][A-Za-z]+\?[^\"'\s`)]+)")
    found = set()
    sources = glob.glob(os.path.join(ROOT, "Tests/**/*.swift"), recursive=True)
    sources += [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "Benchmarks/suite.py")]
    for path in sources:
        with open(path, encoding="utf-8") as f:
            text = f.read().replace("$B/", "/fhir/")
        for match in pattern.finditer(text):
            query = match.group(1)
            # Interpolations and format fields become a plausible value.
            query = re.sub(r"\\\([^)]*\)|\{[a-z_]+\}", "x", query)
            found.add(query)
    return sorted(found)


def main():
    corpus = sys.argv[1]
    plandir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, ".build/debug/plandir")
    for n, query in enumerate(queries()):
        for flags in (0, 1):
            write(os.path.join(corpus, "FuzzQuery"), f"seed-{n}-{flags}", bytes([flags]) + query.encode())
    lines = []
    for path in sorted(glob.glob(os.path.join(ROOT, "Data/sample/*.ndjson"))):
        with open(path, "rb") as f:
            lines += [line.rstrip(b"\n") for line in f.readlines()[:3]]
    examples = os.path.join(ROOT, "..", "shared", "fhir", "hl7.fhir.us.davinci-pdex-plan-net-1.1.0", "example")
    for path in sorted(glob.glob(os.path.join(examples, "*.json")))[:40]:
        with open(path, "rb") as f:
            lines.append(json.dumps(json.load(f), separators=(",", ":")).encode())
    for n, line in enumerate(lines):
        for flags in (0, 1, 3):
            write(os.path.join(corpus, "FuzzResource"), f"seed-{n}-{flags}", bytes([flags]) + line)
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "tiny.ndjson")
        with open(source, "wb") as f:
            f.write(b"\n".join(lines[:2]) + b"\n")
        index = os.path.join(scratch, "tiny.sqlite")
        subprocess.run([plandir, "index", source, "--output", index], check=True, capture_output=True)
        with open(index, "rb") as f:
            write(os.path.join(corpus, "FuzzIndexFile"), "seed-tiny", f.read())
    print(f"seeded {corpus}: {len(queries()) * 2} queries, {len(lines) * 3} records, 1 index file")


if __name__ == "__main__":
    main()
