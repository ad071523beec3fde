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
/// Chains and `_has` nest: their inner clause is compiled the same way, joined through the
/// `ref` table, `(pid, tid, ttype, rid)` going backwards and `(rid, pid)` going forwards. All
/// request text is bound, never spliced: the only names in the SQL are fixed tables and
/// aliases from `AliasNames`.
struct PredicateSQL {
    struct OrderedSource {
        var table: String
        var alias: String
        var condition: String
        var arguments: StatementArguments
        /// The stream yields exactly the clause's matches; otherwise a superset, and the
        /// clause's membership test still applies to each row.
        var exact = true
    }

    var membership: String
    var membershipArguments: StatementArguments
    var candidates: String?
    var candidateArguments = StatementArguments()
    var ordered: OrderedSource?

    /// Unique aliases within one statement, so a nested subquery never shadows an outer alias.
    final class AliasNames {
        private var count = 0

        func next(_ prefix: String) -> String {
            count += 1
            return "\(prefix)\(count)"
        }
    }

    static func compile(_ clause: SearchClause, outer o: String, names: AliasNames) -> PredicateSQL {
        let pid = clause.parameter.pid
        switch clause.condition {
        case .id(let ids):
            let arguments = StatementArguments([clause.parameter.resourceType]) + StatementArguments(ids)
            return PredicateSQL(
                membership: "(\(o).type = ? AND \(o).id IN (\(placeholders(ids.count))))",
                membershipArguments: arguments,
                candidates: "SELECT rid FROM resource WHERE type = ? AND id IN (\(placeholders(ids.count)))",
                candidateArguments: arguments)
        case .token(let values, let negated):
            let d = names.next("d")
            return value(
                "tok", d, "\(d).pid = ? AND \(d).v IN (\(placeholders(values.count)))",
                StatementArguments([pid]) + StatementArguments(values), outer: o, negated: negated, drives: !negated,
                ordered: values.count == 1)
        case .string(let values, .prefix), .text(let values):
            // Folded values sort bytewise, so a prefix is a key range.
            let d = names.next("d")
            var arguments = StatementArguments([pid])
            for v in values { arguments += [v, v + "\u{10FFFF}"] }
            var predicate = value(
                "str", d, "\(d).pid = ? AND (\(repeated("(\(d).v >= ? AND \(d).v < ?)", values.count)))", arguments,
                outer: o, negated: false, drives: true, ordered: false)
            // A range of values has no rid order, but its first three characters are one key of
            // `pfx`, whose rids stream in order: a page of a common prefix no longer walks the
            // whole type. Longer prefixes are checked row by row against `str`.
            if values.count == 1, let head = prefixKey(values[0]) {
                let p = names.next("p")
                predicate.ordered = OrderedSource(
                    table: "pfx", alias: p, condition: "\(p).pid = ? AND \(p).p = ?", arguments: [pid, head],
                    exact: values[0].unicodeScalars.count == prefixLength)
            }
            return predicate
        case .string(let values, .exact):
            let d = names.next("d")
            var arguments = StatementArguments([pid])
            for v in values { arguments += [TextNormalizer.normalize(v), v] }
            return value(
                "str", d, "\(d).pid = ? AND (\(repeated("(\(d).v = ? AND \(d).raw = ?)", values.count)))", arguments,
                outer: o, negated: false, drives: true, ordered: false)
        case .string(let values, .contains):
            let d = names.next("d")
            return value(
                "str", d, "\(d).pid = ? AND (\(repeated("instr(\(d).v, ?) > 0", values.count)))",
                StatementArguments([pid]) + StatementArguments(values), outer: o, negated: false, drives: false,
                ordered: false)
        case .reference(let targets):
            let d = names.next("d")
            var ors: [String] = []
            var arguments = StatementArguments([pid])
            for target in targets {
                if let type = target.type {
                    ors.append("(\(d).tid = ? AND \(d).ttype = ?)")
                    arguments += [target.id, type]
                } else {
                    ors.append("\(d).tid = ?")
                    arguments += [target.id]
                }
            }
            return value(
                "ref", d, "\(d).pid = ? AND (\(ors.joined(separator: " OR ")))", arguments, outer: o, negated: false,
                drives: true, ordered: targets.count == 1 && targets[0].type != nil)
        case .date(let values):
            let d = names.next("d")
            let (condition, arguments) = dateCondition(d, pid, values)
            return value("dt", d, condition, arguments, outer: o, negated: false, drives: true, ordered: false)
        case .missing(let missing):
            if clause.parameter.isID {
                return PredicateSQL(membership: missing ? "0" : "1", membershipArguments: [])
            }
            let d = names.next("d")
            return value(
                valueTable(clause.parameter.type), d, "\(d).pid = ?", [pid], outer: o, negated: missing, drives: false,
                ordered: false)
        case .content(let text):
            // FTS5Pattern quotes every word, so no request text is ever read as FTS5 syntax; text
            // with no words at all matches nothing.
            guard let pattern = FTS5Pattern(matchingAllPrefixesIn: text) else {
                return PredicateSQL(
                    membership: "0", membershipArguments: [], candidates: "SELECT rid FROM resource WHERE 0")
            }
            return PredicateSQL(
                membership: "EXISTS (SELECT 1 FROM fts WHERE fts MATCH ? AND rowid = \(o).rid)",
                membershipArguments: [pattern], candidates: "SELECT rowid AS rid FROM fts WHERE fts MATCH ?",
                candidateArguments: [pattern])
        case .chain(let targets):
            if let copied = materialized(clause.parameter, targets) {
                return compile(copied, outer: o, names: names)
            }
            return chain(pid: pid, targets: targets, outer: o, names: names)
        case .reverse(let link, let inner):
            return reverse(link: link, inner: inner, outer: o, names: names)
        case .anyOf(let clauses):
            let parts = clauses.map { compile($0, outer: o, names: names) }
            var predicate = PredicateSQL(
                membership: "(\(parts.map(\.membership).joined(separator: " OR ")))",
                membershipArguments: parts.reduce(into: StatementArguments()) { $0 += $1.membershipArguments })
            if parts.allSatisfy({ $0.candidates != nil }) {
                predicate.candidates = parts.compactMap(\.candidates).joined(separator: " UNION ALL ")
                predicate.candidateArguments = parts.reduce(into: StatementArguments()) { $0 += $1.candidateArguments }
            }
            return predicate
        }
    }

