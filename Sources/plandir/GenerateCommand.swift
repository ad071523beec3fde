import ArgumentParser
import Foundation
import Generator

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a coherent, deterministic Plan-Net sample network as NDJSON.")

    @Option(help: "Seed: the same seed and size give byte-identical output.")
    var seed: UInt64 = 1

    @Option(help: "How many practitioners.")
    var practitioners = 1000

    @Option(help: "The folder to write NDJSON files into.")
    var output = "Data/sample"

    func validate() throws {
        guard practitioners >= 1, practitioners <= 5_000_000 else {
            throw ValidationError("--practitioners must be 1...5000000")
        }
    }

    func run() throws {
        let counts = try NetworkGenerator(seed: seed, practitioners: practitioners).write(to: output)
        let total = counts.values.reduce(0, +)
        print(
            "wrote \(total) resources to \(output): "
                + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }
}
