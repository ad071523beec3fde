import FHIRCore

/// Finds the `entry[].resource` byte ranges of a Bundle without building its tree.
public struct BundleSplitter {
    enum Result {
        case resource
        case bundle([Range<Int>])
    }

    let bytes: UnsafeBufferPointer<UInt8>

    mutating func split() throws(JSONParser.Failure) -> Result {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else {
            // Not an object: let the record check report it as such.
            try parser.skipValue()
            return .resource
        }
        var resourceType: String?
        var entryStart: Int?
        try walkObject(&parser) { key, parser throws(JSONParser.Failure) in
            if key == "resourceType" {
                if case .string(let s) = try parser.parseValue() { resourceType = s }
            } else if key == "entry" {
                parser.skipWhitespace()
                entryStart = parser.position
                try parser.skipValue()
            } else {
                try parser.skipValue()
            }
        }
        parser.skipWhitespace()
        guard parser.atEnd else {
            throw JSONParser.Failure(offset: parser.position, reason: "unexpected data after the JSON value")
        }
        guard resourceType == "Bundle" else { return .resource }
        guard let entryStart else { return .bundle([]) }
        var ranges: [Range<Int>] = []
        var p = JSONParser(bytes, position: entryStart)
        guard p.peek() == UInt8(ascii: "[") else { return .bundle([]) }
        try p.expect(UInt8(ascii: "["), "'['")
        p.skipWhitespace()
        if p.peek() == UInt8(ascii: "]") { return .bundle([]) }
        while true {
            p.skipWhitespace()
            if p.peek() == UInt8(ascii: "{") {
                try walkObject(&p) { key, parser throws(JSONParser.Failure) in
                    parser.skipWhitespace()
                    let start = parser.position
                    try parser.skipValue()
                    if key == "resource" { ranges.append(start..<parser.position) }
                }
            } else {
                try p.skipValue()
            }
            p.skipWhitespace()
            if p.peek() == UInt8(ascii: ",") {
                try p.expect(UInt8(ascii: ","), "','")
                continue
            }
            try p.expect(UInt8(ascii: "]"), "',' or ']'")
            break
        }
        return .bundle(ranges)
    }

    private func walkObject(
        _ parser: inout JSONParser, member: (String, inout JSONParser) throws(JSONParser.Failure) -> Void
    ) throws(JSONParser.Failure) {
        try parser.expect(UInt8(ascii: "{"), "'{'")
        parser.skipWhitespace()
        if parser.peek() == UInt8(ascii: "}") {
            try parser.expect(UInt8(ascii: "}"), "'}'")
            return
        }
        while true {
            parser.skipWhitespace()
            let key = try parser.parseString()
            try parser.expect(UInt8(ascii: ":"), "':'")
            try member(key, &parser)
            parser.skipWhitespace()
            if parser.peek() == UInt8(ascii: ",") {
                try parser.expect(UInt8(ascii: ","), "','")
                continue
            }
            try parser.expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }
}
