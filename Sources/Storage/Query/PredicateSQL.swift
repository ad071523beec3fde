import FHIRCore
import GRDB
import SearchParameters

/// SQL for one search clause, in the shapes a plan combines.
///
/// - `membership`: a boolean over the resource alias given to `compile` (`EXISTS …`), for
///   testing rows that some other clause produced.
/// - `candidates`: `SELECT rid …` straight from an index, for leading a query.
/// - `ordered`: a single key prefix of a value table, whose rids come out in order, so a page
///   streams from the index without sorting.
///
/// What each value type matches lives with its table (`ValueTables/`); this type combines
/// them. Chains and `_has` nest: their inner clause is compiled the same way, joined through
/// the `ref` table, `(pid, tid, ttype, rid)` going backwards and `(rid, pid)` going forwards.
/// Everything is a GRDB `SQL` literal: request values are interpolated as bound arguments, and
/// the only names spliced in (`sql:`) are fixed tables and aliases from `AliasNames`.
struct PredicateSQL {
    struct OrderedSource {
        var table: String
        var alias: String
        var condition: SQL
        /// The stream yields exactly the clause's matches; otherwise a superset, and the
        /// clause's membership test still applies to each row.
        var exact = true
    }

    var membership: SQL
    var candidates: SQL?
    var ordered: OrderedSource?

    /// What compiling one statement needs: unique aliases, so a nested subquery never shadows an
    /// outer alias, and the index's token systems.
    final class Context {
        let systems: TokenSystems
        /// The read the statement is compiled in, for `tokenSystems`.
        let db: Database
        private var count = 0

        init(systems: TokenSystems, db: Database) {
            self.systems = systems
            self.db = db
        }

        /// The systems a bare code occurs with under `pid` (`TokenTable.systems`); nil when
        /// there are too many to list, or the lookup failed (the caller then matches any).
        func tokenSystems(pid: Int, code: String) -> [Int]? {
            (try? TokenTable.systems(pid: pid, code: code, db: db)) ?? nil
        }

        func next(_ prefix: String) -> String {
            count += 1
            return "\(prefix)\(count)"
        }
    }

    static func compile(_ clause: SearchClause, outer o: String, context: Context) -> PredicateSQL {
        let pid = clause.parameter.pid
        switch clause.condition {
        case .id(let ids):
            let type = clause.parameter.resourceType
            return PredicateSQL(
                membership: "(\(sql: o).type = \(type) AND \(sql: o).id IN \(ids))",
                candidates: "SELECT rid FROM resource WHERE type = \(type) AND id IN \(ids)")
        case .token(let forms, let negated):
            return TokenTable.predicate(pid: pid, forms: forms, negated: negated, outer: o, context: context)
        case .string(let values, .prefix), .text(let values):
            return StringTable.prefix(pid: pid, values, outer: o, context: context)
        case .string(let values, .exact):
            return StringTable.exact(pid: pid, values, outer: o, context: context)
        case .string(let values, .contains):
            return StringTable.contains(pid: pid, values, outer: o, context: context)
        case .reference(let targets):
            return ReferenceTable.predicate(pid: pid, targets, outer: o, context: context)
        case .near(let circle):
            return GeoTable.predicate(pid: pid, circle, outer: o, context: context)
        case .date(let values):
            return DateTable.predicate(pid: pid, values, outer: o, context: context)
        case .missing(let missing):
            if clause.parameter.isID { return PredicateSQL(membership: missing ? "0" : "1") }
            // The registry loads only supported types, and each has a table.
            guard let table = clause.parameter.type.valueTable else { return PredicateSQL(membership: "0") }
            return table.presence(pid: pid, missing: missing, outer: o, context: context)
        case .content(let text):
            // FTS5Pattern quotes every word, so no request text is ever read as FTS5 syntax; text
            // with no words at all matches nothing.
            guard let pattern = FTS5Pattern(matchingAllPrefixesIn: text) else {
                return PredicateSQL(membership: "0", candidates: "SELECT rid FROM resource WHERE 0")
            }
            return PredicateSQL(
                membership: "EXISTS (SELECT 1 FROM fts WHERE fts MATCH \(pattern) AND rowid = \(sql: o).rid)",
                candidates: "SELECT rowid AS rid FROM fts WHERE fts MATCH \(pattern)")
        case .chain(let targets):
            if let copied = materialized(clause.parameter, targets) {
                return compile(copied, outer: o, context: context)
            }
            return chain(pid: pid, targets: targets, outer: o, context: context)
        case .reverse(let link, let inner):
            return reverse(link: link, inner: inner, outer: o, context: context)
        case .anyOf(let clauses):
            let parts = clauses.map { compile($0, outer: o, context: context) }
            var predicate = PredicateSQL(membership: "(\(parts.map(\.membership).joined(separator: " OR ")))")
            if parts.allSatisfy({ $0.candidates != nil }) {
                predicate.candidates = parts.compactMap(\.candidates).joined(separator: " UNION ALL ")
            }
            return predicate
        }
    }

