import Foundation
import HTTPTypes

/// The public base a proxy says the client used, from `Forwarded` (RFC 7239) or
/// `X-Forwarded-Proto`/`-Host`/`-Prefix`; only read with `--trust-forwarded-headers`.
///
/// A value that is not a plausible scheme, host or path prefix is ignored, so a client cannot
/// put arbitrary text into links.
enum ForwardedBase {
    static let forwarded = HTTPField.Name("Forwarded")!
    static let proto = HTTPField.Name("X-Forwarded-Proto")!
    static let host = HTTPField.Name("X-Forwarded-Host")!
    static let prefix = HTTPField.Name("X-Forwarded-Prefix")!
    /// What a response varies by when these headers are trusted.
    static let vary = "Forwarded, X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Prefix"

    /// `scheme://host[prefix]/fhir`, or nil when the headers name no usable host.
    static func base(_ headers: HTTPFields) -> String? {
        var scheme: String?
        var authority: String?
        // The first element of `Forwarded` is the hop nearest the client.
        if let first = headers[forwarded]?.split(separator: ",").first {
            for pair in first.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .init(charactersIn: " \"")).lowercased()
                }
                guard parts.count == 2 else { continue }
                if parts[0] == "proto" { scheme = parts[1] }
                if parts[0] == "host" { authority = parts[1] }
            }
        }
        scheme =
            scheme
            ?? headers[proto]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        authority =
            authority ?? headers[host]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let authority, !authority.isEmpty, HostName.isPlausible(Substring(authority)) else { return nil }
        let usedScheme = scheme.flatMap { ["http", "https"].contains($0) ? $0 : nil } ?? "http"
        var path = headers[prefix]?.trimmingCharacters(in: .whitespaces) ?? ""
        if !isPrefix(path) { path = "" }
        while path.hasSuffix("/") { path.removeLast() }
        return "\(usedScheme)://\(authority)\(path)/fhir"
    }

    /// An absolute path of unreserved characters and slashes, at most 200.
    static func isPrefix(_ text: String) -> Bool {
        text.hasPrefix("/") && text.utf8.count <= 200 && !text.contains("//")
            && text.utf8.allSatisfy { b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                    || "/-._~".utf8.contains(b)
            }
    }
}
