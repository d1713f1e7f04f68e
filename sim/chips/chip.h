/* The memory chip soldered on the xSPI pads, as seen from its pins: CE#
 * falls, SCLK rising edges each sample SIO[3:0], CE# rises. Every chip model
 * (PSRAM family, W25Q64 flash) implements these ops; "no chip" is a NULL
 * chip on the wire. Chips see only what the wire layer delivers to their
 * pins, so electrical faults and wrong modes reach them as bits, not as
 * messages. */
#ifndef SIM_CHIP_H
#define SIM_CHIP_H

#include <stdint.h>

/* What can be soldered on the pads (docs/psramsim-faults.md: chip=). */
enum chip_kind {
	CHIP_ABSENT,
	CHIP_W25Q64,
	CHIP_ESP_PSRAM64H,
	CHIP_LY68L6400,
	CHIP_APS6404L,
	CHIP_IPS6404L,
	CHIP_KINDS
};

/* SIO bit n of a 4-bit pin word is the level of SIOn (IO0 = SI, IO1 = SO). */
#define CHIP_SIO(n) (1U << (n))

struct chip_ops {
	/* CE# falls at `t_ps` (picoseconds of virtual time); `clk_hz` is the
	 * SCLK frequency of the command that follows. */
	void (*select)(void *ctx, uint64_t t_ps, uint32_t clk_hz);
	/* One SCLK rising edge at `t_ps`: `in` holds the SIO levels at the
	 * chip's pins. The chip returns in *oe and *out the pins it drives from
	 * the following falling edge on (SDR: output changes on the falling
	 * edge, the controller samples on a later edge). */
	void (*clock)(void *ctx, uint64_t t_ps, uint8_t in, uint8_t *oe,
		      uint8_t *out);
	/* CE# rises at `t_ps`: the chip ends the command and releases SIO. */
	void (*deselect)(void *ctx, uint64_t t_ps);
	void (*destroy)(void *ctx);
};

struct chip {
	const struct chip_ops *ops;
	void *ctx;
	enum chip_kind kind;
	const char *name;
	/* Clock-to-output delay (tACLK / tCLQV max): how long after the
	 * falling SCLK edge the chip's output is valid. The wire compares it
	 * with the controller's sampling point. */
	uint32_t t_out_ps;
};

static inline void chip_destroy(struct chip *chip)
{
	if (chip)
		chip->ops->destroy(chip->ctx);
}

#endif
