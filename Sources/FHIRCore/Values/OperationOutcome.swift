/// A FHIR OperationOutcome, the body of every error response.
public struct OperationOutcome: Sendable, Equatable {
    public struct Issue: Sendable, Equatable {
        public var severity: String
        /// An IssueType code: `invalid`, `not-found`, `not-supported`, `too-long`, `exception`…
        public var code: String
        public var diagnostics: String
        /// FHIRPath-ish locations, such as the offending search parameter.
        public var expression: [String]

        public init(severity: String = "error", code: String, diagnostics: String, expression: [String] = []) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    public var issues: [Issue]

    public init(_ issues: [Issue]) { self.issues = issues }

    public init(code: String, diagnostics: String, expression: [String] = [], severity: String = "error") {
        self.issues = [Issue(severity: severity, code: code, diagnostics: diagnostics, expression: expression)]
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("resourceType", .string("OperationOutcome")),
                (
                    "issue",
                    .array(
                        issues.map { issue in
                            var members: [(key: String, value: JSONValue)] = [
                                ("severity", .string(issue.severity)),
                                ("code", .string(issue.code)),
                                ("diagnostics", .string(issue.diagnostics)),
                            ]
                            if !issue.expression.isEmpty {
                                members.append(("expression", .array(issue.expression.map(JSONValue.string))))
                            }
                            return .object(JSONObject(members))
                        })
                ),
            ]))
    }

    public var bytes: [UInt8] { JSONWriter.encode(json) }
}
