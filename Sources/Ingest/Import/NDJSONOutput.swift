import FHIRCore
import Foundation

/// `DIR/Type.ndjson`, one per resource type, appended through a buffer in the order resources
/// are made, so the same input gives the same bytes.
///
/// Files are written as `.Type.ndjson.partial` and renamed into place by `close()`, which also
/// removes the `*.ndjson` an earlier import left in DIR: a refresh job then indexes exactly this
/// import, never a half-written file or a type the source no longer has. An import that fails
/// leaves DIR's NDJSON as it was (`discard()` removes the partial files).
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
        let url = folder.appendingPathComponent(".\(type).ndjson.partial")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: url.path)
        else { throw ImportError("cannot write \(url.path)") }
        files[type] = handle
        return handle
    }

    /// Writes what is buffered, closes every file, and puts the new files in place of DIR's old
    /// NDJSON.
    public func close() throws {
        for (type, buffer) in buffers where !buffer.isEmpty || files[type] == nil {
            try handle(type).write(contentsOf: buffer)
        }
        buffers.removeAll()
        for handle in files.values { try handle.close() }
        let written = Set(files.keys.map { "\($0).ndjson" })
        files.removeAll()
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".ndjson") && !name.hasPrefix(".") && !written.contains(name) {
            try manager.removeItem(at: folder.appendingPathComponent(name))
        }
        for name in written.sorted() {
            let final = folder.appendingPathComponent(name)
            let partial = folder.appendingPathComponent(".\(name).partial")
            // rename(2) replaces an existing file in one step.
            guard rename(partial.path, final.path) == 0 else {
                throw ImportError("cannot rename \(partial.path) to \(final.path): errno \(errno)")
            }
        }
    }

    /// Removes the partial files of an import that failed.
    public func discard() {
        for handle in files.values { try? handle.close() }
        for type in files.keys {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(".\(type).ndjson.partial"))
        }
        files.removeAll()
        buffers.removeAll()
    }
}
