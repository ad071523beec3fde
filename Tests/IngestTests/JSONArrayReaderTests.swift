import FHIRCore
import Foundation
import Testing

@testable import Ingest

/// Top-level JSON arrays read an element at a time.
@Suite struct JSONArrayReaderTests {
    func read(_ text: String) throws -> [Result<JSONArrayReader.Element, JSONArrayReader.Malformed>] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("array-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try JSONArrayReader(path: url.path)
        var all: [Result<JSONArrayReader.Element, JSONArrayReader.Malformed>] = []
        while let element = reader.read() { all.append(element) }
        return all
    }

    @Test func elementsComeOneAtATimeWithTheirLines() throws {
        let got = try read(
            """
            [
              {"a": "x], {\\"y"},
              {"b": [1, {"c": "}"}]},
              "bare",
              7
            ]
            """)
        let values = got.compactMap { try? $0.get() }
        #expect(values.map(\.line) == [2, 3, 4, 5])
        #expect(values[0].value["a"]?.stringValue == "x], {\"y")
        #expect(values[1].value["b"]?.asList.count == 2)
        #expect(values[2].value == .string("bare"))
        #expect(values[3].value == .number("7"))
        #expect(try read("[ ]").isEmpty)
    }

    @Test func brokenInputIsReportedOnce() throws {
        let cut = try read("[{\"a\": 1}, {\"b\": [2, 3")
        #expect(cut.count == 2)
        guard case .failure(let end) = cut[1] else {
            Issue.record("expected the cut-off element to be reported")
            return
        }
        #expect(end.reason.contains("cut off"))
        guard case .failure(let notArray)? = try read("{\"a\": 1}").first else {
            Issue.record("expected a non-array to be reported")
            return
        }
        #expect(notArray.reason.contains("not a JSON array"))
        let unclosed = try read("[1, {\"a\": 2}")
        #expect(unclosed.count == 3)
        guard case .failure(let open) = unclosed[2] else {
            Issue.record("expected the missing ] to be reported")
            return
        }
        #expect(open.reason.contains("before the array is closed"))
    }

    @Test func elementsSpanTheBufferBoundary() throws {
        let big = String(repeating: "z", count: (1 << 20) + 5)
        let text =
            "["
            + (0..<2000).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "p", count: $0 % 900))\"}" }
            .joined(separator: ",") + ",{\"big\":\"\(big)\"}]"
        let got = try read(text).compactMap { try? $0.get() }
        #expect(got.count == 2001)
        #expect(got[1999].value["n"] == .number("1999"))
        #expect(got[2000].value["big"]?.stringValue == big)
    }
}
