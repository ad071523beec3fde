import ArgumentParser
import SearchParameters

/// `plandir serve`'s bounds on what one search may ask for (`SearchLimits`).
struct SearchLimitOptions: ParsableArguments {
    @Option(help: "Most _include and _revinclude values in one search.")
    var maxIncludes = SearchLimits().includes

    @Option(help: "Most comma-separated values in one parameter.")
    var maxOrValues = SearchLimits().orValues

    @Option(help: "Most repeats of one parameter name.")
    var maxRepeats = SearchLimits().repeats

    @Option(help: "Most parameters in one search.")
    var maxParameters = SearchLimits().parameters

    @Option(help: "Most words in one _content value.")
    var maxContentTerms = SearchLimits().contentTerms

    @Option(help: "Fewest characters in a _content word.")
    var minContentTerm = SearchLimits().contentTermLength

    @Option(help: "Fewest characters in a :contains value.")
    var minContains = SearchLimits().containsLength

    func validate() throws {
        let all = [maxIncludes, maxOrValues, maxRepeats, maxParameters, maxContentTerms, minContentTerm, minContains]
        guard all.allSatisfy({ $0 >= 1 }) else { throw ValidationError("search limits must be 1 or more") }
    }

    var limits: SearchLimits {
        var limits = SearchLimits()
        limits.includes = maxIncludes
        limits.orValues = maxOrValues
        limits.repeats = maxRepeats
        limits.parameters = maxParameters
        limits.contentTerms = maxContentTerms
        limits.contentTermLength = minContentTerm
        limits.containsLength = minContains
        return limits
    }
}
