import FHIRCore

/// Turns decoded query parameters into a `SearchRequest`, validating every name, modifier
/// and value against the registry.
public struct SearchQueryParser: Sendable {
    public let registry: SearchParameterRegistry
    /// This server's FHIR base (`https://host/fhir`): an absolute reference under it names a
    /// resource here, as `Type/id` (R4 search, reference parameters).
    public var base: String?
    /// Bounds on what one request may ask for.
    public var limits = SearchLimits()

    /// Result and control parameters this server understands.
    static let controlParameters: Set<String> = [
        "_count", "_sort", "_total", "_summary", "_format", "_pretty", "_cursor", "_elements",
    ]
    /// Standard parameters that exist in FHIR but are not served yet: a clear 400 beats silence.
    static let unsupportedStandard: Set<String> = [
        "_text", "_filter", "_list", "_query",
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
        var sorted = false
        try checkCounts(parameters)
        for (name, value) in parameters {
            if name == "_sort" {
                // Keys this server cannot sort by are dropped under lenient handling, and left
                // out of the links like any ignored parameter.
                guard let kept = try applySort(value, lenient: lenient, to: &request) else { continue }
                sorted = true
                request.linkParameters.append((name, kept))
                continue
            }
            if name.hasPrefix("_include") || name.hasPrefix("_revinclude") {
                guard
                    let includes = try parseInclude(
                        resourceType: resourceType, name: name, value: value, lenient: lenient)
                else { continue }
                request.includes += includes
                request.linkParameters.append((name, value))
                continue
            }
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
        try checkIterateDepth(request)
        request.limits = limits
        // Nearest first wins over relevance: a rep asks "who is close", then narrows by text.
        request.nearest = sorted ? nil : request.clauses.firstIndex { $0.nearCircle != nil }
        request.relevance =
            !sorted && request.nearest == nil
            && request.clauses.contains { if case .content = $0.condition { true } else { false } }
        return request
    }

    /// The request-wide limits: parameters in all, repeats of one name, include values.
    func checkCounts(_ parameters: [(name: String, value: String)]) throws(SearchError) {
        if parameters.count > limits.parameters {
            throw .over(
                .parameters, parameter: parameters[limits.parameters].name, value: parameters[limits.parameters].value,
                "at most \(limits.parameters) parameters in one request; this one has \(parameters.count)")
        }
        var seen: [String: Int] = [:]
        var includes = 0
        for (name, value) in parameters {
            if name.hasPrefix("_include") || name.hasPrefix("_revinclude") {
                includes += 1
                if includes > limits.includes {
                    throw .over(
                        .includes, parameter: name, value: value,
                        "at most \(limits.includes) _include and _revinclude values in one request")
                }
                continue
            }
            seen[name, default: 0] += 1
            if seen[name]! > limits.repeats {
                throw .over(
                    .repeats, parameter: name, value: value, "\(name) is repeated more than \(limits.repeats) times")
            }
        }
    }

    /// A clause, `.some(nil)` for an empty value (FHIR ignores those), or nil to leave the
    /// parameter out entirely (lenient handling).
    ///
    /// The chain links and `_has` levels that enclose a name, each bounded by `SearchLimits`.
    struct Nesting {
        var links = 0
        var has = 0
    }

    /// - Parameter nesting: the chain links and `_has` levels that enclose this name.
    func parseClause(resourceType: String, name: String, value: String, lenient: Bool, nesting: Nesting = Nesting())
        throws(SearchError) -> SearchClause??
    {
        if name == "_content" {
            guard registry.content[resourceType] != nil else {
                if lenient { return nil }
                throw SearchError(
                    .notSupported, parameter: name, value: value,
                    "_content is served on \(registry.content.keys.sorted().joined(separator: ", "))")
            }
            guard let resource = registry.parameter(resourceType, "_id") else { return nil }
            if value.allSatisfy(\.isWhitespace) { return .some(nil) }
            // Words as FTS5 sees them: runs of letters and digits.
            let words = value.split { !$0.isLetter && !$0.isNumber }
            if words.count > limits.contentTerms {
                throw .over(
                    .contentTerms, parameter: name, value: value,
                    "_content takes at most \(limits.contentTerms) words; this one has \(words.count)")
            }
            if let short = words.first(where: { $0.count < limits.contentTermLength }) {
                throw .over(
                    .contentTermLength, parameter: name, value: value,
                    "each _content word needs at least \(limits.contentTermLength) characters ('\(short)')")
            }
            return SearchClause(parameter: resource, condition: .content(value))
        }
        if name.hasPrefix("_has:") {
            return try parseHas(
                resourceType: resourceType, name: name, value: value, lenient: lenient, nesting: nesting)
        }
        if let dot = name.firstIndex(of: ".") {
            return try parseChain(
                resourceType: resourceType, head: String(name[..<dot]), tail: String(name[name.index(after: dot)...]),
                value: value, lenient: lenient, nesting: nesting)
        }
        let colon = name.firstIndex(of: ":")
        let code = colon.map { String(name[..<$0]) } ?? name
        let modifier = colon.map { String(name[name.index(after: $0)...]) }
        if Self.unsupportedStandard.contains(code) || code == "_has" {
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
        guard let search = parameter.type.search else {
            throw SearchError(
                .notSupported, parameter: name, value: value, "\(parameter.type) parameters are not supported")
        }
        let values = Self.splitOr(value)
        // Only commas: no value at all, which FHIR ignores like an empty one.
        if values.isEmpty { return .some(nil) }
        if values.count > limits.orValues {
            throw .over(
                .orValues, parameter: name, value: value,
                "at most \(limits.orValues) comma-separated values; this one has \(values.count)")
        }
        let condition = try search.condition(
            SearchValue(parameter: parameter, name: name, modifier: modifier, values: values, raw: value),
            parser: self)
        return SearchClause(parameter: parameter, condition: condition)
    }

    /// `link[:Type].rest`: `rest` is parsed against each possible target type. Only chains that
    /// the link's definition declares (its `chain` list) are accepted.
    func parseChain(
        resourceType: String, head: String, tail: String, value: String, lenient: Bool, nesting: Nesting
    )
        throws(SearchError) -> SearchClause??
    {
        let name = "\(head).\(tail)"
        // Not split on empty pieces: `.x` and `:T.x` have an empty link name, which no parameter has.
        let parts = head.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let link = registry.parameter(resourceType, parts[0]) else {
            if lenient { return nil }
            throw SearchError(
                parameter: name, value: value, "unknown search parameter '\(parts[0])' for \(resourceType)")
        }
        guard link.type == .reference else {
            throw SearchError(
                parameter: name, value: value, "'\(parts[0])' is not a reference, so it cannot be chained")
        }
        guard nesting.links < limits.chainLinks else {
            throw .over(
                .chainLinks, parameter: name, value: value, "a chain has at most \(limits.chainLinks) links")
        }
        let nextCode = String(tail.prefix { $0 != ":" && $0 != "." })
        guard link.chains.contains(nextCode) else {
            let declared = link.chains.isEmpty ? "none" : link.chains.joined(separator: ", ")
            throw SearchError(
                parameter: name, value: value,
                "the chain '\(parts[0]).\(nextCode)' is not declared for \(resourceType); declared chains: \(declared)")
        }
        // A reference without declared targets (Basic.subject) may point at any type.
        var types = link.targets.isEmpty ? registry.resourceTypes : link.targets
        if parts.count == 2 {
            guard types.contains(parts[1]) else {
                throw SearchError(
                    parameter: name, value: value,
                    "'\(parts[0])' refers to \(link.targets.joined(separator: ", ")), not \(parts[1])")
            }
            types = [parts[1]]
        }
        var targets: [(type: String, clause: SearchClause)] = []
        for type in types where registry.parameter(type, nextCode) != nil {
            guard
                let inner = try parseClause(
                    resourceType: type, name: tail, value: value, lenient: lenient,
                    nesting: Nesting(links: nesting.links + 1, has: nesting.has))
            else { return nil }
            guard let inner else { return .some(nil) }
            targets.append((type, inner))
        }
        guard !targets.isEmpty else {
            throw SearchError(parameter: name, value: value, "no target of '\(parts[0])' has a parameter '\(nextCode)'")
        }
        return SearchClause(parameter: link, condition: .chain(targets: targets))
    }

    /// `_has:Source:link:rest`: resources that some `Source` refers to through `link`, where that
    /// `Source` matches `rest` (a parameter of `Source`, a chain, or one more `_has`).
    func parseHas(resourceType: String, name: String, value: String, lenient: Bool, nesting: Nesting)
        throws(SearchError) -> SearchClause??
    {
        let parts = name.dropFirst(5).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(
            String.init)
        guard parts.count == 3, !parts[2].isEmpty else {
            throw SearchError(parameter: name, value: value, "_has takes the form _has:Type:reference:parameter")
        }
        guard registry.supports(parts[0]) else {
            if lenient { return nil }
            throw SearchError(parameter: name, value: value, "unknown resource type '\(parts[0])' in _has")
        }
        guard let link = registry.parameter(parts[0], parts[1]), link.type == .reference else {
            if lenient { return nil }
            throw SearchError(parameter: name, value: value, "\(parts[0]) has no reference parameter '\(parts[1])'")
        }
        guard link.targets.isEmpty || link.targets.contains(resourceType) else {
            throw SearchError(
                parameter: name, value: value,
                "\(parts[0]).\(parts[1]) refers to \(link.targets.joined(separator: ", ")), not \(resourceType)")
        }
        guard nesting.has < limits.hasNesting else {
            throw .over(
                .hasNesting, parameter: name, value: value,
                "_has nests at most \(limits.hasNesting) level\(limits.hasNesting == 1 ? "" : "s") deep")
        }
        guard
            let inner = try parseClause(
                resourceType: parts[0], name: parts[2], value: value, lenient: lenient,
                nesting: Nesting(links: nesting.links, has: nesting.has + 1))
        else { return nil }
        guard let inner else { return .some(nil) }
        return SearchClause(parameter: link, condition: .reverse(link: link, clause: inner))
    }

    /// `_include[:iterate]=Source:param[:Target]` or `Source:*`, and the same for `_revinclude`.
    func parseInclude(resourceType: String, name: String, value: String, lenient: Bool) throws(SearchError)
        -> [Include]?
    {
        let reverse = name.hasPrefix("_revinclude")
        let modifier = name.dropFirst(reverse ? 11 : 8)
        let iterate: Bool
        switch modifier {
        case "": iterate = false
        case ":iterate", ":recurse": iterate = true
        default:
            if lenient { return nil }
            throw SearchError(
                parameter: name, value: value, "\(reverse ? "_revinclude" : "_include") takes only :iterate")
        }
        // A bare `*` (as fhirpy sends it) is every reference of the searched type.
        let written = !reverse && value == "*" ? "\(resourceType):*" : value
        let parts = written.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, registry.supports(parts[0]) else {
            if lenient { return nil }
            throw SearchError(
                parameter: name, value: value, "an include is SourceType:parameter or SourceType:parameter:TargetType")
        }
        let candidates: [SearchParameter]
        if parts[1] == "*" {
            candidates = registry.parameters(for: parts[0]).filter { $0.type == .reference }
        } else {
            guard let parameter = registry.parameter(parts[0], parts[1]), parameter.type == .reference else {
                if lenient { return nil }
                throw SearchError(parameter: name, value: value, "\(parts[0]) has no reference parameter '\(parts[1])'")
            }
            candidates = [parameter]
        }
        let targetType = parts.count == 3 ? parts[2] : nil
        var includes: [Include] = []
        for parameter in candidates {
            if let targetType, !(parameter.targets.isEmpty || parameter.targets.contains(targetType)) {
                if parts[1] == "*" { continue }
                throw SearchError(
                    parameter: name, value: value, "\(parts[0]):\(parts[1]) never refers to \(targetType)")
            }
            let include = Include(
                direction: reverse ? .reverse : .forward, parameter: parameter, targetType: targetType, iterate: iterate
            )
            if !iterate && !include.applies(to: resourceType) {
                if parts[1] == "*" { continue }
                if lenient { return nil }
                throw SearchError(
                    parameter: name, value: value,
                    reverse
                        ? "\(parts[0]):\(parts[1]) does not refer to \(resourceType)"
                        : "\(name) on \(resourceType) needs a \(resourceType) source, or :iterate")
            }
            includes.append(include)
        }
        return includes
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

    /// `_sort`: `_id` or `_lastUpdated`, either direction, and further keys where they agree
    /// with the order plandir gives (ids are unique, and `_lastUpdated` ties are broken by `_id`
    /// in the same direction). Returns the keys kept, or nil when none is (lenient only).
    func applySort(_ value: String, lenient: Bool, to request: inout SearchRequest) throws(SearchError) -> String? {
        var kept: [(field: SearchRequest.SortField, descending: Bool, written: Substring)] = []
        for written in value.split(separator: ",", omittingEmptySubsequences: false) {
            let descending = written.hasPrefix("-")
            let key = descending ? written.dropFirst() : written
            let field = SearchRequest.SortField(rawValue: String(key))
            let agrees: Bool
            switch (kept.first?.field, field) {
            case (_, nil): agrees = false
            case (nil, _?): agrees = true
            case (.id?, _?): agrees = true
            case (.lastUpdated?, .id?): agrees = descending == kept[0].descending
            case (.lastUpdated?, .lastUpdated?): agrees = true
            }
            guard let field, agrees else {
                if lenient { continue }
                throw SearchError(
                    .notSupported, parameter: "_sort", value: value,
                    field == nil
                        ? "sorting is by _id or _lastUpdated"
                        : "after _lastUpdated, only _id in the same direction can follow (ties are ordered by _id)")
            }
            kept.append((field, descending, written))
        }
        guard let first = kept.first else { return nil }
        request.sort = first.field
        request.descending = first.descending
        return kept.map { String($0.written) }.joined(separator: ",")
    }

    func applyControl(_ name: String, _ value: String, to request: inout SearchRequest) throws(SearchError) {
        switch name {
        case "_count":
            guard let n = Int(value), n >= 0 else {
                throw SearchError(parameter: name, value: value, "_count must be a whole number, 0 or more")
            }
            request.count = min(n, SearchRequest.maximumCount)
        case "_total":
            switch value {
            case "none": request.wantsTotal = false
            case "estimate", "accurate": request.wantsTotal = true
            default: throw SearchError(parameter: name, value: value, "_total is none, estimate or accurate")
            }
        case "_summary":
            switch value {
            case "count": request.summaryCount = true
            default: request.subset = try Self.subset(name, value) ?? request.subset
            }
        case "_elements":
            request.subset = try Self.subset(name, value)
        case "_format":
            try Self.format(name, value)
        case "_pretty":
            // Every value is checked; the first one counts.
            let pretty = try Self.pretty(name, value)
            if !request.linkParameters.contains(where: { $0.name == "_pretty" }) { request.pretty = pretty }
        case "_cursor":
            guard let cursor = PageCursor(token: value) else {
                throw SearchError(parameter: name, value: value, "not a page cursor from this server")
            }
            request.cursor = cursor
        default: break
        }
    }

    /// `_pretty=true|false`.
    /// `_format`: the JSON forms are accepted; anything else (XML included) is a 406.
    public static func format(_ name: String, _ value: String) throws(SearchError) {
        switch value {
        case "json", "application/json", "application/fhir+json", "application/json+fhir": return
        default: throw SearchError(.notAcceptable, parameter: name, value: value, "only JSON is served")
        }
    }

    public static func pretty(_ name: String, _ value: String) throws(SearchError) -> Bool {
        guard value == "true" || value == "false" else {
            throw SearchError(parameter: name, value: value, "_pretty is true or false")
        }
        return value == "true"
    }

    /// `_summary=true|text|data|false` or `_elements=a,b`, validated; nil for `_summary=false`.
    public static func subset(_ name: String, _ value: String) throws(SearchError) -> ResourceSubset? {
        if name == "_elements" {
            let names = value.split(separator: ",").map { String($0) }
            guard !names.isEmpty,
                names.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } && $0.first!.isLowercase })
            else {
                throw SearchError(
                    parameter: name, value: value, "_elements takes top-level element names, such as name,telecom")
            }
            return .elements(names)
        }
        switch value {
        case "true": return .summary
        case "text": return .text
        case "data": return .data
        case "false": return nil
        default: throw SearchError(parameter: name, value: value, "_summary is true, text, data, count or false")
        }
    }

    static func unknownModifier(_ name: String, _ value: String, _ modifier: String, _ allowed: [String]) -> SearchError
    {
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
