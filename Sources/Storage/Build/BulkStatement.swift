import GRDB
import GRDBSQLite

/// A prepared insert driven through SQLite's C API: binding a value costs a function call, not
/// a `DatabaseValue` box, which matters at hundreds of millions of rows per build.
struct BulkStatement {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            // An empty buffer may have no base address, which SQLite would read as NULL.
            let base = utf8.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(Self.empty)
            sqlite3_bind_text(
                handle, index, base.assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
        }
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { bytes in
            let base = bytes.baseAddress ?? UnsafeRawPointer(Self.empty)
            sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
        }
    }

    /// Runs the insert and readies it for the next row.
    func run() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
        }
    }

    /// SQLite copies the bound bytes, so a Swift buffer may go away before the step.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    /// One zero byte that lives as long as the process.
    nonisolated(unsafe) private static let empty: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return p
    }()
}
