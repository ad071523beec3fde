import Foundation

/// Streams the rows of a delimited text file (RFC 4180 quoting: a field in double quotes may hold
/// the delimiter, newlines and `""`), a buffer at a time, so a 10 GB NPPES file costs the memory
/// of one row.
public struct DelimitedReader {
    public struct Row {
        public var fields: [String]
        /// The line the row starts on, from 1.
        public var line: Int
        /// The row's first bytes as written, for `text`.
        let head: [UInt8]

        /// The row as written, cut to 200 characters, for reports.
        public var text: String { String(String(decoding: head, as: UTF8.self).prefix(200)) }
    }

    /// Why a row could not be split; the reader goes on with the next line.
    public struct Malformed: Error {
        public var line: Int
        public var column: Int
        public var reason: String
        public var text: String
    }

    enum State {
        case fieldStart, unquoted, quoted, afterQuote, skipping
    }

    /// How the file's bytes are text: CMS writes UTF-8, but the Part D plan file is Windows-1252.
    public enum Encoding: Sendable {
        case utf8, windows1252
    }

    public let path: String
    let delimiter: UInt8
    let encoding: Encoding
    private var file: FileChunks
    private var buffer: [UInt8] = []
    /// Where the next row starts in `buffer`.
    private var position = 0
    private var line = 1

    public init(path: String, delimiter: Character = ",", encoding: Encoding = .utf8) throws {
        self.path = path
        self.file = try FileChunks(path: path)
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.encoding = encoding
    }

    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            // ASCII needs no table; anything else goes through Foundation's Windows-1252.
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(data: Data(bytes), encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Drops the rows already read and appends the next megabyte; false at the end of the file.
    private mutating func fill() -> Bool { file.refill(&buffer, from: &position) }

    /// The next row, nil at the end, or a `Malformed` row (an unterminated quote runs to the end
    /// of the file; a quote inside a field ends that row at its line).
    ///
    /// One pass over the bytes with a small state machine; fields are kept as offsets from the
    /// row's start (a refill only drops bytes before it) and become strings at the row's end.
    public mutating func read() -> Result<Row, Malformed>? {
        if position >= buffer.count, !fill() { return nil }
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let start = line
        var ranges: [(from: Int, to: Int, escaped: Bool)] = []
        ranges.reserveCapacity(64)
        var state = State.fieldStart
        var fieldFrom = 0
        var escaped = false
        var offset = 0  // from the row's start
        var badColumn = 0
        var rowEnd: Int?
        outer: while true {
            let count = buffer.count - position
            let done: Bool = buffer.withUnsafeBufferPointer { all in
                let bytes = UnsafeBufferPointer(rebasing: all[position...])
                while offset < count {
                    let byte = bytes[offset]
                    switch state {
                    case .fieldStart:
                        if byte == quote {
                            state = .quoted
                            fieldFrom = offset + 1
                            escaped = false
                        } else if byte == delimiter {
                            ranges.append((offset, offset, false))
                        } else if byte == newline {
                            ranges.append((offset, offset, false))
                            rowEnd = offset
                            return true
                        } else {
                            state = .unquoted
                            fieldFrom = offset
                        }
                    case .unquoted:
                        if byte == delimiter {
                            ranges.append((fieldFrom, offset, false))
                            state = .fieldStart
                        } else if byte == newline {
                            let to = offset > fieldFrom && bytes[offset - 1] == cr ? offset - 1 : offset
                            ranges.append((fieldFrom, to, false))
                            rowEnd = offset
                            return true
                        } else if byte == quote {
                            badColumn = ranges.count + 1
                            state = .skipping
                        }
                    case .quoted:
                        if byte == quote {
                            state = .afterQuote
                        } else if byte == newline {
                            line += 1
                        }
                    case .afterQuote:
                        if byte == quote {
                            escaped = true
                            state = .quoted
                        } else if byte == delimiter {
                            ranges.append((fieldFrom, offset - 1, escaped))
                            state = .fieldStart
                        } else if byte == newline {
                            let close = bytes[offset - 1] == cr ? offset - 2 : offset - 1
                            ranges.append((fieldFrom, close, escaped))
                            rowEnd = offset
                            return true
                        } else if byte != cr {
                            badColumn = ranges.count + 1
                            state = .skipping
                        }
                    case .skipping:
                        if byte == newline {
                            rowEnd = offset
                            return true
                        }
                    }
                    offset += 1
                }
                return false
            }
            if done { break outer }
            if !fill() { break outer }
        }
        let rowBytes = buffer.count - position
        let end = rowEnd ?? rowBytes
        let head = Array(buffer[position..<(position + min(end, 800))])
        var headEnd = head.count
        if rowEnd != nil, headEnd == end, headEnd > 0, head[headEnd - 1] == cr { headEnd -= 1 }
        var text: String { String(String(decoding: head[..<headEnd], as: UTF8.self).prefix(200)) }
        position += rowEnd.map { $0 + 1 } ?? rowBytes
        if rowEnd != nil { line += 1 }
        switch state {
        case .skipping:
            return .failure(Malformed(line: start, column: badColumn, reason: "a quote inside a field", text: text))
        case .quoted where rowEnd == nil:
            return .failure(
                Malformed(
                    line: start, column: ranges.count + 1,
                    reason: "a quoted field is not closed before the end of the file", text: text))
        case .fieldStart, .unquoted, .quoted, .afterQuote:
            break
        }
        if rowEnd == nil {
            // The last row has no newline: close its last field.
            switch state {
            case .fieldStart: ranges.append((end, end, false))
            case .unquoted: ranges.append((fieldFrom, end, false))
            case .afterQuote: ranges.append((fieldFrom, end - 1, escaped))
            case .quoted, .skipping: break
            }
        }
        let rowStart = position - (rowEnd.map { $0 + 1 } ?? rowBytes)
        let fields = ranges.map { range -> String in
            if range.from >= range.to { return "" }
            let value = decode(buffer[(rowStart + range.from)..<(rowStart + range.to)])
            return range.escaped ? value.replacingOccurrences(of: "\"\"", with: "\"") : value
        }
        return .success(Row(fields: fields, line: start, head: Array(head[..<headEnd])))
    }
}

/// A command-level failure of an import: unreadable input, a missing header column.
public struct ImportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
