import Foundation

/// Streams the rows of a delimited text file (RFC 4180 quoting: a field in double quotes may hold
/// the delimiter, newlines and `""`), a buffer at a time, so a 10 GB NPPES file costs the memory
/// of one row.
public struct DelimitedReader {
    public struct Row {
        public var fields: [String]
        /// The line the row starts on, from 1.
        public var line: Int
        /// The row as written, cut to 200 characters, for reports.
        public var text: String
    }

    /// Why a row could not be split; the reader goes on with the next line.
    public struct Malformed: Error {
        public var line: Int
        public var column: Int
        public var reason: String
        public var text: String
    }

    public let path: String
    let delimiter: UInt8
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1

    public init(path: String, delimiter: Character = ",") throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError("cannot read \(path)")
        }
        self.path = path
        self.handle = handle
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
    }

    /// Refills the buffer; false at the end of the file.
    private mutating func fill() -> Bool {
        if atEnd { return false }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
        guard let chunk, !chunk.isEmpty else {
            atEnd = true
            return false
        }
        buffer.removeFirst(position)
        position = 0
        buffer.append(contentsOf: chunk)
        return true
    }

    private mutating func next() -> UInt8? {
        if position >= buffer.count, !fill() { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peek() -> UInt8? {
        if position >= buffer.count, !fill() { return nil }
        return buffer[position]
    }

    /// The next row, nil at the end, or a `Malformed` row (an unterminated quote runs to the end
    /// of the file; a quote inside a field ends that row at its line).
    public mutating func read() -> Result<Row, Malformed>? {
        guard peek() != nil else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var raw: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        func keep(_ byte: UInt8) { if raw.count < 800 { raw.append(byte) } }
        func text() -> String { String(String(decoding: raw, as: UTF8.self).prefix(200)) }
        while let byte = next() {
            keep(byte)
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if peek() == UInt8(ascii: "\"") {
                        _ = next()
                        keep(UInt8(ascii: "\""))
                        field.append(byte)
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case UInt8(ascii: "\n"):
                line += 1
                if field.last == UInt8(ascii: "\r"), !wasQuoted { field.removeLast() }
                fields.append(String(decoding: field, as: UTF8.self))
                raw.removeLast()
                if raw.last == UInt8(ascii: "\r") { raw.removeLast() }
                return .success(Row(fields: fields, line: start, text: text()))
            case UInt8(ascii: "\"") where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case UInt8(ascii: "\r") where wasQuoted:
                break
            default:
                if wasQuoted || byte == UInt8(ascii: "\"") {
                    // Text after a closing quote, or a quote inside a bare field: skip to the line's end.
                    let column = fields.count + 1
                    while let rest = next(), rest != UInt8(ascii: "\n") { keep(rest) }
                    line += 1
                    return .failure(
                        Malformed(line: start, column: column, reason: "a quote inside a field", text: text()))
                }
                field.append(byte)
            }
        }
        if quoted {
            return .failure(
                Malformed(
                    line: start, column: fields.count + 1,
                    reason: "a quoted field is not closed before the end of the file",
                    text: text()))
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return .success(Row(fields: fields, line: start, text: text()))
    }
}

/// A command-level failure of an import: unreadable input, a missing header column.
public struct ImportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
