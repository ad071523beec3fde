#!/usr/bin/env python3
"""Writes Sources/Server/Web/Static/specialties.json, the member-service page's specialty list.

Source: the Plan-Net 1.1.0 IndividualAndGroupSpecialtiesVS and NonIndividualSpecialtiesVS
ValueSets (NUCC provider taxonomy codes with displays), from the IG package beside the
checkout. The build and the tests never run this; the output is committed.

    Scripts/web/specialties.py [../shared/fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0]
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
package = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0"
seen = {}
for name in ("IndividualAndGroupSpecialtiesVS", "NonIndividualSpecialtiesVS"):
    valueset = json.loads((package / f"ValueSet-{name}.json").read_text())
    for include in valueset["compose"]["include"]:
        for concept in include.get("concept", []):
            seen.setdefault(concept["code"], concept.get("display", concept["code"]))
rows = sorted(seen.items(), key=lambda item: (item[1].lower(), item[0]))
out = root / "Sources/Server/Web/Static/specialties.json"
out.write_text(json.dumps([{"code": c, "display": d} for c, d in rows], ensure_ascii=False, separators=(",", ":")) + "\n")
print(f"{len(rows)} specialties -> {out}")
