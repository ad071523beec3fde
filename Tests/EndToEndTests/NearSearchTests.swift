import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import SearchParameters
import Server
import Storage
import Testing

/// `near` on the Plan-Net reference data: the answers are computed here from each Location's
/// own `position`, never from what the index extracted.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
struct NearSearchTests {
    static let ri = Fixtures.ri
    /// 06103's ZCTA point (downtown Hartford), as `/web/geo/zip/06103` gives it.
    static let hartford = (latitude: 41.76510, longitude: -72.67076)

    /// Every Location with a position: id, latitude, longitude.
    static let positions: [(id: String, latitude: Double, longitude: Double)] = ri.sources(of: "Location")
        .compactMap { source in
            guard case .number(let lat)? = source.json["position"]?["latitude"],
                case .number(let lon)? = source.json["position"]?["longitude"],
                let latitude = Double(lat), let longitude = Double(lon)
            else { return nil }
            return (source.id, latitude, longitude)
        }

    /// The expected answer: ids within `radiusKm`, nearest first, ties by id, with distances.
    static func expected(_ latitude: Double, _ longitude: Double, _ radiusKm: Double) -> [(id: String, km: Double)] {
        positions.map { ($0.id, haversine(latitude, longitude, $0.latitude, $0.longitude)) }
            .filter { $0.1 <= radiusKm }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    /// The test's own haversine (the spec's formula, written out again).
    static func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = Double.pi / 180
        let a =
            pow(sin((lat2 - lat1) * r / 2), 2) + cos(lat1 * r) * cos(lat2 * r) * pow(sin((lon2 - lon1) * r / 2), 2)
        return 2 * 6371.0088 * asin(sqrt(a))
    }

