import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /web/` and its files: the member-service page, served from memory with an ETag, a
/// short cache lifetime and a Content-Security-Policy that allows this origin only (no inline
/// script or style, no third party).
struct WebRoutes: Sendable {
    let files: WebFiles
    let cacheMaxAge: Int

    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
    ]

    func add(to router: Router<PlandirRequestContext>) {
        // `/web` and `/web/` are one route to the router; the page names its files absolutely.
        router.get("web") { request, _ in self.serve("index.html", request) }
        router.get("web/:file") { request, context in
            self.serve(try context.parameters.require("file"), request)
        }
    }

    func serve(_ name: String, _ request: Request) -> Response {
        var headers = HTTPFields()
        for (field, value) in Self.securityHeaders { headers[field] = value }
        guard let file = files.files[name] else {
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .notFound, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "not found\n")))
        }
        headers[.eTag] = file.etag
        // The page itself is revalidated on every load, so a new release shows at once; its
        // files may be reused for the server's cache lifetime.
        headers[.cacheControl] = name == "index.html" ? "no-cache" : "public, max-age=\(cacheMaxAge)"
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                $0.trimmingCharacters(in: .whitespaces) == file.etag || $0 == "*"
            })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        headers[.contentLength] = String(file.bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
