/*
 * Vector table, entry and exit of the stub, and the assembly half of the
 * fault handler. The addresses of stub_exit and stub_entry are part of the
 * ABI (include/stub_abi.h); stub.ld checks them.
 */
	.syntax unified
	.cpu cortex-m7
	.thumb

/* ARMv7-M: VTOR needs the table aligned to its size rounded up to a power
 * of two; at the start of DTCM it is aligned to anything. Only the 16
 * system vectors exist: the stub disables every NVIC interrupt. */
	.section .vectors, "a", %progbits
	.align 2
	.global stub_vectors
	.type stub_vectors, %object
stub_vectors:
	.word __stub_stack_top		/* 0: the host sets SP itself */
	.word stub_entry		/* 1: Reset */
	.rept 14
	.word stub_fault_entry		/* NMI, HardFault, MemManage, BusFault,
					 * UsageFault, reserved, SVCall,
					 * DebugMonitor, PendSV, SysTick */
	.endr
	.size stub_vectors, . - stub_vectors

	.section .stub_entry, "ax", %progbits
	.align 2

/* STUB_EXIT_ADDR. A resume without an address skips the BKPT (OpenOCD
 * steps over it) and lands on the branch back to it. */
	.global stub_exit
	.type stub_exit, %function
	.thumb_func
stub_exit:
	bkpt #0
	b.n stub_exit
	.size stub_exit, . - stub_exit

/* STUB_ENTRY_ADDR: r0 = mailbox address, r1 = image size, r2 = the
 * image's CRC-32, SP = end of the stub RAM. */
	.global stub_entry
	.type stub_entry, %function
	.thumb_func
stub_entry:
	cpsid i
	mov r7, r1			/* image size and CRC for the check */
	mov r8, r2
	/* Our vectors before anything can fault. */
	ldr r4, =0xE000ED08		/* SCB_VTOR */
	ldr r5, =stub_vectors
	str r5, [r4]
	dsb
	isb
	/* Thread mode on MSP, privileged, no FP context, whichever stack
	 * pointer the host's write of `sp` reached. */
	mov r1, sp
	movs r4, #0
	msr control, r4
	msr basepri, r4			/* a halted RTOS may have left it set */
	isb
	bic r4, r1, #7			/* AAPCS: 8-byte aligned */
	mov sp, r4
	/* The stack must clear the stub's variables and stay in its RAM;
	 * if not, use the smallest stub RAM and let C report it. */
	movs r2, #1
	ldr r5, =__stub_stack_limit
	cmp r4, r5
	blo 1f
	ldr r5, =0x20020000		/* STUB_RAM_MAX_END */
	cmp r4, r5
	bls 2f
1:	ldr r4, =__stub_stack_top
	mov sp, r4
	movs r2, #0
	/* The image as it sits in RAM against the host's CRC, before any of
	 * it beyond STUB_BOOT_END runs (load_check.c). r9-r11 survive the
	 * call (AAPCS). */
2:	mov r9, r0
	mov r10, r1
	mov r11, r2
	mov r0, r7
	mov r1, r8
	bl stub_load_check
	cmp r0, #0
	bne stub_exit
	mov r0, r9
	mov r1, r10
	mov r2, r11
	ldr r4, =__bss_start
	ldr r5, =__bss_end
	movs r6, #0
3:	cmp r4, r5
	bhs 4f
	str r6, [r4], #4
	b 3b
4:	bl stub_main			/* (mailbox, host SP, SP usable) */
	b stub_exit
	.size stub_entry, . - stub_entry
	.ltorg

/* Not part of what runs before the image check (STUB_BOOT_END): only a
 * fault reaches it. */
	.section .text.stub_fault_entry, "ax", %progbits
	.align 2

/* Every exception: report it in the mailbox from a stack of our own (the
 * fault may be the stack), then return to thread mode at stub_exit through
 * a made-up exception frame, so the exception is no longer active when the
 * host runs the next command. */
	.global stub_fault_entry
	.type stub_fault_entry, %function
	.thumb_func
stub_fault_entry:
	tst lr, #4			/* EXC_RETURN bit 2: frame on PSP */
	ite eq
	mrseq r0, msp
	mrsne r0, psp
	mov r1, lr
	ldr r2, =__fault_stack_top
	mov sp, r2
	bl stub_fault_report		/* (frame, EXC_RETURN) */
	ldr r2, =__fault_stack_top - 32
	movs r3, #0
	str r3, [r2, #0]		/* r0 */
	str r3, [r2, #4]		/* r1 */
	str r3, [r2, #8]		/* r2 */
	str r3, [r2, #12]		/* r3 */
	str r3, [r2, #16]		/* r12 */
	mvn r3, #0
	str r3, [r2, #20]		/* lr */
	ldr r3, =stub_exit
	bic r3, r3, #1
	str r3, [r2, #24]		/* pc */
	mov r3, #0x01000000
	str r3, [r2, #28]		/* xPSR: Thumb */
	mov sp, r2
	mvn r3, #6			/* EXC_RETURN 0xFFFFFFF9: thread, MSP, basic frame */
	bx r3
	.size stub_fault_entry, . - stub_fault_entry
	.ltorg
