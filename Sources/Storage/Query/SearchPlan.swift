import GRDB
import SearchParameters

/// The SQL for one search request, and the paging around it.
///
/// With the default sort (by id, which is rid order) one clause leads. Each clause that an
/// index can answer is probed for its first `probeLimit` candidates; the smallest leads. A
/// single key prefix (one token, one typed reference) streams from its index in rid order, so
/// the keyset condition `rid > last` makes page 1000 cost what page 1 does. A small unordered
/// set is read whole and sorted. When every clause matches many rows and none streams, the
/// type's rid range is walked with membership tests: with that many matches a page is found
/// within a bounded number of rows.
struct SearchPlan {
    enum Key {
        case rid(Int64)
        case updated(Int64, String)
        /// Nearest first: the distance in km and the id.
        case distance(Double, String)
    }

    enum Driver: Equatable {
        /// Walk the type's rows in order, testing every clause.
        case scan
        /// Stream from predicate i's ordered index.
        case ordered(Int)
        /// Read predicate i's candidates, then sort.
        case candidates(Int)
    }

    /// Probing stops counting here: beyond it a clause is "large".
    static let probeLimit = 1000

    let request: SearchRequest
    let range: DirectoryIndex.TypeRange
    let predicates: [PredicateSQL]
    let driver: Driver
    let documents: StoredDocuments
    /// Nearest first (`SearchRequest.nearest`): the `(rid, d)` rows of the matches of that
    /// clause with their distances (`PredicateSQL.nearest`). They lead, and order, the query.
    let nearest: SQL?

    init(
        request: SearchRequest, range: DirectoryIndex.TypeRange, estimates: EstimateCache, documents: StoredDocuments,
        systems: TokenSystems, db: Database
    ) throws {
        self.request = request
        self.range = range
        self.documents = documents
        let context = PredicateSQL.Context(systems: systems, db: db)
        let predicates = request.clauses.map { PredicateSQL.compile($0, outer: "r", context: context) }
        self.predicates = predicates
        if let index = request.nearest, let nearest = PredicateSQL.nearest(request.clauses[index], context: context) {
            self.nearest = nearest
            self.driver = .scan
        } else {
            self.nearest = nil
            self.driver = try Self.chooseDriver(predicates, estimates: estimates, db: db)
        }
    }

    static func chooseDriver(_ predicates: [PredicateSQL], estimates: EstimateCache, db: Database) throws -> Driver {
        let drivable = predicates.indices.filter { predicates[$0].candidates != nil }
        if drivable.isEmpty { return .scan }
        if predicates.count == 1 && predicates[0].ordered != nil { return .ordered(0) }
        var best = drivable[0]
        var bestCount = Int.max
        for i in drivable {
            let probe: SQL = "SELECT count(*) FROM (\(predicates[i].candidates!) LIMIT \(sql: String(probeLimit)))"
            let (sql, arguments) = try probe.build(db)
            let count = try estimates.count(sql: sql, arguments: arguments) {
                try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            }
            if count < bestCount
                || (count == bestCount && predicates[i].ordered != nil && predicates[best].ordered == nil)
            {
                best = i
                bestCount = count
            }
        }
        if predicates[best].ordered != nil { return .ordered(best) }
        if bestCount < probeLimit { return .candidates(best) }
        if let streaming = drivable.first(where: { predicates[$0].ordered != nil }) { return .ordered(streaming) }
        return .scan
    }

    /// Builds `SELECT <columns> …` for a page in one direction, or for counting (`limit` nil).
    ///
    /// - Parameter forward: in the request's sort order (false: reversed, for `previous`).
    func sql(columns: String, forward: Bool, key: Key?, limit: Int?) -> SQL {
        if let nearest { return nearestSQL(nearest, columns: columns, forward: forward, key: key, limit: limit) }
        let ascending = forward != request.descending
        let direction = ascending ? "ASC" : "DESC"
        let comparison = ascending ? ">" : "<"
        var conditions: [SQL] = []
        var from = "resource r"
        var ridColumn = "r.rid"
        var order: String
        var tested = Set(predicates.indices)
        var isCandidates = false
        if case .candidates = driver { isCandidates = true }

        switch request.sort {
        case .id:
            switch driver {
            case .ordered(let i):
                // Stream from the value index: its rids arrive in order.
                let source = predicates[i].ordered!
                from = "\(source.table) \(source.alias) JOIN resource r ON r.rid = \(source.alias).rid"
                ridColumn = "\(source.alias).rid"
                conditions.append(source.condition)
                if source.exact { tested.remove(i) }
            case .candidates(let i):
                conditions.append("r.rid IN (\(predicates[i].candidates!))")
                tested.remove(i)
            case .scan:
                break
            }
            // One lower and one upper bound, never two of either: with bound parameters SQLite
            // cannot tell which of two is tighter, takes the first, and walks from the type's
            // first (or last) rid to the cursor. That made page 500 of a national index cost 25
            // times page 1.
            var low = range.lo
            var high = range.hi
            if case .rid(let rid) = key {
                if ascending { low = max(low, rid + 1) } else { high = min(high, rid - 1) }
            }
            // Leading with candidates, the `+` keeps SQLite from walking the type's whole rid
            // range: it looks up each candidate instead, in order.
            conditions.append("\(sql: isCandidates ? "+" : "")\(sql: ridColumn) BETWEEN \(low) AND \(high)")
            order = "\(ridColumn) \(direction)"
        case .lastUpdated:
            if case .candidates(let i) = driver {
                conditions.append("r.rid IN (\(predicates[i].candidates!))")
                tested.remove(i)
            }
            conditions.append("\(sql: isCandidates ? "+" : "")r.type = \(request.resourceType)")
            if case .updated(let updated, let id) = key {
                conditions.append("(r.last_updated, r.id) \(sql: comparison) (\(updated), \(id))")
            }
            order = "r.last_updated \(direction), r.id \(direction)"
        }
        for index in tested.sorted() {
            conditions.append(predicates[index].membership)
        }
        var sql: SQL = "SELECT \(sql: columns) FROM \(sql: from) WHERE \(conditions.joined(separator: " AND "))"
        if let limit {
            sql += " ORDER BY \(sql: order) LIMIT \(sql: String(limit))"
        }
        return sql
    }

