import Conformance
import FHIRCore
import Indexing
import SearchParameters

/// One NDJSON line through what the build does to a record (`RecordPreparer`): parse, R4
/// check with and without repair, compact, stamp, extract. Bad input becomes a rejection (a
/// build-report line), never a trap.
///
/// Input: one byte of flags (bit 0: check against R4, bit 1: repair), then the line.
///
/// A record that is accepted must be stored as JSON that parses back to the same type and id
/// and carries `meta.lastUpdated`: a stored resource the server cannot serve is a broken index.
public enum ResourceFuzzing {
    static let registry = try! SearchParameterRegistry.bundled()
    static let checker = try! ResourceChecker.bundled()

    /// What went wrong on `input`; empty when every property held.
    public static func check(_ input: FuzzInput) -> [String] {
        let flags = input.control(0)
        let preparer = RecordPreparer(
            registry: registry, buildInstant: "2026-01-01T00:00:00Z", checker: flags & 1 == 1 ? checker : nil,
            repair: flags & 2 == 2)
        switch preparer.prepare(input.payload(after: 1)) {
        case .rejected(let reason, _):
            return reason.isEmpty ? ["a rejection without a reason"] : []
        case .prepared(let prepared):
            let stored: JSONValue
            do {
                stored = try JSONParser.parse(prepared.stored)
            } catch {
                return ["\(prepared.type)/\(prepared.id) is stored as bytes that do not parse: \(error)"]
            }
            var problems: [String] = []
            if stored["resourceType"]?.stringValue != prepared.type || stored["id"]?.stringValue != prepared.id {
                problems.append("\(prepared.type)/\(prepared.id) is stored as another resource")
            }
            if stored["meta"]?["lastUpdated"]?.stringValue == nil {
                problems.append("\(prepared.type)/\(prepared.id) is stored without meta.lastUpdated")
            }
            return problems
        }
    }
}
