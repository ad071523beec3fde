import ArgumentParser
import Dispatch
import Foundation
import SearchParameters
import Storage

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build an index file from FHIR NDJSON, JSON resources, Bundles, or folders of them.")

    @Argument(help: "Input .ndjson/.json files or folders (read recursively).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The index file to write (replaced only when the build succeeds).")
    var output: String

    @Option(help: "Where to write the JSON build report (default: OUTPUT.report.json).")
    var report: String?

    @Flag(help: "Fail the build when any source record is rejected or breaks an R4 rule that --repair cannot fix.")
    var strict = false

    @Flag(
        help: """
            Fix what the R4 check finds that is unambiguous (a number or boolean where a string belongs \
            becomes that text; one object where an array belongs becomes a one-element array) and store \
            the repaired resource. Each repair is listed in the report.
            """)
    var repair = false

    @Option(help: "Threads that parse and extract records (default: one per core).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: """
            Version against this earlier index: unchanged resources keep its bytes, meta.versionId and \
            meta.lastUpdated; changed and new ones get the build time and their next version; resources it \
            has and the inputs lack are recorded as deleted. It may be the --output file itself.
            """)
    var previous: String?

    @Option(help: "With --previous, how long a deletion stays recorded (90d, 12h, 0 for none).")
    var keepDeletions = Interval(argument: "90d")!

    @Option(
        help: """
            ZIP code points to load (zcta,lat,lon), for the web page's ZIP search. Default: Data/geo/zcta-2023.csv \
            from the working folder or beside the plandir binary, when there.
            """)
    var zcta: String?

    @Flag(help: "Print no progress while building.")
    var quiet = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one input") }
        if workers < 1 || workers > 256 { throw ValidationError("--workers must be 1...256") }
        if let zcta, !FileManager.default.fileExists(atPath: zcta) {
            throw ValidationError("--zcta: no file at \(zcta)")
        }
    }

    func run() throws {
        let registry = try SearchParameterRegistry.bundled()
        let reportPath = report ?? output + ".report.json"
        let signals = Self.removeTemporaryFilesOnSignal()
        defer { signals.forEach { $0.cancel() } }
        let line = ProgressLine()
        do {
            let result = try IndexBuilder(registry: registry).build(
                .init(
                    inputs: inputs, output: output, strict: strict, workers: workers, repair: repair,
                    previous: previous, keepDeletions: keepDeletions.duration, zcta: zcta ?? Self.defaultZCTA()),
                progress: { progress in if !quiet { line.show(progress) } })
            line.finish()
            try result.write(to: reportPath)
            print(result.summary + "; report: \(reportPath)")
        } catch let failed as IndexBuilder.BuildFailed {
            line.finish()
            try? failed.report.write(to: reportPath)
            FileHandle.standardError.write(Data((failed.report.summary + "; report: \(reportPath)\n").utf8))
            throw ExitCode.failure
        }
    }

    /// The committed ZIP code points: in the working folder (a checkout, the image's /app), or
    /// beside the binary (`.build/release/plandir` in a checkout).
    static func defaultZCTA() -> String? {
        let relative = "Data/geo/zcta-2023.csv"
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative),
            binary.appendingPathComponent(relative),
            binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(relative),
            binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(relative),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.path
    }

    /// SIGINT and SIGTERM remove the build's temporary files and exit, so an interrupted build
    /// leaves the previous index and nothing else.
    static func removeTemporaryFilesOnSignal() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                BuildCleanup.removeAllBeforeExit()
                FileHandle.standardError.write(Data("\nbuild stopped by signal \(number); nothing was written\n".utf8))
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
