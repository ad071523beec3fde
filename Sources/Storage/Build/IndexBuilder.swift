import FHIRCore
import Foundation
import GRDB
import Indexing
import SearchParameters

/// Builds an index file from FHIR NDJSON, JSON resources and Bundles.
///
/// The file is written under a temporary name in the output's folder and renamed over the
/// output only once complete, so a failed or interrupted build never leaves a half-written
/// index where the server looks.
public struct IndexBuilder: Sendable {
    public struct Options: Sendable {
        public var inputs: [String]
        public var output: String
        /// Any rejected record fails the build.
        public var strict: Bool
        /// Stamped as `meta.lastUpdated` where a source resource has none.
        public var buildTime: Date

        public init(inputs: [String], output: String, strict: Bool = false, buildTime: Date = Date()) {
            self.inputs = inputs
            self.output = output
            self.strict = strict
            self.buildTime = buildTime
        }
    }

    public struct BuildFailed: Error, CustomStringConvertible {
        public var report: BuildReport
        public var description: String { report.summary }
    }

    struct RenameError: Error, CustomStringConvertible {
        var description: String
    }

    public let registry: SearchParameterRegistry

    public init(registry: SearchParameterRegistry) {
        self.registry = registry
    }

    /// Builds the index; throws `BuildFailed` (carrying the report) when it cannot complete.
    @discardableResult
    public func build(_ options: Options) throws -> BuildReport {
        let started = Date()
        let outputURL = URL(fileURLWithPath: options.output).standardizedFileURL
        let folder = outputURL.deletingLastPathComponent()
        let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = folder.appendingPathComponent(".\(outputURL.lastPathComponent).building-\(token)")
        let stagingFile = folder.appendingPathComponent(".\(outputURL.lastPathComponent).staging-\(token)")
        var state = BuildState(
            registry: registry,
            buildInstant: DateRange.instantString(millis: Int64(options.buildTime.timeIntervalSince1970 * 1000)))
        var report = BuildReport(
            output: options.output, inputs: [], builtAt: state.buildInstant, seconds: 0, recordsRead: 0,
            resourcesIndexed: 0, resourcesByType: [:], rejected: 0, warnings: 0, issues: [], succeeded: false)
        defer {
            try? FileManager.default.removeItem(at: stagingFile)
            try? FileManager.default.removeItem(at: temporary)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let files = try SourceReader.files(for: options.inputs)
            report.inputs = files
            var configuration = Configuration()
            configuration.journalMode = .default
            let db = try DatabaseQueue(path: temporary.path, configuration: configuration)
            try db.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
                try db.execute(sql: "ATTACH DATABASE ? AS staging", arguments: [stagingFile.path])
                try db.execute(sql: "PRAGMA staging.journal_mode = OFF; PRAGMA staging.synchronous = OFF")
                try db.execute(sql: IndexSchema.tables)
                try db.execute(sql: IndexSchema.staging)
                try db.inTransaction {
                    for file in files {
                        try SourceReader.read(
                            file: file,
                            record: { record in try state.stage(record, db: db) },
                            issue: { state.add($0) })
                    }
                    return .commit
                }
                try db.inTransaction {
                    try state.load(db: db)
                    return .commit
                }
                try db.execute(sql: IndexSchema.indexes)
                // After the indexes: the existence check is one lookup per reference, not a scan.
                try state.reportDanglingReferences(db: db)
                try ContentIndex.build(db: db, registry: registry)
                try db.execute(sql: "DETACH DATABASE staging")
                try state.writeMeta(db: db, fingerprint: registry.fingerprint)
                try db.execute(sql: "ANALYZE")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try db.close()
            report.recordsRead = state.recordsRead
            report.resourcesIndexed = state.indexed
            report.resourcesByType = state.byType
            report.rejected = state.rejected
            report.warnings = state.warnings
            report.issues = state.issues
            report.seconds = Date().timeIntervalSince(started)
            if options.strict && state.rejected > 0 {
                report.failure = "\(state.rejected) records rejected and --strict is set"
                throw BuildFailed(report: report)
            }
            // rename(2) replaces the old index atomically: a server that still has it open keeps
            // reading the old file, a new open sees the new one.
            guard rename(temporary.path, outputURL.path) == 0 else {
                throw IndexBuilder.RenameError(
                    description: "cannot move the index into place at \(outputURL.path): errno \(errno)")
            }
            report.succeeded = true
            return report
        } catch let failed as BuildFailed {
            throw failed
        } catch {
            report.recordsRead = state.recordsRead
            report.rejected = state.rejected
            report.warnings = state.warnings
            report.issues = state.issues
            report.seconds = Date().timeIntervalSince(started)
            report.failure = "\(error)"
            throw BuildFailed(report: report)
        }
    }
}

