import FHIRCore
import Foundation
import GRDB
import GRDBSQLite
import SearchParameters
import Synchronization

/// An open, read-only index file: reads and searches.
public final class DirectoryIndex: Sendable {
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    struct TypeRange: Sendable {
        var lo: Int64
        var hi: Int64
        var count: Int
    }

    /// Pooled read connections: reads beyond this many wait (the server's `ReadGate` bounds how
    /// many, and how long).
    public static let readerCount = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)

    let reader: any DatabaseReader
    public let registry: SearchParameterRegistry
    let types: [String: TypeRange]
    /// Changes with every build; used in ETags and logs.
    public let version: String
    public let builtAt: String
    public let path: String
    let estimates = EstimateCache()
    let documents: StoredDocuments
    let systems: TokenSystems

    /// Opens `path` read-only. Fails when the file is not an index or was built with different
    /// search parameter definitions than `registry`.
    public init(path: String, registry: SearchParameterRegistry) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OpenError(description: "no index at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.maximumReaderCount = Self.readerCount
        configuration.prepareDatabase { db in
            // No mmap and a small page cache per connection: a national index is 11 GB, and
            // mapped pages count as the server's resident memory. The kernel's page cache keeps
            // hot pages anyway; SQLite copies each one it reads, which costs little next to a
            // request.
            try db.execute(sql: "PRAGMA query_only = 1; PRAGMA cache_size = -16384; PRAGMA mmap_size = 0")
            db.add(function: Self.distance)
        }
        // `immutable=1`: an index file is never written once published (a rebuild renames a new
        // file over it), so SQLite may skip file locks and its hot-journal check, a file-system
        // lookup on every read transaction.
        let pool = try DatabasePool(path: Self.immutableURI(path), configuration: configuration)
        let (meta, types, tables) = try pool.read {
            db -> ([String: String], [String: TypeRange], (StoredDocuments, TokenSystems)?) in
            guard try db.tableExists("meta"), try db.tableExists("resource_type") else {
                throw OpenError(description: "\(path) is not a plandir index")
            }
            let meta = try Self.meta(db)
            var types: [String: TypeRange] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT type, lo, hi, count FROM resource_type") {
                types[try row.decode(atIndex: 0)] = TypeRange(
                    lo: try row.decode(atIndex: 1), hi: try row.decode(atIndex: 2), count: try row.decode(atIndex: 3))
            }
            // An index of another format may not have the table; the format check below says so.
            let tables =
                meta["format"] == IndexSchema.formatVersion
                ? (try StoredDocuments.load(db), try TokenSystems.load(db)) : nil
            return (meta, types, tables)
        }
        guard meta["format"] == IndexSchema.formatVersion else {
            throw OpenError(
                description: "\(path) has index format \(meta["format"] ?? "?"); rebuild it with this version")
        }
        guard meta["registry"] == registry.fingerprint else {
            throw OpenError(description: "\(path) was built with other search parameter definitions; rebuild it")
        }
        guard let tables else { throw OpenError(description: "\(path) has no document dictionaries") }
        (self.documents, self.systems) = tables
        self.reader = pool
        self.registry = registry
        self.types = types
        self.version = meta["version"] ?? "0"
        self.builtAt = meta["built_at"] ?? ""
        self.path = path
        try Self.openEveryReader(pool, path: path)
    }

    /// Opens all of the pool's reader connections now, while `path` still names this file.
    /// The pool opens readers by path and lazily: one opened after a rebuild was renamed onto
    /// `path` would read the new file under this index's dictionaries and row numbers (a swap
    /// under load served broken bodies that way). Each read waits until all have started, so
    /// none can reuse another's connection. Each read has a thread of its own: blocked work on
    /// Dispatch's global queue gets one more thread a second, which made opening take 3 s.
    static func openEveryReader(_ pool: DatabasePool, path: String) throws {
        let arrived = DispatchGroup()
        let finished = DispatchGroup()
        let failure = Mutex<(any Error)?>(nil)
        for _ in 0..<readerCount { arrived.enter() }
        for _ in 0..<readerCount {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                do {
                    try pool.read { _ in
                        arrived.leave()
                        _ = arrived.wait(timeout: .now() + 10)
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) {
            throw OpenError(description: "cannot open readers on \(path): \(error)")
        }
    }

    /// Token parameters whose every value has one system, with its number (`token_pid`).
    public var singleSystemParameters: [Int: Int] { systems.single }

    /// `plandir_distance(lat1, lon1, lat2, lon2)`: the haversine distance in km that `near`
    /// filters and orders by (`GeoCircle.distanceKm`); NULL when an argument is not a number.
    static let distance = DatabaseFunction("plandir_distance", argumentCount: 4, pure: true) { values in
        let numbers = values.compactMap { Double.fromDatabaseValue($0) }
        guard numbers.count == 4 else { return nil }
        return GeoCircle.distanceKm(numbers[0], numbers[1], numbers[2], numbers[3])
    }

    /// The `meta` table, decoded with checks: a damaged file is an error, not a trap.
    ///
    ///     SELECT key, value FROM meta
    static func meta(_ db: Database) throws -> [String: String] {
        try Dictionary(
            Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
                (try $0.decode(String.self, atIndex: 0), try $0.decode(String.self, atIndex: 1))
            }, uniquingKeysWith: { first, _ in first })
    }

    /// A `file:` URI for `path` with `immutable=1`; characters that a URI gives meaning to
    /// are percent-encoded.
    static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?immutable=1"
    }

    /// Resource counts by type.
    public var counts: [String: Int] { types.mapValues(\.count) }

    /// The stored bytes of one resource.
    public func read(type: String, id: String) async throws -> [UInt8]? {
        try await readEntry(type: type, id: id)?.json
    }

    /// One stored resource and what identifies its version.
    public struct Entry: Sendable {
        public var json: [UInt8]
        /// `meta.lastUpdated` in milliseconds.
        public var lastUpdated: Int64
        /// `meta.versionId` (0: none).
        public var version: Int64
        /// The content's digest without version and timestamp (`ContentHash`).
        public var contentHash: Int64
    }

    /// The stored bytes of one resource with its version, timestamp and content digest.
    ///
    ///     SELECT d.dict, d.size, d.body, r.last_updated, r.version, r.hash
    ///     FROM resource r JOIN doc d ON d.seq = r.doc WHERE r.type = ? AND r.id = ?
    ///
    /// Async, like every read on the serving path: the query runs on GRDB's reader pool, not on
    /// a cooperative thread, and cancelling the task interrupts it.
    public func readEntry(type: String, id: String) async throws -> Entry? {
        try await reader.read { [documents] db in
            let statement = try db.cachedStatement(sql: Self.readSQL)
            guard let row = try Row.fetchOne(statement, arguments: [type, id]) else { return nil }
            return Entry(
                json: try documents.inflate(row, dictionary: 0, size: 1, body: 2),
                lastUpdated: try row.decode(atIndex: 3),
                version: try row.decode(atIndex: 4), contentHash: try row.decode(atIndex: 5))
        }
    }

    static let readSQL = """
        SELECT d.dict, d.size, d.body, r.last_updated, r.version, r.hash FROM resource r JOIN doc d ON d.seq = r.doc
        WHERE r.type = ? AND r.id = ?
        """

    /// Whether the file still answers a query (for readiness probes).
    public func isQueryable() async -> Bool {
        (try? await reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM resource_type") }) != nil
    }

    /// Runs a search and returns one page.
    public func search(_ request: SearchRequest) async throws -> SearchPage {
        try await reader.read { db in try self.page(request, db) }
    }

    /// `search` on the calling thread, for tools and tests outside an async context.
    public func searchSynchronously(_ request: SearchRequest) throws -> SearchPage {
        try reader.read { db in try page(request, db) }
    }

    /// One page of `request` within its SQL time; a type the index does not hold has no
    /// matches.
    ///
    /// - Throws: `QueryTimeout` when the page takes longer than `request.limits.queryTimeout`.
    private func page(_ request: SearchRequest, _ db: Database) throws -> SearchPage {
        guard let range = types[request.resourceType] else {
            return SearchPage(
                entries: [], total: request.wantsTotal || request.summaryCount || request.count == 0 ? 0 : nil)
        }
        return try QueryDeadline.run(db, timeout: request.limits.queryTimeout) { deadline in
            let plan = try deadline.guarding {
                try SearchPlan(
                    request: request, range: range, estimates: estimates, documents: documents, systems: systems,
                    db: db)
            }
            var page = try plan.run(db, deadline: deadline)
            // Links name the index they were made on, so a swap can tell them apart.
            page.next?.index = version
            page.previous?.index = version
            return page
        }
    }

    /// How many SQLite virtual-machine steps the query for one page of `request` takes: a
    /// measure of the rows it visits that does not depend on the machine, for tests that hold
    /// deep pages to the cost of the first.
    public func pageSteps(_ request: SearchRequest) throws -> Int {
        guard let range = types[request.resourceType] else { return 0 }
        return try reader.read { db in
            let plan = try SearchPlan(
                request: request, range: range, estimates: estimates, documents: documents, systems: systems, db: db)
            let forward = request.cursor?.direction != .before
            let key = try request.cursor.map { try plan.resolve($0, db) }
            let (sql, arguments) = try plan.pageSQL(forward: forward, key: key, limit: request.count + 1).build(db)
            let statement = try db.makeStatement(sql: sql)
            try statement.setArguments(arguments)
            _ = try Row.fetchAll(statement)
            return Int(sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_VM_STEP, 0))
        }
    }

    /// The plan SQLite chooses for a search, for tests and benchmarks that guard against scans.
    public func explain(_ request: SearchRequest) throws -> [String] {
        guard let range = types[request.resourceType] else { return [] }
        return try reader.read { db in
            let plan = try SearchPlan(
                request: request, range: range, estimates: estimates, documents: documents, systems: systems, db: db)
            let (sql, arguments) = try plan.pageSQL(forward: true, key: nil, limit: request.count + 1).build(db)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }
}