    /// A condition over one value table aliased `d`.
    static func value(
        _ table: String, _ d: String, _ condition: String, _ arguments: StatementArguments, outer o: String,
        negated: Bool,
        drives: Bool, ordered: Bool
    ) -> PredicateSQL {
        let exists = "EXISTS (SELECT 1 FROM \(table) \(d) WHERE \(condition) AND \(d).rid = \(o).rid)"
        return PredicateSQL(
            membership: negated ? "NOT " + exists : exists, membershipArguments: arguments,
            candidates: drives ? "SELECT \(d).rid FROM \(table) \(d) WHERE \(condition)" : nil,
            candidateArguments: drives ? arguments : [],
            ordered: ordered ? OrderedSource(table: table, alias: d, condition: condition, arguments: arguments) : nil)
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
        case .token(_, negated: true), .id, .reference, .date, .missing, .content, .chain, .reverse, .anyOf, .text:
            return nil
        }
    }

    /// `link.inner`: a reference through `pid` to a target row that satisfies its type's clause.
    ///
    ///     EXISTS (SELECT 1 FROM ref c JOIN resource t ON t.type = c.ttype AND t.id = c.tid
    ///             WHERE c.rid = r.rid AND c.pid = ? AND ((t.type = ? AND <inner on t>) OR …))
    ///
    /// Leading, it runs the other way: inner candidates, their (type, id), then the `ref` key.
    static func chain(pid: Int, targets: [(type: String, clause: SearchClause)], outer o: String, names: AliasNames)
        -> PredicateSQL
    {
        let c = names.next("c")
        let t = names.next("t")
        let inner = targets.map { (type: $0.type, sql: compile($0.clause, outer: t, names: names)) }
        var ors: [String] = []
        var arguments = StatementArguments([pid])
        for (type, sql) in inner {
            ors.append("(\(t).type = ? AND \(sql.membership))")
            arguments += [type]
            arguments += sql.membershipArguments
        }
        var predicate = PredicateSQL(
            membership: """
                EXISTS (SELECT 1 FROM ref \(c) JOIN resource \(t) ON \(t).type = \(c).ttype AND \(t).id = \(c).tid \
                WHERE \(c).rid = \(o).rid AND \(c).pid = ? AND (\(ors.joined(separator: " OR "))))
                """,
            membershipArguments: arguments)
        if inner.allSatisfy({ $0.sql.candidates != nil }) {
            let c2 = names.next("c")
            let t2 = names.next("t")
            predicate.candidates = """
                SELECT \(c2).rid FROM resource \(t2) JOIN ref \(c2) ON \(c2).pid = ? AND \(c2).tid = \(t2).id \
                AND \(c2).ttype = \(t2).type WHERE \(t2).rid IN (\(inner.compactMap(\.sql.candidates).joined(separator: " UNION ALL ")))
                """
            predicate.candidateArguments = inner.reduce(into: StatementArguments([pid])) {
                $0 += $1.sql.candidateArguments
            }
        }
        return predicate
    }

    /// `_has:Source:link:inner`: some Source row refers to this one through `link` and satisfies
    /// the inner clause.
    ///
    ///     EXISTS (SELECT 1 FROM ref c JOIN resource s ON s.rid = c.rid
    ///             WHERE c.pid = ? AND c.tid = r.id AND c.ttype = r.type AND <inner on s>)
    static func reverse(link: SearchParameter, inner clause: SearchClause, outer o: String, names: AliasNames)
        -> PredicateSQL
    {
        let c = names.next("c")
        let s = names.next("s")
        let inner = compile(clause, outer: s, names: names)
        var predicate = PredicateSQL(
            membership: """
                EXISTS (SELECT 1 FROM ref \(c) JOIN resource \(s) ON \(s).rid = \(c).rid \
                WHERE \(c).pid = ? AND \(c).tid = \(o).id AND \(c).ttype = \(o).type AND \(inner.membership))
                """,
            membershipArguments: StatementArguments([link.pid]) + inner.membershipArguments)
        if let innerCandidates = inner.candidates {
            let c2 = names.next("c")
            let t2 = names.next("t")
            predicate.candidates = """
                SELECT \(t2).rid FROM ref \(c2) JOIN resource \(t2) ON \(t2).type = \(c2).ttype AND \(t2).id = \(c2).tid \
                WHERE \(c2).pid = ? AND \(c2).rid IN (\(innerCandidates))
                """
            predicate.candidateArguments = StatementArguments([link.pid]) + inner.candidateArguments
        }
        return predicate
    }

    /// FHIR R4 date prefixes as range comparisons (search range q, value range d).
    static func dateCondition(_ d: String, _ pid: Int, _ values: [(SearchClause.DatePrefix, DateRange)])
        -> (String, StatementArguments)
    {
        var ors: [String] = []
        var arguments = StatementArguments([pid])
        let contained = "(\(d).lo >= ? AND \(d).hi <= ?)"
        for (prefix, range) in values {
            switch prefix {
            case .eq:
                ors.append(contained)
                arguments += [range.low, range.high]
            case .ne:
                ors.append("NOT " + contained)
                arguments += [range.low, range.high]
            case .gt:
                ors.append("\(d).hi > ?")
                arguments += [range.high]
            case .lt:
                ors.append("\(d).lo < ?")
                arguments += [range.low]
            case .ge:
                ors.append("(\(d).hi > ? OR \(contained))")
                arguments += [range.high, range.low, range.high]
            case .le:
                ors.append("(\(d).lo < ? OR \(contained))")
                arguments += [range.low, range.low, range.high]
            case .sa:
                ors.append("\(d).lo > ?")
                arguments += [range.high]
            case .eb:
                ors.append("\(d).hi < ?")
                arguments += [range.low]
            }
        }
        return ("\(d).pid = ? AND (\(ors.joined(separator: " OR ")))", arguments)
    }

    /// How many leading characters (code points, as SQLite's `substr` counts) `pfx` keys.
    static let prefixLength = 3

    /// The `pfx` key of a folded prefix, when it is long enough to have one.
    static func prefixKey(_ folded: String) -> String? {
        let scalars = folded.unicodeScalars
        guard scalars.count >= prefixLength else { return nil }
        var head = String.UnicodeScalarView()
        head.append(contentsOf: scalars.prefix(prefixLength))
        return String(head)
    }

    /// The table holding a parameter type's values: a fixed mapping, never request text.
    static func valueTable(_ type: SearchParamType) -> String {
        switch type {
        case .token: return "tok"
        case .string: return "str"
        case .date: return "dt"
        default: return "ref"
        }
    }

    static func placeholders(_ count: Int) -> String { repeated("?", count, separator: ", ") }

    static func repeated(_ sql: String, _ count: Int, separator: String = " OR ") -> String {
        Array(repeating: sql, count: count).joined(separator: separator)
    }
}
