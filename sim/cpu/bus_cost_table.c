/* The bus access cost table: one row per target of each MCU line, in the
 * text form of `--bus-costs` (bus_cost.h, docs/psramsim-cpu.md "Bus access
 * costs"), with its source.
 *
 * Sources and how a row's figure is made:
 *  [M7]   Cortex-M7 TRM (ARM DDI 0489) §2.3: the ITCM and DTCM interfaces
 *         are zero wait state; other targets are reached through the AXIM
 *         (64-bit AXI) or the AHBP (32-bit AHB peripheral port); stores to
 *         Normal and Device memory are buffered (the write buffer).
 *  [AHB]  AMBA AHB-Lite (ARM IHI 0033): a transfer is an address phase and
 *         a data phase, two HCLK cycles with no wait state; every bus
 *         matrix or bridge a transfer crosses adds its own arbitration and
 *         pipeline stage (one HCLK cycle each, counted once per hop).
 *  [APB]  AMBA APB (ARM IHI 0024): a setup and an access phase, two PCLK
 *         cycles, behind the AHB-to-APB bridge (one more AHB transfer).
 *  [H7]   RM0433 §2.1 Figure 1 and §2.3.2 Table 8: the Cortex-M7 reaches
 *         AXI SRAM, flash, QUADSPI, FMC and AHB3/APB3 through its AXIM and
 *         the D1 AXI matrix; AHB1/AHB2/APB1/APB2 through its AHBP and the
 *         D2 AHB matrix; AHB4/APB4 (GPIO, RCC, PWR, SYSCFG) through the D2
 *         matrix, the D2-to-D3 bus and the D3 AHB matrix; SRAM1-3 through
 *         the AXI matrix, the D1-to-D2 bus and the D2 matrix.
 *  [H7F]  RM0433 §4.3.8 (flash read latency): LATENCY wait states of
 *         ACLK per flash read, on top of the AXI transfer.
 *  [H7A]  RM0455 §2.1 and §2.3.2: the same structure in the CD and SRD
 *         domains (CD AXI matrix, CD AHB matrix, SRD AHB matrix).
 *  [F7]   RM0385 §2.1 Figure 1 (RM0410 §2.1 for F76x): the AXIM reaches
 *         SRAM1/2, the flash on AXI, FMC and QUADSPI through the AXI to
 *         multi-AHB bridge and the bus matrix; the AHBP reaches AHB1/AHB2
 *         and, through the AHB-to-APB bridges, APB1/APB2.
 *  [F7F]  RM0385 §3.3.2: LATENCY wait states of HCLK per flash read.
 *
 * Writes: the figure is the time the bus needs before the write buffer
 * can take the next write (a transfer without the read data's way back:
 * one hop fewer). A read waits for the buffer to drain.
 *
 * Neither ST nor ARM publishes a per-target latency table for these
 * parts; the figures are the protocol minimum along the path the manuals
 * draw, with no contention and no wait state from the target. Published
 * measurements agree in kind: a GPIO toggled from the core at hundreds of
 * MHz on an H7 toggles at low tens of MHz (efton.sk STM32 gotcha 108;
 * metebalci.com "STM32H7 GPIO toggling"). */
#include "cpu/bus_cost.h"

#include <stdlib.h>
#include <string.h>

#define H74 (1U << MCU_STM32H74X)
#define H7A (1U << MCU_STM32H7A3)
#define F74 (1U << MCU_STM32F74X)
#define F76 (1U << MCU_STM32F76X)
#define H7 (H74 | H7A)
#define F7 (F74 | F76)

struct builtin_row {
	unsigned lines;
	uint32_t base, last;
	const char *read, *write;
	unsigned flags;
	const char *name;
	const char *source;
};

