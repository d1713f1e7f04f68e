/* Shared by the libFuzzer harnesses: the entry points libFuzzer calls
 * (declared here because the project builds with
 * -Wmissing-prototypes). */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