    /// Nearest first, then by id: the matches of the ordering clause with their distances
    /// lead, every other clause is tested on them, and the page seeks past `(distance, id)`.
    /// Every page ranks the whole circle, which `--max-near-km` bounds.
    ///
    ///     SELECT r.…, n.d FROM (<(rid, d) within the circle>) n JOIN resource r ON r.rid = n.rid
    ///     WHERE r.rid BETWEEN ? AND ? AND <other clauses> AND (n.d, r.id) > (?, ?)
    ///     ORDER BY n.d, r.id LIMIT ?
    func nearestSQL(_ nearest: SQL, columns: String, forward: Bool, key: Key?, limit: Int?) -> SQL {
        var conditions: [SQL] = ["r.rid BETWEEN \(range.lo) AND \(range.hi)"]
        for (index, predicate) in predicates.enumerated() where index != request.nearest {
            conditions.append(predicate.membership)
        }
        if case .distance(let distance, let id) = key {
            conditions.append("(n.d, r.id) \(sql: forward ? ">" : "<") (\(distance), \(id))")
        }
        var sql: SQL = """
            SELECT \(sql: columns) FROM (\(nearest)) n JOIN resource r ON r.rid = n.rid \
            WHERE \(conditions.joined(separator: " AND "))
            """
        if let limit {
            let direction = forward ? "ASC" : "DESC"
            sql += " ORDER BY n.d \(sql: direction), r.id \(sql: direction) LIMIT \(sql: String(limit))"
        }
        return sql
    }

    func pageSQL(forward: Bool, key: Key?, limit: Int) -> SQL {
        sql(
            columns: "r.rid, r.type, r.id, r.last_updated, r.doc\(nearest == nil ? "" : ", n.d")", forward: forward,
            key: key, limit: limit)
    }

    /// One page, then its total if asked for. The total comes last so that, past the
    /// deadline, a `_total=accurate` page is still answered, without it.
    func run(_ db: Database, deadline: QueryDeadline) throws -> SearchPage {
        // `_count=0` asks "how many" (as R5 and HAPI answer it): the total, no entries.
        if request.summaryCount || request.count == 0 {
            return SearchPage(entries: [], total: try deadline.guarding { try count(db) })
        }
        var page = try deadline.guarding { try matches(db) }
        if request.wantsTotal {
            do {
                page.total = try deadline.guarding { try count(db) }
            } catch is QueryTimeout {
                page.totalOmitted = true
            }
        }
        return page
    }

