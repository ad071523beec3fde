/// One resource's bytes as found in a source file, with where it was found.
public struct SourceRecord: Sendable {
    public var file: String
    public var line: Int
    public var bytes: [UInt8]

    public init(file: String, line: Int, bytes: [UInt8]) {
        self.file = file
        self.line = line
        self.bytes = bytes
    }
}
