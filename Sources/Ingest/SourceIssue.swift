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

    public init(severity: Severity, file: String, line: Int, reason: String, resource: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.reason = reason
        self.resource = resource
    }
}
