/* JTAG-DP and MEM-APs (ARM IHI 0031, ADIv5.0-5.2). */
#include "debug/adi.h"

#include <string.h>

#include "bus.h"
#include "util/log.h"
#include "util/stats.h"

/* CTRL/STAT bits a write stores; the sticky flags are write-one-to-clear on
 * a JTAG-DP, the ACKs are read-only (IHI 0031 "CTRL/STAT"). READOK and
 * WDATAERR exist on the SW-DP only and read as zero here. */
#define CS_WRITABLE                                                            \
	(ADI_CS_ORUNDETECT | ADI_CS_TRNMODE | ADI_CS_MASKLANE |                \
	 ADI_CS_TRNCNT | ADI_CS_CDBGRSTREQ | ADI_CS_CDBGPWRUPREQ |             \
	 ADI_CS_CSYSPWRUPREQ)

/* SELECT bits that exist: APSEL, APBANKSEL, DPBANKSEL; [23:8] are SBZ. */
#define SELECT_VALID                                                           \
	(0xFFU << ADI_SELECT_APSEL_SHIFT | ADI_SELECT_APBANKSEL |              \
	 ADI_SELECT_DPBANKSEL)

/* CSW bits a debugger may change, per AP kind. AHB-AP: Size, AddrInc,
 * HPROT[3:0] (bits 24-27), MasterType (29), HNONSEC (30) and DbgSwEnable.
 * pyOCD's probe of the STM32H7 AHB-APs finds HPROT 0xF and HNONSEC
 * writable (pyOCD issue #1148 log). The SoC-400 APB-AP (IDR 0x54770002)
 * has no Prot bits (pyOCD's probe of one: "implemented HPROT=0 HNONSEC=0",
 * pyOCD pull request #1488 log), a fixed 32-bit Size, and only DbgSwEnable
 * and AddrInc writable. Mode, SPIDEN, TrInProg and DeviceEn are
 * read-only: no barrier support, no TrustZone on these parts, transfers
 * finish at once, and the AP is always enabled. */
#define CSW_AHB_WRITABLE                                                       \
	(ADI_CSW_SIZE | ADI_CSW_ADDRINC | 0x0FU << 24 | 1U << 29 | 1U << 30 |  \
	 ADI_CSW_DBGSWENABLE)
#define CSW_APB_WRITABLE (ADI_CSW_ADDRINC | ADI_CSW_DBGSWENABLE)

static const char *const dp_reg_names[4] = {"DPIDR", "CTRL/STAT", "SELECT",
					     "RDBUFF"};

static const char *ap_reg_name(unsigned reg)
{
	switch (reg) {
	case ADI_AP_CSW:
		return "CSW";
	case ADI_AP_TAR:
		return "TAR";
	case ADI_AP_TAR_HI:
		return "TAR[63:32]";
	case ADI_AP_DRW:
		return "DRW";
	case ADI_AP_BD0:
		return "BD0";
	case ADI_AP_BD1:
		return "BD1";
	case ADI_AP_BD2:
		return "BD2";
	case ADI_AP_BD3:
		return "BD3";
	case ADI_AP_MBT:
		return "MBT";
	case ADI_AP_BASE_HI:
		return "BASE[63:32]";
	case ADI_AP_CFG:
		return "CFG";
	case ADI_AP_BASE:
		return "BASE";
	case ADI_AP_IDR:
		return "IDR";
	default:
		return "reserved";
	}
}

void adi_init(struct adi_dp *dp, uint32_t dpidr)
{
	memset(dp, 0, sizeof(*dp));
	dp->dpidr = dpidr;
}

void adi_set_mem_ap(struct adi_dp *dp, unsigned apsel, enum adi_ap_kind kind,
		    struct bus *bus, uint32_t idr, uint32_t base,
		    uint32_t csw_reset)
{
	struct adi_mem_ap *ap;

	if (apsel >= ADI_MAX_APS)
		return;
	ap = &dp->ap[apsel];
	ap->kind = kind;
	ap->bus = bus;
	ap->idr = idr;
	ap->base = base;
	csw_reset |= ADI_CSW_DEVICEEN;
	if (kind == ADI_AP_APB)
		csw_reset = (csw_reset & ~ADI_CSW_SIZE) | ADI_CSW_SIZE_32;
	ap->csw_reset = csw_reset;
	ap->csw = csw_reset;
	ap->tar = 0;
}

