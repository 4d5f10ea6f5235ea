/* fuzz_target.h: the libFuzzer entry point, defined by each fuzz_*.c and called by libFuzzer
 * or by the smoke driver (smoke_mutate.c). */
#ifndef SLUICE_FUZZ_TARGET_H
#define SLUICE_FUZZ_TARGET_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
