extension SearchQueryParser {
    /// Refuses includes whose `:iterate` values need more rounds than `limits.iterateDepth` to
    /// reach every type they name.
    ///
    /// Counted over types, not rows: the first round reaches the types the includes name from
    /// the searched type; each later round counts only if its `:iterate` includes reach a type
    /// not reached before. `PractitionerRole` → `Location` → `Organization` takes one
    /// `:iterate` round; adding `Organization:endpoint` takes a second. A self-reference
    /// (`Organization:partof`) reaches no new type, and is followed `iterateDepth` rounds deep.
    func checkIterateDepth(_ request: SearchRequest) throws(SearchError) {
        let iterating = request.includes.filter(\.iterate)
        guard !iterating.isEmpty else { return }
        var reached: Set<String> = [request.resourceType]
        var frontier = reached
        var active = request.includes
        var round = 0
        while !active.isEmpty {
            var found: [String: Include] = [:]
            for include in active {
                for type in frontier where include.applies(to: type) {
                    for target in reach(include) where !reached.contains(target) {
                        found[target] = found[target] ?? include
                    }
                }
            }
            guard !found.isEmpty else { return }
            if round > limits.iterateDepth, let include = found.values.first {
                let parameter = include.parameter
                throw .over(
                    .iterateDepth,
                    parameter: include.direction == .forward ? "_include:iterate" : "_revinclude:iterate",
                    value: "\(parameter.resourceType):\(parameter.code)",
                    "these includes need \(round) :iterate rounds; at most \(limits.iterateDepth) are followed")
            }
            reached.formUnion(found.keys)
            frontier = Set(found.keys)
            active = iterating
            round += 1
        }
    }

    /// The types one include can bring in.
    func reach(_ include: Include) -> [String] {
        switch include.direction {
        case .forward:
            if let target = include.targetType { return [target] }
            return include.parameter.targets.isEmpty ? registry.resourceTypes : include.parameter.targets
        case .reverse:
            return [include.parameter.resourceType]
        }
    }
}
