"""Real client libraries against a live plandir over the Plan-Net reference data."""
import requests
from fhir.resources.R4B.bundle import Bundle as ValidatedBundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhirclient.models.bundle import Bundle as StrictBundle
from fhirpy import SyncFHIRClient

TYPES = ["Endpoint", "HealthcareService", "InsurancePlan", "Location", "Organization", "OrganizationAffiliation",
         "Practitioner", "PractitionerRole"]


def pages(base, type_, count=50):
    """Every searchset page of a type, following next links."""
    url = f"{base}/{type_}?_count={count}"
    while url:
        page = requests.get(url, timeout=30).json()
        yield page
        url = next((link["url"] for link in page.get("link", []) if link["relation"] == "next"), None)


def strict_parse_counts(base):
    """(resources parsed, pages refused) by fhirclient's strict R4 models, over every type."""
    parsed, refused = 0, 0
    for type_ in TYPES:
        for page in pages(base, type_):
            try:
                bundle = StrictBundle(page, strict=True)
                parsed += len(bundle.entry or [])
            except Exception:
                refused += 1
    return parsed, refused


def numeric_identifier_values(value, under_identifier=False):
    """Identifier values written as JSON numbers, counted in the raw source."""
    if isinstance(value, dict):
        n = 1 if under_identifier and isinstance(value.get("value"), (int, float)) else 0
        return n + sum(numeric_identifier_values(v, k == "identifier") for k, v in value.items())
    if isinstance(value, list):
        return sum(numeric_identifier_values(v, under_identifier) for v in value)
    return 0


def bad_resources(ri_source):
    return sum(1 for by_id in ri_source.values() for r in by_id.values() if numeric_identifier_values(r))


def test_fhirclient_refuses_unrepaired_pages_and_reads_every_repaired_resource(unrepaired, repaired, ri_source):
    total = sum(len(v) for v in ri_source.values())
    bad_values = numeric_identifier_values([r for by_id in ri_source.values() for r in by_id.values()])
    before = strict_parse_counts(unrepaired[0])
    after = strict_parse_counts(repaired[0])
    print(f"\nfhirclient strict models: without --repair {before[0]} resources parsed, {before[1]} pages refused; "
          f"with --repair {after[0]} parsed, {after[1]} refused; {total} in the source")
    assert before[1] > 0, "the numeric Identifier.values break whole pages"
    assert after == (total, 0)
    assert unrepaired[1]["warningsByKind"].get("wrong-type") == bad_values
    assert sum(1 for i in repaired[1]["issues"] if i["reason"].endswith("; repaired")) == bad_values


def rejected_by_fhir_resources(base):
    """Resources that fhir.resources' R4B models refuse, validated one by one."""
    from fhir.resources.R4B import get_fhir_model_class

    refused = 0
    for type_ in TYPES:
        model = get_fhir_model_class(type_)
        for page in pages(base, type_, count=200):
            for entry in page.get("entry", []):
                try:
                    model.model_validate(entry["resource"])
                except Exception:
                    refused += 1
    return refused


def test_fhir_resources_refuses_the_unrepaired_resources_only(unrepaired, repaired, ri_source):
    before, after = rejected_by_fhir_resources(unrepaired[0]), rejected_by_fhir_resources(repaired[0])
    print(f"\nfhir.resources R4B models: {before} resources refused without --repair, {after} with it")
    assert (before, after) == (bad_resources(ri_source), 0)


def test_fhir_resources_validates_every_bundle_and_outcome(repaired):
    base = repaired[0]
    for type_ in TYPES:
        for page in pages(base, type_, count=200):
            ValidatedBundle.model_validate(page)
    bad = requests.get(f"{base}/Practitioner?no-such-parameter=1", timeout=30)
    assert bad.status_code == 400
    OperationOutcome.model_validate(bad.json())


def test_fhirpy_fetch_all_matches_the_accurate_total(repaired):
    base = repaired[0]
    client = SyncFHIRClient(base)
    for type_ in ["Practitioner", "Organization", "Location"]:
        total = requests.get(f"{base}/{type_}?_total=accurate&_count=0", timeout=30).json()["total"]
        fetched = client.resources(type_).limit(100).fetch_all()
        assert len(fetched) == total
        assert len({r.id for r in fetched}) == total


