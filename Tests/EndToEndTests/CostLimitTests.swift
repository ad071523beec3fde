import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SearchParameters
import Server
import Storage
import Testing

/// The limits that bound what a page costs rather than what a request may say: resources
/// included, response bytes and SQL time. Each is checked just under and just over, on the
/// bundled sample (no `../shared` needed).
@Suite struct CostLimitTests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "cost-limits")
    static let includes =
        "/fhir/PractitionerRole?_count=40&_include=PractitionerRole:location"
        + "&_include=PractitionerRole:practitioner&_include=PractitionerRole:organization"

    func app(_ limits: SearchLimits, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(
            index: Self.sample.index, configuration: ServerConfiguration(port: 0, cacheBytes: 0, limits: limits))
        try await app.test(.router) { client in try await body(client) }
    }

    /// One response under the default limits.
    func unlimited(_ path: String) async throws -> FetchedResponse {
        let app = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 0, cacheBytes: 0))
        return try await app.test(.router) { client in try await client.fetch(path) }
    }

    static func entries(_ response: FetchedResponse, _ mode: String) -> [JSONValue] {
        (response.json["entry"]?.asList ?? []).filter { $0["search"]?["mode"]?.stringValue == mode }
    }

    static func outcomeCodes(_ response: FetchedResponse) -> [String] {
        entries(response, "outcome").flatMap { $0["resource"]?["issue"]?.asList ?? [] }.compactMap {
            $0["code"]?.stringValue
        }
    }

    static func metric(_ client: any TestClientProtocol, _ limit: String) async throws -> Int {
        let text = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
        let prefix = #"plandir_limit_rejections_total{limit="\#(limit)"} "#
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return 0 }
        return Int(line.dropFirst(prefix.count)) ?? -1
    }

    @Test func includedResourcesAreCutWithAnIncompleteOutcome() async throws {
        // How many this page includes when nothing cuts it.
        let uncut = try await unlimited(Self.includes)
        #expect(uncut.status == .ok)
        #expect(Self.outcomeCodes(uncut).isEmpty)
        let full = Self.entries(uncut, "include").count
        #expect(full > 2)
        var exact = SearchLimits()
        exact.included = full
        try await app(exact) { [full] client in
            let response = try await client.fetch(Self.includes)
            #expect(Self.entries(response, "include").count == full)
            #expect(Self.outcomeCodes(response).isEmpty)
        }
        var under = SearchLimits()
        under.included = full - 1
        try await app(under) { [full] client in
            let response = try await client.fetch(Self.includes)
            #expect(response.status == .ok)
            #expect(Self.entries(response, "include").count == full - 1)
            #expect(Self.entries(response, "match").count == 40)
            #expect(Self.outcomeCodes(response) == ["incomplete"])
            #expect(try await Self.metric(client, "included") == 1)
        }
    }

    @Test func largeResponsesLoseIncludesFirstThenAreRefused() async throws {
        let uncut = try await unlimited(Self.includes)
        let size = uncut.bytes.count
        let matchBytes = Self.entries(uncut, "match").reduce(0) { $0 + JSONWriter.encode($1).count }
        // Room for the matches and their envelope, not for every include.
        var tight = SearchLimits()
        tight.responseBytes = matchBytes + (size - matchBytes) / 2
        try await app(tight) { [tight] client in
            let response = try await client.fetch(Self.includes)
            #expect(response.status == .ok)
            #expect(response.bytes.count <= tight.responseBytes)
            #expect(Self.entries(response, "match").count == 40)
            #expect(!Self.entries(response, "include").isEmpty)
            #expect(Self.outcomeCodes(response) == ["incomplete"])
        }
        // Not even the matches fit: refused, naming _count.
        var tiny = SearchLimits()
        tiny.responseBytes = matchBytes / 2
        try await app(tiny) { client in
            let response = try await client.fetch(Self.includes)
            #expect(response.status == .badRequest)
            #expect(response.json["issue"]?.asList.first?["code"]?.stringValue == "too-costly")
            #expect(response.json["issue"]?.asList.first?["expression"]?.asList.first?.stringValue == "_count")
            #expect(try await Self.metric(client, "response-bytes") == 1)
            // A smaller page fits.
            #expect(try await client.fetch("/fhir/PractitionerRole?_count=1").status == .ok)
        }
    }

    @Test func searchesPastTheDeadlineAreTooCostly() async throws {
        // A nanosecond: SQLite checks the clock every thousand steps, so only a query that takes
        // more steps than that is interrupted. Counting 1,200 practitioners does; one row does not.
        var instant = SearchLimits()
        instant.queryTimeout = .nanoseconds(1)
        try await app(instant) { client in
            let slow = try await client.fetch("/fhir/Practitioner?_count=0")
            #expect(slow.status == .badRequest)
            #expect(slow.json["issue"]?.asList.first?["code"]?.stringValue == "too-costly")
            #expect(slow.json["issue"]?.asList.first?["diagnostics"]?.stringValue?.contains("database time") == true)
            // The page is answered; only its total is left out, with a warning saying why.
            let total = try await client.fetch("/fhir/Practitioner?_count=1&_total=accurate")
            #expect(total.status == .ok)
            #expect(Self.entries(total, "match").count == 1)
            #expect(total.json["total"] == nil)
            #expect(Self.outcomeCodes(total) == ["too-costly"])
            #expect(try await Self.metric(client, "query-time") == 2)
        }
        // Just under: the same requests with the default deadline.
        try await app(SearchLimits()) { client in
            let count = try await client.fetch("/fhir/Practitioner?_count=0")
            #expect(count.json["total"] == .number("1200"))
            let total = try await client.fetch("/fhir/Practitioner?_count=1&_total=accurate")
            #expect(total.json["total"] == .number("1200"))
            #expect(Self.outcomeCodes(total).isEmpty)
        }
    }

    /// Interrupted reads leave every pooled connection usable, with no deadline left behind.
    @Test func interruptedReadsLeaveTheirConnectionsUsable() async throws {
        let index = Self.sample.index
        var slow = SearchRequest(resourceType: "Practitioner", count: 0)
        slow.limits.queryTimeout = .nanoseconds(1)
        let normal = SearchRequest(resourceType: "Practitioner", count: 0)
        for _ in 0..<(DirectoryIndex.readerCount * 3) {
            await #expect(throws: QueryTimeout.self) { try await index.search(slow) }
        }
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<(DirectoryIndex.readerCount * 3) {
                group.addTask { try await index.search(normal).total }
            }
            for try await total in group { #expect(total == 1200) }
        }
    }

    /// With no room to queue, requests beyond the pool's connections are turned away at once
    /// with 503 and `Retry-After`; the others are answered. Cached answers never wait.
    @Test func requestsBeyondTheQueueGet503WithRetryAfter() async throws {
        var configuration = ServerConfiguration(port: 0, cacheBytes: 0)
        configuration.queueLength = 0
        let app = buildApplication(index: Self.sample.index, configuration: configuration)
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 0..<64 {
                    group.addTask {
                        let response = try await client.fetch(
                            "\(Self.includes)&_total=accurate&n\(n)=1",
                            headers: [
                                HTTPField.Name("Prefer")!: "handling=lenient"
                            ])
                        return (response.status, response.headers[.retryAfter])
                    }
                }
                var all: [(HTTPResponse.Status, String?)] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.allSatisfy { $0.0 == .ok || $0.0 == .serviceUnavailable })
            let refused = statuses.filter { $0.0 == .serviceUnavailable }
            #expect(!refused.isEmpty, "64 at once, 4 connections and no queue: some must be turned away")
            #expect(refused.count < 64)
            #expect(refused.allSatisfy { $0.1 == "1" })
            #expect(try await Self.metric(client, "queue") == refused.count)
        }
    }
}
