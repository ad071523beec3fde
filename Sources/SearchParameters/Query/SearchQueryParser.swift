import FHIRCore

/// Turns decoded query parameters into a `SearchRequest`, validating every name, modifier
/// and value against the registry.
public struct SearchQueryParser: Sendable {
    public let registry: SearchParameterRegistry

    /// Result and control parameters this server understands.
    static let controlParameters: Set<String> = ["_count", "_sort", "_total", "_summary", "_format", "_pretty", "_cursor"]
    /// Standard parameters that exist in FHIR but are not served yet: a clear 400 beats silence.
    static let unsupportedStandard: Set<String> = [
        "_include", "_revinclude", "_has", "_content", "_text", "_filter", "_list", "_query", "_elements",
        "_contained", "_containedType", "_tag", "_profile", "_security", "_source", "_type",
    ]

    public init(registry: SearchParameterRegistry) {
        self.registry = registry
    }

    /// - Parameters:
    ///   - parameters: decoded `name=value` pairs in request order (query string and form body).
    ///   - lenient: `Prefer: handling=lenient`: unknown or unsupported parameters are ignored.
    public func parse(resourceType: String, parameters: [(name: String, value: String)], lenient: Bool)
        throws(SearchError) -> SearchRequest
    {
        var request = SearchRequest(resourceType: resourceType)
        for (name, value) in parameters {
            if Self.controlParameters.contains(name) {
                try applyControl(name, value, to: &request)
                if name != "_cursor" { request.linkParameters.append((name, value)) }
                continue
            }
            guard let clause = try parseClause(resourceType: resourceType, name: name, value: value, lenient: lenient)
            else { continue }
            if let clause { request.clauses.append(clause) }
            request.linkParameters.append((name, value))
        }
        return request
    }

    /// A clause, `.some(nil)` for an empty value (FHIR ignores those), or nil to leave the
    /// parameter out entirely (lenient handling).
    func parseClause(resourceType: String, name: String, value: String, lenient: Bool) throws(SearchError)
        -> SearchClause??
    {
        let colon = name.firstIndex(of: ":")
        let code = colon.map { String(name[..<$0]) } ?? name
        let modifier = colon.map { String(name[name.index(after: $0)...]) }
        if code.contains(".") {
            if lenient { return nil }
            throw SearchError(.notSupported, parameter: name, value: value, "chained parameters are not supported yet")
        }
        if Self.unsupportedStandard.contains(code) || code.hasPrefix("_has") {
            if lenient { return nil }
            throw SearchError(.notSupported, parameter: name, value: value, "\(code) is not supported by this server")
        }
        guard let parameter = registry.parameter(resourceType, code) else {
            if lenient { return nil }
            throw SearchError(
                parameter: name, value: value,
                "unknown search parameter '\(code)' for \(resourceType); see /fhir/metadata for the supported ones")
        }
        if value.isEmpty { return .some(nil) }
        if modifier == "missing" {
            switch value {
            case "true": return SearchClause(parameter: parameter, condition: .missing(true))
            case "false": return SearchClause(parameter: parameter, condition: .missing(false))
            default: throw SearchError(parameter: name, value: value, ":missing takes true or false")
            }
        }
        let values = Self.splitOr(value)
        let condition: SearchClause.Condition
        switch parameter.type {
        case .token:
            condition = try tokenCondition(parameter, name: name, modifier: modifier, values: values, raw: value)
        case .string:
            let match: SearchClause.StringMatch
            switch modifier {
            case nil: match = .prefix
            case "exact": match = .exact
            case "contains": match = .contains
            default: throw Self.unknownModifier(name, value, modifier!, ["exact", "contains", "missing"])
            }
            let unescaped = values.map(Self.unescape)
            let folded = match == .exact ? unescaped : unescaped.map(TextNormalizer.normalize)
            condition = .string(folded.filter { !$0.isEmpty }, match)
        case .reference:
            condition = try referenceCondition(parameter, name: name, modifier: modifier, values: values, raw: value)
        case .date:
            if let modifier { throw Self.unknownModifier(name, value, modifier, ["missing"]) }
            condition = .date(try values.map { v throws(SearchError) in try Self.parseDate(v, name: name) })
        default:
            throw SearchError(.notSupported, parameter: name, value: value, "\(parameter.type) parameters are not supported")
        }
        return SearchClause(parameter: parameter, condition: condition)
    }

    func tokenCondition(_ parameter: SearchParameter, name: String, modifier: String?, values: [String], raw: String)
        throws(SearchError) -> SearchClause.Condition
    {
        var negated = false
        switch modifier {
        case nil: break
        case "not": negated = true
        case "text":
            throw SearchError(.notSupported, parameter: name, value: raw, ":text is not supported yet")
        default: throw Self.unknownModifier(name, raw, modifier!, ["missing", "not"])
        }
        if parameter.isID {
            if negated { throw SearchError(.notSupported, parameter: name, value: raw, ":not is not supported on _id") }
            return .id(values)
        }
        var forms: [String] = []
        for v in values {
            let parts = Self.splitUnescaped(v, on: "|")
            switch parts.count {
            case 1: forms.append(Self.unescape(parts[0]))
            case 2:
                let system = Self.unescape(parts[0])
                let code = Self.unescape(parts[1])
                if system.isEmpty && code.isEmpty {
                    throw SearchError(parameter: name, value: raw, "a token needs a system or a code")
                }
                forms.append("\(system)|\(code)")
            default:
                throw SearchError(parameter: name, value: raw, "a token is code, system|code, |code or system|")
            }
        }
        return .token(forms, negated: negated)
    }

