import Foundation

/// A file written as it comes, a megabyte at a time.
final class PlainFileSink: LineSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw BulkPublisher.Failure(description: "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
        buffer = []
        try handle.synchronize()
        try handle.close()
    }
}
