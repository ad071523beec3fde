#!/usr/bin/env python3
"""The directory-refresh benchmark: what --previous costs against a plain build, and how fast
$export streams the index, each against a baseline measured in the same run.

  Benchmarks/refresh.py --data OLD_NDJSON_DIR --changed NEW_NDJSON_DIR [--work DIR]

When NEW_NDJSON_DIR does not exist it is made from OLD as a day's refresh: Locations 10 %
renamed, 1 % removed, 1,000 added; Practitioners 2 % changed; every other file linked as is.

1. OLD is indexed once (the previous index; reused from --work when there).
2. NEW is indexed twice: plainly (the baseline), and with --previous against OLD's index.
3. The versioned index is served on 127.0.0.1 and exported whole with $export: every file is
   downloaded, plain and with gzip. The baseline is nginx serving NEW's NDJSON files.
4. `plandir publish` writes it as static files (plain, then gzip; --skip-publish leaves it out).
Writes Benchmarks/results/refresh-latest.{md,json}. Stops by itself.
"""
import argparse, gzip, json, os, pathlib, resource, shutil, signal, socket, subprocess, sys, time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_build(binary, inputs, output, previous=None):
    command = ["/usr/bin/time", "-v", str(binary), "index", *inputs, "--output", str(output), "--quiet"]
    if previous:
        command += ["--previous", str(previous)]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"build failed: {done.stderr[-2000:]}")
    rss = next((int(l.split(":")[1]) * 1024 for l in done.stderr.splitlines() if "Maximum resident" in l), 0)
    report = json.loads(pathlib.Path(str(output) + ".report.json").read_text())
    return {"seconds": round(seconds, 1), "peak_rss_mb": rss >> 20, "summary": done.stdout.strip(),
            "changes": report.get("changes")}


