import Conformance
import FHIRCore
import Foundation
import GRDB
import Indexing
import Ingest
import SearchParameters

/// One build in progress: its phases, counts, issues and progress reports.
final class BuildRun {
    let registry: SearchParameterRegistry
    let options: IndexBuilder.Options
    let buildInstant: String
    let buildMillis: Int64
    private let progress: (BuildProgress) -> Void
    private let started = Date()
    private var phase = BuildPhase.stage
    private var phaseStarted = Date()
    private var lastReport = Date.distantPast
    private var bytesRead: Int64 = 0
    private var bytesTotal: Int64 = 0

    var inputs: [String] = []
    var recordsRead = 0
    var indexed = 0
    var rejected = 0
    var warnings = 0
    var byType: [String: Int] = [:]
    var issues: [SourceIssue] = []
    /// Warnings counted by kind (`SourceIssue.kind`).
    var warningsByKind: [String: Int] = [:]
    /// R4 problems that `--repair` cannot fix; `--strict` fails on them.
    var unrepairable = 0
    /// Against the previous index (`--previous`), by type.
    var changes: [String: ChangeCounts] = [:]
    var previousPath: String? { options.previous }
    private var previous: PreviousIndex?
    /// ZIP code points loaded.
    private(set) var zctaRows = 0

    init(registry: SearchParameterRegistry, options: IndexBuilder.Options, progress: @escaping (BuildProgress) -> Void)
    {
        self.registry = registry
        self.options = options
        self.progress = progress
        self.buildInstant = DateRange.instantString(millis: Int64(options.buildTime.timeIntervalSince1970 * 1000))
        self.buildMillis = DateRange(fhir: buildInstant)?.low ?? 0
    }

    var elapsed: Double { Date().timeIntervalSince(started) }

    func add(_ issue: SourceIssue) {
        switch issue.severity {
        case .rejected: rejected += 1
        case .warning:
            warnings += 1
            warningsByKind[issue.kind ?? "other", default: 0] += 1
        }
        if issues.count < BuildReport.maximumListedIssues { issues.append(issue) }
    }

    func enter(_ next: BuildPhase, step: String? = nil) {
        phase = next
        phaseStarted = Date()
        report(step: step, done: next == .stage ? recordsRead : 0, force: true)
    }

    func report(step: String? = nil, done: Int? = nil, force: Bool = false) {
        let now = Date()
        guard force || now.timeIntervalSince(lastReport) >= 0.25 else { return }
        lastReport = now
        progress(
            BuildProgress(
                phase: phase, step: step, done: done ?? recordsRead, bytesRead: bytesRead, bytesTotal: bytesTotal,
                elapsed: now.timeIntervalSince(started), phaseElapsed: now.timeIntervalSince(phaseStarted)))
    }

