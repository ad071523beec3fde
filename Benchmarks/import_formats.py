#!/usr/bin/env python3
"""Rate and peak memory of `plandir import partd` and `plandir import qhp` on full-size generated
input, streamed through FIFOs so it is never on disk.

  Benchmarks/import_formats.py partd [--rows 1500000] [--binary PATH]
  Benchmarks/import_formats.py qhp [--rows 500000] [--binary PATH]

partd: a plan information file (cp1252, 6,000 plan-county rows, on disk) and a basic drugs formulary file
of --rows rows: 400 formularies, RXCUIs in order within each, every third RXCUI with a second NDC
row (one in a hundred disagreeing, so reported). About the size of a CMS quarterly release (1.3 to 1.6 million rows).

qhp: cms-data-index.json, plans.json (40 plans, two network tiers each), providers.json of --rows
providers (every 20th a facility; two addresses and two plan networks each, so four
PractitionerRoles per individual) and drugs.json (6,000 drugs on every plan), like a large issuer's
files.

The import runs under GNU time -v (peak RSS). The baseline, in the same run, is Python reading the
same streams: csv.reader for partd, json.load for qhp. Writes
Benchmarks/results/import-KIND-latest.md. Stops by itself; removes its output.
"""
import argparse, csv, json, os, pathlib, shutil, subprocess, sys, tempfile, threading, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Scripts" / "import"))

PARTD_FORMULARIES = 400
QHP_PLANS = 40
QHP_DRUGS = 6000


def partd_streams(rows):
    import partd_fixture as f

    def plans():
        yield f.PLAN_HEADER + "\r\n"
        for n in range(6000):
            contract, formulary = f"H{9000 + n // 30:04d}", f"{90000 + n % PARTD_FORMULARIES:08d}"
            yield (f"{contract}|{n % 30 // 3 + 1:03d}|000|Bench Health Plans Inc.|Bench Rx Plan {n}|{formulary}|"
                   f"32.50|0|01||CT|{9000 + n % 3:05d}|0|N\r\n")

    def formulary():
        yield f.FORMULARY_HEADER + "\n"
        per = rows // PARTD_FORMULARIES
        written = 0
        for form in range(PARTD_FORMULARIES):
            rxcui = 0
            while written < rows and written < per * (form + 1):
                rxcui += 1
                base = f"{90000 + form:08d}|12|2026|{1000000 + rxcui}"
                yield f"{base}|{rxcui:011d}|{rxcui % 5 + 1}|N|||N|N|N\n"
                written += 1
                if rxcui % 3 == 0 and written < per * (form + 1):
                    # A second NDC of the drug: the same terms, but one in a hundred disagrees.
                    second = f"{rxcui % 5 + 2}|Y|30|30|Y" if rxcui % 100 == 0 else f"{rxcui % 5 + 1}|N|||N"
                    yield f"{base}|{rxcui + 50000000:011d}|{second}|N|N\n"
                    written += 1

    # The plan file is small and read twice (sniffed, then imported once every formulary id is
    # known), so it is written to disk; the formulary file streams.
    return {"basic_drugs_formulary_file_PPUF_bench.txt": (formulary, "utf-8")}, {
        "plan_information_PPUF_bench.txt": (plans, "cp1252")}


def qhp_streams(rows):
    from nppes_fixture import npi
    ids = [f"{99100 + n // 4}CT{n % 4:03d}0001" for n in range(QHP_PLANS)]

    def array(items):
        yield "["
        for n, item in enumerate(items):
            yield ("," if n else "") + "\n" + json.dumps(item, separators=(",", ":"))
        yield "\n]\n"

    def plans():
        return array({"plan_id_type": "HIOS-PLAN-ID", "plan_id": plan, "marketing_name": f"Bench Plan {plan}",
                      "network": [{"network_tier": "PREFERRED"}, {"network_tier": "NON-PREFERRED"}],
                      "formulary": [{"drug_tier": "GENERIC", "mail_order": True}],
                      "last_updated_on": "2026-01-15"} for plan in ids)

    def providers():
        def one(n):
            membership = [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": ids[(n + k) % QHP_PLANS],
                           "network_tier": "PREFERRED", "years": [2026]} for k in (0, 7)]
            addresses = [{"address": f"{n % 997 + k} Main St", "address_2": "", "city": "HARTFORD", "state": "CT",
                          "zip": f"06{100 + (n + k) % 60:03d}", "phone": "8605550100"} for k in (0, 1)]
            common = {"npi": npi(300_000_000 + n), "addresses": addresses, "plans": membership,
                      "last_updated_on": "2026-02-01"}
            if n % 20 == 3:
                return {**common, "type": "FACILITY", "facility_name": f"Bench Clinic {n}",
                        "facility_type": ["Clinic"]}
            return {**common, "type": "INDIVIDUAL",
                    "name": {"first": f"First{n % 101}", "middle": "", "last": f"Last{n % 9973}"},
                    "specialty": ["Cardiology"], "accepting": "accepting" if n % 2 else "not accepting",
                    "languages": ["English", "Spanish"], "gender": "Female" if n % 2 else "Male"}
        return array(one(n) for n in range(rows))

    def drugs():
        tiers = ["GENERIC", "PREFERRED-BRAND", "NON-PREFERRED-BRAND", "SPECIALTY"]
        return array({"rxnorm_id": str(1000000 + n), "drug_name": f"bench drug {n}",
                      "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": plan, "drug_tier": tiers[n % 4],
                                 "prior_authorization": n % 7 == 0, "step_therapy": False,
                                 "quantity_limit": n % 3 == 0} for plan in ids]} for n in range(QHP_DRUGS))

    return {"plans.json": (plans, "utf-8"), "providers.json": (providers, "utf-8"), "drugs.json": (drugs, "utf-8")}, {}


