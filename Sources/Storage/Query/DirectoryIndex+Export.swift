import FHIRCore
import GRDB
import SearchParameters

extension DirectoryIndex {
    /// One file of a bulk export: the resources of `type` that an export selects within one
    /// window of the type's rid range. Windows are fixed, so a part is known by its number alone.
    public struct ExportPart: Sendable, Equatable {
        public var type: String
        /// From 1.
        public var number: Int
        public var lo: Int64
        public var hi: Int64
        /// The resources it holds.
        public var count: Int
    }

    /// An export of every type this index holds, unfiltered: what a Bulk Publish writes.
    public var wholeExport: ExportRequest {
        ExportRequest(types: registry.resourceTypes.filter { types[$0] != nil })
    }

    /// The parts of an export of `type`, each a window of `partSize` rids; windows the
    /// selection leaves empty are left out.
    ///
    ///     SELECT (r.rid - :lo) / :size, count(*) FROM resource r
    ///     WHERE r.rid BETWEEN :lo AND :hi AND <since and filters> GROUP BY 1
    public func exportParts(_ request: ExportRequest, type: String, partSize: Int) async throws -> [ExportPart] {
        guard let range = types[type], range.count > 0 else { return [] }
        let size = Int64(max(1, partSize))
        @Sendable func part(_ window: Int64, count: Int) -> ExportPart {
            let lo = range.lo + window * size
            return ExportPart(
                type: type, number: Int(window) + 1, lo: lo, hi: min(range.hi, lo + size - 1), count: count)
        }
        guard request.since != nil || request.filters[type] != nil else {
            let windows = (Int64(range.count) + size - 1) / size
            return (0..<windows).map { window in
                let lo = range.lo + window * size
                return part(window, count: Int(min(range.hi, lo + size - 1) - lo + 1))
            }
        }
        return try await reader.read { [systems] db in
            let condition = Self.exportCondition(request, type: type, systems: systems, db: db)
            let sql: SQL = """
                SELECT (r.rid - \(range.lo)) / \(size), count(*) FROM resource r
                WHERE r.rid BETWEEN \(range.lo) AND \(range.hi) AND \(condition) GROUP BY 1 ORDER BY 1
                """
            return try SQLRequest<Row>(literal: sql).fetchAll(db).map { row in
                part(try row.decode(atIndex: 0), count: try row.decode(atIndex: 1))
            }
        }
    }

    /// Up to `limit` resources of `part` after rid `after`, as NDJSON lines (each stored
    /// document and a newline), and the last rid read; nil when the part is done.
    ///
    ///     SELECT r.rid, d.dict, d.size, d.body FROM resource r JOIN doc d ON d.seq = r.doc
    ///     WHERE r.rid BETWEEN :after + 1 AND :hi AND <since and filters> ORDER BY r.rid LIMIT :limit
    public func exportChunk(_ request: ExportRequest, part: ExportPart, after: Int64?, limit: Int) async throws
        -> (ndjson: [UInt8], last: Int64)?
    {
        try await reader.read { [documents, systems] db in
            let condition = Self.exportCondition(request, type: part.type, systems: systems, db: db)
            let low = max(part.lo, (after ?? part.lo - 1) + 1)
            let sql: SQL = """
                SELECT r.rid, d.dict, d.size, d.body FROM resource r JOIN doc d ON d.seq = r.doc
                WHERE r.rid BETWEEN \(low) AND \(part.hi) AND \(condition) ORDER BY r.rid LIMIT \(limit)
                """
            let rows = try Row.fetchCursor(db, SQLRequest<Row>(literal: sql))
            var ndjson: [UInt8] = []
            var last: Int64?
            while let row = try rows.next() {
                ndjson += try documents.inflate(row, dictionary: 1, size: 2, body: 3)
                ndjson.append(0x0A)
                last = try row.decode(atIndex: 0)
            }
            return last.map { (ndjson, $0) }
        }
    }

    /// `_since` and the type's `_typeFilter`s (ORed, each its clauses ANDed) as a condition on
    /// the resource alias `r`.
    static func exportCondition(_ request: ExportRequest, type: String, systems: TokenSystems, db: Database) -> SQL {
        var conditions: [SQL] = []
        if let since = request.since { conditions.append("r.last_updated > \(since)") }
        if let filters = request.filters[type], !filters.isEmpty {
            let context = PredicateSQL.Context(systems: systems, db: db)
            let alternatives: [SQL] = filters.map { filter in
                let clauses = filter.clauses.map { PredicateSQL.compile($0, outer: "r", context: context).membership }
                return clauses.isEmpty ? "1" : "(\(clauses.joined(separator: " AND ")))"
            }
            conditions.append("(\(alternatives.joined(separator: " OR ")))")
        }
        return conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
    }
}
