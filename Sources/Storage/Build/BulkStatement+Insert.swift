/// A value `BulkStatement.insert` binds: integers, doubles and text.
protocol BulkValue {
    func bind(to statement: BulkStatement, at index: Int32)
}

extension Int: BulkValue {
    func bind(to statement: BulkStatement, at index: Int32) { statement.bind(index, self) }
}

extension Int64: BulkValue {
    func bind(to statement: BulkStatement, at index: Int32) { statement.bind(index, self) }
}

extension Double: BulkValue {
    func bind(to statement: BulkStatement, at index: Int32) { statement.bind(index, self) }
}

extension String: BulkValue {
    func bind(to statement: BulkStatement, at index: Int32) { statement.bind(index, self) }
}

extension BulkStatement {
    /// Binds one row's values in order and runs the insert. Generic rather than variadic, so a
    /// row costs no array.
    func insert<each Value: BulkValue>(_ value: repeat each Value) throws {
        var index: Int32 = 0
        for value in repeat each value {
            index += 1
            value.bind(to: self, at: index)
        }
        try run()
    }
}
