import ArgumentParser
import Foundation
import Hummingbird
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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
    }

    func run() async throws {
        var logger = Logger(label: "plandir")
        logger.logLevel = .info
        let registry = try SearchParameterRegistry.bundled()
        let directory: DirectoryIndex
        if let index {
            directory = try DirectoryIndex(path: index, registry: registry)
        } else {
            directory = try Self.openSample(registry: registry, logger: logger)
        }
        logger.info(
            "serving index",
            metadata: ["path": "\(directory.path)", "version": "\(directory.version)", "url": "http://\(host):\(port)/fhir"])
        let app = buildApplication(
            index: directory, configuration: ServerConfiguration(host: host, port: port, baseURL: baseURL), logger: logger)
        try await app.runService()
    }

    /// Opens the sample index, building it from the committed sample data first when it is
    /// missing or was built by another version.
    static func openSample(registry: SearchParameterRegistry, logger: Logger) throws -> DirectoryIndex {
        if FileManager.default.fileExists(atPath: sampleIndex),
            let open = try? DirectoryIndex(path: sampleIndex, registry: registry)
        {
            return open
        }
        guard FileManager.default.fileExists(atPath: sampleData) else {
            throw ValidationError("no --index given and no \(sampleData) here: run from the plandir checkout")
        }
        logger.info("building the sample index", metadata: ["from": "\(sampleData)", "to": "\(sampleIndex)"])
        let report = try IndexBuilder(registry: registry).build(.init(inputs: [sampleData], output: sampleIndex))
        try report.write(to: sampleIndex + ".report.json")
        logger.info("\(report.summary)")
        return try DirectoryIndex(path: sampleIndex, registry: registry)
    }
}
