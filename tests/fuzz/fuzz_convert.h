/* fuzz_convert.h: the libFuzzer entry point, shared by the fuzzer and the smoke driver. */
#ifndef SLUICE_FUZZ_CONVERT_H
#define SLUICE_FUZZ_CONVERT_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
