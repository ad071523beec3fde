import FHIRCore
import Indexing
import SearchParameters

/// Answers cross-resource questions in memory from a built index's source resources, so the
/// tests can compare the server with an independent computation.
struct Oracle {
    typealias Source = BuiltIndex.Source

    let built: BuiltIndex
    let byKey: [String: Source]
    /// Sources by "pid|Type/id" of what they refer to.
    let referring: [String: [Source]]

    init(_ built: BuiltIndex) {
        self.built = built
        var byKey: [String: Source] = [:]
        var referring: [String: [Source]] = [:]
        for source in built.sources {
            byKey["\(source.type)/\(source.id)"] = source
            for reference in source.values.references {
                referring["\(reference.pid)|\(reference.target.literal)", default: []].append(source)
            }
        }
        self.byKey = byKey
        self.referring = referring
    }

    static func key(_ source: Source) -> String { "\(source.type)/\(source.id)" }

    /// The indexed resources `source` refers to through `parameter`.
    func targets(of source: Source, _ parameter: SearchParameter) -> [Source] {
        source.values.references.filter { $0.pid == parameter.pid }.compactMap { byKey[$0.target.literal] }
    }

    /// The resources of `parameter.resourceType` that refer to `target` through `parameter`.
    func referrers(of target: Source, _ parameter: SearchParameter) -> [Source] {
        var seen = Set<String>()
        return (referring["\(parameter.pid)|\(target.type)/\(target.id)"] ?? []).filter { seen.insert($0.id).inserted }
    }

    /// One value of `parameter` that `source` has, written as a query value, with plain (no
    /// modifier) semantics: a 3-letter string prefix, a token form, a reference literal.
    static func sampleValue(_ source: Source, _ parameter: SearchParameter) -> String? {
        let pid = parameter.pid
        switch parameter.type {
        case .string:
            // Skip prefixes that would need FHIR escaping (`,` `|` `$` `\`).
            return source.values.strings.lazy.filter { $0.pid == pid }.map { String($0.folded.prefix(3)) }
                .first { !$0.contains(where: { ",|$\\".contains($0) }) }
        case .token:
            if parameter.isID { return source.id }
            return source.values.tokens.first { $0.pid == pid && $0.value.contains("|") && !$0.value.hasSuffix("|") }?
                .value
                ?? source.values.tokens.first { $0.pid == pid }?.value
        case .reference:
            return source.values.references.first { $0.pid == pid && !$0.target.type.isEmpty }?.target.literal
        default: return nil
        }
    }

    /// Whether an index form matches a query value: exactly, or for a bare code, any form
    /// with that code (`system|code`, `|code`, or the bare code of a code element).
    static func tokenMatches(_ form: String, _ value: String) -> Bool {
        if form == value { return true }
        guard !value.contains("|"), let bar = form.lastIndex(of: "|") else { return false }
        return form[form.index(after: bar)...] == value
    }

    /// The codes of a source's token forms for `pid` (what a bare-code search finds it by).
    static func codes(_ source: Source, pid: Int) -> Set<String> {
        Set(
            source.values.tokens.filter { $0.pid == pid }.compactMap { token in
                let code = token.value.split(separator: "|", omittingEmptySubsequences: false).last.map(String.init)
                return code?.isEmpty == false ? code : nil
            })
    }

    /// Whether `source` matches `parameter=value` with plain semantics (see `sampleValue`).
    static func matches(_ source: Source, _ parameter: SearchParameter, _ value: String) -> Bool {
        let pid = parameter.pid
        switch parameter.type {
        case .string:
            let folded = TextNormalizer.normalize(value)
            return source.values.strings.contains { $0.pid == pid && $0.folded.hasPrefix(folded) }
        case .token:
            if parameter.isID { return source.id == value }
            return source.values.tokens.contains { $0.pid == pid && tokenMatches($0.value, value) }
        case .reference:
            return source.values.references.contains { $0.pid == pid && $0.target.literal == value }
        default: return false
        }
    }

    /// The resources `_include`/`_revinclude` add to a page with these matches: all includes on
    /// the matches, then `:iterate` ones on what was added, until nothing new; each resource once
    /// and never a match.
    func included(matches: [Source], includes: [Include]) -> Set<String> {
        var seen = Set(matches.map(Self.key))
        var result = Set<String>()
        var frontier = matches
        var active = includes
        // The first round, then the :iterate rounds the default limits follow.
        for _ in 0...SearchLimits().iterateDepth {
            var found: [Source] = []
            for include in active {
                for source in frontier where include.applies(to: source.type) {
                    let reached: [Source]
                    switch include.direction {
                    case .forward:
                        reached = targets(of: source, include.parameter).filter {
                            include.targetType == nil || $0.type == include.targetType
                        }
                    case .reverse: reached = referrers(of: source, include.parameter)
                    }
                    for r in reached where seen.insert(Self.key(r)).inserted {
                        found.append(r)
                        result.insert(Self.key(r))
                    }
                }
            }
            frontier = found
            active = includes.filter(\.iterate)
            if found.isEmpty || active.isEmpty { break }
        }
        return result
    }
}
