import FHIRCore
import Foundation
import HummingbirdTesting
import Server
import Storage
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A rebuilt index renamed onto the served path is validated before it is swapped in; requests
/// in flight and page links made on the old index keep answering from it.
@Suite struct SwapTests {
    /// Two builds of the sample: in `second` every Location's name ends with " (B)".
    struct Builds {
        let folder: URL
        let first: String
        let second: String
        /// The path served; `first` or `second` is copied and renamed onto it.
        let served: String

        init() throws {
            folder = try Fixtures.temporaryFolder()
            let sample = Fixtures.root.appendingPathComponent("Data/sample")
            let source = folder.appendingPathComponent("second-source")
            try FileManager.default.copyItem(at: sample, to: source)
            let url = source.appendingPathComponent("Location.ndjson")
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line -> String in
                var members = try #require(try JSONParser.parse(String(line)).objectValue).members
                if let index = members.firstIndex(where: { $0.key == "name" }),
                    let name = members[index].value.stringValue
                {
                    members[index].value = .string(name + " (B)")
                }
                return String(decoding: JSONWriter.encode(.object(JSONObject(members))), as: UTF8.self)
            }
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
            first = folder.appendingPathComponent("first.sqlite").path
            second = folder.appendingPathComponent("second.sqlite").path
            served = folder.appendingPathComponent("served.sqlite").path
            let builder = IndexBuilder(registry: Fixtures.registry)
            try builder.build(
                .init(inputs: [sample.path], output: first, buildTime: Date(timeIntervalSince1970: 1_794_700_800)))
            try builder.build(
                .init(inputs: [source.path], output: second, buildTime: Date(timeIntervalSince1970: 1_796_083_200)))
            try place(first)
        }

        /// Copies `path` beside the served file and renames it into place, as a refresh job does.
        func place(_ path: String) throws {
            let staging = served + ".incoming"
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.copyItem(atPath: path, toPath: staging)
            try #require(rename(staging, served) == 0)
        }

