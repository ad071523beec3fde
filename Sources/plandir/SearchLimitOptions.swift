import ArgumentParser
import SearchParameters

/// `plandir serve`'s bounds on what one search may ask for (`SearchLimits`).
struct SearchLimitOptions: ParsableArguments {
    @Option(help: "Most _include and _revinclude values in one search.")
    var maxIncludes = SearchLimits().includes

    @Option(help: "Most resources included on one page; beyond it the page is cut and says so.")
    var maxIncluded = SearchLimits().included

    @Option(help: "Most :iterate rounds after the first round of includes.")
    var maxIterateDepth = SearchLimits().iterateDepth

    @Option(help: "Most links in one chained parameter (a.b.c has two).")
    var maxChainLinks = SearchLimits().chainLinks

    @Option(help: "Most levels of _has inside _has.")
    var maxHasNesting = SearchLimits().hasNesting

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

    @Option(help: "Seconds of database time one search may take (decimals allowed).")
    var queryTimeout = 2.0

    @Option(help: "Largest search response body in bytes: includes are cut first, then the search is refused.")
    var maxResponseBytes = SearchLimits().responseBytes

    @Option(help: "Widest near radius in km; a wider one is refused as too costly (160 km is 100 miles).")
    var maxNearKm = SearchLimits().nearKm

    func validate() throws {
        let all = [
            maxIncludes, maxIncluded, maxChainLinks, maxOrValues, maxRepeats, maxParameters, maxContentTerms,
            minContentTerm, minContains, maxResponseBytes,
        ]
        guard all.allSatisfy({ $0 >= 1 }) else { throw ValidationError("search limits must be 1 or more") }
        // No iterating and no _has are meaningful settings.
        guard maxIterateDepth >= 0, maxHasNesting >= 0 else {
            throw ValidationError("--max-iterate-depth and --max-has-nesting must be 0 or more")
        }
        guard maxNearKm > 0, maxNearKm.isFinite else {
            throw ValidationError("--max-near-km must be a distance in km, more than 0")
        }
        guard queryTimeout > 0, queryTimeout.isFinite else {
            throw ValidationError("--query-timeout must be more than 0 seconds")
        }
    }

    var limits: SearchLimits {
        var limits = SearchLimits()
        limits.includes = maxIncludes
        limits.included = maxIncluded
        limits.iterateDepth = maxIterateDepth
        limits.chainLinks = maxChainLinks
        limits.hasNesting = maxHasNesting
        limits.orValues = maxOrValues
        limits.repeats = maxRepeats
        limits.parameters = maxParameters
        limits.contentTerms = maxContentTerms
        limits.contentTermLength = minContentTerm
        limits.containsLength = minContains
        limits.queryTimeout = .microseconds(Int64(queryTimeout * 1_000_000))
        limits.responseBytes = maxResponseBytes
        limits.nearKm = maxNearKm
        return limits
    }
}
