/* fuzz_jscan.h: the libFuzzer entry point of fuzz_jscan.c, shared by the fuzzer and its smoke
 * driver. */
#ifndef SLUICE_FUZZ_JSCAN_H
#define SLUICE_FUZZ_JSCAN_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
