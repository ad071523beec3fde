import FHIRCore
import SearchParameters

/// The query path of a search, from the raw query string to a validated `SearchRequest`, on
/// any bytes: the answer is a request or a `SearchError` (a 4xx), never a trap.
///
/// Input: one byte of flags (bit 0: lenient handling; the rest picks a resource type), then
/// `Type?query`, or only a query string for the type the flags pick.
///
/// Beyond "no trap", a parsed request must survive its own links: the `self` and `next` links
/// carry `linkParameters` (encoded) and the cursor, and parsing them again must give the same
/// request. A link that 400s or means something else is a broken page for every client.
public enum QueryFuzzing {
    static let registry = try! SearchParameterRegistry.bundled()
    static let types = registry.resourceTypes

    /// What went wrong on `input`; empty when every property held.
    public static func check(_ input: FuzzInput) -> [String] {
        let flags = input.control(0)
        let lenient = flags & 1 == 1
        var type = types[Int(flags >> 1) % types.count]
        var query = Substring(String(decoding: input.payload(after: 1), as: UTF8.self))
        if let mark = query.firstIndex(of: "?"), registry.supports(String(query[..<mark])) {
            type = String(query[..<mark])
            query = query[query.index(after: mark)...]
        }
        let pairs: [(name: String, value: String)]
        do throws(FormDecoder.Failure) {
            pairs = try FormDecoder.decode(query)
        } catch {
            return error.reason.isEmpty ? ["a decoding failure without a reason"] : []
        }
        let parser = SearchQueryParser(registry: registry)
        let request: SearchRequest
        do throws(SearchError) {
            request = try parser.parse(
                resourceType: type, parameters: SearchQueryParser.normalize(pairs), lenient: lenient)
        } catch {
            return error.message.isEmpty || error.parameter.isEmpty && pairs.isEmpty
                ? ["a SearchError without a message or parameter: \(error)"] : []
        }
        var problems: [String] = []
        // Storage compiles each OR list to `(a OR b …)`: an empty one is an SQL syntax error.
        for clause in request.clauses where hasEmptyAlternatives(clause.condition) {
            problems.append("\(clause.parameter.code) has an empty list of values")
        }
        if !(0...SearchRequest.maximumCount).contains(request.count) {
            problems.append("_count \(request.count) is outside 0...\(SearchRequest.maximumCount)")
        }
        if let cursor = request.cursor, PageCursor(token: cursor.token) != cursor {
            problems.append("cursor \(cursor) does not survive its token")
        }
        // The `self` link, as `SearchsetWriter` writes it, read back as a server reads it.
        var link = request.linkParameters.map { "\(FormDecoder.encode($0.name))=\(FormDecoder.encode($0.value))" }
        if let cursor = request.cursor { link.append("_cursor=\(cursor.token)") }
        let linked: [(name: String, value: String)]
        do throws(FormDecoder.Failure) {
            linked = try FormDecoder.decode(Substring(link.joined(separator: "&")))
        } catch {
            return problems + ["the self link does not decode: \(error.reason)"]
        }
        do throws(SearchError) {
            let again = try parser.parse(
                resourceType: type, parameters: SearchQueryParser.normalize(linked), lenient: lenient)
            if again != request { problems.append("the self link parses to another request") }
        } catch {
            problems.append("the self link is refused: \(error)")
        }
        return problems
    }

    static func hasEmptyAlternatives(_ condition: SearchClause.Condition) -> Bool {
        switch condition {
        case .id(let values): values.isEmpty
        case .token(let values, _): values.isEmpty
        case .string(let values, _): values.isEmpty
        case .reference(let values): values.isEmpty
        case .date(let values): values.isEmpty
        case .text(let values): values.isEmpty
        case .missing, .content, .near: false
        case .chain(let targets): targets.isEmpty || targets.contains { hasEmptyAlternatives($0.clause.condition) }
        case .reverse(_, let clause): hasEmptyAlternatives(clause.condition)
        case .anyOf(let clauses): clauses.isEmpty || clauses.contains { hasEmptyAlternatives($0.condition) }
        }
    }
}
