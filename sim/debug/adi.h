/* The ARM Debug Interface v5 behind the DAP TAP: a JTAG-DP and up to
 * ADI_MAX_APS MEM-APs, each wired to its own bus. References are to ARM IHI
 * 0031 (ADIv5.0-5.2) by section title: "The JTAG-DP", "DP register
 * descriptions", "The Memory Access Port (MEM-AP)".
 *
 * The DP finishes every transaction at once, so it always answers ACK
 * OK/FAULT and never WAIT. Reads are posted as on silicon: the value of a
 * DPACC/APACC read comes out in the Capture-DR of the next DPACC/APACC scan
 * (usually the RDBUFF read that ends every OpenOCD batch). */
#ifndef SIM_ADI_H
#define SIM_ADI_H

#include <stdbool.h>
#include <stdint.h>

struct bus;

/* JTAG-DP instructions, IR length 4 (IHI 0031 "JTAG-DP scan chains",
 * "IR scan chain and IR instructions"). Any other value selects BYPASS. */
#define ADI_IR_ABORT	0x8
#define ADI_IR_DPACC	0xA
#define ADI_IR_APACC	0xB
#define ADI_IR_IDCODE	0xE
#define ADI_IR_BYPASS	0xF
#define ADI_IRLEN	4
/* IHI 0031 "IR scan chain": the IR captures 0b0001 at Capture-IR. */
#define ADI_IR_CAPTURE	0x1

/* DPACC/APACC/ABORT scan chain: 35 bits, LSB first. In: RnW (bit 0),
 * A[3:2] (bits 2:1), data (bits 34:3). Out: ACK[2:0], ReadResult[31:0]. */
#define ADI_DR_LEN	35
#define ADI_ACK_WAIT		0x1
#define ADI_ACK_OK_FAULT	0x2

/* DP registers by A[3:2] << 2 (IHI 0031 "DP register descriptions"). */
#define ADI_DP_DPIDR		0x0
#define ADI_DP_CTRL_STAT	0x4
#define ADI_DP_SELECT		0x8
#define ADI_DP_RDBUFF		0xC

/* CTRL/STAT (IHI 0031 "CTRL/STAT, Control/Status register"). */
#define ADI_CS_ORUNDETECT	(1U << 0)
#define ADI_CS_STICKYORUN	(1U << 1)
#define ADI_CS_TRNMODE		(3U << 2)
#define ADI_CS_STICKYCMP	(1U << 4)
#define ADI_CS_STICKYERR	(1U << 5)
#define ADI_CS_MASKLANE		(0xFU << 8)
#define ADI_CS_TRNCNT		(0xFFFU << 12)
#define ADI_CS_CDBGRSTREQ	(1U << 26)
#define ADI_CS_CDBGRSTACK	(1U << 27)
#define ADI_CS_CDBGPWRUPREQ	(1U << 28)
#define ADI_CS_CDBGPWRUPACK	(1U << 29)
#define ADI_CS_CSYSPWRUPREQ	(1U << 30)
#define ADI_CS_CSYSPWRUPACK	(1U << 31)
#define ADI_CS_STICKY \
	(ADI_CS_STICKYORUN | ADI_CS_STICKYCMP | ADI_CS_STICKYERR)

/* SELECT (IHI 0031 "SELECT, AP Select register"; DPBANKSEL is ADIv5.2). */
#define ADI_SELECT_APSEL_SHIFT		24
#define ADI_SELECT_APBANKSEL		(0xFU << 4)
#define ADI_SELECT_DPBANKSEL		0xFU

/* ABORT on a JTAG-DP: only DAPABORT exists, bits [31:1] SBZ (IHI 0031
 * "ABORT, AP Abort register"). */
#define ADI_ABORT_DAPABORT	(1U << 0)

/* MEM-AP registers (IHI 0031 "MEM-AP register summary"). */
#define ADI_AP_CSW	0x00
#define ADI_AP_TAR	0x04
#define ADI_AP_TAR_HI	0x08
#define ADI_AP_DRW	0x0C
#define ADI_AP_BD0	0x10
#define ADI_AP_BD1	0x14
#define ADI_AP_BD2	0x18
#define ADI_AP_BD3	0x1C
#define ADI_AP_MBT	0x20
#define ADI_AP_BASE_HI	0xF0
#define ADI_AP_CFG	0xF4
#define ADI_AP_BASE	0xF8
#define ADI_AP_IDR	0xFC

