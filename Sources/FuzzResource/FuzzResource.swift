import FuzzSupport
import Fuzzing

/// libFuzzer's entry: see `ResourceFuzzing`. A broken property is a crash, which libFuzzer keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResource(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = ResourceFuzzing.check(FuzzInput(UnsafeRawBufferPointer(start: data, count: count)))
    if let first = problems.first { fatalError(first) }
    return 0
}
