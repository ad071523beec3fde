import FHIRCore
import Foundation

/// What an import turned away or noticed: one JSON line per rejected row (file, line, column,
/// reason, the row's first 200 characters), then one line of counts per reason and of the
/// notes (rows skipped on purpose, positions that are approximate, warnings).
public struct ImportReport: Sendable {
    public struct Entry: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var column: Int
        /// A short, stable key for counting (`invalid-npi`).
        public var kind: String
        public var reason: String
        public var text: String
    }

    public private(set) var rejected: [Entry] = []
    public private(set) var warnings: [Entry] = []
    /// Counts of things that are not problems but are worth knowing (`skipped-deactivated`).
    public private(set) var notes: [String: Int] = [:]
    public private(set) var written: [String: Int] = [:]

    public init() {}

    mutating func reject(_ file: String, _ line: Int, _ column: Int, _ kind: String, _ reason: String, _ text: String) {
        rejected.append(
            Entry(file: Self.name(file), line: line, column: column, kind: kind, reason: reason, text: text))
    }

    mutating func warn(_ file: String, _ line: Int, _ column: Int, _ kind: String, _ reason: String, _ text: String) {
        warnings.append(
            Entry(file: Self.name(file), line: line, column: column, kind: kind, reason: reason, text: text))
    }

    mutating func note(_ key: String, _ count: Int = 1) { notes[key, default: 0] += count }

    /// The row, when it split and has `columns` fields; otherwise the reason is recorded.
    mutating func accept(
        _ result: Result<DelimitedReader.Row, DelimitedReader.Malformed>, columns: Int, path: String
    ) -> DelimitedReader.Row? {
        switch result {
        case .failure(let bad):
            reject(path, bad.line, bad.column, "malformed-row", bad.reason, bad.text)
            return nil
        case .success(let row):
            guard row.fields.count == columns else {
                reject(
                    path, row.line, min(row.fields.count, columns) + 1, "column-count",
                    "expected \(columns) columns, found \(row.fields.count)", row.text)
                return nil
            }
            return row
        }
    }

    mutating func wrote(_ type: String) { written[type, default: 0] += 1 }

    /// Files are named without their folder, so the same input gives the same report anywhere.
    static func name(_ path: String) -> String { (path as NSString).lastPathComponent }

    public var counts: [String: Int] {
        var counts: [String: Int] = [:]
        for entry in rejected { counts[entry.kind, default: 0] += 1 }
        return counts
    }

    /// The report as JSON lines: rejected rows, then warnings, then the counts.
    public var jsonLines: [UInt8] {
        var out: [UInt8] = []
        func line(_ entry: Entry, _ severity: String) {
            let object = JSONValue.object(
                JSONObject([
                    ("severity", .string(severity)), ("file", .string(entry.file)),
                    ("line", .number(String(entry.line))), ("column", .number(String(entry.column))),
                    ("kind", .string(entry.kind)), ("reason", .string(entry.reason)), ("text", .string(entry.text)),
                ]))
            out += JSONWriter.encode(object)
            out.append(UInt8(ascii: "\n"))
        }
        for entry in rejected { line(entry, "rejected") }
        for entry in warnings { line(entry, "warning") }
        func counted(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))
        }
        let summary = JSONValue.object(
            JSONObject([
                ("rejected", counted(counts)),
                ("warnings", counted(Dictionary(warnings.map { ($0.kind, 1) }, uniquingKeysWith: +))),
                ("notes", counted(notes)), ("written", counted(written)),
            ]))
        out += JSONWriter.encode(summary)
        out.append(UInt8(ascii: "\n"))
        return out
    }
}
