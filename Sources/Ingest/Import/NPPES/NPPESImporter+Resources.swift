import FHIRCore

/// The main file's columns, found by header name (V1 and V2 layouts differ in order and in
/// `Provider Sex Code`, V2's name for V1's `Provider Gender Code`).
struct MainColumns {
    var npi, entityType, organizationName, last, first, middle, prefix, suffix, credential: Int
    var line1, line2, city, state, postalCode, phone: Int
    var enumeration, lastUpdate, deactivation, reactivation: Int
    var gender: Int?
    var dates: [Int]
    var taxonomies: [(code: Int, switch: Int)]

    init(_ columns: NPPESImporter.Columns, path: String) throws {
        func col(_ name: String) throws -> Int { try columns.require(name, in: path) }
        let practice = "Provider Business Practice Location Address"
        npi = try col("NPI")
        entityType = try col("Entity Type Code")
        organizationName = try col("Provider Organization Name (Legal Business Name)")
        last = try col("Provider Last Name (Legal Name)")
        first = try col("Provider First Name")
        middle = try col("Provider Middle Name")
        prefix = try col("Provider Name Prefix Text")
        suffix = try col("Provider Name Suffix Text")
        credential = try col("Provider Credential Text")
        line1 = try col("Provider First Line Business Practice Location Address")
        line2 = try col("Provider Second Line Business Practice Location Address")
        city = try col("\(practice) City Name")
        state = try col("\(practice) State Name")
        postalCode = try col("\(practice) Postal Code")
        phone = try col("\(practice) Telephone Number")
        enumeration = try col("Provider Enumeration Date")
        lastUpdate = try col("Last Update Date")
        deactivation = try col("NPI Deactivation Date")
        reactivation = try col("NPI Reactivation Date")
        gender = columns.index["Provider Sex Code"] ?? columns.index["Provider Gender Code"]
        dates =
            [enumeration, lastUpdate, deactivation, reactivation]
            + [columns.index["Certification Date"]].compactMap { $0 }
        taxonomies = try (1...15).map { n in
            (
                try col("Healthcare Provider Taxonomy Code_\(n)"),
                try col("Healthcare Provider Primary Taxonomy Switch_\(n)")
            )
        }
    }
}

struct PracticeAddress {
    var line1, line2, city, state, postalCode, phone: String

    /// Nine digits become ZIP+4 (`06103-1234`).
    var zip: String {
        let digits = postalCode.filter(\.isNumber)
        if digits.count == 9 && digits.count == postalCode.count {
            return "\(digits.prefix(5))-\(digits.suffix(4))"
        }
        return postalCode
    }

    /// Ten digits are written `(860) 555-0123`.
    var phoneText: String {
        let digits = phone.filter(\.isNumber)
        guard digits.count == 10, digits.count == phone.count else { return phone }
        let d = Array(digits)
        return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<10]))"
    }

    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("use", .string("work")), ("type", .string("physical"))]
        let lines = [line1, line2].filter { !$0.isEmpty }
        if !lines.isEmpty { members.append(("line", .array(lines.map(JSONValue.string)))) }
        if !city.isEmpty { members.append(("city", .string(city))) }
        if !state.isEmpty { members.append(("state", .string(state))) }
        if !postalCode.isEmpty { members.append(("postalCode", .string(zip))) }
        members.append(("country", .string("US")))
        return .object(JSONObject(members))
    }

    var telecom: JSONValue? {
        guard !phone.isEmpty else { return nil }
        return .array([
            .object(
                JSONObject([("system", .string("phone")), ("value", .string(phoneText)), ("use", .string("work"))]))
        ])
    }
}

