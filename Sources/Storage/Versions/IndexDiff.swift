import FHIRCore
import Foundation
import GRDB

/// What changed between two index files, by type: resources are compared by `(type, id)` and
/// their content digest (`resource.hash`), so a rebuild without `--previous` that only
/// restamped `meta.lastUpdated` shows no change either.
public enum IndexDiff {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Result: Sendable {
        public var byType: [String: ChangeCounts]
        /// The files written, when an output folder was given.
        public var files: [String]

        public var total: ChangeCounts { ChangeCounts.total(byType) }
    }

    /// Compares `old` with `new`; with `output`, writes each type's added and changed resources
    /// (as `new` stores them) to `Type.ndjson` and the removed ones to `deleted.ndjson` as Bulk
    /// Data deletion Bundles.
    ///
    ///     SELECT n.type, n.id, n.hash, n.doc, o.hash FROM resource n
    ///     LEFT JOIN old.resource o ON o.type = n.type AND o.id = n.id ORDER BY n.rid
    ///     SELECT o.type, o.id FROM old.resource o
    ///     WHERE NOT EXISTS (SELECT 1 FROM resource n WHERE n.type = o.type AND n.id = o.id) ORDER BY o.rid
    public static func run(old: String, new: String, output: String? = nil) throws -> Result {
        for path in [old, new] where !FileManager.default.fileExists(atPath: path) {
            throw Failure(description: "no index at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: DirectoryIndex.immutableURI(new), configuration: configuration)
            return try queue.inDatabase { db in
                try db.execute(sql: "ATTACH DATABASE ? AS old", arguments: [DirectoryIndex.immutableURI(old)])
                for (schema, path) in [("main", new), ("old", old)] {
                    guard try db.tableExists("meta", in: schema) else {
                        throw Failure(description: "\(path) is not a plandir index")
                    }
                    let format = try String.fetchOne(db, sql: "SELECT value FROM \(schema).meta WHERE key = 'format'")
                    guard format == IndexSchema.formatVersion else {
                        throw Failure(
                            description:
                                "\(path) has index format \(format ?? "?"); diff compares format \(IndexSchema.formatVersion) indexes"
                        )
                    }
                }
                return try compare(db, output: output)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot compare \(old) with \(new): \(error)")
        }
    }

    private static func compare(_ db: Database, output: String?) throws -> Result {
        let documents = try StoredDocuments.load(db)
        let folder = try output.map { try NDJSONFolder(path: $0) }
        var byType: [String: ChangeCounts] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT n.type, n.id, n.hash, n.doc, o.hash FROM resource n
                LEFT JOIN old.resource o ON o.type = n.type AND o.id = n.id ORDER BY n.rid
                """)
        while let row = try rows.next() {
            let type: String = try row.decode(atIndex: 0)
            let change: ResourceChange
            if let previous = try row.decode(Int64?.self, atIndex: 4) {
                change = previous == (try row.decode(Int64.self, atIndex: 2)) ? .unchanged : .changed
            } else {
                change = .added
            }
            byType[type, default: .init()].count(change)
            switch change {
            case .unchanged: continue
            case .added, .changed:
                try folder?.append(try documents.bytes(doc: try row.decode(atIndex: 3), db), to: type)
            }
        }
        var removed: [(type: String, id: String)] = []
        let gone = try Row.fetchCursor(
            db,
            sql: """
                SELECT o.type, o.id FROM old.resource o
                WHERE NOT EXISTS (SELECT 1 FROM resource n WHERE n.type = o.type AND n.id = o.id) ORDER BY o.rid
                """)
        while let row = try gone.next() {
            let deletion = (type: try row.decode(String.self, atIndex: 0), id: try row.decode(String.self, atIndex: 1))
            byType[deletion.type, default: .init()].removed += 1
            removed.append(deletion)
        }
        for line in DeletionBundle.lines(removed) { try folder?.append(line, to: "deleted") }
        return Result(byType: byType, files: try folder?.close() ?? [])
    }
}
