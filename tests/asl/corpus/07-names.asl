//// scope and device at the root [DSDT]
    Scope (\_SB) { Device (PCI0) { Name (_HID, EisaId ("PNP0A08")) } }
//// full path reference shortened by search [DSDT]
    Scope (\_SB) { Device (PCI0) { Name (FLAG, 1)
            Method (GETF) { Return (\_SB.PCI0.FLAG) } } }
//// full path reference shortened with carets [DSDT]
    Scope (\_SB) { Device (PCI0) { Name (FLAG, 1) }
        Device (CPUS) { Method (CSTA) { Return (\_SB.PCI0.FLAG) } } }
//// full path kept in an SSDT
    Scope (\_SB) { Device (PCI0) { Name (FLAG, 1)
            Method (GETF) { Return (\_SB.PCI0.FLAG) } } }
//// device declared by full path inside a scope [DSDT]
    Scope (\_SB) { Device (PCI0) { }
        Device (\_SB.PCI0.PRES) { Name (_HID, "PNP0A06") } }
//// device declared by full path inside a scope (SSDT keeps it)
    Scope (\_SB) { Device (PCI0) { }
        Device (\_SB.PCI0.PRES) { Name (_HID, "PNP0A06") } }
//// root prefix dropped at the root [DSDT]
    Name (\ROOT, 1)
    Scope (\) { Name (\RTB0, 2) }
//// a shadowed name keeps its path [DSDT]
    Name (SHDW, 1)
    Scope (\_SB) { Name (SHDW, 2)
        Method (GETS) { Return (\SHDW) } }
//// parent prefix in a reference
    Scope (\_SB) { Name (PVAL, 5)
        Device (DEV0) { Method (GETP) { Return (^^PVAL) } } }
//// two parent prefixes
    Scope (\_SB) { Name (PVA2, 5)
        Device (DEV0) { Device (DEV1) { Method (GETP) { Return (^^^PVA2) } } } }
//// dotted relative path
    Scope (\_SB) { Device (DEV0) { Device (SUB0) { Name (SVAL, 3) } }
        Method (GETD) { Return (^DEV0.SUB0.SVAL) } }
//// search finds a name in a parent scope
    Name (GLOB, 7)
    Scope (\_SB) { Device (DEV0) { Method (GETG) { Return (GLOB) } } }
//// method calls across scopes [DSDT]
    Scope (\_SB) { Device (PCI0) { Method (HELP, 1) { Return (Arg0) } }
        Method (CALL) { Return (\_SB.PCI0.HELP (3)) } }
//// notify with a full path [DSDT]
    Scope (\_SB) { Device (PCI0) { Device (S08) { Name (_ADR, 0x00010000) } }
        Method (PCNT) { Notify (\_SB.PCI0.S08, 1) } }
//// external integer
    External (\EXT0, IntObj)
    Method (GETE) { Return (EXT0) }
//// external method called
    External (\_SB.EXTM, MethodObj)
    Method (CALE, 1) { Return (\_SB.EXTM (Arg0)) }
//// external method not called is dropped
    External (\_SB.EXTN, MethodObj)
    Name (NOEX, 1)
//// external device and scope into it
    External (\_SB.PCI0, DeviceObj)
    Scope (\_SB.PCI0) { Name (EXTD, 1) }
//// several externals in order
    External (\EXTA, IntObj)
    External (\EXTB, BuffObj)
    External (\_SB.EXTC, DeviceObj)
    Name (EXTU, 1)
//// external without a type
    External (\EXTX)
    Method (GETX) { Return (EXTX) }
//// external method with an argument count from its call
    External (\_SB.CPEJ, MethodObj)
    Method (EJCT, 2) { \_SB.CPEJ (Arg0, Arg1) }
//// alias
    Name (ORIG, 5)
    Alias (ORIG, ALS0)
    Method (GETA) { Return (ALS0) }
//// alias of a method
    Method (MTH0, 1) { Return (Arg0) }
    Alias (MTH0, MTH1)
    Method (CLAL) { Return (MTH1 (2)) }
//// scope opened twice
    Scope (\_SB) { Name (TWO0, 1) }
    Scope (\_SB) { Name (TWO1, 2) }
//// names inside a method
    Method (LOCN, 1, Serialized) { Name (TMP0, 0)
        TMP0 = Arg0
        Return (TMP0) }
//// device under _SB with a method under _GPE notifying it [DSDT]
    Scope (\_SB) { Device (BTN0) { Name (_HID, EisaId ("PNP0C0C")) } }
    Scope (\_GPE) { Method (_L03) { Notify (\_SB.BTN0, 0x80) } }
//// nested devices with relative references [DSDT]
    Scope (\_SB) { Device (PCI0) { Name (BSEL, 0)
            Device (BR01) { Name (BSEL, 1)
                Method (DVNT) { Return (^BSEL + \_SB.PCI0.BSEL) } } } }
//// predefined scopes
    Scope (\_PR) { Name (PRV0, 1) }
    Scope (\_TZ) { Name (TZV0, 2) }
    Scope (\_SI) { Name (SIV0, 3) }
//// method reference to a field in another device [DSDT]
    Scope (\_SB) { Device (PCI0) { Device (LPC0) { OperationRegion (PIRQ, PCI_Config, 0x60, 4)
                Field (PIRQ, ByteAcc, NoLock, Preserve) { PRQA, 8, PRQB, 8 } } }
        Method (IQST, 1) { Return (\_SB.PCI0.LPC0.PRQA & Arg0) } }
//// _T_ names stay as written
    Method (SWT0, 1) { Switch (Arg0) { Case (1) { Return (1) } }
        Return (0) }
//// lowercase path segments
    Scope (\_SB) { Device (dev9) { Name (val0, 1) } }
    Method (GET9) { Return (\_SB.DEV9.VAL0) }
//// if at the root
    If (One) { Name (CND1, 1) }
