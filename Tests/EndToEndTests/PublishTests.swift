import CompressNIO
import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import Storage
import Testing

/// `plandir publish` and `GET /fhir/$bulk-publish`: static NDJSON files and a Bulk Publish
/// manifest that reproduce the index.
@Suite struct PublishTests {
    static let base = "https://files.example.org/directory"

    /// The lines of every file a manifest lists, read from `folder` (the manifest's URLs start
    /// with `base`): "Type/id" → bytes.
    static func read(_ manifest: JSONValue, folder: URL, base: String = base, gzip: Bool = false) throws
        -> [String: [UInt8]]
    {
        var all: [String: [UInt8]] = [:]
        for file in manifest["output"]?.asList ?? [] {
            let url = try #require(file["url"]?.stringValue)
            #expect(url.hasPrefix(base + "/"))
            let bytes = try [UInt8](
                Data(contentsOf: folder.appendingPathComponent(String(url.dropFirst(base.count + 1)))))
            #expect(url.hasSuffix(gzip ? ".ndjson.gz" : ".ndjson"))
            try BulkFileLines.collect(bytes, gzipped: gzip, entry: file, url: url, into: &all)
        }
        return all
    }

    @Test(arguments: [false, true]) func aPublishIsTheIndexAndReplacesTheLastOneWhole(gzip: Bool) async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("published")
        // An earlier publish: replaced as a whole.
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: output.appendingPathComponent("Stale-1.ndjson"))
        let index = ExportTests.sample.index
        let summary = try await BulkPublisher.publish(
            index, .init(output: output.path, baseURL: Self.base + "/", gzip: gzip, partResources: 500))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("Stale-1.ndjson").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["published"])
        let manifest = try JSONParser.parse([UInt8](Data(contentsOf: output.appendingPathComponent("manifest.json"))))
        #expect(manifest["manifestType"]?.stringValue == BulkPublisher.manifestType)
        #expect(manifest["transactionTime"]?.stringValue == index.builtAt)
        #expect(manifest["requiresAccessToken"] == .bool(false))
        #expect(manifest["link"] == nil)
        let published = try Self.read(manifest, folder: output, gzip: gzip)
        #expect(published.count == ExportTests.sample.sources.count)
        #expect(summary.resources == published.count)
        for source in ExportTests.sample.sources {
            let stored = try await index.read(type: source.type, id: source.id)
            #expect(published["\(source.type)/\(source.id)"] == stored, "\(source.type)/\(source.id)")
        }
    }

    @Test func sinceWritesExactlyTheChangesAndDeletionsLinkedAsNext() async throws {
        let sources = try VersioningTests.Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: VersioningTests.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: VersioningTests.t1, previous: first.path)
        let index = try DirectoryIndex(path: second.path, registry: Fixtures.registry)
        let output = sources.folder.appendingPathComponent("published")
        let summary = try await BulkPublisher.publish(
            index, .init(output: output.path, baseURL: Self.base, since: VersioningTests.t0Millis))
        #expect(summary.changed == 2 && summary.deleted == 1)
        let manifest = try JSONParser.parse([UInt8](Data(contentsOf: output.appendingPathComponent("manifest.json"))))
        let next = manifest["link"]?.asList.first
        #expect(next?["relation"]?.stringValue == "next")
        #expect(next?["url"]?.stringValue == Self.base + "/changes/manifest.json")
        let partial = try JSONParser.parse(
            [UInt8](Data(contentsOf: output.appendingPathComponent("changes/manifest.json"))))
        let changed = try Self.read(partial, folder: output)
        #expect(changed.keys.sorted() == ["Location/\(sources.added)", "Location/\(sources.changed)"])
        let deleted = try #require(partial["deleted"]?.asList.first?["url"]?.stringValue)
        let bundle = try JSONParser.parse(
            Array(
                try [UInt8](
                    Data(contentsOf: output.appendingPathComponent(String(deleted.dropFirst(Self.base.count + 1))))
                )
                .dropLast()))
        #expect(bundle["entry"]?.asList.map { $0["request"]?["url"]?.stringValue } == ["Location/\(sources.removed)"])
        // The full manifest still lists everything.
        #expect(try Self.read(manifest, folder: output).count == 4086)
    }

    @Test func theServerPublishesTheSameAtStableURLs() async throws {
        let builds = try SwapTests.Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        let holder = IndexHolder(
            index: try DirectoryIndex(path: builds.served, registry: Fixtures.registry), linkGrace: .zero)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.exportPartResources = 500
        let app = buildApplication(holder: holder, configuration: configuration)
        try await app.test(.live) { client in
            let manifest = try await client.fetch("/fhir/$bulk-publish")
            #expect(manifest.status == .ok)
            #expect(manifest.json["requiresAccessToken"] == .bool(false))
            let exported = try await ExportTests.download(client, manifest.json, gzip: true)
            #expect(exported.count == 4086)
            let first = try #require(manifest.json["output"]?.asList.first?["url"]?.stringValue)
            try builds.place(builds.second)
            guard case .swapped = holder.reload() else {
                Issue.record("no swap")
                return
            }
            // The replaced index's files are gone (no grace here); the manifest names the new ones.
            #expect(try await client.fetch(fhirPath(first)).status == .notFound)
            let renewed = try await client.fetch("/fhir/$bulk-publish")
            #expect(renewed.json["output"]?.asList.first?["url"]?.stringValue != first)
            #expect(try await client.fetch("/fhir/$bulk-publish/1-1/Practitioner-99.ndjson").status == .notFound)
        }
    }

    @Test func theCommandPublishesAndRefusesABadSince() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out").path
        let path = ExportTests.sample.index.path
        let done = try CommandLineTests.run(["publish", path, "--output", output, "--base-url", Self.base, "--gzip"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(FileManager.default.fileExists(atPath: output + "/manifest.json"))
        #expect(FileManager.default.fileExists(atPath: output + "/Practitioner-1.ndjson.gz"))
        let bad = try CommandLineTests.run([
            "publish", path, "--output", output, "--base-url", Self.base, "--since", "soon",
        ])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("neither an index file nor an instant"))
        let relative = try CommandLineTests.run(["publish", path, "--output", output, "--base-url", "files"])
        #expect(relative.status != 0)
        #expect(relative.stderr.contains("--base-url"))
    }
}

extension JSONValue {
    /// A number's text.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }
}
