// SHA-256 block compression with the x86 SHA extensions (SHA-NI), for the digests of inputs and products in
// study.json. Swift's portable implementation (Reports/RunRecord.swift) is used where these are absent.
#ifndef TANSO_SHA256_H
#define TANSO_SHA256_H
#include <stddef.h>
#include <stdint.h>

/// The 64 round constants K (FIPS 180-4 §4.2.2), shared with the portable rounds.
const uint32_t *tanso_sha256_constants(void);

/// 1 when this CPU has the SHA extensions (and SSE4.1) and tanso_sha256_blocks may be called; 0 otherwise.
int tanso_sha256_hardware(void);

/// FIPS 180-4 §6.2.2 over `blocks` consecutive 64-byte blocks of `data`, updating the eight words of `state`
/// (H0…H7, as numbers, not bytes). Only when tanso_sha256_hardware() is 1.
void tanso_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);
#endif
