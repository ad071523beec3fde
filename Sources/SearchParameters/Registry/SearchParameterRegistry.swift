import FHIRCore
import Foundation

/// Every search parameter the server supports, loaded from SearchParameter JSON definitions.
///
/// The queries, the index extraction and the CapabilityStatement all read this one registry,
/// so what is advertised is exactly what works.
public struct SearchParameterRegistry: Sendable {
    public struct LoadError: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    /// Parameters by resource type, then by code.
    public let byType: [String: [String: SearchParameter]]
    /// Every parameter, in pid order.
    public let all: [SearchParameter]
    /// A stable digest of the definitions, stored in each index so a server refuses an index
    /// built with different definitions.
    public let fingerprint: String
    /// Types that take `_content`, with the related resources whose text also finds them.
    public let content: [String: [ContentRelation]]
    /// Top-level elements marked `isSummary`, by type (`_summary=true`).
    public let summaryElements: [String: Set<String>]
    /// Top-level elements the base resource requires, by type (kept by every subset).
    public let mandatoryElements: [String: Set<String>]
    /// Chains whose target values the index copies onto the referring resource.
    public let materialized: [MaterializedChain]

    /// Resource types that have at least one parameter of their own.
    public var resourceTypes: [String] { byType.keys.sorted() }

    public func parameter(_ resourceType: String, _ code: String) -> SearchParameter? {
        byType[resourceType]?[code]
    }

    public func parameters(for resourceType: String) -> [SearchParameter] {
        (byType[resourceType] ?? [:]).values.sorted { $0.pid < $1.pid }
    }

    public func supports(_ resourceType: String) -> Bool { byType[resourceType] != nil }

    /// The definitions bundled with the server, in precedence order (folders are numbered):
    /// FHIR core `_id`/`_lastUpdated`/`identifier`, Plan-Net 1.1.0, the parameters Plan-Net
    /// 1.2.0 adds, US Drug Formulary 2.0.1, and the STU 1.1 parameters its older clients use.
    /// Where two define the same code on a type, the earlier wins (Plan-Net's InsurancePlan
    /// `name` also matches `alias`, a superset of the formulary's).
    public static func bundled() throws -> SearchParameterRegistry {
        guard let root = Bundle.module.url(forResource: "Definitions", withExtension: nil) else {
            throw LoadError(file: "Definitions", reason: "the bundled definitions are missing")
        }
        return try load(directory: root)
    }

