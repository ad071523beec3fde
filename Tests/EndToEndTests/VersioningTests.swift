import FHIRCore
import Foundation
import HummingbirdTesting
import SearchParameters
import Server
import Storage
import Testing

/// `plandir index --previous`: a rebuild with one resource changed, one added and one removed
/// versions exactly those, keeps every other resource's bytes, and records the deletion.
@Suite struct VersioningTests {
    // After the sample's own stamps (2026-11-01), as a refresh follows its sources.
    static let t0 = Date(timeIntervalSince1970: 1_794_700_800)  // 2026-11-15T00:00:00Z
    static let t1 = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01T00:00:00Z
    static let t1Instant = "2026-12-01T00:00:00.000Z"
    static let t0Millis: Int64 = 1_794_700_800_000

    /// Two source folders from the bundled sample: the second has Location 0 renamed, a new
    /// Location, Location 2 removed, Location 3 with its members reversed (the same content),
    /// and, in both, Practitioner 0 without `meta` (so the first build stamps it).
    struct Sources {
        let folder: URL
        let first: URL
        let second: URL
        let changed: String
        let added = "brand-new-location"
        let removed: String
        let reordered: String
        let unstamped: String

        init() throws {
            folder = try Fixtures.temporaryFolder()
            first = folder.appendingPathComponent("first")
            second = folder.appendingPathComponent("second")
            let sample = Fixtures.root.appendingPathComponent("Data/sample")
            for target in [first, second] { try FileManager.default.copyItem(at: sample, to: target) }
            func lines(_ url: URL) throws -> [String] {
                try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            }
            func object(_ line: String) throws -> [(key: String, value: JSONValue)] {
                try #require(try JSONParser.parse(line).objectValue).members
            }
            func text(_ members: [(key: String, value: JSONValue)]) -> String {
                String(decoding: JSONWriter.encode(.object(JSONObject(members))), as: UTF8.self)
            }
            for target in [first, second] {
                let url = target.appendingPathComponent("Practitioner.ndjson")
                var practitioners = try lines(url)
                practitioners[0] = text(try object(practitioners[0]).filter { $0.key != "meta" })
                try (practitioners.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            }
            unstamped = try #require(
                try JSONParser.parse(lines(first.appendingPathComponent("Practitioner.ndjson"))[0])["id"]?.stringValue)
            let url = second.appendingPathComponent("Location.ndjson")
            var locations = try lines(url)
            var renamed = try object(locations[0])
            changed = try #require(renamed.first { $0.key == "id" }?.value.stringValue)
            let index = try #require(renamed.firstIndex { $0.key == "name" })
            renamed[index].value = .string("Renamed Clinic")
            locations[0] = text(renamed)
            var copy = try object(locations[1])
            let idIndex = try #require(copy.firstIndex { $0.key == "id" })
            copy[idIndex].value = .string(added)
            locations.append(text(copy))
            reordered = try #require(try JSONParser.parse(locations[3])["id"]?.stringValue)
            locations[3] = text(try object(locations[3]).reversed())
            removed = try #require(try JSONParser.parse(locations[2])["id"]?.stringValue)
            locations.remove(at: 2)
            try (locations.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }

        func build(_ source: URL, _ name: String, at time: Date, previous: String? = nil, keep: Duration? = nil)
            throws -> (path: String, report: BuildReport)
        {
            let path = folder.appendingPathComponent(name).path
            let report = try IndexBuilder(registry: Fixtures.registry).build(
                .init(
                    inputs: [source.path], output: path, buildTime: time, previous: previous,
                    keepDeletions: keep ?? IndexBuilder.Options.defaultKeepDeletions))
            return (path, report)
        }
    }

    /// Every stored resource of an index by "Type/id".
    static func contents(_ path: String) async throws -> [String: [UInt8]] {
        let index = try DirectoryIndex(path: path, registry: Fixtures.registry)
        var all: [String: [UInt8]] = [:]
        for type in index.counts.keys {
            var request = SearchRequest(resourceType: type, count: SearchRequest.maximumCount)
            while true {
                let page = try await index.search(request)
                for entry in page.entries { all["\(type)/\(entry.id)"] = entry.json }
                guard let next = page.next else { break }
                request.cursor = next
            }
        }
        return all
    }

