"""FHIR Bulk Data $export as a refresh job drives it with `requests`: kick-off, poll the status
URL, download every file (gzip, as requests asks by default), and compare with the source."""
import json
import time

import requests


def run_export(base, params=None):
    kickoff = requests.get(f"{base}/$export", params=params or {},
                           headers={"Prefer": "respond-async", "Accept": "application/fhir+json"})
    assert kickoff.status_code == 202, kickoff.text
    status_url = kickoff.headers["Content-Location"]
    for _ in range(300):
        status = requests.get(status_url)
        if status.status_code == 202:
            assert "X-Progress" in status.headers
            time.sleep(float(status.headers.get("Retry-After", "1")) / 10)
            continue
        assert status.status_code == 200, status.text
        return status_url, status.json()
    raise AssertionError("the export never finished")


def test_a_whole_export_equals_the_source(sample):
    base, source = sample
    status_url, manifest = run_export(base)
    assert manifest["requiresAccessToken"] is False
    assert manifest["error"] == []
    exported = {}
    for item in manifest["output"]:
        response = requests.get(item["url"])
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/fhir+ndjson"
        assert response.headers.get("Content-Encoding") == "gzip"  # requests sent Accept-Encoding: gzip
        lines = response.content.decode().splitlines()
        assert len(lines) == item["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == item["type"]
            exported.setdefault(item["type"], {})[resource["id"]] = resource
    assert exported == source
    assert requests.delete(status_url).status_code == 202
    assert requests.get(status_url).status_code == 404


def test_type_filter_and_since(sample):
    base, source = sample
    _, manifest = run_export(base, {"_type": "Location", "_typeFilter": "Location?address-state=CT"})
    ids = set()
    for item in manifest["output"]:
        ids |= {json.loads(line)["id"] for line in requests.get(item["url"]).content.decode().splitlines()}
    expected = {id for id, r in source["Location"].items()
                if any(a.get("state") == "CT" for a in (r.get("address") if isinstance(r.get("address"), list) else [r.get("address") or {}]))}
    assert ids == expected and ids
    # The sample says its resources changed on 2026-11-01: nothing is newer than a later _since.
    _, manifest = run_export(base, {"_since": "2026-11-02T00:00:00Z"})
    assert manifest["output"] == [] and manifest["deleted"] == []


def test_a_bad_kickoff_is_an_operation_outcome(sample):
    base, _ = sample
    response = requests.get(f"{base}/$export", params={"_type": "Patient"}, headers={"Prefer": "respond-async"})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_published_files_served_by_a_plain_static_server(sample, tmp_path):
    """`plandir publish` output needs no plandir: Python's http.server hosts it."""
    import gzip
    import socket
    import subprocess
    import sys

    from conftest import PLANDIR, ROOT, load

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    index = tmp_path / "sample.sqlite"
    subprocess.run([PLANDIR, "index", str(ROOT / "Data" / "sample"), "--output", str(index), "--quiet"], check=True)
    site = tmp_path / "site"
    base_url = f"http://127.0.0.1:{port}/directory"
    subprocess.run([PLANDIR, "publish", str(index), "--output", str(site / "directory"), "--base-url", base_url,
                    "--gzip", "--part-resources", "400"], check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                manifest = requests.get(f"{base_url}/manifest.json", timeout=1).json()
                break
            except requests.RequestException:
                time.sleep(0.1)
        assert manifest["requiresAccessToken"] is False
        exported = {}
        for item in manifest["output"]:
            body = gzip.decompress(requests.get(item["url"]).content).decode()
            for line in body.splitlines():
                resource = json.loads(line)
                exported.setdefault(resource["resourceType"], {})[resource["id"]] = resource
        assert exported == load(ROOT / "Data" / "sample")
    finally:
        server.terminate()
        server.wait(timeout=10)
