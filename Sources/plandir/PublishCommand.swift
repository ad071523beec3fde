import ArgumentParser
import FHIRCore
import Foundation
import SearchParameters
import Storage

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write an index as Bulk Publish files: NDJSON per type and a manifest.json any web server can host.",
        discussion: """
            The folder is written under a temporary name and renamed into place when complete. With --since, \
            a changes/ folder holds only what changed after that index (or instant) and the deletions, with a \
            partial manifest that the full one links to as "next".
            """)

    @Argument(help: "The index to publish.")
    var index: String

    @Option(name: .shortAndLong, help: "The folder to write (replaced when the publish is complete).")
    var output: String

    @Option(help: "The URL the folder will be served at; file URLs in the manifest start with it.")
    var baseURL: String

    @Option(help: "An earlier index, or an instant (2026-12-01T00:00:00Z): also write what changed since.")
    var since: String?

    @Flag(help: "Write the files gzipped (.ndjson.gz).")
    var gzip = false

    @Option(help: "Resources per file at most; a type with more is split into parts.")
    var partResources = 100_000

    func validate() throws {
        guard partResources >= 1 else { throw ValidationError("--part-resources must be at least 1") }
        guard let url = URL(string: baseURL), url.scheme != nil else {
            throw ValidationError("--base-url must be an absolute URL (https://example.org/directory)")
        }
    }

    func run() async throws {
        let registry = try SearchParameterRegistry.bundled()
        let served = try DirectoryIndex(path: index, registry: registry)
        var sinceMillis: Int64?
        if let since {
            if FileManager.default.fileExists(atPath: since) {
                // What changed after the earlier index was built: every later build stamps its
                // changes with its own, later, build time.
                let earlier = try DirectoryIndex(path: since, registry: registry)
                sinceMillis = DateRange(fhir: earlier.builtAt)?.low
            } else if since.contains("T"), let range = DateRange(fhir: since) {
                sinceMillis = range.low
            } else {
                throw ValidationError("--since \(since) is neither an index file nor an instant")
            }
        }
        let started = Date()
        let summary = try await BulkPublisher.publish(
            served,
            .init(output: output, baseURL: baseURL, since: sinceMillis, gzip: gzip, partResources: partResources),
            progress: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
        let seconds = Date().timeIntervalSince(started)
        var line =
            "published \(summary.resources) resources in \(summary.files) files (\(summary.bytes >> 20) MB) to \(output) in \(String(format: "%.1f", seconds)) s (\(Int(Double(summary.bytes) / 1e6 / max(seconds, 0.001))) MB/s)"
        if sinceMillis != nil { line += "; changes/: \(summary.changed) changed, \(summary.deleted) deleted" }
        print(line)
    }
}