extension NPPESImporter {
    static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        .object(JSONObject(members.compactMap { key, value in value.map { (key, $0) } }))
    }

    static func meta(_ profile: String, _ updated: String?) -> JSONValue {
        object([("lastUpdated", updated.map(JSONValue.string)), ("profile", .array([.string(planNet + profile)]))])
    }

    static func npiIdentifier(_ npi: String) -> JSONValue {
        .array([
            object([
                ("use", .string("official")),
                (
                    "type",
                    object([
                        (
                            "coding",
                            .array([
                                object([
                                    ("system", .string("http://terminology.hl7.org/CodeSystem/v2-0203")),
                                    ("code", .string("NPI")),
                                ])
                            ])
                        )
                    ])
                ),
                ("system", .string(npiSystem)), ("value", .string(npi)),
            ])
        ])
    }

    static func specialty(_ codes: [String]) -> JSONValue? {
        codes.isEmpty
            ? nil
            : .array(
                codes.map {
                    object([("coding", .array([object([("system", .string(nucc)), ("code", .string($0))])]))])
                })
    }

    func practitioner(_ id: String, _ npi: String, _ f: [String], _ c: MainColumns, _ updated: String?) -> JSONValue {
        let given = [f[c.first], f[c.middle]].filter { !$0.isEmpty }
        let name = Self.object([
            ("use", .string("official")), ("text", .string(Self.personText(f, c))),
            ("family", f[c.last].isEmpty ? nil : .string(f[c.last])),
            ("given", given.isEmpty ? nil : .array(given.map(JSONValue.string))),
            ("prefix", f[c.prefix].isEmpty ? nil : .array([.string(f[c.prefix])])),
            ("suffix", f[c.suffix].isEmpty ? nil : .array([.string(f[c.suffix])])),
        ])
        var gender: JSONValue?
        if let column = c.gender {
            switch f[column] {
            case "M": gender = .string("male")
            case "F": gender = .string("female")
            case "X": gender = .string("other")
            case "U": gender = .string("unknown")
            default: gender = nil
            }
        }
        let credential = f[c.credential]
        return Self.object([
            ("resourceType", .string("Practitioner")), ("id", .string(id)),
            ("meta", Self.meta("plannet-Practitioner", updated)), ("identifier", Self.npiIdentifier(npi)),
            ("active", .bool(true)), ("name", .array([name])), ("gender", gender),
            (
                "qualification",
                credential.isEmpty
                    ? nil : .array([Self.object([("code", Self.object([("text", .string(credential))]))])])
            ),
        ])
    }

    func organization(
        _ id: String, _ npi: String, _ name: String, _ address: PracticeAddress, _ codes: [String], _ updated: String?
    ) -> JSONValue {
        // NUCC's group taxonomies (193…) are provider groups; other organizations are facilities.
        let type = codes.first?.hasPrefix("193") == true ? "prvgrp" : "fac"
        return Self.object([
            ("resourceType", .string("Organization")), ("id", .string(id)),
            ("meta", Self.meta("plannet-Organization", updated)), ("identifier", Self.npiIdentifier(npi)),
            ("active", .bool(true)), ("type", Self.organizationType(type)), ("name", .string(name)),
            ("telecom", address.telecom), ("address", .array([address.json])),
        ])
    }

    static func organizationType(_ code: String) -> JSONValue {
        .array([
            object([
                (
                    "coding",
                    .array([
                        object([
                            ("system", .string("http://hl7.org/fhir/us/davinci-pdex-plan-net/CodeSystem/OrgTypeCS")),
                            ("code", .string(code)),
                        ])
                    ])
                )
            ])
        ])
    }

    mutating func writeLocation(
        _ id: String, _ address: PracticeAddress, name: String?, organization: String?, _ updated: String?
    ) throws {
        var position: JSONValue?
        let zip = String(address.postalCode.prefix(5))
        if let point = options.zcta[zip] {
            position = Self.object([
                ("longitude", .number(String(point.longitude))), ("latitude", .number(String(point.latitude))),
            ])
            report.note("position-from-zcta")
        } else {
            report.note("no-position")
        }
        let place = [address.line1, address.city].filter { !$0.isEmpty }.joined(separator: ", ")
        try output.write(
            Self.object([
                ("resourceType", .string("Location")), ("id", .string(id)),
                ("meta", Self.meta("plannet-Location", updated)), ("status", .string("active")),
                ("name", .string(name ?? (place.isEmpty ? "Practice location" : place))),
                ("telecom", address.telecom), ("address", address.json), ("position", position),
                (
                    "managingOrganization",
                    organization.map { Self.object([("reference", .string("Organization/\($0)"))]) }
                ),
            ]))
        report.wrote("Location")
    }

    /// The network and the payer that owns it (Plan-Net's Network needs `partOf`).
    mutating func writeNetwork(_ name: String, _ slug: String) throws {
        let payer = options.payer ?? name
        try output.write(
            Self.object([
                ("resourceType", .string("Organization")), ("id", .string("payer-\(slug)")),
                ("meta", Self.meta("plannet-Organization", nil)), ("active", .bool(true)),
                ("type", Self.organizationType("payer")), ("name", .string(payer)),
                ("address", .array([Self.object([("country", .string("US"))])])),
            ]))
        try output.write(
            Self.object([
                ("resourceType", .string("Organization")), ("id", .string("network-\(slug)")),
                ("meta", Self.meta("plannet-Network", nil)), ("active", .bool(true)),
                ("type", Self.organizationType("ntwk")), ("name", .string(name)),
                ("partOf", Self.object([("reference", .string("Organization/payer-\(slug)"))])),
            ]))
        report.wrote("Organization")
        report.wrote("Organization")
    }

    /// A rostered provider at one of its locations: a PractitionerRole, or for an organization
    /// an OrganizationAffiliation, in the network.
    mutating func writeMembership(
        npi: String, organization: Bool, specialties: [String], location: String, index: Int, _ updated: String?
    ) throws {
        guard let slug = networkSlug else { return }
        let network = Self.object([("reference", .string("Organization/network-\(slug)"))])
        let locations = JSONValue.array([Self.object([("reference", .string("Location/\(location)"))])])
        if organization {
            try output.write(
                Self.object([
                    ("resourceType", .string("OrganizationAffiliation")),
                    ("id", .string("npi-\(npi)-\(slug)-\(index)")),
                    ("meta", Self.meta("plannet-OrganizationAffiliation", updated)), ("active", .bool(true)),
                    ("organization", Self.object([("reference", .string("Organization/payer-\(slug)"))])),
                    ("participatingOrganization", Self.object([("reference", .string("Organization/npi-\(npi)"))])),
                    ("network", .array([network])), ("specialty", Self.specialty(specialties)), ("location", locations),
                ]))
            report.wrote("OrganizationAffiliation")
            return
        }
        try output.write(
            Self.object([
                ("resourceType", .string("PractitionerRole")), ("id", .string("npi-\(npi)-\(slug)-\(index)")),
                ("meta", Self.meta("plannet-PractitionerRole", updated)),
                (
                    "extension",
                    .array([
                        Self.object([
                            ("url", .string(Self.planNet + "network-reference")), ("valueReference", network),
                        ])
                    ])
                ),
                ("active", .bool(true)),
                ("practitioner", Self.object([("reference", .string("Practitioner/npi-\(npi)"))])),
                ("specialty", Self.specialty(specialties)), ("location", locations),
            ]))
        report.wrote("PractitionerRole")
    }
}
