#!/usr/bin/env python3
"""Writes the QHP fixtures in Tests/Fixtures/import/qhp, in the shapes of the CMS QHP provider and
formulary JSON schema (github.com/CMSgov/QHP-provider-formulary-APIs): synthetic plans (issuers
99xxx), Luhn-valid NPIs, RXCUIs from 90000001, and the bad input the importer reports. Committed
output; the tests never run this.

    Scripts/import/qhp_fixture.py
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "import" / "qhp"
sys.path.insert(0, str(ROOT / "Scripts" / "import"))
from nppes_fixture import npi  # noqa: E402

GOLD, SILVER = "99001CT0010001", "99001CT0010002"
PLANS = [
    {"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "marketing_name": "Nutmeg Gold PPO",
     "summary_url": "https://example.org/gold", "network": [{"network_tier": "PREFERRED"}, {"network_tier": "NON-PREFERRED"}],
     "formulary": [{"drug_tier": "GENERIC", "mail_order": True}, {"drug_tier": "PREFERRED-BRAND", "mail_order": False}],
     "last_updated_on": "2026-01-15"},
    {"plan_id_type": "HIOS-PLAN-ID", "plan_id": SILVER, "marketing_name": "Nutmeg Silver HMO",
     "network": [{"network_tier": "PREFERRED"}], "formulary": [{"drug_tier": "GENERIC", "mail_order": False}],
     "last_updated_on": "2026-01-16"},
    {"plan_id_type": "HIOS-PLAN-ID", "plan_id": "99001CT001", "marketing_name": "Short Id Plan",
     "network": [{"network_tier": "PREFERRED"}], "last_updated_on": "2026-01-16"},
]


def address(line, zip_code, phone="8605550100"):
    return {"address": line, "address_2": "", "city": "HARTFORD", "state": "CT", "zip": zip_code, "phone": phone}


PROVIDERS = [
    {"npi": npi(423456780), "type": "INDIVIDUAL", "name": {"prefix": "Dr.", "first": "Mara", "middle": "", "last": "Quill"},
     "addresses": [address("10 Pearl St", "06103"), address("55 Elm St", "06106")],
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "network_tier": "PREFERRED", "years": [2026]}],
     "specialty": ["Cardiology"], "accepting": "accepting", "languages": ["English", "Spanish"], "gender": "Female",
     "last_updated_on": "2026-02-01"},
    {"npi": npi(423456781), "type": "INDIVIDUAL", "name": {"first": "Owen", "last": "Haddad"},
     "addresses": [address("20 Main St", "06103")],
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": SILVER, "network_tier": "PREFERRED", "years": [2026]}],
     "speciality": ["Family Medicine"], "accepting": "not accepting", "languages": ["English"], "gender": "Male",
     "last_updated_on": "2026-02-02"},
    {"npi": npi(423456782), "type": "INDIVIDUAL", "name": {"first": "Ines", "last": "Baptiste"},
     "addresses": [address("30 Main St", "0610")],
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "network_tier": "PREFERRED", "years": [2026]}],
     "specialty": ["Pediatrics"], "accepting": "accepting in some locations", "languages": [], "gender": "Female",
     "last_updated_on": "2026-02-03"},
    {"npi": npi(423456783), "type": "FACILITY", "facility_name": "Capitol Imaging Center",
     "facility_type": ["Imaging Center"], "addresses": [address("1 State House Sq", "06103")],
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "network_tier": "NON-PREFERRED", "years": [2026]},
               {"plan_id_type": "HIOS-PLAN-ID", "plan_id": "99999CT0019999", "network_tier": "PREFERRED", "years": [2026]}],
     "last_updated_on": "2026-02-04"},
    {"npi": npi(423456784), "type": "INDIVIDUAL", "name": {"first": "Wrong", "last": "Tier"},
     "addresses": [address("40 Main St", "06103")],
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": SILVER, "network_tier": "NON-PREFERRED", "years": [2026]},
               {"plan_id_type": "HIOS-PLAN-ID", "plan_id": "99001CT00100021", "network_tier": "PREFERRED", "years": [2026]}],
     "specialty": ["Dermatology"], "last_updated_on": "2026-02-05"},
    {"npi": "1234567890", "type": "INDIVIDUAL", "name": {"first": "Bad", "last": "Luhn"}, "addresses": [], "plans": []},
    {"npi": npi(423456785), "type": "GROUP", "addresses": [], "plans": []},
]

DRUGS = [
    {"rxnorm_id": "90000001", "drug_name": "amoxicillin 500 MG Oral Capsule",
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "drug_tier": "GENERIC", "prior_authorization": False,
                "step_therapy": False, "quantity_limit": False},
               {"plan_id_type": "HIOS-PLAN-ID", "plan_id": SILVER, "drug_tier": "GENERIC", "prior_authorization": False,
                "step_therapy": False, "quantity_limit": True}]},
    {"rxnorm_id": "90000003", "drug_name": "adalimumab 40 MG/0.4ML Auto-Injector",
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "drug_tier": "SPECIALTY", "prior_authorization": True,
                "step_therapy": True, "quantity_limit": True},
               {"plan_id_type": "HIOS-PLAN-ID", "plan_id": SILVER, "drug_tier": "PLATINUM", "prior_authorization": False,
                "step_therapy": False, "quantity_limit": False}]},
    {"rxnorm_id": "90000009", "drug_name": "influenza vaccine",
     "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": GOLD, "drug_tier": "ZERO-COST-SHARE-PREVENTIVE",
                "prior_authorization": False, "step_therapy": False, "quantity_limit": False},
               {"plan_id_type": "HIOS-PLAN-ID", "plan_id": "99002CT0010001", "drug_tier": "GENERIC",
                "prior_authorization": False, "step_therapy": False, "quantity_limit": False}]},
]

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "plans.json").write_text(json.dumps(PLANS, indent=2) + "\n")
    (OUT / "providers.json").write_text(json.dumps(PROVIDERS, indent=2) + "\n")
    (OUT / "drugs.json").write_text(json.dumps(DRUGS, indent=2) + "\n")
    # A second provider file cut off in the middle of its second element.
    cut = json.dumps(PROVIDERS[:1] + [PROVIDERS[1]], indent=2)
    (OUT / "providers-2.json").write_text(cut[: cut.index('"Haddad"')])
    (OUT / "cms-data-index.json").write_text(json.dumps({
        "formulary_urls": ["https://example.org/qhp/drugs.json"],
        "provider_urls": ["https://example.org/qhp/providers.json", "https://example.org/qhp/providers-2.json"],
        "plan_urls": ["https://example.org/qhp/plans.json"]}, indent=2) + "\n")
