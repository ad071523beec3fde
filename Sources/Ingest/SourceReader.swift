import FHIRCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Walks the build inputs and hands each resource's bytes to a callback, one at a time.
///
/// NDJSON is read in fixed-size chunks; `.json` files are memory-mapped and Bundles are split
/// by skipping over their structure, so no input is ever held as a parsed tree in full.
public struct SourceReader {
    public struct InputError: Error, CustomStringConvertible {
        public var description: String
    }

    static let chunkSize = 1 << 20

    /// Expands folders (recursively) into `.ndjson` and `.json` files, sorted for determinism.
    public static func files(for inputs: [String]) throws -> [String] {
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

    /// The total size of `files` in bytes, for progress estimates.
    public static func totalBytes(of files: [String]) -> Int64 {
        files.reduce(into: Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??.int64Value
            total += size ?? 0
        }
    }

    /// Reads one file. `consumed` is told how many more bytes of the file have been read, so a
    /// caller can show progress through large inputs.
    public static func read(
        file: String, record: (SourceRecord) throws -> Void, issue: (SourceIssue) -> Void,
        consumed: (Int) -> Void = { _ in }
    ) throws {
        if file.hasSuffix(".ndjson") {
            try readLines(file: file, record: record, consumed: consumed)
        } else {
            try readJSONFile(file: file, record: record, issue: issue)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??.intValue
            consumed(size ?? 0)
        }
    }

    static func readLines(file: String, record: (SourceRecord) throws -> Void, consumed: (Int) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw InputError(description: "cannot open \(file)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            var count = line.count
            if count > 0 && line[count - 1] == 0x0D { count -= 1 }
            var blank = true
            for i in 0..<count where line[i] != 0x20 && line[i] != 0x09 {
                blank = false
                break
            }
            if blank { return }
            try record(SourceRecord(file: file, line: lineNumber, bytes: Array(line[0..<count])))
        }
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            consumed(chunk.count)
            pending.append(contentsOf: chunk)
            let start = try pending.withUnsafeBufferPointer { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                var start = 0
                // memchr finds the next newline far faster than a Swift loop over a slice.
                while start < buffer.count,
                    let hit = memchr(base + start, 0x0A, buffer.count - start)
                {
                    let newline = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    try emit(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                    start = newline + 1
                }
                return start
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty {
            try pending.withUnsafeBufferPointer { try emit($0) }
        }
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
                // Lines are counted on from the previous entry: a large Bundle is not rescanned
                // from its start for every entry.
                var line = 1
                var counted = 0
                for entry in entries {
                    for i in counted..<entry.lowerBound where bytes[i] == 0x0A { line += 1 }
                    counted = entry.lowerBound
                    try record(SourceRecord(file: file, line: line, bytes: Array(bytes[entry])))
                }
            }
        }
    }
}
