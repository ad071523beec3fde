import Conformance
import FHIRCore
import Foundation
import Ingest
import SearchParameters
import Storage
import Testing

/// The R4 check at build time, and `--repair`, on the Plan-Net reference data, whose
/// `Identifier.value`s are sometimes JSON numbers (which strict clients refuse).
@Suite struct RepairTests {
    /// Identifier values written as JSON numbers, counted straight from the source files
    /// (every object in an `identifier` array, at any depth): independent of the checker.
    static func numericIdentifierValues(in folder: String) throws -> Int {
        func count(_ value: JSONValue, underIdentifier: Bool) -> Int {
            switch value {
            case .object(let object):
                var n = 0
                if underIdentifier, case .number? = object["value"] { n += 1 }
                for (key, child) in object.members { n += count(child, underIdentifier: key == "identifier") }
                return n
            case .array(let items):
                return items.reduce(0) { $0 + count($1, underIdentifier: underIdentifier) }
            case .string, .number, .bool, .null:
                return 0
            }
        }
        var total = 0
        for file in try SourceReader.files(for: [folder]) {
            try SourceReader.read(
                file: file, record: { total += count(try JSONParser.parse($0.bytes), underIdentifier: false) },
                issue: { _ in })
        }
        return total
    }

    func build(_ inputs: [String], repair: Bool, strict: Bool = false) throws -> (BuildReport, DirectoryIndex) {
        let folder = try Fixtures.temporaryFolder()
        let output = folder.appendingPathComponent("repair.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(
            .init(inputs: inputs, output: output, strict: strict, repair: repair))
        return (report, try DirectoryIndex(path: output, registry: Fixtures.registry))
    }

    @Test(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
    func theReferenceDataHasOneWarningPerNumericIdentifierAndRepairFixesThemAll() async throws {
        let expected = try Self.numericIdentifierValues(in: Fixtures.riFolder)
        #expect(expected > 0, "the reference data writes some identifier values as numbers")
        let (plain, plainIndex) = try build([Fixtures.riFolder], repair: false)
        let typeWarnings = plain.issues.filter { $0.kind == "wrong-type" }
        #expect(typeWarnings.count == expected)
        #expect(plain.warningsByKind["wrong-type"] == expected)
        #expect(plain.summary.contains("wrong-type \(expected)"))
        for warning in typeWarnings {
            #expect(warning.location?.hasSuffix("identifier[0].value") == true, "\(warning)")
            #expect(warning.reason.contains("expected a string"))
            #expect(warning.line > 0 && warning.file.hasSuffix(".ndjson"))
        }
        // Without --repair the bytes are the source's.
        let first = try #require(typeWarnings.first?.resource?.split(separator: "/").map(String.init))
        let unrepaired = try #require(try await plainIndex.read(type: first[0], id: first[1]))
        #expect(
            try ResourceChecker.bundled().check(JSONParser.parse(unrepaired), type: first[0], repair: false)
                .problems.count == 1)

        let (repaired, index) = try build([Fixtures.riFolder], repair: true, strict: true)
        #expect(repaired.succeeded, "every problem in the reference data is repairable, so --strict passes")
        #expect(repaired.issues.filter { $0.reason.hasSuffix("; repaired") }.count == expected)
        // Every served resource now passes the check, and the repaired values keep their digits.
        let checker = try ResourceChecker.bundled()
        var checked = 0
        for type in index.counts.keys.sorted() {
            var request = SearchRequest(resourceType: type, count: SearchRequest.maximumCount)
            while true {
                let page = try await index.search(request)
                for entry in page.entries {
                    let json = try JSONParser.parse(entry.json)
                    #expect(checker.check(json, type: type, repair: false).problems.isEmpty, "\(type)/\(entry.id)")
                    checked += 1
                }
                guard let next = page.next else { break }
                request.cursor = next
            }
        }
        #expect(checked == repaired.resourcesIndexed)
        let fixed = try JSONParser.parse(try #require(try await index.read(type: first[0], id: first[1])))
        let before = try JSONParser.parse(unrepaired)
        guard
            case .number(let digits)? = before["identifier"]?.asList.first?["value"]
                ?? before["qualification"]?.asList.first?["identifier"]?.asList.first?["value"]
        else {
            Issue.record("no numeric value in \(first)")
            return
        }
        let after =
            fixed["identifier"]?.asList.first?["value"]
            ?? fixed["qualification"]?.asList.first?["identifier"]?.asList.first?["value"]
        #expect(after == .string(digits))
    }

    @Test func strictFailsOnlyOnWhatRepairCannotFix() throws {
        let folder = try Fixtures.temporaryFolder()
        let repairable = folder.appendingPathComponent("repairable.ndjson")
        try #"{"resourceType":"Organization","id":"o1","identifier":[{"value":42}],"alias":"One"}"#
            .write(to: repairable, atomically: true, encoding: .utf8)
        let broken = folder.appendingPathComponent("broken.ndjson")
        try #"{"resourceType":"Organization","id":"o2","active":"yes"}"#.write(
            to: broken, atomically: true, encoding: .utf8)

        let (lenient, _) = try build([repairable.path, broken.path], repair: false)
        #expect(lenient.succeeded && lenient.warnings == 3)
        #expect(lenient.warningsByKind == ["wrong-type": 2, "expected-array": 1])
        let (repaired, _) = try build([repairable.path], repair: true, strict: true)
        #expect(repaired.succeeded)
        #expect(throws: IndexBuilder.BuildFailed.self) {
            _ = try build([repairable.path, broken.path], repair: true, strict: true)
        }
    }
}
