import CompressNIO
import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@testable import Server

/// Caching, compression, CORS and the operational endpoints, over a real socket.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct HTTPConventionsTests {
    static let search = "/fhir/Practitioner?name=s&_count=50"

    func live(
        _ index: DirectoryIndex = Fixtures.examples.index, _ configuration: ServerConfiguration = .init(port: 0),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.port = 0
        let app = buildApplication(index: index, configuration: configuration)
        try await app.test(.live) { client in try await body(client) }
    }

    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        return Array(buffer: try buffer.decompress(with: .gzip()))
    }

    @Test func readsAndSearchesCarryValidatorsAndFreshness() async throws {
        try await live(Fixtures.examples.index, .init(cacheMaxAge: 123)) { client in
            let read = try await client.fetch("/fhir/Practitioner/HansSolo")
            #expect(read.status == .ok)
            #expect(read.headers[.eTag]?.hasPrefix("\"") == true)
            // The read's Last-Modified is the resource's meta.lastUpdated (2020-07-07T13:26:22Z).
            #expect(read.headers[.lastModified] == "Tue, 07 Jul 2020 13:26:22 GMT")
            #expect(read.headers[.cacheControl] == "public, max-age=123")
            #expect(read.headers[.vary] == "Accept, Accept-Encoding, Origin, Prefer")
            #expect(read.headers[.contentType] == "application/fhir+json; charset=utf-8")
            let search = try await client.fetch(Self.search)
            let built = Fixtures.examples.index.builtAt
            let expected = HTTPDate.format(millis: DateRange(fhir: built)!.low)
            #expect(search.headers[.lastModified] == expected, "a search's Last-Modified is the build time")
            #expect(search.headers[.eTag] != read.headers[.eTag])
            // Errors are not cacheable.
            let missing = try await client.fetch("/fhir/Practitioner/nope")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.cacheControl] == "no-store")
            #expect(missing.headers[.eTag] == nil)
        }
    }

    @Test func conditionalRequestsGet304WithNoBody() async throws {
        try await live { client in
            let first = try await client.fetch(Self.search)
            let etag = try #require(first.headers[.eTag])
            let lastModified = try #require(first.headers[.lastModified])
            for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                let again = try await client.fetch(Self.search, headers: [.ifNoneMatch: header])
                #expect(again.status == .notModified, "\(header)")
                #expect(again.bytes.isEmpty)
                #expect(again.headers[.eTag] == etag)
            }
            let other = try await client.fetch(Self.search, headers: [.ifNoneMatch: "\"something-else\""])
            #expect(other.status == .ok)
            let since = try await client.fetch(Self.search, headers: [.ifModifiedSince: lastModified])
            #expect(since.status == .notModified)
            let before = try await client.fetch(
                Self.search, headers: [.ifModifiedSince: "Mon, 01 Jan 2001 00:00:00 GMT"])
            #expect(before.status == .ok)
            // If-None-Match wins over If-Modified-Since.
            let both = try await client.fetch(
                Self.search, headers: [.ifNoneMatch: "\"x\"", .ifModifiedSince: lastModified])
            #expect(both.status == .ok)
        }
    }

    @Test func readsHonourFHIRVersionIdETags() async throws {
        let folder = try Fixtures.temporaryFolder()
        try #"{"resourceType":"Practitioner","id":"p1","meta":{"versionId":"7","lastUpdated":"2026-01-02T03:04:05Z"}}"#
            .write(to: folder.appendingPathComponent("p.ndjson"), atomically: true, encoding: .utf8)
        let built = try BuiltIndex(inputs: [folder.path], name: "versioned")
        try await live(built.index) { client in
            let matched = try await client.fetch("/fhir/Practitioner/p1", headers: [.ifNoneMatch: "W/\"7\""])
            #expect(matched.status == .notModified)
            let stale = try await client.fetch("/fhir/Practitioner/p1", headers: [.ifNoneMatch: "W/\"6\""])
            #expect(stale.status == .ok)
        }
    }

    @Test func theResponseCacheKeysOnTheNormalizedRequest() async throws {
        try await live { client in
            let miss = try await client.fetch("/fhir/Practitioner?name=s&family=s")
            #expect(miss.headers[.init("X-Cache")!] == "MISS")
            for equivalent in [
                "/fhir/Practitioner?family=s&name=s",  // order
                "/fhir/Practitioner?family=%73&name=s",  // encoding
                "/fhir/Practitioner?family=%20s%20%20&name=s",  // whitespace
                "/fhir/Practitioner?family=s&name=s+",
            ] {
                let hit = try await client.fetch(equivalent)
                #expect(hit.headers[.init("X-Cache")!] == "HIT", "\(equivalent)")
                #expect(hit.bytes == miss.bytes)
                #expect(hit.headers[.eTag] == miss.headers[.eTag])
            }
            // A next link is cached like any other page.
            let first = try await client.fetch("/fhir/Practitioner?_count=2")
            let next = try #require(
                first.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue)
            #expect(try await client.fetch(fhirPath(next)).headers[.init("X-Cache")!] == "MISS")
            #expect(try await client.fetch(fhirPath(next)).headers[.init("X-Cache")!] == "HIT")
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            #expect(metrics.contains("plandir_cache_hits_total 5"))
            #expect(metrics.contains("plandir_cache_misses_total 3"))
        }
    }

    @Test func largeBodiesAreGzippedOnceAndSmallOnesNot() async throws {
        try await live(Fixtures.examples.index, .init(gzipThreshold: 2048)) { client in
            let plain = try await client.fetch(Self.search)
            #expect(plain.bytes.count > 2048)
            #expect(plain.headers[.contentEncoding] == nil)
            for _ in 0..<2 {
                let zipped = try await client.fetch(Self.search, headers: [.acceptEncoding: "br, gzip;q=0.8"])
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.bytes.count < plain.bytes.count / 2)
                #expect(try Self.gunzip(zipped.bytes) == plain.bytes)
                #expect(zipped.headers[.init("X-Cache")!] == "HIT")
            }
            for refusal in ["gzip;q=0", "gzip; q=0.000", "identity, gzip;q=0.0"] {
                let refused = try await client.fetch(Self.search, headers: [.acceptEncoding: refusal])
                #expect(refused.headers[.contentEncoding] == nil, "\(refusal)")
            }
            let small = try await client.fetch("/fhir/Practitioner?_summary=count", headers: [.acceptEncoding: "gzip"])
            #expect(small.bytes.count < 2048)
            #expect(small.headers[.contentEncoding] == nil)
        }
    }

    @Test func corsForBrowsersEverywhere() async throws {
        try await live { client in
            for path in [Self.search, "/fhir/Practitioner/HansSolo", "/fhir/Practitioner/nope", "/fhir/metadata"] {
                let response = try await client.fetch(path, headers: [.origin: "https://app.example"])
                #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
                #expect(response.headers[.accessControlExposeHeaders]?.contains("ETag") == true)
                #expect(response.headers[.accessControlExposeHeaders]?.contains("Content-Location") == true)
            }
            let preflight = try await client.fetch(
                "/fhir/Practitioner", method: .options,
                headers: [
                    .origin: "https://app.example", .accessControlRequestMethod: "GET",
                    .accessControlRequestHeaders: "If-None-Match",
                ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("GET") == true)
            #expect(preflight.headers[.accessControlAllowHeaders] == "If-None-Match")
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test func headPrettyAndFormats() async throws {
        try await live { client in
            let get = try await client.fetch("/fhir/Practitioner/HansSolo")
            let head = try await client.fetch("/fhir/Practitioner/HansSolo", method: .head)
            #expect(head.status == .ok)
            #expect(head.bytes.isEmpty)
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.headers[.contentLength] == String(get.bytes.count))
            let searchHead = try await client.fetch(Self.search, method: .head)
            #expect(searchHead.status == .ok && searchHead.bytes.isEmpty)
            let pretty = try await client.fetch("/fhir/Practitioner/HansSolo?_pretty=true")
            #expect(String(decoding: pretty.bytes, as: UTF8.self).contains("\n  \"id\": \"HansSolo\""))
            #expect(try JSONParser.parse(pretty.bytes) == JSONParser.parse(get.bytes))
            let prettySearch = try await client.fetch(Self.search + "&_pretty=true")
            #expect(
                try JSONParser.parse(prettySearch.bytes)["entry"]
                    == JSONParser.parse(try await client.fetch(Self.search).bytes)["entry"])
            for accept in ["application/json", "application/fhir+json", "*/*"] {
                #expect(try await client.fetch(Self.search, headers: [.accept: accept]).status == .ok, "\(accept)")
            }
            #expect(try await client.fetch(Self.search + "&_format=json").status == .ok)
            for path in [
                Self.search + "&_pretty=yes", "/fhir/Practitioner/HansSolo?_pretty=yes", "/fhir/metadata?_pretty=1",
            ] {
                let bad = try await client.fetch(path)
                #expect(bad.status == .badRequest, "\(path)")
                #expect(bad.json["issue"]?.asList.first?["expression"]?.asList.first?.stringValue == "_pretty")
            }
            let xml = try await client.fetch(Self.search, headers: [.accept: "application/fhir+xml"])
            #expect(xml.status == .notAcceptable)
            #expect(xml.json["issue"]?.asList.first?["diagnostics"]?.stringValue?.contains("JSON") == true)
        }
    }

    /// `_summary` and `_elements` trim resources (matches and includes) and tag them SUBSETTED.
    @Test func summaryAndElementsTrimAndTag() async throws {
        let source = try #require(Fixtures.examples.sources(of: "Practitioner").first { $0.id == "HansSolo" })
        let all = Set(source.json.objectValue!.keys)
        let summary = Fixtures.registry.summaryElements["Practitioner"]!
        @Sendable func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys ?? []) }
        @Sendable func tagged(_ value: JSONValue?) -> Bool {
            value?["meta"]?["tag"]?.asList.contains { $0["code"]?.stringValue == "SUBSETTED" } == true
        }
        try await live { client in
            let cases: [(String, Set<String>)] = [
                ("_summary=true", all.filter { ["resourceType", "id", "meta"].contains($0) || summary.contains($0) }),
                ("_summary=text", all.intersection(["resourceType", "id", "meta", "text"])),
                ("_summary=data", all.subtracting(["text"])),
                ("_elements=name,gender", all.intersection(["resourceType", "id", "meta", "name", "gender"])),
            ]
            #expect(all.contains("text") && all.contains("qualification"))
            for (query, expected) in cases {
                let read = try await client.fetch("/fhir/Practitioner/HansSolo?\(query)")
                #expect(keys(read.json) == expected, "\(query)")
                #expect(tagged(read.json), "\(query)")
            }
            let full = try await client.fetch("/fhir/Practitioner/HansSolo?_summary=false")
            #expect(keys(full.json) == all)
            #expect(!tagged(full.json))
            let search = try await client.fetch(
                "/fhir/PractitionerRole?_elements=specialty&_include=PractitionerRole:practitioner&_count=5")
            let entries = search.json["entry"]?.asList ?? []
            #expect(entries.contains { $0["search"]?["mode"]?.stringValue == "include" })
            for entry in entries {
                #expect(tagged(entry["resource"]))
                #expect(keys(entry["resource"]).isSubset(of: ["resourceType", "id", "meta", "specialty"]))
            }
            #expect(try await client.fetch("/fhir/Practitioner?_elements=Bad!").status == .badRequest)
            #expect(try await client.fetch("/fhir/Practitioner/HansSolo?_summary=maybe").status == .badRequest)
        }
    }

    @Test func operationsEndpointsAndRequestIDs() async throws {
        try await live { client in
            #expect(try await client.fetch("/health").status == .ok)
            #expect(try await client.fetch("/ready").status == .ok)
            let given = try await client.fetch(Self.search, headers: [.init("X-Request-ID")!: "abc-123"])
            #expect(given.headers[.init("X-Request-ID")!] == "abc-123")
            let made = try await client.fetch(Self.search)
            #expect(made.headers[.init("X-Request-ID")!]?.count == 36)
            _ = try await client.fetch("/fhir/Practitioner/nope")
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            #expect(
                metrics.contains(#"plandir_http_requests_total{route="search",type="Practitioner",status="200"} 2"#))
            #expect(metrics.contains(#"plandir_http_requests_total{route="read",type="Practitioner",status="404"} 1"#))
            #expect(metrics.contains(#"plandir_http_request_duration_seconds_bucket{route="search",le="+Inf"} 2"#))
            #expect(metrics.contains("plandir_index_age_seconds"))
            #expect(metrics.contains("plandir_index_info{version=\"\(Fixtures.examples.index.version)\"} 1"))
            #expect(metrics.contains("plandir_cache_bytes"))
        }
    }

    /// FHIR's error shape is the FHIR API's: an unmatched `/fhir` path or method is an
    /// OperationOutcome, any other path keeps a plain 404 (the web page will have its own),
    /// and metrics label both by route, not by the path a client made up.
    @Test func errorsAreFHIROnlyUnderFHIRAndLabelsAreBounded() async throws {
        try await live { client in
            for path in ["/fhir/Practitioner/a/b/c", "/fhir", "/fhir/"] {
                let response = try await client.fetch(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.json["resourceType"]?.stringValue == "OperationOutcome", "\(path)")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
            let head = try await client.fetch("/fhir/Practitioner/a/b/c", method: .head)
            #expect(head.status == .notFound && head.bytes.isEmpty)
            for path in ["/nowhere", "/fhirish/Practitioner", "/nowhere/\(UUID().uuidString)"] {
                let response = try await client.fetch(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType]?.contains("fhir") != true, "\(path)")
            }
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            #expect(metrics.contains(#"plandir_http_requests_total{route="other",type="-",status="404"} 7"#))
            #expect(!metrics.contains("nowhere") && !metrics.contains("a/b/c"))
        }
    }

    /// A rebuilt index at the same path is picked up: ETags change, the cache starts empty, and
    /// an old ETag no longer gets a 304.
    @Test func aRebuiltIndexChangesETagsAndEmptiesTheCache() async throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder.appendingPathComponent("live.sqlite").path
        let source = folder.appendingPathComponent("p.ndjson")
        try #"{"resourceType":"Practitioner","id":"p1","name":[{"family":"Old"}]}"#.write(
            to: source, atomically: true, encoding: .utf8)
        let builder = IndexBuilder(registry: Fixtures.registry)
        try builder.build(
            .init(inputs: [source.path], output: path, buildTime: Date(timeIntervalSince1970: 1_700_000_000)))
        let holder = IndexHolder(index: try DirectoryIndex(path: path, registry: Fixtures.registry))
        let app = buildApplication(holder: holder, configuration: .init(port: 0))
        try await app.test(.live) { client in
            let before = try await client.fetch("/fhir/Practitioner?family=old")
            #expect(try await client.fetch("/fhir/Practitioner?family=old").headers[.init("X-Cache")!] == "HIT")
            let etag = try #require(before.headers[.eTag])
            try #"{"resourceType":"Practitioner","id":"p1","name":[{"family":"Older"}]}"#.write(
                to: source, atomically: true, encoding: .utf8)
            try builder.build(
                .init(inputs: [source.path], output: path, buildTime: Date(timeIntervalSince1970: 1_700_000_100)))
            guard case .swapped = holder.reload() else {
                Issue.record("the rebuilt index was not swapped in")
                return
            }
            #expect(holder.reload() == .unchanged)
            let after = try await client.fetch("/fhir/Practitioner?family=old", headers: [.ifNoneMatch: etag])
            #expect(after.status == .ok, "the old ETag must not validate against the new index")
            #expect(after.headers[.eTag] != etag)
            #expect(after.headers[.init("X-Cache")!] == "MISS")
            #expect(
                after.json["entry"]?.asList.first?["resource"]?["name"]?.asList.first?["family"]?.stringValue == "Older"
            )
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            #expect(metrics.contains("plandir_cache_entries 1"))
        }
    }
}

