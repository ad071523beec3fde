import Foundation
import GRDB

/// Reads stored resources back: the `doc` row a resource points at, inflated with its
/// dictionary.
struct StoredDocuments: Sendable {
    let dictionaries: DocumentDictionaries

    /// Loads the index's dictionaries.
    ///
    ///     SELECT id, type, bytes FROM dictionary ORDER BY id
    static func load(_ db: Database) throws -> StoredDocuments {
        // Decoded with checks: a damaged file is an error, not a trap.
        let entries = try Row.fetchAll(db, sql: "SELECT id, type, bytes FROM dictionary ORDER BY id").map { row in
            DocumentDictionaries.Entry(
                id: try row.decode(atIndex: 0), type: try row.decode(atIndex: 1),
                bytes: [UInt8](try row.decode(Data.self, atIndex: 2)))
        }
        return StoredDocuments(dictionaries: DocumentDictionaries(entries))
    }

    /// The stored bytes of one resource.
    ///
    ///     SELECT dict, size, body FROM doc WHERE seq = ?
    func bytes(doc: Int64, _ db: Database) throws -> [UInt8] {
        let statement = try db.cachedStatement(sql: "SELECT dict, size, body FROM doc WHERE seq = ?")
        guard let row = try Row.fetchOne(statement, arguments: [doc]) else { return [] }
        return try inflate(row, dictionary: 0, size: 1, body: 2)
    }

    /// No stored resource is larger (the build refuses records over 16 MiB); a size past it
    /// means a damaged file.
    static let maximumSize = 64 << 20

    /// Inflates the body in column `body` of `row`.
    func inflate(_ row: Row, dictionary: Int, size: Int, body: Int) throws -> [UInt8] {
        let bytes = dictionaries.bytes(id: try row.decode(atIndex: dictionary))
        let size: Int = try row.decode(atIndex: size)
        guard (0...Self.maximumSize).contains(size) else {
            throw DocumentInflater.Failure(description: "a stored resource claims \(size) bytes; rebuild the index")
        }
        return try row.withUnsafeData(atIndex: body) { data in
            guard let data else { return [] }
            return try data.withUnsafeBytes { try DocumentInflater.inflate($0, size: size, dictionary: bytes) }
        }
    }
}
