import Foundation
import GRDB

/// The index a `--previous` build compares with: looked up by every build core for the records
/// it prepares, and read once more after the load for what disappeared.
///
/// Its dictionaries carry over into the new index under the same ids, so the stored document
/// of an unchanged resource is copied as it is, still deflated: its bytes, and the ETag of a
/// read, stay the same, and the build skips its compression.
final class PreviousIndex: Sendable {
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    struct Key: Sendable {
        var type: String
        var id: String
        var hash: Int64
    }

    let path: String
    let version: String
    let dictionaries: DocumentDictionaries
    private let reader: DatabasePool

    init(path: String, readers: Int) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OpenError(description: "no previous index at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.maximumReaderCount = max(1, readers)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1; PRAGMA cache_size = -16384") }
        self.path = path
        do {
            reader = try DatabasePool(path: DirectoryIndex.immutableURI(path), configuration: configuration)
            (version, dictionaries) = try reader.read { db in
                guard try db.tableExists("meta") else {
                    throw OpenError(description: "\(path) is not a plandir index")
                }
                let meta = try DirectoryIndex.meta(db)
                guard meta["format"] == IndexSchema.formatVersion else {
                    throw OpenError(
                        description:
                            "the previous index \(path) has format \(meta["format"] ?? "?"), this build writes \(IndexSchema.formatVersion): build once without --previous"
                    )
                }
                return (meta["version"] ?? "0", try StoredDocuments.load(db).dictionaries)
            }
        } catch let error as OpenError {
            throw error
        } catch {
            throw OpenError(description: "cannot read the previous index \(path): \(error)")
        }
    }

    /// What the previous index holds for each key, in order: one read transaction for a chunk
    /// of records.
    ///
    ///     SELECT r.hash, r.version, r.last_updated, d.dict, d.size, d.body
    ///     FROM resource r JOIN doc d ON d.seq = r.doc WHERE r.type = ? AND r.id = ?
    ///     SELECT version FROM deleted WHERE type = ? AND id = ?
    func lookup(_ keys: [Key]) throws -> [PriorVersion] {
        try reader.read { db in
            let current = try db.cachedStatement(
                sql: """
                    SELECT r.hash, r.version, r.last_updated, d.dict, d.size, d.body
                    FROM resource r JOIN doc d ON d.seq = r.doc WHERE r.type = ? AND r.id = ?
                    """)
            let deleted = try db.cachedStatement(sql: "SELECT version FROM deleted WHERE type = ? AND id = ?")
            return try keys.map { key -> PriorVersion in
                if let row = try Row.fetchOne(current, arguments: [key.type, key.id]) {
                    let version: Int64 = try row.decode(atIndex: 1)
                    guard try row.decode(Int64.self, atIndex: 0) == key.hash else { return .changed(version: version) }
                    let body = try row.withUnsafeData(atIndex: 5) { data in data.map { [UInt8]($0) } ?? [] }
                    return .unchanged(
                        version: version, lastUpdated: try row.decode(atIndex: 2),
                        dictionary: try row.decode(atIndex: 3),
                        size: try row.decode(atIndex: 4), body: body)
                }
                if let version = try Int64.fetchOne(deleted, arguments: [key.type, key.id]) {
                    return .deleted(version: version)
                }
                return .absent
            }
        }
    }
}
