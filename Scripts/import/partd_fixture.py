#!/usr/bin/env python3
"""Writes the Part D fixtures in Tests/Fixtures/import/partd: the plan information file
(Windows-1252) and the basic drugs formulary file with the header lines CMS publishes, a few
lines of RXNCONSO.RRF, all synthetic (RXCUIs from 90000001, contracts H9xxx and S9xxx), and about
a dozen bad rows. Committed output; the tests never run this.

    Scripts/import/partd_fixture.py
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "import" / "partd"

PLAN_HEADER = ("CONTRACT_ID|PLAN_ID|SEGMENT_ID|CONTRACT_NAME|PLAN_NAME|FORMULARY_ID|PREMIUM|DEDUCTIBLE|MA_REGION_CODE|"
               "PDP_REGION_CODE|STATE|COUNTY_CODE|SNP|PLAN_SUPPRESSED_YN")
FORMULARY_HEADER = ("FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|"
                    "QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN")

PLANS = [
    "H9001|001|000|Acme Health Plans Inc.|Acme Senior Rx (HMO)|00090001|32.50|0|01||CT|09003|0|N",
    "H9001|001|000|Acme Health Plans Inc.|Acme Senior Rx (HMO)|00090001|32.50|0|01||CT|09009|0|N",
    "H9001|002|001|Acme Health Plans Inc.|Salud Médica Rx’s Plus|00090002|0|545|01||CT|09003|0|N",
    "S9002|010|000|Beacon Rx LLC|Beacon Basic PDP|00090002|28.10|545||05|NY|36061|0|N",
    "S9002|011|000|Beacon Rx LLC|Beacon Hidden PDP|00090002|28.10|545||05|NY|36061|0|Y",
    "S9002|011|000|Beacon Rx LLC|Beacon Hidden PDP|00090002|28.10|545||05|NY|36047|0|Y",
    "H9001|001|000|Acme Health Plans Inc.|Acme Senior Rx (HMO)|00090002|32.50|0|01||CT|09011|0|N",
    "H9003|001|000|Gone Plans|No Formulary Plan|00099999|10|0|01||CT|09003|0|N",
    "H9004|001|000|Short Row Plans|Too Short",
    "H9005||000|Blank Plan Id|Nameless|00090001|0|0|01||CT|09003|0|N",
    "H9006|001|000|Letters|Bad Formulary|F0090001|0|0|01||CT|09003|0|N",
]

FORMULARY = [
    # Two NDC rows that agree.
    "00090001|12|2026|90000001|00000000001|1|N|||N|N|N",
    "00090001|12|2026|90000001|00000000002|1|N|||N|N|N",
    # Two NDC rows that disagree: tier 2 and 3, one with a quantity limit: the stricter is kept.
    "00090001|12|2026|90000002|00000000003|2|N|||N|N|N",
    "00090001|12|2026|90000002|00000000004|3|Y|30|30|Y|N|N",
    # Prior authorization and step therapy; a quantity limit of 4 per 28 days.
    "00090001|12|2026|90000003|00000000005|5|Y|4|28|Y|Y|N",
    # Tier 6 is not in the tier map.
    "00090001|12|2026|90000004|00000000006|6|N|||N|N|N",
    # Bad rows.
    "00090001|12|2026|90000005|00000000007|1|X|||N|N|N",
    "00090001|12|2026|90000006|00000000008|two|N|||N|N|N",
    "00090001|12|2026|90000007|00000000009|1|N",
    "00090001|12|2026|9000A007|00000000010|1|N|||N|N|N",
    "0009000X|12|2026|90000008|00000000011|1|N|||N|N|N",
    "00090001|12|2026|90000008|00000000012|1|N|||N|N|M",
    # The first RXCUI again, apart from its other rows.
    "00090001|12|2026|90000001|00000000013|2|N|||N|N|N",
    # A second formulary that shares a drug.
    "00090002|7|2026|90000001|00000000001|2|N|||N|N|N",
    "00090002|7|2026|90000003|00000000005|4|Y|8|28|Y|N|N",
]

RXNCONSO = [
    "90000001|ENG||L1|PF|S1|Y|A1||||RXNORM|SCD|90000001|amoxicillin 500 MG Oral Capsule||N|4096|",
    "90000001|ENG||L2|PF|S2|N|A2||||MTHSPL|SU|X1|AMOXICILLIN 500MG CAP||N||",
    "90000002|ENG||L3|PF|S3|Y|A3||||RXNORM|SBD|90000002|amoxicillin 875 MG / clavulanate 125 MG Oral Tablet [Augmentin]||N|4096|",
    "90000003|ENG||L4|PF|S4|Y|A4||||RXNORM|SCD|90000003|adalimumab 40 MG/0.4ML Auto-Injector||N|4096|",
    "90000003|ENG||L5|PF|S5|N|A5||||RXNORM|SY|90000003|Humira pen||N||",
]

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "plan_information_PPUF_2026Q1.txt").write_bytes(
        ("\r\n".join([PLAN_HEADER] + PLANS) + "\r\n").encode("cp1252"))
    (OUT / "basic_drugs_formulary_file_PPUF_2026Q1.txt").write_text("\n".join([FORMULARY_HEADER] + FORMULARY) + "\n")
    (OUT / "RXNCONSO.RRF").write_text("\n".join(RXNCONSO) + "\n")
