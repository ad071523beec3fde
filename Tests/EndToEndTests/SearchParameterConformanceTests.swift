import FHIRCore
import Foundation
import HummingbirdTesting
import Indexing
import SearchParameters
import Storage
import Testing

/// Every search parameter, on real data, served over a real socket, against expected id sets
/// computed here from the source resources.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
struct SearchParameterConformanceTests {
    struct Query {
        var type: String
        var parameter: String
        var value: String
        var expected: Set<String>
    }

    /// Builds queries for every parameter of every type from values present in the data, and
    /// the set of ids each must return, by matching in memory.
    static func queries(for built: BuiltIndex) -> [Query] {
        var queries: [Query] = []
        for type in Fixtures.registry.resourceTypes {
            let sources = built.sources(of: type)
            guard let first = sources.first else { continue }
            for parameter in Fixtures.registry.parameters(for: type) {
                let pid = parameter.pid
                switch parameter.type {
                case .token where parameter.isID:
                    queries.append(Query(type: type, parameter: "_id", value: first.id, expected: [first.id]))
                case .token:
                    let forms = sources.flatMap { $0.values.tokens.filter { $0.pid == pid }.map(\.value) }
                    // A coded value's bare code is not stored; searching for it asks which systems
                    // it has, so it is queried too.
                    let coded = forms.first { $0.contains("|") && !$0.hasSuffix("|") }
                    let bare = coded.map { String($0.split(separator: "|", omittingEmptySubsequences: false).last!) }
                    for form in Set([forms.first, coded, bare, forms.last].compactMap { $0 }) {
                        let expected = sources.filter {
                            $0.values.tokens.contains { $0.pid == pid && Oracle.tokenMatches($0.value, form) }
                        }
                        queries.append(
                            Query(type: type, parameter: parameter.code, value: form, expected: Set(expected.map(\.id)))
                        )
                    }
                case .string:
                    guard let value = sources.lazy.compactMap({ $0.values.strings.first { $0.pid == pid } }).first
                    else { continue }
                    let prefix = String(value.folded.prefix(3))
                    let expected = sources.filter {
                        $0.values.strings.contains { $0.pid == pid && $0.folded.hasPrefix(prefix) }
                    }
                    queries.append(
                        Query(
                            type: type, parameter: parameter.code, value: prefix.uppercased(),
                            expected: Set(expected.map(\.id))))
                    let exact = sources.filter { $0.values.strings.contains { $0.pid == pid && $0.raw == value.raw } }
                    queries.append(
                        Query(
                            type: type, parameter: parameter.code + ":exact", value: Self.escape(value.raw),
                            expected: Set(exact.map(\.id))))
                    // `:contains` takes three characters at least (`SearchLimits.containsLength`).
                    let middle = String(value.folded.dropFirst().prefix(3))
                    if middle.count == 3 {
                        let contains = sources.filter {
                            $0.values.strings.contains { $0.pid == pid && $0.folded.contains(middle) }
                        }
                        queries.append(
                            Query(
                                type: type, parameter: parameter.code + ":contains", value: middle,
                                expected: Set(contains.map(\.id))))
                    }
                case .reference:
                    guard
                        let value = sources.lazy.compactMap({
                            $0.values.references.first { $0.pid == pid && !$0.target.type.isEmpty }
                        }).first
                    else { continue }
                    let expected = sources.filter {
                        $0.values.references.contains { $0.pid == pid && $0.target == value.target }
                    }
                    queries.append(
                        Query(
                            type: type, parameter: parameter.code, value: value.target.literal,
                            expected: Set(expected.map(\.id))))
                case .date:
                    for (prefix, date) in [
                        ("ge", "2020-01-01"), ("lt", "2020-08-17"), ("eq", "2020"), ("sa", "2019-06"), ("eb", "2026"),
                    ] {
                        let q = DateRange(fhir: date)!
                        let expected = sources.filter { source in
                            source.values.dates.contains { d in
                                guard d.pid == pid else { return false }
                                let r = d.range
                                let contained = r.low >= q.low && r.high <= q.high
                                switch prefix {
                                case "ge": return r.high > q.high || contained
                                case "lt": return r.low < q.low
                                case "eq": return contained
                                case "sa": return r.low > q.high
                                default: return r.high < q.low
                                }
                            }
                        }
                        queries.append(
                            Query(
                                type: type, parameter: parameter.code, value: prefix + date,
                                expected: Set(expected.map(\.id))))
                    }
                default: continue
                }
            }
        }
        return queries
    }

