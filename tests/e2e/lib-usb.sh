# USB devices for umockdev: writes device descriptions (the sysfs and udev
# view the kernel gives of a device: its descriptors and string
# attributes) that umockdev-run presents to libusb, so psramctl enumerates
# them through the real libusb. Sourced after lib.sh.
#
#   usb_root_hub FILE BUS
#   usb_device FILE NAME DEVNUM VID PID BCD MANUFACTURER PRODUCT SERIAL IFACE...
#
# NAME is the kernel's name ("1-2": bus 1, port 2); VID, PID and BCD are hex;
# an empty MANUFACTURER, PRODUCT or SERIAL is left out (no string). Each IFACE
# is CLASS/SUBCLASS/PROTOCOL/ENDPOINTS/NAME with hex class codes and
# ENDPOINTS a comma list of endpoint addresses with a type letter (b bulk,
# i interrupt): "ff/00/00/01b,81b/CMSIS-DAP v2" is a vendor interface with
# bulk OUT 0x01 then bulk IN 0x81, named "CMSIS-DAP v2".

USB_PCI=/devices/pci0000:00/0000:00:14.0

_le16() { printf '%02x%02x' $((0x$1 & 255)) $((0x$1 >> 8)); }

usb_root_hub() {
	local file=$1 bus=$2
	cat >>"$file" <<EOF
P: $USB_PCI/usb$bus
N: bus/usb/$(printf %03d "$bus")/001
E: DEVNAME=/dev/bus/usb/$(printf %03d "$bus")/001
E: DEVTYPE=usb_device
E: DRIVER=usb
E: SUBSYSTEM=usb
E: BUSNUM=$(printf %03d "$bus")
E: DEVNUM=001
A: busnum=$bus
A: devnum=1
A: speed=480
A: idVendor=1d6b
A: idProduct=0002
A: bConfigurationValue=1
H: descriptors=12010002090001406b1d020006060302010109021900010100e0000904000001090000000705810304000c

EOF
}

usb_device() {
	local file=$1 name=$2 devnum=$3 vid=$4 pid=$5 bcd=$6 manuf=$7 product=$8 serial=$9
	shift 9
	local bus=${name%%-*} parent i=0 cfg="" nif=$#
	local imanuf=00 iprod=00 iser=00 total
	[ -n "$manuf" ] && imanuf=01
	[ -n "$product" ] && iprod=02
	[ -n "$serial" ] && iser=03
	case "$name" in
	*.*) parent=$USB_PCI/usb$bus/${name%.*} ;;
	*) parent=$USB_PCI/usb$bus ;;
	esac
	for ifc in "$@"; do
		IFS=/ read -r cls sub proto eps iname <<<"$ifc"
		local neps=0 epdesc=""
		IFS=, read -ra eplist <<<"$eps"
		for ep in "${eplist[@]}"; do
			[ -z "$ep" ] && continue
			local addr=${ep%?} type=02 size=4000
			[ "${ep: -1}" = i ] && type=03 size=4000
			epdesc+="0705${addr}${type}${size}00"
			neps=$((neps + 1))
		done
		cfg+=$(printf '0904%02x00%02x%s%s%s00' "$i" "$neps" "$cls" "$sub" "$proto")$epdesc
		i=$((i + 1))
	done
	total=$((9 + ${#cfg} / 2))
	local dev_desc
	dev_desc="1201000200000040$(_le16 "$vid")$(_le16 "$pid")$(_le16 "$bcd")${imanuf}${iprod}${iser}01"
	local cfg_desc
	cfg_desc="0902$(_le16 "$(printf %x $total)")$(printf %02x "$nif")01008032"
	{
		echo "P: $parent/$name"
		echo "N: bus/usb/$(printf %03d "$bus")/$(printf %03d "$devnum")"
		echo "E: DEVNAME=/dev/bus/usb/$(printf %03d "$bus")/$(printf %03d "$devnum")"
		echo "E: DEVTYPE=usb_device"
		echo "E: DRIVER=usb"
		echo "E: SUBSYSTEM=usb"
		echo "E: BUSNUM=$(printf %03d "$bus")"
		echo "E: DEVNUM=$(printf %03d "$devnum")"
		echo "A: busnum=$bus"
		echo "A: devnum=$devnum"
		echo "A: speed=12"
		echo "A: idVendor=$vid"
		echo "A: idProduct=$pid"
		echo "A: bcdDevice=$bcd"
		echo "A: bConfigurationValue=1"
		[ -n "$manuf" ] && echo "A: manufacturer=$manuf"
		[ -n "$product" ] && echo "A: product=$product"
		[ -n "$serial" ] && echo "A: serial=$serial"
		echo "H: descriptors=${dev_desc}${cfg_desc}${cfg}"
		echo
		i=0
		for ifc in "$@"; do
			IFS=/ read -r cls sub proto eps iname <<<"$ifc"
			echo "P: $parent/$name/$name:1.$i"
			echo "E: DEVTYPE=usb_interface"
			echo "E: SUBSYSTEM=usb"
			echo "A: bInterfaceNumber=$(printf %02x $i)"
			echo "A: bInterfaceClass=$cls"
			[ -n "$iname" ] && echo "A: interface=$iname"
			echo
			i=$((i + 1))
		done
	} >>"$file"
}

# umockdev_ok: umockdev-run presents a device to libusb here.
umockdev_ok() {
	command -v umockdev-run >/dev/null 2>&1
}