def fetch(url, headers=None, method="GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    return urllib.request.urlopen(request, timeout=600)


def download(url, headers=None):
    """Bytes on the wire, and the newline count of the (decompressed) body."""
    wire = 0
    lines = 0
    with fetch(url, headers) as response:
        decoder = gzip.GzipFile(fileobj=response) if response.headers.get("Content-Encoding") == "gzip" else None
        source = decoder or response
        while True:
            chunk = source.read(1 << 20)
            if not chunk:
                break
            lines += chunk.count(b"\n")
            wire += len(chunk)
    return wire, lines


def export(base, gzip_wanted):
    started = time.monotonic()
    with fetch(base + "/fhir/$export", {"Prefer": "respond-async"}) as response:
        status_url = response.headers["Content-Location"]
    while True:
        with fetch(status_url) as response:
            if response.status == 200:
                manifest = json.loads(response.read())
                break
        time.sleep(0.2)
    counted = time.monotonic() - started
    total_bytes = 0
    resources = 0
    for file in manifest["output"]:
        size, lines = download(file["url"], {"Accept-Encoding": "gzip"} if gzip_wanted else None)
        total_bytes += size
        resources += lines
    seconds = time.monotonic() - started
    fetch(status_url, method="DELETE").close()
    return {"files": len(manifest["output"]), "resources": resources, "mb": round(total_bytes / 1e6),
            "seconds": round(seconds, 1), "manifest_seconds": round(counted, 2),
            "mb_per_s": round(total_bytes / 1e6 / seconds, 1), "resources_per_s": int(resources / seconds)}


def nginx_baseline(folder, workdir):
    root = workdir / "static"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for directory in (workdir, root):
        directory.chmod(0o755)
    names = []
    for path in sorted(pathlib.Path(folder).glob("*.ndjson")):
        target = root / path.name
        os.link(path.resolve(), target) if path.resolve().stat().st_dev == root.stat().st_dev else shutil.copy(path, target)
        names.append(path.name)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes 2; daemon off; pid {workdir}/nginx.pid; error_log {workdir}/nginx.err;
events {{ worker_connections 64; }}
http {{ access_log off; sendfile on; default_type application/fhir+ndjson;
  server {{ listen 127.0.0.1:{port}; root {root}; }} }}
""")
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(workdir)], stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        total = 0
        lines = 0
        for name in names:
            size, count = download(f"http://127.0.0.1:{port}/{name}")
            total += size
            lines += count
        seconds = time.monotonic() - started
        return {"files": len(names), "resources": lines, "mb": round(total / 1e6), "seconds": round(seconds, 1),
                "mb_per_s": round(total / 1e6 / seconds, 1), "resources_per_s": int(lines / seconds)}
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def make_changed(data, changed):
    """A day's change to the network in `data`, written to `changed`."""
    data, changed = pathlib.Path(data), pathlib.Path(changed)
    changed.mkdir(parents=True)
    for path in sorted(data.glob("*.ndjson")):
        target = changed / path.name
        if path.stem == "Location":
            first = None
            with path.open() as source, target.open("w") as out:
                for n, line in enumerate(source, 1):
                    if n % 100 == 0:
                        continue
                    if n % 10 == 0:
                        r = json.loads(line)
                        r["name"] = r.get("name", "") + " (moved)"
                        line = json.dumps(r, separators=(",", ":")) + "\n"
                    first = first or line
                    out.write(line)
                for i in range(1000):
                    r = json.loads(first)
                    r["id"] = f"new-location-{i}"
                    out.write(json.dumps(r, separators=(",", ":")) + "\n")
        elif path.stem == "Practitioner":
            with path.open() as source, target.open("w") as out:
                for n, line in enumerate(source, 1):
                    if n % 50 == 0:
                        r = json.loads(line)
                        r["active"] = not r.get("active", True)
                        line = json.dumps(r, separators=(",", ":")) + "\n"
                    out.write(line)
        else:
            target.symlink_to(path.resolve())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--changed", required=True)
    parser.add_argument("--work", default=str(ROOT / "Benchmarks/.data/refresh"))
    parser.add_argument("--binary", default=str(ROOT / ".build/release/plandir"))
    parser.add_argument("--skip-builds", action="store_true", help="reuse the versioned index in --work")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-publish", action="store_true")
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if not pathlib.Path(args.changed).exists():
        print(f"making {args.changed}: a day's change to {args.data}", file=sys.stderr)
        make_changed(args.data, args.changed)
    binary = pathlib.Path(args.binary)
    previous = work / "previous.sqlite"
    versioned = work / "versioned.sqlite"
    result = {"data": args.data, "changed": args.changed}
    if not args.skip_builds:
        if not previous.exists():
            print("indexing the previous network", file=sys.stderr)
            result["previous"] = timed_build(binary, [args.data], previous)
        print("plain build of the changed network (baseline)", file=sys.stderr)
        result["plain"] = timed_build(binary, [args.changed], work / "plain.sqlite")
        (work / "plain.sqlite").unlink()
        print("versioned build (--previous)", file=sys.stderr)
        result["versioned"] = timed_build(binary, [args.changed], versioned, previous)
        result["versioned_over_plain"] = round(result["versioned"]["seconds"] / result["plain"]["seconds"], 2)
    if not args.skip_publish:
        # The baseline: copying the same NDJSON to the same disk.
        target = work / "copied"
        target.mkdir(exist_ok=True)
        started = time.monotonic()
        copied = 0
        for path in sorted(pathlib.Path(args.changed).glob("*.ndjson")):
            shutil.copyfile(path.resolve(), target / path.name)
            with open(target / path.name, "rb") as f:
                os.fsync(f.fileno())
            copied += path.resolve().stat().st_size
        seconds = time.monotonic() - started
        shutil.rmtree(target)
        result["copy"] = {"mb": round(copied / 1e6), "seconds": round(seconds, 1),
                          "mb_per_s": round(copied / 1e6 / seconds, 1)}
        for gz in (False, True):
            target = work / "published"
            print("publish" + (" --gzip" if gz else ""), file=sys.stderr)
            command = [str(binary), "publish", str(versioned), "--output", str(target),
                       "--base-url", "https://files.example.org/directory"] + (["--gzip"] if gz else [])
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.monotonic() - started
            if done.returncode != 0:
                sys.exit(f"publish failed: {done.stderr[-2000:]}")
            size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            ndjson = result["publish"]["mb"] * 1e6 if gz else size
            result["publish_gzip" if gz else "publish"] = {
                "mb": round(size / 1e6), "seconds": round(seconds, 1),
                # NDJSON published per second (for --gzip, before compression).
                "mb_per_s": round(ndjson / 1e6 / seconds, 1), "summary": done.stdout.strip()}
            shutil.rmtree(target)
        result["publish_over_copy"] = round(result["publish"]["mb_per_s"] / result["copy"]["mb_per_s"], 2)
    if args.skip_export:
        finish(result)
        return
    port = free_port()
    server = subprocess.Popen(
        [str(binary), "serve", "--index", str(versioned), "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                fetch(base + "/ready").close()
                break
            except Exception:
                time.sleep(0.1)
        print("export, plain", file=sys.stderr)
        result["export"] = export(base, False)
        print("export, gzip", file=sys.stderr)
        result["export_gzip"] = export(base, True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("nginx baseline", file=sys.stderr)
    result["nginx"] = nginx_baseline(args.changed, work)
    result["export_over_nginx"] = round(result["export"]["mb_per_s"] / result["nginx"]["mb_per_s"], 2)
    finish(result)


def finish(result):
    out = ROOT / "Benchmarks/results"
    out.mkdir(exist_ok=True)
    (out / "refresh-latest.json").write_text(json.dumps(result, indent=2))
    lines = ["| measure | value |", "| --- | --- |"]
    if "plain" in result:
        lines += [
            f"| plain build of the changed network | {result['plain']['seconds']} s, peak RSS {result['plain']['peak_rss_mb']} MB |",
            f"| build with --previous | {result['versioned']['seconds']} s, peak RSS {result['versioned']['peak_rss_mb']} MB ({result['versioned_over_plain']}x plain) |",
            f"| changes found | {result['versioned']['summary'].split('since the previous index: ')[-1].split(';')[0]} |",
        ]
    for key, label in (("copy", "cp of the NDJSON (baseline)"), ("publish", "plandir publish"),
                       ("publish_gzip", "plandir publish --gzip")):
        if key in result:
            r = result[key]
            lines.append(f"| {label} | {r['mb']} MB written in {r['seconds']} s: {r['mb_per_s']} MB/s of NDJSON |")
    if "publish_over_copy" in result:
        lines.append(f"| publish / cp | {result['publish_over_copy']}x |")
    for key, label in (("export", "$export, whole index"), ("export_gzip", "$export, gzip"), ("nginx", "nginx, the NDJSON files")):
        if key not in result:
            continue
        r = result[key]
        lines.append(f"| {label} | {r['mb']} MB in {r['seconds']} s: {r['mb_per_s']} MB/s, {r['resources_per_s']} resources/s ({r['files']} files) |")
    if "export_over_nginx" in result:
        lines.append(f"| $export / nginx | {result['export_over_nginx']}x |")
    (out / "refresh-latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
