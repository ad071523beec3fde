import FHIRCore

/// The subset of FHIRPath that search parameter definitions use, compiled to element paths.
///
/// Supported: dotted paths (with or without the leading type name), `|` unions, parentheses,
/// `where(name='literal')`, `ofType(T)`, `as T` / `as(T)`, and choice elements (`value`
/// matches `valueReference`, `valueCodeableConcept`…). That covers every Plan-Net and US Drug
/// Formulary definition; anything else fails loudly at load time rather than indexing nothing.
public struct PathExpression: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        /// A member; `choiceType` narrows a choice element (`value as CodeableConcept`).
        case member(String, choiceType: String?)
        /// Keeps elements whose `name` member equals `value`.
        case whereEquals(name: String, value: String)
    }

    public typealias Path = [Step]

    public let source: String
    /// One path per union branch, relative to the resource root.
    public let paths: [Path]

    public var description: String { source }

    public struct ParseError: Error, CustomStringConvertible {
        public var expression: String
        public var reason: String
        public var description: String { "cannot compile '\(expression)': \(reason)" }
    }

    /// Compiles `expression` for resources of `resourceType`.
    public init(_ expression: String, resourceType: String) throws {
        var parser = Parser(text: expression, resourceType: resourceType)
        self.source = expression
        do {
            self.paths = try parser.parseUnion()
            parser.skipSpaces()
            if !parser.atEnd { throw parser.error("unexpected text") }
        } catch let error as ParseError {
            throw error
        }
    }

    init(source: String, paths: [Path]) {
        self.source = source
        self.paths = paths
    }

    /// The elements the expression selects from a resource.
    public func evaluate(_ resource: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        for path in paths {
            var current: [JSONValue] = [resource]
            for step in path {
                var next: [JSONValue] = []
                switch step {
                case .member(let name, let choiceType):
                    for node in current {
                        guard case .object(let object) = node else { continue }
                        if let choiceType {
                            if let v = object[name + choiceType] { next.append(contentsOf: v.asList) }
                        } else if let v = object[name] {
                            next.append(contentsOf: v.asList)
                        } else {
                            // A choice element: `value` stands for `valueX`.
                            for member in object.members where Self.isChoice(member.key, of: name) {
                                next.append(contentsOf: member.value.asList)
                            }
                        }
                    }
                case .whereEquals(let name, let value):
                    next = current.filter { $0[name]?.stringValue == value }
                }
                current = next
                if current.isEmpty { break }
            }
            out.append(contentsOf: current)
        }
        return out
    }

    static func isChoice(_ key: String, of name: String) -> Bool {
        guard key.count > name.count, key.hasPrefix(name) else { return false }
        let first = key.utf8[key.utf8.index(key.utf8.startIndex, offsetBy: name.utf8.count)]
        return first >= 0x41 && first <= 0x5A
    }

    struct Parser {
        let chars: [Character]
        let text: String
        let resourceType: String
        var i = 0

        init(text: String, resourceType: String) {
            self.text = text
            self.chars = Array(text)
            self.resourceType = resourceType
        }

        var atEnd: Bool { i >= chars.count }

        func error(_ reason: String) -> ParseError { ParseError(expression: text, reason: reason) }

        mutating func skipSpaces() {
            while i < chars.count, chars[i].isWhitespace { i += 1 }
        }

        mutating func take(_ c: Character) -> Bool {
            skipSpaces()
            if i < chars.count, chars[i] == c {
                i += 1
                return true
            }
            return false
        }

        mutating func identifier() throws -> String {
            skipSpaces()
            let start = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
            guard i > start else { throw error("expected a name at \(i)") }
            return String(chars[start..<i])
        }

        mutating func stringLiteral() throws -> String {
            skipSpaces()
            guard take("'") else { throw error("expected a string literal") }
            var s = ""
            while i < chars.count, chars[i] != "'" {
                if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                s.append(chars[i])
                i += 1
            }
            guard take("'") else { throw error("unterminated string literal") }
            return s
        }

        mutating func parseUnion() throws -> [Path] {
            var paths = try parseTerm()
            while take("|") { paths += try parseTerm() }
            return paths
        }

        mutating func parseTerm() throws -> [Path] {
            var paths: [Path]
            if take("(") {
                paths = try parseUnion()
                guard take(")") else { throw error("expected ')'") }
            } else {
                let first = try identifier()
                if first == resourceType || first == "Resource" || first == "DomainResource" {
                    paths = [[]]
                } else {
                    paths = [[.member(first, choiceType: nil)]]
                }
            }
            while true {
                if take(".") {
                    let name = try identifier()
                    switch name {
                    case "where":
                        guard take("(") else { throw error("expected '(' after where") }
                        let field = try identifier()
                        guard take("=") else { throw error("only where(name='value') is supported") }
                        let value = try stringLiteral()
                        guard take(")") else { throw error("expected ')'") }
                        paths = paths.map { $0 + [.whereEquals(name: field, value: value)] }
                    case "ofType", "as":
                        guard take("(") else { throw error("expected '('") }
                        let type = try identifier()
                        guard take(")") else { throw error("expected ')'") }
                        paths = try paths.map { try narrow($0, to: type) }
                    case "resolve", "first", "exists", "not", "empty":
                        throw error("function \(name)() is not supported")
                    default:
                        paths = paths.map { $0 + [.member(name, choiceType: nil)] }
                    }
                } else {
                    skipSpaces()
                    let save = i
                    if let word = try? identifier(), word == "as" {
                        let type = try identifier()
                        paths = try paths.map { try narrow($0, to: type) }
                        continue
                    }
                    i = save
                    return paths
                }
            }
        }

        /// `x.value as Reference`: narrows the last (choice) member to one type.
        func narrow(_ path: Path, to type: String) throws -> Path {
            guard case .member(let name, nil)? = path.last else {
                // `Resource.ofType(X)` and friends: nothing to narrow in JSON.
                return path
            }
            var result = path
            let suffix = type.prefix(1).uppercased() + type.dropFirst()
            result[result.count - 1] = .member(name, choiceType: suffix)
            return result
        }
    }
}
