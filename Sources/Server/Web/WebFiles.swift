import FHIRCore
import Foundation

/// The member-service page's files (`Web/Static`, a package resource), read once at start-up,
/// each with its media type and an ETag of its bytes.
struct WebFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
        var etag: String
    }

    let files: [String: File]

    static let types = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "json": "application/json",
    ]

    /// The bundled files; none when the bundle is missing (the routes then answer 404).
    static let bundled: WebFiles = {
        guard let folder = Bundle.module.url(forResource: "Static", withExtension: nil) else {
            return WebFiles(files: [:])
        }
        return (try? WebFiles(folder: folder)) ?? WebFiles(files: [:])
    }()

    init(files: [String: File]) {
        self.files = files
    }

    init(folder: URL) throws {
        var files: [String: File] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let ext = (name as NSString).pathExtension
            guard let type = Self.types[ext] else { continue }
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            var digest = FNV1a()
            digest.add(String(decoding: bytes, as: UTF8.self))
            files[name] = File(bytes: bytes, contentType: type, etag: "\"w-\(digest.hex)\"")
        }
        self.files = files
    }
}
