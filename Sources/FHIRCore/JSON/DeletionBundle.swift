/// The NDJSON line FHIR Bulk Data uses for deletions: a `transaction` Bundle whose entries
/// each `DELETE` one `Type/id` ("deleted" in an export manifest; `plandir diff` and `publish`
/// write the same).
public enum DeletionBundle {
    /// Deletions per Bundle line: a national refresh may delete tens of thousands at once.
    public static let entriesPerBundle = 1000

    /// `deletions` as NDJSON lines (without their newlines), `entriesPerBundle` to a Bundle.
    public static func lines(_ deletions: [(type: String, id: String)]) -> [[UInt8]] {
        stride(from: 0, to: deletions.count, by: entriesPerBundle).map { start in
            encode(deletions[start..<min(deletions.count, start + entriesPerBundle)])
        }
    }

    public static func encode(_ deletions: some Sequence<(type: String, id: String)>) -> [UInt8] {
        var writer = JSONWriter()
        writer.raw(#"{"resourceType":"Bundle","type":"transaction","entry":["#)
        for (i, deletion) in deletions.enumerated() {
            if i > 0 { writer.raw(",") }
            writer.raw(#"{"request":{"method":"DELETE","url":"#)
            writer.string("\(deletion.type)/\(deletion.id)")
            writer.raw("}}")
        }
        writer.raw("]}")
        return writer.bytes
    }
}
