//// system IO region and byte field
    OperationRegion (DBG0, SystemIO, 0x0402, 1)
    Field (DBG0, ByteAcc, NoLock, Preserve) { DBGB, 8 }
//// system memory region with dword fields
    OperationRegion (MMI0, SystemMemory, 0xFED00000, 0x400)
    Field (MMI0, DWordAcc, NoLock, Preserve) { CAPL, 32, CAPH, 32, Offset (0x10), CONF, 32 }
//// PCI config region
    OperationRegion (PCFG, PCI_Config, 0x00, 0x100)
    Field (PCFG, AnyAcc, NoLock, Preserve) { VID0, 16, DID0, 16, Offset (0x2C), SVID, 16, SSID, 16 }
//// embedded controller region
    OperationRegion (ECR0, EmbeddedControl, 0, 0xFF)
    Field (ECR0, ByteAcc, Lock, Preserve) { TMP0, 8, TMP1, 8, , 6, FANS, 2 }
//// field update rules
    OperationRegion (UPD0, SystemIO, 0x0510, 4)
    Field (UPD0, ByteAcc, NoLock, WriteAsOnes) { UPA0, 8 }
    Field (UPD0, ByteAcc, NoLock, WriteAsZeros) { Offset (1), UPB0, 8 }
//// reserved bits in a field
    OperationRegion (RSV0, SystemIO, 0x0600, 2)
    Field (RSV0, WordAcc, NoLock, Preserve) { BIT0, 1, , 3, BIT4, 1, , 11 }
//// field with a long offset (two-byte package length)
    OperationRegion (BIG0, SystemMemory, 0xFEE00000, 0x1000)
    Field (BIG0, DWordAcc, NoLock, Preserve) { Offset (0x100), REGA, 32, Offset (0x800), REGB, 32 }
//// wide field unit
    OperationRegion (WID0, SystemMemory, 0x1000, 0x100)
    Field (WID0, AnyAcc, NoLock, Preserve) { BLOB, 1024 }
//// AccessAs in a field
    OperationRegion (ACC0, SystemIO, 0x0700, 8)
    Field (ACC0, AnyAcc, NoLock, Preserve) { AccessAs (ByteAcc, 0), ACB0, 8, AccessAs (DWordAcc, 0), ACD0, 32 }
//// index field
    OperationRegion (IDX0, SystemIO, 0x0070, 2)
    Field (IDX0, ByteAcc, NoLock, Preserve) { INDX, 8, DATA, 8 }
    IndexField (INDX, DATA, ByteAcc, NoLock, Preserve) { Offset (0x10), CMS0, 8, CMS1, 8 }
//// bank field
    OperationRegion (BNK0, SystemIO, 0x0800, 4)
    Field (BNK0, ByteAcc, NoLock, Preserve) { BSEL, 8 }
    BankField (BNK0, BSEL, 1, ByteAcc, NoLock, Preserve) { Offset (1), BNKA, 8 }
//// region from a computed offset
    Name (BASE, 0x0900)
    OperationRegion (CMP0, SystemIO, BASE, 0x10)
    Field (CMP0, ByteAcc, NoLock, Preserve) { CMPA, 8 }
//// region inside a device and a method using it
    Device (HPD0) { Name (_HID, "MCHC000A")
        OperationRegion (HPR0, SystemMemory, 0xFED00000, 0x400)
        Field (HPR0, DWordAcc, Lock, Preserve) { VEND, 32, PRD0, 32 }
        Method (_STA) { If (VEND) { Return (0x0F) }
            Return (0) } }
//// field read and write in a method
    OperationRegion (GPE0, SystemIO, 0x0620, 0x10)
    Field (GPE0, ByteAcc, NoLock, WriteAsZeros) { GPS0, 8, Offset (8), GPE1, 8 }
    Method (GPEC, 1) { GPS0 = Arg0
        Return (GPE1) }
//// SMBus region
    OperationRegion (SMB0, SMBus, 0x00, 0x100)
    Field (SMB0, BufferAcc, NoLock, Preserve) { AccessAs (BufferAcc, AttribByte), SMB1, 8 }
//// CMOS region
    OperationRegion (CMOS, SystemCMOS, 0, 0x40)
    Field (CMOS, ByteAcc, NoLock, Preserve) { RTCS, 8 }
//// mutex declaration and use
    Mutex (MTX0, 0)
    Method (LCK0) { Acquire (MTX0, 0xFFFF)
        Release (MTX0) }
//// mutex with sync level
    Mutex (MTX1, 7)
//// acquire with timeout result
    Mutex (MTX2, 0)
    Method (TRYL) { If (Acquire (MTX2, 100)) { Return (0) }
        Release (MTX2)
        Return (1) }
//// event signal wait reset
    Event (EVT0)
    Method (EVTS) { Signal (EVT0)
        Local0 = Wait (EVT0, 10)
        Reset (EVT0)
        Return (Local0) }
//// CreateDWordField on a named buffer
    Name (CBUF, Buffer (8) {})
    CreateDWordField (CBUF, 0, CDW0)
    CreateDWordField (CBUF, 4, CDW1)
//// CreateBitField CreateByteField CreateWordField CreateQWordField
    Name (DBUF, Buffer (16) {})
    CreateBitField (DBUF, 3, BT03)
    CreateByteField (DBUF, 1, BY01)
    CreateWordField (DBUF, 2, WD02)
    CreateQWordField (DBUF, 8, QW08)
//// CreateField with bit index and length
    Name (EBUF, Buffer (4) {})
    CreateField (EBUF, 4, 12, FL12)
//// CreateField in a method on an argument
    Method (GETF, 1) { CreateField (Arg0, 0, 16, FLD0)
        Return (FLD0) }
//// field units in an If at the root
    OperationRegion (CND0, SystemIO, 0x0A00, 1)
    If (One) { Field (CND0, ByteAcc, NoLock, Preserve) { CNDF, 8 } }
//// debug port writer (QEMU-style DBUG)
    OperationRegion (DBGP, SystemIO, 0x0402, 0x01)
    Field (DBGP, ByteAcc, NoLock, Preserve) { DBGC, 8 }
    Method (DBUG, 1) { ToHexString (Arg0, Local0)
        ToBuffer (Local0, Local0)
        Local1 = SizeOf (Local0) - One
        Local2 = Zero
        While (Local2 < Local1) { DBGC = DerefOf (Local0 [Local2])
            Local2++ }
        DBGC = 0x0A }
