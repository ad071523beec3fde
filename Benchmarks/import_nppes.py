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
    """The header, then `count` rows: the constant columns are joined once, and each row only
    fills in its own values between them."""
    import nppes_fixture as f
    zips = [line.split(",")[0] for line in (ROOT / "Data/geo/zcta-2023.csv").read_text().splitlines()[1:2001]]
    index = {name: i for i, name in enumerate(header)}
    names = [
        "NPI", "Entity Type Code", "Provider Organization Name (Legal Business Name)",
        "Provider Last Name (Legal Name)", "Provider First Name", "Provider Credential Text",
        "Provider First Line Business Practice Location Address",
        "Provider Business Practice Location Address City Name",
        "Provider Business Practice Location Address State Name",
        "Provider Business Practice Location Address Postal Code",
        "Provider Business Practice Location Address Telephone Number", "Provider Enumeration Date",
        "Last Update Date", "NPI Deactivation Date", "Provider Sex Code", "Healthcare Provider Taxonomy Code_1",
        "Healthcare Provider Primary Taxonomy Switch_1", "Healthcare Provider Taxonomy Code_2",
        "Healthcare Provider Primary Taxonomy Switch_2"]
    columns = sorted(index[n] for n in names)
    # Constant text between variable columns: the quoted empty fields and their commas.
    segments, previous = [], -1
    for column in columns:
        segments.append(",".join(['""'] * (column - previous - 1)))
        previous = column
    tail = ",".join(['""'] * (len(header) - previous - 1))
    yield f.quoted(header) + "\n"
    for n in range(count):
        v = dict.fromkeys(names, "")
        v["NPI"] = f.npi(100_000_000 + n)
        if n % 200 == 7:
            v["NPI Deactivation Date"] = "03/01/2020"
        else:
            organization = n % 50 == 3
            v["Entity Type Code"] = "2" if organization else "1"
            if organization:
                v["Provider Organization Name (Legal Business Name)"] = f"CLINIC {n} LLC"
            else:
                v["Provider Last Name (Legal Name)"] = f"LAST{n % 9973}"
                v["Provider First Name"] = f"FIRST{n % 101}"
                v["Provider Credential Text"] = "MD"
                v["Provider Sex Code"] = "F" if n % 2 else "M"
            v["Provider First Line Business Practice Location Address"] = f"{n % 999} MAIN ST"
            v["Provider Business Practice Location Address City Name"] = "SPRINGFIELD"
            v["Provider Business Practice Location Address State Name"] = "MA"
            v["Provider Business Practice Location Address Postal Code"] = zips[n % len(zips)] + "1234"
            v["Provider Business Practice Location Address Telephone Number"] = "4135550100"
            v["Provider Enumeration Date"] = "01/15/2010"
            v["Last Update Date"] = "07/08/2024"
            v["Healthcare Provider Taxonomy Code_1"] = "207Q00000X"
            v["Healthcare Provider Primary Taxonomy Switch_1"] = "Y"
            if n % 3 == 0:
                v["Healthcare Provider Taxonomy Code_2"] = "207R00000X"
                v["Healthcare Provider Primary Taxonomy Switch_2"] = "N"
        by_column = {index[k]: val for k, val in v.items()}
        parts = []
        for segment, column in zip(segments, columns):
            if segment:
                parts.append(segment)
            parts.append('"' + by_column[column] + '"')
        if tail:
            parts.append(tail)
        yield ",".join(parts) + "\n"


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
