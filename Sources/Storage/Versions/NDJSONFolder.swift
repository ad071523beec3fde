import Foundation

/// NDJSON files in one folder, one per name (`Name.ndjson`), each written through a buffer.
final class NDJSONFolder {
    private let url: URL
    private var files: [String: FileHandle] = [:]
    private var buffers: [String: [UInt8]] = [:]
    private var order: [String] = []
    static let bufferBytes = 1 << 20

    init(path: String) throws {
        url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Appends one line.
    func append(_ line: [UInt8], to name: String) throws {
        if files[name] == nil {
            let file = url.appendingPathComponent("\(name).ndjson")
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw IndexDiff.Failure(description: "cannot create \(file.path)")
            }
            files[name] = try FileHandle(forWritingTo: file)
            order.append(name)
        }
        buffers[name, default: []].append(contentsOf: line)
        buffers[name, default: []].append(0x0A)
        if buffers[name, default: []].count >= Self.bufferBytes { try flush(name) }
    }

    private func flush(_ name: String) throws {
        guard let file = files[name], let buffer = buffers[name], !buffer.isEmpty else { return }
        try file.write(contentsOf: buffer)
        buffers[name] = []
    }

    /// Flushes and closes every file; returns their paths in the order they were started.
    func close() throws -> [String] {
        for name in order {
            try flush(name)
            try files[name]?.close()
        }
        files = [:]
        return order.map { url.appendingPathComponent("\($0).ndjson").path }
    }
}
