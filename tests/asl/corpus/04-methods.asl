//// _STA present and enabled
    Device (DEV0) { Name (_HID, "MCHC0001")
        Method (_STA, 0, NotSerialized) { Return (0x0F) } }
//// _STA hides a device
    Device (DEV1) { Name (_HID, "MCHC0002")
        Method (_STA) { Return (Zero) } }
//// _STA from a flag
    Name (ENAB, 1)
    Device (DEV2) { Name (_HID, "MCHC0003")
        Method (_STA) { If (ENAB) { Return (0x0F) }
            Return (0x00) } }
//// _SUN as a name
    Device (SLT1) { Name (_ADR, 0x00030000)
        Name (_SUN, 0x07) }
//// _SUN as a method
    Device (SLT2) { Name (_ADR, 0x00040000)
        Method (_SUN) { Return (0x08) } }
//// _DSM device label (PCI firmware spec function 7)
    Device (NIC0) { Name (_ADR, 0x00020000)
        Method (_DSM, 4, Serialized) {
            If (Arg0 == ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d")) {
                If (Arg2 == Zero) { Return (Buffer () {0x81}) }
                If (Arg2 == 7) { Return (Package () {1, Unicode ("Onboard LAN 1")}) }
            }
            Return (Buffer () {0}) } }