def feed(path, make, encoding):
    with open(path, "w", encoding=encoding, newline="") as out:
        for chunk in make():
            out.write(chunk)


def start(work, streams):
    """Makes a FIFO per stream and a daemon writer for each (a failed reader must not hang us)."""
    for name in streams:
        path = work / name
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    threads = [threading.Thread(target=feed, args=(work / name, make, enc), daemon=True)
               for name, (make, enc) in streams.items()]
    for thread in threads:
        thread.start()
    return threads


def baseline(kind, work, streams):
    started = time.monotonic()
    count = 0
    for name, (_, encoding) in streams.items():
        with open(work / name, encoding=encoding, newline="") as source:
            if kind == "partd":
                count += sum(1 for _ in csv.reader(source, delimiter="|")) - 1
            else:
                count += len(json.load(source))
    return count, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["partd", "qhp"])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--work", default=None)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "plandir"))
    args = parser.parse_args()
    rows = args.rows or (1_500_000 if args.kind == "partd" else 500_000)
    make = partd_streams if args.kind == "partd" else qhp_streams
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix=f"plandir-import-{args.kind}-"))
    work.mkdir(parents=True, exist_ok=True)
    output = work / "out"
    try:
        streams, files = make(rows)
        for name, (write, encoding) in files.items():
            feed(work / name, write, encoding)
        threads = start(work, streams)
        read, base = baseline(args.kind, work, {**files, **streams})
        for thread in threads:
            thread.join()
        if args.kind == "partd":
            inputs = [str(work / name) for name in [*files, *streams]]
            extra = ["--tier-map", "1=generic,2=preferred-brand,3=non-preferred-brand,4=specialty,"
                     "5=zero-cost-share-preventative,6=specialty,7=specialty"]
        else:
            (work / "cms-data-index.json").write_text(json.dumps({
                "plan_urls": ["https://example.org/plans.json"],
                "provider_urls": ["https://example.org/providers.json"],
                "formulary_urls": ["https://example.org/drugs.json"]}))
            inputs, extra = [str(work / "cms-data-index.json")], []
        threads = start(work, streams)
        started = time.monotonic()
        done = subprocess.run(
            ["/usr/bin/time", "-v", args.binary, "import", args.kind, *inputs, "--output", str(output),
             "--report", str(work / "report.jsonl"), *extra],
            capture_output=True, text=True, timeout=3600)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr[-2000:]}")
        rss = next(int(l.split(":")[1]) for l in done.stderr.splitlines() if "Maximum resident" in l) // 1024
        written = sum(p.stat().st_size for p in output.glob("*.ndjson")) >> 20
        text = (
            f"# plandir import {args.kind}: {read:,} source rows, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}\n\n"
            f"| run | time | rows/s | peak RSS |\n|---|---:|---:|---:|\n"
            f"| Python {'csv.reader' if args.kind == 'partd' else 'json.load'} over the same streams (baseline) "
            f"| {base:.1f} s | {read / base:,.0f} | |\n"
            f"| plandir import {args.kind} | {seconds:.1f} s | {read / seconds:,.0f} | {rss} MB |\n\n"
            f"Ratio of import time to the baseline: {seconds / base:.2f}x; NDJSON written: {written} MB.\n"
            f"Rows are source records (delimited lines, or top-level array elements). The generator feeds "
            f"both through FIFOs, so each time includes making the input.\n\n`{done.stdout.strip()}`\n")
        print(text)
        out = ROOT / "Benchmarks" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"import-{args.kind}-latest.md").write_text(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
