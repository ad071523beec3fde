import ArgumentParser
import Foundation
import Logging
import SearchParameters
import Server
import Storage

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve an index over FHIR R4 at /fhir.")

    static let sampleIndex = "Indexes/sample.sqlite"
    static let sampleData = "Data/sample"

    @Option(help: "The index file to serve. Default: \(sampleIndex), built from \(sampleData) when missing or stale.")
    var index: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "Public FHIR base URL for links, when behind a proxy (e.g. https://example.org/fhir).")
    var baseURL: String?

    @Flag(
        help: """
            Behind a proxy that sets them: take the base of links from Forwarded or \
            X-Forwarded-Proto/-Host/-Prefix (implausible values are ignored; --base-url still wins).
            """)
    var trustForwardedHeaders = false

    @OptionGroup(title: "Search limits")
    var limitOptions: SearchLimitOptions

    @Option(help: "Requests that may wait for a database connection when all are busy; more get 503.")
    var queueLength = 256

    @Option(help: "Seconds a request may wait for a database connection before it gets 503.")
    var queueWait = 1.0

    @Option(help: "Open connections at most; beyond it new ones wait in the listen backlog.")
    var maxConnections = 4096

    @Option(help: "Seconds a connection may stay silent (no request part arriving) before it is closed.")
    var idleTimeout = 30.0

    @Option(help: "Bytes of request headers at most (more is an empty 400 and a closed connection).")
    var maxHeaderBytes = 16 * 1024

    @Option(help: "Seconds clients and proxies may reuse a response (Cache-Control max-age).")
    var cacheMaxAge = 300

    @Option(help: "Bytes of encoded responses kept in memory; 0 turns the response cache off.")
    var cacheBytes = 64 << 20

    @Option(help: "Gzip bodies of at least this many bytes for clients that accept it.")
    var gzipThreshold = 1024

    @Option(
        help: """
            Seconds between checks for a rebuilt index file renamed onto --index; 0: only on SIGHUP. A new file is \
            validated before it is swapped in; one that fails is refused and the old index keeps serving.
            """)
    var reloadInterval = 5.0

    @Option(help: "Seconds a replaced index keeps answering the page links made on it; then they get 410 Gone.")
    var linkGrace = 600.0

    @Option(help: "Bulk Data $export jobs kept at once; a kick-off beyond them gets 429 with Retry-After.")
    var exportJobs = 16

    @Option(help: "How long an $export job and its files stay available (1h, 30m, 2d).")
    var exportTtl = Interval(argument: "1h")!

    @Option(help: "Resources per $export file at most; a type with more is split into parts.")
    var exportPartResources = 100_000

    @Flag(help: "Skip PRAGMA quick_check (it reads the whole file) when validating a new index before a swap.")
    var noQuickCheck = false

    @Option(help: "Seconds in-flight requests get to finish after SIGTERM.")
    var shutdownTimeout = 10.0

    @Option(
        help: """
            trace, debug, info, notice, warning, error or critical. At info each request logs one line; \
            warning keeps only problems.
            """)
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard cacheMaxAge >= 0 else { throw ValidationError("--cache-max-age must be 0 or more") }
        guard cacheBytes >= 0 else { throw ValidationError("--cache-bytes must be 0 or more") }
        guard gzipThreshold >= 0 else { throw ValidationError("--gzip-threshold must be 0 or more") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard maxConnections >= 1, idleTimeout > 0, idleTimeout.isFinite, maxHeaderBytes >= 1024 else {
            throw ValidationError(
                "--max-connections must be 1 or more, --idle-timeout more than 0, --max-header-bytes 1024 or more")
        }
        guard queueLength >= 0, queueWait > 0, queueWait.isFinite else {
            throw ValidationError("--queue-length must be 0 or more and --queue-wait more than 0")
        }
        guard exportJobs >= 1, exportPartResources >= 1, exportTtl.duration > .zero else {
            throw ValidationError(
                "--export-jobs and --export-part-resources must be at least 1, --export-ttl more than 0")
        }
        guard linkGrace >= 0, linkGrace.isFinite else {
            throw ValidationError("--link-grace must be 0 or more seconds")
        }
        guard reloadInterval >= 0, shutdownTimeout > 0 else {
            throw ValidationError("--reload-interval must be 0 or more and --shutdown-timeout more than 0")
        }
    }

    func run() async throws {
        var logger = Logger(label: "plandir")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let registry = try SearchParameterRegistry.bundled()
        let directory: DirectoryIndex
        if let index {
            directory = try DirectoryIndex(path: index, registry: registry)
        } else {
            directory = try Self.openSample(registry: registry, logger: logger)
        }
        logger.info(
            "serving index",
            metadata: [
                "path": "\(directory.path)", "version": "\(directory.version)", "url": "http://\(host):\(port)/fhir",
            ])
        var configuration = ServerConfiguration(
            host: host, port: port, baseURL: baseURL, cacheMaxAge: cacheMaxAge, cacheBytes: cacheBytes,
            gzipThreshold: gzipThreshold,
            reloadInterval: reloadInterval > 0 ? .milliseconds(Int(reloadInterval * 1000)) : nil,
            trustForwardedHeaders: trustForwardedHeaders, limits: limitOptions.limits)
        configuration.linkGrace = .milliseconds(Int64(linkGrace * 1000))
        configuration.validateStructure = !noQuickCheck
        configuration.exportJobs = exportJobs
        configuration.exportLifetime = exportTtl.duration
        configuration.exportPartResources = exportPartResources
        configuration.queueLength = queueLength
        configuration.queueWait = .microseconds(Int64(queueWait * 1_000_000))
        configuration.maxConnections = maxConnections
        configuration.idleTimeout = .microseconds(Int64(idleTimeout * 1_000_000))
        configuration.headerBytes = maxHeaderBytes
        try await serve(
            index: directory, configuration: configuration,
            shutdownTimeout: .milliseconds(Int(shutdownTimeout * 1000)), logger: logger)
        logger.info("stopped")
    }

    /// Opens the sample index, building it from the committed sample data first when it is
    /// missing, older than the data, or was built by another version.
    /// Whether a file in the sample data changed after the sample index was built (say, after
    /// `plandir generate`), so the index must be rebuilt.
    static func sampleDataIsNewer() -> Bool {
        let fm = FileManager.default
        guard let built = (try? fm.attributesOfItem(atPath: sampleIndex))?[.modificationDate] as? Date,
            let files = try? fm.contentsOfDirectory(atPath: sampleData)
        else { return true }
        return files.contains { name in
            let modified = (try? fm.attributesOfItem(atPath: "\(sampleData)/\(name)"))?[.modificationDate] as? Date
            return (modified ?? .distantFuture) > built
        }
    }

    static func openSample(registry: SearchParameterRegistry, logger: Logger) throws -> DirectoryIndex {
        if FileManager.default.fileExists(atPath: sampleIndex), !sampleDataIsNewer(),
            let open = try? DirectoryIndex(path: sampleIndex, registry: registry)
        {
            return open
        }
        guard FileManager.default.fileExists(atPath: sampleData) else {
            throw ValidationError("no --index given and no \(sampleData) here: run from the plandir checkout")
        }
        logger.info("building the sample index", metadata: ["from": "\(sampleData)", "to": "\(sampleIndex)"])
        let report = try IndexBuilder(registry: registry).build(
            .init(inputs: [sampleData], output: sampleIndex, zcta: IndexCommand.defaultZCTA()))
        try report.write(to: sampleIndex + ".report.json")
        logger.info("\(report.summary)")
        return try DirectoryIndex(path: sampleIndex, registry: registry)
    }
}