/// Mutable state of one build: counts, issues, and the per-type rid ranges.
struct BuildState {
    let registry: SearchParameterRegistry
    let extractor: ResourceExtractor
    let buildInstant: String
    let buildMillis: Int64
    var recordsRead = 0
    var indexed = 0
    var rejected = 0
    var warnings = 0
    var byType: [String: Int] = [:]
    var issues: [SourceIssue] = []

    init(registry: SearchParameterRegistry, buildInstant: String) {
        self.registry = registry
        self.extractor = ResourceExtractor(registry: registry)
        self.buildInstant = buildInstant
        self.buildMillis = DateRange(fhir: buildInstant)?.low ?? 0
    }

    mutating func add(_ issue: SourceIssue) {
        switch issue.severity {
        case .rejected: rejected += 1
        case .warning: warnings += 1
        }
        if issues.count < BuildReport.maximumListedIssues { issues.append(issue) }
    }

    /// Validates one record and puts it in the staging table.
    mutating func stage(_ record: SourceRecord, db: Database) throws {
        recordsRead += 1
        func reject(_ reason: String, _ resource: String? = nil) {
            add(
                SourceIssue(
                    severity: .rejected, file: record.file, line: record.line, reason: reason, resource: resource))
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(record.bytes)
        } catch {
            let at = JSONBytes.lineAndColumn(of: error.offset, in: record.bytes)
            reject("invalid JSON: \(error.reason) (column \(at.column))")
            return
        }
        guard case .object = json else {
            reject("not a JSON object")
            return
        }
        guard let type = json["resourceType"]?.stringValue, !type.isEmpty else {
            reject("missing resourceType")
            return
        }
        guard let id = json["id"]?.stringValue, !id.isEmpty else {
            reject("missing id", type)
            return
        }
        guard FHIRID.isValid(id) else {
            reject("id '\(id.prefix(80))' breaks FHIR id syntax ([A-Za-z0-9-.]{1,64})", type)
            return
        }
        guard registry.supports(type) else {
            reject("unsupported resourceType \(type)", "\(type)/\(id)")
            return
        }
        var bytes = JSONBytes.compact(record.bytes)
        if json["meta"]?["lastUpdated"]?.stringValue == nil {
            bytes = JSONBytes.insertingLastUpdated(
                bytes, instant: buildInstant, hasMeta: json["meta"]?.objectValue != nil)
        }
        if let previous = try Row.fetchOne(
            db, sql: "SELECT file, line FROM staging.record WHERE type = ? AND id = ?", arguments: [type, id])
        {
            let file: String = previous["file"]
            let line: Int = previous["line"]
            add(
                SourceIssue(
                    severity: .rejected, file: file, line: line,
                    reason: "duplicate \(type)/\(id): replaced by \(record.file) line \(record.line)",
                    resource: "\(type)/\(id)"))
        }
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO staging.record(type, id, file, line, json) VALUES (?, ?, ?, ?, ?)"
        )
        .execute(arguments: [type, id, record.file, record.line, Data(bytes)])
    }

    /// Numbers the staged resources in (type, id) order and writes them with their search values.
    mutating func load(db: Database) throws {
        let insertResource = try db.makeStatement(
            sql: "INSERT INTO resource(rid, type, id, last_updated, json) VALUES (?, ?, ?, ?, ?)")
        let insertToken = try db.makeStatement(sql: "INSERT OR IGNORE INTO tok(pid, v, rid) VALUES (?, ?, ?)")
        let insertString = try db.makeStatement(sql: "INSERT INTO str(pid, v, raw, rid) VALUES (?, ?, ?, ?)")
        let insertDate = try db.makeStatement(sql: "INSERT INTO dt(pid, lo, hi, rid) VALUES (?, ?, ?, ?)")
        let insertReference = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO ref(pid, ttype, tid, rid) VALUES (?, ?, ?, ?)")
        let insertType = try db.makeStatement(sql: "INSERT INTO resource_type(type, lo, hi, count) VALUES (?, ?, ?, ?)")
        var rid: Int64 = 0
        var currentType: String?
        var typeStart: Int64 = 1
        func closeType(last: Int64) throws {
            if let currentType {
                try insertType.execute(arguments: [currentType, typeStart, last, last - typeStart + 1])
                byType[currentType] = Int(last - typeStart + 1)
            }
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT type, id, json FROM staging.record ORDER BY type, id")
        while let row = try rows.next() {
            let type: String = row[0]
            let id: String = row[1]
            let data: Data = row[2]
            rid += 1
            if type != currentType {
                try closeType(last: rid - 1)
                currentType = type
                typeStart = rid
            }
            let bytes = [UInt8](data)
            // Staged bytes were validated in `stage`.
            let json = (try? JSONParser.parse(bytes)) ?? .null
            let values = extractor.extract(resourceType: type, resource: json)
            try insertResource.execute(arguments: [rid, type, id, values.lastUpdated ?? buildMillis, data])
            for t in values.tokens { try insertToken.execute(arguments: [t.pid, t.value, rid]) }
            for s in values.strings { try insertString.execute(arguments: [s.pid, s.folded, s.raw, rid]) }
            for s in values.texts { try insertString.execute(arguments: [s.pid, s.folded, s.raw, rid]) }
            for d in values.dates { try insertDate.execute(arguments: [d.pid, d.range.low, d.range.high, rid]) }
            for r in values.references {
                try insertReference.execute(arguments: [r.pid, r.target.type, r.target.id, rid])
            }
            indexed += 1
        }
        try closeType(last: rid)
    }

    /// Reports references to `Type/id` that are not in the input; the resources stay indexed.
    mutating func reportDanglingReferences(db: Database) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.file, s.line, r.type, r.id, f.ttype, f.tid, f.pid
                FROM ref f
                JOIN resource r ON r.rid = f.rid
                JOIN staging.record s ON s.type = r.type AND s.id = r.id
                WHERE f.ttype <> ''
                  AND NOT EXISTS (SELECT 1 FROM resource t WHERE t.type = f.ttype AND t.id = f.tid)
                ORDER BY f.rid, f.pid
                """)
        let codes = Dictionary(uniqueKeysWithValues: registry.all.map { ($0.pid, $0.code) })
        while let row = try rows.next() {
            let type: String = row[2]
            let id: String = row[3]
            let targetType: String = row[4]
            let targetID: String = row[5]
            let pid: Int = row[6]
            add(
                SourceIssue(
                    severity: .warning, file: row[0], line: row[1],
                    reason:
                        "\(codes[pid] ?? "reference") refers to \(targetType)/\(targetID), which is not in the input",
                    resource: "\(type)/\(id)"))
        }
    }

    func writeMeta(db: Database, fingerprint: String) throws {
        let values: [(String, String)] = [
            ("format", IndexSchema.formatVersion),
            ("registry", fingerprint),
            ("built_at", buildInstant),
            ("resources", String(indexed)),
            ("version", "\(buildMillis)-\(indexed)"),
        ]
        for (key, value) in values {
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
