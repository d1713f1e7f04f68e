/* The Winbond W25Q64JV SPI NOR flash the boards ship with (8 MiB), at the
 * command level a tool needs to recognise it: JEDEC ID 0x9F (EF 40 17, no
 * address), unique ID 0x4B, 0x90/0xAB device IDs, status registers, reads
 * (0x03 up to 50 MHz, 0x0B, 0x3B, 0x6B, 0xEB with its mode bits and
 * continuous-read mode), write enable, page program, 4 KiB erase, QE, QPI
 * (0x38/0xFF) and reset (docs/psram-chips.md §8, W25Q §8). Programming and
 * erasing complete at once (no BUSY time is modelled). */
#ifndef SIM_W25Q_H
#define SIM_W25Q_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/chip.h"

#define W25Q_SIZE (8U << 20)

struct w25q;

/* Erased (all 0xFF), QE = 0, SPI mode; the 64-bit unique ID from the seed. */
struct chip *w25q_new(uint64_t seed);
struct w25q *w25q_of(struct chip *chip);
bool w25q_in_qpi(const struct w25q *f);
uint8_t w25q_peek(const struct w25q *f, uint32_t addr);
void w25q_unique_id(const struct w25q *f, uint8_t uid[8]);

#endif
