import FHIRCore
import Foundation

/// Checks a resource against the FHIR R4 JSON rules for the elements it knows, and repairs
/// what is unambiguous.
///
/// The element facts (each element's JSON name, type and whether it repeats) are data,
/// `Definitions/r4-elements.json`, extracted once from fhirclient's R4 models by
/// `Scripts/r4-elements.py`. What is checked: primitive JSON types (string, boolean, integer,
/// decimal; date, dateTime, instant and time syntax; codes without surrounding whitespace; id
/// syntax), arrays where an element repeats and single values where it does not, unknown
/// elements, and `resourceType` of the resource and of contained ones.
public struct ResourceChecker: Sendable {
    /// One problem, at a FHIRPath-style location (`Organization.identifier[0].value`).
    public struct Problem: Sendable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case wrongType = "wrong-type"
            case expectedArray = "expected-array"
            case expectedSingle = "expected-single-value"
            case unknownElement = "unknown-element"
            case invalidDate = "invalid-date"
            case nullValue = "null"
            case codeWhitespace = "code-whitespace"
            case invalidID = "invalid-id"
            case resourceType = "resource-type"
        }

        public var kind: Kind
        public var location: String
        public var expected: String
        /// `--repair` fixes it (and did, when the check ran with `repair`).
        public var repairable: Bool

        public var description: String {
            "\(location): \(expected)\(repairable ? " (repairable)" : "")"
        }
    }

    struct Element: Sendable {
        var type: String
        var isList: Bool
    }

    let types: [String: [String: Element]]

    static let primitives: Set<String> = ["string", "code", "id", "integer", "decimal", "boolean", "date"]

    /// The checker over the bundled R4 element facts.
    public static func bundled() throws -> ResourceChecker {
        guard
            let url = Bundle.module.url(forResource: "r4-elements", withExtension: "json", subdirectory: "Definitions")
        else { throw CocoaError(.fileNoSuchFile) }
        return try ResourceChecker(json: JSONParser.parse(Array(Data(contentsOf: url))))
    }

    init(json: JSONValue) throws {
        var types: [String: [String: Element]] = [:]
        for (type, elements) in json["types"]?.objectValue?.members ?? [] {
            var table: [String: Element] = [:]
            for (name, fact) in elements.objectValue?.members ?? [] {
                let parts = fact.arrayValue ?? []
                guard parts.count == 2, let t = parts[0].stringValue else { continue }
                table[name] = Element(type: t, isList: parts[1] == .number("1"))
            }
            types[type] = table
        }
        self.types = types
    }

    /// Whether the facts cover `type` (resources of other types are not checked).
    public func knows(_ type: String) -> Bool { types[type] != nil }

    /// The problems of `resource` (of type `type`), and with `repair` the resource with the
    /// repairable ones fixed (nil when nothing changed).
    public func check(_ resource: JSONValue, type: String, repair: Bool) -> (problems: [Problem], repaired: JSONValue?)
    {
        var walk = Walk(checker: self, repair: repair, path: [.key(type)])
        let result = walk.resource(resource, type: type)
        return (walk.problems, walk.changed ? result : nil)
    }

    /// Walks one resource. The location is a stack of steps, written out only for a problem:
    /// building a path string for every element made the check cost a tenth of a build.
    struct Walk {
        enum Step {
            case key(String)
            case index(Int)
        }

        let checker: ResourceChecker
        let repair: Bool
        var path: [Step]
        var problems: [Problem] = []
        var changed = false

        var location: String {
            var text = ""
            for step in path {
                switch step {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let i): text += "[\(i)]"
                }
            }
            return text
        }

        mutating func report(_ kind: Problem.Kind, _ expected: String, repairable: Bool = false) {
            problems.append(Problem(kind: kind, location: location, expected: expected, repairable: repairable))
            if repairable && repair { changed = true }
        }

        /// Runs `body` one step deeper.
        mutating func at<T>(_ step: Step, _ body: (inout Walk) -> T) -> T {
            path.append(step)
            defer { path.removeLast() }
            return body(&self)
        }

        /// A resource: its `resourceType` must name `type`.
        mutating func resource(_ value: JSONValue, type: String) -> JSONValue {
            guard case .object(var object) = value else {
                report(.wrongType, "expected a resource (a JSON object)")
                return value
            }
            guard object["resourceType"]?.stringValue == type else {
                report(.resourceType, "expected \"resourceType\": \"\(type)\"")
                return value
            }
            complex(&object, type: type, isResource: true)
            return .object(object)
        }

        /// A contained resource: any type; checked deeply when the facts know it.
        mutating func contained(_ value: JSONValue) -> JSONValue {
            guard let type = value["resourceType"]?.stringValue, FHIRID.isResourceTypeName(Substring(type)) else {
                report(.resourceType, "expected a resource with a \"resourceType\"")
                return value
            }
            guard checker.knows(type) else { return value }
            return resource(value, type: type)
        }

        mutating func complex(_ object: inout JSONObject, type: String, isResource: Bool) {
            guard let elements = checker.types[type] else { return }
            for index in object.members.indices {
                let (key, value) = object.members[index]
                if isResource && key == "resourceType" { continue }
                // `_name` carries a primitive's id and extensions.
                let isExtra = key.hasPrefix("_")
                let element = elements[isExtra ? String(key.dropFirst()) : key]
                guard let element, !isExtra || ResourceChecker.primitives.contains(element.type) else {
                    at(.key(key)) { $0.report(.unknownElement, "no element '\(key)' on \(type)") }
                    continue
                }
                if isExtra { continue }
                let checked = at(.key(key)) { $0.element(value, element) }
                // Only a repair writes: a plain check leaves the tree untouched.
                if repair { object.members[index].value = checked }
            }
        }

        /// One element's value, repeated or not.
        mutating func element(_ value: JSONValue, _ element: Element) -> JSONValue {
            if element.isList {
                guard case .array(let items) = value else {
                    report(.expectedArray, "expected an array", repairable: true)
                    let one = at(.index(0)) { $0.single(value, element.type) }
                    return repair ? .array([one]) : value
                }
                var checked = items
                for (i, item) in items.enumerated() {
                    let one = at(.index(i)) { $0.single(item, element.type) }
                    if repair { checked[i] = one }
                }
                return repair ? .array(checked) : value
            }
            if case .array = value {
                report(.expectedSingle, "expected a single \(element.type), not an array")
                return value
            }
            return single(value, element.type)
        }

        /// One value of `type`.
        mutating func single(_ value: JSONValue, _ type: String) -> JSONValue {
            if case .null = value {
                report(.nullValue, "null is not a FHIR value; leave the element out")
                return value
            }
            switch type {
            case "string":
                switch value {
                case .string: return value
                case .number(let text):
                    report(.wrongType, "expected a string, got the number \(text)", repairable: true)
                    return repair ? .string(text) : value
                case .bool(let flag):
                    report(.wrongType, "expected a string, got \(flag)", repairable: true)
                    return repair ? .string(flag ? "true" : "false") : value
                case .null, .array, .object:
                    report(.wrongType, "expected a string")
                    return value
                }
            case "code":
                // A code is text without surrounding whitespace (R4: `[^\s]+(\s[^\s]+)*`).
                let text = single(value, "string")
                guard case .string(let code) = text else { return text }
                let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed != code {
                    report(
                        .codeWhitespace, "'\(code.prefix(40))' is a code with surrounding whitespace", repairable: true)
                    return repair ? .string(trimmed) : text
                }
                return text
            case "id":
                let text = single(value, "string")
                if case .string(let id) = text, !FHIRID.isValid(id) {
                    report(.invalidID, "'\(id.prefix(80))' breaks FHIR id syntax ([A-Za-z0-9-.]{1,64})")
                }
                return text
            case "integer":
                if case .number(let text) = value, Int(text) != nil { return value }
                report(.wrongType, "expected an integer")
                return value
            case "decimal":
                if case .number = value { return value }
                report(.wrongType, "expected a decimal number")
                return value
            case "boolean":
                if case .bool = value { return value }
                report(.wrongType, "expected true or false")
                return value
            case "date":
                guard case .string(let text) = value else {
                    report(.wrongType, "expected a date, dateTime, instant or time string")
                    return value
                }
                if DateRange(fhir: text) == nil && !Self.isTime(text) {
                    report(.invalidDate, "'\(text.prefix(40))' is not a FHIR date, dateTime, instant or time")
                }
                return value
            case "Resource":
                return contained(value)
            default:
                guard case .object(var object) = value else {
                    report(.wrongType, "expected a \(type) (a JSON object)")
                    return value
                }
                complex(&object, type: type, isResource: false)
                return .object(object)
            }
        }

        /// `hh:mm:ss` with optional fraction (FHIR `time`).
        static func isTime(_ text: String) -> Bool {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), parts[0].count == 2,
                parts[1].count == 2
            else { return false }
            let seconds = parts[2].split(separator: ".", maxSplits: 1)
            guard let first = seconds.first, first.count == 2, let s = Int(first) else { return false }
            return (0...23).contains(h) && (0...59).contains(m) && (0...60).contains(s)
        }
    }
}