/* The STM32H7 DAP. IDRs: pyOCD logs of STM32H743/H745/H750 (issues #1148,
 * #1499), which also give the AHB-AP Prot reset values (HPROT 0x3 on both,
 * HNONSEC 1 on AP1). BASE of AP0 points at the ST ROM table 0xE00FE000, of
 * AP2 at the system ROM table 0xE00E0000 (RM0433 "Debug infrastructure";
 * the same logs walk both). AP1 (the D3 AHB-AP) shows no ROM table in those
 * logs: its BASE here is "no debug entries" (IHI 0031 "BASE": Format 1,
 * P 0). The APB-AP CSW reset value (DbgSwEnable set) is not documented by
 * ST; firmware relies on DbgSwEnable for its own APB-D access. */
static const struct {
	unsigned apsel;
	enum adi_ap_kind kind;
	bool on_debug_bus;
	uint32_t idr;
	uint32_t base;
	uint32_t csw_reset;
} stm32h7_aps[] = {
	{0, ADI_AP_AHB, false, 0x84770001, 0xE00FE003, 0x03000040},
	{1, ADI_AP_AHB, false, 0x84770001, 0x00000002, 0x43000040},
	{2, ADI_AP_APB, true, 0x54770002, 0xE00E0003, 0x80000042},
};

void adi_setup_stm32h7(struct adi_dp *dp, struct bus *system,
		       struct bus *debug_apb)
{
	for (size_t i = 0; i < sizeof(stm32h7_aps) / sizeof(stm32h7_aps[0]);
	     i++)
		adi_set_mem_ap(dp, stm32h7_aps[i].apsel, stm32h7_aps[i].kind,
			       stm32h7_aps[i].on_debug_bus ? debug_apb : system,
			       stm32h7_aps[i].idr, stm32h7_aps[i].base,
			       stm32h7_aps[i].csw_reset);
}

void adi_reset(struct adi_dp *dp)
{
	adi_settle(dp);
	dp->ctrl_stat = 0;
	dp->select = 0;
	dp->read_result = 0;
	for (unsigned i = 0; i < ADI_MAX_APS; i++) {
		dp->ap[i].csw = dp->ap[i].csw_reset;
		dp->ap[i].tar = 0;
	}
}

uint64_t adi_capture(struct adi_dp *dp, unsigned ir)
{
	/* IHI 0031 "DPACC and APACC scan chains": Capture-DR loads ACK and
	 * the ReadResult of the previous transaction. Every transaction has
	 * finished by now, so the ACK is always OK/FAULT. The ABORT chain's
	 * capture is not defined; it gives the same. */
	(void)ir;
	adi_settle(dp);
	return (uint64_t)dp->read_result << 3 | ADI_ACK_OK_FAULT;
}

/* ---- DP registers ------------------------------------------------------ */

static void ctrl_stat_write(struct adi_dp *dp, uint32_t value)
{
	uint32_t cs = dp->ctrl_stat;

	if (value & ADI_CS_TRNMODE)
		sim_log(LOG_UNIMP,
			"DP CTRL/STAT: TRNMODE %u (pushed verify/compare) is "
			"not modelled; transfers stay normal",
			(unsigned)((value & ADI_CS_TRNMODE) >> 2));
	cs = (cs & ~CS_WRITABLE) | (value & CS_WRITABLE);
	/* IHI 0031 "CTRL/STAT": on a JTAG-DP the sticky flags are cleared by
	 * writing 1 to them. */
	cs &= ~(value & ADI_CS_STICKY);
	/* The power and reset controllers answer at once: each ACK follows
	 * its REQ (IHI 0031 "System and debug power control"). */
	cs &= ~(ADI_CS_CDBGRSTACK | ADI_CS_CDBGPWRUPACK | ADI_CS_CSYSPWRUPACK);
	if (cs & ADI_CS_CDBGRSTREQ)
		cs |= ADI_CS_CDBGRSTACK;
	if (cs & ADI_CS_CDBGPWRUPREQ)
		cs |= ADI_CS_CDBGPWRUPACK;
	if (cs & ADI_CS_CSYSPWRUPREQ)
		cs |= ADI_CS_CSYSPWRUPACK;
	dp->ctrl_stat = cs;
}