/// The cache's eviction and accounting, directly.
@Suite struct ResponseCacheTests {
    func entry(_ size: Int) -> CachedResponse {
        CachedResponse(body: Array(repeating: 0x61, count: size), lastModified: 0)
    }

    @Test func staysWithinItsByteBudget() {
        let cache = ResponseCache(capacity: 10_000)
        for i in 0..<100 { cache.put("k\(i)", version: "v", entry(1000)) }
        #expect(cache.stats.bytes <= 10_000)
        #expect(cache.stats.entries >= 8)
        #expect(cache.stats.evictions >= 90)
        // Too large for one entry (over an eighth of the budget): not cached at all.
        cache.put("huge", version: "v", entry(2000))
        #expect(cache.get("huge", version: "v") == nil)
    }

    /// SIEVE keeps what was hit since the hand last passed, and evicts what was not.
    @Test func keepsPopularEntriesUnderChurn() {
        let cache = ResponseCache(capacity: 8 * 1100)
        for i in 0..<4 { cache.put("hot\(i)", version: "v", entry(1000)) }
        for round in 0..<50 {
            for i in 0..<4 { _ = cache.get("hot\(i)", version: "v") }
            cache.put("cold\(round)", version: "v", entry(1000))
        }
        for i in 0..<4 { #expect(cache.get("hot\(i)", version: "v") != nil, "hot\(i) survived") }
        #expect(cache.get("cold0", version: "v") == nil)
        #expect(cache.get("cold49", version: "v") != nil)
    }

    @Test func anotherIndexVersionEmptiesIt() {
        let cache = ResponseCache(capacity: 100_000)
        cache.put("a", version: "1", entry(100))
        #expect(cache.get("a", version: "1") != nil)
        #expect(cache.get("a", version: "2") == nil)
        #expect(cache.stats.entries == 0)
        #expect(cache.stats.bytes == 0)
    }

    @Test func httpDatesRoundTrip() {
        #expect(HTTPDate.format(millis: 784_111_777_000) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("yesterday") == nil)
    }
}
