extension String {
    /// Zero-padded on the left to `width` characters (phone numbers, ZIP codes).
    func paddingLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
