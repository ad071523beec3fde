import ArgumentParser
import Foundation
import Generator

extension NetworkGenerator.Profile: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a coherent, deterministic Plan-Net network as NDJSON.")

    @Option(help: "Seed: the same seed, size and profile give byte-identical output.")
    var seed: UInt64 = 1

    @Option(help: "How many practitioners.")
    var practitioners = 1000

    @Option(
        help: """
            sample: 12 northeastern cities, one location per organization, about 200 drugs (Data/sample). \
            national: cities in every state, two locations per organization, two roles per practitioner, \
            20 formularies over 5,100 drugs.
            """)
    var profile = NetworkGenerator.Profile.sample

    @Option(help: "The folder to write NDJSON files into.")
    var output = "Data/sample"

    func validate() throws {
        guard practitioners >= 1, practitioners <= 5_000_000 else {
            throw ValidationError("--practitioners must be 1...5000000")
        }
    }

    func run() throws {
        let started = Date()
        let line = ProgressLine()
        let counts = try NetworkGenerator(seed: seed, practitioners: practitioners, profile: profile).write(
            to: output,
            progress: { written in
                let seconds = Date().timeIntervalSince(started)
                line.show(
                    "generate  \(written) resources  \(Int(Double(written) / max(seconds, 0.001)))/s", phase: "generate"
                )
            })
        line.finish()
        let total = counts.values.reduce(0, +)
        print(
            "wrote \(total) resources to \(output) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: "
                + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }
}
