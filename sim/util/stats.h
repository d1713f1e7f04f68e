/* Counters printed by --stats at exit. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdint.h>
#include <stdio.h>

struct sim_stats {
	uint64_t jtag_chars;		/* remote_bitbang characters received */
	uint64_t jtag_reads;		/* 'R' requests answered */
	uint64_t tck_cycles;		/* TCK rising edges */
	uint64_t dap_transactions;	/* DPACC/APACC scans carried out */
	uint64_t ap_bus_reads;		/* bus accesses made by the MEM-APs */
	uint64_t ap_bus_writes;
	uint64_t ap_bus_errors;
	uint64_t instructions;		/* retired by the core */
	uint64_t xspi_commands;		/* commands on the xSPI bus */
	uint64_t xspi_bytes;		/* data bytes on the xSPI bus */
	uint64_t flash_cr_writes;	/* writes to FLASH_CR of any bank */
	uint64_t connections;		/* debugger connections accepted */
};

extern struct sim_stats sim_stats;

#endif
