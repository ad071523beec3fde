import FHIRCore

/// `reference`: `Type/id`, a bare id (typed by `:Type` or by a single target type), or an
/// absolute URL matched as written; `:identifier` matches a logical reference's identifier or
/// the identifier of the resource pointed to.
enum ReferenceSearch: SearchValueType {
    static func modifiers(of parameter: SearchParameter) -> [String] { ["identifier"] + parameter.targets }

    static func condition(_ value: SearchValue, parser: SearchQueryParser) throws(SearchError)
        -> SearchClause.Condition
    {
        let parameter = value.parameter
        if value.modifier == "identifier" { return try identifier(value, registry: parser.registry) }
        var typeModifier: String?
        if let modifier = value.modifier {
            guard
                parameter.targets.contains(modifier)
                    || (parameter.targets.isEmpty && FHIRID.isResourceTypeName(Substring(modifier)))
            else { throw value.unknownModifier(self) }
            typeModifier = modifier
        }
        var targets: [(type: String?, id: String)] = []
        for written in value.values.map(SearchQueryParser.unescape) {
            let v = local(written, base: parser.base) ?? written
            let target = ReferenceTarget(parsing: v)
            if !target.type.isEmpty {
                if let typeModifier, typeModifier != target.type {
                    throw SearchError(
                        parameter: value.name, value: value.raw, "the reference type contradicts :\(typeModifier)")
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

    /// `Type/id` for an absolute URL under this server's base (either scheme: a proxy may
    /// terminate TLS in front of it); nil for anything else.
    static func local(_ reference: String, base: String?) -> String? {
        func withoutScheme(_ url: String) -> Substring? {
            guard let range = url.range(of: "://") else { return nil }
            return url[range.upperBound...]
        }
        guard let base, let here = withoutScheme(base), let there = withoutScheme(reference) else { return nil }
        let prefix = here.hasSuffix("/") ? here : here + "/"
        guard there.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        let rest = there.dropFirst(prefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        // `Type/id` or `Type/id/_history/n`.
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history"), FHIRID.isResourceTypeName(parts[0]),
            FHIRID.isValid(String(parts[1]))
        else { return nil }
        return "\(parts[0])/\(parts[1])"
    }

    /// `ref:identifier=system|value`: the reference's own `identifier`, or the `identifier` of
    /// the resource it points to, since directories rarely fill in `Reference.identifier`.
    static func identifier(_ value: SearchValue, registry: SearchParameterRegistry) throws(SearchError)
        -> SearchClause.Condition
    {
        let parameter = value.parameter
        let forms = try TokenSearch.forms(value)
        var alternatives = [SearchClause(parameter: parameter, condition: .token(forms, negated: false))]
        var targets: [(type: String, clause: SearchClause)] = []
        for target in parameter.targets {
            if let identifier = registry.parameter(target, "identifier"), identifier.type == .token {
                targets.append((target, SearchClause(parameter: identifier, condition: .token(forms, negated: false))))
            }
        }
        if !targets.isEmpty {
            alternatives.append(SearchClause(parameter: parameter, condition: .chain(targets: targets)))
        }
        return .anyOf(alternatives)
    }
}