    /// A condition over one value table aliased `d`.
    static func value(
        _ table: String, _ d: String, _ condition: SQL, outer o: String, negated: Bool, drives: Bool, ordered: Bool
    ) -> PredicateSQL {
        let exists: SQL =
            "EXISTS (SELECT 1 FROM \(sql: table) \(sql: d) WHERE \(condition) AND \(sql: d).rid = \(sql: o).rid)"
        return PredicateSQL(
            membership: negated ? "NOT \(exists)" : exists,
            candidates: drives ? "SELECT \(sql: d).rid FROM \(sql: table) \(sql: d) WHERE \(condition)" : nil,
            ordered: ordered ? OrderedSource(table: table, alias: d, condition: condition) : nil)
    }

    /// A one-link chain whose target values the index copied onto the referring resource
    /// (`MaterializedChain`), as a plain clause on the copy's pid: it then streams or leads like
    /// any string or token clause.
    static func materialized(_ link: SearchParameter, _ targets: [(type: String, clause: SearchClause)])
        -> SearchClause?
    {
        guard targets.count == 1, let target = targets.first else { return nil }
        let inner = target.clause.parameter
        guard let pid = link.materialized["\(target.type).\(inner.code)"] else { return nil }
        switch target.clause.condition {
        case .string, .token(_, negated: false):
            let copy = SearchParameter(
                pid: pid, resourceType: link.resourceType, code: "\(link.code).\(inner.code)", type: inner.type,
                url: inner.url, description: inner.description, expression: inner.expression, targets: [],
                modifiers: inner.modifiers, chains: [])
            return SearchClause(parameter: copy, condition: target.clause.condition)
        case .token(_, negated: true), .id, .reference, .date, .missing, .content, .chain, .reverse, .anyOf, .text,
            .near:
            return nil
        }
    }

    /// The matches of a clause that `SearchClause.nearCircle` orders, with their distance in km,
    /// as `(rid, d)` rows: the R*Tree's points within the circle, and for a chain, each referring
    /// resource once, at its nearest matching target.
    ///
    ///     SELECT c.rid AS rid, min(n.d) AS d FROM (<points within>) n
    ///     CROSS JOIN resource l ON l.rid = n.rid
    ///     CROSS JOIN ref c ON c.pid = ? AND c.tid = l.id AND c.ttype = l.type
    ///     GROUP BY c.rid
    static func nearest(_ clause: SearchClause, context: Context) -> SQL? {
        switch clause.condition {
        case .near(let circle):
            return GeoTable.within(pid: clause.parameter.pid, circle, context: context)
        case .chain(let targets):
            guard targets.count == 1, let inner = nearest(targets[0].clause, context: context) else { return nil }
            let n = context.next("n")
            let l = context.next("l")
            let c = context.next("c")
            // CROSS JOIN fixes the order: from the circle's points out. Left to itself SQLite
            // walked every reference of the link (3 million roles) and probed the R*Tree for each.
            return """
                SELECT \(sql: c).rid AS rid, min(\(sql: n).d) AS d FROM (\(inner)) \(sql: n) \
                CROSS JOIN resource \(sql: l) ON \(sql: l).rid = \(sql: n).rid CROSS JOIN ref \(sql: c) \
                ON \(sql: c).pid = \(clause.parameter.pid) AND \(sql: c).tid = \(sql: l).id \
                AND \(sql: c).ttype = \(sql: l).type GROUP BY \(sql: c).rid
                """
        case .id, .token, .string, .reference, .date, .missing, .content, .text, .reverse, .anyOf: return nil
        }
    }

