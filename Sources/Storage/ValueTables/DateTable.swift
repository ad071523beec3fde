import FHIRCore
import GRDB
import Indexing
import SearchParameters

/// Dates as the range of epoch milliseconds they cover, `[lo, hi]`.
enum DateTable: ValueTable {
    static let name = "dt"
    static let valueColumns = ["lo", "hi"]
    static let schema = """
        CREATE TABLE dt(pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, lo, hi, rid)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE dt_s(pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, seq INTEGER NOT NULL)
        """
    /// `dt_hi` answers `gt`/`sa` ranges; `dt_rid` probes one resource, whose range is unknown.
    static let indexes = [
        (name: "dt_hi", sql: "CREATE INDEX dt_hi ON dt(pid, hi)"),
        (name: "dt_rid", sql: "CREATE INDEX dt_rid ON dt(rid, pid)"),
    ]

    static func stage(
        _ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState
    ) throws {
        for d in values.dates { try statement.insert(d.pid, d.range.low, d.range.high, seq) }
    }

    /// Any of `values`, each an R4 prefix over the search range q and the value's range d.
    static func predicate(
        pid: Int, _ values: [(SearchClause.DatePrefix, DateRange)], outer: String, context: PredicateSQL.Context
    ) -> PredicateSQL {
        let d = context.next("d")
        let ors = values.map { prefix, range -> SQL in
            let contained: SQL = "(\(sql: d).lo >= \(range.low) AND \(sql: d).hi <= \(range.high))"
            switch prefix {
            case .eq: return contained
            case .ne: return "NOT \(contained)"
            case .gt: return "\(sql: d).hi > \(range.high)"
            case .lt: return "\(sql: d).lo < \(range.low)"
            case .ge: return "(\(sql: d).hi > \(range.high) OR \(contained))"
            case .le: return "(\(sql: d).lo < \(range.low) OR \(contained))"
            case .sa: return "\(sql: d).lo > \(range.high)"
            case .eb: return "\(sql: d).hi < \(range.low)"
            }
        }
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(ors.joined(separator: " OR ")))", outer: outer, negated: false,
            drives: true, ordered: false)
    }
}
