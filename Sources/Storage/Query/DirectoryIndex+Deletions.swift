import GRDB

extension DirectoryIndex {
    /// A resource a `--previous` build found gone, kept for `--keep-deletions`.
    public struct Deletion: Sendable, Equatable {
        public var type: String
        public var id: String
        /// Its last `meta.versionId` (0: none).
        public var version: Int64
        /// The build time of the build that found it gone, in milliseconds.
        public var deletedAt: Int64

        public init(type: String, id: String, version: Int64, deletedAt: Int64) {
            self.type = type
            self.id = id
            self.version = version
            self.deletedAt = deletedAt
        }
    }

    /// The recorded deletions of `types` (all when nil) after `since` (all when nil), by type
    /// and id.
    ///
    ///     SELECT type, id, version, deleted_at FROM deleted WHERE deleted_at > ? ORDER BY type, id
    public func deletions(since: Int64? = nil, types: [String]? = nil) async throws -> [Deletion] {
        try await reader.read { db in
            let sql: SQL = """
                SELECT type, id, version, deleted_at FROM deleted
                WHERE deleted_at > \(since ?? Int64.min) ORDER BY type, id
                """
            let rows = try SQLRequest<Row>(literal: sql).fetchAll(db)
            return try rows.compactMap { row in
                let deletion = Deletion(
                    type: try row.decode(atIndex: 0), id: try row.decode(atIndex: 1),
                    version: try row.decode(atIndex: 2),
                    deletedAt: try row.decode(atIndex: 3))
                return types.map { $0.contains(deletion.type) } ?? true ? deletion : nil
            }
        }
    }
}
