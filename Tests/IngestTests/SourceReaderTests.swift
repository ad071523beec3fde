import Foundation
import Testing

@testable import Ingest

@Suite struct SourceReaderTests {
    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func read(_ path: String) throws -> (records: [(line: Int, text: String)], issues: [SourceIssue], bytes: Int) {
        var records: [(Int, String)] = []
        var issues: [SourceIssue] = []
        var bytes = 0
        try SourceReader.read(
            file: path, record: { records.append(($0.line, String(decoding: $0.bytes, as: UTF8.self))) },
            issue: { issues.append($0) }, consumed: { bytes += $0 })
        return (records, issues, bytes)
    }

    @Test func ndjsonLinesKeepTheirNumbersAndSkipBlankLines() throws {
        let text = "{\"a\":1}\r\n\n  \t\n{\"b\":2}\n{\"c\":3}"
        let path = try temporaryFile("x.ndjson", text)
        let (records, issues, bytes) = try read(path)
        #expect(records.map(\.line) == [1, 4, 5])
        #expect(records.map(\.text) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(issues.isEmpty)
        #expect(bytes == text.utf8.count)
    }

    @Test func linesLongerThanOneChunkArriveWhole() throws {
        let long = "{\"v\":\"" + String(repeating: "x", count: SourceReader.chunkSize * 2 + 17) + "\"}"
        let path = try temporaryFile("long.ndjson", "{}\n" + long + "\n{}\n")
        let (records, _, _) = try read(path)
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[1].text == long)
    }

    @Test func bundleEntriesCarryTheLineTheyStartOn() throws {
        let bundle = """
            {"resourceType": "Bundle",
             "entry": [
              {"resource": {"resourceType": "Practitioner", "id": "a"}},

              {"fullUrl": "x",
               "resource": {"resourceType": "Practitioner", "id": "b"}}
             ]}
            """
        let path = try temporaryFile("b.json", bundle)
        let (records, issues, _) = try read(path)
        #expect(issues.isEmpty)
        #expect(records.map(\.line) == [3, 6])
        #expect(records[1].text.contains("\"id\": \"b\""))
    }

    @Test func anInvalidJSONFileIsAnIssueWithItsLine() throws {
        let path = try temporaryFile("bad.json", "{\n\"resourceType\": \"Bundle\",\n\"entry\": [}\n")
        let (records, issues, _) = try read(path)
        #expect(records.isEmpty)
        #expect(issues.count == 1)
        #expect(issues.first?.line == 3)
        #expect(issues.first?.severity == .rejected)
    }
}
