import FHIRCore

/// A FHIR Bulk Data `$export` kick-off (Bulk Data Access IG 2.0.0), validated against the
/// registry: which types, changed since when, narrowed by which searches.
public struct ExportRequest: Sendable, Equatable {
    /// The types to export, in name order.
    public var types: [String]
    /// `_since` in milliseconds: only resources last updated after it, and the deletions after it.
    public var since: Int64?
    /// `_typeFilter` searches by type; several for one type are ORed, a type without any is
    /// exported whole.
    public var filters: [String: [SearchRequest]]
    /// The `_outputFormat` asked for (all name NDJSON).
    public var outputFormat: String

    public init(
        types: [String], since: Int64? = nil, filters: [String: [SearchRequest]] = [:],
        outputFormat: String = "application/fhir+ndjson"
    ) {
        self.types = types
        self.since = since
        self.filters = filters
        self.outputFormat = outputFormat
    }

    public static let outputFormats: Set<String> = ["application/fhir+ndjson", "application/ndjson", "ndjson"]
    /// Kick-off parameters of the IG that this server does not serve.
    static let unsupported: Set<String> = [
        "_elements", "patient", "includeAssociatedData", "_until", "organizeOutputBy", "allowPartialManifests",
    ]
    /// Search parameters that shape a result rather than select resources: not filters.
    static let resultParameters: Set<String> = [
        "_count", "_sort", "_total", "_summary", "_elements", "_cursor", "_format", "_pretty", "_include",
        "_revinclude", "_contained", "_containedType",
    ]

    /// Parses the kick-off's query parameters.
    public static func parse(_ parameters: [(name: String, value: String)], parser: SearchQueryParser)
        throws(SearchError) -> ExportRequest
    {
        let registry = parser.registry
        var types: [String]?
        var since: Int64?
        var format = "application/fhir+ndjson"
        var filterTexts: [String] = []
        for (name, value) in parameters {
            switch name {
            case "_type":
                for type in value.split(separator: ",", omittingEmptySubsequences: true) {
                    let type = type.trimmingCharacters(in: .whitespaces)
                    guard registry.supports(type) else {
                        throw SearchError(
                            parameter: name, value: value,
                            "\(type) is not served here; types: \(registry.resourceTypes.joined(separator: ", "))")
                    }
                    types = (types ?? []) + [type]
                }
            case "_since":
                guard since == nil else { throw SearchError(parameter: name, value: value, "give _since once") }
                guard value.contains("T"), let range = DateRange(fhir: value) else {
                    throw SearchError(parameter: name, value: value, "not a FHIR instant (2026-12-01T00:00:00Z)")
                }
                since = range.low
            case "_outputFormat":
                guard outputFormats.contains(value) else {
                    throw SearchError(
                        .notSupported, parameter: name, value: value,
                        "files are NDJSON: application/fhir+ndjson, application/ndjson or ndjson")
                }
                format = value
            case "_typeFilter":
                filterTexts.append(value)
            default:
                if unsupported.contains(name) {
                    throw SearchError(.notSupported, parameter: name, "$export here does not support \(name)")
                }
                throw SearchError(
                    parameter: name, "unknown $export parameter; use _type, _since, _typeFilter or _outputFormat")
            }
        }
        let chosen = Array(Set(types ?? registry.resourceTypes)).sorted()
        var filters: [String: [SearchRequest]] = [:]
        for text in filterTexts {
            let search = try filter(text, parser: parser)
            guard chosen.contains(search.resourceType) else {
                throw SearchError(
                    parameter: "_typeFilter", value: text, "\(search.resourceType) is not among the _type exported")
            }
            filters[search.resourceType, default: []].append(search)
        }
        return ExportRequest(types: chosen, since: since, filters: filters, outputFormat: format)
    }

    /// One `_typeFilter` value, `Type?name=value&…`, parsed as a search that only selects.
    static func filter(_ text: String, parser: SearchQueryParser) throws(SearchError) -> SearchRequest {
        let parts = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw SearchError(parameter: "_typeFilter", value: text, "expected Type?name=value")
        }
        let type = String(parts[0])
        guard parser.registry.supports(type) else {
            throw SearchError(parameter: "_typeFilter", value: text, "\(type) is not served here")
        }
        let pairs: [(name: String, value: String)]
        do throws(FormDecoder.Failure) {
            pairs = try FormDecoder.decode(parts[1])
        } catch {
            throw SearchError(parameter: "_typeFilter", value: text, "cannot decode '\(error.pair)': \(error.reason)")
        }
        for (name, _) in pairs where resultParameters.contains(name) {
            throw SearchError(
                .notSupported, parameter: "_typeFilter", value: text, "\(name) shapes a result; a filter only selects")
        }
        do throws(SearchError) {
            return try parser.parse(resourceType: type, parameters: pairs, lenient: false)
        } catch {
            throw SearchError(
                error.kind, parameter: "_typeFilter", value: text, "\(error.parameter): \(error.message)")
        }
    }
}