    /// Loads every `SearchParameter*.json` below `directory`, in path order.
    public static func load(directory: URL) throws -> SearchParameterRegistry {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw LoadError(file: directory.path, reason: "not a readable folder")
        }
        var files: [URL] = []
        for case let url as URL in walker where url.pathExtension == "json" {
            files.append(url)
        }
        files.sort { $0.path < $1.path }
        var definitions: [(String, JSONValue)] = []
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            do {
                definitions.append((file.lastPathComponent, try JSONParser.parse(bytes)))
            } catch {
                throw LoadError(file: file.path, reason: error.description)
            }
        }
        return try SearchParameterRegistry(definitions: definitions)
    }

    /// Builds the registry from parsed definitions; the first definition of a code for a type wins.
    public init(definitions: [(name: String, json: JSONValue)]) throws {
        struct Pending {
            var resourceType: String
            var code: String
            var json: JSONValue
            var name: String
            /// Position of the definition: earlier definitions win a (type, code) clash.
            var order: Int
        }
        var pending: [Pending] = []
        var resourceLevel: [(JSONValue, String, Int)] = []
        var types = Set<String>()
        var extraChains: [String: [String]] = [:]
        var materializedText: [(String, [String], String)] = []
        var contentText: [(String, [String], String)] = []
        var summaryElements: [String: Set<String>] = [:]
        var mandatoryElements: [String: Set<String>] = [:]
        for (order, (name, json)) in definitions.enumerated() {
            // plandir's own data files: objects of string lists keyed by type or Type.code.
            if json["plandirSummary"] != nil {
                for (type, names) in Self.stringLists(json["plandirSummary"]) {
                    summaryElements[type, default: []].formUnion(names)
                }
                for (type, names) in Self.stringLists(json["plandirMandatory"]) {
                    mandatoryElements[type, default: []].formUnion(names)
                }
                continue
            }
            if json["plandirContent"] != nil {
                contentText += Self.stringLists(json["plandirContent"]).map { ($0.key, $0.values, name) }
                continue
            }
            if json["plandirMaterialized"] != nil {
                materializedText += Self.stringLists(json["plandirMaterialized"]).map { ($0.key, $0.values, name) }
                continue
            }
            if json["plandirChains"] != nil {
                for (parameter, codes) in Self.stringLists(json["plandirChains"]) {
                    extraChains[parameter, default: []] += codes
                }
                continue
            }
            guard json["resourceType"]?.stringValue == "SearchParameter" else { continue }
            guard let code = json["code"]?.stringValue, let bases = json["base"]?.arrayValue else {
                throw LoadError(file: name, reason: "a SearchParameter needs code and base")
            }
            guard let type = json["type"]?.stringValue.flatMap(SearchParamType.init(rawValue:)), type.isSupported
            else { continue }
            // `special` means what each definition says in prose; plandir implements `near` only.
            if type == .special && code != "near" { continue }
            for base in bases.compactMap(\.stringValue) {
                if base == "Resource" || base == "DomainResource" {
                    resourceLevel.append((json, name, order))
                } else {
                    types.insert(base)
                    pending.append(Pending(resourceType: base, code: code, json: json, name: name, order: order))
                }
            }
        }
        for type in types {
            for (json, name, order) in resourceLevel {
                pending.append(
                    Pending(resourceType: type, code: json["code"]!.stringValue!, json: json, name: name, order: order))
            }
        }
        pending.sort { ($0.resourceType, $0.code, $0.order) < ($1.resourceType, $1.code, $1.order) }

        var byType: [String: [String: SearchParameter]] = [:]
        var all: [SearchParameter] = []
        var digest = FNV1a()
        for item in pending where byType[item.resourceType]?[item.code] == nil {
            let json = item.json
            let expressionText = json["expression"]?.stringValue ?? ""
            let expression: PathExpression
            do {
                expression = try PathExpression(expressionText, resourceType: item.resourceType)
            } catch {
                throw LoadError(file: item.name, reason: "\(error)")
            }
            let parameter = SearchParameter(
                pid: all.count + 1,
                resourceType: item.resourceType,
                code: item.code,
                type: SearchParamType(rawValue: json["type"]!.stringValue!)!,
                url: json["url"]?.stringValue ?? "",
                description: json["description"]?.stringValue ?? "",
                expression: expression,
                targets: json["target"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                modifiers: json["modifier"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                chains: (json["chain"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    + (extraChains["\(item.resourceType).\(item.code)"] ?? [])
            )
            byType[item.resourceType, default: [:]][item.code] = parameter
            all.append(parameter)
            digest.add("\(parameter.pid)|\(parameter.resourceType)|\(parameter.code)|\(parameter.type)|")
            digest.add("\(expressionText)|\(parameter.targets.joined(separator: ","))\n")
        }
        var content: [String: [ContentRelation]] = [:]
        for (type, relations, file) in contentText {
            var parsed: [ContentRelation] = []
            for text in relations {
                guard let relation = ContentRelation(text, from: type, registry: { byType[$0]?[$1] }) else {
                    throw LoadError(file: file, reason: "cannot follow '\(text)' from \(type)")
                }
                parsed.append(relation)
            }
            content[type] = parsed
            digest.add("content|\(type)|\(relations.joined(separator: ","))\n")
        }
        // Materialized chains are numbered after every parameter, in file order.
        var materialized: [MaterializedChain] = []
        for (key, codes, file) in materializedText {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, var link = byType[parts[0]]?[parts[1]], link.type == .reference else {
                throw LoadError(file: file, reason: "\(key) is not a reference parameter")
            }
            for code in codes {
                guard link.chains.contains(code) else {
                    throw LoadError(file: file, reason: "\(key) declares no chain \(code)")
                }
                for targetType in link.targets {
                    guard let target = byType[targetType]?[code], target.type == .string || target.type == .token
                    else { continue }
                    let chain = MaterializedChain(
                        pid: all.count + materialized.count + 1, link: link, target: target)
                    materialized.append(chain)
                    link.materialized["\(targetType).\(code)"] = chain.pid
                    digest.add("materialized|\(chain.pid)|\(link.pid)|\(target.pid)\n")
                }
            }
            byType[link.resourceType]![link.code] = link
            // Pids are positions in `all`, counted from 1.
            all[link.pid - 1] = link
        }
        self.materialized = materialized
        self.byType = byType
        self.all = all
        self.content = content
        self.summaryElements = summaryElements
        self.mandatoryElements = mandatoryElements
        self.fingerprint = digest.hex
    }

    /// `{"key": ["a", "b"], …}` as pairs, in file order.
    static func stringLists(_ value: JSONValue?) -> [(key: String, values: [String])] {
        (value?.objectValue?.members ?? []).map { ($0.key, $0.value.asList.compactMap(\.stringValue)) }
    }
}