    /// Runs every phase up to (not including) publishing into `files.building`.
    func build(inputs: [String], files: BuildFiles) throws {
        self.inputs = inputs
        bytesTotal = SourceReader.totalBytes(of: inputs)
        var configuration = Configuration()
        configuration.journalMode = .default
        let queue = try BuildCleanup.creating {
            try DatabaseQueue(path: files.building.path, configuration: configuration)
        }
        if let path = options.previous {
            previous = try PreviousIndex(path: path, readers: options.workers)
        }
        defer { previous = nil }
        try queue.writeWithoutTransaction { db in
            // Nothing here needs to survive a crash: a failed build is deleted whole.
            try db.execute(
                sql: """
                    PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;
                    PRAGMA threads = 2; PRAGMA temp_store = FILE
                    """)
            try db.execute(sql: IndexSchema.tables)
            for (part, sql) in IndexSchema.staging {
                try BuildCleanup.creating {
                    try db.execute(sql: "ATTACH DATABASE ? AS s_\(part)", arguments: [files.staging(part).path])
                }
                try db.execute(sql: "PRAGMA s_\(part).journal_mode = OFF; PRAGMA s_\(part).synchronous = OFF")
                try db.execute(sql: sql.replacingOccurrences(of: "CREATE TABLE ", with: "CREATE TABLE s_\(part)."))
            }
            enter(.stage)
            let dictionaries = try trainDictionaries()
            try db.inTransaction {
                for entry in dictionaries.entries {
                    try db.execute(
                        sql: "INSERT INTO dictionary(id, type, bytes) VALUES (?, ?, ?)",
                        arguments: [entry.id, entry.type, Data(entry.bytes)])
                }
                let state = StagingState()
                try stage(db, dictionaries: dictionaries, state: state)
                try state.systems.save(db)
                return .commit
            }
            enter(.number)
            let staged = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM s_rec.rec") ?? 0
            let map = RidMap(count: staged)
            try db.inTransaction {
                try number(db, into: map)
                return .commit
            }
            try map.register(on: db)
            enter(.load)
            // SQLite holds a bare pointer into the map: keep it alive until the loads are done.
            try withExtendedLifetime(map) {
                for (part, sql) in IndexSchema.loads {
                    report(step: part, force: true)
                    try db.execute(sql: sql)
                    try db.execute(sql: "DETACH DATABASE s_\(part)")
                    try? FileManager.default.removeItem(at: files.staging(part))
                }
            }
            for chain in registry.materialized {
                report(step: "\(chain.link.resourceType).\(chain.link.code).\(chain.target.code)", force: true)
                try materialize(chain, db)
            }
            for (name, sql) in IndexSchema.derived {
                report(step: name, force: true)
                try db.execute(sql: sql)
            }
            enter(.index)
            for (name, sql) in IndexSchema.indexes {
                report(step: name, force: true)
                try db.execute(sql: sql)
            }
            if let previous {
                enter(.deletions)
                try recordDeletions(db, previous: previous)
            }
            enter(.references)
            // After the indexes: the existence check is one lookup per reference, not a scan.
            try reportDanglingReferences(db)
            try db.execute(sql: "DETACH DATABASE s_rec")
            try? FileManager.default.removeItem(at: files.staging("rec"))
            enter(.content)
            try ContentIndex.build(db: db, registry: registry)
            report(step: "contains", force: true)
            try ContainsIndex.build(db: db, registry: registry)
            enter(.analyze)
            if let path = options.zcta { try loadZCTA(db, path: path) }
            try writeMeta(db)
            // Sampled statistics: the planner needs their shape, not exact counts, and a full
            // ANALYZE reads every index of a national file.
            try db.execute(sql: "PRAGMA analysis_limit = 2000; ANALYZE")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        try queue.close()
    }

    /// Samples records from the start of each input and makes a deflate dictionary per type.
    ///
    /// The sample is the first records of every file, at most `sampleRecordsPerFile` of each
    /// and `sampleBytes` in all, so a folder of many files is not read twice.
    private func trainDictionaries() throws -> DocumentDictionaries {
        struct Enough: Error {}
        let processor = RecordProcessor(registry: registry, buildInstant: buildInstant)
        var samples: [String: [[UInt8]]] = [:]
        var total = 0
        for file in inputs where total < Self.sampleBytes {
            var taken = 0
            do {
                try SourceReader.read(
                    file: file,
                    record: { record in
                        taken += 1
                        total += record.bytes.count
                        if case .staged(let staged) = processor.process(record.bytes),
                            samples[staged.type, default: []].count < DocumentDictionaries.samplesPerType * 4
                        {
                            samples[staged.type, default: []].append(staged.document)
                        }
                        if taken >= Self.sampleRecordsPerFile || total >= Self.sampleBytes { throw Enough() }
                    }, issue: { _ in })
            } catch is Enough {
                continue
            } catch {
                // The stage phase reads the file again and reports what is wrong with it.
                continue
            }
        }
        return DocumentDictionaries.train(samples: samples, existing: previous?.dictionaries ?? .init())
    }

    static let sampleRecordsPerFile = 1024
    static let sampleBytes = 32 << 20

    /// Reads every input through the pipeline and appends each record's deflated bytes (`doc`),
    /// its identity (`rec`) and its values (`*_s`) under its input position `seq`.
    private func stage(_ db: Database, dictionaries: DocumentDictionaries, state: StagingState) throws {
        let insertDoc = try BulkStatement(db, "INSERT INTO doc(seq, dict, size, body) VALUES (?, ?, ?, ?)")
        let insertRecord = try BulkStatement(
            db,
            """
            INSERT INTO s_rec.rec(seq, type, id, file, line, last_updated, hash, version, change)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertValues = try IndexSchema.valueTables.map { table in
            (table, try BulkStatement(db, table.stagingInsert))
        }
        var seq: Int64 = 0
        let processor = RecordProcessor(
            registry: registry, buildInstant: buildInstant, dictionaries: dictionaries,
            checker: try ResourceChecker.bundled(), repair: options.repair, previous: previous)
        let pipeline = RecordPipeline(files: inputs, processor: processor, workers: options.workers)
        try pipeline.run { batch in
            for issue in batch.fileIssues { add(issue) }
            for item in batch.items {
                recordsRead += 1
                switch item.outcome {
                case .rejected(let reason, let resource):
                    add(
                        SourceIssue(
                            severity: .rejected, file: inputs[item.file], line: item.line, reason: reason,
                            resource: resource))
                case .staged(let staged):
                    for problem in staged.problems {
                        if !problem.repairable { unrepairable += 1 }
                        let repaired = problem.repairable && options.repair
                        add(
                            SourceIssue(
                                severity: .warning, file: inputs[item.file], line: item.line,
                                reason: "\(problem.location): \(problem.expected)\(repaired ? "; repaired" : "")",
                                resource: "\(staged.type)/\(staged.id)", location: problem.location,
                                kind: problem.kind.rawValue))
                    }
                    seq += 1
                    insertDoc.bind(1, seq)
                    insertDoc.bind(2, staged.dictionary ?? 0)
                    insertDoc.bind(3, staged.size)
                    insertDoc.bind(4, blob: staged.document)
                    try insertDoc.run()
                    insertRecord.bind(1, seq)
                    insertRecord.bind(2, staged.type)
                    insertRecord.bind(3, staged.id)
                    insertRecord.bind(4, item.file)
                    insertRecord.bind(5, item.line)
                    insertRecord.bind(6, staged.lastUpdated)
                    insertRecord.bind(7, staged.contentHash)
                    insertRecord.bind(8, staged.version)
                    insertRecord.bind(9, staged.change?.rawValue ?? 0)
                    try insertRecord.run()
                    for (table, statement) in insertValues {
                        try table.stage(staged.values, seq: seq, statement, state)
                    }
                }
            }
            bytesRead = batch.bytesRead
            report()
        }
    }

    /// Sorts the staged records by (type, id): the last of each duplicate wins, the rest are
    /// reported and their bytes dropped; the survivors are numbered into `resource` and `map`.
    ///
    ///     SELECT seq, type, id, file, line, last_updated, hash, version, change FROM s_rec.rec
    ///     ORDER BY type, id, seq
    private func number(_ db: Database, into map: RidMap) throws {
        let insertResource = try BulkStatement(
            db, "INSERT INTO resource(rid, type, id, last_updated, doc, hash, version) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let insertType = try db.makeStatement(sql: "INSERT INTO resource_type(type, lo, hi, count) VALUES (?, ?, ?, ?)")
        let deleteDoc = try db.makeStatement(sql: "DELETE FROM doc WHERE seq = ?")
        struct Pending {
            var seq: Int64
            var type: String
            var id: String
            var file: Int
            var line: Int
            var lastUpdated: Int64
            var hash: Int64
            var version: Int64
            var change: Int
        }
        var pending: Pending?
        var rid: Int64 = 0
        var currentType: String?
        var typeStart: Int64 = 1
        func closeType(last: Int64) throws {
            if let currentType {
                try insertType.execute(arguments: [currentType, typeStart, last, last - typeStart + 1])
                byType[currentType] = Int(last - typeStart + 1)
            }
        }
        func emit(_ record: Pending) throws {
            rid += 1
            if record.type != currentType {
                try closeType(last: rid - 1)
                currentType = record.type
                typeStart = rid
            }
            insertResource.bind(1, rid)
            insertResource.bind(2, record.type)
            insertResource.bind(3, record.id)
            insertResource.bind(4, record.lastUpdated)
            insertResource.bind(5, record.seq)
            insertResource.bind(6, record.hash)
            insertResource.bind(7, record.version)
            try insertResource.run()
            if let change = ResourceChange(rawValue: record.change) {
                changes[record.type, default: .init()].count(change)
            }
            map[record.seq] = UInt32(truncatingIfNeeded: rid)
            indexed += 1
            if indexed % 8192 == 0 { report(done: indexed) }
        }
        let rows = try Row.fetchCursor(
            db,
            sql:
                "SELECT seq, type, id, file, line, last_updated, hash, version, change FROM s_rec.rec ORDER BY type, id, seq"
        )
        while let row = try rows.next() {
            let record = Pending(
                seq: row[0], type: row[1], id: row[2], file: row[3], line: row[4], lastUpdated: row[5], hash: row[6],
                version: row[7], change: row[8])
            if let previous = pending {
                if previous.type == record.type && previous.id == record.id {
                    add(
                        SourceIssue(
                            severity: .rejected, file: inputs[previous.file], line: previous.line,
                            reason:
                                "duplicate \(record.type)/\(record.id): replaced by \(inputs[record.file]) line \(record.line)",
                            resource: "\(record.type)/\(record.id)"))
                    try deleteDoc.execute(arguments: [previous.seq])
                } else {
                    try emit(previous)
                }
            }
            pending = record
        }
        if let pending { try emit(pending) }
        try closeType(last: rid)
    }

    /// Records as deleted, at the build time, what the previous index had and this one lacks,
    /// and carries over the previous index's deletions that are younger than `keepDeletions`
    /// and did not come back.
    ///
    ///     INSERT INTO deleted(type, id, version, deleted_at)
    ///     SELECT p.type, p.id, p.version, :build FROM prev.resource p
    ///     WHERE NOT EXISTS (SELECT 1 FROM resource r WHERE r.type = p.type AND r.id = p.id)
    private func recordDeletions(_ db: Database, previous: PreviousIndex) throws {
        try db.execute(sql: "ATTACH DATABASE ? AS prev", arguments: [previous.path])
        defer { try? db.execute(sql: "DETACH DATABASE prev") }
        let keep = options.keepDeletions.components
        let cutoff = buildMillis - keep.seconds * 1000 - keep.attoseconds / 1_000_000_000_000_000
        try db.inTransaction {
            try db.execute(
                literal: """
                    INSERT INTO deleted(type, id, version, deleted_at)
                    SELECT p.type, p.id, p.version, \(buildMillis) FROM prev.resource p
                    WHERE NOT EXISTS (SELECT 1 FROM resource r WHERE r.type = p.type AND r.id = p.id)
                    ORDER BY p.type, p.id
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT type, count(*) FROM deleted GROUP BY type") {
                changes[row[0], default: .init()].removed = row[1]
            }
            try db.execute(
                literal: """
                    INSERT OR IGNORE INTO deleted(type, id, version, deleted_at)
                    SELECT d.type, d.id, d.version, d.deleted_at FROM prev.deleted d
                    WHERE d.deleted_at >= \(cutoff)
                      AND NOT EXISTS (SELECT 1 FROM resource r WHERE r.type = d.type AND r.id = d.id)
                    """)
            return .commit
        }
    }

