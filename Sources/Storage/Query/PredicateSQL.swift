import GRDB
import SearchParameters

/// SQL for one search clause.
///
/// Each value clause is one condition over a value table aliased `d`, used in two shapes: a
/// membership test on the outer resource (`EXISTS (… d.rid = r.rid)`), and, for the clause
/// chosen to lead, the source of candidate rids. All request text is bound, never spliced.
struct PredicateSQL {
    /// A fixed value table name, or nil for conditions directly on `resource r`.
    var table: String?
    /// Over alias `d` (or `r` when `table` is nil).
    var condition: String
    var arguments: StatementArguments
    var negated: Bool
    /// Can lead a query (positive value conditions that an index answers).
    var canDrive: Bool
    /// One key prefix of the table's `(pid, value, rid)` index: rids come out in order, so a
    /// page streams without sorting.
    var ordered: Bool
    /// Lower leads first: the most selective kinds of clause.
    var rank: Int

    /// The membership test on `r.rid`.
    var membership: String {
        guard let table else { return condition }
        let exists = "EXISTS (SELECT 1 FROM \(table) d WHERE \(condition) AND d.rid = r.rid)"
        return negated ? "NOT " + exists : exists
    }

    static func compile(_ clause: SearchClause) -> PredicateSQL {
        let pid = clause.parameter.pid
        switch clause.condition {
        case .id(let ids):
            return PredicateSQL(
                table: nil, condition: "r.type = ? AND r.id IN (\(placeholders(ids.count)))",
                arguments: StatementArguments([clause.parameter.resourceType]) + StatementArguments(ids),
                negated: false, canDrive: false, ordered: false, rank: 0)
        case .token(let values, let negated):
            return PredicateSQL(
                table: "tok", condition: "d.pid = ? AND d.v IN (\(placeholders(values.count)))",
                arguments: StatementArguments([pid]) + StatementArguments(values),
                negated: negated, canDrive: !negated, ordered: values.count == 1, rank: 2)
        case .string(let values, .prefix):
            // Folded values sort bytewise, so a prefix is a key range.
            var arguments = StatementArguments([pid])
            for v in values { arguments += [v, v + "\u{10FFFF}"] }
            return PredicateSQL(
                table: "str", condition: "d.pid = ? AND (\(repeated("(d.v >= ? AND d.v < ?)", values.count)))",
                arguments: arguments, negated: false, canDrive: true, ordered: false, rank: 4)
        case .string(let values, .exact):
            var arguments = StatementArguments([pid])
            for v in values { arguments += [TextNormalizer.normalize(v), v] }
            return PredicateSQL(
                table: "str", condition: "d.pid = ? AND (\(repeated("(d.v = ? AND d.raw = ?)", values.count)))",
                arguments: arguments, negated: false, canDrive: true, ordered: false, rank: 3)
        case .string(let values, .contains):
            return PredicateSQL(
                table: "str", condition: "d.pid = ? AND (\(repeated("instr(d.v, ?) > 0", values.count)))",
                arguments: StatementArguments([pid]) + StatementArguments(values),
                negated: false, canDrive: false, ordered: false, rank: 8)
        case .reference(let targets):
            var ors: [String] = []
            var arguments = StatementArguments([pid])
            for target in targets {
                if let type = target.type {
                    ors.append("(d.tid = ? AND d.ttype = ?)")
                    arguments += [target.id, type]
                } else {
                    ors.append("d.tid = ?")
                    arguments += [target.id]
                }
            }
            return PredicateSQL(
                table: "ref", condition: "d.pid = ? AND (\(ors.joined(separator: " OR ")))", arguments: arguments,
                negated: false, canDrive: true, ordered: targets.count == 1 && targets[0].type != nil, rank: 1)
        case .date(let values):
            var ors: [String] = []
            var arguments = StatementArguments([pid])
            let contained = "(d.lo >= ? AND d.hi <= ?)"
            for (prefix, range) in values {
                // FHIR R4 date prefixes, as range comparisons (search range q, value range d).
                switch prefix {
                case .eq:
                    ors.append(contained)
                    arguments += [range.low, range.high]
                case .ne:
                    ors.append("NOT " + contained)
                    arguments += [range.low, range.high]
                case .gt:
                    ors.append("d.hi > ?")
                    arguments += [range.high]
                case .lt:
                    ors.append("d.lo < ?")
                    arguments += [range.low]
                case .ge:
                    ors.append("(d.hi > ? OR \(contained))")
                    arguments += [range.high, range.low, range.high]
                case .le:
                    ors.append("(d.lo < ? OR \(contained))")
                    arguments += [range.low, range.low, range.high]
                case .sa:
                    ors.append("d.lo > ?")
                    arguments += [range.high]
                case .eb:
                    ors.append("d.hi < ?")
                    arguments += [range.low]
                }
            }
            return PredicateSQL(
                table: "dt", condition: "d.pid = ? AND (\(ors.joined(separator: " OR ")))", arguments: arguments,
                negated: false, canDrive: true, ordered: false, rank: 5)
        case .missing(let missing):
            if clause.parameter.isID {
                return PredicateSQL(
                    table: nil, condition: missing ? "0" : "1", arguments: [], negated: false, canDrive: false,
                    ordered: false, rank: 9)
            }
            return PredicateSQL(
                table: valueTable(clause.parameter.type), condition: "d.pid = ?", arguments: [pid], negated: missing,
                canDrive: false, ordered: false, rank: 9)
        }
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
