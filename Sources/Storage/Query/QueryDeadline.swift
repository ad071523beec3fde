import Dispatch
import FHIRCore
import GRDB
import GRDBSQLite

/// A search that ran past its SQL time (`SearchLimits.queryTimeout`).
public struct QueryTimeout: Error, Sendable, CustomStringConvertible {
    public var timeout: Duration
    public var description: String { "the search took longer than \(timeout) of database time" }
}

/// Bounds the SQL time of one read: SQLite calls a progress handler every `period` virtual
/// machine steps, and the handler interrupts the statement once the deadline has passed.
///
/// A step budget would be steadier across machines, but the limit operators set is time. The
/// handler is removed before the connection goes back to the pool, and an interrupted
/// statement leaves the connection usable (SQLite rolls back only the interrupted statement;
/// a read has nothing to roll back).
struct QueryDeadline {
    /// About 10–50 µs of work between checks; a clock read costs some 20 ns.
    static let period: Int32 = 1000

    let timeout: Duration
    private let deadline: UnsafeMutablePointer<UInt64>

    /// Installs the handler on `db` for the duration of `body`.
    static func run<T>(_ db: Database, timeout: Duration, _ body: (QueryDeadline) throws -> T) throws -> T {
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        deadline.pointee = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, timeout.nanoseconds))
        sqlite3_progress_handler(
            db.sqliteConnection, period,
            { context in
                DispatchTime.now().uptimeNanoseconds > context!.load(as: UInt64.self) ? 1 : 0
            }, deadline)
        defer {
            sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
            deadline.deallocate()
        }
        return try body(QueryDeadline(timeout: timeout, deadline: deadline))
    }

    var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds > deadline.pointee }

    /// Runs `body`, turning an interruption past the deadline into `QueryTimeout`. An
    /// interruption before it (a cancelled task: GRDB calls `sqlite3_interrupt`) is rethrown.
    func guarding<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && hasPassed {
            throw QueryTimeout(timeout: timeout)
        }
    }
}
