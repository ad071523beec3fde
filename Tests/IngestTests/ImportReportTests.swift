import FHIRCore
import Foundation
import Testing

@testable import Ingest

/// An import report past its memory budget: lines spill to a temporary file and come back in
/// order, rejected rows before warnings, whichever came first.
@Suite struct ImportReportTests {
    @Test func aLargeReportSpillsAndKeepsItsOrder() throws {
        var report = ImportReport()
        let text = String(repeating: "x", count: 200)
        // About 600 bytes a line: 6,000 rejections are several megabytes.
        for n in 0..<6000 {
            report.reject("in.csv", n + 2, 1, n % 2 == 0 ? "invalid-npi" : "column-count", "row \(n)", text)
            if n % 1000 == 0 { report.warn("in.csv", n + 2, 1, "no-primary-taxonomy", "row \(n)", text) }
        }
        report.note("skipped-deactivated", 3)
        let spill = try #require(report.rejectedLines.spill, "the rejected lines spilled")
        #expect(report.rejectedLines.buffer.count < ReportSpool.memoryLimit)
        #expect(report.warningLines.spill == nil)

        let lines = try report.jsonLines.split(separator: UInt8(ascii: "\n")).map {
            try JSONParser.parse(Array($0))
        }
        #expect(lines.count == 6000 + 6 + 1)
        #expect(lines.prefix(6000).map { $0["line"] } == (0..<6000).map { .number(String($0 + 2)) })
        #expect(lines[6000..<6006].allSatisfy { $0["severity"]?.stringValue == "warning" })
        #expect(lines.last?["rejected"]?["invalid-npi"] == .number("3000"))
        #expect(lines.last?["warnings"]?["no-primary-taxonomy"] == .number("6"))
        #expect(report.rejectedTotal == 6000 && report.warningTotal == 6)

        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("report-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let inMemory = try report.jsonLines
        try report.write(to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == inMemory)
        #expect(!FileManager.default.fileExists(atPath: spill), "writing the report removes the spill")
    }
}