    @Test func onlyTheChangedAndAddedResourcesGetNewVersions() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        #expect(first.report.changes == nil)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        let changes = try #require(second.report.changes)
        #expect(changes["Location"] == ChangeCounts(added: 1, changed: 1, removed: 1, unchanged: 128))
        #expect(ChangeCounts.total(changes) == ChangeCounts(added: 1, changed: 1, removed: 1, unchanged: 4084))
        #expect(
            second.report.summary.contains("since the previous index: 1 added, 1 changed, 1 removed, 4084 unchanged"))

        let before = try await Self.contents(first.path)
        let after = try await Self.contents(second.path)
        let changed = "Location/\(sources.changed)"
        let added = "Location/\(sources.added)"
        for (key, bytes) in after where key != changed && key != added {
            #expect(bytes == before[key], "\(key) should keep its stored bytes")
        }
        #expect(after["Location/\(sources.removed)"] == nil)
        for key in [changed, added] {
            let json = try JSONParser.parse(try #require(after[key]))
            #expect(json["meta"]?["lastUpdated"]?.stringValue == Self.t1Instant, "\(key)")
            #expect(json["meta"]?["versionId"]?.stringValue == (key == changed ? "2" : "1"), "\(key)")
            // The rest of meta survives the restamp.
            #expect(json["meta"]?["profile"] != nil, "\(key)")
        }
        #expect(try JSONParser.parse(try #require(after[changed]))["name"]?.stringValue == "Renamed Clinic")
        // The stamp of a source without meta is the first build's, still.
        let unstamped = try JSONParser.parse(try #require(after["Practitioner/\(sources.unstamped)"]))
        #expect(unstamped["meta"]?["lastUpdated"]?.stringValue == "2026-11-15T00:00:00.000Z")
        #expect(unstamped["meta"]?["versionId"] == nil)

        let index = try DirectoryIndex(path: second.path, registry: Fixtures.registry)
        let deletions = try await index.deletions()
        #expect(
            deletions == [
                .init(
                    type: "Location", id: sources.removed, version: 0,
                    deletedAt: Int64(Self.t1.timeIntervalSince1970 * 1000))
            ])
    }

