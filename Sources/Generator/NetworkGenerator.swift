import FHIRCore
import Foundation

/// Generates a coherent Plan-Net network: a payer with two networks and plans, hospitals,
/// group practices, pharmacies and labs with locations, services, endpoints and affiliations,
/// and practitioners whose roles tie each to an organization, location, network and service.
///
/// Deterministic: the same seed and size give byte-identical NDJSON.
public struct NetworkGenerator {
    /// The shape of a network, beyond its size.
    public enum Profile: String, Sendable, CaseIterable {
        /// Twelve cities in the Northeast, one location per organization, 1.3 roles per
        /// practitioner, three formularies of about 200 drugs: `Data/sample`.
        case sample
        /// A national payer's: cities in every state and DC, two locations per organization,
        /// two roles per practitioner on average, twenty formularies over 5,100 drugs.
        case national

        var cities: [ReferenceData.City] {
            switch self {
            case .sample: ReferenceData.cities
            case .national: ReferenceData.nationalCities
            }
        }

        var satellites: Bool { self == .national }
        var formularyCount: Int { self == .national ? 20 : FormularyFactory.formularies.count }
        var drugVariants: Int { self == .national ? 25 : 1 }
    }

    public let seed: UInt64
    public let practitioners: Int
    public let profile: Profile

    static let types = [
        "Endpoint", "HealthcareService", "InsurancePlan", "Location", "Organization", "OrganizationAffiliation",
        "Practitioner", "PractitionerRole", "Basic", "MedicationKnowledge",
    ]

    public init(seed: UInt64, practitioners: Int, profile: Profile = .sample) {
        self.seed = seed
        self.practitioners = practitioners
        self.profile = profile
    }

    /// Writes one `<Type>.ndjson` per resource type into `folder`; returns counts by type.
    /// `progress` hears the number of resources written so far, every 100,000.
    @discardableResult
    public func write(to folder: String, progress: (Int) -> Void = { _ in }) throws -> [String: Int] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var counts: [String: Int] = [:]
        var handles: [String: FileHandle] = [:]
        for type in Self.types {
            let path = (folder as NSString).appendingPathComponent("\(type).ndjson")
            FileManager.default.createFile(atPath: path, contents: nil)
            handles[type] = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        defer { for handle in handles.values { try? handle.close() } }
        var buffers: [String: [UInt8]] = [:]
        var written = 0
        try generate { resource in
            let type = resource["resourceType"]!.stringValue!
            counts[type, default: 0] += 1
            written += 1
            if written % 100_000 == 0 { progress(written) }
            var line = JSONWriter.encode(resource)
            line.append(0x0A)
            buffers[type, default: []].append(contentsOf: line)
            if buffers[type]!.count > 1 << 20 {
                try handles[type]!.write(contentsOf: buffers[type]!)
                buffers[type] = []
            }
        }
        for (type, buffer) in buffers where !buffer.isEmpty { try handles[type]!.write(contentsOf: buffer) }
        return counts
    }

    /// Streams every resource to `emit`, in dependency order.
    public func generate(_ emit: (JSONValue) throws -> Void) rethrows {
        var rng = SplitMix64(seed: seed)
        var builder = ResourceFactory(lastUpdated: "2026-11-01T08:00:00Z")
        let n = practitioners

        // Payer, networks, coverage areas, plans.
        let cities = profile.cities
        let states = Array(Set(cities.map(\.state))).sorted()
        try emit(builder.payer())
        let networks = ["Standard", "Premier"]
        for network in networks { try emit(builder.network(network)) }
        for state in states { try emit(builder.stateLocation(state)) }
        try emit(
            builder.plan(
                id: "plan-bronze", name: "Acme Bronze HMO", type: "bronze", product: "commhmo",
                networks: ["network-standard"], states: states))
        try emit(
            builder.plan(
                id: "plan-gold", name: "Acme Gold PPO", type: "gold", product: "commppo",
                networks: ["network-standard", "network-premier"], states: states))

        // Provider organizations, each with a location, a service, an endpoint and an affiliation.
        struct Site {
            var org: String
            var location: String
            var satellite: String?
            var service: String
            var phone: JSONValue
            var kind: ResourceFactory.OrgKind
            var networks: [String]
        }
        var sites: [Site] = []
        let kinds: [(ResourceFactory.OrgKind, Int)] = [
            (.hospital, max(2, n / 150)), (.group, max(3, n / 12)), (.pharmacy, max(2, n / 100)),
            (.lab, max(1, n / 300)),
        ]
        var orgNumber = 0
        for (kind, count) in kinds {
            for _ in 0..<count {
                orgNumber += 1
                let city = rng.pick(cities)
                let inPremier = rng.chance(0.5)
                let nets = inPremier ? ["network-standard", "network-premier"] : ["network-standard"]
                let org = builder.organization(
                    number: orgNumber, kind: kind, city: city, satellites: profile.satellites, rng: &rng)
                try emit(org.organization)
                try emit(org.endpoint)
                try emit(org.location)
                if let satellite = org.satellite { try emit(satellite) }
                try emit(org.service)
                try emit(org.affiliation(networks: nets))
                sites.append(
                    Site(
                        org: org.id, location: org.locationID,
                        satellite: org.satelliteID,
                        service: org.serviceID, phone: org.phone, kind: kind, networks: nets))
            }
        }
        let clinical = sites.filter { $0.kind == .hospital || $0.kind == .group }

        // Practitioners and their roles.
        let totalWeight = ReferenceData.specialties.map(\.weight).reduce(0, +)
        for number in 1...n {
            let id = "practitioner-\(number)"
            try emit(builder.practitioner(id: id, npiBase: 100_000_000 + number * 7, rng: &rng))
            let roles: Int
            switch profile {
            case .sample: roles = rng.chance(0.3) ? 2 : 1
            // One, two or three, two on average.
            case .national: roles = [1, 2, 2, 3][rng.int(4)]
            }
            var draw = rng.int(totalWeight)
            var specialty = ReferenceData.specialties[0]
            for candidate in ReferenceData.specialties {
                if draw < candidate.weight {
                    specialty = candidate
                    break
                }
                draw -= candidate.weight
            }
            for r in 1...roles {
                let site = rng.pick(clinical)
                let location = site.satellite.map { rng.chance(0.5) ? $0 : site.location } ?? site.location
                try emit(
                    builder.role(
                        id: "role-\(number)-\(r)", practitioner: id, organization: site.org, location: location,
                        service: site.service, network: rng.pick(site.networks), phone: site.phone,
                        specialty: specialty, rng: &rng))
            }
        }

        // The drug benefit: formularies, payer plans with cost sharing, drugs, formulary items.
        let formulary = FormularyFactory(lastUpdated: builder.lastUpdated)
        let drugs = FormularyFactory.drugs(variants: profile.drugVariants)
        for drug in drugs { try emit(formulary.medication(drug)) }
        for (number, f) in FormularyFactory.formularies(profile.formularyCount).enumerated() {
            let level = number % 3
            try emit(formulary.formulary(f.id, f.name))
            try emit(formulary.payerPlan(id: f.plan, name: f.product, formulary: f.id, level: level, states: states))
            for drug in drugs where level == 2 || rng.chance(f.coverage) {
                try emit(formulary.item(drug, formulary: f.id, tier: drug.tier(onLevel: level), rng: &rng))
            }
        }
    }
}