    /// `link.inner`: a reference through `pid` to a target row that satisfies its type's clause.
    ///
    ///     EXISTS (SELECT 1 FROM ref c JOIN resource t ON t.type = c.ttype AND t.id = c.tid
    ///             WHERE c.rid = r.rid AND c.pid = ? AND ((t.type = ? AND <inner on t>) OR …))
    ///
    /// Leading, it runs the other way: inner candidates, their (type, id), then the `ref` key.
    static func chain(pid: Int, targets: [(type: String, clause: SearchClause)], outer o: String, context: Context)
        -> PredicateSQL
    {
        let c = context.next("c")
        let t = context.next("t")
        let inner = targets.map { (type: $0.type, sql: compile($0.clause, outer: t, context: context)) }
        let ors = inner.map { type, sql -> SQL in "(\(sql: t).type = \(type) AND \(sql.membership))" }
        var predicate = PredicateSQL(
            membership: """
                EXISTS (SELECT 1 FROM ref \(sql: c) JOIN resource \(sql: t) ON \(sql: t).type = \(sql: c).ttype \
                AND \(sql: t).id = \(sql: c).tid WHERE \(sql: c).rid = \(sql: o).rid AND \(sql: c).pid = \(pid) \
                AND (\(ors.joined(separator: " OR "))))
                """)
        if inner.allSatisfy({ $0.sql.candidates != nil }) {
            let c2 = context.next("c")
            let t2 = context.next("t")
            let union = inner.compactMap(\.sql.candidates).joined(separator: " UNION ALL ")
            predicate.candidates = """
                SELECT \(sql: c2).rid FROM resource \(sql: t2) JOIN ref \(sql: c2) ON \(sql: c2).pid = \(pid) \
                AND \(sql: c2).tid = \(sql: t2).id AND \(sql: c2).ttype = \(sql: t2).type \
                WHERE \(sql: t2).rid IN (\(union))
                """
        }
        return predicate
    }

    /// `_has:Source:link:inner`: some Source row refers to this one through `link` and satisfies
    /// the inner clause.
    ///
    ///     EXISTS (SELECT 1 FROM ref c JOIN resource s ON s.rid = c.rid
    ///             WHERE c.pid = ? AND c.tid = r.id AND c.ttype = r.type AND <inner on s>)
    static func reverse(link: SearchParameter, inner clause: SearchClause, outer o: String, context: Context)
        -> PredicateSQL
    {
        let c = context.next("c")
        let s = context.next("s")
        let inner = compile(clause, outer: s, context: context)
        var predicate = PredicateSQL(
            membership: """
                EXISTS (SELECT 1 FROM ref \(sql: c) JOIN resource \(sql: s) ON \(sql: s).rid = \(sql: c).rid \
                WHERE \(sql: c).pid = \(link.pid) AND \(sql: c).tid = \(sql: o).id AND \(sql: c).ttype = \(sql: o).type \
                AND \(inner.membership))
                """)
        if let innerCandidates = inner.candidates {
            let c2 = context.next("c")
            let t2 = context.next("t")
            predicate.candidates = """
                SELECT \(sql: t2).rid FROM ref \(sql: c2) JOIN resource \(sql: t2) ON \(sql: t2).type = \(sql: c2).ttype \
                AND \(sql: t2).id = \(sql: c2).tid WHERE \(sql: c2).pid = \(link.pid) AND \(sql: c2).rid IN (\(innerCandidates))
                """
        }
        return predicate
    }
}
