#ifndef PLANDIR_FUZZ_SUPPORT_H
#define PLANDIR_FUZZ_SUPPORT_H

/// Whether this executable was linked with libFuzzer (built with -sanitize=fuzzer).
int plandir_fuzzer_linked(void);

#endif
