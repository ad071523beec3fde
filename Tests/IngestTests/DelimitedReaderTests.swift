import Foundation
import Testing

@testable import Ingest

/// RFC 4180 rows as NPPES and CMS write them, streamed a megabyte at a time.
@Suite struct DelimitedReaderTests {
    func rows(_ text: String, delimiter: Character = ",") throws -> [Result<
        DelimitedReader.Row, DelimitedReader.Malformed
    >] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("delimited-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try DelimitedReader(path: url.path, delimiter: delimiter)
        var all: [Result<DelimitedReader.Row, DelimitedReader.Malformed>] = []
        while let row = reader.read() { all.append(row) }
        return all
    }

    func fields(_ result: Result<DelimitedReader.Row, DelimitedReader.Malformed>) -> [String]? {
        if case .success(let row) = result { return row.fields }
        return nil
    }

    @Test func quotingAsRFC4180WritesIt() throws {
        let got = try rows("\"a\",\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast,\"\",end")
        #expect(got.count == 3)
        #expect(fields(got[0]) == ["a", "b, c", "say \"hi\""])
        #expect(fields(got[1]) == ["two\nlines", "", "x"])
        #expect(fields(got[2]) == ["last", "", "end"])
        if case .success(let row) = got[2] { #expect(row.line == 4, "a quoted newline counts as a line") }
        #expect(try rows("a,b,\n").compactMap(fields) == [["a", "b", ""]])
        #expect(try rows("1|2||4\n", delimiter: "|").compactMap(fields) == [["1", "2", "", "4"]])
    }

    @Test func malformedRowsAreReportedAndReadingGoesOn() throws {
        let got = try rows("ok,1\nbad\"quote,2\n\"closed\"tail,3\nok,4\n\"never closed,5\nmore")
        #expect(fields(got[0]) == ["ok", "1"])
        guard case .failure(let stray) = got[1], case .failure(let tail) = got[2], case .failure(let open) = got[4]
        else {
            Issue.record("expected three malformed rows: \(got)")
            return
        }
        #expect(stray.line == 2 && stray.column == 1 && stray.reason == "a quote inside a field")
        #expect(tail.line == 3 && tail.column == 1)
        #expect(fields(got[3]) == ["ok", "4"])
        #expect(open.line == 5 && open.reason.contains("not closed"))
        #expect(open.text == "\"never closed,5\nmore")
        #expect(got.count == 5)
    }

    /// A row longer than the read buffer, and rows across its boundary, come out whole.
    @Test func rowsSpanTheBufferBoundary() throws {
        let long = String(repeating: "x", count: (1 << 20) + 17)
        var text = ""
        for n in 0..<3000 { text += "\(n),\"\(String(repeating: "y", count: n % 700))\"\n" }
        text += "big,\"\(long)\",after\n"
        let got = try rows(text)
        #expect(got.count == 3001)
        for n in 0..<3000 { #expect(fields(got[n]) == ["\(n)", String(repeating: "y", count: n % 700)]) }
        #expect(fields(got[3000]) == ["big", long, "after"])
    }
}
