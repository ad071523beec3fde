import FHIRCore
import Foundation
import GRDB
import Indexing
import Ingest
import SearchParameters

/// Builds an index file from FHIR NDJSON, JSON resources and Bundles.
///
/// The file is written under a temporary name in the output's folder and renamed over the
/// output only once complete, so a failed or interrupted build never leaves a half-written
/// index where the server looks. The phases (`BuildPhase`) run in order: every record is
/// parsed once, on every core, and each table is filled in its key order.
public struct IndexBuilder: Sendable {
    public struct Options: Sendable {
        public var inputs: [String]
        public var output: String
        /// Any rejected record fails the build.
        public var strict: Bool
        /// Stamped as `meta.lastUpdated` where a source resource has none.
        public var buildTime: Date
        /// Threads that parse and extract; the writer runs beside them.
        public var workers: Int
        /// Fix what the R4 check finds that is unambiguous (a number where a string belongs, one
        /// object where an array belongs), and store the repaired resource.
        public var repair: Bool
        /// The index this build versions against: unchanged resources keep its bytes, version and
        /// `meta.lastUpdated`; what it had and the inputs lack is recorded as deleted.
        public var previous: String?
        /// How long a deletion stays recorded (`--keep-deletions`).
        public var keepDeletions: Duration
        /// ZIP code points (`zcta,lat,lon`) to load for `GET /web/geo/zip/{zip}`; nil loads none.
        public var zcta: String?

        public static let defaultKeepDeletions = Duration.seconds(90 * 86_400)

        public init(
            inputs: [String], output: String, strict: Bool = false, buildTime: Date = Date(),
            workers: Int = ProcessInfo.processInfo.activeProcessorCount, repair: Bool = false,
            previous: String? = nil, keepDeletions: Duration = defaultKeepDeletions, zcta: String? = nil
        ) {
            self.zcta = zcta
            self.repair = repair
            self.previous = previous
            self.keepDeletions = keepDeletions
            self.inputs = inputs
            self.output = output
            self.strict = strict
            self.buildTime = buildTime
            self.workers = workers
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
    /// `progress` is called from the building thread, at most a few times a second.
    @discardableResult
    public func build(_ options: Options, progress: @escaping (BuildProgress) -> Void = { _ in }) throws
        -> BuildReport
    {
        let files = BuildFiles(output: options.output)
        let run = BuildRun(registry: registry, options: options, progress: progress)
        var report = BuildReport(
            output: options.output, inputs: [], builtAt: run.buildInstant, seconds: 0, recordsRead: 0,
            resourcesIndexed: 0, resourcesByType: [:], rejected: 0, warnings: 0, issues: [], succeeded: false)
        let temporaries = [files.building] + IndexSchema.staging.map { files.staging($0.part) }
        for url in temporaries { BuildCleanup.track(url.path) }
        defer {
            for url in temporaries {
                try? FileManager.default.removeItem(at: url)
                BuildCleanup.untrack(url.path)
            }
        }
        func finish(_ report: inout BuildReport) {
            report.recordsRead = run.recordsRead
            report.resourcesIndexed = run.indexed
            report.resourcesByType = run.byType
            report.rejected = run.rejected
            report.warnings = run.warnings
            report.issues = run.issues
            report.warningsByKind = run.warningsByKind
            report.changes = run.previousPath == nil ? nil : run.changes
            report.previous = run.previousPath
            report.seconds = run.elapsed
            report.peakResidentBytes = ResourceUsage.peakResidentBytes()
        }
        do {
            try FileManager.default.createDirectory(at: files.folder, withIntermediateDirectories: true)
            files.removeAbandoned()
            let inputs = try SourceReader.files(for: options.inputs)
            report.inputs = inputs
            try run.build(inputs: inputs, files: files)
            finish(&report)
            if options.strict && (run.rejected > 0 || run.unrepairable > 0) {
                report.failure =
                    "\(run.rejected) records rejected and \(run.unrepairable) R4 problems --repair cannot fix; --strict is set"
                throw BuildFailed(report: report)
            }
            run.enter(.publish)
            // rename(2) replaces the old index atomically: a server that still has it open keeps
            // reading the old file, a new open sees the new one.
            // Under the cleanup lock: a signal now either finds the temporary file and removes
            // it before the rename, or finds the rename done.
            let renamed = BuildCleanup.creating { rename(files.building.path, files.output.path) == 0 }
            guard renamed else {
                throw IndexBuilder.RenameError(
                    description: "cannot move the index into place at \(files.output.path): errno \(errno)")
            }
            report.indexBytes =
                ((try? FileManager.default.attributesOfItem(atPath: files.output.path)[.size]) as? NSNumber)?
                .int64Value ?? 0
            report.seconds = run.elapsed
            report.succeeded = true
            return report
        } catch let failed as BuildFailed {
            throw failed
        } catch {
            finish(&report)
            report.failure = "\(error)"
            throw BuildFailed(report: report)
        }
    }
}
