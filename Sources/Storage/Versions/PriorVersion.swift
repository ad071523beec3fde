/// What the previous index holds for one resource of a new build.
enum PriorVersion: Sendable {
    /// Never there.
    case absent
    /// Recorded as deleted, at this version.
    case deleted(version: Int64)
    /// There with other content.
    case changed(version: Int64)
    /// There with the same content: its stored document, deflated with `dictionary` (which
    /// the new index carries over under the same id), is reused as it is.
    case unchanged(version: Int64, lastUpdated: Int64, dictionary: Int, size: Int, body: [UInt8])
}
