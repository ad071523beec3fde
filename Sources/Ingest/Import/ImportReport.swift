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

    /// Rejected rows per kind.
    public private(set) var counts: [String: Int] = [:]
    /// Warnings per kind.
    public private(set) var warningCounts: [String: Int] = [:]
    /// Counts of things that are not problems but are worth knowing (`skipped-deactivated`).
    public private(set) var notes: [String: Int] = [:]
    public private(set) var written: [String: Int] = [:]
    /// The report's lines, kept as encoded JSON and spilled to a temporary file past a megabyte,
    /// so a file with millions of bad rows is reported without holding them.
    var rejectedLines = ReportSpool()
    var warningLines = ReportSpool()

    public init() {}

    public var rejectedTotal: Int { counts.values.reduce(0, +) }
    public var warningTotal: Int { warningCounts.values.reduce(0, +) }

    mutating func reject(_ file: String, _ line: Int, _ column: Int, _ kind: String, _ reason: String, _ text: String) {
        counts[kind, default: 0] += 1
        rejectedLines.append(
            Self.line(
                Entry(file: Self.name(file), line: line, column: column, kind: kind, reason: reason, text: text),
                "rejected"))
    }

    mutating func warn(_ file: String, _ line: Int, _ column: Int, _ kind: String, _ reason: String, _ text: String) {
        warningCounts[kind, default: 0] += 1
        warningLines.append(
            Self.line(
                Entry(file: Self.name(file), line: line, column: column, kind: kind, reason: reason, text: text),
                "warning"))
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

    static func line(_ entry: Entry, _ severity: String) -> [UInt8] {
        let object = JSONValue.object(
            JSONObject([
                ("severity", .string(severity)), ("file", .string(entry.file)),
                ("line", .number(String(entry.line))), ("column", .number(String(entry.column))),
                ("kind", .string(entry.kind)), ("reason", .string(entry.reason)), ("text", .string(entry.text)),
            ]))
        return JSONWriter.encode(object) + [UInt8(ascii: "\n")]
    }

    /// The last line: counts of rejections and warnings per kind, notes, and resources written.
    var summaryLine: [UInt8] {
        func counted(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))
        }
        let summary = JSONValue.object(
            JSONObject([
                ("rejected", counted(counts)), ("warnings", counted(warningCounts)),
                ("notes", counted(notes)), ("written", counted(written)),
            ]))
        return JSONWriter.encode(summary) + [UInt8(ascii: "\n")]
    }

    /// The report as JSON lines, in memory: rejected rows, then warnings, then the counts.
    public var jsonLines: [UInt8] {
        get throws { try rejectedLines.contents() + warningLines.contents() + summaryLine }
    }

    /// Writes the report to `path` as `jsonLines` orders it, streaming what was spilled, and
    /// removes the temporary files.
    public func write(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw ImportError("cannot write the report to \(path)") }
        defer { try? handle.close() }
        try rejectedLines.copy(to: handle)
        try warningLines.copy(to: handle)
        try handle.write(contentsOf: summaryLine)
        discard()
    }

    /// Removes the temporary files of an import that is given up.
    public func discard() {
        rejectedLines.discard()
        warningLines.discard()
    }
}
