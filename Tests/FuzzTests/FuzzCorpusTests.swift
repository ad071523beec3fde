import Foundation
import Fuzzing
import IndexFileFuzzing
import SearchParameters
import Storage
import Testing

/// Replays every input the fuzzers kept (`Tests/FuzzCorpus/<target>/`: crashes, timeouts and
/// broken properties, each fixed since) through the same checks the fuzz targets run. A
/// regression traps here or breaks a property, in a plain `swift test`.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static func inputs(_ target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map {
            folder.appendingPathComponent($0)
        }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    @Test func keptQueryInputsHoldEveryProperty() throws {
        let inputs = Self.inputs("FuzzQuery")
        #expect(!inputs.isEmpty, "the query fuzzer's first finding is kept there")
        for url in inputs {
            let problems = try Self.bytes(url).withUnsafeBytes { QueryFuzzing.check(FuzzInput($0)) }
            #expect(problems.isEmpty, "\(url.lastPathComponent): \(problems)")
        }
    }

    @Test func keptResourceInputsHoldEveryProperty() throws {
        for url in Self.inputs("FuzzResource") {
            let problems = try Self.bytes(url).withUnsafeBytes { ResourceFuzzing.check(FuzzInput($0)) }
            #expect(problems.isEmpty, "\(url.lastPathComponent): \(problems)")
        }
    }

    @Test func keptIndexFilesAreRefusedOrServedWithoutATrap() throws {
        for url in Self.inputs("FuzzIndexFile") {
            _ = try Self.bytes(url).withUnsafeBytes { IndexFileFuzzing.check($0) }
        }
    }

    /// The properties can fail: a query with an empty chain link used to trap, and the checks
    /// see through to the request a link would make.
    @Test func queryChecksAcceptGoodAndBadQueries() {
        func check(_ text: String, flags: UInt8 = 0) -> [String] {
            ([flags] + Array(text.utf8)).withUnsafeBytes { QueryFuzzing.check(FuzzInput($0)) }
        }
        #expect(check("PractitionerRole?location.address-city=hartford&_count=5&_sort=-_lastUpdated").isEmpty)
        #expect(check("Practitioner?.x=1").isEmpty)
        #expect(check("Practitioner?:T.x=1&_has:=2&name:=%ZZ").isEmpty)
        #expect(check("Practitioner?unknown=1&name=a", flags: 1).isEmpty)
        // Only commas: no value, not an empty OR list (which reached SQL as `()`).
        #expect(check("PractitionerRole?_lastUpdated=,,&practitioner=,&location.address-city=,").isEmpty)
    }

    @Test func resourceChecksRejectOrStoreServableJSON() {
        func check(_ text: String, flags: UInt8) -> [String] {
            ([flags] + Array(text.utf8)).withUnsafeBytes { ResourceFuzzing.check(FuzzInput($0)) }
        }
        for flags: UInt8 in [0, 1, 3] {
            #expect(check(#"{"resourceType":"Practitioner","id":"p1","name":[{"family":"Ng"}]}"#, flags: flags).isEmpty)
            #expect(check(#"{"resourceType":"Practitioner","id":"p1","meta":7}"#, flags: flags).isEmpty)
            #expect(check(#"{"resourceType":"#, flags: flags).isEmpty)
        }
    }

    /// A real index is served, and the same bytes damaged are refused.
    @Test func indexFilesAreServedWhenSoundAndRefusedWhenDamaged() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plandir-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("in.ndjson")
        try Data(
            #"""
            {"resourceType":"Practitioner","id":"p1","name":[{"family":"Ng"}]}
            {"resourceType":"Location","id":"l1","name":"Main St clinic"}
            """#.utf8
        ).write(to: source)
        let path = folder.appendingPathComponent("tiny.sqlite").path
        _ = try IndexBuilder(registry: try SearchParameterRegistry.bundled()).build(
            .init(inputs: [source.path], output: path))
        var bytes = try Self.bytes(URL(fileURLWithPath: path))
        #expect(bytes.withUnsafeBytes { IndexFileFuzzing.check($0) } == .served)
        #expect([UInt8]().withUnsafeBytes { IndexFileFuzzing.check($0) } != .served)
        // Zero a stretch in the middle of the file: some page loses its content.
        for i in (bytes.count / 2)..<(bytes.count / 2 + 8192) { bytes[i] = 0 }
        #expect(bytes.withUnsafeBytes { IndexFileFuzzing.check($0) } != .served)
        // Truncated to half.
        #expect(Array(bytes.prefix(bytes.count / 2)).withUnsafeBytes { IndexFileFuzzing.check($0) } != .served)
    }
}