    /// FHIR search escaping: a literal comma, pipe or dollar in a value is written `\,` etc.
    static func escape(_ value: String) -> String {
        var out = ""
        for ch in value {
            if ch == "\\" || ch == "," || ch == "|" || ch == "$" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    func check(_ built: BuiltIndex) async throws {
        let queries = Self.queries(for: built)
        // Every parameter of every type with data gets at least one query.
        let covered = Set(queries.map { "\($0.type).\($0.parameter.split(separator: ":")[0])" })
        for type in Fixtures.registry.resourceTypes where !built.sources(of: type).isEmpty {
            for parameter in Fixtures.registry.parameters(for: type) {
                let hasData = built.sources(of: type).contains { s in
                    parameter.isID || s.values.tokens.contains { $0.pid == parameter.pid }
                        || s.values.strings.contains { $0.pid == parameter.pid }
                        || s.values.references.contains { $0.pid == parameter.pid && !$0.target.type.isEmpty }
                        || parameter.type == .date
                }
                if hasData {
                    #expect(covered.contains("\(type).\(parameter.code)"), "no query for \(type).\(parameter.code)")
                }
            }
        }
        try await built.live { client in
            for query in queries {
                let ids = try await client.allIDs(
                    "/fhir/\(query.type)?\(query.parameter)=\(encode(query.value))&_count=7")
                #expect(ids.count == Set(ids).count, "duplicates for \(query.type)?\(query.parameter)=\(query.value)")
                #expect(Set(ids) == query.expected, "\(query.type)?\(query.parameter)=\(encode(query.value))")
            }
        }
    }

    @Test func igExamples() async throws { try await check(Fixtures.examples) }

    @Test func referenceImplementationData() async throws { try await check(Fixtures.ri) }

    @Test func orListsAndRepeatedParametersCombine() async throws {
        let built = Fixtures.ri
        let pid = Fixtures.registry.parameter("PractitionerRole", "specialty")!.pid
        let roles = built.sources(of: "PractitionerRole")
        let codes = Array(
            Set(roles.flatMap { Oracle.codes($0, pid: pid) })
        ).sorted()
        try #require(codes.count >= 2)
        let (a, b) = (codes[0], codes[1])
        let either = Set(
            roles.filter { Oracle.codes($0, pid: pid).contains(a) || Oracle.codes($0, pid: pid).contains(b) }.map(\.id))
        let practitionerPid = Fixtures.registry.parameter("PractitionerRole", "practitioner")!.pid
        let withPractitioner = roles.first { r in either.contains(r.id) }!
        let practitioner = withPractitioner.values.references.first { $0.pid == practitionerPid }!.target.literal
        let both = Set(
            roles.filter {
                either.contains($0.id)
                    && $0.values.references.contains { $0.pid == practitionerPid && $0.target.literal == practitioner }
            }
            .map(\.id))
        try await built.live { client in
            let orIDs = try await client.allIDs("/fhir/PractitionerRole?specialty=\(encode(a + "," + b))&_count=50")
            #expect(Set(orIDs) == either)
            let andIDs = try await client.allIDs(
                "/fhir/PractitionerRole?specialty=\(encode(a + "," + b))&practitioner=\(encode(practitioner))")
            #expect(Set(andIDs) == both)
            let none = try await client.allIDs(
                "/fhir/PractitionerRole?specialty=\(encode(a))&specialty=zz-no-such-code")
            #expect(none.isEmpty)
        }
    }
}
