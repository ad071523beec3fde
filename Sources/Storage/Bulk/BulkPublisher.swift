import FHIRCore
import Foundation
import SearchParameters

/// Bulk Publish (Bulk Data 4.0.0 draft): an index written out as static NDJSON files and a
/// `manifest.json` that any web server or object store can host.
///
/// The folder is written under a temporary name beside the output and renamed into place
/// when complete, so a half-written publish is never visible under the final name. With
/// `since`, a `changes/` folder beside the full files holds only what changed after it (and
/// the deletions), with a partial manifest of its own that the full manifest links to as
/// `next`.
public enum BulkPublisher {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Options: Sendable {
        public var output: String
        /// Where the folder will be hosted: file URLs in the manifests start with it.
        public var baseURL: String
        /// Milliseconds: also write what changed after it.
        public var since: Int64?
        public var gzip: Bool
        public var partResources: Int

        public init(
            output: String, baseURL: String, since: Int64? = nil, gzip: Bool = false, partResources: Int = 100_000
        ) {
            self.output = output
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.since = since
            self.gzip = gzip
            self.partResources = partResources
        }
    }

    public struct Summary: Sendable {
        public var files = 0
        public var resources = 0
        /// Resources in `changes/`, and deletions listed there.
        public var changed = 0
        public var deleted = 0
        public var bytes: Int64 = 0
    }

    public static let manifestType = "http://hl7.org/fhir/uv/bulkdata/StructureDefinition/BulkPublishManifest"

    /// Writes the publish folder; `progress` gets a line per file.
    public static func publish(_ index: DirectoryIndex, _ options: Options, progress: (String) -> Void = { _ in })
        async throws -> Summary
    {
        let output = URL(fileURLWithPath: options.output).standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent.appendingPathComponent(".\(output.lastPathComponent).publishing-\(pid)")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var summary = Summary()
        do {
            let all = index.wholeExport
            let full = try await writeFiles(
                index, all, into: temporary, url: options.baseURL, options, &summary, progress)
            summary.resources = full.resources
            var links: [JSONValue] = []
            if let since = options.since {
                let folder = temporary.appendingPathComponent("changes")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var changes = all
                changes.since = since
                let url = options.baseURL + "/changes"
                let partial = try await writeFiles(index, changes, into: folder, url: url, options, &summary, progress)
                summary.changed = partial.resources
                let deletions = try await index.deletions(since: since, types: all.types)
                summary.deleted = deletions.count
                var deleted: [JSONValue] = []
                if !deletions.isEmpty {
                    let name = "deleted.ndjson" + (options.gzip ? ".gz" : "")
                    let sink = try sink(folder.appendingPathComponent(name).path, gzip: options.gzip)
                    let lines = DeletionBundle.lines(deletions.map { (type: $0.type, id: $0.id) })
                    for line in lines { try sink.write(line + [0x0A]) }
                    try sink.close()
                    summary.files += 1
                    deleted.append(entry(type: "Bundle", url: "\(url)/\(name)", count: lines.count))
                }
                try write(
                    manifest(index, output: partial.entries, deleted: deleted, links: []),
                    to: folder.appendingPathComponent("manifest.json"))
                links.append(
                    .object(
                        JSONObject([("relation", .string("next")), ("url", .string("\(url)/manifest.json"))])))
            }
            try write(
                manifest(index, output: full.entries, deleted: nil, links: links),
                to: temporary.appendingPathComponent("manifest.json"))
            try place(temporary, at: output)
            summary.bytes = folderBytes(output)
            return summary
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// One file per part of each type; returns their manifest entries and resource count.
    private static func writeFiles(
        _ index: DirectoryIndex, _ request: ExportRequest, into folder: URL, url: String, _ options: Options,
        _ summary: inout Summary, _ progress: (String) -> Void
    ) async throws -> (entries: [JSONValue], resources: Int) {
        var entries: [JSONValue] = []
        var resources = 0
        for type in request.types {
            for part in try await index.exportParts(request, type: type, partSize: options.partResources) {
                let name = "\(type)-\(part.number).ndjson" + (options.gzip ? ".gz" : "")
                let sink = try sink(folder.appendingPathComponent(name).path, gzip: options.gzip)
                var after: Int64?
                while let chunk = try await index.exportChunk(request, part: part, after: after, limit: 1000) {
                    try sink.write(chunk.ndjson)
                    after = chunk.last
                }
                try sink.close()
                entries.append(entry(type: type, url: "\(url)/\(name)", count: part.count))
                resources += part.count
                summary.files += 1
                progress("wrote \(folder.lastPathComponent)/\(name): \(part.count) resources")
            }
        }
        return (entries, resources)
    }

    static func sink(_ path: String, gzip: Bool) throws -> any LineSink {
        gzip ? try GzipFileSink(path: path) : try PlainFileSink(path: path)
    }

    public static func entry(type: String, url: String, count: Int) -> JSONValue {
        .object(JSONObject([("type", .string(type)), ("url", .string(url)), ("count", .number(String(count)))]))
    }

    public static func manifest(_ index: DirectoryIndex, output: [JSONValue], deleted: [JSONValue]?, links: [JSONValue])
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("manifestType", .string(manifestType)),
            // The index's build time: a later index stamps its changes with its own, later, one.
            ("transactionTime", .string(index.builtAt)),
            ("requiresAccessToken", .bool(false)),
            ("outputFormat", .string("application/fhir+ndjson")),
            ("output", .array(output)),
        ]
        if let deleted { members.append(("deleted", .array(deleted))) }
        if !links.isEmpty { members.append(("link", .array(links))) }
        members.append(("error", .array([])))
        return .object(JSONObject(members))
    }

    static func write(_ manifest: JSONValue, to url: URL) throws {
        try Data(JSONBytes.pretty(JSONWriter.encode(manifest)) + [0x0A]).write(to: url)
    }

    /// Renames the finished folder onto `output`; an earlier publish there is moved aside first
    /// and removed after, so the name never shows a half-written folder.
    static func place(_ folder: URL, at output: URL) throws {
        let manager = FileManager.default
        var aside: URL?
        if manager.fileExists(atPath: output.path) {
            let moved = output.deletingLastPathComponent().appendingPathComponent(
                ".\(output.lastPathComponent).replaced-\(ProcessInfo.processInfo.processIdentifier)")
            try? manager.removeItem(at: moved)
            guard rename(output.path, moved.path) == 0 else {
                throw Failure(description: "cannot move the earlier publish at \(output.path) aside: errno \(errno)")
            }
            aside = moved
        }
        guard rename(folder.path, output.path) == 0 else {
            let code = errno
            if let aside { _ = rename(aside.path, output.path) }
            throw Failure(description: "cannot move the publish into place at \(output.path): errno \(code)")
        }
        if let aside { try? manager.removeItem(at: aside) }
    }

    static func folderBytes(_ folder: URL) -> Int64 {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey])
        var total: Int64 = 0
        while let url = files?.nextObject() as? URL {
            total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        return total
    }
}
