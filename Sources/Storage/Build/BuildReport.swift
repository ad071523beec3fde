import Foundation
import Ingest

/// What a build read, indexed and rejected; written as JSON next to the index.
public struct BuildReport: Sendable, Codable {
    public var output: String
    public var inputs: [String]
    public var builtAt: String
    public var seconds: Double
    public var recordsRead: Int
    public var resourcesIndexed: Int
    public var resourcesByType: [String: Int]
    public var rejected: Int
    public var warnings: Int
    /// Warnings by kind (`wrong-type`, `unknown-element`, `dangling-reference`, …).
    public var warningsByKind: [String: Int] = [:]
    /// Issues beyond `maximumListedIssues` are counted but not listed.
    public var issues: [SourceIssue]
    public var succeeded: Bool
    public var failure: String?
    /// The build's peak resident memory and the finished file's size.
    public var peakResidentBytes: Int64 = 0
    public var indexBytes: Int64 = 0
    /// With `--previous`: that index, and what changed since it, by type.
    public var previous: String?
    public var changes: [String: ChangeCounts]?

    public static let maximumListedIssues = 10_000

    /// The one line a person reads after a build.
    public var summary: String {
        let rate = seconds > 0 ? Int(Double(resourcesIndexed) / seconds) : resourcesIndexed
        let head =
            succeeded
            ? "indexed \(resourcesIndexed) resources of \(resourcesByType.count) types from \(inputs.count) files"
            : "build failed: \(failure ?? "unknown error")"
        var facts = ["\(head) in \(String(format: "%.2f", seconds)) s (\(rate)/s)"]
        if peakResidentBytes > 0 { facts.append("peak RSS \(peakResidentBytes >> 20) MB") }
        if succeeded { facts.append("index \(indexBytes >> 20) MB") }
        var counts = "\(rejected) rejected, \(warnings) warnings"
        if !warningsByKind.isEmpty {
            counts +=
                " ("
                + warningsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ") + ")"
        }
        facts.append(counts)
        if let changes, succeeded {
            facts.append("since the previous index: \(ChangeCounts.total(changes).description)")
        }
        return facts.joined(separator: "; ")
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
