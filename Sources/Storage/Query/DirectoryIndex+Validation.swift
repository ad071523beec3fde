import FHIRCore
import GRDB

extension DirectoryIndex {
    /// Why an index file that opened is still not fit to serve.
    public struct ValidationError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Checks the file beyond what opening it checks (format and registry): SQLite's structural
    /// check, the resource count in `meta` against the types', each type's count and rid range
    /// against the rows, and one stored resource of each
    /// type read back and parsed.
    ///
    ///     PRAGMA quick_check
    ///     SELECT count(*), min(rid), max(rid) FROM resource WHERE type = ?
    ///     SELECT id FROM resource WHERE rid = ?   -- the type's first, then read and parsed
    ///
    /// - Parameter structure: run `PRAGMA quick_check`, which reads every page (about a minute
    ///   for a national file); the other checks read a few pages per type.
    public func validate(structure: Bool = true) throws {
        try reader.read { db in
            if structure {
                let results = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard results == ["ok"] else {
                    throw ValidationError(
                        description: "\(path) is damaged: \(results.prefix(3).joined(separator: "; "))")
                }
            }
            let claimed = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'resources'")
            let total = types.values.reduce(0) { $0 + $1.count }
            guard claimed == String(total) else {
                throw ValidationError(
                    description:
                        "\(path): its types hold \(total) resources, but its meta table says \(claimed ?? "none")")
            }
            for (type, range) in types.sorted(by: { $0.key < $1.key }) {
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT count(*), min(rid), max(rid) FROM resource WHERE type = ?", arguments: [type])
                else { throw ValidationError(description: "\(path): cannot count \(type)") }
                let count: Int = try row.decode(atIndex: 0)
                let lo: Int64? = try row.decode(atIndex: 1)
                let hi: Int64? = try row.decode(atIndex: 2)
                guard count == range.count, count == 0 || (lo == range.lo && hi == range.hi) else {
                    throw ValidationError(
                        description: "\(path): \(type) has \(count) resources, but its file says \(range.count)")
                }
            }
        }
        for (type, range) in types.sorted(by: { $0.key < $1.key }) where range.count > 0 {
            let id = try reader.read { db in
                try String.fetchOne(db, sql: "SELECT id FROM resource WHERE rid = ?", arguments: [range.lo])
            }
            guard let id, let entry = try readSynchronously(type: type, id: id) else {
                throw ValidationError(description: "\(path): the first \(type) cannot be read")
            }
            let json: JSONValue
            do {
                json = try JSONParser.parse(entry)
            } catch {
                throw ValidationError(description: "\(path): \(type)/\(id) is not JSON: \(error)")
            }
            guard json["resourceType"]?.stringValue == type, json["id"]?.stringValue == id else {
                throw ValidationError(description: "\(path): \(type)/\(id) holds another resource")
            }
        }
    }

    /// The stored bytes of one resource, on the calling thread.
    func readSynchronously(type: String, id: String) throws -> [UInt8]? {
        try reader.read { [documents] db in
            let statement = try db.cachedStatement(sql: Self.readSQL)
            guard let row = try Row.fetchOne(statement, arguments: [type, id]) else { return nil }
            return try documents.inflate(row, dictionary: 0, size: 1, body: 2)
        }
    }
}