//// _DSM legacy form
    Device (NIC1) { Name (_ADR, 0x00020001)
        Method (_DSM, 4, NotSerialized) {
            If (LEqual (Arg0, ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d"))) {
                If (LEqual (Arg2, Zero)) { Return (Buffer (One) {0x81}) }
                If (LEqual (Arg2, 0x07)) { Return (Package (0x02) {One, "NIC 2"}) }
            }
            Return (Buffer (One) {Zero}) } }
//// _DSM with switch
    Device (NIC2) { Name (_ADR, 0x00020002)
        Method (_DSM, 4, Serialized) {
            If (Arg0 == ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d")) {
                Switch (ToInteger (Arg2)) {
                    Case (0) { Return (Buffer () {0x81}) }
                    Case (7) { Return (Package () {1, "Port 3"}) }
                }
            }
            Return (Buffer () {0}) } }
//// _OSC grants everything but hot-plug
    Device (PCI9) { Name (_HID, EisaId ("PNP0A08"))
        Name (SUPP, 0)
        Name (CTRL, 0)
        Method (_OSC, 4) {
            CreateDWordField (Arg3, 0, CDW1)
            If (Arg0 == ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766")) {
                CreateDWordField (Arg3, 4, CDW2)
                CreateDWordField (Arg3, 8, CDW3)
                SUPP = CDW2
                CTRL = CDW3
                CTRL &= 0x1E
                If (Arg1 != One) { CDW1 |= 0x08 }
                If (CDW3 != CTRL) { CDW1 |= 0x10 }
                CDW3 = CTRL
            } Else { CDW1 |= 4 }
            Return (Arg3) } }
//// _PRW wake on GPE
    Device (WAK0) { Name (_ADR, 0x00050000)
        Name (_PRW, Package () {0x0D, 0x03}) }
//// _PRW as a method
    Device (WAK1) { Name (_ADR, 0x00050001)
        Method (_PRW) { Return (Package () {0x0D, 4}) } }
//// _PS0 and _PS3 power methods
    Name (PWRS, 0)
    Device (PWR0) { Name (_ADR, 0x00060000)
        Method (_PS0) { PWRS = 0 }
        Method (_PS3) { PWRS = 3 }
        Method (_PSC) { Return (PWRS) } }
//// _S0W and _S3D
    Device (PWR1) { Name (_ADR, 0x00060001)
        Name (_S0W, 3)
        Method (_S3D) { Return (3) } }
//// _INI setting a flag
    Name (INIT, 0)
    Device (INI0) { Name (_HID, "MCHC0004")
        Method (_INI) { INIT = One } }
//// _EJ0 eject
    Name (EJCT, 0)
    Device (EJ00) { Name (_ADR, 0x00070000)
        Method (_EJ0, 1) { EJCT = Arg0 } }
//// _RMV removable
    Device (RMV0) { Name (_ADR, 0x00080000)
        Method (_RMV) { Return (One) } }
//// _UID and _HID pair
    Device (COM1) { Name (_HID, EisaId ("PNP0501"))
        Name (_UID, One) }
//// _CRS returning a template
    Device (RES0) { Name (_HID, "MCHC0005")
        Method (_CRS) { Return (ResourceTemplate () { IO (Decode16, 0x0510, 0x0510, 0x01, 0x0C) }) } }
//// _PIC mode flag
    Name (PICF, 0)
    Method (_PIC, 1) { PICF = Arg0 }
//// _PTS and _WAK
    Name (SLPS, 0)
    Method (_PTS, 1) { SLPS = Arg0 }
    Method (_WAK, 1) { SLPS = 0
        Return (Package () {0, 0}) }
//// _OSI check
    Name (OSYS, 0)
    Method (OSCK) { If (_OSI ("Windows 2015")) { OSYS = 2015 }
        If (_OSI ("Linux")) { OSYS = 1 } }
//// Notify a device
    Device (NTF0) { Name (_HID, "MCHC0006") }
    Method (NTFY, 1) { Notify (NTF0, Arg0) }
//// Notify by path
    Scope (\_SB) { Device (NTF1) { Name (_HID, "MCHC0007") } }
    Method (NTF2) { Notify (\_SB.NTF1, 0x80) }
//// _BBN and _SEG
    Device (PCI8) { Name (_HID, EisaId ("PNP0A08"))
        Name (_BBN, 0x80)
        Name (_SEG, 1)
        Name (_UID, 8) }
//// _CCA and _PXM
    Device (NUM0) { Name (_HID, "MCHC0008")
        Name (_CCA, One)
        Method (_PXM) { Return (1) } }
//// _DEP and _ADR of a child
    Device (PAR0) { Name (_HID, "MCHC0009")
        Device (CHD0) { Name (_ADR, 0)
            Name (_DEP, Package () {^^PAR0}) } }
//// method reading a package by index in a loop
    Name (VALS, Package () {1, 2, 3, 4})
    Method (SUMV) { Local0 = 0
        Local1 = 0
        While (Local1 < SizeOf (VALS)) { Local0 += DerefOf (VALS [Local1])
            Local1++ }
        Return (Local0) }
//// method building a buffer with CreateByteField
    Method (MKBF, 1) { Local0 = Buffer (4) {}
        CreateByteField (Local0, 0, BYT0)
        BYT0 = Arg0
        Return (Local0) }
//// GPE event method
    Scope (\_GPE) { Method (_E01) { Notify (\_SB, 0) } }
//// GPE level method
    Scope (\_GPE) { Method (_L02) { Local0 = 1 } }
//// thermal zone
    ThermalZone (TZ00) { Method (_TMP) { Return (3000) }
        Method (_CRT) { Return (3732) } }
//// power resource
    PowerResource (PRS0, 0, 0) { Name (STAT, 1)
        Method (_STA) { Return (STAT) }
        Method (_ON) { STAT = 1 }
        Method (_OFF) { STAT = 0 } }
//// device with _PR0 referencing a power resource
    PowerResource (PRS1, 0, 1) { Method (_STA) { Return (1) }
        Method (_ON) { }
        Method (_OFF) { } }
    Device (PRD0) { Name (_ADR, 0x00090000)
        Name (_PR0, Package () {PRS1}) }
//// processor object
    Scope (\_PR) { Processor (CPU0, 0, 0x00000810, 6) { } }
//// processor with methods
    Scope (\_PR) { Processor (CPU1, 1, 0, 0) { Method (_STA) { Return (0x0F) } } }
//// processor container device
    Scope (\_SB) { Device (CPUS) { Name (_HID, "ACPI0010")
            Name (_CID, EisaId ("PNP0A05"))
            Device (C000) { Name (_HID, "ACPI0007")
                Name (_UID, Zero) } } }
