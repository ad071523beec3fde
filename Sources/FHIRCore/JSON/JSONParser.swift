/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// It reports the byte offset of the first error, so callers can turn it into a line and
/// column, and it can skip a value without building it, which lets Bundle splitting walk a
/// large file without materializing it.
public struct JSONParser {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }

        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    /// Deep nesting is the one way valid-looking input could exhaust the stack.
    public static let maximumDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var position: Int
    private var depth = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Parses one complete JSON document; trailing non-whitespace is an error.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            do throws(Failure) {
                let value = try parser.parseValue()
                parser.skipWhitespace()
                if parser.position != buffer.count {
                    throw parser.failure("unexpected data after the JSON value")
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    func failure(_ reason: String) -> Failure {
        Failure(offset: position, reason: reason)
    }

    public mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    public var atEnd: Bool { position >= bytes.count }

    public func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    public mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw failure("expected \(what)") }
        position += 1
    }

    public mutating func parseValue() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    /// Moves past one value without building it.
    public mutating func skipValue() throws(Failure) {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try enter()
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { position += 1; depth -= 1; return }
            while true {
                skipWhitespace()
                _ = try parseString()
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue()
                skipWhitespace()
                guard let next = peek() else { throw failure("unterminated object") }
                position += 1
                if next == UInt8(ascii: "}") { break }
                if next != UInt8(ascii: ",") { position -= 1; throw failure("expected ',' or '}'") }
            }
            depth -= 1
        case UInt8(ascii: "["):
            try enter()
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { position += 1; depth -= 1; return }
            while true {
                try skipValue()
                skipWhitespace()
                guard let next = peek() else { throw failure("unterminated array") }
                position += 1
                if next == UInt8(ascii: "]") { break }
                if next != UInt8(ascii: ",") { position -= 1; throw failure("expected ',' or ']'") }
            }
            depth -= 1
        default:
            _ = try parseValue()
        }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected end of input") }
        let start = word.utf8Start
        for i in 0..<count where bytes[position + i] != start[i] {
            throw failure("invalid literal")
        }
        position += count
    }

    private mutating func parseObject() throws(Failure) -> JSONObject {
        try enter()
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "':'")
            let value = try parseValue()
            members.append((key, value))
            skipWhitespace()
            guard let next = peek() else { throw failure("unterminated object") }
            if next == UInt8(ascii: ",") { position += 1; continue }
            if next == UInt8(ascii: "}") { position += 1; break }
            throw failure("expected ',' or '}'")
        }
        depth -= 1
        return JSONObject(members)
    }

    private mutating func parseArray() throws(Failure) -> [JSONValue] {
        try enter()
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return items
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard let next = peek() else { throw failure("unterminated array") }
            if next == UInt8(ascii: ",") { position += 1; continue }
            if next == UInt8(ascii: "]") { position += 1; break }
            throw failure("expected ',' or ']'")
        }
        depth -= 1
        return items
    }

    public mutating func parseString() throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard let s = String(validating: slice, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "invalid UTF-8 in string")
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw failure("control character in string") }
            position += 1
        }
        var scalars: [UInt8] = Array(bytes[start..<position])
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                guard let s = String(validating: scalars, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "invalid UTF-8 in string")
                }
                return s
            }
            if b < 0x20 { throw failure("control character in string") }
            if b != UInt8(ascii: "\\") {
                scalars.append(b)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append(0x22)
            case UInt8(ascii: "\\"): scalars.append(0x5C)
            case UInt8(ascii: "/"): scalars.append(0x2F)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw failure("unpaired surrogate") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw failure("unpaired surrogate")
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("invalid escape") }
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw failure("invalid escape")
            }
        }
        throw Failure(offset: start - 1, reason: "unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw failure("invalid number") }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            while let b = peek(), isDigit(b) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let b = peek(), isDigit(b) else { throw failure("invalid number") }
            while let b = peek(), isDigit(b) { position += 1 }
        }
        if let b = peek(), b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            position += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), isDigit(d) else { throw failure("invalid number") }
            while let b = peek(), isDigit(b) { position += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
