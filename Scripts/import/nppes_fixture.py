#!/usr/bin/env python3
"""Writes the NPPES fixtures in Tests/Fixtures/import/nppes: the V1 and V2 header lines as CMS
publishes them (V2 names V1's "Provider Gender Code" "Provider Sex Code"), synthetic providers
with Luhn-valid NPIs (none copied from a CMS download), and a dozen bad rows. Committed output;
the tests never run this.

    Scripts/import/nppes_fixture.py
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "import" / "nppes"


def npi(base):
    """The 10-digit NPI for a 9-digit base: Luhn over 80840 + base."""
    digits = f"{base:09d}"
    total = 24
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


PRACTICE = "Provider Business Practice Location Address"
HEADER_V1 = (
    ["NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
     "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)", "Provider First Name",
     "Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text", "Provider Credential Text",
     "Provider Other Organization Name", "Provider Other Organization Name Type Code", "Provider Other Last Name",
     "Provider Other First Name", "Provider Other Middle Name", "Provider Other Name Prefix Text",
     "Provider Other Name Suffix Text", "Provider Other Credential Text", "Provider Other Last Name Type Code",
     "Provider First Line Business Mailing Address", "Provider Second Line Business Mailing Address",
     "Provider Business Mailing Address City Name", "Provider Business Mailing Address State Name",
     "Provider Business Mailing Address Postal Code",
     "Provider Business Mailing Address Country Code (If outside U.S.)",
     "Provider Business Mailing Address Telephone Number", "Provider Business Mailing Address Fax Number",
     "Provider First Line Business Practice Location Address",
     "Provider Second Line Business Practice Location Address", f"{PRACTICE} City Name", f"{PRACTICE} State Name",
     f"{PRACTICE} Postal Code", f"{PRACTICE} Country Code (If outside U.S.)", f"{PRACTICE} Telephone Number",
     f"{PRACTICE} Fax Number", "Provider Enumeration Date", "Last Update Date", "NPI Deactivation Reason Code",
     "NPI Deactivation Date", "NPI Reactivation Date", "Provider Gender Code", "Authorized Official Last Name",
     "Authorized Official First Name", "Authorized Official Middle Name", "Authorized Official Title or Position",
     "Authorized Official Telephone Number"]
    + [c for n in range(1, 16) for c in (f"Healthcare Provider Taxonomy Code_{n}", f"Provider License Number_{n}",
                                          f"Provider License Number State Code_{n}",
                                          f"Healthcare Provider Primary Taxonomy Switch_{n}")]
    + [c for n in range(1, 51) for c in (f"Other Provider Identifier_{n}", f"Other Provider Identifier Type Code_{n}",
                                          f"Other Provider Identifier State_{n}", f"Other Provider Identifier Issuer_{n}")]
    + ["Is Sole Proprietor", "Is Organization Subpart", "Parent Organization LBN", "Parent Organization TIN",
       "Authorized Official Name Prefix Text", "Authorized Official Name Suffix Text",
       "Authorized Official Credential Text"]
    + [f"Healthcare Provider Taxonomy Group_{n}" for n in range(1, 16)]
    + ["Certification Date"])
HEADER_V2 = ["Provider Sex Code" if c == "Provider Gender Code" else c for c in HEADER_V1]
assert len(HEADER_V1) == 330

PL_HEADER = [
    "NPI", "Provider Secondary Practice Location Address- Address Line 1",
    "Provider Secondary Practice Location Address-  Address Line 2",
    "Provider Secondary Practice Location Address - City Name",
    "Provider Secondary Practice Location Address - State Name",
    "Provider Secondary Practice Location Address - Postal Code",
    "Provider Secondary Practice Location Address - Country Code (If outside U.S.)",
    "Provider Secondary Practice Location Address - Telephone Number",
    "Provider Secondary Practice Location Address - Telephone Extension",
    "Provider Practice Location Address - Fax Number"]


def quoted(fields):
    return ",".join('"' + f.replace('"', '""') + '"' for f in fields)


def row(header, gender_column, **values):
    fields = [""] * len(header)
    names = {
        "npi": "NPI", "entity": "Entity Type Code", "org": "Provider Organization Name (Legal Business Name)",
        "last": "Provider Last Name (Legal Name)", "first": "Provider First Name", "middle": "Provider Middle Name",
        "prefix": "Provider Name Prefix Text", "suffix": "Provider Name Suffix Text",
        "credential": "Provider Credential Text", "line1": "Provider First Line Business Practice Location Address",
        "line2": "Provider Second Line Business Practice Location Address", "city": f"{PRACTICE} City Name",
        "state": f"{PRACTICE} State Name", "zip": f"{PRACTICE} Postal Code", "phone": f"{PRACTICE} Telephone Number",
        "enumerated": "Provider Enumeration Date", "updated": "Last Update Date",
        "deactivated": "NPI Deactivation Date", "gender": gender_column,
        "mail1": "Provider First Line Business Mailing Address", "mailcity": "Provider Business Mailing Address City Name",
    }
    taxonomies = values.pop("taxonomies", [])
    for key, value in values.items():
        fields[header.index(names[key])] = value
    for n, (code, switch) in enumerate(taxonomies, start=1):
        fields[header.index(f"Healthcare Provider Taxonomy Code_{n}")] = code
        fields[header.index(f"Healthcare Provider Primary Taxonomy Switch_{n}")] = switch
    return fields


NPIS = {name: npi(base) for name, base in [
    ("rivera", 123456780), ("okafor", 123456781), ("lindqvist", 123456782), ("clinic", 123456783),
    ("deactivated", 123456784), ("tanaka", 123456785), ("nozcta", 123456786), ("bad-date", 123456787),
    ("bad-month", 123456788), ("entity3", 123456789), ("short", 123456790), ("long", 123456791),
    ("noentity", 123456792), ("shortdate", 123456793), ("quote", 123456794), ("open", 123456795),
    ("v1a", 223456780), ("v1b", 223456781), ("missing", 323456780), ("ghost", 323456781)]}
ADDRESS = dict(line1="100 PEARL ST", city="HARTFORD", state="CT", zip="06103", phone="8605550100",
               enumerated="01/15/2010", updated="07/08/2024")


def main_v2():
    h = HEADER_V2
    g = "Provider Sex Code"
    rows = [
        row(h, g, npi=NPIS["rivera"], entity="1", last="RIVERA", first="DANA", middle="M", credential="M.D.",
            gender="F", taxonomies=[("207R00000X", "N"), ("207RC0000X", "Y")], mail1="PO BOX 1", mailcity="ELSEWHERE",
            **ADDRESS),
        row(h, g, npi=NPIS["okafor"], entity="1", last="OKAFOR", first="CHIDI", prefix="DR.", credential="D.O.",
            gender="M", taxonomies=[("207Q00000X", "N"), ("208D00000X", "N")],
            **{**ADDRESS, "line1": "25 ASYLUM ST", "zip": "06103"}),
        row(h, g, npi=NPIS["lindqvist"], entity="1", last="LINDQVIST", first="ASTRID", suffix="JR.",
            credential="NP", gender="X", taxonomies=[("363LF0000X", "Y"), ("363L00000X", "Y")],
            **{**ADDRESS, "line1": "80 JEFFERSON ST", "line2": "SUITE 4", "zip": "061061234"}),
        row(h, g, npi=NPIS["clinic"], entity="2", org="HARTFORD SAMPLE CLINIC LLC",
            taxonomies=[("193400000X", "Y")], **{**ADDRESS, "line1": "1 CONSTITUTION PLZ"}),
        row(h, g, npi=NPIS["deactivated"], deactivated="03/01/2020"),
        row(h, g, npi=NPIS["tanaka"], entity="1", last="TANAKA", first="HIRO", credential="MD", gender="M",
            taxonomies=[("207X00000X", "Y")], **{**ADDRESS, "line1": "5 MAIN ST", "city": "ALBANY", "state": "NY",
                                                  "zip": "12207", "phone": "5185550100"}),
        row(h, g, npi=NPIS["nozcta"], entity="1", last="PALMA", first="ROSA", credential="PA-C", gender="F",
            taxonomies=[("363A00000X", "Y")], **{**ADDRESS, "zip": "99999"}),
    ]
    bad = [
        ("valid-looking NPI that fails the Luhn check", row(h, g, npi=NPIS["rivera"][:9] + str((int(NPIS["rivera"][9]) + 1) % 10),
                                                           entity="1", last="WRONGCHECK", first="A", **ADDRESS)),
        ("letters in the NPI", row(h, g, npi="12345ABCDE", entity="1", last="LETTERS", first="B", **ADDRESS)),
        ("a date written ISO-style", row(h, g, npi=NPIS["bad-date"], entity="1", last="ISODATE", first="C",
                                         **{**ADDRESS, "updated": "2024-07-08"})),
        ("month 13", row(h, g, npi=NPIS["bad-month"], entity="1", last="MONTH", first="D",
                         **{**ADDRESS, "updated": "13/01/2024"})),
        ("entity type 3", row(h, g, npi=NPIS["entity3"], entity="3", last="THIRD", first="E", **ADDRESS)),
        ("no entity type, not deactivated", row(h, g, npi=NPIS["noentity"], last="NOENTITY", first="F", **ADDRESS)),
        ("one-digit month", row(h, g, npi=NPIS["shortdate"], entity="1", last="SHORTDATE", first="G",
                                **{**ADDRESS, "enumerated": "7/8/2010"})),
    ]
    lines = [quoted(h)] + [quoted(r) for r in rows] + [quoted(r) for _, r in bad]
    short = row(h, g, npi=NPIS["short"], entity="1", last="SHORT", first="H", **ADDRESS)[:200]
    lines.append(quoted(short))
    long = row(h, g, npi=NPIS["long"], entity="1", last="LONG", first="I", **ADDRESS) + ["extra"]
    lines.append(quoted(long))
    stray = quoted(row(h, g, npi=NPIS["quote"], entity="1", last="QUOTE", first="J", **ADDRESS))
    lines.append(stray.replace('"QUOTE"', '"QU"OTE"', 1))
    opened = quoted(row(h, g, npi=NPIS["open"], entity="1", last="OPEN", first="K", **ADDRESS))
    lines.append(opened[:-1])  # the last field's closing quote is missing, to the end of the file
    return "\n".join(lines) + "\n"


def main_v1():
    h = HEADER_V1
    g = "Provider Gender Code"
    rows = [
        row(h, g, npi=NPIS["v1a"], entity="1", last="BRANDT", first="ELSA", credential="MD", gender="F",
            taxonomies=[("207RC0000X", "Y")], **{**ADDRESS, "updated": "11/30/2023"}),
        row(h, g, npi=NPIS["v1b"], entity="1", last="MORALES", first="LUIS", credential="MD", gender="M",
            taxonomies=[("207Q00000X", "Y")], **{**ADDRESS, "line1": "9 ELM ST", "zip": "06106"}),
    ]
    return "\r\n".join([quoted(h)] + [quoted(r) for r in rows]) + "\r\n"


def secondary():
    rows = [
        [NPIS["rivera"], "300 WASHINGTON ST", "", "HARTFORD", "CT", "061061234", "", "8605550199", "", ""],
        [NPIS["clinic"], "12 BROAD ST", "FLOOR 2", "NEW BRITAIN", "CT", "06051", "", "8605550150", "", ""],
        [NPIS["ghost"], "1 NOWHERE RD", "", "HARTFORD", "CT", "06103", "", "", "", ""],
        [NPIS["okafor"][:9] + str((int(NPIS["okafor"][9]) + 1) % 10), "2 BAD RD", "", "HARTFORD", "CT", "06103", "", "", "", ""],
        [NPIS["okafor"], "3 SHORT RD", "HARTFORD"],
    ]
    return "\n".join([quoted(PL_HEADER)] + [quoted(r) for r in rows]) + "\n"


def roster():
    return "\n".join(["NPI", NPIS["rivera"], NPIS["lindqvist"], NPIS["clinic"], NPIS["missing"], "not-an-npi",
                      NPIS["v1a"]]) + "\n"


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "npidata_pfile_20240701-20240707.csv").write_text(main_v2())
    (OUT / "npidata_pfile_v1_20231201-20231207.csv").write_text(main_v1())
    (OUT / "pl_pfile_20240701-20240707.csv").write_text(secondary())
    (OUT / "roster.csv").write_text(roster())
    print("\n".join(f"{k}: {v}" for k, v in NPIS.items()))
