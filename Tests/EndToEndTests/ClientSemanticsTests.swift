import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import SearchParameters
import Server
import Storage
import Testing

/// What client libraries and the Inferno kits send, on the bundled sample (no `../shared`
/// needed): `Type/id` in `_id`, `_count=0`, a bare `_include=*`, `_format` over `Accept`, and
/// absolute references to this server.
@Suite struct ClientSemanticsTests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "client-semantics")
    static let base = "https://directory.example/fhir"

    func app(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(
            index: Self.sample.index, configuration: ServerConfiguration(port: 0, baseURL: Self.base, cacheBytes: 0))
        try await app.test(.router) { client in try await body(client) }
    }

    func ids(_ response: FetchedResponse, mode: String = "match") -> [String] {
        (response.json["entry"]?.asList ?? []).filter { $0["search"]?["mode"]?.stringValue == mode }.compactMap {
            $0["resource"]?["id"]?.stringValue
        }
    }

    func total(_ response: FetchedResponse) -> Int? {
        if case .number(let text)? = response.json["total"] { return Int(text) }
        return nil
    }

    @Test func idTakesTypeSlashIdOfTheSearchedTypeOnly() async throws {
        try await app { client in
            let plain = try await client.fetch("/fhir/Practitioner?_id=practitioner-1,practitioner-2")
            let typed = try await client.fetch(
                "/fhir/Practitioner?_id=Practitioner/practitioner-1,Practitioner/practitioner-2")
            #expect(ids(plain) == ["practitioner-1", "practitioner-2"])
            #expect(ids(typed) == ids(plain))
            let included = try await client.fetch(
                "/fhir/Practitioner?_id=Practitioner/practitioner-1&_revinclude=PractitionerRole:practitioner")
            #expect(ids(included, mode: "include").count >= 1)
            try await client.expectBadRequest("Practitioner?_id=Organization/practitioner-1", "not Organization")
        }
    }

    @Test func countZeroIsTheTotalWithoutEntries() async throws {
        try await app { client in
            let accurate = try await client.fetch("/fhir/PractitionerRole?specialty=207Q00000X&_total=accurate")
            let expected = try #require(total(accurate))
            #expect(expected > 0)
            let counted = try await client.fetch("/fhir/PractitionerRole?specialty=207Q00000X&_count=0")
            #expect(counted.status == .ok)
            #expect(total(counted) == expected)
            #expect(counted.json["entry"] == nil)
            let none = try await client.fetch("/fhir/PractitionerRole?specialty=no-such-code&_count=0")
            #expect(total(none) == 0)
        }
    }

    @Test func bareIncludeStarIsEveryReferenceOfTheSearchedType() async throws {
        try await app { client in
            let query = "/fhir/PractitionerRole?specialty=207Q00000X&_count=5"
            let bare = try await client.fetch(query + "&_include=*")
            let spelled = try await client.fetch(query + "&_include=PractitionerRole:*")
            #expect(bare.status == .ok)
            #expect(!ids(bare, mode: "include").isEmpty)
            #expect(ids(bare, mode: "include") == ids(spelled, mode: "include"))
            // `_revinclude=*` names no source type: still a 400.
            try await client.expectBadRequest("PractitionerRole?_revinclude=*", "SourceType:parameter")
        }
    }

    @Test func formatOverridesAccept() async throws {
        try await app { client in
            let xml: HTTPFields = [.accept: "application/fhir+xml"]
            for path in ["/fhir/Practitioner?name=a", "/fhir/Practitioner/practitioner-1", "/fhir/metadata"] {
                let separator = path.contains("?") ? "&" : "?"
                #expect(try await client.fetch(path, headers: xml).status == .notAcceptable, "\(path)")
                let json = try await client.fetch(path + "\(separator)_format=json", headers: xml)
                #expect(json.status == .ok, "\(path)")
                let forced = try await client.fetch(path + "\(separator)_format=xml")
                #expect(forced.status == .notAcceptable, "\(path)")
            }
        }
    }

    @Test func absoluteReferencesToThisServerMatchAsTypeAndID() async throws {
        try await app { client in
            let relative = ids(
                try await client.fetch("/fhir/PractitionerRole?practitioner=Practitioner/practitioner-1"))
            #expect(!relative.isEmpty)
            for absolute in [
                "\(Self.base)/Practitioner/practitioner-1", "http://directory.example/fhir/Practitioner/practitioner-1",
                "\(Self.base)/Practitioner/practitioner-1/_history/3",
            ] {
                let found = try await client.fetch("/fhir/PractitionerRole?practitioner=\(absolute)")
                #expect(ids(found) == relative, "\(absolute)")
            }
            // Another server's URL is matched literally, and nothing here is stored that way.
            let elsewhere = try await client.fetch(
                "/fhir/PractitionerRole?practitioner=https://elsewhere.example/fhir/Practitioner/practitioner-1")
            #expect(elsewhere.status == .ok && ids(elsewhere).isEmpty)
        }
    }

    @Test func sortTakesAgreeingKeysAndLenientHandlingDropsTheRest() async throws {
        try await app { client in
            let query = "/fhir/PractitionerRole?_count=1000"
            let byUpdated = try await client.allIDs(query + "&_sort=_lastUpdated")
            #expect(byUpdated.count > 100)
            #expect(try await client.allIDs(query + "&_sort=_lastUpdated,_id") == byUpdated)
            #expect(
                try await client.allIDs(query + "&_sort=-_lastUpdated,-_id")
                    == client.allIDs(query + "&_sort=-_lastUpdated"))
            #expect(try await client.allIDs(query + "&_sort=_id,_lastUpdated") == client.allIDs(query + "&_sort=_id"))
            try await client.expectBadRequest("PractitionerRole?_sort=_lastUpdated,-_id", "same direction")
            try await client.expectBadRequest("PractitionerRole?_sort=name", "_id or _lastUpdated")
            let lenient: HTTPFields = [.init("Prefer")!: "handling=lenient"]
            let dropped = try await client.fetch("/fhir/PractitionerRole?_sort=name&_count=5", headers: lenient)
            #expect(dropped.status == .ok)
            let selfLink = dropped.json["link"]?.asList.first { $0["relation"]?.stringValue == "self" }?["url"]?
                .stringValue
            #expect(selfLink?.contains("_sort") == false, "\(selfLink ?? "")")
            #expect(try await client.allIDs(query + "&_sort=_lastUpdated,name", headers: lenient) == byUpdated)
        }
    }

    /// `scheme://host/…/fhir/` of a link.
    func fhirBase(_ link: String) -> String? {
        link.range(of: "/fhir/").map { String(link[..<$0.upperBound]) }
    }

    func links(_ response: FetchedResponse) -> [String] {
        (response.json["link"]?.asList ?? []).compactMap { $0["url"]?.stringValue }
            + (response.json["entry"]?.asList ?? []).compactMap { $0["fullUrl"]?.stringValue }
    }

    @Test func capabilityStatementNamesAnAbsoluteBase() async throws {
        try await app { client in
            let metadata = try await client.fetch("/fhir/metadata")
            #expect(metadata.json["implementation"]?["url"]?.stringValue == Self.base)
        }
        let app = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 0))
        try await app.test(.router) { client in
            // Without --base-url the base is the request's host, or the listening address.
            let metadata = try await client.fetch("/fhir/metadata")
            let url = metadata.json["implementation"]?["url"]?.stringValue ?? ""
            #expect(url.hasPrefix("http://") && url.hasSuffix("/fhir"), "\(url)")
        }
    }

    @Test func forwardedHeadersSetTheBaseOnlyWhenTrusted() async throws {
        let forwarded: HTTPFields = [
            .init("X-Forwarded-Proto")!: "https", .init("X-Forwarded-Host")!: "dir.example",
            .init("X-Forwarded-Prefix")!: "/api/",
        ]
        let query = "/fhir/Practitioner?_count=2"
        let trusting = buildApplication(
            index: Self.sample.index, configuration: ServerConfiguration(port: 0, trustForwardedHeaders: true))
        try await trusting.test(.router) { client in
            // The base a request without forwarding headers gets.
            let plain = try #require(links(try await client.fetch(query)).first.flatMap(fhirBase))
            let response = try await client.fetch(query, headers: forwarded)
            #expect(!links(response).isEmpty)
            for link in links(response) { #expect(link.hasPrefix("https://dir.example/api/fhir/"), "\(link)") }
            #expect(response.headers[.vary]?.contains("X-Forwarded-Host") == true)
            let rfc = try await client.fetch(
                query, headers: [.init("Forwarded")!: "for=1.2.3.4;proto=https;host=\"fw.example\", for=5.6.7.8"])
            for link in links(rfc) { #expect(link.hasPrefix("https://fw.example/fhir/"), "\(link)") }
            let metadata = try await client.fetch("/fhir/metadata", headers: forwarded)
            #expect(metadata.json["implementation"]?["url"]?.stringValue == "https://dir.example/api/fhir")
            // Values that are not a plausible scheme, host or path are ignored.
            let bogus = try await client.fetch(
                query,
                headers: [
                    .init("X-Forwarded-Proto")!: "javascript", .init("X-Forwarded-Host")!: "evil.example\"><x",
                    .init("X-Forwarded-Prefix")!: "/a b",
                ])
            for link in links(bogus) { #expect(link.hasPrefix(plain), "\(link)") }
        }
        let ignoring = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 0))
        try await ignoring.test(.router) { client in
            let plain = try #require(links(try await client.fetch(query)).first.flatMap(fhirBase))
            let response = try await client.fetch(query, headers: forwarded)
            for link in links(response) { #expect(link.hasPrefix(plain), "\(link)") }
            #expect(response.headers[.vary]?.contains("Forwarded") == false)
        }
    }

    @Test func searchLimitsAreTooCostlyAndCounted() async throws {
        var limits = SearchLimits()
        limits.orValues = 3
        let app = buildApplication(
            index: Self.sample.index, configuration: ServerConfiguration(port: 0, cacheBytes: 0, limits: limits))
        try await app.test(.router) { client in
            #expect(try await client.fetch("/fhir/Practitioner?_id=a,b,c").status == .ok)
            let over = try await client.fetch("/fhir/Practitioner?_id=a,b,c,d")
            #expect(over.status == .badRequest)
            let issue = over.json["issue"]?.asList.first
            #expect(issue?["code"]?.stringValue == "too-costly")
            #expect(issue?["diagnostics"]?.stringValue?.contains("_id=a,b,c,d: at most 3") == true)
            _ = try await client.fetch("/fhir/Organization?name:contains=ab")
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            #expect(metrics.contains(#"plandir_limit_rejections_total{limit="or-values"} 1"#))
            #expect(metrics.contains(#"plandir_limit_rejections_total{limit="contains-length"} 1"#))
        }
    }

    /// Found by the hardening run's raw mutator: a value of only commas reached SQL as an empty
    /// `()` and answered 500. It is ignored now, like an empty value, on every type of parameter.
    @Test func valuesOfOnlyCommasAreIgnored() async throws {
        try await app { client in
            let all = try await client.fetch("/fhir/PractitionerRole?_total=accurate&_count=0")
            for query in [
                "name=,,,,", "_lastUpdated=,,", "practitioner=,,", "specialty=,", "_id=,",
                "location.address-city=,", "_has:PractitionerRole:practitioner:specialty=,",
            ] {
                let type = query.hasPrefix("name") || query.hasPrefix("_has") ? "Practitioner" : "PractitionerRole"
                let response = try await client.fetch("/fhir/\(type)?\(query)&_total=accurate&_count=0")
                #expect(response.status == .ok, "\(query): \(String(decoding: response.bytes, as: UTF8.self))")
                if type == "PractitionerRole" { #expect(self.total(response) == self.total(all), "\(query)") }
            }
        }
    }
}
