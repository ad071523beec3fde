#!/usr/bin/env python3
"""Peak memory and rate of `plandir import nppes` on a large NPPES-layout file, streamed.

  Benchmarks/import_nppes.py [--rows 9000000] [--work DIR] [--binary PATH]

Synthetic rows in the V2 layout (330 quoted columns; Luhn-valid NPIs, a practice address in one of
the committed ZCTAs, one or two taxonomies; every 50th an organization, every 200th deactivated)
are written into a FIFO, so the input is never on disk. The import runs under GNU time -v (peak
RSS, the limit is 300 MB). The baseline, in the same run, is Python's csv module reading the same
stream. Writes Benchmarks/results/import-nppes-latest.md. Stops by itself; removes its output.
"""
import argparse, csv, os, pathlib, shutil, subprocess, sys, tempfile, threading, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Scripts" / "import"))


def rows(count, header):
    import nppes_fixture as f
    zips = [line.split(",")[0] for line in (ROOT / "Data/geo/zcta-2023.csv").read_text().splitlines()[1:2001]]
    template = [""] * len(header)
    index = {name: i for i, name in enumerate(header)}
    yield f.quoted(header) + "\n"
    for n in range(count):
        fields = list(template)
        fields[index["NPI"]] = f.npi(100_000_000 + n)
        if n % 200 == 7:
            fields[index["NPI Deactivation Date"]] = "03/01/2020"
        else:
            organization = n % 50 == 3
            fields[index["Entity Type Code"]] = "2" if organization else "1"
            if organization:
                fields[index["Provider Organization Name (Legal Business Name)"]] = f"CLINIC {n} LLC"
            else:
                fields[index["Provider Last Name (Legal Name)"]] = f"LAST{n % 9973}"
                fields[index["Provider First Name"]] = f"FIRST{n % 101}"
                fields[index["Provider Credential Text"]] = "MD"
                fields[index["Provider Sex Code"]] = "F" if n % 2 else "M"
            fields[index["Provider First Line Business Practice Location Address"]] = f"{n % 999} MAIN ST"
            fields[index["Provider Business Practice Location Address City Name"]] = "SPRINGFIELD"
            fields[index["Provider Business Practice Location Address State Name"]] = "MA"
            fields[index["Provider Business Practice Location Address Postal Code"]] = zips[n % len(zips)] + "1234"
            fields[index["Provider Business Practice Location Address Telephone Number"]] = "4135550100"
            fields[index["Provider Enumeration Date"]] = "01/15/2010"
            fields[index["Last Update Date"]] = "07/08/2024"
            fields[index["Healthcare Provider Taxonomy Code_1"]] = "207Q00000X"
            fields[index["Healthcare Provider Primary Taxonomy Switch_1"]] = "Y"
            if n % 3 == 0:
                fields[index["Healthcare Provider Taxonomy Code_2"]] = "207R00000X"
                fields[index["Healthcare Provider Primary Taxonomy Switch_2"]] = "N"
        yield f.quoted(fields) + "\n"


def feed(fifo, count, header):
    with open(fifo, "w") as out:
        for line in rows(count, header):
            out.write(line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=9_000_000)
    parser.add_argument("--work", default=None)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "plandir"))
    args = parser.parse_args()
    import nppes_fixture as f
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="plandir-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    fifo = work / "npidata_pfile_bench.csv"
    output = work / "out"
    try:
        # Baseline: Python's csv module over the same stream.
        os.mkfifo(fifo)
        writer = threading.Thread(target=feed, args=(fifo, args.rows, f.HEADER_V2))
        writer.start()
        started = time.monotonic()
        with open(fifo, newline="") as source:
            read = sum(1 for _ in csv.reader(source)) - 1
        baseline = time.monotonic() - started
        writer.join()
        os.unlink(fifo)
        # The import.
        os.mkfifo(fifo)
        writer = threading.Thread(target=feed, args=(fifo, args.rows, f.HEADER_V2))
        writer.start()
        started = time.monotonic()
        done = subprocess.run(
            ["/usr/bin/time", "-v", args.binary, "import", "nppes", str(fifo), "--output", str(output)],
            capture_output=True, text=True)
        seconds = time.monotonic() - started
        writer.join()
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr[-2000:]}")
        rss = next(int(l.split(":")[1]) for l in done.stderr.splitlines() if "Maximum resident" in l) // 1024
        written = sum(p.stat().st_size for p in output.glob("*.ndjson")) >> 20
        text = (
            f"# plandir import nppes: {args.rows:,} rows, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}\n\n"
            f"| run | time | rows/s | peak RSS |\n|---|---:|---:|---:|\n"
            f"| Python csv.reader over the same stream (baseline) | {baseline:.1f} s | {read / baseline:,.0f} | |\n"
            f"| plandir import nppes | {seconds:.1f} s | {args.rows / seconds:,.0f} | {rss} MB |\n\n"
            f"Ratio of import time to the baseline: {seconds / baseline:.2f}x; NDJSON written: {written} MB.\n"
            f"The generator feeds both through a FIFO, so each time includes making the rows.\n\n"
            f"`{done.stdout.strip()}`\n")
        print(text)
        out = ROOT / "Benchmarks" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "import-nppes-latest.md").write_text(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
