import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /web/geo/zip/{zip}`: a ZIP code's point (its 2023 Census ZCTA), for the member-service
/// page's distance search. Outside `/fhir`, so its errors are plain JSON.
struct GeoRoutes: Sendable {
    let holder: IndexHolder
    let cacheMaxAge: Int

    func add(to router: Router<PlandirRequestContext>) {
        router.get("web/geo/zip/:zip") { _, context in try await self.zip(context) }
    }

    func zip(_ context: PlandirRequestContext) async throws -> Response {
        let zip = try context.parameters.require("zip")
        guard zip.utf8.count == 5, zip.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return Self.json(.badRequest, ["error": "a ZIP code is five digits: '\(zip.prefix(20))' is not one"])
        }
        guard let point = try await holder.current.index.zipPoint(zip) else {
            return Self.json(
                .notFound,
                ["error": "no ZIP code area for \(zip) (PO-box-only and single-organization ZIPs have none)"])
        }
        let body =
            #"{"zip":"\#(zip)","latitude":\#(String(format: "%.5f", point.latitude)),"longitude":\#(String(format: "%.5f", point.longitude)),"source":"2023 Census ZCTA internal point"}"#
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "public, max-age=\(cacheMaxAge)"
        headers[.contentLength] = String(body.utf8.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
