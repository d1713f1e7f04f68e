/* JTAG TAP chain: boundary-scan TAP and DAP TAP (IEEE 1149.1, IHI 0031
 * "The JTAG-DP"). */
#include "debug/jtag.h"

#include "debug/adi.h"
#include "util/log.h"
#include "util/stats.h"

const uint8_t jtag_next_state[TAP_STATES][2] = {
	[TAP_RESET] = {TAP_IDLE, TAP_RESET},
	[TAP_IDLE] = {TAP_IDLE, TAP_DR_SELECT},
	[TAP_DR_SELECT] = {TAP_DR_CAPTURE, TAP_IR_SELECT},
	[TAP_DR_CAPTURE] = {TAP_DR_SHIFT, TAP_DR_EXIT1},
	[TAP_DR_SHIFT] = {TAP_DR_SHIFT, TAP_DR_EXIT1},
	[TAP_DR_EXIT1] = {TAP_DR_PAUSE, TAP_DR_UPDATE},
	[TAP_DR_PAUSE] = {TAP_DR_PAUSE, TAP_DR_EXIT2},
	[TAP_DR_EXIT2] = {TAP_DR_SHIFT, TAP_DR_UPDATE},
	[TAP_DR_UPDATE] = {TAP_IDLE, TAP_DR_SELECT},
	[TAP_IR_SELECT] = {TAP_IR_CAPTURE, TAP_RESET},
	[TAP_IR_CAPTURE] = {TAP_IR_SHIFT, TAP_IR_EXIT1},
	[TAP_IR_SHIFT] = {TAP_IR_SHIFT, TAP_IR_EXIT1},
	[TAP_IR_EXIT1] = {TAP_IR_PAUSE, TAP_IR_UPDATE},
	[TAP_IR_PAUSE] = {TAP_IR_PAUSE, TAP_IR_EXIT2},
	[TAP_IR_EXIT2] = {TAP_IR_SHIFT, TAP_IR_UPDATE},
	[TAP_IR_UPDATE] = {TAP_IDLE, TAP_DR_SELECT},
};

static const char *const state_names[TAP_STATES] = {
	[TAP_RESET] = "Test-Logic-Reset",
	[TAP_IDLE] = "Run-Test/Idle",
	[TAP_DR_SELECT] = "Select-DR-Scan",
	[TAP_DR_CAPTURE] = "Capture-DR",
	[TAP_DR_SHIFT] = "Shift-DR",
	[TAP_DR_EXIT1] = "Exit1-DR",
	[TAP_DR_PAUSE] = "Pause-DR",
	[TAP_DR_EXIT2] = "Exit2-DR",
	[TAP_DR_UPDATE] = "Update-DR",
	[TAP_IR_SELECT] = "Select-IR-Scan",
	[TAP_IR_CAPTURE] = "Capture-IR",
	[TAP_IR_SHIFT] = "Shift-IR",
	[TAP_IR_EXIT1] = "Exit1-IR",
	[TAP_IR_PAUSE] = "Pause-IR",
	[TAP_IR_EXIT2] = "Exit2-IR",
	[TAP_IR_UPDATE] = "Update-IR",
};

const char *jtag_state_name(enum tap_state state)
{
	return state < TAP_STATES ? state_names[state] : "?";
}

static bool dap_ir_is_adi(unsigned ir)
{
	return ir == ADI_IR_ABORT || ir == ADI_IR_DPACC || ir == ADI_IR_APACC;
}

/* Test-Logic-Reset: both TAPs select IDCODE (IEEE 1149.1 "IDCODE
 * instruction" for a TAP with an identification register; IHI 0031 "IR
 * scan chain" for the DAP). */
static void reset_taps(struct jtag_chain *chain)
{
	chain->bs.ir = JTAG_BS_IR_IDCODE;
	chain->dap.ir = ADI_IR_IDCODE;
}

void jtag_init(struct jtag_chain *chain, uint32_t bs_idcode,
	       uint32_t dap_idcode, struct adi_dp *dp)
{
	*chain = (struct jtag_chain){
		.bs_idcode = bs_idcode,
		.dap_idcode = dap_idcode,
		.dp = dp,
	};
	jtag_power_on(chain);
}

void jtag_power_on(struct jtag_chain *chain)
{
	chain->state = TAP_RESET;
	chain->tck = false;
	chain->tdo = true;
	chain->trst = false;
	chain->bs = (struct jtag_tap){.dr_len = 1};
	chain->dap = (struct jtag_tap){.dr_len = 1};
	reset_taps(chain);
	if (chain->dp)
		adi_reset(chain->dp);
}

void jtag_set_trst(struct jtag_chain *chain, bool asserted)
{
	chain->trst = asserted;
	if (asserted) {
		chain->state = TAP_RESET;
		reset_taps(chain);
	}
}

