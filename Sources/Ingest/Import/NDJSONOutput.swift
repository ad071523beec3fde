import FHIRCore
import Foundation

/// `DIR/Type.ndjson`, one per resource type, appended through a buffer in the order resources
/// are made, so the same input gives the same bytes.
public final class NDJSONOutput {
    let folder: URL
    private var files: [String: FileHandle] = [:]
    private var buffers: [String: [UInt8]] = [:]

    public init(folder: String) throws {
        self.folder = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
    }

    /// Appends one resource (its type is `resourceType`).
    func write(_ resource: JSONValue) throws {
        guard let type = resource["resourceType"]?.stringValue else { return }
        // Appended in place: a copy taken out of the dictionary would be copied whole on write.
        buffers[type, default: []].append(contentsOf: JSONWriter.encode(resource))
        buffers[type]!.append(UInt8(ascii: "\n"))
        if buffers[type]!.count >= 1 << 20 {
            try handle(type).write(contentsOf: buffers[type]!)
            buffers[type]!.removeAll(keepingCapacity: true)
        }
    }

    private func handle(_ type: String) throws -> FileHandle {
        if let open = files[type] { return open }
        let url = folder.appendingPathComponent("\(type).ndjson")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: url.path)
        else { throw ImportError("cannot write \(url.path)") }
        files[type] = handle
        return handle
    }

    /// Writes what is buffered and closes every file.
    public func close() throws {
        for (type, buffer) in buffers where !buffer.isEmpty || files[type] == nil {
            try handle(type).write(contentsOf: buffer)
        }
        buffers.removeAll()
        for handle in files.values { try handle.close() }
        files.removeAll()
    }
}