    /// Copies a chained target's values onto every resource that refers to it, under the
    /// chain's own pid (`ValueTable.materialize`).
    private func materialize(_ chain: MaterializedChain, _ db: Database) throws {
        // The registry loads only supported types, and each has a table.
        guard let table = chain.target.type.valueTable else { return }
        try db.execute(literal: table.materialize(chain: chain.pid, link: chain.link.pid, target: chain.target.pid))
        // A copy of a single-system parameter's tokens has that one system too.
        try db.execute(
            sql: "INSERT OR IGNORE INTO token_pid(pid, sys) SELECT ?, sys FROM token_pid WHERE pid = ?",
            arguments: [chain.pid, chain.target.pid])
    }

    /// Reports references to `Type/id` that are not in the input; the resources stay indexed.
    private func reportDanglingReferences(_ db: Database) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.file, s.line, r.type, r.id, f.ttype, f.tid, f.pid
                FROM ref f
                JOIN resource r ON r.rid = f.rid
                JOIN s_rec.rec s ON s.seq = r.doc
                WHERE f.ttype <> ''
                  AND NOT EXISTS (SELECT 1 FROM resource t WHERE t.type = f.ttype AND t.id = f.tid)
                ORDER BY f.rid, f.pid
                """)
        let codes = Dictionary(uniqueKeysWithValues: registry.all.map { ($0.pid, $0.code) })
        while let row = try rows.next() {
            let file: Int = row[0]
            let type: String = row[2]
            let id: String = row[3]
            let targetType: String = row[4]
            let targetID: String = row[5]
            let pid: Int = row[6]
            add(
                SourceIssue(
                    severity: .warning, file: inputs[file], line: row[1],
                    reason:
                        "\(codes[pid] ?? "reference") refers to \(targetType)/\(targetID), which is not in the input",
                    resource: "\(type)/\(id)", kind: "dangling-reference"))
        }
    }

    /// Loads the ZIP code points; bad rows are warnings with their line.
    ///
    ///     INSERT INTO zcta(zcta, lat, lon) VALUES (?, ?, ?)
    private func loadZCTA(_ db: Database, path: String) throws {
        let file = try ZCTAFile(path: path)
        for issue in file.issues { add(issue) }
        try db.inTransaction {
            let insert = try db.makeStatement(sql: "INSERT INTO zcta(zcta, lat, lon) VALUES (?, ?, ?)")
            for point in file.points.sorted(by: { $0.zcta < $1.zcta }) {
                try insert.execute(arguments: [point.zcta, point.latitude, point.longitude])
            }
            return .commit
        }
        zctaRows = file.points.count
    }

    private func writeMeta(_ db: Database) throws {
        let values: [(String, String)] =
            [
                ("format", IndexSchema.formatVersion),
                ("registry", registry.fingerprint),
                ("built_at", buildInstant),
                ("resources", String(indexed)),
                ("version", "\(buildMillis)-\(indexed)"),
                ("zcta_rows", String(zctaRows)),
            ] + (previous.map { [("previous_version", $0.version)] } ?? [])
        for (key, value) in values {
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