    /// Follows `next` from `uri`: each match's id and its `location-distance` in km.
    static func pages(_ client: any TestClientProtocol, _ uri: String) async throws -> [(id: String, km: Double?)] {
        var found: [(String, Double?)] = []
        var next: String? = uri
        while let current = next {
            let response = try await client.fetch(current)
            #expect(
                response.status == .ok, "\(current): \(String(decoding: response.bytes, as: UTF8.self).prefix(300))")
            guard response.status == .ok else { break }
            for entry in response.json["entry"]?.asList ?? [] {
                let distance = entry["search"]?["extension"]?.asList.first {
                    $0["url"]?.stringValue == "http://hl7.org/fhir/StructureDefinition/location-distance"
                }
                found.append((entry["resource"]?["id"]?.stringValue ?? "", kilometres(distance)))
            }
            next = response.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue
                .map(fhirPath)
        }
        return found
    }

    /// The value of a `location-distance` extension, checked to be in km.
    static func kilometres(_ distance: JSONValue?) -> Double? {
        guard case .number(let value)? = distance?["valueDistance"]?["value"] else { return nil }
        #expect(distance?["valueDistance"]?["code"]?.stringValue == "km")
        #expect(distance?["valueDistance"]?["system"]?.stringValue == "http://unitsofmeasure.org")
        return Double(value)
    }

    @Test func fromHartfordNinetyThreeLocationsLieWithinTenMiles() {
        #expect(Self.expected(Self.hartford.latitude, Self.hartford.longitude, 10 * 1.609344).count == 93)
    }

    /// Several points and radii, paged in small pages: exactly the expected ids in order, each
    /// with its distance to the metre.
    struct Case: Sendable, CustomStringConvertible {
        var latitude: Double
        var longitude: Double
        var distance: String
        var radiusKm: Double
        var description: String { "\(latitude)|\(longitude)|\(distance)" }
    }

    static let cases: [Case] = [
        Case(latitude: 41.76510, longitude: -72.67076, distance: "10|[mi_i]", radiusKm: 16.09344),
        Case(latitude: 41.76510, longitude: -72.67076, distance: "10|mi", radiusKm: 16.09344),
        Case(latitude: 41.76510, longitude: -72.67076, distance: "5000|m", radiusKm: 5.0),
        Case(latitude: 41.76510, longitude: -72.67076, distance: "3", radiusKm: 3.0),
        Case(latitude: 41.76510, longitude: -72.67076, distance: "", radiusKm: 16.09344),
        Case(latitude: 41.3083, longitude: -72.9279, distance: "25|[mi_us]", radiusKm: 25 * 1.609347218694437),
        Case(latitude: 41.0534, longitude: -73.5387, distance: "40|km", radiusKm: 40.0),
        Case(latitude: 0.0, longitude: 0.0, distance: "160|km", radiusKm: 160.0),
    ]

    @Test(arguments: cases)
    func locationsNearestFirst(_ c: Case) async throws {
        let (latitude, longitude, distance, radiusKm) = (c.latitude, c.longitude, c.distance, c.radiusKm)
        let expected = Self.expected(latitude, longitude, radiusKm)
        let near = distance.isEmpty ? "\(latitude)|\(longitude)" : "\(latitude)|\(longitude)|\(distance)"
        try await Self.ri.inProcess { client in
            let found = try await Self.pages(client, "/fhir/Location?near=\(encode(near))&_count=7")
            #expect(found.map(\.id) == expected.map(\.id), "near=\(near)")
            for (got, want) in zip(found, expected) {
                #expect(abs((got.km ?? -1) - want.km) < 0.0006, "\(got.id)")
            }
            let total = try await client.fetch("/fhir/Location?near=\(encode(near))&_summary=count")
            #expect(total.json["total"] == .number(String(expected.count)))
        }
    }

    /// A point exactly on the circle is inside it; a hair further out is not.
    @Test func theCircleIncludesItsBoundary() async throws {
        let target = Self.positions.sorted { $0.id < $1.id }[Self.positions.count / 2]
        let km = GeoCircle.distanceKm(
            Self.hartford.latitude, Self.hartford.longitude, target.latitude, target.longitude)
        try await Self.ri.inProcess { client in
            let on = try await Self.pages(
                client, "/fhir/Location?near=\(encode("\(Self.hartford.latitude)|\(Self.hartford.longitude)|\(km)|km"))"
            )
            #expect(on.last?.id == target.id || on.contains { $0.id == target.id })
            let inside = try await Self.pages(
                client,
                "/fhir/Location?near=\(encode("\(Self.hartford.latitude)|\(Self.hartford.longitude)|\(km * (1 - 1e-9))|km"))"
            )
            #expect(!inside.contains { $0.id == target.id })
            #expect(inside.count < on.count)
        }
    }

    /// `previous` from page 3 gives page 2 again, and `_sort=_id` keeps the set but orders by id
    /// without distances.
    @Test func pagingBackAndSortingById() async throws {
        let near = encode("41.76510|-72.67076|10|[mi_i]")
        let expected = Self.expected(41.76510, -72.67076, 10 * 1.609344)
        try await Self.ri.inProcess { client in
            var page = try await client.fetch("/fhir/Location?near=\(near)&_count=10")
            var pages: [[String]] = []
            for _ in 0..<3 {
                pages.append(page.json["entry"]?.asList.compactMap { $0["resource"]?["id"]?.stringValue } ?? [])
                let next = page.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?
                    .stringValue
                page = try await client.fetch(fhirPath(next ?? ""))
            }
            #expect(pages.flatMap { $0 } == Array(expected.map(\.id).prefix(30)))
            let previous = page.json["link"]?.asList.first { $0["relation"]?.stringValue == "previous" }?["url"]?
                .stringValue
            let back = try await client.fetch(fhirPath(previous ?? ""))
            #expect(back.json["entry"]?.asList.compactMap { $0["resource"]?["id"]?.stringValue } == pages[2])

            let byID = try await Self.pages(client, "/fhir/Location?near=\(near)&_sort=_id&_count=50")
            #expect(byID.map(\.id) == expected.map(\.id).sorted())
            #expect(byID.allSatisfy { $0.km == nil })
        }
    }

    /// `location.near` from each referring type: each resource once, at its nearest location
    /// within the circle, nearest first; other clauses still apply.
    @Test(arguments: ["PractitionerRole", "HealthcareService", "OrganizationAffiliation"])
    func chainsOrderByTheNearestLocation(type: String) async throws {
        let within = Dictionary(
            uniqueKeysWithValues: Self.expected(41.76510, -72.67076, 25 * 1.609344).map { ($0.id, $0.km) })
        let expected = Self.ri.sources(of: type).compactMap { source -> (id: String, km: Double)? in
            let distances = (source.json["location"]?.asList ?? []).compactMap { reference -> Double? in
                guard let literal = reference["reference"]?.stringValue, literal.hasPrefix("Location/") else {
                    return nil
                }
                return within[String(literal.dropFirst("Location/".count))]
            }
            return distances.min().map { (source.id, $0) }
        }.sorted { ($0.km, $0.id) < ($1.km, $1.id) }
        try await Self.ri.inProcess { client in
            let found = try await Self.pages(
                client, "/fhir/\(type)?location.near=\(encode("41.76510|-72.67076|25|[mi_i]"))&_count=50")
            #expect(found.map(\.id) == expected.map(\.id))
            for (got, want) in zip(found, expected) { #expect(abs((got.km ?? -1) - want.km) < 0.0006) }
        }
        if type == "PractitionerRole" {
            #expect(expected.count > 50, "the chain test pages")
        }
    }

    @Test func theChainCombinesWithSpecialty() async throws {
        let within = Dictionary(
            uniqueKeysWithValues: Self.expected(41.76510, -72.67076, 10 * 1.609344).map { ($0.id, $0.km) })
        let specialty = "207Q00000X"
        let expected = Self.ri.sources(of: "PractitionerRole").compactMap { source -> (id: String, km: Double)? in
            let codes = (source.json["specialty"]?.asList ?? []).flatMap { $0["coding"]?.asList ?? [] }
                .compactMap { $0["code"]?.stringValue }
            guard codes.contains(specialty) else { return nil }
            let distances = (source.json["location"]?.asList ?? []).compactMap { reference -> Double? in
                reference["reference"]?.stringValue.flatMap { within[String($0.dropFirst("Location/".count))] }
            }
            return distances.min().map { (source.id, $0) }
        }.sorted { ($0.km, $0.id) < ($1.km, $1.id) }
        #expect(!expected.isEmpty)
        try await Self.ri.inProcess { client in
            let found = try await Self.pages(
                client,
                "/fhir/PractitionerRole?location.near=\(encode("41.76510|-72.67076|10|[mi_i]"))&specialty=\(specialty)&_count=5"
            )
            #expect(found.map(\.id) == expected.map(\.id))
        }
    }

    /// A Location without a position, or with one off the globe, is never near anything; the
    /// others are found, and `near:missing=true` finds the rest.
    @Test func locationsWithoutAPositionNeverMatch() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("Location.ndjson")
        try """
        {"resourceType":"Location","id":"placed","position":{"latitude":41.7651,"longitude":-72.67076}}
        {"resourceType":"Location","id":"unplaced","name":"No position"}
        {"resourceType":"Location","id":"off-globe","position":{"latitude":95,"longitude":-72.67076}}
        {"resourceType":"Location","id":"half","position":{"longitude":-72.67076}}

        """.write(to: input, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("near.sqlite").path
        try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: [input.path], output: path))
        let index = try DirectoryIndex(path: path, registry: Fixtures.registry)
        let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
        try await app.test(.router) { client in
            let everywhere = try await Self.pages(client, "/fhir/Location?near=\(encode("41.7|-72.6|160|km"))")
            #expect(everywhere.map(\.id) == ["placed"])
            let missing = try await client.allIDs("/fhir/Location?near:missing=true")
            #expect(missing == ["half", "off-globe", "unplaced"])
        }
    }

    @Test func badValuesAreA400NamingTheValue() async throws {
        try await Self.ri.inProcess { client in
            try await client.expectBadRequest("Location?near=91|-72.6|10|km", "latitude '91'")
            try await client.expectBadRequest("Location?near=-90.5|-72.6|10|km", "latitude '-90.5'")
            try await client.expectBadRequest("Location?near=41.7|180.01|10|km", "longitude '180.01'")
            try await client.expectBadRequest("Location?near=41.7|-72.6|-1|km", "distance '-1'")
            try await client.expectBadRequest("Location?near=41.7|-72.6|nan|km", "distance 'nan'")
            try await client.expectBadRequest("Location?near=41.7|-72.6|inf|km", "distance 'inf'")
            try await client.expectBadRequest("Location?near=41.7|-72.6|1e999|km", "distance '1e999'")
            try await client.expectBadRequest("Location?near=NaN|-72.6|10|km", "latitude 'NaN'")
            try await client.expectBadRequest("Location?near=41.7|-72.6|10|furlong", "unknown unit 'furlong'")
            try await client.expectBadRequest("Location?near=41.7", "this has 1 part")
            try await client.expectBadRequest("Location?near=41.7|-72.6|10|km|x", "this has 5 parts")
            try await client.expectBadRequest("Location?near=41.7|-72.6,40|-70", "one point")
            try await client.expectBadRequest("Location?near:exact=41.7|-72.6", "exact")
            try await client.expectBadRequest(
                "PractitionerRole?location.near=41.7|-72.6|abc", "distance 'abc'")
            let wide = try await client.fetch("/fhir/Location?near=\(encode("41.7|-72.6|101|[mi_i]"))")
            #expect(wide.status == .badRequest)
            #expect(wide.json["issue"]?.asList.first?["code"]?.stringValue == "too-costly")
            #expect(wide.json["issue"]?.asList.first?["diagnostics"]?.stringValue?.contains("162.544") == true)
        }
    }

    /// The box comes from the R*Tree, on its own and through the chain.
    @Test(arguments: [
        ("Location", "near=41.7651%7C-72.67076%7C10%7Ckm"),
        ("Location", "near=41.7651%7C-72.67076%7C10%7Ckm&_sort=_id"),
        ("PractitionerRole", "location.near=41.7651%7C-72.67076%7C10%7Ckm&specialty=207Q00000X"),
    ])
    func theRTreeAnswersTheBox(type: String, query: String) throws {
        let request = try SearchQueryParser(registry: Fixtures.registry).parse(
            resourceType: type, parameters: FormDecoderForTests.pairs(query), lenient: false)
        let plan = try Self.ri.index.explain(request)
        // R*Tree plans name the constraint index `2:` with one code per box bound.
        #expect(plan.contains { $0.contains("VIRTUAL TABLE INDEX 2:") }, "\(plan)")
        // The circle leads: a chain must not walk every reference of its link (a key range on
        // pid alone) and probe the R*Tree for each, as SQLite chose without CROSS JOIN.
        #expect(!plan.contains { $0.hasSuffix("USING PRIMARY KEY (pid=?)") }, "\(plan)")
        // `SCAN n` reads the circle's own matches, grouped by referrer: no table is walked.
        #expect(QueryPlanTests.fullScans(plan).filter { $0 != "SCAN n" }.isEmpty, "\(plan)")
    }
}
