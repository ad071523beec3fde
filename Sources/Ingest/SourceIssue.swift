/// A problem with a source file or record, reported rather than thrown.
public struct SourceIssue: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable {
        /// The record was not indexed.
        case rejected
        /// The record was indexed; something about it is worth knowing.
        case warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var reason: String
    public var resource: String?
    /// Where in the resource, FHIRPath-style (`Organization.identifier[0].value`).
    public var location: String?
    /// What kind of problem, for counting (`wrong-type`, `dangling-reference`, …).
    public var kind: String?

    public init(
        severity: Severity, file: String, line: Int, reason: String, resource: String? = nil, location: String? = nil,
        kind: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.reason = reason
        self.resource = resource
        self.location = location
        self.kind = kind
    }
}
