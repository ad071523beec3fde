"""Builds the Plan-Net reference data into indexes (with and without --repair) and serves each
on a free 127.0.0.1 port for the client-library tests. PLANDIR is the binary to use."""
import contextlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import served as served_module  # noqa: E402  (Tests/served.py)

ROOT = pathlib.Path(__file__).resolve().parents[2]
RI = ROOT.parent / "shared" / "data" / "plannet-ri-nppes"
PLANDIR = os.environ.get("PLANDIR", str(ROOT / ".build" / "debug" / "plandir"))


def serve(repair, source=RI):
    folder = pathlib.Path(tempfile.mkdtemp(prefix="plandir-clients-"))
    index = folder / "ri.sqlite"
    command = [PLANDIR, "index", str(source), "--output", str(index), "--quiet"] + (["--repair"] if repair else [])
    subprocess.run(command, check=True, capture_output=True)
    server, root = served_module.start(PLANDIR, index)
    base = f"{root}/fhir"
    return server, base, json.loads((folder / "ri.sqlite.report.json").read_text())


@contextlib.contextmanager
def served(repair, source=RI):
    """`serve`, stopping the server afterwards: (base URL, build report)."""
    server, base, report = serve(repair, source)
    try:
        yield base, report
    finally:
        server.terminate()
        server.wait(timeout=15)


def load(folder):
    resources = {}
    for file in sorted(folder.glob("*.ndjson")):
        for line in file.read_text().splitlines():
            if line.strip():
                resource = json.loads(line)
                resources.setdefault(resource["resourceType"], {})[resource["id"]] = resource
    return resources


@pytest.fixture(scope="session")
def ri_source():
    """The reference data as parsed JSON, by type and id."""
    return load(RI)


@pytest.fixture(scope="session")
def sample():
    """The bundled sample (with its drug formulary) served, and its source by type and id."""
    with served(repair=False, source=ROOT / "Data" / "sample") as (base, _):
        yield base, load(ROOT / "Data" / "sample")


@pytest.fixture(scope="session")
def repaired():
    with served(repair=True) as answer:
        yield answer


@pytest.fixture(scope="session")
def unrepaired():
    with served(repair=False) as answer:
        yield answer
