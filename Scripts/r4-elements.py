#!/usr/bin/env python3
"""Writes Sources/Conformance/Definitions/r4-elements.json: each FHIR R4 element's JSON name,
type and whether it is a list, for the resource types plandir serves and every type they use.

The facts come from the R4 model classes of fhirclient 4.4.0 (Apache-2.0), whose
elementProperties() list them; fhirclient calls every string-like primitive `str`, so the
`code` and `id` ones are told apart with fhir.resources 8.3.0's R4B models (BSD-3-Clause),
whose fields are annotated Code() and Id(). Run once by a developer; the build and the tests
use the committed file and never run this script:

    python3 -m venv /tmp/fc && /tmp/fc/bin/pip install fhirclient==4.4.0 fhir.resources==8.3.0
    /tmp/fc/bin/python Scripts/r4-elements.py > Sources/Conformance/Definitions/r4-elements.json
"""
import importlib
import json
import pkgutil

import fhirclient.models as models
from fhir.resources.R4B import get_fhir_model_class
from fhirclient.models import fhirabstractbase, fhirdate, fhirreference

SERVED = [
    "Basic", "Endpoint", "HealthcareService", "InsurancePlan", "List", "Location", "MedicationKnowledge",
    "Organization", "OrganizationAffiliation", "Practitioner", "PractitionerRole",
]
PRIMITIVES = {str: "string", int: "integer", float: "decimal", bool: "boolean"}

classes = {}
for info in pkgutil.iter_modules(models.__path__):
    module = importlib.import_module("fhirclient.models." + info.name)
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, fhirabstractbase.FHIRAbstractBase):
            name = getattr(value, "resource_type", None)
            if name and name not in ("FHIRAbstractBase", "FHIRAbstractResource"):
                classes.setdefault(name, value)


def type_name(typ):
    if typ in PRIMITIVES:
        return PRIMITIVES[typ]
    if issubclass(typ, fhirdate.FHIRDate):
        # FHIRDate covers date, dateTime, instant and time in 4.4.0: the checker accepts any of them.
        return "date"
    if issubclass(typ, fhirreference.FHIRReference):
        return "Reference"
    return typ.resource_type


def string_kinds(name):
    """JSON name -> "code" or "id" for the string elements fhir.resources R4B types that way."""
    try:
        model = get_fhir_model_class(name)
    except Exception:
        return {}
    kinds = {}
    for field_name, field in model.model_fields.items():
        annotation = str(field.annotation)
        kind = "code" if "Code()" in annotation else "id" if "Id()" in annotation else None
        if kind:
            kinds[field.alias or field_name] = kind
    return kinds


types = {}
pending = list(SERVED)
while pending:
    name = pending.pop()
    if name in types or name not in classes:
        continue
    elements = {}
    kinds = string_kinds(name)
    for (_, jsname, typ, is_list, _, _) in classes[name]().elementProperties():
        t = type_name(typ)
        if t == "string" and jsname in kinds:
            t = kinds[jsname]
        elements[jsname] = [t, 1 if is_list else 0]
        if t not in PRIMITIVES.values() and t not in ("date", "code", "id"):
            pending.append(t)
    types[name] = dict(sorted(elements.items()))

print(json.dumps({
    "about": "FHIR R4 element facts (JSON name: [type, is-list]) for the served resource types and the "
             "types they use, extracted by Scripts/r4-elements.py from fhirclient 4.4.0's R4 model classes "
             "(Apache-2.0), code and id told from string by fhir.resources 8.3.0's R4B models (BSD-3-Clause). "
             "Primitive types: string, code, id, integer, decimal, boolean, date (any date, dateTime, "
             "instant or time). 'Resource' is any resource (contained).",
    "served": SERVED,
    "types": dict(sorted(types.items())),
}, indent=None, separators=(",", ":")))
