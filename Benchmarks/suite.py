#!/usr/bin/env python3
"""plandir's benchmark suite: build a generated network, serve it, and load it with wrk.

Called by Benchmarks/run (which builds the release binary first). Every figure that depends on
the machine is also given as a ratio against a baseline measured in the same run: the build
against Python's json.loads over the same files, each HTTP scenario against the same server's
GET /health. Everything targets 127.0.0.1; servers are stopped on exit.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".build/release/plandir"
NPI = "http://hl7.org/fhir/sid/us-npi"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ndjson(folder, type_):
    path = Path(folder) / f"{type_}.ndjson"
    if not path.exists():
        return
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def network(args, cache):
    """The generated network, reused when an earlier run made the same one."""
    folder = cache / f"net-{args.profile}-{args.practitioners}-seed{args.seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        log(f"generating {args.practitioners} practitioners into {folder}")
        subprocess.run(
            [BIN, "generate", "--seed", str(args.seed), "--practitioners", str(args.practitioners),
             "--profile", args.profile, "--output", str(folder)], check=True, stdout=subprocess.DEVNULL)
        done.write_text("")
    return folder


def build(folder, index):
    """Times `plandir index` and the json.loads baseline over the same files."""
    ndjson_bytes = sum(p.stat().st_size for p in folder.glob("*.ndjson"))
    started = time.monotonic()
    records = 0
    for path in sorted(folder.glob("*.ndjson")):
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    json.loads(line)
                    records += 1
    baseline = time.monotonic() - started
    log(f"indexing {records:,} resources ({ndjson_bytes >> 20} MB of NDJSON)")
    report_path = index.with_suffix(".report.json")
    index.unlink(missing_ok=True)

    # Disk in use on the index's file system, sampled through the build: it counts SQLite's
    # sorter files too, which are unlinked as soon as they are made and so never listed.
    def used():
        st = os.statvfs(index.parent)
        return (st.f_blocks - st.f_bfree) * st.f_frsize

    before = used()
    peak = [before]
    stop = threading.Event()

    def sample():
        while not stop.wait(0.5):
            peak[0] = max(peak[0], used())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        subprocess.run([BIN, "index", str(folder), "--output", str(index), "--report", str(report_path)],
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        stop.set()
        sampler.join()
    seconds = time.monotonic() - started
    report = json.load(open(report_path))
    return {
        "resources": report["resourcesIndexed"],
        "seconds": round(seconds, 2),
        "rate": round(report["resourcesIndexed"] / seconds),
        "baseline_seconds": round(baseline, 2),
        "ratio_to_baseline": round(seconds / baseline, 2),
        "peak_rss_mb": report.get("peakResidentBytes", 0) >> 20,
        "index_mb": index.stat().st_size >> 20,
        "ndjson_mb": ndjson_bytes >> 20,
        "size_ratio": round(index.stat().st_size / ndjson_bytes, 2),
        "peak_disk_mb": (peak[0] - before) >> 20,
        "peak_disk_ratio": round((peak[0] - before) / index.stat().st_size, 2),
    }


def draw(folder, rng, n):
    """Request values taken from the data itself, at least `n` of each where the data has them."""
    practitioners, npis, families = [], [], set()
    for r in ndjson(folder, "Practitioner"):
        practitioners.append(r["id"])
        for i in r.get("identifier", []):
            if i.get("system") == NPI:
                npis.append(i["value"])
        for name in r.get("name", []):
            if name.get("family"):
                families.add(name["family"][:3].lower())
    specialties = set()
    for r in ndjson(folder, "PractitionerRole"):
        for s in r.get("specialty", []):
            for c in s.get("coding", []):
                specialties.add(c["code"])
        if len(specialties) > 200:
            break
    cities = set()
    for r in ndjson(folder, "Location"):
        city = r.get("address", {}).get("city")
        if city:
            cities.add(city.lower())
    rxcuis, words = set(), set()
    for r in ndjson(folder, "MedicationKnowledge"):
        for c in r.get("code", {}).get("coding", []):
            if c.get("system") == RXNORM:
                rxcuis.add(c["code"])
        for c in r.get("code", {}).get("coding", []):
            for w in re.findall(r"[a-z]{4,}", c.get("display", "").lower()):
                words.add(w[:4])

    def sample(values):
        values = sorted(values)
        rng.shuffle(values)
        return values[:n]

    return {
        "id": sample(practitioners), "npi": sample(npis), "family": sorted(families),
        "specialty": sorted(specialties), "city": sorted(cities), "rxcui": sample(rxcuis), "word": sorted(words),
    }


def expand(template, values, rng, n):
    """Up to `n` distinct request paths from a template. Where the data has fewer than `n`
    combinations of values, `_count` varies too, so the requests stay distinct."""
    keys = re.findall(r"\{(\w+)\}", template)
    if not keys:
        return [template]
    if any(not values[k] for k in keys):
        return []
    combinations = 1
    for k in keys:
        combinations *= len(values[k])
    paths = set()
    for _ in range(n * 20):
        if len(paths) >= n:
            break
        path = template
        for key in keys:
            path = path.replace("{" + key + "}", urllib.parse.quote(rng.choice(values[key]), safe=""), 1)
        if combinations < n:
            path += ("&" if "?" in path else "?") + f"_count={rng.randint(10, 60)}"
        paths.add(path)
    return sorted(paths)


class Server:
    def __init__(self, index, cache_bytes, workdir):
        self.port = free_port()
        self.log = open(workdir / f"server-{self.port}.log", "w")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [BIN, "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(self.port),
             "--cache-bytes", str(cache_bytes), "--reload-interval", "0"], stdout=self.log, stderr=self.log)
        self.ready_ms = None
        for _ in range(2000):
            try:
                with urllib.request.urlopen(self.url("/ready"), timeout=1) as r:
                    if r.status == 200:
                        self.ready_ms = round((time.monotonic() - started) * 1000, 1)
                        break
            except OSError:
                time.sleep(0.005)
        if self.ready_ms is None:
            self.stop()
            raise SystemExit("the server did not become ready")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def rss_mb(self):
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) >> 10
        return 0

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url_base, paths, connections, duration, workdir):
    """Runs wrk with a Lua script that cycles through `paths`; returns req/s, p50 and p99 in ms."""
    script = workdir / "paths.lua"
    lua_list = ",\n".join(json.dumps(p) for p in paths)
    script.write_text(
        "local paths = {\n" + lua_list + "\n}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url_base],
        check=True, capture_output=True, text=True).stdout

    def ms(label):
        m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))),
        "p50_ms": round(ms("50%"), 3), "p99_ms": round(ms("99%"), 3),
        "errors": int(errors.group(1)) if errors else 0, "distinct": len(paths),
    }


def deep_page(server, path, pages):
    """Latency of page 1 and of page `pages`, following `next` links (median of 5 each)."""
    def get(url):
        started = time.monotonic()
        with urllib.request.urlopen(url) as r:
            body = json.load(r)
        return time.monotonic() - started, body

    def next_link(body):
        return next((l["url"] for l in body.get("link", []) if l["relation"] == "next"), None)

    url = server.url(path)
    first = statistics.median(get(url)[0] for _ in range(5))
    for _ in range(pages - 1):
        _, body = get(url)
        url = next_link(body)
        if url is None:
            return None
    deep = statistics.median(get(url)[0] for _ in range(5))
    return {"page1_ms": round(first * 1000, 2), f"page{pages}_ms": round(deep * 1000, 2),
            "ratio": round(deep / first, 2)}


def nginx_baseline(folder, workdir, connections, duration, rng, n):
    """nginx serving resources as static files: the "just publish JSON files" ceiling."""
    nginx = shutil.which("nginx")
    if not nginx:
        return None
    root = workdir / "static/Practitioner"
    root.mkdir(parents=True)
    # nginx's workers run as another user: they must be able to read the files.
    for directory in (workdir, workdir / "static", root):
        directory.chmod(0o755)
    ids = []
    for r in ndjson(folder, "Practitioner"):
        path = root / r["id"]
        path.write_text(json.dumps(r, separators=(",", ":")))
        path.chmod(0o644)
        ids.append(r["id"])
        if len(ids) >= n:
            break
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes 2; daemon off; pid {workdir}/nginx.pid; error_log {workdir}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; default_type application/fhir+json;
  server {{ listen 127.0.0.1:{port}; root {workdir}/static; }} }}
""")
    process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(workdir)], stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        return wrk(f"http://127.0.0.1:{port}", [f"/Practitioner/{i}" for i in ids], connections, duration, workdir)
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)


