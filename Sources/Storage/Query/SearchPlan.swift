import GRDB
import SearchParameters

/// The SQL for one search request, and the paging around it.
///
/// With the default sort (by id, which is rid order) the most selective clause leads: when it
/// is a single key prefix the page streams from that index in rid order, and the keyset
/// condition `rid > last` makes page 1000 cost what page 1 does.
struct SearchPlan {
    enum Key {
        case rid(Int64)
        case updated(Int64, String)
    }

    let request: SearchRequest
    let range: DirectoryIndex.TypeRange
    let predicates: [PredicateSQL]
    let driver: Int?

    init(request: SearchRequest, range: DirectoryIndex.TypeRange) {
        self.request = request
        self.range = range
        let predicates = request.clauses.map(PredicateSQL.compile)
        self.predicates = predicates
        self.driver = predicates.indices.filter { predicates[$0].canDrive }.min {
            (predicates[$0].rank, predicates[$0].ordered ? 0 : 1) < (predicates[$1].rank, predicates[$1].ordered ? 0 : 1)
        }
    }

    /// Builds `SELECT <columns> …` for a page in one direction, or for counting (`limit` nil).
    ///
    /// - Parameter forward: in the request's sort order (false: reversed, for `previous`).
    func sql(columns: String, forward: Bool, key: Key?, limit: Int?) -> (String, StatementArguments) {
        let ascending = forward != request.descending
        let direction = ascending ? "ASC" : "DESC"
        let comparison = ascending ? ">" : "<"
        var conditions: [String] = []
        var arguments = StatementArguments()
        var from = "resource r"
        var ridColumn = "r.rid"
        var order: String

        switch request.sort {
        case .id:
            if let driver, predicates[driver].ordered, let table = predicates[driver].table {
                // Stream from the value index: its rids arrive in order.
                from = "\(table) d JOIN resource r ON r.rid = d.rid"
                ridColumn = "d.rid"
                conditions.append(predicates[driver].condition)
                arguments += predicates[driver].arguments
            } else if let driver, let table = predicates[driver].table {
                conditions.append("r.rid IN (SELECT d.rid FROM \(table) d WHERE \(predicates[driver].condition))")
                arguments += predicates[driver].arguments
            }
            conditions.append("\(ridColumn) BETWEEN ? AND ?")
            arguments += [range.lo, range.hi]
            if case .rid(let rid) = key {
                conditions.append("\(ridColumn) \(comparison) ?")
                arguments += [rid]
            }
            order = "\(ridColumn) \(direction)"
        case .lastUpdated:
            conditions.append("r.type = ?")
            arguments += [request.resourceType]
            if case .updated(let updated, let id) = key {
                conditions.append("(r.last_updated, r.id) \(comparison) (?, ?)")
                arguments += [updated, id]
            }
            order = "r.last_updated \(direction), r.id \(direction)"
        }
        for (index, predicate) in predicates.enumerated() where index != driver || request.sort != .id {
            conditions.append(predicate.membership)
            arguments += predicate.arguments
        }
        var sql = "SELECT \(columns) FROM \(from) WHERE \(conditions.joined(separator: " AND "))"
        if let limit {
            sql += " ORDER BY \(order) LIMIT \(limit)"
        }
        return (sql, arguments)
    }

    func pageSQL(forward: Bool, key: Key?, limit: Int) -> (String, StatementArguments) {
        sql(columns: "r.rid, r.id, r.last_updated, r.json", forward: forward, key: key, limit: limit)
    }

    func run(_ db: Database) throws -> SearchPage {
        var total: Int?
        if request.wantsTotal || request.summaryCount {
            let (sql, arguments) = sql(columns: "count(*)", forward: true, key: nil, limit: nil)
            total = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
        if request.summaryCount || request.count == 0 {
            return SearchPage(entries: [], total: total)
        }
        let forward = request.cursor?.direction != .before
        let key = try request.cursor.map { try resolve($0, db) }
        let n = request.count
        var rows = try fetch(db, forward: forward, key: key, limit: n + 1)
        let more = rows.count > n
        rows = Array(rows.prefix(n))
        if !forward { rows.reverse() }
        var page = SearchPage(entries: rows.map(\.entry), total: total)
        if forward {
            if more, let last = rows.last { page.next = cursor(.after, last) }
            if request.cursor != nil, let first = rows.first,
                try !fetch(db, forward: false, key: first.key(request.sort), limit: 1).isEmpty
            {
                page.previous = cursor(.before, first)
            }
        } else {
            if more, let first = rows.first { page.previous = cursor(.before, first) }
            if let last = rows.last, try !fetch(db, forward: true, key: last.key(request.sort), limit: 1).isEmpty {
                page.next = cursor(.after, last)
            }
        }
        return page
    }

    struct FetchedRow {
        var rid: Int64
        var entry: SearchPage.Entry

        func key(_ sort: SearchRequest.SortField) -> Key {
            sort == .id ? .rid(rid) : .updated(entry.lastUpdated, entry.id)
        }
    }

    func fetch(_ db: Database, forward: Bool, key: Key?, limit: Int) throws -> [FetchedRow] {
        let (sql, arguments) = pageSQL(forward: forward, key: key, limit: limit)
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws in
            let json: [UInt8] = try row.withUnsafeData(atIndex: 3) { data in data.map { [UInt8]($0) } ?? [] }
            return FetchedRow(rid: row[0], entry: SearchPage.Entry(id: row[1], lastUpdated: row[2], json: json))
        }
    }

    func cursor(_ direction: PageCursor.Direction, _ row: FetchedRow) -> PageCursor {
        PageCursor(
            direction: direction, id: row.entry.id,
            lastUpdated: request.sort == .lastUpdated ? row.entry.lastUpdated : nil)
    }

    /// Turns a cursor (a logical id) into a key in this index. Rids follow id order, so the
    /// cursor still lands in the right place after a rebuild, even if its row is gone.
    func resolve(_ cursor: PageCursor, _ db: Database) throws -> Key {
        let forward = cursor.direction == .after
        let ascending = forward != request.descending
        switch request.sort {
        case .id:
            // One seek in the (type, id) index: rids follow id order, so the nearest id has the
            // nearest rid. (`max(rid) … WHERE id <= ?` would walk every earlier id.)
            if ascending {
                let rid = try Int64.fetchOne(
                    db, sql: "SELECT rid FROM resource WHERE type = ? AND id <= ? ORDER BY id DESC LIMIT 1",
                    arguments: [request.resourceType, cursor.id])
                return .rid(rid ?? range.lo - 1)
            }
            let rid = try Int64.fetchOne(
                db, sql: "SELECT rid FROM resource WHERE type = ? AND id >= ? ORDER BY id ASC LIMIT 1",
                arguments: [request.resourceType, cursor.id])
            return .rid(rid ?? range.hi + 1)
        case .lastUpdated:
            if let updated = cursor.lastUpdated { return .updated(updated, cursor.id) }
            let updated = try Int64.fetchOne(
                db, sql: "SELECT last_updated FROM resource WHERE type = ? AND id = ?",
                arguments: [request.resourceType, cursor.id])
            return .updated(updated ?? (ascending ? .min : .max), cursor.id)
        }
    }
}