static uint32_t dp_read(struct adi_dp *dp, unsigned addr)
{
	unsigned bank = dp->select & ADI_SELECT_DPBANKSEL;

	switch (addr) {
	case ADI_DP_DPIDR:
		/* DPv1 and later make DPIDR readable at 0x0 on a JTAG-DP too
		 * (IHI 0031 "DPIDR"); OpenOCD takes the IDCODE from the TAP. */
		return dp->dpidr;
	case ADI_DP_CTRL_STAT:
		if (bank != 0) {
			sim_log(LOG_UNIMP,
				"DP register 0x4 bank %u (DPBANKSEL) is not "
				"modelled, reads 0", bank);
			return 0;
		}
		return dp->ctrl_stat;
	case ADI_DP_SELECT:
		return dp->select;
	default:
		/* IHI 0031 "RDBUFF": on a JTAG-DP RDBUFF reads as zero; the
		 * scan that reads it exists to capture the previous result. */
		return 0;
	}
}

static void dp_write(struct adi_dp *dp, unsigned addr, uint32_t value)
{
	switch (addr) {
	case ADI_DP_DPIDR:
		sim_log(LOG_GUEST_ERROR,
			"DPACC write 0x%08x to address 0x0: DPIDR is "
			"read-only and ABORT is its own scan chain on a "
			"JTAG-DP (IHI 0031 \"DP register descriptions\"); "
			"ignored", value);
		return;
	case ADI_DP_CTRL_STAT:
		if ((dp->select & ADI_SELECT_DPBANKSEL) != 0) {
			sim_log(LOG_GUEST_ERROR,
				"DPACC write 0x%08x to address 0x4 with "
				"DPBANKSEL %u: only bank 0 (CTRL/STAT) is "
				"writable (IHI 0031 \"SELECT\"); ignored",
				value, dp->select & ADI_SELECT_DPBANKSEL);
			return;
		}
		ctrl_stat_write(dp, value);
		return;
	case ADI_DP_SELECT:
		if (value & ~SELECT_VALID)
			sim_log(LOG_GUEST_ERROR,
				"DP SELECT write 0x%08x sets reserved bits "
				"[23:8], which are SBZ (IHI 0031 \"SELECT\"); "
				"they are dropped", value);
		dp->select = value & SELECT_VALID;
		return;
	default:
		/* RDBUFF: writes are ignored (IHI 0031 "RDBUFF"). */
		return;
	}
}

/* ---- MEM-AP ------------------------------------------------------------ */

/* TAR[9:0] increments, the rest stays (ADI_TAR_INC_MASK). */
static uint32_t tar_add(uint32_t tar, uint32_t inc)
{
	return (tar & ~ADI_TAR_INC_MASK) | ((tar + inc) & ADI_TAR_INC_MASK);
}

static unsigned csw_bytes(uint32_t csw)
{
	return 1U << (csw & ADI_CSW_SIZE);
}

/* One bus access of `size` bytes at `addr` through the AP, moving the data
 * on the byte lanes the address selects (IHI 0031 "Byte lanes"). An
 * address not aligned to the size is accessed at the aligned address, on
 * that address's lanes: IHI 0031 leaves unaligned MEM-AP transfers to the
 * implementation, and this is one of the behaviours it allows. TAR still
 * increments from the unaligned value. */
