/* State shared by the core (core.c) and its System Control Space model
 * (scs.c). Not for other modules. */
#ifndef SIM_CORE_INTERNAL_H
#define SIM_CORE_INTERNAL_H

#include <unicorn/unicorn.h>

#include "cpu/core.h"

/* ARMv7-M ARM C1.6: DHCSR bits. */
#define DHCSR_C_DEBUGEN (1U << 0)
#define DHCSR_C_HALT (1U << 1)
#define DHCSR_C_STEP (1U << 2)
#define DHCSR_C_MASKINTS (1U << 3)
#define DHCSR_C_SNAPSTALL (1U << 5)
#define DHCSR_S_REGRDY (1U << 16)
#define DHCSR_S_HALT (1U << 17)
#define DHCSR_S_SLEEP (1U << 18)
#define DHCSR_S_LOCKUP (1U << 19)
#define DHCSR_S_RETIRE_ST (1U << 24)
#define DHCSR_S_RESET_ST (1U << 25)
#define DHCSR_DBGKEY 0xA05F0000U

/* DFSR (C1.6.1). */
#define DFSR_HALTED (1U << 0)
#define DFSR_BKPT (1U << 1)
#define DFSR_DWTTRAP (1U << 2)
#define DFSR_VCATCH (1U << 3)
#define DFSR_EXTERNAL (1U << 4)

/* DEMCR (C1.6.5). */
#define DEMCR_VC_CORERESET (1U << 0)
#define DEMCR_VC_MMERR (1U << 4)
#define DEMCR_VC_NOCPERR (1U << 5)
#define DEMCR_VC_CHKERR (1U << 6)
#define DEMCR_VC_STATERR (1U << 7)
#define DEMCR_VC_BUSERR (1U << 8)
#define DEMCR_VC_INTERR (1U << 9)
#define DEMCR_VC_HARDERR (1U << 10)
#define DEMCR_TRCENA (1U << 24)

/* Exception numbers (B1.5.2). */
enum {
	EXC_RESET = 1,
	EXC_NMI = 2,
	EXC_HARDFAULT = 3,
	EXC_MEMMANAGE = 4,
	EXC_BUSFAULT = 5,
	EXC_USAGEFAULT = 6,
	EXC_SVCALL = 11,
	EXC_DEBUGMON = 12,
	EXC_PENDSV = 14,
	EXC_SYSTICK = 15,
};

/* CFSR bits (B3.2.15). */
#define CFSR_IACCVIOL (1U << 0)
#define CFSR_DACCVIOL (1U << 1)
#define CFSR_MMARVALID (1U << 7)
#define CFSR_IBUSERR (1U << 8)
#define CFSR_PRECISERR (1U << 9)
#define CFSR_IMPRECISERR (1U << 10)
#define CFSR_STKERR (1U << 12)
#define CFSR_BFARVALID (1U << 15)
#define CFSR_UNDEFINSTR (1U << 16)
#define CFSR_INVSTATE (1U << 17)
#define CFSR_INVPC (1U << 18)
#define CFSR_NOCP (1U << 19)
#define CFSR_UNALIGNED (1U << 24)
#define CFSR_DIVBYZERO (1U << 25)
#define HFSR_VECTTBL (1U << 1)
#define HFSR_FORCED (1U << 30)

#define FPB_COMPARATORS 8
#define DWT_COMPARATORS 4

struct scs_state {
	uint32_t vtor, aircr_prigroup, scr, ccr, shpr[3], shcsr;
	uint32_t cfsr, hfsr, dfsr, mmfar, bfar, cpacr;
	uint32_t dhcsr_ctrl;	/* C_* bits as last written */
	uint32_t dcrdr, demcr;
	uint32_t fp_ctrl_enable, fp_comp[FPB_COMPARATORS];
	uint32_t dwt_ctrl, dwt_lock;	/* dwt_lock: software lock engaged */
	uint32_t dwt_comp[DWT_COMPARATORS], dwt_mask[DWT_COMPARATORS],
		dwt_function[DWT_COMPARATORS];
	uint64_t cyccnt_base;	/* vclock value at which CYCCNT was 0 */
	uint32_t cyccnt_frozen;	/* CYCCNT while CYCCNTENA = 0 */
	uint32_t nvic_iser[8], nvic_ipr[60];
	uint32_t systick_csr, systick_rvr, systick_cvr;
	uint32_t mpu_ctrl, mpu_rnr, mpu_rbar[16], mpu_rasr[16];
	uint32_t fpccr, fpcar, fpdscr;
};

struct core {
	uc_engine *uc;
	struct bus *bus;
	struct vclock *clk;
	uint32_t boot_address;
	core_sysreset_fn sysreset;
	void *sysreset_ctx;

	/* Run state. */
	bool halted;
	bool lockup;
	bool sleeping;
	bool epsr_t;		/* xPSR.T; Unicorn itself always runs Thumb */
	bool reset_st;		/* DHCSR.S_RESET_ST, cleared on read */
	bool retire_st;		/* DHCSR.S_RETIRE_ST, cleared on read */
	bool step_pending;	/* C_STEP: run one instruction, then halt */
	bool pending_sysreset;
	bool halt_from_entry;	/* C_HALT set by a debug entry, not written */

	/* Inside cpu_run. */
	uint64_t budget, executed;
	uint32_t insn_pc;	/* address of the instruction being executed */
	bool stop_for_fault;
	bool stop_for_bkpt;
	bool stop_for_exc_return;
	uint32_t fault_addr;
	int fault_kind;		/* 0 none, else enum pending_fault */

	/* Writes into model-owned memory (flash) to re-sync after the
	 * instruction that made them. */
	struct {
		struct bus_region *region;
		uint32_t offset, size;
	} fixups[16];
	unsigned nfixups;

	uint64_t instructions;
	struct scs_state scs;
};

enum pending_fault {
	FAULT_NONE,
	FAULT_READ,		/* precise data bus error */
	FAULT_WRITE,		/* imprecise data bus error */
	FAULT_FETCH,
	FAULT_UNDEF,
	FAULT_INVSTATE,
	FAULT_UNALIGNED,
	FAULT_NOCP,
	FAULT_INVPC,
	FAULT_IACCVIOL,		/* fetch from an execute-never region */
};

uint32_t core_read_regsel(struct core *cpu, unsigned regsel, bool *ok);
bool core_write_regsel(struct core *cpu, unsigned regsel, uint32_t value);
void core_request_halt(struct core *cpu, uint32_t dfsr_reason);
void core_debug_resume(struct core *cpu);
uint32_t scs_cyccnt(struct core *cpu);
uint32_t core_ipsr(struct core *cpu);
void scs_reset(struct core *cpu, bool power_on);

#endif
