import FuzzSupport
import Fuzzing

/// libFuzzer's entry: see `QueryFuzzing`. A broken property is a crash, which libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = QueryFuzzing.check(FuzzInput(UnsafeRawBufferPointer(start: data, count: count)))
    if let first = problems.first { fatalError(first) }
    return 0
}
