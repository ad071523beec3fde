import FHIRCore

/// Builds Plan-Net resources as JSON, with each profile's required and must-support elements.
struct ResourceFactory {
    enum OrgKind {
        case hospital, group, pharmacy, lab
    }

    struct OrganizationBundle {
        var id: String
        var locationID: String
        var serviceID: String
        var phone: JSONValue
        var organization: JSONValue
        var endpoint: JSONValue
        var location: JSONValue
        /// A second location, when the profile asks for one, and its id.
        var satellite: JSONValue?
        var satelliteID: String?
        var service: JSONValue
        var affiliationFor: ([String]) -> JSONValue

        func affiliation(networks: [String]) -> JSONValue { affiliationFor(networks) }
    }

    let lastUpdated: String
    static let pn = ReferenceData.planNet

    init(lastUpdated: String) { self.lastUpdated = lastUpdated }

    // MARK: JSON helpers

    static func o(_ members: (String, JSONValue)...) -> JSONValue {
        .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }

    static func s(_ text: String) -> JSONValue { .string(text) }
    static func a(_ items: [JSONValue]) -> JSONValue { .array(items) }
    static func ref(_ reference: String) -> JSONValue { o(("reference", s(reference))) }

    static func coding(_ system: String, _ code: String, _ display: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("system", s(system)), ("code", s(code))]
        if let display { members.append(("display", s(display))) }
        return .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }

    static func concept(_ system: String, _ code: String, _ display: String? = nil) -> JSONValue {
        o(("coding", a([coding(system, code, display)])))
    }

    func meta(_ profile: String) -> JSONValue {
        Self.o(
            ("lastUpdated", Self.s(lastUpdated)),
            ("profile", Self.a([Self.s("\(Self.pn)/StructureDefinition/\(profile)")])))
    }

    static func phone(_ city: ReferenceData.City, _ rng: inout SplitMix64) -> JSONValue {
        let number = "(\(city.areaCode)) \(200 + rng.int(800))-\(String(rng.int(10000)).paddingLeft(to: 4))"
        return o(("system", s("phone")), ("value", s(number)), ("use", s("work")))
    }

    static func address(_ city: ReferenceData.City, _ rng: inout SplitMix64) -> JSONValue {
        let zip = city.zip + String(rng.int(100)).paddingLeft(to: 2)
        let line = "\(1 + rng.int(2000)) \(rng.pick(ReferenceData.streets))"
        return o(
            ("use", s("work")), ("type", s("physical")), ("text", s("\(line), \(city.name), \(city.state) \(zip)")),
            ("line", a([s(line)])), ("city", s(city.name)), ("state", s(city.state)), ("postalCode", s(zip)),
            ("country", s("US")))
    }

    // MARK: Payer side

    func payer() -> JSONValue {
        Self.o(
            ("resourceType", Self.s("Organization")), ("id", Self.s("payer-acme")),
            ("meta", meta("plannet-Organization")),
            ("active", .bool(true)),
            ("type", Self.a([Self.concept("\(Self.pn)/CodeSystem/OrgTypeCS", "payer", "Payer")])),
            ("name", Self.s("Acme Health Plan")),
            ("telecom", Self.a([Self.o(("system", Self.s("phone")), ("value", Self.s("(800) 555-0100")))])),
            ("address", Self.a([Self.payerAddress])))
    }

    static let payerAddress = o(
        ("use", s("work")), ("type", s("both")), ("text", s("1 Insurance Plaza, Hartford, CT 06103")),
        ("line", a([s("1 Insurance Plaza")])), ("city", s("Hartford")), ("state", s("CT")), ("postalCode", s("06103")),
        ("country", s("US")))

    func network(_ name: String) -> JSONValue {
        let id = "network-\(name.lowercased())"
        return Self.o(
            ("resourceType", Self.s("Organization")), ("id", Self.s(id)), ("meta", meta("plannet-Network")),
            ("active", .bool(true)),
            ("type", Self.a([Self.concept("\(Self.pn)/CodeSystem/OrgTypeCS", "ntwk", "Network")])),
            ("name", Self.s("Acme \(name) Network")), ("address", Self.a([Self.payerAddress])),
            ("partOf", Self.ref("Organization/payer-acme")),
            (
                "contact",
                Self.a([
                    Self.o(
                        ("telecom", Self.a([Self.o(("system", Self.s("phone")), ("value", Self.s("(800) 555-0100")))])))
                ])
            ))
    }

    func stateLocation(_ state: String) -> JSONValue {
        Self.o(
            ("resourceType", Self.s("Location")), ("id", Self.s("state-\(state.lowercased())")),
            ("meta", meta("plannet-Location")), ("status", Self.s("active")), ("name", Self.s("State of \(state)")),
            ("address", Self.o(("state", Self.s(state)), ("country", Self.s("US")))))
    }

    func plan(id: String, name: String, type: String, product: String, networks: [String], states: [String])
        -> JSONValue
    {
        Self.o(
            ("resourceType", Self.s("InsurancePlan")), ("id", Self.s(id)), ("meta", meta("plannet-InsurancePlan")),
            ("status", Self.s("active")),
            ("type", Self.a([Self.concept("\(Self.pn)/CodeSystem/InsuranceProductTypeCS", product)])),
            ("name", Self.s(name)), ("alias", Self.a([Self.s(name.replacingOccurrences(of: "Acme ", with: ""))])),
            ("period", Self.o(("start", Self.s("2026-01-01")), ("end", Self.s("2026-12-31")))),
            ("ownedBy", Self.ref("Organization/payer-acme")), ("administeredBy", Self.ref("Organization/payer-acme")),
            (
                "contact",
                Self.a([
                    Self.o(
                        ("purpose", Self.concept("http://terminology.hl7.org/CodeSystem/contactentity-type", "PATINF")),
                        ("telecom", Self.a([Self.o(("system", Self.s("phone")), ("value", Self.s("(800) 555-0101")))])))
                ])
            ),
            ("coverageArea", Self.a(states.map { Self.ref("Location/state-\($0.lowercased())") })),
            ("network", Self.a(networks.map { Self.ref("Organization/\($0)") })),
            ("plan", Self.a([Self.o(("type", Self.concept("\(Self.pn)/CodeSystem/InsurancePlanTypeCS", type)))])))
    }

    // MARK: Provider organizations

    func organization(
        number: Int, kind: OrgKind, city: ReferenceData.City, satellites: Bool = false, rng: inout SplitMix64
    ) -> OrganizationBundle {
        let family = rng.pick(ReferenceData.familyNames)
        let (slug, name, orgType, locType, locDisplay, category, categoryDisplay, affRole):
            (
                String, String, String, String, String, String, String, String
            )
        switch kind {
        case .hospital:
            (slug, name, orgType, locType, locDisplay, category, categoryDisplay, affRole) = (
                "hospital", "\(city.name) \(rng.pick(["General", "Memorial", "Regional", "St. Mary's"])) Hospital",
                "fac",
                "HOSP", "Hospital", "hosp", "Hospital", "hospital"
            )
        case .group:
            (slug, name, orgType, locType, locDisplay, category, categoryDisplay, affRole) = (
                "group", "\(family) \(rng.pick(["Family Practice", "Medical Group", "Health Associates", "Clinic"]))",
                "prvgrp", "OF", "Outpatient facility", "prov", "Medical Provider", "outpatient"
            )
        case .pharmacy:
            (slug, name, orgType, locType, locDisplay, category, categoryDisplay, affRole) = (
                "pharmacy", "\(rng.pick(["Corner", "Main Street", "Family", "Care"])) Pharmacy of \(city.name)", "fac",
                "PHARM", "Pharmacy", "pharm", "Pharmacy", "pharmacy"
            )
        case .lab:
            (slug, name, orgType, locType, locDisplay, category, categoryDisplay, affRole) = (
                "lab", "\(city.name) Diagnostic Laboratory", "fac", "HLAB", "Hospital laboratory", "lab", "Laboratory",
                "laboratory"
            )
        }
        let id = "\(slug)-\(number)"
        let locationID = "location-\(number)"
        let serviceID = "service-\(number)"
        let endpointID = "endpoint-\(number)"
        let address = Self.address(city, &rng)
        let phone = Self.phone(city, &rng)
        let npi = NPI.make(base: 500_000_000 + number * 13)
        let organization = Self.o(
            ("resourceType", Self.s("Organization")), ("id", Self.s(id)), ("meta", meta("plannet-Organization")),
            ("identifier", Self.a([Self.o(("system", Self.s(ReferenceData.npiSystem)), ("value", Self.s(npi)))])),
            ("active", .bool(true)),
            ("type", Self.a([Self.concept("\(Self.pn)/CodeSystem/OrgTypeCS", orgType)])),
            ("name", Self.s(name)), ("telecom", Self.a([phone])), ("address", Self.a([address])),
            (
                "contact",
                Self.a([
                    Self.o(
                        ("purpose", Self.concept("http://terminology.hl7.org/CodeSystem/contactentity-type", "ADMIN")),
                        ("telecom", Self.a([phone])))
                ])
            ),
            ("endpoint", Self.a([Self.ref("Endpoint/\(endpointID)")])))
        let endpoint = Self.o(
            ("resourceType", Self.s("Endpoint")), ("id", Self.s(endpointID)), ("meta", meta("plannet-Endpoint")),
            ("status", Self.s("active")),
            ("connectionType", Self.coding("\(Self.pn)/CodeSystem/EndpointConnectionTypeCS", "hl7-fhir-opn")),
            ("name", Self.s("\(name) FHIR API")), ("managingOrganization", Self.ref("Organization/\(id)")),
            ("payloadType", Self.a([Self.concept("\(Self.pn)/CodeSystem/EndpointPayloadTypeCS", "NA")])),
            ("payloadMimeType", Self.a([Self.s("application/fhir+json")])),
            ("address", Self.s("https://fhir.example.org/\(id)")))
        /// One site of the organization; the draws happen in the order the sample was made with.
        func makeLocation(_ locationID: String, _ address: JSONValue, _ rng: inout SplitMix64) -> JSONValue {
            let accessibility = rng.chance(0.7) ? ["adacomp", "handiaccess"] : ["pubtrans"]
            let accepting = rng.pick(["newpt", "newpt", "existptonly", "nopt"])
            return Self.o(
                ("resourceType", Self.s("Location")), ("id", Self.s(locationID)), ("meta", meta("plannet-Location")),
                (
                    "extension",
                    Self.a(
                        accessibility.map {
                            Self.o(
                                ("url", Self.s("\(Self.pn)/StructureDefinition/accessibility")),
                                ("valueCodeableConcept", Self.concept("\(Self.pn)/CodeSystem/AccessibilityCS", $0)))
                        } + [newPatients(accepting)])
                ),
                ("status", Self.s("active")), ("name", Self.s(name)),
                ("description", Self.s("\(locDisplay) of \(name) in \(city.name), \(city.state)")),
                (
                    "type",
                    Self.a([Self.concept("http://terminology.hl7.org/CodeSystem/v3-RoleCode", locType, locDisplay)])
                ),
                ("telecom", Self.a([phone])), ("address", address),
                (
                    "position",
                    Self.o(
                        ("longitude", .number(Self.decimal(city.longitude + rng.double(-0.05, 0.05)))),
                        ("latitude", .number(Self.decimal(city.latitude + rng.double(-0.05, 0.05)))))
                ),
                ("managingOrganization", Self.ref("Organization/\(id)")),
                (
                    "hoursOfOperation",
                    Self.a([
                        Self.o(
                            ("daysOfWeek", Self.a(["mon", "tue", "wed", "thu", "fri"].map(Self.s))),
                            ("openingTime", Self.s("08:00:00")), ("closingTime", Self.s("17:00:00")))
                    ])
                ),
                ("availabilityExceptions", Self.s("Closed on federal holidays")))
        }
        let location = makeLocation(locationID, address, &rng)
        // A second site in the same city (the national profile): drawn after everything the
        // sample draws, so the sample stays byte for byte what it was.
        let satelliteID = satellites ? "\(locationID)-2" : nil
        let satellite = satelliteID.map { makeLocation($0, Self.address(city, &rng), &rng) }
        let service = Self.o(
            ("resourceType", Self.s("HealthcareService")), ("id", Self.s(serviceID)),
            ("meta", meta("plannet-HealthcareService")),
            (
                "extension",
                Self.a([
                    Self.o(
                        (
                            "extension",
                            Self.a([
                                Self.o(
                                    ("url", Self.s("type")),
                                    (
                                        "valueCodeableConcept",
                                        Self.concept("\(Self.pn)/CodeSystem/DeliveryMethodCS", "physical")
                                    ))
                            ])
                        ),
                        ("url", Self.s("\(Self.pn)/StructureDefinition/delivery-method")))
                ])
            ),
            ("active", .bool(true)), ("providedBy", Self.ref("Organization/\(id)")),
            (
                "category",
                Self.a([Self.concept("\(Self.pn)/CodeSystem/HealthcareServiceCategoryCS", category, categoryDisplay)])
            ),
            ("location", Self.a([Self.ref("Location/\(locationID)")])),
            ("name", Self.s("\(name) \(categoryDisplay) Services")), ("telecom", Self.a([phone])),
            ("appointmentRequired", .bool(kind != .pharmacy)), ("availableTime", Self.a([Self.weekdays])),
            ("availabilityExceptions", Self.s("Closed on federal holidays")),
            ("endpoint", Self.a([Self.ref("Endpoint/\(endpointID)")])))
        let lastUpdated = self.lastUpdated
        let affiliation: ([String]) -> JSONValue = { networks in
            Self.o(
                ("resourceType", Self.s("OrganizationAffiliation")), ("id", Self.s("affiliation-\(number)")),
                (
                    "meta",
                    Self.o(
                        ("lastUpdated", Self.s(lastUpdated)),
                        ("profile", Self.a([Self.s("\(Self.pn)/StructureDefinition/plannet-OrganizationAffiliation")])))
                ),
                ("active", .bool(true)),
                ("period", Self.o(("start", Self.s("2025-01-01")))),
                ("organization", Self.ref("Organization/payer-acme")),
                ("participatingOrganization", Self.ref("Organization/\(id)")),
                ("network", Self.a(networks.map { Self.ref("Organization/\($0)") })),
                ("code", Self.a([Self.concept("\(Self.pn)/CodeSystem/OrganizationAffiliationRoleCS", affRole)])),
                ("location", Self.a([Self.ref("Location/\(locationID)")])),
                ("healthcareService", Self.a([Self.ref("HealthcareService/\(serviceID)")])),
                ("telecom", Self.a([phone])),
                ("endpoint", Self.a([Self.ref("Endpoint/\(endpointID)")])))
        }
        return OrganizationBundle(
            id: id, locationID: locationID, serviceID: serviceID, phone: phone, organization: organization,
            endpoint: endpoint,
            location: location, satellite: satellite, satelliteID: satelliteID, service: service,
            affiliationFor: affiliation)
    }

    /// Monday to Friday, 8 to 5.
    static let weekdays = o(
        ("daysOfWeek", a(["mon", "tue", "wed", "thu", "fri"].map(s))), ("availableStartTime", s("08:00:00")),
        ("availableEndTime", s("17:00:00")))

    func newPatients(_ code: String) -> JSONValue {
        Self.o(
            (
                "extension",
                Self.a([
                    Self.o(
                        ("url", Self.s("acceptingPatients")),
                        ("valueCodeableConcept", Self.concept("\(Self.pn)/CodeSystem/AcceptingPatientsCS", code)))
                ])
            ),
            ("url", Self.s("\(Self.pn)/StructureDefinition/newpatients")))
    }

    static func decimal(_ value: Double) -> String {
        let scaled = (value * 10000).rounded() / 10000
        return String(format: "%.4f", scaled)
    }

    // MARK: Practitioners

    func practitioner(id: String, npiBase: Int, rng: inout SplitMix64) -> JSONValue {
        let family = rng.pick(ReferenceData.familyNames)
        let given = rng.pick(ReferenceData.givenNames)
        let female = rng.chance(0.5)
        var communication: [JSONValue] = [Self.concept("urn:ietf:bcp:47", "en", "English")]
        if rng.chance(0.35) {
            let language = rng.pick(ReferenceData.languages)
            communication.append(Self.concept("urn:ietf:bcp:47", language.code, language.display))
        }
        let npi = NPI.make(base: npiBase)
        let degree =
            rng.chance(0.85)
            ? (code: "MD", display: "Doctor of Medicine") : (code: "DO", display: "Doctor of Osteopathy")
        let licenseState = rng.pick(ReferenceData.cities).state
        return Self.o(
            ("resourceType", Self.s("Practitioner")), ("id", Self.s(id)), ("meta", meta("plannet-Practitioner")),
            (
                "identifier",
                Self.a([
                    Self.o(
                        ("type", Self.concept("http://terminology.hl7.org/CodeSystem/v2-0203", "NPI")),
                        ("system", Self.s(ReferenceData.npiSystem)), ("value", Self.s(npi)))
                ])
            ),
            ("active", .bool(true)),
            (
                "name",
                Self.a([
                    Self.o(
                        ("use", Self.s("official")), ("text", Self.s("\(given) \(family)")), ("family", Self.s(family)),
                        ("given", Self.a([Self.s(given)])))
                ])
            ),
            ("gender", Self.s(female ? "female" : "male")),
            (
                "qualification",
                Self.a([
                    Self.o(
                        (
                            "extension",
                            Self.a([
                                Self.o(
                                    (
                                        "extension",
                                        Self.a([
                                            Self.o(("url", Self.s("status")), ("valueCode", Self.s("active"))),
                                            Self.o(
                                                ("url", Self.s("whereValid")),
                                                (
                                                    "valueCodeableConcept",
                                                    Self.concept("https://www.usps.com/", licenseState)
                                                )),
                                        ])
                                    ),
                                    ("url", Self.s("\(Self.pn)/StructureDefinition/practitioner-qualification")))
                            ])
                        ),
                        (
                            "code",
                            Self.concept("http://terminology.hl7.org/CodeSystem/v2-0360", degree.code, degree.display)
                        ),
                        ("issuer", Self.o(("display", Self.s("State of \(licenseState)")))))
                ])
            ),
            ("communication", Self.a(communication)))
    }

    func role(
        id: String, practitioner: String, organization: String, location: String, service: String, network: String,
        phone: JSONValue, specialty: (code: String, display: String, weight: Int), rng: inout SplitMix64
    ) -> JSONValue {
        let accepting = rng.pick(["newpt", "newpt", "newpt", "existptonly", "nopt"])
        let roleCode = specialty.code.hasPrefix("363L") ? "crnp" : (specialty.code.hasPrefix("363A") ? "pa" : "ph")
        return Self.o(
            ("resourceType", Self.s("PractitionerRole")), ("id", Self.s(id)),
            ("meta", meta("plannet-PractitionerRole")),
            (
                "extension",
                Self.a([
                    Self.o(
                        ("url", Self.s("\(Self.pn)/StructureDefinition/network-reference")),
                        ("valueReference", Self.ref("Organization/\(network)"))),
                    newPatients(accepting),
                ])
            ),
            ("active", .bool(true)),
            ("period", Self.o(("start", Self.s("20\(15 + rng.int(11))-0\(1 + rng.int(9))-01")))),
            ("practitioner", Self.ref("Practitioner/\(practitioner)")),
            ("organization", Self.ref("Organization/\(organization)")),
            ("code", Self.a([Self.concept("\(Self.pn)/CodeSystem/ProviderRoleCS", roleCode)])),
            ("specialty", Self.a([Self.concept(ReferenceData.nucc, specialty.code, specialty.display)])),
            ("location", Self.a([Self.ref("Location/\(location)")])),
            ("healthcareService", Self.a([Self.ref("HealthcareService/\(service)")])),
            ("telecom", Self.a([phone])), ("availableTime", Self.a([Self.weekdays])))
    }
}