    /// `SELECT count(*) …` over every match.
    func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, SQLRequest(literal: sql(columns: "count(*)", forward: true, key: nil, limit: nil))) ?? 0
    }

    /// The page of matches with its includes and cursors.
    func matches(_ db: Database) throws -> SearchPage {
        if request.relevance,
            let content = request.clauses.firstIndex(where: {
                if case .content = $0.condition { true } else { false }
            })
        {
            return try withIncludes(try relevancePage(db, content: content), db)
        }
        let forward = request.cursor?.direction != .before
        let key = try request.cursor.map { try resolve($0, db) }
        let n = request.count
        var rows = try fetch(db, forward: forward, key: key, limit: n + 1)
        let more = rows.count > n
        rows = Array(rows.prefix(n))
        if !forward { rows.reverse() }
        var page = SearchPage(entries: rows.map(\.entry))
        page.rids = rows.map(\.rid)
        if forward {
            if more, let last = rows.last { page.next = cursor(.after, last) }
            // Nearest first, the cursor's own row precedes this page, so there is a previous one;
            // asking would rank the whole circle a second time.
            if request.cursor != nil, let first = rows.first,
                try nearest != nil || !fetch(db, forward: false, key: first.key(request.sort), limit: 1).isEmpty
            {
                page.previous = cursor(.before, first)
            }
        } else {
            if more, let first = rows.first { page.previous = cursor(.before, first) }
            if let last = rows.last, try !fetch(db, forward: true, key: last.key(request.sort), limit: 1).isEmpty {
                page.next = cursor(.after, last)
            }
        }
        return try withIncludes(page, db)
    }

    func withIncludes(_ page: SearchPage, _ db: Database) throws -> SearchPage {
        guard !request.includes.isEmpty else { return page }
        var page = page
        let resolver = IncludeResolver(
            includes: request.includes, documents: documents, maximumIncluded: request.limits.included,
            rounds: 1 + request.limits.iterateDepth)
        let included = try resolver.resolve(
            matches: zip(page.rids, page.entries).map { ($0, $1.type, $1.id) }, db: db)
        page.included = included.entries
        page.includesTruncated = included.truncated
        return page
    }

    /// Best `_content` matches first (FTS5's bm25 rank, then rid), paged by offset: the rank
    /// order has no key to seek to, and the whole match set is ranked for any page anyway.
    ///
    ///     SELECT r.… FROM fts JOIN resource r ON r.rid = fts.rowid
    ///     WHERE fts MATCH ? AND r.rid BETWEEN ? AND ? AND <other clauses>
    ///     ORDER BY fts.rank, r.rid LIMIT ? OFFSET ?
    func relevancePage(_ db: Database, content: Int) throws -> SearchPage {
        // No words: no matches (`PredicateSQL` compiles such a clause to "0").
        guard case .content(let text) = request.clauses[content].condition,
            let pattern = FTS5Pattern(matchingAllPrefixesIn: text)
        else { return SearchPage(entries: []) }
        let offset = request.cursor?.direction == .offset ? max(0, Int(request.cursor?.lastUpdated ?? 0)) : 0
        var conditions: [SQL] = ["fts MATCH \(pattern)", "r.rid BETWEEN \(range.lo) AND \(range.hi)"]
        for (index, predicate) in predicates.enumerated() where index != content {
            conditions.append(predicate.membership)
        }
        let n = request.count
        let sql: SQL = """
            SELECT r.rid, r.type, r.id, r.last_updated, r.doc FROM fts JOIN resource r ON r.rid = fts.rowid \
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY fts.rank, r.rid LIMIT \(n + 1) OFFSET \(offset)
            """
        var rows = try Row.fetchAll(db, SQLRequest(literal: sql)).map { try FetchedRow($0, documents, db) }
        let more = rows.count > n
        rows = Array(rows.prefix(n))
        var page = SearchPage(entries: rows.map(\.entry))
        page.rids = rows.map(\.rid)
        if more, let last = rows.last {
            page.next = PageCursor(direction: .offset, id: last.entry.id, lastUpdated: Int64(offset + n))
        }
        if offset > 0, let first = rows.first {
            page.previous = PageCursor(direction: .offset, id: first.entry.id, lastUpdated: Int64(max(0, offset - n)))
        }
        return page
    }

    struct FetchedRow {
        var rid: Int64
        var entry: SearchPage.Entry

        /// From `rid, type, id, last_updated, doc`, with the stored bytes that `doc` names. The
        /// bytes are read only for the rows a query returned, after it has run.
        init(_ row: Row, _ documents: StoredDocuments, _ db: Database) throws {
            rid = try row.decode(atIndex: 0)
            entry = SearchPage.Entry(
                type: try row.decode(atIndex: 1), id: try row.decode(atIndex: 2),
                lastUpdated: try row.decode(atIndex: 3),
                json: try documents.bytes(doc: try row.decode(atIndex: 4), db),
                distance: row.count > 5 ? try row.decode(atIndex: 5) : nil)
        }

        func key(_ sort: SearchRequest.SortField) -> Key {
            if let distance = entry.distance { return .distance(distance, entry.id) }
            return sort == .id ? .rid(rid) : .updated(entry.lastUpdated, entry.id)
        }
    }

    func fetch(_ db: Database, forward: Bool, key: Key?, limit: Int) throws -> [FetchedRow] {
        return try Row.fetchAll(db, SQLRequest(literal: pageSQL(forward: forward, key: key, limit: limit))).map {
            row throws in
            try FetchedRow(row, documents, db)
        }
    }

    func cursor(_ direction: PageCursor.Direction, _ row: FetchedRow) -> PageCursor {
        PageCursor(
            direction: direction, id: row.entry.id,
            lastUpdated: request.sort == .lastUpdated && row.entry.distance == nil ? row.entry.lastUpdated : nil,
            distance: row.entry.distance)
    }

    /// Turns a cursor (a logical id) into a key in this index. Rids follow id order, so the
    /// cursor still lands in the right place after a rebuild, even if its row is gone.
    func resolve(_ cursor: PageCursor, _ db: Database) throws -> Key {
        let forward = cursor.direction == .after
        let ascending = forward != request.descending
        if nearest != nil {
            // A link made without a distance (not one this server wrote) starts at the edge.
            return .distance(cursor.distance ?? (forward ? -1 : .infinity), cursor.id)
        }
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