        /// Renames arbitrary bytes into place.
        func place(bytes: [UInt8]) throws {
            let staging = served + ".incoming"
            try Data(bytes).write(to: URL(fileURLWithPath: staging))
            try #require(rename(staging, served) == 0)
        }
    }

    static func names(_ bundle: JSONValue) -> [String] {
        (bundle["entry"]?.asList ?? []).compactMap { $0["resource"]?["name"]?.stringValue }
    }

    @Test func corruptAndTruncatedFilesAreRefusedAndTheOldIndexServes() async throws {
        let builds = try Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        let holder = IndexHolder(index: try DirectoryIndex(path: builds.served, registry: Fixtures.registry))
        let version = holder.current.index.version
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: builds.second)))
        var damaged = good
        // Zero a run of pages in the middle: the header still opens, quick_check does not pass.
        for i in (good.count / 2)..<(good.count / 2 + 64 * 1024) { damaged[i] = 0 }
        let bad: [(String, [UInt8])] = [
            ("truncated", Array(good.prefix(good.count / 2))),
            ("damaged", damaged),
            ("not an index", Array("hello".utf8)),
            ("empty", []),
        ]
        for (name, bytes) in bad {
            try builds.place(bytes: bytes)
            let outcome = holder.reload()
            guard case .refused = outcome else {
                Issue.record("\(name): \(outcome)")
                continue
            }
            #expect(holder.current.index.version == version, "\(name)")
            // Refused once, not again at every poll.
            #expect(holder.reload() == .unchanged, "\(name)")
            let read = try await holder.current.index.search(.init(resourceType: "Location", count: 5))
            #expect(read.entries.count == 5, "\(name): the old index still answers")
        }
        try builds.place(builds.second)
        guard case .swapped(let next) = holder.reload() else {
            Issue.record("the good file was not swapped in")
            return
        }
        #expect(next != version)
        #expect(holder.current.index.version == next)
    }

    @Test func oldLinksAnswerFromTheOldIndexWithinTheGraceThen410() async throws {
        let builds = try Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        for grace in [Duration.seconds(600), .zero] {
            try builds.place(builds.first)
            let holder = IndexHolder(
                index: try DirectoryIndex(path: builds.served, registry: Fixtures.registry), linkGrace: grace)
            let app = buildApplication(
                holder: holder, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080, reloadInterval: nil))
            try await app.test(.router) { client in
                let first = try await client.fetch("/fhir/Location?_count=10")
                let next = try #require(
                    first.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue)
                try builds.place(builds.second)
                guard case .swapped = holder.reload() else {
                    Issue.record("no swap")
                    return
                }
                let fresh = try await client.fetch("/fhir/Location?_count=10")
                #expect(Self.names(fresh.json).allSatisfy { $0.hasSuffix(" (B)") })
                #expect(fresh.headers[.eTag] != first.headers[.eTag])
                let page = try await client.fetch(fhirPath(next))
                if grace == .zero {
                    #expect(page.status == .gone)
                    #expect(page.json["resourceType"]?.stringValue == "OperationOutcome")
                    let diagnostics = page.json["issue"]?.asList.first?["diagnostics"]?.stringValue ?? ""
                    #expect(diagnostics.contains("restart the search"), "\(diagnostics)")
                } else {
                    #expect(page.status == .ok)
                    let names = Self.names(page.json)
                    #expect(!names.isEmpty)
                    #expect(names.allSatisfy { !$0.hasSuffix(" (B)") }, "page 2 comes from the index page 1 came from")
                    // Its own next link still names the old index.
                    let after = page.json["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?
                        .stringValue
                    if let after {
                        let third = try await client.fetch(fhirPath(after))
                        #expect(Self.names(third.json).allSatisfy { !$0.hasSuffix(" (B)") })
                    }
                }
            }
        }
    }

    /// Eight clients search without pause over a real socket while the served file is replaced
    /// ten times: every answer is a 200 and no page mixes the two indexes.
    @Test func swapsUnderLoadLoseNoRequestAndMixNoData() async throws {
        let builds = try Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        let holder = IndexHolder(index: try DirectoryIndex(path: builds.served, registry: Fixtures.registry))
        let app = buildApplication(
            holder: holder,
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0, cacheBytes: 0, reloadInterval: .milliseconds(20)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let stop = ManagedAtomicFlag()
            let results = try await withThrowingTaskGroup(of: (ok: Int, failed: [String], mixed: Int).self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var ok = 0
                        var failed: [String] = []
                        var mixed = 0
                        var n = 0
                        while !stop.isSet {
                            n += 1
                            let query =
                                worker % 2 == 0
                                ? "Location?_count=50&_include=Location:organization&w=\(worker)-\(n)"
                                : "PractitionerRole?_count=20&_include=PractitionerRole:location&w=\(worker)-\(n)"
                            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/fhir/\(query)")!)
                            request.setValue("handling=lenient", forHTTPHeaderField: "Prefer")
                            do {
                                let (data, response) = try await URLSession.shared.data(for: request)
                                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                                guard status == 200 else {
                                    failed.append("\(status) \(String(decoding: data, as: UTF8.self).prefix(200))")
                                    continue
                                }
                                let bundle = try JSONParser.parse([UInt8](data))
                                let names = (bundle["entry"]?.asList ?? []).filter {
                                    $0["resource"]?["resourceType"]?.stringValue == "Location"
                                }.compactMap { $0["resource"]?["name"]?.stringValue }
                                let marked = names.filter { $0.hasSuffix(" (B)") }.count
                                if marked != 0 && marked != names.count { mixed += 1 }
                                ok += 1
                                stop.answered()
                            } catch {
                                failed.append("\(error)")
                            }
                        }
                        return (ok, failed, mixed)
                    }
                }
                group.addTask {
                    // Each replacement is waited for until it serves (the service polls every
                    // 20 ms), so all ten swaps happen under load however slow the machine.
                    for round in 0..<10 {
                        let before = holder.current.index.version
                        try builds.place(round % 2 == 0 ? builds.second : builds.first)
                        for _ in 0..<500 where holder.current.index.version == before {
                            try await Task.sleep(for: .milliseconds(10))
                        }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    // Enough answers to mean something, even on a loaded machine.
                    for _ in 0..<300 where stop.answers < 100 { try await Task.sleep(for: .milliseconds(100)) }
                    stop.set()
                    return (0, [], 0)
                }
                var all: (ok: Int, failed: [String], mixed: Int) = (0, [], 0)
                for try await result in group {
                    all.ok += result.ok
                    all.failed += result.failed
                    all.mixed += result.mixed
                }
                return all
            }
            #expect(results.failed.isEmpty, "\(results.failed.count) failed: \(results.failed.prefix(5))")
            #expect(results.mixed == 0)
            #expect(results.ok >= 100)
            let metrics = String(decoding: try await client.fetch("/metrics").bytes, as: UTF8.self)
            let swaps = metrics.split(separator: "\n").first {
                $0.hasPrefix("plandir_index_swaps_total{result=\"swapped\"}")
            }
            let count = swaps.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect(count == 10, "\(swaps ?? "no swap metric")")
            print("swap under load: \(results.ok) requests answered, \(results.failed.count) failed, \(count) swaps")
        }
    }

    /// `plandir serve --reload-interval 0` swaps only on SIGHUP.
    @Test func sighupSwapsAtOnce() async throws {
        let builds = try Builds()
        defer { try? FileManager.default.removeItem(at: builds.folder) }
        let binary = Fixtures.root.appendingPathComponent(".build/debug/plandir")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the plandir executable first")
        let port = try ShutdownTests.freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "serve", "--index", builds.served, "--port", "\(port)", "--reload-interval", "0", "--log-level", "warning",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        func firstName() async -> String? {
            guard
                let (data, _) = try? await URLSession.shared.data(from: URL(string: base + "/fhir/Location?_count=1")!),
                let bundle = try? JSONParser.parse([UInt8](data))
            else { return nil }
            return Self.names(bundle).first
        }
        var before: String?
        for _ in 0..<100 where before == nil {
            before = await firstName()
            if before == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(before?.hasSuffix(" (B)") == false)
        try builds.place(builds.second)
        // No polling: the file alone changes nothing.
        try await Task.sleep(for: .milliseconds(500))
        #expect(await firstName() == before)
        kill(process.processIdentifier, SIGHUP)
        var after = before
        for _ in 0..<100 where after == before {
            try await Task.sleep(for: .milliseconds(100))
            after = await firstName()
        }
        #expect(after?.hasSuffix(" (B)") == true, "\(after ?? "no answer")")
        #expect(process.isRunning)
    }
}

/// A flag set once and a count of answers, shared by many tasks.
final class ManagedAtomicFlag: Sendable {
    private let value = Mutex((set: false, answers: 0))
    var isSet: Bool { value.withLock { $0.set } }
    var answers: Int { value.withLock { $0.answers } }
    func set() { value.withLock { $0.set = true } }
    func answered() { value.withLock { $0.answers += 1 } }
}
