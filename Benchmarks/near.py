#!/usr/bin/env python3
"""Latency of `near` searches against baselines measured in the same run.

  Benchmarks/near.py --index INDEX [--zip 06103] [--requests 200] [--binary PATH]

Serves INDEX on a free 127.0.0.1 port and, one request at a time over one keep-alive
connection, times each scenario's first page (20 entries, `_total` not asked): a Location `near`
search from the ZIP code's point at 10 and 50 miles, `PractitionerRole?location.near=…
&specialty=…` at 10 miles, the same with `new-patient=newpt` and the page's includes, and a
second page (its `next` link). Baselines: `/health`, a read by id, and the plain
`PractitionerRole?specialty=…` search of the benchmark suite. Prints medians and p90s with each
scenario's ratio to the specialty search, and writes Benchmarks/results/near-latest.{md,json}.
Stops by itself.
"""
import argparse, http.client, json, pathlib, socket, statistics, subprocess, sys, time, urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--zip", default="06103")
    parser.add_argument("--specialty", default="207RC0000X")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "plandir"))
    parser.add_argument("--output", default=str(ROOT / "Benchmarks" / "results"))
    args = parser.parse_args()

    port = free_port()
    server = subprocess.Popen(
        [args.binary, "serve", "--index", args.index, "--port", str(port), "--log-level", "warning",
         "--reload-interval", "0", "--cache-bytes", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        deadline = time.time() + 60
        while True:
            try:
                connection.request("GET", "/ready")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    break
            except OSError:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if time.time() > deadline:
                sys.exit("plandir serve did not become ready")
            time.sleep(0.2)

        def get(path):
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                sys.exit(f"{path}: {response.status} {body[:300]!r}")
            return elapsed, body

        point = json.loads(get(f"/web/geo/zip/{args.zip}")[1])
        lat, lon = point["latitude"], point["longitude"]
        q = urllib.parse.quote
        near10 = q(f"{lat}|{lon}|10|[mi_i]")
        near50 = q(f"{lat}|{lon}|50|[mi_i]")
        nucc = q(f"http://nucc.org/provider-taxonomy|{args.specialty}")
        role = json.loads(get("/fhir/PractitionerRole?_count=1")[1])["entry"][0]["resource"]["id"]
        first = json.loads(get(f"/fhir/PractitionerRole?location.near={near10}&specialty={nucc}")[1])
        next_link = next((l["url"] for l in first.get("link", []) if l["relation"] == "next"), None)
        scenarios = [
            ("health", "/health"),
            ("read by id", f"/fhir/PractitionerRole/{role}"),
            ("specialty token (baseline)", f"/fhir/PractitionerRole?specialty={nucc}"),
            (f"Location near {args.zip}, 10 mi", f"/fhir/Location?near={near10}"),
            (f"Location near {args.zip}, 50 mi", f"/fhir/Location?near={near50}"),
            (f"PractitionerRole location.near 10 mi & specialty", f"/fhir/PractitionerRole?location.near={near10}&specialty={nucc}"),
            (f"PractitionerRole location.near 50 mi & specialty", f"/fhir/PractitionerRole?location.near={near50}&specialty={nucc}"),
            ("the page's query: near 10 mi, specialty, new patients, includes",
             f"/fhir/PractitionerRole?location.near={near10}&specialty={nucc}&new-patient=newpt"
             "&_include=PractitionerRole:practitioner&_include=PractitionerRole:location"
             "&_include=PractitionerRole:organization&_include=PractitionerRole:network&_count=10"),
        ]
        if next_link:
            parsed = urllib.parse.urlparse(next_link)
            scenarios.append(("its second page (next link)", f"{parsed.path}?{parsed.query}"))
        counts = {}
        for name, path in scenarios:
            if path.startswith("/fhir/") and "?" in path and "_cursor" not in path:
                body = json.loads(get(path + "&_summary=count")[1])
                counts[name] = body.get("total")
        results = []
        for name, path in scenarios:
            for _ in range(5):
                get(path)  # warm the page cache
            times = sorted(get(path)[0] * 1000 for _ in range(args.requests))
            results.append({"scenario": name, "path": path, "matches": counts.get(name),
                            "median_ms": round(statistics.median(times), 2),
                            "p90_ms": round(times[int(len(times) * 0.9) - 1], 2)})
        baseline = next(r for r in results if r["scenario"].startswith("specialty token"))["median_ms"]
        for r in results:
            r["ratio_to_specialty"] = round(r["median_ms"] / baseline, 2)
    finally:
        server.terminate()
        server.wait(timeout=15)

    lines = [f"# near search latency: {args.index}, from ZIP {args.zip} ({lat}, {lon}), "
             f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}",
             "", f"{args.requests} sequential requests per scenario over one keep-alive connection, after 5 warm-up requests; "
             "first page (20 entries unless said), no _total, response cache off.", "",
             "| scenario | matches | median | p90 | ratio to the specialty search |", "|---|---:|---:|---:|---:|"]
    for r in results:
        matches = "" if r["matches"] is None else f"{r['matches']:,}"
        lines.append(f"| {r['scenario']} | {matches} | {r['median_ms']} ms | {r['p90_ms']} ms | {r['ratio_to_specialty']}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = pathlib.Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "near-latest.md").write_text(text)
    (out / "near-latest.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