SCENARIOS = [
    ("health", "/health"),
    ("read by id", "/fhir/Practitioner/{id}"),
    ("name prefix", "/fhir/Practitioner?name={family}"),
    ("specialty token", "/fhir/PractitionerRole?specialty={specialty}"),
    ("city", "/fhir/Location?address-city={city}"),
    ("NPI identifier", "/fhir/Practitioner?identifier=" + urllib.parse.quote(NPI + "|", safe="") + "{npi}"),
    ("chain: practitioner.name", "/fhir/PractitionerRole?practitioner.name={family}"),
    ("chain: location.address-city", "/fhir/PractitionerRole?location.address-city={city}"),
    ("_has: roles by specialty", "/fhir/Practitioner?_has:PractitionerRole:practitioner:specialty={specialty}"),
    ("_include with :iterate", "/fhir/PractitionerRole?specialty={specialty}&_include=PractitionerRole:practitioner"
     "&_include=PractitionerRole:location&_include:iterate=Location:organization"),
    ("formulary item by RxNorm, chained", "/fhir/Basic?subject:MedicationKnowledge.code="
     + urllib.parse.quote(RXNORM + "|", safe="") + "{rxcui}&_include=Basic:formulary"),
    ("drug _content", "/fhir/MedicationKnowledge?_content={word}"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--practitioners", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="national", choices=["national", "sample"])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--distinct", type=int, default=1000)
    parser.add_argument("--deep-pages", type=int, default=500)
    parser.add_argument("--output", default=str(ROOT / "Benchmarks/results"))
    parser.add_argument("--reuse-index", action="store_true",
                        help="serve the index an earlier run built, with that run's build figures")
    args = parser.parse_args()

    cache = ROOT / "Benchmarks/.data"
    cache.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="plandir-bench-"))
    servers = []
    try:
        rng = random.Random(args.seed)
        folder = network(args, cache)
        index = cache / f"net-{args.profile}-{args.practitioners}-seed{args.seed}.sqlite"
        results = {"date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), "cores": os.cpu_count(),
                   "practitioners": args.practitioners, "profile": args.profile, "connections": args.connections,
                   "duration_s": args.duration}
        saved = index.with_suffix(".build.json")
        if args.reuse_index and index.exists() and saved.exists():
            results["build"] = json.load(open(saved))
        else:
            results["build"] = build(folder, index)
            saved.write_text(json.dumps(results["build"]))
        values = draw(folder, rng, args.distinct)
        server = Server(index, 0, workdir)
        servers.append(server)
        results["ready_ms"] = server.ready_ms
        rows = []
        health = None
        for name, template in SCENARIOS:
            paths = expand(template, values, rng, args.distinct)
            if not paths:
                log(f"skipped: {name} (no such values in the data)")
                continue
            log(f"wrk: {name} ({len(paths)} distinct requests)")
            row = {"scenario": name, **wrk(server.url(""), paths, args.connections, args.duration, workdir)}
            health = health or row["rps"]
            row["share_of_health"] = round(row["rps"] / health, 3)
            rows.append(row)
        name_paths = expand(SCENARIOS[2][1], values, rng, args.distinct)
        row = {"scenario": "name prefix at 64 connections",
               **wrk(server.url(""), name_paths, 64, args.duration, workdir)}
        row["share_of_health"] = round(row["rps"] / health, 3)
        rows.append(row)
        deep = deep_page(server, "/fhir/PractitionerRole?_count=20", args.deep_pages)
        results["serving_rss_mb"] = server.rss_mb()
        server.stop()
        servers.remove(server)

        cached = Server(index, 64 << 20, workdir)
        servers.append(cached)
        path = "/fhir/PractitionerRole?specialty=" + values["specialty"][0] + "&_include=PractitionerRole:location"
        row = {"scenario": "a repeated, cached search", **wrk(cached.url(""), [path], args.connections,
                                                               args.duration, workdir)}
        row["share_of_health"] = round(row["rps"] / health, 3)
        rows.append(row)
        cached.stop()
        servers.remove(cached)

        static = nginx_baseline(folder, workdir, args.connections, args.duration, rng, args.distinct)
        if static:
            rows.append({"scenario": "nginx: the same resources as static files", **static,
                         "share_of_health": round(static["rps"] / health, 3)})
        results["scenarios"] = rows
        results["deep_page"] = deep
        write(results, Path(args.output))
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def write(results, folder):
    b = results["build"]
    lines = [
        f"# plandir benchmarks: {results['practitioners']:,} practitioners ({results.get('profile', 'sample')} "
        f"profile), {results['date']}, {results['cores']} cores",
        "",
        "## Index build",
        "",
        "| resources | time | resources/s | json.loads baseline | ratio | peak RSS | NDJSON | index | index/NDJSON "
        "| peak disk during build / index |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {b['resources']:,} | {b['seconds']} s | {b['rate']:,} | {b['baseline_seconds']} s | "
        f"{b['ratio_to_baseline']}x | {b['peak_rss_mb']} MB | {b['ndjson_mb']} MB | {b['index_mb']} MB | "
        f"{b['size_ratio']} | {b.get('peak_disk_ratio', '-')} |",
        "",
        f"## Serving (wrk, {results['connections']} connections, {results['duration_s']} s each, response cache off "
        "unless said; at least 1,000 distinct requests per scenario where the data allows)",
        "",
        "| scenario | distinct | req/s | p50 | p99 | share of /health |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results["scenarios"]:
        flag = f" ({r['errors']} errors)" if r["errors"] else ""
        lines.append(f"| {r['scenario']}{flag} | {r['distinct']} | {r['rps']:,} | {r['p50_ms']} ms | "
                     f"{r['p99_ms']} ms | {r['share_of_health']:.0%} |")
    lines += ["", f"Start to `/ready`: {results['ready_ms']} ms. Server peak RSS under load: "
              f"{results['serving_rss_mb']} MB (response cache off)."]
    if results.get("deep_page"):
        d = results["deep_page"]
        deep_key = next(k for k in d if k.startswith("page") and k != "page1_ms")
        lines.append(f"Deep paging: page 1 {d['page1_ms']} ms, {deep_key[:-3]} {d[deep_key]} ms "
                     f"({d['ratio']}x).")
    text = "\n".join(lines) + "\n"
    print(text)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{results['practitioners']}"
    (folder / f"latest-{name}.md").write_text(text)
    (folder / f"latest-{name}.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
