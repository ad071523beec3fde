import FHIRCore
import Foundation

/// Walks the build inputs and hands each resource's bytes to a callback, one at a time.
///
/// NDJSON is read in fixed-size chunks; `.json` files are memory-mapped and Bundles are split
/// by skipping over their structure, so no input is ever held as a parsed tree in full.
struct SourceReader {
    struct InputError: Error, CustomStringConvertible {
        var description: String
    }

    static let chunkSize = 1 << 20

    /// Expands folders (recursively) into `.ndjson` and `.json` files, sorted for determinism.
    static func files(for inputs: [String]) throws -> [String] {
        var result: [String] = []
        let fm = FileManager.default
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw InputError(description: "input not found: \(input)")
            }
            if isDirectory.boolValue {
                guard let walker = fm.enumerator(atPath: input) else {
                    throw InputError(description: "cannot read folder: \(input)")
                }
                var found: [String] = []
                for case let relative as String in walker
                where relative.hasSuffix(".ndjson") || relative.hasSuffix(".json") {
                    found.append((input as NSString).appendingPathComponent(relative))
                }
                result.append(contentsOf: found.sorted())
            } else {
                result.append(input)
            }
        }
        return result
    }

    static func read(
        file: String, record: (SourceRecord) throws -> Void, issue: (SourceIssue) -> Void
    ) throws {
        if file.hasSuffix(".ndjson") {
            try readLines(file: file, record: record)
        } else {
            try readJSONFile(file: file, record: record, issue: issue)
        }
    }

    static func readLines(file: String, record: (SourceRecord) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw InputError(description: "cannot open \(file)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        func emit(_ line: ArraySlice<UInt8>) throws {
            lineNumber += 1
            var slice = line
            if slice.last == 0x0D { slice = slice.dropLast() }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            try record(SourceRecord(file: file, line: lineNumber, bytes: Array(slice)))
        }
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { try emit(pending[...]) }
    }

    static func readJSONFile(
        file: String, record: (SourceRecord) throws -> Void, issue: (SourceIssue) -> Void
    ) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
        } catch {
            throw InputError(description: "cannot read \(file): \(error.localizedDescription)")
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var splitter = BundleSplitter(bytes: bytes)
            let found: BundleSplitter.Result
            do throws(JSONParser.Failure) {
                found = try splitter.split()
            } catch {
                let at = JSONBytes.lineAndColumn(of: error.offset, in: bytes)
                issue(
                    SourceIssue(
                        severity: .rejected, file: file, line: at.line,
                        reason: "invalid JSON: \(error.reason) (line \(at.line), column \(at.column))"))
                return
            }
            switch found {
            case .resource:
                try record(SourceRecord(file: file, line: 1, bytes: Array(bytes)))
            case .bundle(let entries):
                for entry in entries {
                    let line = JSONBytes.lineAndColumn(of: entry.lowerBound, in: bytes).line
                    try record(SourceRecord(file: file, line: line, bytes: Array(bytes[entry])))
                }
            }
        }
    }
}

/// Finds the `entry[].resource` byte ranges of a Bundle without building its tree.
struct BundleSplitter {
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
