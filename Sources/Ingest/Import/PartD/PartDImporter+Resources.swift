import FHIRCore

extension PartDImporter {
    static func o(_ members: [(String, JSONValue?)]) -> JSONValue { NPPESImporter.object(members) }

    static func concept(_ system: String, _ code: String, _ display: String? = nil) -> JSONValue {
        o([
            (
                "coding",
                .array([
                    o([
                        ("system", .string(system)), ("code", .string(code)),
                        ("display", display.map(JSONValue.string)),
                    ])
                ])
            )
        ])
    }

    static func meta(_ profile: String) -> JSONValue {
        o([("profile", .array([.string("\(usdf)/StructureDefinition/\(profile)")]))])
    }

    static func ext(_ name: String, _ value: (String, JSONValue)) -> JSONValue {
        o([("url", .string("\(usdf)/StructureDefinition/usdf-\(name)-extension")), value])
    }

    static func reference(_ target: String) -> JSONValue { o([("reference", .string(target))]) }

    static func period(_ year: String) -> JSONValue? {
        guard year.count == 4, year.allSatisfy(\.isNumber) else { return nil }
        return o([("start", .string("\(year)-01-01")), ("end", .string("\(year)-12-31"))])
    }

    func formulary(_ item: Item) -> JSONValue {
        Self.o([
            ("resourceType", .string("InsurancePlan")), ("id", .string("formulary-\(item.formulary)")),
            ("meta", Self.meta("usdf-Formulary")),
            (
                "identifier",
                .array([Self.o([("system", .string(Self.formularySystem)), ("value", .string(item.formulary))])])
            ),
            ("status", .string("active")),
            (
                "type",
                .array([Self.concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL", "drug policy")])
            ),
            (
                "name",
                .string(
                    "Part D formulary \(item.formulary)" + (item.version.isEmpty ? "" : ", version \(item.version)"))
            ),
            ("period", Self.period(item.year)),
        ])
    }

    func drug(_ rxcui: String) -> JSONValue {
        Self.o([
            ("resourceType", .string("MedicationKnowledge")), ("id", .string("rxcui-\(rxcui)")),
            ("meta", Self.meta("usdf-FormularyDrug")),
            ("code", Self.concept(Self.rxnormSystem, rxcui, names[rxcui])), ("status", .string("active")),
        ])
    }

    func item(_ item: Item) -> JSONValue {
        let tierCode = options.tiers[item.tier]
        let tier: JSONValue =
            tierCode.map { Self.concept("\(Self.usdf)/CodeSystem/usdf-DrugTierCS", $0, "Tier \(item.tier)") }
            ?? Self.o([("text", .string("Tier \(item.tier)"))])
        var extensions: [JSONValue] = [
            Self.ext(
                "FormularyReference", ("valueReference", Self.reference("InsurancePlan/formulary-\(item.formulary)"))),
            Self.ext("AvailabilityStatus", ("valueCode", .string("active"))),
        ]
        if let period = Self.period(item.year) {
            extensions.append(Self.ext("AvailabilityPeriod", ("valuePeriod", period)))
        }
        extensions.append(Self.ext("DrugTierID", ("valueCodeableConcept", tier)))
        for code in options.pharmacyTypes {
            extensions.append(
                Self.ext(
                    "PharmacyBenefitType",
                    ("valueCodeableConcept", Self.concept("\(Self.usdf)/CodeSystem/usdf-PharmacyBenefitTypeCS", code))))
        }
        extensions.append(Self.ext("PriorAuthorization", ("valueBoolean", .bool(item.priorAuthorization))))
        extensions.append(Self.ext("StepTherapyLimit", ("valueBoolean", .bool(item.stepTherapy))))
        extensions.append(Self.ext("QuantityLimit", ("valueBoolean", .bool(item.quantityLimit))))
        if item.quantityLimit, let amount = item.amount, let days = item.days, amount > 0, days > 0 {
            // QUANTITY_LIMIT_AMOUNT units per QUANTITY_LIMIT_DAYS days, as a rolling window.
            let count = amount == amount.rounded() ? String(Int(amount)) : String(amount)
            let repeatTiming = Self.o([
                ("count", .number(count)), ("period", .number(String(days))), ("periodUnit", .string("d")),
            ])
            extensions.append(
                Self.o([
                    ("url", .string("\(Self.usdf)/StructureDefinition/usdf-QuantityLimitDetail-extension")),
                    (
                        "extension",
                        .array([
                            Self.o([("url", .string("Rolling")), ("valueTiming", Self.o([("repeat", repeatTiming)]))])
                        ])
                    ),
                ]))
        }
        return Self.o([
            ("resourceType", .string("Basic")), ("id", .string("fi-\(item.formulary)-\(item.rxcui)")),
            ("meta", Self.meta("usdf-FormularyItem")), ("extension", .array(extensions)),
            (
                "code",
                Self.concept("\(Self.usdf)/CodeSystem/usdf-InsuranceItemTypeCS", "formulary-item", "Formulary Item")
            ),
            ("subject", Self.reference("MedicationKnowledge/rxcui-\(item.rxcui)")),
        ])
    }

    func payerPlan(_ plan: Plan) -> JSONValue {
        let drugPlan = Self.concept("http://terminology.hl7.org/CodeSystem/insurance-plan-type", "drug", "Drug")
        return Self.o([
            ("resourceType", .string("InsurancePlan")), ("id", .string(plan.id)),
            ("meta", Self.meta("usdf-PayerInsurancePlan")),
            (
                "identifier",
                .array([
                    Self.o([("system", .string(Self.planSystem)), ("value", .string(String(plan.id.dropFirst(6))))])
                ])
            ),
            ("status", .string("active")), ("type", .array([Self.o([("text", .string("Medicare Part D"))])])),
            ("name", .string(plan.name)),
            ("ownedBy", plan.contractName.isEmpty ? nil : Self.o([("display", .string(plan.contractName))])),
            (
                "coverage",
                .array([
                    Self.o([
                        (
                            "extension",
                            .array([
                                Self.ext(
                                    "FormularyReference",
                                    ("valueReference", Self.reference("InsurancePlan/formulary-\(plan.formulary)")))
                            ])
                        ),
                        ("type", Self.concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL")),
                        ("benefit", .array([Self.o([("type", drugPlan)])])),
                    ])
                ])
            ),
            ("plan", .array([Self.o([("type", drugPlan)])])),
        ])
    }
}
