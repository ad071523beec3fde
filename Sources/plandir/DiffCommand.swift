import ArgumentParser
import Foundation
import Storage

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two index files: added, changed, removed and unchanged resources per type.",
        discussion: """
            Resources are compared by type, id and content (not meta.versionId or meta.lastUpdated). \
            Exit status: 0 when nothing changed, 1 when something did, 2 on an error.
            """)

    @Argument(help: "The earlier index.")
    var old: String

    @Argument(help: "The later index.")
    var new: String

    @Option(
        help: """
            Write the added and changed resources (Type.ndjson) and the removed ones (deleted.ndjson, Bulk Data \
            deletion Bundles) into this folder.
            """)
    var output: String?

    func run() throws {
        let result: IndexDiff.Result
        do {
            result = try IndexDiff.run(old: old, new: new, output: output)
        } catch {
            FileHandle.standardError.write(Data("plandir diff: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let width = max(4, result.byType.keys.map(\.count).max() ?? 0)
        func row(_ name: String, _ counts: ChangeCounts) -> String {
            name.padding(toLength: width, withPad: " ", startingAt: 0)
                + [counts.added, counts.changed, counts.removed, counts.unchanged].map {
                    String($0).leftPadded(to: 10)
                }.joined()
        }
        print(
            "type".padding(toLength: width, withPad: " ", startingAt: 0)
                + ["added", "changed", "removed", "unchanged"].map { $0.leftPadded(to: 10) }.joined())
        for type in result.byType.keys.sorted() { print(row(type, result.byType[type]!)) }
        print(row("all", result.total))
        for file in result.files { print("wrote \(file)") }
        if result.total.hasChanges { throw ExitCode(1) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
