// The entry points of the fuzz executables.
//
// SwiftPM links an executable target's entry as `<Module>_main`. Built normally, each fuzz
// target's one Swift file is its main file, so the compiler makes a strong `<Module>_main` and
// these weak ones are unused. Built with `-sanitize=fuzzer -parse-as-library` there is no Swift
// main, and these hand control to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput`.
// libFuzzer is referenced weakly, so a normal link does not need it.
#include <stddef.h>
#include <stdint.h>
#include "FuzzSupport.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))
    __attribute__((weak));

int plandir_fuzzer_linked(void) { return LLVMFuzzerRunDriver != NULL; }

static int run(int argc, char **argv) {
    if (LLVMFuzzerRunDriver == NULL) return 64;
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

__attribute__((weak)) int FuzzQuery_main(int argc, char **argv) { return run(argc, argv); }
__attribute__((weak)) int FuzzResource_main(int argc, char **argv) { return run(argc, argv); }
__attribute__((weak)) int FuzzIndexFile_main(int argc, char **argv) { return run(argc, argv); }
