/// How the HTTP server listens and presents itself.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The public FHIR base (`https://directory.example.org/fhir`) when behind a proxy; links
    /// and `fullUrl`s otherwise use the request's Host header.
    public var baseURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, baseURL: String? = nil) {
        self.host = host
        self.port = port
        self.baseURL = baseURL
    }
}

public let plandirVersion = "0.1.0"