    @Test func lastUpdatedFindsExactlyWhatChanged() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        let index = try DirectoryIndex(path: second.path, registry: Fixtures.registry)
        let parser = SearchQueryParser(registry: Fixtures.registry)
        var found: [String] = []
        for type in index.counts.keys.sorted() {
            // A refresh job asks for what changed since the build it last pulled. The resource
            // the first build stamped carries exactly t0, so it is not after it.
            let request = try parser.parse(
                resourceType: type, parameters: [("_lastUpdated", "gt2026-11-15T00:00:00Z"), ("_count", "1000")],
                lenient: false)
            found += try await index.search(request).entries.map { "\(type)/\($0.id)" }
        }
        #expect(found.sorted() == ["Location/\(sources.added)", "Location/\(sources.changed)"])
    }

    @Test func aRepeatedBuildChangesNothingAndDeletionsExpire() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        let t2 = Self.t1.addingTimeInterval(86_400)
        // The output may be the previous index itself: it is read until the new one replaces it.
        let third = try sources.build(sources.second, "second.sqlite", at: t2, previous: second.path)
        #expect(ChangeCounts.total(try #require(third.report.changes)) == ChangeCounts(unchanged: 4086))
        #expect(try await DirectoryIndex(path: third.path, registry: Fixtures.registry).deletions().count == 1)
        let fourth = try sources.build(
            sources.second, "fourth.sqlite", at: t2.addingTimeInterval(3_600), previous: third.path, keep: .seconds(60))
        #expect(try await DirectoryIndex(path: fourth.path, registry: Fixtures.registry).deletions().isEmpty)
        // A deleted resource that comes back continues its versions.
        let fifth = try sources.build(
            sources.first, "fifth.sqlite", at: t2.addingTimeInterval(7_200), previous: third.path)
        let back = try #require(try await Self.contents(fifth.path)["Location/\(sources.removed)"])
        #expect(try JSONParser.parse(back)["meta"]?["versionId"]?.stringValue == "2")
        #expect(
            try await DirectoryIndex(path: fifth.path, registry: Fixtures.registry).deletions().map(\.id) == [
                sources.added
            ])
    }

    @Test func withoutPreviousTheSourcesMetaStands() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let plain = try sources.build(sources.second, "plain.sqlite", at: Self.t1)
        #expect(plain.report.changes == nil)
        let json = try JSONParser.parse(
            try #require(try await Self.contents(plain.path)["Location/\(sources.changed)"]))
        #expect(json["meta"]?["versionId"] == nil)
        #expect(json["meta"]?["lastUpdated"]?.stringValue == "2026-11-01T08:00:00Z")
    }

    @Test func aReadKeepsItsETagAcrossARebuildThatLeftItAlone() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        func etags(_ path: String) async throws -> [String: String] {
            let index = try DirectoryIndex(path: path, registry: Fixtures.registry)
            let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
            return try await app.test(.router) { client in
                var tags: [String: String] = [:]
                for key in [
                    "Location/\(sources.changed)", "Location/\(sources.reordered)", "Practitioner/\(sources.unstamped)",
                    "Organization?_count=5",
                ] {
                    let response = try await client.fetch("/fhir/" + key)
                    #expect(response.status == .ok)
                    tags[key] = response.headers[.eTag]
                }
                return tags
            }
        }
        let before = try await etags(first.path)
        let after = try await etags(second.path)
        #expect(after["Location/\(sources.reordered)"] == before["Location/\(sources.reordered)"])
        #expect(after["Practitioner/\(sources.unstamped)"] == before["Practitioner/\(sources.unstamped)"])
        #expect(after["Location/\(sources.changed)"] != before["Location/\(sources.changed)"])
        // A search answers from the whole index: its tag changes with it.
        #expect(after["Organization?_count=5"] != before["Organization?_count=5"])
    }

    @Test func aPreviousIndexOfAnotherFormatIsRefusedAndNothingIsWritten() throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let bogus = sources.folder.appendingPathComponent("old.sqlite").path
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: bogus))
        #expect(throws: IndexBuilder.BuildFailed.self) {
            try sources.build(sources.second, "out.sqlite", at: Self.t1, previous: bogus)
        }
        #expect(!FileManager.default.fileExists(atPath: sources.folder.appendingPathComponent("out.sqlite").path))
    }

    @Test func diffCountsAndWritesWhatChanged() async throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        // A plain rebuild of the same source restamps nothing the sample stamped, and diff compares
        // content: the same summary as the versioned build's.
        let plain = try sources.build(sources.second, "plain.sqlite", at: Self.t1)
        for new in [second.path, plain.path] {
            let result = try IndexDiff.run(old: first.path, new: new)
            #expect(result.byType["Location"] == ChangeCounts(added: 1, changed: 1, removed: 1, unchanged: 128))
            #expect(result.total == ChangeCounts(added: 1, changed: 1, removed: 1, unchanged: 4084))
        }
        let output = sources.folder.appendingPathComponent("changes")
        let result = try IndexDiff.run(old: first.path, new: second.path, output: output.path)
        #expect(
            result.files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["Location.ndjson", "deleted.ndjson"])
        let stored = try await Self.contents(second.path)
        let written = try String(contentsOf: output.appendingPathComponent("Location.ndjson"), encoding: .utf8)
            .split(separator: "\n").map { Array($0.utf8) }
        // In rid order, which is id order.
        let expected: [[UInt8]] = [sources.changed, sources.added].sorted().compactMap { stored["Location/\($0)"] }
        #expect(expected.count == 2)
        #expect(written == expected)
        let deleted = try JSONParser.parse(
            String(contentsOf: output.appendingPathComponent("deleted.ndjson"), encoding: .utf8))
        #expect(deleted["resourceType"]?.stringValue == "Bundle")
        #expect(deleted["type"]?.stringValue == "transaction")
        #expect(deleted["entry"]?.asList.map { $0["request"]?["url"]?.stringValue } == ["Location/\(sources.removed)"])
        #expect(deleted["entry"]?.asList.first?["request"]?["method"]?.stringValue == "DELETE")
        #expect(try IndexDiff.run(old: second.path, new: second.path).total.hasChanges == false)
    }

    @Test func diffExitsZeroOneOrTwo() throws {
        let sources = try Sources()
        defer { try? FileManager.default.removeItem(at: sources.folder) }
        let first = try sources.build(sources.first, "first.sqlite", at: Self.t0)
        let second = try sources.build(sources.second, "second.sqlite", at: Self.t1, previous: first.path)
        #expect(try CommandLineTests.run(["diff", first.path, first.path]).status == 0)
        #expect(try CommandLineTests.run(["diff", first.path, second.path]).status == 1)
        let missing = try CommandLineTests.run(["diff", first.path, "/nonexistent/x.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no index at /nonexistent/x.sqlite"))
    }
}
