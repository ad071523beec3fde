import FHIRCore
import Foundation

/// Streams the elements of a top-level JSON array (`[ {…}, {…} ]`) one at a time: it finds each
/// element's extent by depth and string state, then parses just that element, so a
/// multi-gigabyte `providers.json` costs the memory of one provider.
public struct JSONArrayReader {
    public struct Element {
        public var value: JSONValue
        /// The line the element starts on, from 1.
        public var line: Int
    }

    public struct Malformed: Error {
        public var line: Int
        public var reason: String
    }

    let path: String
    private var file: FileChunks
    private var buffer: [UInt8] = []
    private var position = 0
    private var line = 1
    private var started = false
    private var finished = false

    public init(path: String) throws {
        self.path = path
        self.file = try FileChunks(path: path)
    }

    private mutating func fill() -> Bool { file.refill(&buffer, from: &position) }

    /// The next byte that is not whitespace, counting lines; nil at the end of the file.
    private mutating func skipSpace() -> UInt8? {
        while true {
            if position >= buffer.count, !fill() { return nil }
            let byte = buffer[position]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            default: return byte
            }
        }
    }

    /// The next element, nil after the closing `]`, or a `Malformed` (after which reading stops:
    /// past a broken element there is no telling where the next one starts).
    public mutating func read() -> Result<Element, Malformed>? {
        if finished { return nil }
        if !started {
            started = true
            guard skipSpace() == UInt8(ascii: "[") else {
                finished = true
                return .failure(Malformed(line: line, reason: "the file is not a JSON array"))
            }
            position += 1
            if skipSpace() == UInt8(ascii: "]") {
                finished = true
                return nil
            }
        } else {
            switch skipSpace() {
            case UInt8(ascii: ",")?: position += 1
            case UInt8(ascii: "]")?:
                finished = true
                return nil
            case nil:
                finished = true
                return .failure(Malformed(line: line, reason: "the JSON ends before the array is closed"))
            case let other?:
                finished = true
                return .failure(
                    Malformed(
                        line: line,
                        reason: "expected , or ] between elements, found '\(Character(UnicodeScalar(other)))'"))
            }
        }
        guard skipSpace() != nil else {
            finished = true
            return .failure(Malformed(line: line, reason: "the JSON ends before the array is closed"))
        }
        let startLine = line
        var depth = 0
        var inString = false
        var escaped = false
        var offset = 0
        var end: Int?
        scan: while true {
            while position + offset < buffer.count {
                let byte = buffer[position + offset]
                offset += 1
                if byte == UInt8(ascii: "\n") { line += 1 }
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        end = offset
                        break scan
                    }
                    if depth < 0 {
                        // A bare value followed by the array's end.
                        offset -= 1
                        end = offset
                        break scan
                    }
                case UInt8(ascii: ","):
                    if depth == 0 {
                        offset -= 1
                        end = offset
                        break scan
                    }
                default: break
                }
            }
            if !fill() { break scan }
        }
        guard let end else {
            finished = true
            return .failure(Malformed(line: startLine, reason: "the JSON ends inside an element (cut off?)"))
        }
        let bytes = Array(buffer[position..<(position + end)])
        position += end
        do {
            return .success(Element(value: try JSONParser.parse(bytes), line: startLine))
        } catch {
            finished = true
            return .failure(Malformed(line: startLine, reason: "not valid JSON: \(error)"))
        }
    }
}
