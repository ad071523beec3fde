import GRDB
import Indexing
import SearchParameters

/// Token values in their index forms (`system|code`, `|code`, `system|`, and the bare `code`
/// of a code element), plus the identifiers of logical references under the reference
/// parameter's pid. A form is stored as its code `v` and a system number `sys`
/// (`TokenSystems`): 0 for a bare code, 1 for `|code`, the system's number for `system|code`,
/// and minus it, with an empty `v`, for `system|`. Each form is then one key prefix
/// `(pid, v, sys)`, whose rids stream in order.
///
/// A coding is not stored under its bare code as well: a search for `code` first asks which
/// systems the code occurs with under that parameter (`systems(pid:code:)`, a seek per system),
/// and matches `(code, sys)` for each. Nearly every code has one system, so it still streams.
///
/// No `(rid, pid)` index: every probe of a resource names the value too, and the key answers
/// it. That index would have been an eighth of a national file. `:missing` asks `has`, the
/// distinct `(pid, rid)` pairs of this table, a fifteenth of its size.
enum TokenTable: ValueTable {
    static let name = "tok"
    static let valueColumns = ["v", "sys"]
    static let schema = """
        CREATE TABLE tok(pid INTEGER NOT NULL, v TEXT NOT NULL, sys INTEGER NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, sys, rid)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE tok_s(pid INTEGER NOT NULL, v TEXT NOT NULL, sys INTEGER NOT NULL, seq INTEGER NOT NULL)
        """
    static let indexes: [(name: String, sql: String)] = []

    /// The staged rows in key order, but the `system|` rows of parameters whose tokens all have
    /// that one system (`token_pid`): for them a system-only search is `has(pid)`, and the rows
    /// were a row per coding.
    static let load = """
        INSERT OR IGNORE INTO tok(pid, v, sys, rid)
        SELECT pid, v, sys, rid FROM (SELECT pid, v, sys, plandir_rid(seq) AS rid FROM s_tok.tok_s)
        WHERE rid > 0 AND NOT (sys < 0 AND pid IN (SELECT pid FROM token_pid)) ORDER BY pid, v, sys, rid
        """

    static func stage(_ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState) throws {
        for t in values.tokens {
            let (code, system) = split(t.value)
            let sys: Int
            switch system {
            case nil: sys = TokenSystems.anySystem
            case "": sys = TokenSystems.noSystem
            case let system?: sys = state.systems.numbering(system) * (code.isEmpty ? -1 : 1)
            }
            if sys >= 0 {
                state.systems.saw(pid: t.pid, sys: sys)
            } else if !values.tokens.contains(where: {
                $0.pid == t.pid && $0.value.hasPrefix(t.value) && $0.value != t.value
            }) {
                // A system with no code: its `system|` row is the resource's only trace under
                // this parameter, so the parameter keeps its `system|` rows (-1 is no system).
                state.systems.saw(pid: t.pid, sys: -1)
            }
            try statement.insert(t.pid, code, sys, seq)
        }
    }

    /// A form's code and system: nil for a bare code, "" for `|code`.
    static func split(_ form: String) -> (code: String, system: String?) {
        guard let bar = form.firstIndex(of: "|") else { return (form, nil) }
        return (String(form[form.index(after: bar)...]), String(form[..<bar]))
    }

    /// The keys of a form: none when it names a system the index does not have; for a bare
    /// code, one per system the code occurs with under `pid`.
    static func keys(_ form: String, pid: Int, _ context: PredicateSQL.Context) -> Keys {
        let (code, system) = split(form)
        switch system {
        case nil:
            guard let systems = context.tokenSystems(pid: pid, code: code) else { return .anySystem(code) }
            return .exact(systems.map { (code, $0) })
        case "": return .exact([(code, TokenSystems.noSystem)])
        case let system?:
            guard let number = context.systems.number(system) else { return .exact([]) }
            if code.isEmpty, let only = context.systems.single[pid] {
                return only == number ? .everyValue : .exact([])
            }
            return .exact([(code, code.isEmpty ? -number : number)])
        }
    }

    enum Keys {
        case exact([(v: String, sys: Int)])
        /// `system|` on a parameter whose every token has that system: any token at all.
        case everyValue
        /// A bare code whose systems could not be listed: every non-negative `sys`.
        case anySystem(String)
    }

    /// The systems `code` occurs with under `pid`, in order: one seek each, skipping over the
    /// rows of the one before. Nil past `limit` systems, where a range is cheaper.
    ///
    ///     SELECT sys FROM tok WHERE pid = ? AND v = ? AND sys > ? ORDER BY sys LIMIT 1
    static func systems(pid: Int, code: String, db: Database, limit: Int = 32) throws -> [Int]? {
        var found: [Int] = []
        var after = -1
        while let sys = try Int.fetchOne(
            db, sql: "SELECT sys FROM tok WHERE pid = ? AND v = ? AND sys > ? ORDER BY sys LIMIT 1",
            arguments: [pid, code, after])
        {
            found.append(sys)
            if found.count > limit { return nil }
            after = sys
        }
        return found
    }

    /// `has` streams the resources with a value in rid order.
    static func presence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let d = context.next("d")
        return PredicateSQL.value(
            "has", d, "\(sql: d).pid = \(pid)", outer: outer, negated: missing, drives: !missing, ordered: !missing)
    }

    /// Any of `forms` (`:not`: none of them). One form with one key streams its rids in order.
    static func predicate(pid: Int, forms: [String], negated: Bool, outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        let d = context.next("d")
        var alternatives: [SQL] = []
        var keyCount = 0
        for form in forms {
            switch keys(form, pid: pid, context) {
            case .everyValue:
                // Every other form of this parameter is a subset of it.
                return presence(pid: pid, missing: negated, outer: outer, context: context)
            case .exact(let keys):
                keyCount += keys.count
                alternatives += keys.map { key -> SQL in "(\(sql: d).v = \(key.v) AND \(sql: d).sys = \(key.sys))" }
            case .anySystem(let code):
                keyCount += 2
                alternatives.append("(\(sql: d).v = \(code) AND \(sql: d).sys >= 0)")
            }
        }
        let any: SQL = alternatives.isEmpty ? "0" : alternatives.joined(separator: " OR ")
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(any))", outer: outer, negated: negated, drives: !negated,
            ordered: keyCount == 1 && !negated)
    }
}
