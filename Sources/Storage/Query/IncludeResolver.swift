import GRDB
import SearchParameters

/// Finds the `_include` and `_revinclude` resources for one page of matches.
///
/// Includes apply to the matches; `:iterate` ones then apply again to what was included, until
/// nothing new turns up (at most `rounds` in all). Each resource appears once per page, and not
/// at all if it is already a match. References to resources outside the index find no row and
/// are skipped.
struct IncludeResolver {
    /// Rows per `IN (…)` list.
    static let chunk = 500

    typealias Source = (rid: Int64, type: String, id: String)

    let includes: [Include]
    let documents: StoredDocuments
    /// A page includes at most this many resources; beyond it the Bundle says it was cut short.
    let maximumIncluded: Int
    /// The first round and the `:iterate` rounds after it.
    let rounds: Int

    func resolve(matches: [Source], db: Database) throws -> (entries: [SearchPage.Entry], truncated: Bool) {
        var seen = Set(matches.map(\.rid))
        var entries: [SearchPage.Entry] = []
        var frontier = matches
        var active = includes
        for _ in 0..<rounds {
            var found: [Source] = []
            for include in active {
                // Rows already seen are skipped below, so at most that many more are fetched: one
                // past the room left tells a full page from a cut one.
                let limit = maximumIncluded - entries.count + 1 + seen.count
                for row in try fetch(include, from: frontier, limit: limit, db: db) {
                    guard seen.insert(row.rid).inserted else { continue }
                    if entries.count == maximumIncluded { return (entries, true) }
                    entries.append(row.entry)
                    found.append((row.rid, row.entry.type, row.entry.id))
                }
            }
            frontier = found
            active = includes.filter(\.iterate)
            if found.isEmpty || active.isEmpty { break }
        }
        return (entries, false)
    }

    /// The rows one include reaches from `frontier`, in chunks of at most `chunk` sources of one
    /// type (a reverse include looks its sources up by type and id).
    func fetch(_ include: Include, from frontier: [Source], limit: Int, db: Database) throws -> [SearchPlan.FetchedRow]
    {
        var rows: [SearchPlan.FetchedRow] = []
        let byType = Dictionary(grouping: frontier.filter { include.applies(to: $0.type) }, by: \.type)
        for (_, sources) in byType.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: sources.count, by: Self.chunk) {
                let slice = Array(sources[start..<min(start + Self.chunk, sources.count)])
                rows += try Row.fetchAll(db, SQLRequest(literal: Self.sql(include, slice, limit: limit))).map {
                    try SearchPlan.FetchedRow($0, documents, db)
                }
            }
        }
        return rows
    }

    /// Forwards, through the `(rid, pid)` index of `ref`:
    ///
    ///     SELECT t.… FROM ref c JOIN resource t ON t.type = c.ttype AND t.id = c.tid
    ///     WHERE c.pid = ? AND c.rid IN (…) [AND c.ttype = ?] GROUP BY t.rid ORDER BY t.rid LIMIT ?
    ///
    /// Backwards, through its `(pid, tid, ttype)` key:
    ///
    ///     SELECT s.… FROM ref c JOIN resource s ON s.rid = c.rid
    ///     WHERE c.pid = ? AND c.ttype = ? AND c.tid IN (…) GROUP BY s.rid ORDER BY s.rid LIMIT ?
    ///
    /// Grouped: many sources refer to one target (forty roles, one location), and the limit
    /// counts distinct resources, not references.
    static func sql(_ include: Include, _ sources: [Source], limit: Int) -> SQL {
        let columns: SQL = "x.rid, x.type, x.id, x.last_updated, x.doc"
        let pid = include.parameter.pid
        switch include.direction {
        case .forward:
            var sql: SQL = """
                SELECT \(columns) FROM ref c JOIN resource x ON x.type = c.ttype AND x.id = c.tid \
                WHERE c.pid = \(pid) AND c.rid IN \(sources.map(\.rid))
                """
            if let target = include.targetType { sql += " AND c.ttype = \(target)" }
            return sql + " GROUP BY x.rid ORDER BY x.rid LIMIT \(limit)"
        case .reverse:
            // The caller groups sources by type.
            return """
                SELECT \(columns) FROM ref c JOIN resource x ON x.rid = c.rid \
                WHERE c.pid = \(pid) AND c.ttype = \(sources[0].type) AND c.tid IN \(sources.map(\.id)) \
                GROUP BY x.rid ORDER BY x.rid LIMIT \(limit)
                """
        }
    }
}
