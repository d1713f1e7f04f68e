#!/bin/bash
# psramctl verify with two faults at once: each named where the evidence
# allows, never a single different fault in their place; where one fault
# hides the other, the verdict says what could not be tested.
. "$(dirname "$0")/lib-verify.sh"

verify_with io2=open 'cell@0x000800:bit1=stuck1'
expect_verdict open-and-cell fail 2 '\{"kind":"io-open","line":2,' \
	'\{"kind":"cell","address":"0x000800","bit":1,"level":1,'

verify_with io2=open io3=open
expect_verdict two-open fail 2 '\{"kind":"io-open","line":2,' '\{"kind":"io-open","line":3,'

# IO3 tied keeps the chip out of QPI mode, and in SPI mode an open IO0
# and an open IO1 read alike: the stuck line is named, the rest untested.
verify_with io0=open io3=stuck1
expect_verdict stuck-hides-open fail 1 '\{"kind":"io-stuck","line":3,"level":1,' \
	'"untested":"the chip cannot be read reliably'

verify_with io1=stuck0 addr17=stuck1
expect_verdict stuck-hides-address fail 1 '\{"kind":"io-stuck","line":1,"level":0,' \
	'"untested":"the chip cannot be read reliably'

verify_with addr3=stuck0 addr9=stuck1
expect_verdict two-address-bits fail 2 '\{"kind":"addr-stuck","bit":3,' '\{"kind":"addr-stuck","bit":9,'

verify_with 'cell@0x000100:bit0=stuck0' 'cell@0x003000:bit6=stuck1'
expect_verdict two-cells fail 2 '\{"kind":"cell","address":"0x000100","bit":0,"level":0,' \
	'\{"kind":"cell","address":"0x003000","bit":6,"level":1,'

verify_with 'cell@0x000100:bit0=stuck0' flips=0.0001
expect_verdict cell-and-flips fail 2 '\{"kind":"cell","address":"0x000100","bit":0,"level":0,' \
	'\{"kind":"random-errors",'

verify_with fmax=40 'cell@0x000400:bit4=stuck1'
expect_verdict clock-and-cell fail 2 '\{"kind":"clock-limit","max_mhz":40\.000,' \
	'\{"kind":"cell","address":"0x000400","bit":4,"level":1,'

verify_with kgd=fail io2=open
expect_verdict kgd-and-open fail 2 '\{"kind":"kgd-fail",' '\{"kind":"io-open","line":2,'

verify_with pagecross-max=40 'cell@0x000010:bit2=stuck0'
expect_verdict page-and-cell fail 2 '\{"kind":"page-cross","max_mhz":40\.000,' \
	'\{"kind":"cell","address":"0x000010","bit":2,"level":0,'
