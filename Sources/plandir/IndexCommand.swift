import ArgumentParser
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

    @Flag(help: "Fail the build when any source record is rejected.")
    var strict = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one input") }
    }

    func run() throws {
        let registry = try SearchParameterRegistry.bundled()
        let reportPath = report ?? output + ".report.json"
        do {
            let result = try IndexBuilder(registry: registry).build(
                .init(inputs: inputs, output: output, strict: strict))
            try result.write(to: reportPath)
            print(result.summary + "; report: \(reportPath)")
        } catch let failed as IndexBuilder.BuildFailed {
            try? failed.report.write(to: reportPath)
            FileHandle.standardError.write(Data((failed.report.summary + "; report: \(reportPath)\n").utf8))
            throw ExitCode.failure
        }
    }
}
