DefinitionBlock ("", "DSDT", 1, "BOCHS ", "BXPC    ", 0x00000001)
{
    Scope (\)
    {
        OperationRegion (DBG, SystemIO, 0x0402, One)
        Field (DBG, ByteAcc, NoLock, Preserve)
        {
            DBGB,   8
        }
        Method (DBUG, 1, NotSerialized)
        {
            ToHexString (Arg0, Local0)
            ToBuffer (Local0, Local0)
            Local1 = (SizeOf (Local0) - One)
            Local2 = Zero
            While ((Local2 < Local1))
            {
                DBGB = DerefOf (Local0 [Local2])
                Local2++
            }
            DBGB = 0x0A
        }
    }

    Scope (_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
            Name (_ADR, Zero)
            Name (_UID, Zero)
            Method (_OSC, 4, NotSerialized)
            {
                CreateDWordField (Arg3, Zero, CDW1)
                If ((Arg0 == ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766")))
                {
                    CreateDWordField (Arg3, 0x04, CDW2)
                    CreateDWordField (Arg3, 0x08, CDW3)
                    Local0 = CDW3
                    Local0 &= 0x1E
                    If ((Arg1 != One))
                    {
                        CDW1 |= 0x08
                    }
                    If ((CDW3 != Local0))
                    {
                        CDW1 |= 0x10
                    }
                    CDW3 = Local0
                }
                Else
                {
                    CDW1 |= 0x04
                }
                Return (Arg3)
            }
        }
        Device (DRAC)
        {
            Name (_HID, "PNP0C01")
            Name (_CRS, ResourceTemplate ()
            {
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                    0x00000000, // Granularity
                    0xB0000000, // Range Minimum
                    0xBFFFFFFF, // Range Maximum
                    0x00000000, // Translation Offset
                    0x10000000, // Length
                    ,, , AddressRangeMemory, TypeStatic)
            })
        }
    }

    Scope (_SB.PCI0)
    {
        OperationRegion (PCST, SystemIO, 0x0CC0, 0x08)
        Field (PCST, DWordAcc, NoLock, WriteAsZeros)
        {
            PCIU,   32,
            PCID,   32
        }
        OperationRegion (SEJ, SystemIO, 0x0CC8, 0x04)
        Field (SEJ, DWordAcc, NoLock, WriteAsZeros)
        {
            B0EJ,   32
        }
        OperationRegion (BNMR, SystemIO, 0x0CD0, 0x08)
        Field (BNMR, DWordAcc, NoLock, WriteAsZeros)
        {
            BNUM,   32,
            PIDX,   32
        }
        Mutex (BLCK, 0x00)
        Method (PCEJ, 2, NotSerialized)
        {
            Acquire (BLCK, 0xFFFF)
            BNUM = Arg0
            Store ((One << Arg1), B0EJ)
            Release (BLCK)
            Return (Zero)
        }
        Method (AIDX, 2, NotSerialized)
        {
            Acquire (BLCK, 0xFFFF)
            BNUM = Arg0
            Store ((One << Arg1), PIDX)
            Local0 = PIDX
            Release (BLCK)
            Return (Local0)
        }
        Method (PDSM, 5, Serialized)
        {
            If ((Arg2 == Zero))
            {
                Local0 = Buffer (One)
                {
                    0x00
                }
                Local1 = Zero
                If ((Arg0 != ToUUID ("e5c937d0-3553-4d7a-9117-ea4d19c3434d")))
                {
                    Return (Local0)
                }
                If ((Arg1 < 0x02))
                {
                    Return (Local0)
                }
                Local2 = AIDX (DerefOf (Arg4 [Zero]), DerefOf (Arg4 [One]))
                If (!((Local2 == Zero) | (Local2 == 0xFFFFFFFF)))
                {
                    Local1 |= One
                    Local1 |= (One << 0x07)
                }
                Local0 [Zero] = Local1
                Return (Local0)
            }
            If ((Arg2 == 0x07))
            {
                Local2 = AIDX (DerefOf (Arg4 [Zero]), DerefOf (Arg4 [One]))
                Local0 = Package (0x02) {}
                If (!((Local2 == Zero) || (Local2 == 0xFFFFFFFF)))
                {
                    Local0 [Zero] = Local2
                    Local0 [One] = ""
                }
                Return (Local0)
            }
        }
    }

    Name (PICF, Zero)

    Method (_PIC, 1, NotSerialized)
    {
        PICF = Arg0
    }

    Scope (_SB)
    {
        Scope (PCI0)
        {
            Name (PRTP, Package (0x80)
            {
                Package (0x04) { 0xFFFF, Zero, LNKE, Zero },
                Package (0x04) { 0xFFFF, One, LNKF, Zero },
                Package (0x04) { 0xFFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0xFFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0001FFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x0001FFFF, One, LNKG, Zero },
                Package (0x04) { 0x0001FFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x0001FFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x0002FFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x0002FFFF, One, LNKH, Zero },
                Package (0x04) { 0x0002FFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x0002FFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x0003FFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x0003FFFF, One, LNKE, Zero },
                Package (0x04) { 0x0003FFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x0003FFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x0004FFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x0004FFFF, One, LNKF, Zero },
                Package (0x04) { 0x0004FFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x0004FFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0005FFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x0005FFFF, One, LNKG, Zero },
                Package (0x04) { 0x0005FFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x0005FFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x0006FFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x0006FFFF, One, LNKH, Zero },
                Package (0x04) { 0x0006FFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x0006FFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x0007FFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x0007FFFF, One, LNKE, Zero },
                Package (0x04) { 0x0007FFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x0007FFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x0008FFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x0008FFFF, One, LNKF, Zero },
                Package (0x04) { 0x0008FFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x0008FFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0009FFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x0009FFFF, One, LNKG, Zero },
                Package (0x04) { 0x0009FFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x0009FFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x000AFFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x000AFFFF, One, LNKH, Zero },
                Package (0x04) { 0x000AFFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x000AFFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x000BFFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x000BFFFF, One, LNKE, Zero },
                Package (0x04) { 0x000BFFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x000BFFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x000CFFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x000CFFFF, One, LNKF, Zero },
                Package (0x04) { 0x000CFFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x000CFFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x000DFFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x000DFFFF, One, LNKG, Zero },
                Package (0x04) { 0x000DFFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x000DFFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x000EFFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x000EFFFF, One, LNKH, Zero },
                Package (0x04) { 0x000EFFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x000EFFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x000FFFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x000FFFFF, One, LNKE, Zero },
                Package (0x04) { 0x000FFFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x000FFFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x0010FFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x0010FFFF, One, LNKF, Zero },
                Package (0x04) { 0x0010FFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x0010FFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0011FFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x0011FFFF, One, LNKG, Zero },
                Package (0x04) { 0x0011FFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x0011FFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x0012FFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x0012FFFF, One, LNKH, Zero },
                Package (0x04) { 0x0012FFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x0012FFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x0013FFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x0013FFFF, One, LNKE, Zero },
                Package (0x04) { 0x0013FFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x0013FFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x0014FFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x0014FFFF, One, LNKF, Zero },
                Package (0x04) { 0x0014FFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x0014FFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0015FFFF, Zero, LNKF, Zero },
                Package (0x04) { 0x0015FFFF, One, LNKG, Zero },
                Package (0x04) { 0x0015FFFF, 0x02, LNKH, Zero },
                Package (0x04) { 0x0015FFFF, 0x03, LNKE, Zero },
                Package (0x04) { 0x0016FFFF, Zero, LNKG, Zero },
                Package (0x04) { 0x0016FFFF, One, LNKH, Zero },
                Package (0x04) { 0x0016FFFF, 0x02, LNKE, Zero },
                Package (0x04) { 0x0016FFFF, 0x03, LNKF, Zero },
                Package (0x04) { 0x0017FFFF, Zero, LNKH, Zero },
                Package (0x04) { 0x0017FFFF, One, LNKE, Zero },
                Package (0x04) { 0x0017FFFF, 0x02, LNKF, Zero },
                Package (0x04) { 0x0017FFFF, 0x03, LNKG, Zero },
                Package (0x04) { 0x0018FFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x0018FFFF, One, LNKF, Zero },
                Package (0x04) { 0x0018FFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x0018FFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x0019FFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x0019FFFF, One, LNKB, Zero },
                Package (0x04) { 0x0019FFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x0019FFFF, 0x03, LNKD, Zero },
                Package (0x04) { 0x001AFFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x001AFFFF, One, LNKB, Zero },
                Package (0x04) { 0x001AFFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x001AFFFF, 0x03, LNKD, Zero },
                Package (0x04) { 0x001BFFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x001BFFFF, One, LNKB, Zero },
                Package (0x04) { 0x001BFFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x001BFFFF, 0x03, LNKD, Zero },
                Package (0x04) { 0x001CFFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x001CFFFF, One, LNKB, Zero },
                Package (0x04) { 0x001CFFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x001CFFFF, 0x03, LNKD, Zero },
                Package (0x04) { 0x001DFFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x001DFFFF, One, LNKB, Zero },
                Package (0x04) { 0x001DFFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x001DFFFF, 0x03, LNKD, Zero },
                Package (0x04) { 0x001EFFFF, Zero, LNKE, Zero },
                Package (0x04) { 0x001EFFFF, One, LNKF, Zero },
                Package (0x04) { 0x001EFFFF, 0x02, LNKG, Zero },
                Package (0x04) { 0x001EFFFF, 0x03, LNKH, Zero },
                Package (0x04) { 0x001FFFFF, Zero, LNKA, Zero },
                Package (0x04) { 0x001FFFFF, One, LNKB, Zero },
                Package (0x04) { 0x001FFFFF, 0x02, LNKC, Zero },
                Package (0x04) { 0x001FFFFF, 0x03, LNKD, Zero }
            })
            Name (PRTA, Package (0x80)
            {
                Package (0x04) { 0xFFFF, Zero, GSIE, Zero },
                Package (0x04) { 0xFFFF, One, GSIF, Zero },
                Package (0x04) { 0xFFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0xFFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0001FFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x0001FFFF, One, GSIG, Zero },
                Package (0x04) { 0x0001FFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x0001FFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x0002FFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x0002FFFF, One, GSIH, Zero },
                Package (0x04) { 0x0002FFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x0002FFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x0003FFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x0003FFFF, One, GSIE, Zero },
                Package (0x04) { 0x0003FFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x0003FFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x0004FFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x0004FFFF, One, GSIF, Zero },
                Package (0x04) { 0x0004FFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x0004FFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0005FFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x0005FFFF, One, GSIG, Zero },
                Package (0x04) { 0x0005FFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x0005FFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x0006FFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x0006FFFF, One, GSIH, Zero },
                Package (0x04) { 0x0006FFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x0006FFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x0007FFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x0007FFFF, One, GSIE, Zero },
                Package (0x04) { 0x0007FFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x0007FFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x0008FFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x0008FFFF, One, GSIF, Zero },
                Package (0x04) { 0x0008FFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x0008FFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0009FFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x0009FFFF, One, GSIG, Zero },
                Package (0x04) { 0x0009FFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x0009FFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x000AFFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x000AFFFF, One, GSIH, Zero },
                Package (0x04) { 0x000AFFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x000AFFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x000BFFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x000BFFFF, One, GSIE, Zero },
                Package (0x04) { 0x000BFFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x000BFFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x000CFFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x000CFFFF, One, GSIF, Zero },
                Package (0x04) { 0x000CFFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x000CFFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x000DFFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x000DFFFF, One, GSIG, Zero },
                Package (0x04) { 0x000DFFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x000DFFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x000EFFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x000EFFFF, One, GSIH, Zero },
                Package (0x04) { 0x000EFFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x000EFFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x000FFFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x000FFFFF, One, GSIE, Zero },
                Package (0x04) { 0x000FFFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x000FFFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x0010FFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x0010FFFF, One, GSIF, Zero },
                Package (0x04) { 0x0010FFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x0010FFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0011FFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x0011FFFF, One, GSIG, Zero },
                Package (0x04) { 0x0011FFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x0011FFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x0012FFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x0012FFFF, One, GSIH, Zero },
                Package (0x04) { 0x0012FFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x0012FFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x0013FFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x0013FFFF, One, GSIE, Zero },
                Package (0x04) { 0x0013FFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x0013FFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x0014FFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x0014FFFF, One, GSIF, Zero },
                Package (0x04) { 0x0014FFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x0014FFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0015FFFF, Zero, GSIF, Zero },
                Package (0x04) { 0x0015FFFF, One, GSIG, Zero },
                Package (0x04) { 0x0015FFFF, 0x02, GSIH, Zero },
                Package (0x04) { 0x0015FFFF, 0x03, GSIE, Zero },
                Package (0x04) { 0x0016FFFF, Zero, GSIG, Zero },
                Package (0x04) { 0x0016FFFF, One, GSIH, Zero },
                Package (0x04) { 0x0016FFFF, 0x02, GSIE, Zero },
                Package (0x04) { 0x0016FFFF, 0x03, GSIF, Zero },
                Package (0x04) { 0x0017FFFF, Zero, GSIH, Zero },
                Package (0x04) { 0x0017FFFF, One, GSIE, Zero },
                Package (0x04) { 0x0017FFFF, 0x02, GSIF, Zero },
                Package (0x04) { 0x0017FFFF, 0x03, GSIG, Zero },
                Package (0x04) { 0x0018FFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x0018FFFF, One, GSIF, Zero },
                Package (0x04) { 0x0018FFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x0018FFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x0019FFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x0019FFFF, One, GSIB, Zero },
                Package (0x04) { 0x0019FFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x0019FFFF, 0x03, GSID, Zero },
                Package (0x04) { 0x001AFFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x001AFFFF, One, GSIB, Zero },
                Package (0x04) { 0x001AFFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x001AFFFF, 0x03, GSID, Zero },
                Package (0x04) { 0x001BFFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x001BFFFF, One, GSIB, Zero },
                Package (0x04) { 0x001BFFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x001BFFFF, 0x03, GSID, Zero },
                Package (0x04) { 0x001CFFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x001CFFFF, One, GSIB, Zero },
                Package (0x04) { 0x001CFFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x001CFFFF, 0x03, GSID, Zero },
                Package (0x04) { 0x001DFFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x001DFFFF, One, GSIB, Zero },
                Package (0x04) { 0x001DFFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x001DFFFF, 0x03, GSID, Zero },
                Package (0x04) { 0x001EFFFF, Zero, GSIE, Zero },
                Package (0x04) { 0x001EFFFF, One, GSIF, Zero },
                Package (0x04) { 0x001EFFFF, 0x02, GSIG, Zero },
                Package (0x04) { 0x001EFFFF, 0x03, GSIH, Zero },
                Package (0x04) { 0x001FFFFF, Zero, GSIA, Zero },
                Package (0x04) { 0x001FFFFF, One, GSIB, Zero },
                Package (0x04) { 0x001FFFFF, 0x02, GSIC, Zero },
                Package (0x04) { 0x001FFFFF, 0x03, GSID, Zero }
            })
            Method (_PRT, 0, NotSerialized)
            {
                If ((PICF == Zero))
                {
                    Return (PRTP)
                }
                Else
                {
                    Return (PRTA)
                }
            }
        }
        Method (IQST, 1, NotSerialized)
        {
            If ((0x80 & Arg0))
            {
                Return (0x09)
            }
            Return (0x0B)
        }
        Method (IQCR, 1, Serialized)
        {
            Name (PRR0, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000000,
                }
            })
            CreateDWordField (PRR0, 0x05, PRRI)
            Store ((Arg0 & 0x0F), PRRI)
            Return (PRR0)
        }
        Device (LNKA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, Zero)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQA))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQA |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQA))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQA = PRRI
            }
        }
        Device (LNKB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, One)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQB))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQB |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQB))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQB = PRRI
            }
        }
        Device (LNKC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x02)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQC))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQC |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQC))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQC = PRRI
            }
        }
        Device (LNKD)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x03)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQD))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQD |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQD))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQD = PRRI
            }
        }
        Device (LNKE)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x04)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQE))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQE |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQE))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQE = PRRI
            }
        }
        Device (LNKF)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x05)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQF))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQF |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQF))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQF = PRRI
            }
        }
        Device (LNKG)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x06)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQG))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQG |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQG))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQG = PRRI
            }
        }
        Device (LNKH)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x07)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000005,
                    0x0000000A,
                    0x0000000B,
                }
            })
            Method (_STA, 0, NotSerialized)
            {
                Return (IQST (PRQH))
            }
            Method (_DIS, 0, NotSerialized)
            {
                PRQH |= 0x80
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (IQCR (PRQH))
            }
            Method (_SRS, 1, NotSerialized)
            {
                CreateDWordField (Arg0, 0x05, PRRI)
                PRQH = PRRI
            }
        }
        Device (GSIA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x10)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000010,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000010,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x11)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000011,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000011,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x12)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000012,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000012,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSID)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x13)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000013,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000013,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIE)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x14)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000014,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000014,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIF)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x15)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000015,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000015,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIG)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x16)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000016,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000016,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
        Device (GSIH)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x17)
            Name (_PRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000017,
                }
            })
            Name (_CRS, ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, ,, )
                {
                    0x00000017,
                }
            })
            Method (_DIS, 0, NotSerialized)
            {
            }
            Method (_SRS, 1, NotSerialized)
            {
            }
        }
    }

    Scope (_SB)
    {
        Device (HPET)
        {
            Name (_HID, EisaId ("PNP0103"))
            Name (_UID, Zero)
            OperationRegion (HPTM, SystemMemory, 0xFED00000, 0x0400)
            Field (HPTM, DWordAcc, Lock, Preserve)
            {
                VEND,   32,
                PRD ,   32
            }
            Method (_STA, 0, NotSerialized)
            {
                Local0 = VEND
                Local1 = PRD
                Local0 >>= 0x10
                If (((Local0 == Zero) || (Local0 == 0xFFFF)))
                {
                    Return (Zero)
                }
                If (((Local1 == Zero) || (Local1 > 0x05F5E100)))
                {
                    Return (Zero)
                }
                Return (0x0F)
            }
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400)
            })
        }
    }

    Scope (_GPE)
    {
        Name (_HID, "ACPI0006")
    }

    Scope (_SB)
    {
        Device (\_SB.PCI0.PRES)
        {
            Name (_HID, EisaId ("PNP0A06"))
            Name (_UID, "CPU Hotplug resources")
            Mutex (CPLK, 0x00)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0CD8, 0x0CD8, 0x01, 0x0C)
            })
            OperationRegion (PRST, SystemIO, 0x0CD8, 0x0C)
            Field (PRST, ByteAcc, NoLock, WriteAsZeros)
            {
                Offset (0x04),
                CPEN,   1,
                CINS,   1,
                CRMV,   1,
                CEJ0,   1,
                CEJF,   1,
                Offset (0x05),
                CCMD,   8
            }
            Field (PRST, DWordAcc, NoLock, Preserve)
            {
                CSEL,   32,
                Offset (0x08),
                CDAT,   32
            }
            Method (_INI, 0, Serialized)
            {
                CSEL = Zero
            }
        }
        Device (\_SB.CPUS)
        {
            Name (_HID, "ACPI0010")
            Name (_CID, EisaId ("PNP0A05"))
            Method (CTFY, 2, NotSerialized)
            {
                If ((Arg0 == Zero))
                {
                    Notify (C000, Arg1)
                }
                If ((Arg0 == One))
                {
                    Notify (C001, Arg1)
                }
                If ((Arg0 == 0x02))
                {
                    Notify (C002, Arg1)
                }
                If ((Arg0 == 0x03))
                {
                    Notify (C003, Arg1)
                }
                If ((Arg0 == 0x04))
                {
                    Notify (C004, Arg1)
                }
                If ((Arg0 == 0x05))
                {
                    Notify (C005, Arg1)
                }
                If ((Arg0 == 0x06))
                {
                    Notify (C006, Arg1)
                }
                If ((Arg0 == 0x07))
                {
                    Notify (C007, Arg1)
                }
                If ((Arg0 == 0x08))
                {
                    Notify (C008, Arg1)
                }
                If ((Arg0 == 0x09))
                {
                    Notify (C009, Arg1)
                }
                If ((Arg0 == 0x0A))
                {
                    Notify (C00A, Arg1)
                }
                If ((Arg0 == 0x0B))
                {
                    Notify (C00B, Arg1)
                }
                If ((Arg0 == 0x0C))
                {
                    Notify (C00C, Arg1)
                }
                If ((Arg0 == 0x0D))
                {
                    Notify (C00D, Arg1)
                }
                If ((Arg0 == 0x0E))
                {
                    Notify (C00E, Arg1)
                }
                If ((Arg0 == 0x0F))
                {
                    Notify (C00F, Arg1)
                }
                If ((Arg0 == 0x10))
                {
                    Notify (C010, Arg1)
                }
                If ((Arg0 == 0x11))
                {
                    Notify (C011, Arg1)
                }
                If ((Arg0 == 0x12))
                {
                    Notify (C012, Arg1)
                }
                If ((Arg0 == 0x13))
                {
                    Notify (C013, Arg1)
                }
                If ((Arg0 == 0x14))
                {
                    Notify (C014, Arg1)
                }
                If ((Arg0 == 0x15))
                {
                    Notify (C015, Arg1)
                }
                If ((Arg0 == 0x16))
                {
                    Notify (C016, Arg1)
                }
                If ((Arg0 == 0x17))
                {
                    Notify (C017, Arg1)
                }
                If ((Arg0 == 0x18))
                {
                    Notify (C018, Arg1)
                }
                If ((Arg0 == 0x19))
                {
                    Notify (C019, Arg1)
                }
                If ((Arg0 == 0x1A))
                {
                    Notify (C01A, Arg1)
                }
                If ((Arg0 == 0x1B))
                {
                    Notify (C01B, Arg1)
                }
                If ((Arg0 == 0x1C))
                {
                    Notify (C01C, Arg1)
                }
                If ((Arg0 == 0x1D))
                {
                    Notify (C01D, Arg1)
                }
                If ((Arg0 == 0x1E))
                {
                    Notify (C01E, Arg1)
                }
                If ((Arg0 == 0x1F))
                {
                    Notify (C01F, Arg1)
                }
            }
            Method (CSTA, 1, Serialized)
            {
                Acquire (\_SB.PCI0.PRES.CPLK, 0xFFFF)
                \_SB.PCI0.PRES.CSEL = Arg0
                Local0 = Zero
                If ((\_SB.PCI0.PRES.CPEN == One))
                {
                    Local0 = 0x0F
                }
                Release (\_SB.PCI0.PRES.CPLK)
                Return (Local0)
            }
            Method (CEJ0, 1, Serialized)
            {
                Acquire (\_SB.PCI0.PRES.CPLK, 0xFFFF)
                \_SB.PCI0.PRES.CSEL = Arg0
                \_SB.PCI0.PRES.CEJ0 = One
                Release (\_SB.PCI0.PRES.CPLK)
            }
            Method (CSCN, 0, Serialized)
            {
                Acquire (\_SB.PCI0.PRES.CPLK, 0xFFFF)
                Name (CNEW, Package (0xFF) {})
                Local3 = Zero
                Local4 = One
                While ((Local4 == One))
                {
                    Local4 = Zero
                    Local0 = One
                    Local1 = Zero
                    While (((Local0 == One) && (Local3 < 0x20)))
                    {
                        Local0 = Zero
                        \_SB.PCI0.PRES.CSEL = Local3
                        \_SB.PCI0.PRES.CCMD = Zero
                        If ((\_SB.PCI0.PRES.CDAT < Local3))
                        {
                            Break
                        }
                        If ((Local1 == 0xFF))
                        {
                            Local4 = One
                            Break
                        }
                        Local3 = \_SB.PCI0.PRES.CDAT
                        If ((\_SB.PCI0.PRES.CINS == One))
                        {
                            CNEW [Local1] = Local3
                            Local1++
                            Local0 = One
                        }
                        Else
                        {
                            If ((\_SB.PCI0.PRES.CRMV == One))
                            {
                                CTFY (Local3, 0x03)
                                \_SB.PCI0.PRES.CRMV = One
                                Local0 = One
                            }
                        }
                        Local3++
                    }
                    Local2 = Zero
                    While ((Local2 < Local1))
                    {
                        Local3 = DerefOf (CNEW [Local2])
                        CTFY (Local3, One)
                        Debug = Local3
                        \_SB.PCI0.PRES.CSEL = Local3
                        \_SB.PCI0.PRES.CINS = One
                        Local2++
                    }
                }
                Release (\_SB.PCI0.PRES.CPLK)
            }
            Method (COST, 4, Serialized)
            {
                Acquire (\_SB.PCI0.PRES.CPLK, 0xFFFF)
                \_SB.PCI0.PRES.CSEL = Arg0
                \_SB.PCI0.PRES.CCMD = One
                \_SB.PCI0.PRES.CDAT = Arg1
                \_SB.PCI0.PRES.CCMD = 0x02
                \_SB.PCI0.PRES.CDAT = Arg2
                Release (\_SB.PCI0.PRES.CPLK)
            }
            Processor (C000, 0x00, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (Zero))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00
                })
                Method (_OST, 3, Serialized)
                {
                    COST (Zero, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C001, 0x01, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (One))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (One)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (One, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C002, 0x02, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x02))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x02)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x02, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C003, 0x03, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x03))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x03, 0x03, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x03)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x03, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C004, 0x04, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x04))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x04, 0x04, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x04)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x04, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C005, 0x05, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x05))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x05, 0x05, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x05)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x05, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C006, 0x06, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x06))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x06, 0x06, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x06)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x06, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C007, 0x07, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x07))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x07, 0x07, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x07)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x07, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C008, 0x08, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x08))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x08, 0x08, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x08)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x08, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C009, 0x09, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x09))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x09, 0x09, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x09)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x09, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00A, 0x0A, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0A))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0A, 0x0A, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0A)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0A, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00B, 0x0B, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0B))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0B, 0x0B, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0B)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0B, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00C, 0x0C, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0C))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0C, 0x0C, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0C)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0C, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00D, 0x0D, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0D))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0D, 0x0D, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0D)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0D, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00E, 0x0E, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0E))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0E, 0x0E, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0E)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0E, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C00F, 0x0F, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x0F))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x0F, 0x0F, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x0F)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x0F, Arg0, Arg1, Arg2)
                }
                Name (_PXM, Zero)
            }
            Processor (C010, 0x10, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x10))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x10, 0x10, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x10)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x10, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C011, 0x11, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x11))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x11, 0x11, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x11)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x11, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C012, 0x12, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x12))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x12, 0x12, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x12)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x12, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C013, 0x13, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x13))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x13, 0x13, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x13)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x13, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C014, 0x14, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x14))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x14, 0x14, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x14)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x14, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C015, 0x15, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x15))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x15, 0x15, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x15)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x15, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C016, 0x16, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x16))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x16, 0x16, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x16)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x16, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C017, 0x17, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x17))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x17, 0x17, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x17)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x17, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C018, 0x18, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x18))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x18, 0x18, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x18)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x18, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C019, 0x19, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x19))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x19, 0x19, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x19)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x19, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01A, 0x1A, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1A))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1A, 0x1A, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1A)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1A, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01B, 0x1B, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1B))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1B, 0x1B, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1B)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1B, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01C, 0x1C, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1C))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1C, 0x1C, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1C)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1C, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01D, 0x1D, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1D))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1D, 0x1D, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1D)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1D, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01E, 0x1E, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1E))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1E, 0x1E, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1E)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1E, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
            Processor (C01F, 0x1F, 0x00000000, 0x00)
            {
                Method (_STA, 0, Serialized)
                {
                    Return (CSTA (0x1F))
                }
                Name (_MAT, Buffer (0x08)
                {
                    0x00, 0x08, 0x1F, 0x1F, 0x01, 0x00, 0x00, 0x00
                })
                Method (_EJ0, 1, NotSerialized)
                {
                    CEJ0 (0x1F)
                }
                Method (_OST, 3, Serialized)
                {
                    COST (0x1F, Arg0, Arg1, Arg2)
                }
                Name (_PXM, One)
            }
        }
    }

    Method (\_GPE._E02, 0, NotSerialized)
    {
        \_SB.CPUS.CSCN ()
    }

    Scope (\_SB.PCI0)
    {
        Name (_CRS, ResourceTemplate ()
        {
            WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                0x0000, // Granularity
                0x0000, // Range Minimum
                0x00FF, // Range Maximum
                0x0000, // Translation Offset
                0x0100, // Length
                ,, )
            IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
            WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                0x0000, // Granularity
                0x0000, // Range Minimum
                0x0CF7, // Range Maximum
                0x0000, // Translation Offset
                0x0CF8, // Length
                ,, , TypeStatic, DenseTranslation)
            WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                0x0000, // Granularity
                0x0D00, // Range Minimum
                0xFFFF, // Range Maximum
                0x0000, // Translation Offset
                0xF300, // Length
                ,, , TypeStatic, DenseTranslation)
            DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                0x00000000, // Granularity
                0x000A0000, // Range Minimum
                0x000BFFFF, // Range Maximum
                0x00000000, // Translation Offset
                0x00020000, // Length
                ,, , AddressRangeMemory, TypeStatic)
            DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                0x00000000, // Granularity
                0x80000000, // Range Minimum
                0xAFFFFFFF, // Range Maximum
                0x00000000, // Translation Offset
                0x30000000, // Length
                ,, , AddressRangeMemory, TypeStatic)
            DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                0x00000000, // Granularity
                0xC0000000, // Range Minimum
                0xFEBFFFFF, // Range Maximum
                0x00000000, // Translation Offset
                0x3EC00000, // Length
                ,, , AddressRangeMemory, TypeStatic)
            QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                0x0000000000000000, // Granularity
                0x0000001080000000, // Range Minimum
                0x000000187FFFFFFF, // Range Maximum
                0x0000000000000000, // Translation Offset
                0x0000000800000000, // Length
                ,, , AddressRangeMemory, TypeStatic)
        })
        Device (GPE0)
        {
            Name (_HID, "PNP0A06")
            Name (_UID, "GPE0 resources")
            Name (_STA, 0x0B)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0620, 0x0620, 0x01, 0x10)
            })
        }
        Device (PHPR)
        {
            Name (_HID, "PNP0A06")
            Name (_UID, "PCI Hotplug resources")
            Name (_STA, 0x0B)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0CC0, 0x0CC0, 0x01, 0x18)
            })
        }
    }

    Scope (\)
    {
        Name (_S3, Package (0x04) { One, One, Zero, Zero })
        Name (_S4, Package (0x04) { 0x02, 0x02, Zero, Zero })
        Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })
    }

    Scope (\_SB.PCI0)
    {
        Device (FWCF)
        {
            Name (_HID, "QEMU0002")
            Name (_STA, 0x0B)
            Name (_CRS, ResourceTemplate ()
            {
                IO (Decode16, 0x0510, 0x0510, 0x01, 0x0C)
            })
        }
    }

    Scope (\_SB)
    {
        Scope (PCI0)
        {
            Device (S00)
            {
                Name (_ADR, Zero)
            }
            Device (S08)
            {
                Name (_ADR, 0x00010000)
                Method (_S1D, 0, NotSerialized)
                {
                    Return (Zero)
                }
                Method (_S2D, 0, NotSerialized)
                {
                    Return (Zero)
                }
                Method (_S3D, 0, NotSerialized)
                {
                    Return (Zero)
                }
            }
            Device (S10)
            {
                Name (_ADR, 0x00020000)
                Name (BSEL, 0x78)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x79)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x7A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x7A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x79
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x78
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S11)
            {
                Name (_ADR, 0x00020001)
                Name (BSEL, 0x70)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x71)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x77)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x77
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x76)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x76
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x75)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x75
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x74)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x74
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x73)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x73
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x72)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x72
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x71
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x70
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S12)
            {
                Name (_ADR, 0x00020002)
                Name (BSEL, 0x68)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x69)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x6A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x6A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x69
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x68
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S13)
            {
                Name (_ADR, 0x00020003)
                Name (BSEL, 0x60)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x61)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x67)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x67
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x66)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x66
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x65)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x65
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x64)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x64
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x63)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x63
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x62)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x62
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x61
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x60
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S14)
            {
                Name (_ADR, 0x00020004)
                Name (BSEL, 0x58)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x59)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x5A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x5A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x59
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x58
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S15)
            {
                Name (_ADR, 0x00020005)
                Name (BSEL, 0x50)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x51)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x57)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x57
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x56)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x56
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x55)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x55
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x54)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x54
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x53)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x53
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x52)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x52
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x51
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x50
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S16)
            {
                Name (_ADR, 0x00020006)
                Name (BSEL, 0x48)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x49)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x4A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x4A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x49
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x48
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S17)
            {
                Name (_ADR, 0x00020007)
                Name (BSEL, 0x40)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x41)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x47)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x47
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x46)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x46
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x45)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x45
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x44)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x44
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x43)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x43
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x42)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x42
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x41
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x40
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S18)
            {
                Name (_ADR, 0x00030000)
                Name (BSEL, 0x38)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x39)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x3A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x3A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x39
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x38
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S19)
            {
                Name (_ADR, 0x00030001)
                Name (BSEL, 0x30)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x31)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x37)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x37
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x36)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x36
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x35)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x35
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x34)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x34
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x33)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x33
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x32)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x32
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x31
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x30
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1A)
            {
                Name (_ADR, 0x00030002)
                Name (BSEL, 0x28)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x29)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x2A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x2A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x29
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x28
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1B)
            {
                Name (_ADR, 0x00030003)
                Name (BSEL, 0x20)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x21)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x27)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x27
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x26)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x26
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x25)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x25
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x24)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x24
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x23)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x23
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x22)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x22
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x21
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x20
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1C)
            {
                Name (_ADR, 0x00030004)
                Name (BSEL, 0x18)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x19)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x1A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x1A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x19
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x18
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1D)
            {
                Name (_ADR, 0x00030005)
                Name (BSEL, 0x10)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x11)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x17)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x17
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x16)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x16
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x15)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x15
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x14)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x14
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x13)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x13
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x12)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x12
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x11
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x10
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1E)
            {
                Name (_ADR, 0x00030006)
                Name (BSEL, 0x08)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, 0x09)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0F)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0F
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0E)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0E
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0D)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0D
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0C)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0C
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0B)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0B
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x0A)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x0A
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = 0x09
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = 0x08
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (S1F)
            {
                Name (_ADR, 0x00030007)
                Name (BSEL, Zero)
                Device (S00)
                {
                    Name (_ADR, Zero)
                    Name (ASUN, Zero)
                    Method (_DSM, 4, Serialized)
                    {
                        Local0 = Package (0x02) { BSEL, ASUN }
                        Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                    }
                    Name (BSEL, One)
                    Device (S00)
                    {
                        Name (_ADR, Zero)
                        Name (ASUN, Zero)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x07)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x07
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S08)
                    {
                        Name (_ADR, 0x00010000)
                        Name (ASUN, One)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x06)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x06
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S10)
                    {
                        Name (_ADR, 0x00020000)
                        Name (ASUN, 0x02)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x05)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x05
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S18)
                    {
                        Name (_ADR, 0x00030000)
                        Name (ASUN, 0x03)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x04)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x04
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S20)
                    {
                        Name (_ADR, 0x00040000)
                        Name (ASUN, 0x04)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x03)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x03
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Device (S28)
                    {
                        Name (_ADR, 0x00050000)
                        Name (ASUN, 0x05)
                        Method (_DSM, 4, Serialized)
                        {
                            Local0 = Package (0x02) { BSEL, ASUN }
                            Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                        }
                        Name (BSEL, 0x02)
                        Device (S00)
                        {
                            Name (_ADR, Zero)
                            Name (ASUN, Zero)
                            Method (_DSM, 4, Serialized)
                            {
                                Local0 = Package (0x02) { BSEL, ASUN }
                                Return (PDSM (Arg0, Arg1, Arg2, Arg3, Local0))
                            }
                            Name (_SUN, Zero)
                            Method (_EJ0, 1, NotSerialized)
                            {
                                PCEJ (BSEL, _SUN)
                            }
                        }
                        Method (DVNT, 2, NotSerialized)
                        {
                            If ((Arg0 & One))
                            {
                                Notify (S00, Arg1)
                            }
                        }
                        Method (PCNT, 0, NotSerialized)
                        {
                            BNUM = 0x02
                            DVNT (PCIU, One)
                            DVNT (PCID, 0x03)
                        }
                    }
                    Method (DVNT, 2, NotSerialized)
                    {
                    }
                    Method (PCNT, 0, NotSerialized)
                    {
                        BNUM = One
                        DVNT (PCIU, One)
                        DVNT (PCID, 0x03)
                        ^S28.PCNT ()
                        ^S20.PCNT ()
                        ^S18.PCNT ()
                        ^S10.PCNT ()
                        ^S08.PCNT ()
                        ^S00.PCNT ()
                    }
                }
                Method (DVNT, 2, NotSerialized)
                {
                }
                Method (PCNT, 0, NotSerialized)
                {
                    BNUM = Zero
                    DVNT (PCIU, One)
                    DVNT (PCID, 0x03)
                    ^S00.PCNT ()
                }
            }
            Device (SF8)
            {
                Name (_ADR, 0x001F0000)
                OperationRegion (PIRQ, PCI_Config, 0x60, 0x0C)
                Scope (\_SB)
                {
                    Field (PCI0.SF8.PIRQ, ByteAcc, NoLock, Preserve)
                    {
                        PRQA,   8,
                        PRQB,   8,
                        PRQC,   8,
                        PRQD,   8,
                        Offset (0x08),
                        PRQE,   8,
                        PRQF,   8,
                        PRQG,   8,
                        PRQH,   8
                    }
                }
                Device (KBD)
                {
                    Name (_HID, EisaId ("PNP0303"))
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0060, 0x0060, 0x01, 0x01)
                        IO (Decode16, 0x0064, 0x0064, 0x01, 0x01)
                        IRQNoFlags () {1}
                    })
                }
                Device (MOU)
                {
                    Name (_HID, EisaId ("PNP0F13"))
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IRQNoFlags () {12}
                    })
                }
                Device (LPT1)
                {
                    Name (_HID, EisaId ("PNP0400"))
                    Name (_UID, One)
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0378, 0x0378, 0x08, 0x08)
                        IRQNoFlags () {7}
                    })
                }
                Device (COM1)
                {
                    Name (_HID, EisaId ("PNP0501"))
                    Name (_UID, One)
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)
                        IRQNoFlags () {4}
                    })
                }
                Device (RTC)
                {
                    Name (_HID, EisaId ("PNP0B00"))
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0070, 0x0070, 0x01, 0x08)
                        IRQNoFlags () {8}
                    })
                }
            }
            Device (SFB)
            {
                Name (_ADR, 0x001F0003)
            }
            Method (PCNT, 0, NotSerialized)
            {
                ^S1F.PCNT ()
                ^S1E.PCNT ()
                ^S1D.PCNT ()
                ^S1C.PCNT ()
                ^S1B.PCNT ()
                ^S1A.PCNT ()
                ^S19.PCNT ()
                ^S18.PCNT ()
                ^S17.PCNT ()
                ^S16.PCNT ()
                ^S15.PCNT ()
                ^S14.PCNT ()
                ^S13.PCNT ()
                ^S12.PCNT ()
                ^S11.PCNT ()
                ^S10.PCNT ()
            }
        }
    }

    Scope (_GPE)
    {
        Method (_E01, 0, NotSerialized)
        {
            Acquire (\_SB.PCI0.BLCK, 0xFFFF)
            \_SB.PCI0.PCNT ()
            Release (\_SB.PCI0.BLCK)
        }
    }
}
