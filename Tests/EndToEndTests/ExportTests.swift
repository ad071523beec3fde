import CompressNIO
import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SearchParameters
import Server
import Storage
import Testing

/// FHIR Bulk Data `$export`, as a client drives it over a real socket: kick-off, poll, download
/// every file, compare with the index.
@Suite struct ExportTests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "export")

    static func configuration(_ change: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.exportPartResources = 500
        change(&configuration)
        return configuration
    }

    /// Kicks off `query`, polls until the manifest is ready, and returns it.
    static func export(_ client: some TestClientProtocol, _ query: String) async throws -> JSONValue {
        let kickOff = try await client.fetch(
            "/fhir/$export" + query, headers: [HTTPField.Name("Prefer")!: "respond-async"])
        #expect(kickOff.status == .accepted, "\(String(decoding: kickOff.bytes, as: UTF8.self))")
        let status = fhirPath(try #require(kickOff.headers[.contentLocation]))
        for _ in 0..<200 {
            let poll = try await client.fetch(status)
            if poll.status == .accepted {
                #expect(poll.headers[HTTPField.Name("X-Progress")!] != nil)
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            #expect(poll.status == .ok)
            #expect(poll.headers[.expires] != nil)
            return poll.json
        }
        Issue.record("the export of \(query) never finished")
        return .null
    }

    /// Downloads every output file of a manifest: "Type/id" → the line's bytes.
    static func download(_ client: some TestClientProtocol, _ manifest: JSONValue, gzip: Bool = false) async throws
        -> [String: [UInt8]]
    {
        var all: [String: [UInt8]] = [:]
        for file in manifest["output"]?.asList ?? [] {
            let url = try #require(file["url"]?.stringValue)
            let response = try await client.fetch(
                fhirPath(url), headers: gzip ? [.acceptEncoding: "gzip"] : [:])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/fhir+ndjson")
            #expect(response.headers[.contentEncoding] == (gzip ? "gzip" : nil))
            try BulkFileLines.collect(response.bytes, gzipped: gzip, entry: file, url: url, into: &all)
        }
        return all
    }

    @Test(arguments: [false, true]) func aWholeExportIsTheIndexByteForByte(gzip: Bool) async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration())
        try await app.test(.live) { client in
            let manifest = try await Self.export(client, "")
            #expect(manifest["requiresAccessToken"] == .bool(false))
            #expect(manifest["transactionTime"]?.stringValue == Self.sample.index.builtAt)
            #expect(manifest["request"]?.stringValue?.hasSuffix("/fhir/$export") == true)
            #expect(manifest["deleted"] == nil)
            #expect(manifest["error"] == .array([]))
            // 1,200 practitioners in parts of 500.
            #expect(manifest["output"]?.asList.filter { $0["type"]?.stringValue == "Practitioner" }.count == 3)
            let exported = try await Self.download(client, manifest, gzip: gzip)
            #expect(exported.count == Self.sample.sources.count)
            for source in Self.sample.sources {
                let stored = try await Self.sample.index.read(type: source.type, id: source.id)
                #expect(exported["\(source.type)/\(source.id)"] == stored, "\(source.type)/\(source.id)")
            }
        }
    }

    @Test func typesAndTypeFiltersSelect() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration())
        try await app.test(.live) { client in
            let manifest = try await Self.export(
                client,
                "?_type=Location,Organization&_typeFilter=\("Location?address-state=CT".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&_outputFormat=ndjson"
            )
            let exported = try await Self.download(client, manifest)
            let locations = exported.keys.filter { $0.hasPrefix("Location/") }.sorted()
            let expected = Self.sample.sources(of: "Location").filter { source in
                source.json["address"]?.asList.contains { $0["state"]?.stringValue == "CT" } == true
            }.map { "Location/\($0.id)" }.sorted()
            #expect(!expected.isEmpty)
            #expect(locations == expected)
            // A type without a filter is exported whole; other types not at all.
            #expect(
                exported.keys.filter { $0.hasPrefix("Organization/") }.count
                    == Self.sample.sources(of: "Organization").count)
            #expect(exported.keys.allSatisfy { $0.hasPrefix("Location/") || $0.hasPrefix("Organization/") })
        }
    }

    @Test func sinceListsWhatChangedAndTheDeletions() async throws {
        let sources = try VersioningTests.Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: VersioningTests.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: VersioningTests.t1, previous: first.path)
        let index = try DirectoryIndex(path: second.path, registry: Fixtures.registry)
        let app = buildApplication(index: index, configuration: Self.configuration())
        try await app.test(.live) { client in
            let manifest = try await Self.export(client, "?_since=2026-11-15T00:00:00Z")
            let exported = try await Self.download(client, manifest)
            #expect(exported.keys.sorted() == ["Location/\(sources.added)", "Location/\(sources.changed)"])
            let deleted = try #require(manifest["deleted"]?.asList)
            #expect(deleted.count == 1)
            let file = try await client.fetch(fhirPath(try #require(deleted.first?["url"]?.stringValue)))
            let bundle = try JSONParser.parse(Array(file.bytes.dropLast()))
            #expect(bundle["type"]?.stringValue == "transaction")
            #expect(
                bundle["entry"]?.asList.map {
                    "\($0["request"]?["method"]?.stringValue ?? "") \($0["request"]?["url"]?.stringValue ?? "")"
                }
                    == ["DELETE Location/\(sources.removed)"])
        }
    }

    @Test func aSwapDoesNotChangeARunningJob() async throws {
        let builds = try SwapTests.Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        let holder = IndexHolder(index: try DirectoryIndex(path: builds.served, registry: Fixtures.registry))
        let app = buildApplication(holder: holder, configuration: Self.configuration())
        try await app.test(.live) { client in
            let manifest = try await Self.export(client, "?_type=Location")
            try builds.place(builds.second)
            guard case .swapped = holder.reload() else {
                Issue.record("no swap")
                return
            }
            let exported = try await Self.download(client, manifest)
            #expect(!exported.isEmpty)
            #expect(
                exported.values.allSatisfy { line in
                    (try? JSONParser.parse(line)["name"]?.stringValue?.hasSuffix(" (B)")) == false
                })
        }
    }

    @Test func cancelUnknownAndExpiredJobs() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration())
        try await app.test(.live) { client in
            let kickOff = try await client.fetch(
                "/fhir/$export?_type=Endpoint", headers: [HTTPField.Name("Prefer")!: "respond-async"])
            let status = fhirPath(try #require(kickOff.headers[.contentLocation]))
            #expect(try await client.fetch(status, method: .delete).status == .accepted)
            #expect(try await client.fetch(status).status == .notFound)
            #expect(try await client.fetch(status, method: .delete).status == .notFound)
            let unknown = try await client.fetch("/fhir/$export-status/nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.json["resourceType"]?.stringValue == "OperationOutcome")
            #expect(try await client.fetch("/fhir/$export-file/nope/Practitioner-1.ndjson").status == .notFound)
        }
        let shortLived = buildApplication(
            index: Self.sample.index, configuration: Self.configuration { $0.exportLifetime = .seconds(3) })
        try await shortLived.test(.live) { client in
            let manifest = try await Self.export(client, "?_type=Endpoint")
            let url = fhirPath(try #require(manifest["output"]?.asList.first?["url"]?.stringValue))
            try await Task.sleep(for: .milliseconds(3200))
            #expect(try await client.fetch(url).status == .notFound)
        }
    }

    @Test func jobsAreBoundedWith429() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration { $0.exportJobs = 2 })
        try await app.test(.live) { client in
            let prefer: HTTPFields = [HTTPField.Name("Prefer")!: "respond-async"]
            #expect(try await client.fetch("/fhir/$export?_type=Endpoint", headers: prefer).status == .accepted)
            #expect(try await client.fetch("/fhir/$export?_type=Endpoint", headers: prefer).status == .accepted)
            let third = try await client.fetch("/fhir/$export?_type=Endpoint", headers: prefer)
            #expect(third.status == .tooManyRequests)
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(third.json["resourceType"]?.stringValue == "OperationOutcome")
        }
    }

    @Test(arguments: [
        ("?_type=Practitioner", false, "Prefer: respond-async"),
        ("?_type=Patient", true, "Patient is not served here"),
        ("?_outputFormat=text/csv", true, "NDJSON"),
        ("?patient=Patient/1", true, "does not support patient"),
        ("?_since=yesterday", true, "not a FHIR instant"),
        ("?_since=2026-01-01", true, "not a FHIR instant"),
        ("?_typeFilter=Practitioner%3F_count%3D5", true, "shapes a result"),
        ("?_typeFilter=Practitioner%3Fbogus%3D1", true, "bogus"),
        ("?_type=Practitioner&_typeFilter=Location%3Faddress-state%3DCT", true, "not among the _type"),
        ("?_typeFilter=Location", true, "expected Type?name=value"),
        ("?_count=10", true, "unknown $export parameter"),
    ])
    func badKickOffsAre400(query: String, prefer: Bool, reason: String) async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration())
        try await app.test(.router) { client in
            let response = try await client.fetch(
                "/fhir/$export" + query, headers: prefer ? [HTTPField.Name("Prefer")!: "respond-async"] : [:])
            #expect(response.status == .badRequest, "\(query)")
            let diagnostics = response.json["issue"]?.asList.first?["diagnostics"]?.stringValue ?? ""
            #expect(diagnostics.contains(reason), "\(query): \(diagnostics)")
        }
    }

    @Test func theCapabilityStatementDeclaresTheOperation() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: Self.configuration())
        try await app.test(.router) { client in
            let statement = try await client.fetch("/fhir/metadata").json
            let operations = statement["rest"]?.asList.first?["operation"]?.asList ?? []
            #expect(
                operations.contains {
                    $0["name"]?.stringValue == "export"
                        && $0["definition"]?.stringValue == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
                })
        }
    }
}
