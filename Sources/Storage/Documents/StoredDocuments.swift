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
        let entries = try Row.fetchAll(db, sql: "SELECT id, type, bytes FROM dictionary ORDER BY id").map { row in
            DocumentDictionaries.Entry(id: row[0], type: row[1], bytes: [UInt8](row[2] as Data))
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

    /// Inflates the body in column `body` of `row`.
    func inflate(_ row: Row, dictionary: Int, size: Int, body: Int) throws -> [UInt8] {
        let bytes = dictionaries.bytes(id: row[dictionary])
        let size: Int = row[size]
        return try row.withUnsafeData(atIndex: body) { data in
            guard let data else { return [] }
            return try data.withUnsafeBytes { try DocumentInflater.inflate($0, size: size, dictionary: bytes) }
        }
    }
}