static void capture_dr(struct jtag_chain *chain)
{
	struct jtag_tap *bs = &chain->bs;
	struct jtag_tap *dap = &chain->dap;

	/* Boundary scan itself is not modelled: every instruction other
	 * than IDCODE selects a 1-bit register that captures 0, like
	 * BYPASS (IEEE 1149.1 "Bypass register"). */
	if (bs->ir == JTAG_BS_IR_IDCODE) {
		bs->dr_len = 32;
		bs->dr_shift = chain->bs_idcode;
	} else {
		bs->dr_len = 1;
		bs->dr_shift = 0;
	}

	if (dap->ir == ADI_IR_IDCODE) {
		dap->dr_len = 32;
		dap->dr_shift = chain->dap_idcode;
	} else if (dap_ir_is_adi(dap->ir) && chain->dp) {
		dap->dr_len = ADI_DR_LEN;
		dap->dr_shift = adi_capture(chain->dp, dap->ir);
	} else {
		dap->dr_len = 1;
		dap->dr_shift = 0;
	}
}

/* One bit moves TDI -> BS -> DAP -> TDO. */
static void shift_dr(struct jtag_chain *chain, bool tdi)
{
	struct jtag_tap *bs = &chain->bs;
	struct jtag_tap *dap = &chain->dap;
	uint64_t bs_out = bs->dr_shift & 1;

	bs->dr_shift = bs->dr_shift >> 1 | (uint64_t)tdi << (bs->dr_len - 1);
	dap->dr_shift = dap->dr_shift >> 1 | bs_out << (dap->dr_len - 1);
}

static void update_dr(struct jtag_chain *chain)
{
	if (dap_ir_is_adi(chain->dap.ir) && chain->dp)
		adi_update(chain->dp, chain->dap.ir,
			   chain->dap.dr_shift &
				   ((UINT64_C(1) << ADI_DR_LEN) - 1));
}

static void capture_ir(struct jtag_chain *chain)
{
	chain->bs.ir_shift = JTAG_BS_IR_CAPTURE;
	chain->dap.ir_shift = ADI_IR_CAPTURE;
}

static void shift_ir(struct jtag_chain *chain, bool tdi)
{
	unsigned bs_out = chain->bs.ir_shift & 1;

	chain->bs.ir_shift = (uint8_t)(chain->bs.ir_shift >> 1 |
				       (unsigned)tdi << (JTAG_BS_IRLEN - 1));
	chain->dap.ir_shift = (uint8_t)(chain->dap.ir_shift >> 1 |
					bs_out << (ADI_IRLEN - 1));
}

static void update_ir(struct jtag_chain *chain)
{
	uint8_t bs_ir = chain->bs.ir_shift & ((1U << JTAG_BS_IRLEN) - 1);

	if (bs_ir != JTAG_BS_IR_IDCODE && bs_ir != JTAG_BS_IR_BYPASS &&
	    bs_ir != chain->bs.ir)
		sim_log(LOG_UNIMP,
			"boundary-scan TAP instruction 0x%02x is not modelled; "
			"it selects a 1-bit register like BYPASS", bs_ir);
	chain->bs.ir = bs_ir;
	chain->dap.ir = chain->dap.ir_shift & ((1U << ADI_IRLEN) - 1);
}

static void rising_edge(struct jtag_chain *chain, bool tms, bool tdi)
{
	sim_stats.tck_cycles++;
	if (chain->trst)
		return;
	/* The register actions belong to the state the controller is in
	 * at the rising edge; Update and reset act on entering the state
	 * (IEEE 1149.1 clause 6: Update-xR latches on the falling edge in
	 * that state, which nothing can observe before this point). */
	switch (chain->state) {
	case TAP_DR_CAPTURE:
		capture_dr(chain);
		break;
	case TAP_DR_SHIFT:
		shift_dr(chain, tdi);
		break;
	case TAP_IR_CAPTURE:
		capture_ir(chain);
		break;
	case TAP_IR_SHIFT:
		shift_ir(chain, tdi);
		break;
	default:
		break;
	}
	chain->state = jtag_next_state[chain->state][tms];
	switch (chain->state) {
	case TAP_RESET:
		reset_taps(chain);
		break;
	case TAP_DR_UPDATE:
		update_dr(chain);
		break;
	case TAP_IR_UPDATE:
		update_ir(chain);
		break;
	default:
		break;
	}
}

static void falling_edge(struct jtag_chain *chain)
{
	/* TDO is driven only in the shift states; elsewhere it floats and
	 * the board's pull-up makes it read 1. */
	if (chain->state == TAP_DR_SHIFT)
		chain->tdo = chain->dap.dr_shift & 1;
	else if (chain->state == TAP_IR_SHIFT)
		chain->tdo = chain->dap.ir_shift & 1;
	else
		chain->tdo = true;
}

void jtag_pins(struct jtag_chain *chain, bool tck, bool tms, bool tdi)
{
	if (tck && !chain->tck)
		rising_edge(chain, tms, tdi);
	else if (!tck && chain->tck)
		falling_edge(chain);
	chain->tck = tck;
}

void jtag_settle(struct jtag_chain *chain)
{
	if (chain->dp)
		adi_settle(chain->dp);
}