static bool ap_bus_access(struct adi_mem_ap *ap, uint32_t addr, unsigned size,
			  bool write, uint32_t *lanes)
{
	uint32_t aligned = addr & ~(uint32_t)(size - 1);
	unsigned shift = 8 * (aligned & 3);
	uint32_t mask = size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1;
	uint32_t value = 0;
	bool ok;

	/* HPROT[3], Cacheable (CSW bit 27, ADIv5 E1.4): whether the core's
	 * data cache is looked up (cpu/dcache.c). */
	ap->bus->debug_cacheable = ap->csw & (1U << 27);
	if (write) {
		value = (*lanes >> shift) & mask;
		ok = bus_write(ap->bus, aligned, size, value, BUS_MASTER_DEBUG);
		sim_stats.ap_bus_writes++;
	} else {
		ok = bus_read(ap->bus, aligned, size, &value, BUS_MASTER_DEBUG);
		sim_stats.ap_bus_reads++;
		if (ok)
			*lanes = (*lanes & ~(mask << shift)) |
				 (value & mask) << shift;
	}
	if (!ok)
		sim_stats.ap_bus_errors++;
	return ok;
}

/* A DRW or BDn transfer: one bus access, or with packing 4/size accesses
 * at increasing addresses (IHI 0031 "Packed transfers"). Returns false on
 * a bus error; the accesses after the failing one are not made. */
static bool ap_transfer(struct adi_dp *dp, unsigned apsel, uint32_t addr,
			bool packed, bool write, uint32_t *data)
{
	struct adi_mem_ap *ap = &dp->ap[apsel];
	unsigned size = csw_bytes(ap->csw);
	unsigned count = packed ? 4 / size : 1;

	if (ap->kind == ADI_AP_AHB &&
	    !(dp->ctrl_stat & ADI_CS_CSYSPWRUPACK)) {
		sim_log(LOG_GUEST_ERROR,
			"AP%u %s at 0x%08x with the system power domain not "
			"powered up (CTRL/STAT.CSYSPWRUPACK 0, IHI 0031 "
			"\"System and debug power control\"): bus error",
			apsel, write ? "write" : "read", addr);
		return false;
	}
	if (!write)
		*data = 0;
	for (unsigned i = 0; i < count; i++) {
		if (!ap_bus_access(ap, addr, size, write, data))
			return false;
		addr = tar_add(addr, size);
	}
	return true;
}

static void csw_write(struct adi_mem_ap *ap, unsigned apsel, uint32_t value)
{
	uint32_t writable = ap->kind == ADI_AP_APB ? CSW_APB_WRITABLE
						   : CSW_AHB_WRITABLE;
	uint32_t csw = (ap->csw & ~writable) | (value & writable);
	unsigned size = value & ADI_CSW_SIZE;
	uint32_t inc = value & ADI_CSW_ADDRINC;

	if (ap->kind == ADI_AP_AHB && size > ADI_CSW_SIZE_32) {
		/* IHI 0031 "CSW": sizes the MEM-AP does not support are
		 * reserved. The AHB-AP keeps its previous size. */
		sim_log(LOG_GUEST_ERROR,
			"AP%u CSW write 0x%08x: Size %u is reserved on this "
			"32-bit AHB-AP (IHI 0031 \"CSW\"); Size unchanged",
			apsel, value, size);
		csw = (csw & ~ADI_CSW_SIZE) | (ap->csw & ADI_CSW_SIZE);
	}
	if (inc == (3U << 4) ||
	    (ap->kind == ADI_AP_APB && inc == ADI_CSW_ADDRINC_PACKED)) {
		/* AddrInc 0b11 is reserved. On the 32-bit-only APB-AP a packed
		 * transfer is one word, the same as single increment, so
		 * packing reads back as not supported and OpenOCD falls back
		 * to single increment (arm_adi_v5.c mem_ap_init). */
		if (inc == (3U << 4))
			sim_log(LOG_GUEST_ERROR,
				"AP%u CSW write 0x%08x: AddrInc 0b11 is "
				"reserved (IHI 0031 \"CSW\"); AddrInc "
				"unchanged",
				apsel, value);
		if (inc == ADI_CSW_ADDRINC_PACKED)
			inc = ADI_CSW_ADDRINC_SINGLE;
		else
			inc = ap->csw & ADI_CSW_ADDRINC;
		csw = (csw & ~ADI_CSW_ADDRINC) | inc;
	}
	ap->csw = csw;
}

static bool ap_is_present(const struct adi_dp *dp, unsigned apsel)
{
	return apsel < ADI_MAX_APS && dp->ap[apsel].kind != ADI_AP_ABSENT;
}