/* CSW fields (IHI 0031 "CSW, Control/Status Word register"). */
#define ADI_CSW_SIZE		0x7U
#define ADI_CSW_SIZE_8		0x0U
#define ADI_CSW_SIZE_16		0x1U
#define ADI_CSW_SIZE_32		0x2U
#define ADI_CSW_ADDRINC		(3U << 4)
#define ADI_CSW_ADDRINC_OFF	(0U << 4)
#define ADI_CSW_ADDRINC_SINGLE	(1U << 4)
#define ADI_CSW_ADDRINC_PACKED	(2U << 4)
#define ADI_CSW_DEVICEEN	(1U << 6)
#define ADI_CSW_TRINPROG	(1U << 7)
#define ADI_CSW_MODE		(0xFU << 8)
#define ADI_CSW_SPIDEN		(1U << 23)
#define ADI_CSW_PROT		(0x7FU << 24)
#define ADI_CSW_DBGSWENABLE	(1U << 31)

/* TAR auto-increment is only guaranteed on TAR[9:0] (IHI 0031
 * "Auto-incrementing the Transfer Address Register"):
 * this MEM-AP wraps inside the 1 KiB block, as OpenOCD's default
 * tar_autoincr_block assumes. */
#define ADI_TAR_INC_MASK	0x3FFU

enum adi_ap_kind {
	ADI_AP_ABSENT,	/* no AP at this APSEL: IDR reads 0 */
	ADI_AP_AHB,	/* AHB-AP: 8/16/32-bit, packed transfers */
	ADI_AP_APB,	/* APB-AP: 32-bit only, no packing */
};

struct adi_mem_ap {
	enum adi_ap_kind kind;
	struct bus *bus;
	uint32_t idr;
	uint32_t base;
	uint32_t csw_reset;
	uint32_t csw;
	uint32_t tar;
};

#define ADI_MAX_APS 4

struct adi_dp {
	uint32_t dpidr;
	uint32_t ctrl_stat;
	uint32_t select;
	/* ReadResult of the last DPACC/APACC read, shifted out at the next
	 * DPACC/APACC Capture-DR. */
	uint32_t read_result;
	struct adi_mem_ap ap[ADI_MAX_APS];
	/* Called once for every DPACC/APACC transaction (the board runs a
	 * slice of the core there, so the core progresses while OpenOCD
	 * polls back to back), after it and before anything else reaches
	 * the DP: the next Capture-DR or Update-DR, adi_reset, or
	 * adi_settle. The remote_bitbang server settles after it has sent
	 * a scan's replies, so the debugger's next scan is under way while
	 * the core runs. May be NULL. */
	void (*on_transaction)(void *ctx);
	void *ctx;
	bool owes_transaction;	/* on_transaction not yet called */
};

/* A DP with no APs, in its power-on state. dpidr is what a DPACC read of
 * address 0x0 returns (DPv1 and later make DPIDR readable there). */
void adi_init(struct adi_dp *dp, uint32_t dpidr);

/* Put a MEM-AP at apsel (< ADI_MAX_APS). csw_reset is its CSW after
 * power-on; DeviceEn and the fixed Size of an APB-AP are forced in. */
void adi_set_mem_ap(struct adi_dp *dp, unsigned apsel, enum adi_ap_kind kind,
		    struct bus *bus, uint32_t idr, uint32_t base,
		    uint32_t csw_reset);

/* The STM32H7 single-core DAP: AP0 and AP1 AHB-APs on `system`, AP2 the
 * APB-AP on `debug_apb`, and no AP3 (it exists on dual-core parts only). */
void adi_setup_stm32h7(struct adi_dp *dp, struct bus *system,
		       struct bus *debug_apb);

/* Power-on reset of the DP and AP registers (a new debugger connection).
 * The buses behind the APs are not touched. */
void adi_reset(struct adi_dp *dp);

/* The DAP TAP's Capture-DR and Update-DR with IR = ABORT, DPACC or APACC.
 * adi_capture returns the 35 bits to shift out; adi_update carries out the
 * transaction described by the 35 bits shifted in. */
uint64_t adi_capture(struct adi_dp *dp, unsigned ir);
void adi_update(struct adi_dp *dp, unsigned ir, uint64_t dr);

/* Call on_transaction for the last transaction if it has not been yet. */
void adi_settle(struct adi_dp *dp);

/* A 35-bit DR value for a DPACC/APACC request (tests, tracing). */
static inline uint64_t adi_dr_request(bool read, unsigned addr, uint32_t data)
{
	return (uint64_t)data << 3 | ((addr >> 2) & 3U) << 1 | (read ? 1U : 0U);
}

#endif