/* clang-format off */
static const struct builtin_row rows[] = {
	/* ---- STM32H74x/75x (RM0433) and H7A3/B3 (RM0455) ---- */
	{H7, 0x00000000, 0x0000FFFF, "0", "0", 0, "ITCM", "[M7] TCM, no wait state"},
	{H7, 0x08000000, 0x081FFFFF, "2ahb+1ws", "2ahb", 0, "flash (AXI)", "[H7] AXIM, AXI matrix; [H7F] LATENCY"},
	{H7, 0x1FF00000, 0x1FF1FFFF, "2ahb+1ws", "2ahb", 0, "system memory", "[H7] as the flash"},
	{H7, 0x20000000, 0x2001FFFF, "0", "0", 0, "DTCM", "[M7] TCM, no wait state"},
	{H7, 0x24000000, 0x240FFFFF, "2ahb", "1ahb", 0, "AXI SRAM", "[H7] AXIM, AXI matrix: one hop + one transfer"},
	{H7, 0x30000000, 0x3004FFFF, "4ahb", "3ahb", 0, "SRAM1-3 (D2)", "[H7] AXI matrix, D1-to-D2 bus, D2 matrix"},
	{H7, 0x38000000, 0x3800FFFF, "4ahb", "3ahb", 0, "SRAM4 (D3)", "[H7] AXI matrix, D1-to-D3 bus, D3 matrix"},
	{H7, 0x38800000, 0x38800FFF, "4ahb", "3ahb", 0, "backup SRAM (D3)", "[H7] as SRAM4"},
	{H7, 0x40000000, 0x4000FFFF, "3ahb+2apb1", "2ahb+2apb1", 0, "APB1 (D2)", "[H7] AHBP, D2 matrix, bridge; [APB]"},
	{H7, 0x40010000, 0x4001FFFF, "3ahb+2apb2", "2ahb+2apb2", 0, "APB2 (D2)", "[H7] AHBP, D2 matrix, bridge; [APB]"},
	{H7, 0x40020000, 0x4FFFFFFF, "3ahb", "2ahb", 0, "AHB1/AHB2 (D2)", "[H7] AHBP, D2 matrix; [AHB]"},
	{H7, 0x50000000, 0x50FFFFFF, "4ahb+2apb3", "3ahb+2apb3", 0, "APB3 (D1)", "[H7] AXIM, AXI matrix, AHB3, bridge; [APB]"},
	{H7, 0x51000000, 0x52001FFF, "4ahb", "3ahb", 0, "AHB3 (D1): GPV, MDMA, DMA2D", "[H7] AXIM, AXI matrix, AXI-to-AHB3; [AHB]"},
	{H7, 0x52002000, 0x52002FFF, "4ahb", "3ahb", BUS_COST_CLOCKS, "FLASH registers (AHB3)", "[H7] as AHB3; FLASH_ACR sets the wait states"},
	{H7, 0x52003000, 0x52004FFF, "4ahb", "3ahb", 0, "AHB3 (D1): JPEG, FMC", "[H7] as AHB3"},
	{H7, 0x52005000, 0x52005FFF, "4ahb", "3ahb", 0, "QUADSPI/OCTOSPI1 registers and FIFO", "[H7] AHB3 (RM0433 Table 8, RM0455 Table 7)"},
	{H7, 0x52006000, 0x57FFFFFF, "4ahb", "3ahb", 0, "AHB3 (D1): SDMMC1, OCTOSPI2, OCTOSPIM", "[H7] as AHB3"},
	{H7, 0x58000000, 0x5801FFFF, "5ahb+2apb4", "4ahb+2apb4", 0, "APB4 (D3)", "[H7] AHBP, D2 matrix, D2-to-D3, D3 matrix, bridge"},
	{H7, 0x58020000, 0x580243FF, "5ahb", "4ahb", 0, "AHB4 (D3): GPIO", "[H7] AHBP, D2 matrix, D2-to-D3 bus, D3 matrix"},
	{H7, 0x58024400, 0x580247FF, "5ahb", "4ahb", BUS_COST_CLOCKS, "RCC (AHB4)", "[H7] as AHB4; writes change the clocks"},
	{H7, 0x58024800, 0x5FFFFFFF, "5ahb", "4ahb", 0, "AHB4 (D3): PWR, CRC, BDMA, HSEM", "[H7] as AHB4"},
	{H7A, 0x70000000, 0x7FFFFFFF, "3ahb", "2ahb", 0, "OCTOSPI2 memory-mapped window", "[H7A] AXIM, AXI matrix, OCTOSPI2; wire time by its model"},
	{H7, 0x90000000, 0x9FFFFFFF, "3ahb", "2ahb", 0, "QUADSPI/OCTOSPI1 memory-mapped window", "[H7] AXIM, AXI matrix, QUADSPI; wire time by its model"},

	/* ---- STM32F74x/75x (RM0385) and F76x/77x (RM0410) ---- */
	{F7, 0x00000000, 0x00003FFF, "0", "0", 0, "ITCM RAM", "[M7] TCM, no wait state"},
	{F7, 0x00200000, 0x003FFFFF, "0", "0", 0, "flash (ITCM, ART)", "not charged: also read for instruction translation"},
	{F7, 0x08000000, 0x081FFFFF, "3ahb+1ws", "2ahb", 0, "flash (AXI)", "[F7] AXIM, AXI-to-AHB bridge, matrix; [F7F] LATENCY"},
	{F7, 0x1FF00000, 0x1FF0FFFF, "3ahb+1ws", "2ahb", 0, "system memory (AXI)", "[F7] as the flash"},
	{F74, 0x20000000, 0x2000FFFF, "0", "0", 0, "DTCM", "[M7] TCM, no wait state"},
	{F74, 0x20010000, 0x2004FFFF, "3ahb", "2ahb", 0, "SRAM1/SRAM2", "[F7] AXIM, AXI-to-AHB bridge, matrix; [AHB]"},
	{F76, 0x20000000, 0x2001FFFF, "0", "0", 0, "DTCM", "[M7] TCM, no wait state"},
	{F76, 0x20020000, 0x2007FFFF, "3ahb", "2ahb", 0, "SRAM1/SRAM2", "[F7] AXIM, AXI-to-AHB bridge, matrix; [AHB]"},
	{F7, 0x40000000, 0x4000FFFF, "3ahb+2apb1", "2ahb+2apb1", 0, "APB1", "[F7] AHBP, matrix, AHB-to-APB1 bridge; [APB]"},
	{F7, 0x40010000, 0x4001FFFF, "3ahb+2apb2", "2ahb+2apb2", 0, "APB2", "[F7] AHBP, matrix, AHB-to-APB2 bridge; [APB]"},
	{F7, 0x40020000, 0x400237FF, "3ahb", "2ahb", 0, "AHB1: GPIO, CRC", "[F7] AHBP, matrix; [AHB]"},
	{F7, 0x40023800, 0x40023FFF, "3ahb", "2ahb", BUS_COST_CLOCKS, "RCC and FLASH registers (AHB1)", "[F7] as AHB1; writes change the clocks"},
	{F7, 0x40024000, 0x5FFFFFFF, "3ahb", "2ahb", 0, "AHB1/AHB2: backup SRAM, DMA, USB", "[F7] AHBP, matrix; [AHB]"},
	{F7, 0x90000000, 0x9FFFFFFF, "3ahb", "2ahb", 0, "QUADSPI memory-mapped window", "[F7] AXIM, bridge, matrix, QUADSPI; wire time by its model"},
	{F7, 0xA0000000, 0xA0000FFF, "3ahb", "2ahb", 0, "FMC registers (AHB3)", "[F7] AXIM, bridge, matrix, AHB3"},
	{F7, 0xA0001000, 0xA0001FFF, "3ahb", "2ahb", 0, "QUADSPI registers and FIFO (AHB3)", "[F7] AXIM, bridge, matrix, AHB3"},
};
/* clang-format on */

void bus_cost_builtin(enum mcu_line line, struct bus_cost_table *t)
{
	char err[160];

	t->count = 0;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct bus_cost_row *r = &t->row[t->count];

		if (!(rows[i].lines & (1U << line)))
			continue;
		memset(r, 0, sizeof(*r));
		r->base = rows[i].base;
		r->last = rows[i].last;
		r->flags = rows[i].flags;
		snprintf(r->name, sizeof(r->name), "%s", rows[i].name);
		/* The unit tests parse every row; a bad one is a build
		 * defect, not an input error. */
		if (bus_cost_parse_expr(rows[i].read, r->rd, err,
					sizeof(err)) ||
		    bus_cost_parse_expr(rows[i].write, r->wr, err,
					sizeof(err)))
			abort();
		t->count++;
	}
}

const char *bus_cost_builtin_source(enum mcu_line line, uint32_t base)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if ((rows[i].lines & (1U << line)) && rows[i].base == base)
			return rows[i].source;
	return NULL;
}