/* A DRW or BDn access; returns false on a bus error. TAR moves only after a
 * DRW transfer that completed, so after an error it still addresses the
 * transfer that failed, which is where OpenOCD reports the failure. */
static bool ap_data_access(struct adi_dp *dp, unsigned apsel, unsigned reg,
			   bool write, uint32_t *data)
{
	struct adi_mem_ap *ap = &dp->ap[apsel];
	uint32_t inc = ap->csw & ADI_CSW_ADDRINC;
	bool packed = inc == ADI_CSW_ADDRINC_PACKED;
	uint32_t addr;
	bool ok;

	if (reg == ADI_AP_DRW) {
		addr = ap->tar;
		ok = ap_transfer(dp, apsel, addr, packed, write, data);
		if (ok && inc != ADI_CSW_ADDRINC_OFF)
			ap->tar = tar_add(ap->tar,
					  packed ? 4 : csw_bytes(ap->csw));
	} else {
		/* IHI 0031 "BD0-BD3": TAR[31:4] with the register's own
		 * offset; no packing and no increment. */
		addr = (ap->tar & ~0xFU) + (reg - ADI_AP_BD0);
		ok = ap_transfer(dp, apsel, addr, false, write, data);
	}
	sim_trace("dap AP%u %s %s [0x%08x %u-bit%s] %s 0x%08x%s", apsel,
		  write ? "W" : "R", ap_reg_name(reg), addr,
		  8 * csw_bytes(ap->csw),
		  packed && reg == ADI_AP_DRW ? " packed" : "",
		  write ? "=" : "->", *data, ok ? "" : " bus error");
	return ok;
}

static uint32_t ap_read(struct adi_dp *dp, unsigned apsel, unsigned reg,
			bool *ok)
{
	struct adi_mem_ap *ap = &dp->ap[apsel];
	uint32_t value = 0;

	*ok = true;
	switch (reg) {
	case ADI_AP_CSW:
		return ap->csw;
	case ADI_AP_TAR:
		return ap->tar;
	case ADI_AP_DRW:
	case ADI_AP_BD0:
	case ADI_AP_BD1:
	case ADI_AP_BD2:
	case ADI_AP_BD3:
		*ok = ap_data_access(dp, apsel, reg, false, &value);
		return value;
	case ADI_AP_CFG:
		/* Little-endian, no large address, no large data. */
		return 0;
	case ADI_AP_BASE:
		return ap->base;
	case ADI_AP_IDR:
		return ap->idr;
	default:
		/* TAR[63:32], MBT, BASE[63:32] and the reserved offsets:
		 * RAZ/WI on a MEM-AP without large address or barriers. */
		return 0;
	}
}

static bool ap_write(struct adi_dp *dp, unsigned apsel, unsigned reg,
		     uint32_t value)
{
	struct adi_mem_ap *ap = &dp->ap[apsel];

	switch (reg) {
	case ADI_AP_CSW:
		csw_write(ap, apsel, value);
		return true;
	case ADI_AP_TAR:
		ap->tar = value;
		return true;
	case ADI_AP_DRW:
	case ADI_AP_BD0:
	case ADI_AP_BD1:
	case ADI_AP_BD2:
	case ADI_AP_BD3:
		return ap_data_access(dp, apsel, reg, true, &value);
	case ADI_AP_CFG:
	case ADI_AP_BASE:
	case ADI_AP_IDR:
		sim_log(LOG_GUEST_ERROR,
			"AP%u write 0x%08x to read-only %s (IHI 0031 \"MEM-AP "
			"register summary\"); ignored",
			apsel, value, ap_reg_name(reg));
		return true;
	default:
		return true;
	}
}

/* ---- transactions ------------------------------------------------------ */