def test_fhirpy_chains_has_and_includes_match_the_raw_data(repaired, ri_source):
    base = repaired[0]
    client = SyncFHIRClient(base)
    roles = ri_source["PractitionerRole"]
    locations = ri_source["Location"]

    def ref_ids(resource, key):
        value = resource.get(key)
        values = value if isinstance(value, list) else [value] if value else []
        return [v["reference"].split("/")[-1] for v in values if "reference" in v]

    # A chain: roles at a location in a city.
    city = next(l["address"]["city"] for l in locations.values() if l.get("address", {}).get("city"))
    in_city = {lid for lid, l in locations.items() if l.get("address", {}).get("city", "").lower().startswith(city.lower())}
    expected = {rid for rid, r in roles.items() if set(ref_ids(r, "location")) & in_city}
    found = {r.id for r in client.resources("PractitionerRole").search(**{"location.address-city": city}).fetch_all()}
    assert found == expected and expected

    # _has: practitioners with a role of a specialty.
    code = next(c["code"] for r in roles.values() for s in r.get("specialty", []) for c in s.get("coding", []))
    with_code = {rid for rid, r in roles.items() if any(c.get("code") == code for s in r.get("specialty", [])
                                                         for c in s.get("coding", []))}
    practitioners = {p for rid in with_code for p in ref_ids(roles[rid], "practitioner")}
    found = {p.id for p in client.resources("Practitioner").search(
        **{"_has:PractitionerRole:practitioner:specialty": code}).fetch_all()}
    assert found == practitioners and practitioners

    # _include: the page's roles bring their locations, once each.
    bundle = requests.get(f"{base}/PractitionerRole?specialty={code}&_include=PractitionerRole:location&_count=20",
                          timeout=30).json()
    matches = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    included = {e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "include"}
    wanted = {lid for r in matches for lid in ref_ids(r, "location") if lid in locations}
    assert included == wanted

    # A bare _include=* as fhirpy sends it.
    bare = client.resources("PractitionerRole").search(specialty=code).include("*").limit(5).fetch_raw()
    assert any(e.search.mode == "include" for e in bare.entry)


def test_the_readme_formulary_queries_match_the_raw_data(sample):
    base, source = sample
    client = SyncFHIRClient(base)
    rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

    def ext_ref(resource, suffix):
        return [e["valueReference"]["reference"] for e in resource.get("extension", [])
                if e["url"].endswith(suffix) and "valueReference" in e]

    # Formularies: InsurancePlans typed DRUGPOL.
    drugpol = {pid for pid, p in source["InsurancePlan"].items()
               if any(c.get("code") == "DRUGPOL" for t in p.get("type", []) for c in t.get("coding", []))}
    found = {p.id for p in client.resources("InsurancePlan").search(
        type="http://terminology.hl7.org/CodeSystem/v3-ActCode|DRUGPOL").fetch_all()}
    assert found == drugpol and drugpol

    # A drug by name: any coding display starting with the word (case-insensitive).
    drugs = source["MedicationKnowledge"]
    name = "doxepin"
    named = {did for did, d in drugs.items()
             if any(c.get("display", "").lower().startswith(name) for c in d["code"]["coding"])}
    found = {d.id for d in client.resources("MedicationKnowledge").search(**{"drug-name": name}).fetch_all()}
    assert named <= found and named

    # Which formularies cover a drug: items whose subject has the RxNorm code, with their formularies.
    drug_id, drug = next(iter(sorted(drugs.items())))
    code = next(c["code"] for c in drug["code"]["coding"] if c["system"] == rxnorm)
    items = {bid: b for bid, b in source["Basic"].items() if b.get("subject", {}).get("reference") ==
             f"MedicationKnowledge/{drug_id}"}
    bundle = requests.get(f"{base}/Basic", params={"subject:MedicationKnowledge.code": f"{rxnorm}|{code}",
                                                  "_include": "Basic:formulary", "_count": "100"}, timeout=30).json()
    matches = {e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"}
    included = {f'{e["resource"]["resourceType"]}/{e["resource"]["id"]}' for e in bundle.get("entry", [])
                if e["search"]["mode"] == "include"}
    assert matches == set(items) and items
    assert included == {r for b in items.values() for r in ext_ref(b, "usdf-FormularyReference-extension")}

    # The drug with every formulary item that points at it.
    bundle = requests.get(f"{base}/MedicationKnowledge", params={"_id": drug_id, "_revinclude": "Basic:subject"},
                          timeout=30).json()
    assert {e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "include"} == set(items)
