import FHIRCore

extension QHPImporter {
    static func o(_ members: [(String, JSONValue?)]) -> JSONValue { NPPESImporter.object(members) }
    static func ref(_ target: String) -> JSONValue { o([("reference", .string(target))]) }
    static func concept(_ system: String, _ code: String) -> JSONValue { PartDImporter.concept(system, code) }
    static func meta(_ profile: String, _ updated: String?) -> JSONValue {
        o([("lastUpdated", updated.map(JSONValue.string)), ("profile", .array([.string(profile)]))])
    }
    static func planNetMeta(_ name: String, _ updated: String?) -> JSONValue {
        meta("\(planNet)/StructureDefinition/\(name)", updated)
    }

    static func network(_ plan: String, _ tier: String) -> String { "qhp-network-\(plan)-\(slug(tier))" }

    // MARK: plans.json

    mutating func plan(_ element: JSONValue, _ line: Int, _ path: String) throws {
        guard let id = planID(element["plan_id"], line, path, element) else { return }
        let updated = Self.updated(element)
        let issuer = String(id.prefix(5))
        let tiers = (element["network"]?.asList ?? []).compactMap { $0["network_tier"]?.stringValue }
        let name = element["marketing_name"]?.stringValue ?? id
        var mail = Set<String>()
        for entry in element["formulary"]?.asList ?? [] where entry["mail_order"] == .bool(true) {
            if let tier = entry["drug_tier"]?.stringValue { mail.insert(Self.tierCode(tier)) }
        }
        plans[id] = Plan(name: name, networks: tiers, mailOrderTiers: mail)
        if !plans.keys.contains(where: { $0 != id && $0.hasPrefix(issuer) }) {
            try output.write(
                Self.o([
                    ("resourceType", .string("Organization")), ("id", .string("qhp-issuer-\(issuer)")),
                    ("meta", Self.planNetMeta("plannet-Organization", nil)), ("active", .bool(true)),
                    ("type", NPPESImporter.organizationType("payer")), ("name", .string("HIOS issuer \(issuer)")),
                    ("address", .array([Self.o([("country", .string("US"))])])),
                ]))
            report.wrote("Organization")
        }
        let issuerRef = Self.ref("Organization/qhp-issuer-\(issuer)")
        for tier in tiers {
            try output.write(
                Self.o([
                    ("resourceType", .string("Organization")), ("id", .string(Self.network(id, tier))),
                    ("meta", Self.planNetMeta("plannet-Network", updated)), ("active", .bool(true)),
                    ("type", NPPESImporter.organizationType("ntwk")), ("name", .string("\(name) \(tier) network")),
                    ("partOf", issuerRef),
                ]))
            report.wrote("Organization")
        }
        try output.write(
            Self.o([
                ("resourceType", .string("InsurancePlan")), ("id", .string("qhp-\(id)")),
                ("meta", Self.planNetMeta("plannet-InsurancePlan", updated)),
                (
                    "identifier",
                    .array([Self.o([("system", .string("https://www.cms.gov/hios/plan-id")), ("value", .string(id))])])
                ),
                ("status", .string("active")),
                ("type", .array([Self.concept("\(Self.planNet)/CodeSystem/InsuranceProductTypeCS", "qhp")])),
                ("name", .string(name)), ("ownedBy", issuerRef), ("administeredBy", issuerRef),
                (
                    "network",
                    tiers.isEmpty ? nil : .array(tiers.map { Self.ref("Organization/\(Self.network(id, $0))") })
                ),
            ]))
        try output.write(
            Self.o([
                ("resourceType", .string("InsurancePlan")), ("id", .string("qhp-formulary-\(id)")),
                ("meta", Self.meta("\(Self.usdf)/StructureDefinition/usdf-Formulary", updated)),
                (
                    "identifier",
                    .array([Self.o([("system", .string("https://www.cms.gov/hios/plan-id")), ("value", .string(id))])])
                ),
                ("status", .string("active")),
                ("type", .array([Self.concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRUGPOL")])),
                ("name", .string("\(name) formulary")),
            ]))
        report.wrote("InsurancePlan")
        report.wrote("InsurancePlan")
    }

    /// QHP tiers are upper case with dashes; DrugTierCS spells "preventative".
    static func tierCode(_ tier: String) -> String {
        tier.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(
            of: "preventive", with: "preventative")
    }

    // MARK: providers.json

    /// The plan networks a provider is in: each must name a plan and a network tier that
    /// plans.json has.
    mutating func memberships(_ element: JSONValue, _ line: Int, _ path: String) -> [(plan: String, tier: String)] {
        var found: [(String, String)] = []
        for entry in element["plans"]?.asList ?? [] {
            guard let id = planID(entry["plan_id"], line, path, element) else { continue }
            guard let plan = plans[id] else {
                report.reject(path, line, 1, "unknown-plan", "plan \(id) is not in plans.json", Self.text(element))
                continue
            }
            let tier = entry["network_tier"]?.stringValue ?? ""
            guard plan.networks.contains(tier) else {
                report.reject(
                    path, line, 1, "unknown-network", "plan \(id) has no network tier '\(tier)' in plans.json",
                    Self.text(element))
                continue
            }
            found.append((id, tier))
        }
        return found
    }

    mutating func provider(_ element: JSONValue, _ line: Int, _ path: String) throws {
        guard
            let npi = element["npi"]?.stringValue
                ?? element["npi"].flatMap({ if case .number(let n) = $0 { n } else { nil } }),
            NPI.isValid(npi)
        else {
            report.reject(
                path, line, 1, "invalid-npi", NPPESImporter.npiProblem(element["npi"]?.stringValue ?? ""),
                Self.text(element))
            return
        }
        let updated = Self.updated(element)
        let networks = memberships(element, line, path)
        // Addresses, each a Location; a ZIP that is not five digits drops that address.
        var locations: [String] = []
        for address in element["addresses"]?.asList ?? [] {
            let zip = address["zip"]?.stringValue ?? ""
            guard zip.count == 5, zip.allSatisfy(\.isNumber) else {
                report.reject(
                    path, line, 1, "invalid-zip", "ZIP '\(zip)' is not five digits; the address is left out",
                    Self.text(element))
                continue
            }
            let lines = [address["address"]?.stringValue, address["address_2"]?.stringValue].compactMap { $0 }.filter {
                !$0.isEmpty
            }
            let phone = address["phone"]?.stringValue ?? ""
            let practice = PracticeAddress(
                line1: lines.first ?? "", line2: lines.dropFirst().first ?? "",
                city: address["city"]?.stringValue ?? "",
                state: address["state"]?.stringValue ?? "", postalCode: zip, phone: phone)
            let place = [practice.line1, practice.city].filter { !$0.isEmpty }.joined(separator: ", ")
            // Named by the address, so the same address in another file is the same Location.
            var digest = FNV1a()
            digest.add([practice.line1, practice.line2, practice.city, practice.state, zip].joined(separator: "|"))
            let id = "qhp-npi-\(npi)-loc-\(digest.hex.prefix(8))"
            locations.append(id)
            guard once("Location", id) else { continue }
            try output.write(
                Self.o([
                    ("resourceType", .string("Location")), ("id", .string(id)),
                    ("meta", Self.planNetMeta("plannet-Location", updated)), ("status", .string("active")),
                    ("name", .string(place.isEmpty ? "Practice location" : place)), ("telecom", practice.telecom),
                    ("address", practice.json),
                    (
                        "managingOrganization",
                        element["type"]?.stringValue == "FACILITY" ? Self.ref("Organization/npi-\(npi)") : nil
                    ),
                ]))
            report.wrote("Location")
        }
        let specialties = (element["specialty"] ?? element["speciality"])?.asList.compactMap(\.stringValue) ?? []
        let specialty: JSONValue? =
            specialties.isEmpty ? nil : .array(specialties.map { Self.o([("text", .string($0))]) })
        switch element["type"]?.stringValue {
        case "INDIVIDUAL":
            try individual(element, npi, updated, line, path)
            let accepting = try newPatients(element, line, path)
            for (plan, tier) in networks {
                for location in locations {
                    let id = "qhp-npi-\(npi)-\(plan)-\(Self.slug(tier))-\(location.suffix(8))"
                    guard once("PractitionerRole", id) else { continue }
                    try output.write(
                        Self.o([
                            ("resourceType", .string("PractitionerRole")),
                            ("id", .string(id)),
                            ("meta", Self.planNetMeta("plannet-PractitionerRole", updated)),
                            (
                                "extension",
                                .array(
                                    [
                                        Self.o([
                                            ("url", .string("\(Self.planNet)/StructureDefinition/network-reference")),
                                            ("valueReference", Self.ref("Organization/\(Self.network(plan, tier))")),
                                        ])
                                    ] + (accepting.map { [$0] } ?? []))
                            ),
                            ("active", .bool(true)), ("practitioner", Self.ref("Practitioner/npi-\(npi)")),
                            ("specialty", specialty), ("location", .array([Self.ref("Location/\(location)")])),
                        ]))
                    report.wrote("PractitionerRole")
                }
            }
        case "FACILITY":
            let name = element["facility_name"]?.stringValue ?? "NPI \(npi)"
            if once("Organization", "npi-\(npi)") {
                try output.write(
                    Self.o([
                        ("resourceType", .string("Organization")), ("id", .string("npi-\(npi)")),
                        ("meta", Self.planNetMeta("plannet-Organization", updated)),
                        ("identifier", NPPESImporter.npiIdentifier(npi)), ("active", .bool(true)),
                        ("type", NPPESImporter.organizationType("fac")), ("name", .string(name)),
                        ("address", .array([Self.o([("country", .string("US"))])])),
                    ]))
                report.wrote("Organization")
            }
            for (plan, tier) in networks {
                guard once("OrganizationAffiliation", "qhp-npi-\(npi)-\(plan)-\(Self.slug(tier))") else { continue }
                try output.write(
                    Self.o([
                        ("resourceType", .string("OrganizationAffiliation")),
                        ("id", .string("qhp-npi-\(npi)-\(plan)-\(Self.slug(tier))")),
                        ("meta", Self.planNetMeta("plannet-OrganizationAffiliation", updated)), ("active", .bool(true)),
                        ("organization", Self.ref("Organization/qhp-issuer-\(plan.prefix(5))")),
                        ("participatingOrganization", Self.ref("Organization/npi-\(npi)")),
                        ("network", .array([Self.ref("Organization/\(Self.network(plan, tier))")])),
                        ("specialty", specialty),
                        ("location", locations.isEmpty ? nil : .array(locations.map { Self.ref("Location/\($0)") })),
                    ]))
                report.wrote("OrganizationAffiliation")
            }
        default:
            report.reject(
                path, line, 1, "unknown-provider-type",
                "type '\(element["type"]?.stringValue ?? "")' is neither INDIVIDUAL nor FACILITY", Self.text(element))
        }
    }

    mutating func individual(_ element: JSONValue, _ npi: String, _ updated: String?, _ line: Int, _ path: String)
        throws
    {
        guard once("Practitioner", "npi-\(npi)") else { return }
        let name = element["name"]
        let given = [name?["first"]?.stringValue, name?["middle"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        let family = name?["last"]?.stringValue ?? ""
        let text = (given + [family]).filter { !$0.isEmpty }.joined(separator: " ")
        var gender: JSONValue?
        switch element["gender"]?.stringValue?.lowercased() {
        case "female"?: gender = .string("female")
        case "male"?: gender = .string("male")
        case "other"?: gender = .string("other")
        case nil: gender = nil
        default: gender = .string("unknown")
        }
        let languages = element["languages"]?.asList.compactMap(\.stringValue) ?? []
        try output.write(
            Self.o([
                ("resourceType", .string("Practitioner")), ("id", .string("npi-\(npi)")),
                ("meta", Self.planNetMeta("plannet-Practitioner", updated)),
                ("identifier", NPPESImporter.npiIdentifier(npi)), ("active", .bool(true)),
                (
                    "name",
                    .array([
                        Self.o([
                            ("text", .string(text.isEmpty ? "NPI \(npi)" : text)),
                            ("family", family.isEmpty ? nil : .string(family)),
                            ("given", given.isEmpty ? nil : .array(given.map(JSONValue.string))),
                            ("prefix", name?["prefix"]?.stringValue.map { .array([.string($0)]) }),
                            ("suffix", name?["suffix"]?.stringValue.map { .array([.string($0)]) }),
                        ])
                    ])
                ),
                ("gender", gender),
                ("communication", languages.isEmpty ? nil : .array(languages.map { Self.o([("text", .string($0))]) })),
            ]))
        report.wrote("Practitioner")
    }

    /// Plan-Net `newpatients` from `accepting`; "accepting in some locations" says nothing
    /// per location, so it is reported and left unset.
    mutating func newPatients(_ element: JSONValue, _ line: Int, _ path: String) throws -> JSONValue? {
        let code: String
        switch element["accepting"]?.stringValue?.lowercased() {
        case "accepting"?: code = "newpt"
        case "not accepting"?: code = "nopt"
        case nil: return nil
        case let other?:
            report.warn(
                path, line, 1, "accepting-unclear", "accepting '\(other)' does not say which locations; left unset",
                Self.text(element))
            return nil
        }
        return Self.o([
            (
                "extension",
                .array([
                    Self.o([
                        ("url", .string("acceptingPatients")),
                        ("valueCodeableConcept", Self.concept("\(Self.planNet)/CodeSystem/AcceptingPatientsCS", code)),
                    ])
                ])
            ),
            ("url", .string("\(Self.planNet)/StructureDefinition/newpatients")),
        ])
    }

    // MARK: drugs.json

    mutating func drug(_ element: JSONValue, _ line: Int, _ path: String) throws {
        guard let rxcui = element["rxnorm_id"]?.stringValue, !rxcui.isEmpty, rxcui.allSatisfy(\.isNumber) else {
            report.reject(path, line, 1, "invalid-rxcui", "rxnorm_id is not a number", Self.text(element))
            return
        }
        if drugsWritten.insert(rxcui).inserted {
            try output.write(
                Self.o([
                    ("resourceType", .string("MedicationKnowledge")), ("id", .string("rxcui-\(rxcui)")),
                    ("meta", Self.meta("\(Self.usdf)/StructureDefinition/usdf-FormularyDrug", nil)),
                    (
                        "code",
                        PartDImporter.concept(PartDImporter.rxnormSystem, rxcui, element["drug_name"]?.stringValue)
                    ),
                    ("status", .string("active")),
                ]))
            report.wrote("MedicationKnowledge")
        }
        for entry in element["plans"]?.asList ?? [] {
            guard let id = planID(entry["plan_id"], line, path, element) else { continue }
            guard let plan = plans[id] else {
                report.reject(path, line, 1, "unknown-plan", "plan \(id) is not in plans.json", Self.text(element))
                continue
            }
            let written = entry["drug_tier"]?.stringValue ?? ""
            let tier = Self.tierCode(written)
            guard Self.tiers.contains(tier) else {
                report.reject(
                    path, line, 1, "unknown-tier", "drug_tier '\(written)' is not a DrugTierCS tier", Self.text(element)
                )
                continue
            }
            func flag(_ key: String, _ name: String) -> JSONValue {
                PartDImporter.ext(name, ("valueBoolean", .bool(entry[key] == .bool(true))))
            }
            var extensions: [JSONValue] = [
                PartDImporter.ext(
                    "FormularyReference", ("valueReference", Self.ref("InsurancePlan/qhp-formulary-\(id)"))),
                PartDImporter.ext("AvailabilityStatus", ("valueCode", .string("active"))),
                PartDImporter.ext(
                    "DrugTierID",
                    ("valueCodeableConcept", PartDImporter.concept("\(Self.usdf)/CodeSystem/usdf-DrugTierCS", tier))),
            ]
            for pharmacy in ["1-month-in-retail"] + (plan.mailOrderTiers.contains(tier) ? ["3-month-in-mail"] : []) {
                extensions.append(
                    PartDImporter.ext(
                        "PharmacyBenefitType",
                        (
                            "valueCodeableConcept",
                            PartDImporter.concept("\(Self.usdf)/CodeSystem/usdf-PharmacyBenefitTypeCS", pharmacy)
                        )))
            }
            extensions += [
                flag("prior_authorization", "PriorAuthorization"), flag("step_therapy", "StepTherapyLimit"),
                flag("quantity_limit", "QuantityLimit"),
            ]
            try output.write(
                Self.o([
                    ("resourceType", .string("Basic")), ("id", .string("qhp-fi-\(id)-\(rxcui)")),
                    ("meta", Self.meta("\(Self.usdf)/StructureDefinition/usdf-FormularyItem", nil)),
                    ("extension", .array(extensions)),
                    (
                        "code",
                        PartDImporter.concept("\(Self.usdf)/CodeSystem/usdf-InsuranceItemTypeCS", "formulary-item")
                    ),
                    ("subject", Self.ref("MedicationKnowledge/rxcui-\(rxcui)")),
                ]))
            report.wrote("Basic")
        }
    }
}