    func referenceCondition(_ parameter: SearchParameter, name: String, modifier: String?, values: [String], raw: String)
        throws(SearchError) -> SearchClause.Condition
    {
        var typeModifier: String?
        if let modifier {
            guard parameter.targets.contains(modifier) || (parameter.targets.isEmpty && FHIRID.isResourceTypeName(Substring(modifier)))
            else {
                if modifier == "identifier" {
                    throw SearchError(.notSupported, parameter: name, value: raw, ":identifier is not supported yet")
                }
                let allowed = ["missing"] + parameter.targets
                throw Self.unknownModifier(name, raw, modifier, allowed)
            }
            typeModifier = modifier
        }
        var targets: [(type: String?, id: String)] = []
        for v in values.map(Self.unescape) {
            let target = ReferenceTarget(parsing: v)
            if !target.type.isEmpty {
                if let typeModifier, typeModifier != target.type {
                    throw SearchError(parameter: name, value: raw, "the reference type contradicts :\(typeModifier)")
                }
                targets.append((target.type, target.id))
            } else if FHIRID.isValid(v) {
                let type = typeModifier ?? (parameter.targets.count == 1 ? parameter.targets[0] : nil)
                targets.append((type, v))
            } else {
                // An absolute URL or other literal reference: matched as written.
                targets.append(("", v))
            }
        }
        return .reference(targets)
    }

    static func parseDate(_ value: String, name: String) throws(SearchError) -> (SearchClause.DatePrefix, DateRange) {
        var prefix = SearchClause.DatePrefix.eq
        var text = Substring(value)
        if let first = value.utf8.first, (0x61...0x7A).contains(first) {
            let letters = String(value.prefix(2))
            if letters == "ap" {
                throw SearchError(.notSupported, parameter: name, value: value, "the 'ap' prefix is not supported")
            }
            guard let p = SearchClause.DatePrefix(rawValue: letters) else {
                throw SearchError(
                    parameter: name, value: value,
                    "unknown prefix '\(letters)': use eq, ne, lt, le, gt, ge, sa or eb")
            }
            prefix = p
            text = value.dropFirst(2)
        }
        guard let range = DateRange(fhir: String(text)) else {
            throw SearchError(
                parameter: name, value: value, "not a valid date: use YYYY, YYYY-MM, YYYY-MM-DD or a full dateTime")
        }
        return (prefix, range)
    }

    func applyControl(_ name: String, _ value: String, to request: inout SearchRequest) throws(SearchError) {
        switch name {
        case "_count":
            guard let n = Int(value), n >= 0 else {
                throw SearchError(parameter: name, value: value, "_count must be a whole number, 0 or more")
            }
            request.count = min(n, SearchRequest.maximumCount)
        case "_sort":
            let keys = value.split(separator: ",")
            guard keys.count == 1 else {
                throw SearchError(.notSupported, parameter: name, value: value, "sorting on one key only: _id or _lastUpdated")
            }
            var key = Substring(keys[0])
            request.descending = key.hasPrefix("-")
            if request.descending { key = key.dropFirst() }
            guard let field = SearchRequest.SortField(rawValue: String(key)) else {
                throw SearchError(.notSupported, parameter: name, value: value, "sorting is by _id or _lastUpdated")
            }
            request.sort = field
        case "_total":
            switch value {
            case "none": request.wantsTotal = false
            case "estimate", "accurate": request.wantsTotal = true
            default: throw SearchError(parameter: name, value: value, "_total is none, estimate or accurate")
            }
        case "_summary":
            switch value {
            case "count": request.summaryCount = true
            case "false": break
            case "true", "text", "data":
                throw SearchError(.notSupported, parameter: name, value: value, "_summary=\(value) is not supported yet")
            default: throw SearchError(parameter: name, value: value, "_summary is true, text, data, count or false")
            }
        case "_format":
            switch value {
            case "json", "application/json", "application/fhir+json", "application/json+fhir": break
            case "xml", "application/xml", "application/fhir+xml", "text/xml":
                throw SearchError(.notAcceptable, parameter: name, value: value, "only JSON is served")
            default: throw SearchError(.notAcceptable, parameter: name, value: value, "only JSON is served")
            }
        case "_pretty":
            guard value == "true" || value == "false" else {
                throw SearchError(parameter: name, value: value, "_pretty is true or false")
            }
        case "_cursor":
            guard let cursor = PageCursor(token: value) else {
                throw SearchError(parameter: name, value: value, "not a page cursor from this server")
            }
            request.cursor = cursor
        default: break
        }
    }

    static func unknownModifier(_ name: String, _ value: String, _ modifier: String, _ allowed: [String]) -> SearchError {
        SearchError(
            parameter: name, value: value,
            "unknown modifier ':\(modifier)'; this parameter takes \(allowed.map { ":" + $0 }.joined(separator: ", "))")
    }

    /// Splits on commas that are not escaped with a backslash.
    static func splitOr(_ value: String) -> [String] {
        splitUnescaped(value, on: ",").map { String($0) }.filter { !$0.isEmpty }
    }

    static func splitUnescaped(_ value: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for ch in value {
            if escaped {
                current.append("\\")
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if escaped { current.append("\\") }
        parts.append(current)
        return parts
    }

    /// Removes FHIR search escapes (`\,`, `\|`, `\$`, `\\`).
    static func unescape(_ value: String) -> String {
        guard value.contains("\\") else { return value }
        var out = ""
        var escaped = false
        for ch in value {
            if escaped {
                out.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        if escaped { out.append("\\") }
        return out
    }
}
