/// Byte-level operations on JSON text already known to be valid.
public enum JSONBytes {
    /// Removes insignificant whitespace, leaving every member, value and order unchanged.
    ///
    /// This is the canonical stored form: a pretty-printed source file and its NDJSON line
    /// store the same bytes.
    public static func compact<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        if let done = input.withContiguousStorageIfAvailable(compact(buffer:)) { return done }
        return Array(input).withUnsafeBufferPointer(compact(buffer:))
    }

    /// The byte loop, on contiguous memory: a generic loop over `Collection` is not specialized
    /// across modules and ran at a fifth of this speed in the index build.
    static func compact(buffer input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: input.count) { out, written in
            var n = 0
            var strings = StringState()
            for b in input {
                if !strings.isInString(b) {
                    switch b {
                    case 0x20, 0x09, 0x0A, 0x0D: continue
                    default: break
                    }
                }
                out[n] = b
                n += 1
            }
            written = n
        }
    }

    /// Sets `meta.lastUpdated` in a compact resource that lacks it, touching nothing else.
    ///
    /// - Parameter hasMeta: whether the resource has a `meta` object (without `lastUpdated`).
    public static func insertingLastUpdated(_ compact: [UInt8], instant: String, hasMeta: Bool) -> [UInt8] {
        var member: [UInt8] = Array("\"lastUpdated\":".utf8)
        JSONWriter.appendString(instant, to: &member)
        guard hasMeta, let brace = metaObjectStart(compact) else {
            return prependingMeta(member, to: compact)
        }
        var out = Array(compact[...brace])
        out.append(contentsOf: member)
        if compact[brace + 1] != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: compact[(brace + 1)...])
        return out
    }

    /// `compact` with a `meta` object of `members` as its first member.
    static func prependingMeta(_ members: [UInt8], to compact: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.append(contentsOf: Array("\"meta\":{".utf8))
        out.append(contentsOf: members)
        out.append(UInt8(ascii: "}"))
        let rest = compact.dropFirst()
        if rest.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: rest)
        return out
    }

    /// `compact` with its top-level `meta.versionId` and `meta.lastUpdated` set, first in
    /// `meta`, replacing any the source had; every other byte is kept as it was.
    public static func settingVersion(_ compact: [UInt8], versionId: String, lastUpdated: String) -> [UInt8] {
        var members: [UInt8] = Array("\"versionId\":".utf8)
        JSONWriter.appendString(versionId, to: &members)
        members.append(contentsOf: Array(",\"lastUpdated\":".utf8))
        JSONWriter.appendString(lastUpdated, to: &members)
        guard let brace = metaObjectStart(compact) else {
            return prependingMeta(members, to: compact)
        }
        // The parser accepted these bytes already; a meta that does not parse cannot reach here.
        guard let kept = metaMembers(compact, brace: brace) else { return compact }
        var out = Array(compact[...brace])
        out.append(contentsOf: members)
        for range in kept.ranges {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: compact[range])
        }
        out.append(contentsOf: compact[kept.end...])
        return out
    }

    /// The byte ranges of the members of the compact object opening at `brace`, but for
    /// `versionId` and `lastUpdated`, and the offset of its closing `}`; nil when it does not
    /// parse.
    static func metaMembers(_ compact: [UInt8], brace: Int) -> (ranges: [Range<Int>], end: Int)? {
        compact.withUnsafeBufferPointer { buffer -> (ranges: [Range<Int>], end: Int)? in
            var parser = JSONParser(buffer, position: brace + 1)
            var ranges: [Range<Int>] = []
            do throws(JSONParser.Failure) {
                if parser.peek() == UInt8(ascii: "}") { return ([], parser.position) }
                while true {
                    let start = parser.position
                    let key = try parser.parseString()
                    try parser.expect(UInt8(ascii: ":"), "':'")
                    try parser.skipValue()
                    if key != "versionId" && key != "lastUpdated" { ranges.append(start..<parser.position) }
                    if parser.peek() == UInt8(ascii: "}") { return (ranges, parser.position) }
                    try parser.expect(UInt8(ascii: ","), "','")
                }
            } catch {
                return nil
            }
        }
    }

    /// The offset of the `{` that opens the top-level `meta` member's object.
    static func metaObjectStart(_ compact: [UInt8]) -> Int? {
        let key: [UInt8] = Array("\"meta\":{".utf8)
        var depth = 0
        var i = 0
        var inString = false
        while i < compact.count {
            let b = compact[i]
            if inString {
                if b == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if b == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""):
                if depth == 1, compact.count - i >= key.count,
                    compact[i..<(i + key.count)].elementsEqual(key)
                {
                    return i + key.count - 1
                }
                inString = true
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The 1-based line and column of a byte offset, for build reports.
    public static func lineAndColumn<C: Collection>(of offset: Int, in bytes: C) -> (line: Int, column: Int)
    where C.Element == UInt8, C.Index == Int {
        var line = 1
        var column = 1
        var i = bytes.startIndex
        while i < min(bytes.startIndex + offset, bytes.endIndex) {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}

extension JSONBytes {
    /// Indents valid JSON by two spaces per level (`_pretty=true`), leaving strings and member
    /// order untouched; works on bytes, never decoding the document.
    public static func pretty(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 2)
        var depth = 0
        var strings = StringState()
        var pendingOpen = false  // just opened a container: a newline is due unless it closes at once
        func newline() {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }
        for b in input {
            let continuing = strings.inString
            if strings.isInString(b), continuing {
                out.append(b)
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: break
            }
            if pendingOpen {
                pendingOpen = false
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    out.append(b)
                    continue
                }
                newline()
            }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(b)
                depth += 1
                pendingOpen = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(b)
            case UInt8(ascii: ","):
                out.append(b)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            default:
                out.append(b)
            }
        }
        return out
    }
}

/// Whether each byte of JSON text is inside a string literal, escapes included.
struct StringState {
    private(set) var inString = false
    private var escaped = false

    /// Whether `b` belongs to a string (its quotes too), advancing the state.
    mutating func isInString(_ b: UInt8) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                inString = false
            }
            return true
        }
        if b == UInt8(ascii: "\"") {
            inString = true
            return true
        }
        return false
    }
}