static void apacc(struct adi_dp *dp, bool read, unsigned a, uint32_t data)
{
	unsigned apsel = dp->select >> ADI_SELECT_APSEL_SHIFT;
	unsigned reg = (dp->select & ADI_SELECT_APBANKSEL) | a;
	bool ok = true;

	if (dp->ctrl_stat & ADI_CS_STICKY) {
		/* IHI 0031 "Sticky flags and DP error responses": while a
		 * sticky flag is set the JTAG-DP discards AP transactions and
		 * completes them at once. */
		sim_trace("dap AP%u %s %s discarded: CTRL/STAT sticky flags "
			  "0x%02x", apsel, read ? "R" : "W", ap_reg_name(reg),
			  dp->ctrl_stat & ADI_CS_STICKY);
		if (read)
			dp->read_result = 0;
		return;
	}
	if (!(dp->ctrl_stat & ADI_CS_CDBGPWRUPACK)) {
		/* The APs live in the debug power domain; an access while it
		 * is down reaches no AP and sets STICKYERR (IHI 0031 "System
		 * and debug power control"). */
		sim_log(LOG_GUEST_ERROR,
			"AP%u %s %s with the debug power domain not powered up "
			"(CTRL/STAT.CDBGPWRUPACK 0, IHI 0031 \"System and "
			"debug power control\"): STICKYERR",
			apsel, read ? "read" : "write", ap_reg_name(reg));
		dp->ctrl_stat |= ADI_CS_STICKYERR;
		if (read)
			dp->read_result = 0;
		return;
	}
	if (!ap_is_present(dp, apsel)) {
		/* No AP at this APSEL: IDR reads 0, which is how debuggers
		 * find the end of the AP list; everything else is RAZ/WI. */
		sim_trace("dap AP%u (absent) %s %s", apsel, read ? "R" : "W",
			  ap_reg_name(reg));
		if (read)
			dp->read_result = 0;
		return;
	}
	if (read) {
		dp->read_result = ap_read(dp, apsel, reg, &ok);
		if (reg < ADI_AP_DRW || reg > ADI_AP_BD3)
			sim_trace("dap AP%u R %s -> 0x%08x", apsel,
				  ap_reg_name(reg), dp->read_result);
	} else {
		ok = ap_write(dp, apsel, reg, data);
		if (reg < ADI_AP_DRW || reg > ADI_AP_BD3)
			sim_trace("dap AP%u W %s = 0x%08x", apsel,
				  ap_reg_name(reg), data);
	}
	if (!ok)
		dp->ctrl_stat |= ADI_CS_STICKYERR;
}

static void dpacc(struct adi_dp *dp, bool read, unsigned a, uint32_t data)
{
	if (read) {
		dp->read_result = dp_read(dp, a);
		sim_trace("dap DP R %s -> 0x%08x", dp_reg_names[a >> 2],
			  dp->read_result);
	} else {
		dp_write(dp, a, data);
		sim_trace("dap DP W %s = 0x%08x", dp_reg_names[a >> 2], data);
	}
}

static void abort_write(struct adi_dp *dp, uint64_t dr)
{
	uint32_t data = (uint32_t)(dr >> 3);

	(void)dp;
	if ((dr & 7) != 0 || (data & ~ADI_ABORT_DAPABORT) != 0) {
		sim_log(LOG_GUEST_ERROR,
			"ABORT scan with RnW/A = 0x%x and data 0x%08x: the "
			"JTAG-DP ABORT register is written with A = 0, RnW = 0 "
			"and only DAPABORT (bit 0) defined (IHI 0031 "
			"\"ABORT\"); ignored", (unsigned)(dr & 7), data);
		return;
	}
	/* Transfers never stay in progress here, so there is nothing for
	 * DAPABORT to cancel. */
	sim_trace("dap ABORT 0x%08x", data);
}

void adi_update(struct adi_dp *dp, unsigned ir, uint64_t dr)
{
	bool read = dr & 1;
	unsigned a = (unsigned)(dr >> 1 & 3) << 2;
	uint32_t data = (uint32_t)(dr >> 3);

	adi_settle(dp);
	switch (ir) {
	case ADI_IR_ABORT:
		abort_write(dp, dr);
		return;
	case ADI_IR_DPACC:
		dpacc(dp, read, a, data);
		break;
	case ADI_IR_APACC:
		apacc(dp, read, a, data);
		break;
	default:
		return;
	}
	sim_stats.dap_transactions++;
	dp->owes_transaction = dp->on_transaction != NULL;
}

void adi_settle(struct adi_dp *dp)
{
	if (!dp->owes_transaction)
		return;
	dp->owes_transaction = false;
	dp->on_transaction(dp->ctx);
}
