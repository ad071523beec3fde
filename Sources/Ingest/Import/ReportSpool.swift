import Foundation

/// Lines of an import report: held in memory up to a megabyte, then appended to a temporary
/// file, so a report's size does not become the import's memory.
struct ReportSpool: Sendable {
    static let memoryLimit = 1 << 20

    private(set) var buffer: [UInt8] = []
    /// The temporary file holding what was spilled, once anything was.
    private(set) var spill: String?

    mutating func append(_ line: [UInt8]) {
        buffer += line
        guard buffer.count >= Self.memoryLimit else { return }
        // A report that cannot spill keeps its lines in memory rather than losing them.
        if (try? flush()) != nil { buffer.removeAll(keepingCapacity: true) }
    }

    private mutating func flush() throws {
        let path =
            spill
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("plandir-report-\(UUID().uuidString)")
        if spill == nil {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ImportError("cannot create \(path)")
            }
            spill = path
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ImportError("cannot open \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: buffer)
    }

    /// Everything appended, in order.
    func contents() throws -> [UInt8] {
        guard let spill else { return buffer }
        return Array(try Data(contentsOf: URL(fileURLWithPath: spill))) + buffer
    }

    /// Appends everything to `handle` in megabyte pieces.
    func copy(to handle: FileHandle) throws {
        if let spill, let source = FileHandle(forReadingAtPath: spill) {
            defer { try? source.close() }
            while let piece = try source.read(upToCount: Self.memoryLimit), !piece.isEmpty {
                try handle.write(contentsOf: piece)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    func discard() {
        if let spill { try? FileManager.default.removeItem(atPath: spill) }
    }
}
